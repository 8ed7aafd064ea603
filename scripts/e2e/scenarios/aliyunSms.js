// @ts-check
'use strict';
// Alibaba Cloud SMS (Aliyun) in a real n8n: the credential test (V3 signature checked by the simulator),
// SendSms and SendBatchSms from the item loop, Get Send Details across pages, bad input, Continue On
// Fail, vendor errors (a wrong secret, the per-number limit), the fault battery, and the trigger
// receiving the simulator's JSON batch pushes (SmsReport, SmsUp) at its production URL.

const assert = require('node:assert/strict');
const { ACCOUNTS } = require('../../../simulator');
const { vendorKit, assertSucceeded, CHINA_ISO, FAIL_ME, GBK_BYTES } = require('../checks');

const VENDOR = 'aliyunSms';
const ACCOUNT = ACCOUNTS.aliyunSms;
const WRONG_SECRET = 'not-the-secret-4711';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNDELIVERED = '13800000000'; // the simulator reports numbers ending in 0000 as not delivered
const INVALID = '1380013800'; // 10 digits
const SIGN = '阿里云短信测试';
const CODE_TEMPLATE = 'SMS_154950909';
const NOTICE = 'SMS_100000002'; // a notification without variables: no per-minute limit
const code = (/** @type {string} */ value) => ({ parameters: [{ name: 'code', value }] });
const SEND = { operation: 'send', signName: SIGN, templateCode: CODE_TEMPLATE, templateParams: code('4711') };
const JSON_TYPE = 'application/json;charset=utf-8';
const ANSWER = '{"code":0,"msg":"接收成功"}';

const kit = vendorKit({ vendor: VENDOR, credentialType: 'aliyunSmsApi', wrongSecret: WRONG_SECRET, sendOperations: ['sendSms', 'sendBatchSms'] });

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await h.simulatorCredential(VENDOR, 'Alibaba Cloud SMS (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, 'Alibaba Cloud SMS (wrong secret)', { accessKeySecret: WRONG_SECRET }),
	};
}

