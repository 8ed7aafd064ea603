// @ts-check
'use strict';
// Chonry (创瑞云 / 1cloudsp) international SMS in a real n8n: both operations of the action node (bulk and
// personalized sends, the double encoding on the wire, the balance), bad input, Continue On Fail, vendor
// errors, and the trigger receiving the simulator's form pushes (and JSON) at its production URL.

const assert = require('node:assert/strict');
const { ACCOUNTS } = require('../../../simulator');
const { vendorKit, assertSucceeded, CHINA_ISO, TRIGGER_TIMEOUT_MS, FAIL_ME, GBK_BYTES } = require('../checks');

const VENDOR = 'chonry';
const ACCOUNT = ACCOUNTS.chonry;
const WRONG_SECRET = 'not-the-secret-4711';
const SUCCESS = '{"code":"0","msg":"SUCCESS"}';
const FORM = 'application/x-www-form-urlencoded';
const GOOD = '8613800138000'; // comes out as 13800138000
const UK = '447911123456';
const REJECTED = '8613900000000'; // the simulator reports REJECT for numbers ending in 0000
const PRICE = 0.05; // CNY per message in the simulator
const SEND = { operation: 'send', templateId: '200', variables: ['1', '2'] };

const kit = vendorKit({ vendor: VENDOR, credentialType: 'chonryApi', wrongSecret: WRONG_SECRET, sendOperations: ['send'] });

/** Java's URLEncoder.encode(s, "UTF-8"), which the vendor sample applies to content and data. @param {string} s */
const javaEncode = (s) =>
	encodeURIComponent(s)
		.replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');

