// @ts-check
'use strict';
// Veesing / 10658 (中昱维信) in a real n8n: the credential test, both operations of the action node,
// bad input, Continue On Fail, vendor errors (a wrong key, the one-code-a-minute rule), and the trigger
// receiving the simulator's form pushes (receipts and replies, one URL) at its production URL.

const assert = require('node:assert/strict');
const { ACCOUNTS } = require('../../../simulator');
const { vendorKit, assertSucceeded, runExampleWorkflow, CHINA_ISO, FAIL_ME, GBK_BYTES } = require('../checks');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'veesing';
const ACCOUNT = ACCOUNTS.veesing;
const WRONG_KEY = 'not-the-key-4711';
const START_BALANCE = 1000; // simulator/vendors/veesing.js
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNDELIVERED = '13800000000'; // the simulator's receipt says status 0 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits
const SEND = { operation: 'send', templateId: '540', code: '1234' };

const kit = vendorKit({ vendor: VENDOR, credentialType: 'veesingApi', wrongSecret: WRONG_KEY, sendOperations: ['send'] });

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await h.simulatorCredential(VENDOR, 'Veesing (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, 'Veesing (wrong key)', { appKey: WRONG_KEY }),
	};
}

/** @param {any} call the simulator's record: the form fields as they came, in order */
function formOf(call) {
	return [...new URLSearchParams(call.body)];
}

