// @ts-check
'use strict';
// Tencent Cloud SMS in a real n8n: the credential test (a signed call), every operation of the action node
// (each call signed by the credential's authenticate in n8n and checked by the simulator's own TC3
// verifier), per-number and whole-call refusals, bad input, Continue On Fail, a wrong key, the pulls
// that give each record once, and the trigger receiving the simulator's callbacks (status reports as a
// JSON array, a reply as one object) at its production URL; last, the failover example between Tencent Cloud and
// Alibaba Cloud.

const assert = require('node:assert/strict');
const { ACCOUNTS } = require('../../../simulator');
const { vendorKit, assertSucceeded, CHINA_ISO, FAIL_ME } = require('../checks');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'tencentCloudSms';
const ACCOUNT = ACCOUNTS.tencentCloudSms;
const WRONG_KEY = 'not-the-tencent-key-4711';
const OK = '{"result":0,"errmsg":"OK"}';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNDELIVERED = '13800130000'; // the simulator's report says FAIL for numbers ending in 0000
const CAPPED = '13800139999'; // LimitExceeded.PhoneNumberDailyLimit for numbers ending in 9999
const INVALID = '1380013800'; // 10 digits
const SEND = { operation: 'send', signName: '腾讯云', templateId: '1110', templateParams: { value: [{ value: '4711' }, { value: '5' }] } };

const kit = vendorKit({ vendor: VENDOR, credentialType: 'tencentCloudSmsApi', wrongSecret: WRONG_KEY, sendOperations: ['send'] });

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await h.simulatorCredential(VENDOR, 'Tencent Cloud SMS (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, 'Tencent Cloud SMS (wrong key)', { secretKey: WRONG_KEY }),
	};
}