/** @param {import('../harness').Harness} h */
async function setup(h) {
	// The international SMS has its own base URL (intlBaseUrl); the account call goes to the other one: both at the simulator.
	return {
		credentials: await h.simulatorCredential(VENDOR, 'Chonry (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, 'Chonry (wrong secret)', { secret: WRONG_SECRET }),
	};
}

/** Eight items, each its own vendor call, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(n + 1).padStart(4, '0')}`, n: 1000 + n }));

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button) passes with the right secret, fails with the vendor's code 9006 for a wrong one",
		wrongMessage: /9006/,
		calls: {
			operation: 'queryAccount',
			count: 2,
			each: (call) => assert.ok(call.path === '/query/account' && !call.query.secret, 'the account call or its secret went elsewhere'),
		},
	}),
	{
		name: 'send: the same variables to two numbers is one mobile + content call on the international URL, pre-encoded as the vendor sample does',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { operation: 'send', phones: `+${GOOD}\n00${UK}`, templateId: '200', sign: '123', variables: ['A+B 100%', '5'] });
			assertSucceeded(run);
			const calls = kit.sends(h);
			assert.equal(calls.length, 1, `the simulator got ${calls.length} send calls`);
			const call = calls[0];
			assert.equal(call.method, 'POST');
			assert.equal(call.path, '/intl/api/v2/send');
			assert.deepEqual(call.query, {}, 'something travelled in the URL');
			assert.equal(
				call.body,
				`templateId=200&sign=123&mobile=${GOOD}%2C${UK}&content=A%252BB%2B100%2525%2523%25235&accesskey=${ACCOUNT.accessKey}&secret=${ACCOUNT.secret}`,
			);
			assert.equal(call.params.content, javaEncode('A+B 100%##5'));
			assert.deepEqual(call.detail.messages.map((/** @type {any} */ m) => m.text), [
				'Your verification code is A+B 100%, valid for 5 minutes.',
				'Your verification code is A+B 100%, valid for 5 minutes.',
			]);
			const out = run.output[0];
			assert.equal(run.output.length, 1);
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'send');
			assert.equal(out.success, true);
			assert.equal(out.messageId, call.detail.batchId);
			assert.deepEqual(out.recipients, [
				{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '0', batchId: call.detail.batchId },
				{ phone: UK, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '0', batchId: call.detail.batchId },
			]);
			assert.deepEqual(out.raw, { code: '0', msg: 'SUCCESS', batchId: call.detail.batchId });
		},
	},
	{
		name: 'send: three items with their own variables are one personalized call through data',
		async run(h, ctx) {
			h.sim.reset();
			const items = [
				{ phone: `+${GOOD}`, name: '先生', at: '9:40', by: '快递公司', no: '1234567' },
				{ phone: '8613700000001', name: '女士', at: '10:10', by: 'A&B + Co.', no: '000000' },
				{ phone: `+${UK}`, name: 'Ms. Smith', at: '11:00', by: 'DHL', no: '42' },
			];
			const run = await kit.run(
				h,
				ctx,
				{ operation: 'send', phones: '={{ $json.phone }}', templateId: '100', variables: ['={{ $json.name }}', '={{ $json.at }}', '={{ $json.by }}', '={{ $json.no }}'] },
				{ items },
			);
			assertSucceeded(run);
			const calls = kit.sends(h);
			assert.equal(calls.length, 1, `the simulator got ${calls.length} send calls`);
			const json = `{"${GOOD}":"先生##9:40##快递公司##1234567","8613700000001":"女士##10:10##A&B + Co.##000000","${UK}":"Ms. Smith##11:00##DHL##42"}`;
			assert.equal(calls[0].params.data, javaEncode(json));
			assert.equal(calls[0].params.mobile, undefined);
			assert.equal(calls[0].detail.mode, 'personalized');
			assert.equal(calls[0].detail.messages[1].text, '女士您好,您的订单于10:10已通过A&B + Co.发货,运单号000000');
			assert.deepEqual(run.output.map((/** @type {any} */ o) => [o.success, o.recipients[0].phone, o.messageId]), [
				[true, '13800138000', calls[0].detail.batchId],
				[true, '13700000001', calls[0].detail.batchId],
				[true, UK, calls[0].detail.batchId],
			]);
		},
	},
	{
		name: 'send: schedule time (China time) and sender ID reach the vendor',
		async run(h, ctx) {
			h.sim.reset();
			const at = new Date(Date.now() + 2 * 3600e3 + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
			const run = await kit.run(h, ctx, { ...SEND, phones: GOOD, options: { scheduleSendTime: at, senderId: 'SimShop' } });
			assertSucceeded(run);
			assert.equal(kit.sends(h)[0].params.scheduleSendTime, at);
			assert.equal(kit.sends(h)[0].params.senderId, 'SimShop');
		},
	},
	{
		name: 'getBalance: the international SMS figure (CNY) from the account call, every product kept in raw',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await kit.run(h, ctx, { ...SEND, phones: `${GOOD},${UK}` }));
			const run = await kit.run(h, ctx, { operation: 'getBalance' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'getBalance');
			assert.equal(out.unit, 'CNY');
			assert.equal(out.balance, Math.round((5000 - 2 * PRICE) * 100) / 100);
			assert.equal(out.raw.code, '0');
			assert.equal(out.raw.data['国际短信'], '4999.90');
			assert.equal(out.raw.data['语音通知'], '98.00');
			const call = h.simRequests(VENDOR).find((r) => r.operation === 'queryAccount');
			assert.ok(call, 'no account call');
			assert.equal(call.path, '/query/account');
		},
	},
	kit.badInput({
		name: 'bad input: a variable with ## fails the node with an error naming it, and nothing is sent',
		parameters: { ...SEND, phones: GOOD, variables: ['12##34', '5'] },
		error: /Variable 1 on item 0 \("12##34"\) contains ##/,
	}),
	kit.badInput({
		name: 'bad input: a number that cannot be international fails before sending',
		parameters: { ...SEND, phones: `${GOOD}, 12345` },
		error: /Phone 12345 on item 0 is not an international number/,
	}),
	kit.continueRegularOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: '12345' }, { phone: UK }],
		error: /12345/,
		// The two good items still make one call.
		sent: (h) => kit.sends(h).map((c) => c.params.mobile),
		expectSent: [`${GOOD},${UK}`],
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: GOOD, variables: ['={{ $json.code }}', '5'] },
		items: [{ code: 'x$$y' }, { code: '7' }],
		error: /contains \$\$/,
		good: (out) => assert.equal(out.success, true),
	}),
	kit.wrongSecretFails({
		name: "vendor error: a wrong secret fails with the vendor's code 9006, the secret not shown",
		parameters: { ...SEND, phones: GOOD },
		message: 'Chonry error 9006: The Access Key or Secret is wrong (用户accessKey不正确)',
	}),
	{
		name: 'vendor error: variables that do not fit the template fail with 10006',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { operation: 'send', phones: GOOD, templateId: '100', variables: ['only one'] });
			assert.equal(run.status, 'error');
			assert.equal(run.error.message, 'Chonry error 10006: The variables do not match the template (模版和内容不匹配)');
		},
	},
	kit.triggerReceivesPushes({
		name: 'trigger: form delivery reports and a reply pushed after a send become executions with normalized items',
		kinds: ['delivery', 'reply'],
		send: { ...SEND, phones: `${GOOD},${REJECTED}` },
		executions: 3,
		pushes: { count: 3, answer: SUCCESS, contentType: `${FORM};charset=utf-8` },
		verify(h, { sent, items }) {
			const delivery = items.filter((i) => i.event === 'delivery');
			const replies = items.filter((i) => i.event === 'reply');
			assert.equal(delivery.length, 2, JSON.stringify(items));
			assert.equal(replies.length, 1, JSON.stringify(items));

			const messages = kit.sends(h)[0].detail.messages;
			const good = delivery.find((i) => i.phone === '13800138000');
			const bad = delivery.find((i) => i.phone === '13900000000');
			assert.ok(good && bad, JSON.stringify(delivery));
			assert.equal(good.vendor, VENDOR);
			assert.equal(good.delivered, true);
			assert.equal(good.status, 'DELIVRD');
			assert.equal(good.messageId, messages[0].smUuid);
			assert.equal(good.batchId, sent.output[0].messageId);
			assert.match(good.receivedAt, CHINA_ISO);
			assert.equal(good.raw.mobile, GOOD);
			assert.equal(bad.delivered, false);
			assert.equal(bad.status, 'REJECT');
			assert.equal(bad.messageId, messages[1].smUuid);
			assert.equal(replies[0].phone, '13800138000');
			assert.equal(replies[0].content, '收到, thanks');
		},
	}),
	{
		name: 'trigger: a JSON array push (the fallback format) is one execution with one item per record, answered as JSON',
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			await kit.withTrigger(h, {}, async (trigger) => {
				const raw = JSON.stringify([
					{ smUuid: 'u1', mobile: GOOD, batchId: 'b1', deliverResult: 'DELIVRD', deliverTime: '2019-12-10 17:27:16' },
					{ mobile: `+${UK}`, content: 'STOP', receiveTime: '2019-12-10 17:30:00', extNo: '' },
				]);
				const answer = await kit.push(h, trigger.url, 'delivery', { raw, contentType: 'application/json' });
				assert.deepEqual(answer, { status: 200, body: SUCCESS });
				const [execution] = await h.waitForExecutions(trigger.workflowId, 1);
				const items = h.triggerItems(execution);
				assert.deepEqual(items.map((/** @type {any} */ i) => [i.event, i.phone, i.messageId]), [
					['delivery', '13800138000', 'u1'],
					['reply', UK, undefined],
				]);
				assert.equal(items[0].receivedAt, '2019-12-10T17:27:16+08:00');
				// Chonry expects its JSON success answer whatever it pushed: a form push gets JSON back too.
				const res = await fetch(trigger.url, {
					method: 'POST',
					headers: { 'Content-Type': `${FORM};charset=utf-8` },
					body: `smUuid=u2&mobile=${GOOD}&batchId=b2&deliverResult=DELIVRD&deliverTime=2019-12-10+17%3A27%3A16`,
				});
				assert.equal(res.status, 200);
				assert.match(String(res.headers.get('content-type')), /^application\/json/);
				assert.equal(await res.text(), SUCCESS);
			});
		},
	},
	kit.triggerSecretToken({
		answer: '{"code":"0","msg":"OK-FROM-N8N"}',
		records: [{ phone: GOOD, smUuid: 'm1', batchId: 'b1' }],
		verify(items) {
			assert.equal(items[0].messageId, 'm1');
			assert.equal(items[0].batchId, 'b1');
		},
	}),
	kit.triggerEventsFilter({
		name: 'trigger: events filter (delivery only) still answers a reply with success but starts nothing',
		ignored: { kind: 'reply', records: [{ phone: GOOD, content: 'TD' }] },
		kept: { kind: 'delivery', records: [{ phone: GOOD, smUuid: 'm2' }] },
		answer: SUCCESS,
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: malformed pushes get 400, and the webhook keeps working after them',
		bodies: [
			{ raw: '<xml><mobile>1</mobile></xml>', contentType: 'text/xml' },
			{ raw: '', contentType: FORM },
			{ raw: 'smUuid=u1&mobile=8613800138000', contentType: FORM },
			{ raw: '{"smUuid":', contentType: 'application/json' },
		],
		valid: [{ phone: GOOD, smUuid: 'm3' }],
		answer: SUCCESS,
	}),
	kit.triggerAnswersAfterRun({
		good: [{ phone: GOOD, smUuid: 'u-ok', batchId: 'b1' }],
		failing: [{ phone: GOOD, smUuid: FAIL_ME, batchId: 'b1' }],
		answer: { body: SUCCESS, contentType: 'application/json; charset=utf-8' },
	}),
	kit.triggerHostilePushes({ valid: [{ phone: GOOD, smUuid: 'u-after-hostile', batchId: 'b1' }], answer: SUCCESS }),
	kit.triggerDecodesCharset({
		pushes: [
			{
				what: 'a reply form in GBK, said in the Content-Type',
				body: Buffer.concat([Buffer.from(`mobile=${GOOD}&content=`), GBK_BYTES, Buffer.from('&receiveTime=2024-05-06+07%3A08%3A09')]),
				contentType: 'application/x-www-form-urlencoded; charset=GBK',
			},
		],
		answer: SUCCESS,
	}),
	kit.examples({
		name: 'examples: the shipped send and trigger workflows import, run, and receive the delivery reports',
		send: `${VENDOR}-send-sms.json`,
		verifySend(h, execution) {
			const runData = execution.data.resultData.runData;
			const balance = runData['Get Balance'][0].data.main[0][0].json;
			assert.equal(balance.unit, 'CNY');
			const personalized = runData['Send personalized SMS'][0].data.main[0].map((/** @type {any} */ i) => i.json);
			assert.equal(personalized.length, 2);
			assert.ok(personalized.every((/** @type {any} */ o) => o.success === true), JSON.stringify(personalized));
			assert.deepEqual(kit.sends(h).map((c) => c.detail.mode).sort(), ['bulk', 'personalized']);
		},
		trigger: {
			file: `${VENDOR}-delivery-reports.json`,
			kinds: ['delivery', 'reply'],
			// Send SMS: 2 numbers (one REJECT); personalized: 2 numbers. Four reports, two replies.
			executions: 6,
			routed: { Delivered: 3, 'Not delivered': 1, 'Reply received': 2 },
		},
	}),
	kit.faultBattery({
		parameters: { ...SEND, phones: GOOD },
		sendOperation: 'send',
		secrets: [ACCOUNT.secret],
		many: { parameters: { ...SEND, phones: '={{ $json.phones }}', options: { senderId: '=Shop{{ $json.n }}' } }, items: manyItems() },
	}),
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, kit.triggerType],
	setup,
	checks,
};