/** Eight items, each its own vendor call, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(n + 1).padStart(4, '0')}`, n: 1000 + n }));

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button) passes with the right key, fails with the vendor's message for a wrong one",
		wrongMessage: /账号或密码错误/,
		calls: {
			operation: 'getBalance',
			count: 2,
			each(call) {
				assert.deepEqual(call.query, {}, 'the key travelled in the URL');
				assert.equal(call.params.appId, ACCOUNT.appId);
			},
		},
	}),
	{
		name: 'send: a code to two numbers (+86, new line) is two vendor calls with the documented form; raw is their array',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
			assertSucceeded(run);
			assert.equal(run.output.length, 1);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'send');
			assert.equal(out.success, true);
			const calls = kit.sends(h);
			assert.equal(calls.length, 2, `the simulator got ${calls.length} send calls`);
			const taskOf = Object.fromEntries(calls.map((c) => [c.params.phone, JSON.parse(c.response.body).taskId]));
			assert.deepEqual(
				out.recipients.map((/** @type {any} */ r) => [r.phone, r.accepted, r.status, r.messageId]),
				[
					[GOOD, true, '1', taskOf[GOOD]],
					[GOOD2, true, '1', taskOf[GOOD2]],
				],
			);
			assert.equal(out.messageId, `${taskOf[GOOD]},${taskOf[GOOD2]}`);
			assert.equal(out.balance, START_BALANCE - 2);
			assert.ok(Array.isArray(out.raw) && out.raw.length === 2, `raw: ${JSON.stringify(out.raw)}`);
			assert.equal(out.raw[0].returnStatus, '1 ');
			for (const call of calls) {
				assert.equal(call.method, 'POST');
				assert.equal(call.path, '/smsApi/verifyCode');
				assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded; charset=utf-8');
				assert.deepEqual(call.query, {}, 'the key travelled in the URL');
				assert.deepEqual(formOf(call), [
					['phone', call.params.phone],
					['templateId', '540'],
					['variables', '1234'],
					['appId', ACCOUNT.appId],
					['appKey', ACCOUNT.appKey],
				]);
			}
		},
	},
	{
		name: 'send: 20 numbers over 2 items fan out to 20 calls; each item keeps its numbers in order',
		async run(h, ctx) {
			h.sim.reset();
			const phones = Array.from({ length: 20 }, (_, i) => `137${String(i).padStart(8, '0')}`);
			const items = [{ phones: phones.slice(0, 15).join(',') }, { phones: phones.slice(15).join(';') }];
			const run = await kit.run(h, ctx, { ...SEND, phones: '={{ $json.phones }}', options: { concurrency: 5 } }, { items });
			assertSucceeded(run);
			assert.equal(kit.sends(h).length, 20);
			assert.deepEqual(kit.sends(h).map((c) => c.params.phone).sort(), phones);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [phones.slice(0, 15), phones.slice(15)]);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.raw.length), [15, 5]);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true));
		},
	},
	{
		name: 'getBalance: remainPoint as a number of messages, after the sends the simulator counted',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await kit.run(h, ctx, { ...SEND, phones: GOOD }));
			const run = await kit.run(h, ctx, { operation: 'getBalance' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.deepEqual(
				{ vendor: out.vendor, operation: out.operation, balance: out.balance, unit: out.unit },
				{ vendor: VENDOR, operation: 'getBalance', balance: START_BALANCE - 1, unit: 'messages' },
			);
			assert.equal(out.raw.remainPoint, String(START_BALANCE - 1));
			const call = h.simRequests(VENDOR).find((r) => r.operation === 'getBalance');
			assert.ok(call, 'no getBalance call');
			assert.equal(call.path, '/smsApi/verifyCode/getBalance');
			assert.deepEqual(call.query, {});
			assert.deepEqual(formOf(call), [['appId', ACCOUNT.appId], ['appKey', ACCOUNT.appKey]]);
		},
	},
	kit.badInput({
		name: 'bad input: a 1-digit code fails the node with an error naming it and the rule, and nothing is sent',
		parameters: { ...SEND, phones: GOOD, code: '7' },
		error: 'Code 7 on item 0 has 1 digit; Veesing sends codes of 2 to 8 digits',
	}),
	kit.badInput({
		name: `bad input: phone ${INVALID} on the second item fails before the first is sent`,
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }],
		error: new RegExp(`^Phone ${INVALID} on item 1`),
	}),
	kit.continueRegularOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}', code: '={{ $json.code }}' },
		items: [{ phone: GOOD, code: '1234' }, { phone: GOOD2, code: '123456789' }, { phone: UNDELIVERED, code: '5678' }],
		error: 'Code 123456789 on item 1 has 9 digits; Veesing sends codes of 2 to 8 digits',
		sent: (h) => kit.sends(h).map((c) => c.params.phone).sort(),
		expectSent: [GOOD, UNDELIVERED].sort(),
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: "vendor error: a wrong App Key fails in English with the vendor's code and text, the key not shown",
		parameters: { ...SEND, phones: GOOD },
		message: 'Veesing error 0: The App ID or App Key is wrong (账号或密码错误)',
	}),
	{
		name: 'vendor rule: the same number again within a minute fails with the vendor message, mapped to English',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await kit.run(h, ctx, { ...SEND, phones: GOOD }));
			const run = await kit.run(h, ctx, { ...SEND, phones: GOOD, code: '5678' });
			assert.equal(run.status, 'error');
			assert.match(String(run.error.message), /^Veesing error 0: This number already got a code less than a minute ago.*\(相同手机号码一分钟之内只可发送一次\)$/);
			assert.match(String(run.error.description), /Wait a minute/);
		},
	},
	kit.triggerReceivesPushes({
		name: 'trigger: the receipts and the reply of a send, pushed as forms to the production URL, become executions',
		kinds: ['delivery', 'reply'],
		send: { ...SEND, phones: `${GOOD},${UNDELIVERED}` },
		// One record per push: two receipts and the reply of the delivered number.
		executions: 3,
		pushes: { count: 3, answer: 'ok', contentType: 'application/x-www-form-urlencoded;charset=utf-8' },
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
			assert.equal(good.status, '1');
			assert.equal(good.statusText, 'Delivered');
			assert.match(good.receivedAt, CHINA_ISO);
			assert.equal(good.raw.taskid, ids[GOOD]);
			assert.equal(bad.messageId, ids[UNDELIVERED]);
			assert.equal(bad.delivered, false);
			assert.equal(bad.status, '0');
			assert.equal(reply.phone, GOOD);
			assert.equal(reply.messageId, ids[GOOD]);
			assert.equal(reply.content, '收到');
			assert.ok(!('delivered' in reply), 'a reply has no delivered');
		},
	}),
	kit.triggerSecretToken({
		records: [{ phone: GOOD, taskId: '4711', status: '1' }],
		verify(items) {
			assert.equal(items[0].messageId, '4711');
		},
	}),
	kit.triggerEventsFilter({
		name: 'trigger: events filter (replies only) still answers ok to a receipt but starts nothing for it',
		ignored: { kind: 'delivery', records: [{ phone: GOOD, taskId: '1' }] },
		kept: { kind: 'reply', records: [{ phone: GOOD, taskId: '1', content: 'TD' }] },
		answer: 'ok',
		verify(items) {
			assert.deepEqual(
				items.map((/** @type {any} */ i) => [i.event, i.content]),
				[['reply', 'TD']],
			);
		},
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: pushes that are not a receipt or reply form get 400, and the webhook keeps working',
		bodies: ['{"mobile":"13800138000","status":"1"}', 'taskid=1&status=1', `mobile=${GOOD}&taskid=1`, ''],
		valid: [{ phone: GOOD, taskId: '3' }],
		answer: 'ok',
	}),
	kit.triggerAnswersAfterRun({
		good: [{ phone: GOOD, taskId: '5001', status: '1' }],
		failing: [{ phone: GOOD, taskId: FAIL_ME, status: '1' }],
		answer: { body: 'ok', contentType: 'text/plain; charset=utf-8' },
	}),
	kit.triggerHostilePushes({ valid: [{ phone: GOOD, taskId: '5002', status: '1' }], answer: 'ok' }),
	kit.triggerDecodesCharset({
		pushes: ['GBK', 'gb18030'].map((charset) => ({
			what: `a reply form in ${charset}, said in the Content-Type`,
			body: Buffer.from(`mobile=${GOOD}&taskid=5003&content=${[...GBK_BYTES].map((b) => `%${b.toString(16)}`).join('')}`),
			contentType: `application/x-www-form-urlencoded; charset=${charset}`,
		})),
		answer: 'ok',
	}),
	kit.examples({
		name: 'examples: the shipped send and trigger workflows import, run, and receive the receipts and the reply',
		send: `${VENDOR}-send-code.json`,
		verifySend(h, execution) {
			const codes = kit.sends(h).map((c) => c.params.variables);
			assert.equal(codes.length, 2);
			assert.ok(codes.every((code) => /^\d{6}$/.test(code)), `codes sent: ${codes}`);
			const balance = execution.data.resultData.runData['Get Balance'][0].data.main[0][0].json;
			assert.equal(balance.balance, START_BALANCE - 2);
		},
		trigger: {
			file: `${VENDOR}-receipts-and-replies.json`,
			kinds: ['delivery', 'reply'],
			// Two receipts (one delivered, one not) and the reply of the delivered number.
			executions: 3,
			routed: { Delivered: 1, 'Not delivered': 1, 'Reply received': 1 },
		},
	}),
	kit.faultBattery({
		parameters: { ...SEND, phones: GOOD },
		sendOperation: 'send',
		secrets: [ACCOUNT.appKey],
		many: { parameters: { ...SEND, phones: '={{ $json.phones }}' }, items: manyItems() },
	}),
	{
		name: 'failover example: Veesing out of balance, then 1oc too: the code goes out exactly once, through the next vendor, as its Not Sent output routes it',
		async run(h, ctx) {
			const credentials = {
				...ctx.credentials,
				...(await h.simulatorCredential('sms1oc', '1oc (failover check)')),
				...(await h.simulatorCredential('zhuanxinyun', 'Zhuanxinyun (failover check)')),
			};
			const { workflow } = prepareExample(loadExample('failover-verification-code.json'), { credentials });
			const created = await h.api.createWorkflow(workflow);
			const start = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
			/** @param {string} vendor */
			const sendsTo = (vendor) => h.simRequests(vendor).filter((/** @type {any} */ c) => c.operation === (vendor === 'zhuanxinyun' ? 'sendSms' : 'send'));
			const routed = async () => {
				const executionId = await h.api.runWorkflow(created.id, start.name);
				const execution = await h.api.waitForExecution(executionId, 45000);
				assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error));
				const runData = execution.data.resultData.runData;
				/** @param {string} node */
				const items = (node) => (runData[node] ? runData[node][0].data.main[0].length : 0);
				return { veesing: items('Sent by Veesing'), sms1oc: items('Sent by 1oc'), zhuanxinyun: items('Sent by Zhuanxinyun'), nobody: items('Nobody could send'), runData };
			};

			h.sim.reset();
			h.sim.configure({ veesing: { balance: 0 } });
			let got = await routed();
			assert.deepEqual([sendsTo('veesing').length, sendsTo('sms1oc').length, sendsTo('zhuanxinyun').length], [1, 1, 0]);
			assert.equal(JSON.parse(sendsTo('sms1oc')[0].response.body).code, 200);
			assert.equal(got.runData['1oc'][0].data.main[0][0].json.success, true);
			assert.equal(got.zhuanxinyun, 0);

			h.sim.reset();
			h.sim.configure({ veesing: { balance: 0 }, sms1oc: { balance: 0 } });
			got = await routed();
			assert.deepEqual([sendsTo('veesing').length, sendsTo('sms1oc').length, sendsTo('zhuanxinyun').length], [1, 1, 1]);
			const last = got.runData['Zhuanxinyun'][0].data.main[0][0].json;
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