/** Eight items, each two numbers with its own code: eight SendSms calls, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(2 * n).padStart(4, '0')},1391234${String(2 * n + 1).padStart(4, '0')}`, code: String(100000 + n) }));

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button) passes with the right key, fails with SignatureDoesNotMatch for a wrong secret",
		wrongMessage: /SignatureDoesNotMatch/,
		calls: {
			operation: 'querySendDetails',
			count: 2,
			each(call) {
				assert.match(call.headers.authorization, new RegExp(`^ACS3-HMAC-SHA256 Credential=${ACCOUNT.accessKeyId},`));
				assert.ok(!JSON.stringify(call).includes(ACCOUNT.accessKeySecret), 'the secret travelled');
				assert.equal(call.query.PhoneNumber, GOOD);
				assert.match(call.query.SendDate, /^\d{8}$/);
			},
		},
	}),
	{
		name: 'send: a code to two numbers (+86, new line) is one signed SendSms call; both recipients carry its BizId',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.success, true);
			const calls = kit.sends(h);
			assert.equal(calls.length, 1);
			assert.equal(calls[0].operation, 'sendSms');
			assert.equal(calls[0].body, '');
			assert.deepEqual(calls[0].query, { PhoneNumbers: `${GOOD},${GOOD2}`, SignName: SIGN, TemplateCode: CODE_TEMPLATE, TemplateParam: '{"code":"4711"}' });
			const bizId = JSON.parse(calls[0].response.body).BizId;
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => [r.phone, r.outcome, r.messageId]), [
				[GOOD, 'accepted', bizId],
				[GOOD2, 'accepted', bizId],
			]);
			assert.equal(out.messageId, bizId);
		},
	},
	{
		name: 'send: 150 items, each with its own code, go in 2 SendBatchSms calls; each item keeps its result',
		async run(h, ctx) {
			h.sim.reset();
			const items = Array.from({ length: 150 }, (_, i) => ({ phone: `137${String(i).padStart(8, '0')}`, code: String(200000 + i) }));
			const run = await kit.run(h, ctx, { ...SEND, phones: '={{ $json.phone }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } }, { items });
			assertSucceeded(run);
			const calls = kit.sends(h);
			assert.deepEqual(calls.map((c) => [c.operation, JSON.parse(c.params.PhoneNumberJson).length]), [['sendBatchSms', 100], ['sendBatchSms', 50]]);
			assert.equal(run.output.length, 150);
			assert.ok(run.output.every((/** @type {any} */ o, /** @type {number} */ i) => o.success === true && o.recipients[0].phone === items[i].phone));
			const texts = calls.flatMap((c) => c.detail.messages.map((/** @type {any} */ m) => m.text));
			assert.ok(texts[42].includes('200042'), texts[42]);
		},
	},
	{
		name: 'getSendDetails: every page of a day, one item per record in the trigger shape',
		async run(h, ctx) {
			h.sim.reset();
			h.sim.configure({ [VENDOR]: { details: Array.from({ length: 60 }, (_, i) => ({ phone: GOOD, bizId: `${i}^0` })) } });
			const run = await kit.run(h, ctx, { operation: 'getSendDetails', phone: GOOD });
			assertSucceeded(run);
			assert.equal(run.output.length, 60);
			assert.equal(run.output[0].vendor, VENDOR);
			assert.equal(run.output[0].event, 'delivery');
			assert.equal(run.output[0].delivered, true);
			assert.match(run.output[0].receivedAt, CHINA_ISO);
			assert.deepEqual(h.simRequests(VENDOR).map((c) => c.query.CurrentPage), ['1', '2']);
		},
	},
	kit.badInput({
		name: 'bad input: a template parameter given twice fails the node, and nothing is sent',
		parameters: { ...SEND, phones: GOOD, templateParams: { parameters: [{ name: 'code', value: '1' }, { name: 'code', value: '2' }] } },
		error: 'Template parameter code is given twice on item 0',
	}),
	kit.badInput({
		name: `bad input: phone ${INVALID} on the second item fails before the first is sent`,
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }],
		error: new RegExp(`^Phone ${INVALID} on item 1`),
	}),
	kit.continueRegularOutput({
		parameters: { operation: 'send', signName: SIGN, templateCode: NOTICE, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }, { phone: UNDELIVERED }],
		error: new RegExp(`Phone ${INVALID} on item 1`),
		sent: (h) => kit.sends(h).map((c) => c.query.PhoneNumbers),
		expectSent: [`${GOOD},${UNDELIVERED}`],
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: 'vendor error: a wrong AccessKey Secret fails in English with SignatureDoesNotMatch, the secret not shown',
		parameters: { ...SEND, phones: GOOD },
		message: /^Alibaba Cloud SMS error SignatureDoesNotMatch: The signature does not match: the AccessKey Secret is wrong \(Specified signature does not match our calculation/,
	}),
	{
		name: 'vendor rule: a second code to one number within a minute is isv.BUSINESS_LIMIT_CONTROL, in English, sent once',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await kit.run(h, ctx, { ...SEND, phones: GOOD }));
			const run = await kit.run(h, ctx, { ...SEND, phones: GOOD, templateParams: code('5678') });
			assert.equal(run.status, 'error');
			assert.match(String(run.error.message), /^Alibaba Cloud SMS error isv\.BUSINESS_LIMIT_CONTROL: This number got as many messages as Alibaba Cloud allows for now.*\(触发分钟级流控Permits:1\)$/);
			assert.equal(kit.sends(h).length, 2);
		},
	},
	kit.triggerReceivesPushes({
		name: 'trigger: the reports and the reply of a send, pushed as JSON arrays to the production URL, become executions',
		kinds: ['delivery', 'reply'],
		send: { operation: 'send', signName: SIGN, templateCode: NOTICE, phones: `${GOOD},${UNDELIVERED}` },
		// One push with both reports, one with the reply.
		executions: 2,
		pushes: { count: 2, answer: ANSWER, contentType: JSON_TYPE },
		verify(h, { sent, items }) {
			assert.equal(items.length, 3, JSON.stringify(items));
			const bizId = sent.output[0].messageId;
			const good = items.find((i) => i.event === 'delivery' && i.phone === GOOD);
			const bad = items.find((i) => i.event === 'delivery' && i.phone === UNDELIVERED);
			const reply = items.find((i) => i.event === 'reply');
			assert.ok(good && bad && reply, JSON.stringify(items));
			assert.equal(good.vendor, VENDOR);
			assert.equal(good.messageId, bizId);
			assert.equal(good.delivered, true);
			assert.equal(good.status, 'DELIVERED');
			assert.match(good.receivedAt, CHINA_ISO);
			assert.equal(bad.messageId, bizId);
			assert.equal(bad.delivered, false);
			assert.equal(reply.phone, GOOD);
			assert.equal(reply.content, '收到');
			assert.ok(!('delivered' in reply), 'a reply has no delivered');
		},
	}),
	kit.triggerSecretToken({
		records: [{ phone: GOOD, bizId: '4711^0' }],
		verify(items) {
			assert.equal(items[0].messageId, '4711^0');
		},
	}),
	kit.triggerEventsFilter({
		name: 'trigger: events filter (replies only) still answers {"code":0,…} to a report but starts nothing for it',
		ignored: { kind: 'delivery', records: [{ phone: GOOD, bizId: '1^0' }] },
		kept: { kind: 'reply', records: [{ phone: GOOD, content: 'TD', sequenceId: '77' }] },
		answer: ANSWER,
		verify(items) {
			assert.deepEqual(items.map((/** @type {any} */ i) => [i.event, i.content, i.messageId]), [['reply', 'TD', '77']]);
		},
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: pushes that are not SmsReport or SmsUp arrays get 400, and the webhook keeps working',
		bodies: ['[{"phone_number":"13800138000","success":', `[{"phone_number":"${GOOD}","hello":1}]`, '[{"success":true}]', { raw: `phone_number=${GOOD}&success=true`, contentType: 'application/x-www-form-urlencoded' }, ''],
		valid: [{ phone: GOOD, bizId: '3^0' }],
		answer: ANSWER,
	}),
	kit.triggerAnswersAfterRun({
		good: [{ phone: GOOD, bizId: '5001^0' }],
		failing: [{ phone: GOOD, bizId: FAIL_ME }],
		answer: { body: ANSWER, contentType: 'application/json; charset=utf-8' },
	}),
	kit.triggerHostilePushes({ valid: [{ phone: GOOD, bizId: '5002^0' }], answer: ANSWER }),
	kit.triggerDecodesCharset({
		pushes: ['GBK', 'gb18030'].map((charset) => ({
			what: `an SmsUp array in ${charset}, said in the Content-Type`,
			body: Buffer.concat([Buffer.from(`[{"phone_number":"${GOOD}","content":"`), GBK_BYTES, Buffer.from('","send_time":"2024-05-06 07:08:09","dest_code":"1","sequence_id":9}]')]),
			contentType: `application/json; charset=${charset}`,
		})),
		answer: ANSWER,
	}),
	kit.examples({
		name: 'examples: the shipped code and report workflows import, run, and route the reports by status',
		send: `${VENDOR}-send-code.json`,
		verifySend(h) {
			const calls = kit.sends(h);
			assert.equal(calls.length, 1);
			assert.match(JSON.parse(calls[0].query.TemplateParam).code, /^\d{6}$/);
		},
		trigger: {
			file: `${VENDOR}-delivery-reports.json`,
			kinds: ['delivery', 'reply'],
			// The report of the one number and its reply.
			executions: 2,
			routed: { Delivered: 1, 'Reply received': 1 },
		},
	}),
	kit.faultBattery({
		parameters: { ...SEND, phones: GOOD },
		sendOperation: 'sendSms',
		secrets: [ACCOUNT.accessKeySecret],
		many: { parameters: { ...SEND, phones: '={{ $json.phones }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } }, items: manyItems() },
	}),
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, kit.triggerType],
	setup,
	checks,
};