/** @param {any} call */
const bodyOf = (call) => JSON.parse(call.body);
/** @param {any} call */
function assertSigned(call) {
	assert.equal(call.method, 'POST');
	assert.equal(call.path, '/');
	assert.equal(call.headers['content-type'], 'application/json');
	assert.equal(call.headers['x-tc-version'], '2021-01-11');
	assert.equal(call.headers['x-tc-region'], 'ap-guangzhou');
	assert.match(String(call.headers.authorization), new RegExp(`^TC3-HMAC-SHA256 Credential=${ACCOUNT.secretId}/\\d{4}-\\d{2}-\\d{2}/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
	assert.ok(!JSON.stringify(call).includes(ACCOUNT.secretKey), 'the SecretKey travelled');
	assert.equal(bodyOf(call).SmsSdkAppId, ACCOUNT.sdkAppId);
	assert.ok(!JSON.parse(call.response.body).Response.Error, `the simulator refused: ${call.response.body}`);
}

/** Eight items with their own values, each its own vendor call, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(n + 1).padStart(4, '0')}`, code: String(1000 + n) }));

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button): a signed call passes with the right key, fails with Tencent's code for a wrong one",
		wrongMessage: /AuthFailure\.SignatureFailure/,
		calls: {
			operation: 'getBalance',
			count: 2,
			each(call) {
				assert.equal(call.headers['x-tc-action'], 'SmsPackagesStatistics');
				assert.equal(bodyOf(call).SmsSdkAppId, ACCOUNT.sdkAppId);
			},
		},
	}),
	{
		name: 'send: two numbers are one signed SendSms in E.164; each recipient gets its SerialNo',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
			assertSucceeded(run);
			const out = run.output[0];
			const calls = kit.sends(h);
			assert.equal(calls.length, 1);
			assertSigned(calls[0]);
			assert.deepEqual(bodyOf(calls[0]).PhoneNumberSet, [`+86${GOOD}`, `+86${GOOD2}`]);
			assert.deepEqual(bodyOf(calls[0]).TemplateParamSet, ['4711', '5']);
			const serials = JSON.parse(calls[0].response.body).Response.SendStatusSet.map((/** @type {any} */ s) => s.SerialNo);
			assert.deepEqual(
				out.recipients.map((/** @type {any} */ r) => [r.phone, r.outcome, r.status, r.messageId]),
				[
					[GOOD, 'accepted', 'Ok', serials[0]],
					[GOOD2, 'accepted', 'Ok', serials[1]],
				],
			);
			assert.equal(out.success, true);
			assert.equal(out.messageId, serials.join(','));
		},
	},
	{
		name: "send: a number at its daily cap is refused on its own (Tencent's code, aboutMessage), the other is sent",
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: `${CAPPED},${GOOD}` });
			assertSucceeded(run);
			const [capped, good] = run.output[0].recipients;
			assert.deepEqual([capped.outcome, capped.status, capped.aboutMessage], ['refused', 'LimitExceeded.PhoneNumberDailyLimit', true]);
			assert.match(capped.error, /Tencent Cloud SMS error LimitExceeded\.PhoneNumberDailyLimit/);
			assert.equal(good.outcome, 'accepted');
			assert.equal(run.output[0].success, false);
		},
	},
	{
		name: 'send: 250 numbers are calls of 200 and 50',
		async run(h, ctx) {
			h.sim.reset();
			const phones = Array.from({ length: 250 }, (_, i) => `137${String(i).padStart(8, '0')}`);
			const run = await kit.run(h, ctx, { ...SEND, phones: '={{ $json.phones }}' }, { items: [{ phones }] });
			assertSucceeded(run);
			assert.deepEqual(kit.sends(h).map((c) => bodyOf(c).PhoneNumberSet.length).sort(), [200, 50]);
			assert.equal(run.output[0].recipients.length, 250);
		},
	},
	{
		name: 'getBalance: the messages left in the packages in force, every package kept',
		async run(h, ctx) {
			h.sim.reset();
			h.sim.configure({ [VENDOR]: { balance: 1000 } });
			assertSucceeded(await kit.run(h, ctx, { ...SEND, phones: GOOD }));
			const run = await kit.run(h, ctx, { operation: 'getBalance' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.deepEqual({ vendor: out.vendor, operation: out.operation, balance: out.balance, unit: out.unit }, { vendor: VENDOR, operation: 'getBalance', balance: 999, unit: 'messages' });
			assert.equal(out.raw.Response.SmsPackagesStatisticsSet.length, 1);
			const call = h.simRequests(VENDOR).find((r) => r.operation === 'getBalance');
			assertSigned(call);
		},
	},
	{
		name: 'getStatusReports and getReplies: each pulled record is one item in the trigger shape, given once',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await kit.run(h, ctx, { ...SEND, phones: `${GOOD},${UNDELIVERED}` }));
			const reports = await kit.run(h, ctx, { operation: 'getStatusReports' });
			assertSucceeded(reports);
			assert.deepEqual(
				reports.output.map((/** @type {any} */ o) => [o.event, o.phone, o.delivered, o.status]),
				[
					['delivery', GOOD, true, 'DELIVRD'],
					['delivery', UNDELIVERED, false, 'MK:0001'],
				],
			);
			assert.match(reports.output[0].receivedAt, CHINA_ISO);
			const again = await kit.run(h, ctx, { operation: 'getStatusReports' });
			assertSucceeded(again);
			assert.equal(again.output.length, 0, 'a record was given twice');
			h.sim.configure({ [VENDOR]: { replyQueue: [{ ExtendCode: '', CountryCode: '86', PhoneNumber: `+86${GOOD}`, SignName: '腾讯云', ReplyContent: '退订', ReplyTime: 1700000000, SubscriberNumber: GOOD }] } });
			const replies = await kit.run(h, ctx, { operation: 'getReplies' });
			assertSucceeded(replies);
			assert.deepEqual(replies.output.map((/** @type {any} */ o) => [o.event, o.phone, o.content]), [['reply', GOOD, '退订']]);
		},
	},
	kit.badInput({
		name: 'bad input: a template ID that is not a number fails the node naming it, and nothing is sent',
		parameters: { ...SEND, phones: GOOD, templateId: 'SMS_1' },
		error: 'Template ID SMS_1 on item 0 is not allowed: Tencent template IDs are numbers, such as 1110',
	}),
	kit.badInput({
		name: `bad input: phone ${INVALID} on the second item fails before the first is sent`,
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }],
		error: new RegExp(`^Phone ${INVALID} on item 1`),
	}),
	kit.continueRegularOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}', templateId: '={{ $json.template }}' },
		items: [{ phone: GOOD, template: '1110' }, { phone: GOOD2, template: 'x' }, { phone: UNDELIVERED, template: '1110' }],
		error: 'Template ID x on item 1 is not allowed: Tencent template IDs are numbers, such as 1110',
		sent: (h) => kit.sends(h).flatMap((c) => bodyOf(c).PhoneNumberSet).sort(),
		expectSent: [`+86${GOOD}`, `+86${UNDELIVERED}`].sort(),
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: "vendor error: a wrong SecretKey fails in English with Tencent's code and text, the key not shown",
		parameters: { ...SEND, phones: GOOD },
		message: /^Tencent Cloud SMS error AuthFailure\.SignatureFailure: The signature is wrong/,
	}),
	kit.triggerReceivesPushes({
		name: 'trigger: the status callback (one JSON array) and the reply callback of a send become executions',
		kinds: ['delivery', 'reply'],
		send: { ...SEND, phones: `${GOOD},${UNDELIVERED}` },
		// One status callback with both reports, and the reply of the delivered number.
		executions: 2,
		pushes: { count: 2, answer: OK, contentType: 'application/json' },
		verify(h, { sent, items }) {
			assert.equal(items.length, 3, JSON.stringify(items));
			const ids = Object.fromEntries(sent.output[0].recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
			const good = items.find((i) => i.event === 'delivery' && i.phone === GOOD);
			const bad = items.find((i) => i.event === 'delivery' && i.phone === UNDELIVERED);
			const reply = items.find((i) => i.event === 'reply');
			assert.ok(good && bad && reply, JSON.stringify(items));
			assert.equal(good.vendor, VENDOR);
			assert.equal(good.messageId, ids[GOOD]);
			assert.equal(good.delivered, true);
			assert.equal(good.status, 'DELIVRD');
			assert.match(good.receivedAt, CHINA_ISO);
			assert.equal(good.raw.sid, ids[GOOD]);
			assert.equal(bad.messageId, ids[UNDELIVERED]);
			assert.equal(bad.delivered, false);
			assert.equal(reply.phone, GOOD);
			assert.equal(reply.content, '收到');
			assert.ok(!('delivered' in reply), 'a reply has no delivered');
		},
	}),
	kit.triggerSecretToken({
		records: [{ phone: GOOD, serialNo: '5000:4711', status: 'SUCCESS' }],
		verify(items) {
			assert.equal(items[0].messageId, '5000:4711');
		},
	}),
	kit.triggerEventsFilter({
		name: 'trigger: events filter (replies only) still answers {"result":0} to a status callback but starts nothing for it',
		ignored: { kind: 'delivery', records: [{ phone: GOOD, serialNo: '5000:1' }] },
		kept: { kind: 'reply', records: [{ phone: GOOD, text: 'TD' }] },
		answer: OK,
		verify(items) {
			assert.deepEqual(
				items.map((/** @type {any} */ i) => [i.event, i.content]),
				[['reply', 'TD']],
			);
		},
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: callbacks that are not status reports or replies get 400, and the webhook keeps working',
		bodies: ['[]', '{"mobile":"13800138000"}', 'sid=1&report_status=SUCCESS', '[1,2]', ''],
		valid: [{ phone: GOOD, serialNo: '5000:3' }],
		answer: OK,
	}),
	kit.triggerAnswersAfterRun({
		good: [{ phone: GOOD, serialNo: '5000:5001', status: 'SUCCESS' }],
		failing: [{ phone: GOOD, serialNo: FAIL_ME, status: 'SUCCESS' }],
		answer: { body: OK, contentType: 'application/json' },
	}),
	kit.triggerHostilePushes({ valid: [{ phone: GOOD, serialNo: '5000:5002', status: 'SUCCESS' }], answer: OK }),
	kit.examples({
		name: 'examples: the shipped send and callback workflows import, run, and receive the status reports and the reply',
		send: `${VENDOR}-send-sms.json`,
		verifySend(h, execution) {
			const [call] = kit.sends(h);
			assert.match(bodyOf(call).TemplateParamSet[0], /^\d{6}$/);
			const balance = execution.data.resultData.runData['Get Balance'][0].data.main[0][0].json;
			assert.equal(balance.unit, 'messages');
		},
		trigger: {
			file: `${VENDOR}-delivery-reports.json`,
			kinds: ['delivery', 'reply'],
			// One status callback with both reports (delivered, not), and the reply of the delivered number.
			executions: 2,
			routed: { Delivered: 1, 'Not delivered': 1, 'Reply received': 1 },
		},
	}),
	kit.faultBattery({
		parameters: { ...SEND, phones: GOOD },
		sendOperation: 'send',
		secrets: [ACCOUNT.secretKey],
		many: { parameters: { ...SEND, phones: '={{ $json.phones }}', templateParams: { value: [{ value: '={{ $json.code }}' }, { value: '5' }] } }, items: manyItems() },
	}),
	{
		name: 'failover example: Tencent Cloud out of packages, the code goes out exactly once, through Alibaba Cloud, as the Not Sent output routes it',
		async run(h, ctx) {
			const credentials = { ...ctx.credentials, ...(await h.simulatorCredential('aliyunSms', 'Alibaba Cloud SMS (failover check)')) };
			const { workflow } = prepareExample(loadExample('failover-tencent-cloud-aliyun.json'), { credentials });
			const created = await h.api.createWorkflow(workflow);
			const start = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
			/** @param {string} vendor */
			const sendsTo = (vendor) => h.simRequests(vendor).filter((/** @type {any} */ c) => c.operation === (vendor === VENDOR ? 'send' : 'sendSms'));
			const routed = async () => {
				const executionId = await h.api.runWorkflow(created.id, start.name);
				const execution = await h.api.waitForExecution(executionId, 45000);
				assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error));
				const runData = execution.data.resultData.runData;
				/** @param {string} node */
				const items = (node) => (runData[node] ? runData[node][0].data.main[0].length : 0);
				return { tencent: items('Sent by Tencent Cloud'), aliyun: items('Sent by Alibaba Cloud'), nobody: items('Nobody could send'), runData };
			};

			h.sim.reset();
			let got = await routed();
			assert.deepEqual([sendsTo(VENDOR).length, sendsTo('aliyunSms').length], [1, 0]);
			assert.equal(got.runData['Tencent Cloud SMS'][0].data.main[0][0].json.success, true);

			h.sim.reset();
			h.sim.configure({ [VENDOR]: { balance: 0 } });
			got = await routed();
			assert.deepEqual([sendsTo(VENDOR).length, sendsTo('aliyunSms').length], [1, 1]);
			const last = got.runData['Alibaba Cloud SMS'][0].data.main[0][0].json;
			assert.equal(last.success, true, JSON.stringify(last));
			assert.equal(got.nobody, 0);
		},
	},
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, kit.triggerType],
	setup,
	checks,
};
