// @ts-check
'use strict';
// 1oc SMS (sms.1oc.cn) in a real n8n: the credential test, the send operation (one GET per number,
// the raw secret as Authorization), bad input, Continue On Fail, vendor errors, and the trigger
// receiving the simulator's JSON delivery reports at its production URL.

const assert = require('node:assert/strict');
const { ACCOUNTS } = require('../../../simulator');
const { vendorKit, assertSucceeded, FAIL_ME } = require('../checks');

const VENDOR = 'sms1oc';
const SECRET = ACCOUNTS.sms1oc.appSecret;
const WRONG_SECRET = 'not-the-1oc-secret-4711';
const TEMPLATE = 'SMS_0001'; // a simulator template: 【1oc测试】您的验证码是{code}，5分钟内有效。
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const BLACKLISTED = '13800000000'; // the simulator reports MA:0001 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits

const kit = vendorKit({ vendor: VENDOR, credentialType: 'sms1ocApi', wrongSecret: WRONG_SECRET, sendOperations: ['send'] });

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await h.simulatorCredential(VENDOR, '1oc (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, '1oc (wrong secret)', { appSecret: WRONG_SECRET }),
		unreachableCredentials: await h.simulatorCredential(VENDOR, '1oc (nothing listens)', { baseUrl: 'http://127.0.0.1:9' }),
	};
}

/** @param {Record<string, any>} [more] */
const sendParameters = (more = {}) => ({ operation: 'send', phones: GOOD, template: TEMPLATE, code: '123456', ...more });

/** Eight items, each its own vendor call, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(n + 1).padStart(4, '0')}`, n: 1000 + n }));

/** @type {import('../harness').Check[]} */
const checks = [
	// Not kit.credentialTest: 1oc has no call that checks the secret without sending, so a wrong one passes.
	{
		name: "credential test: checks the base URL without sending anything, and the form says what it cannot check",
		async run(h, ctx) {
			h.sim.reset();
			const good = await h.api.testCredential(ctx.credentials.sms1ocApi.id);
			assert.equal(good.status, 'OK', `test of the good credential: ${JSON.stringify(good)}`);
			const calls = h.simRequests(VENDOR);
			assert.ok(calls.length >= 1, 'the test did not reach the simulator');
			for (const call of calls) {
				assert.equal(call.operation, 'home', `the test made a ${call.operation} call: ${JSON.stringify(call.query)}`);
				assert.equal(call.method, 'GET');
				assert.equal(call.path, '/');
				assert.equal(call.headers.authorization, SECRET);
			}
			assert.equal(kit.sends(h).length, 0, 'the credential test sent an SMS');
			// A wrong secret cannot be told apart without a send: the test passes, as its notice says.
			const wrong = await h.api.testCredential(ctx.wrongCredentials.sms1ocApi.id);
			assert.equal(wrong.status, 'OK', JSON.stringify(wrong));
			const unreachable = await h.api.testCredential(ctx.unreachableCredentials.sms1ocApi.id);
			assert.equal(unreachable.status, 'Error', `test of an unreachable base URL: ${JSON.stringify(unreachable)}`);
			assert.equal(kit.sends(h).length, 0);

			const type = (await h.api.credentialTypes()).find((t) => t.name === 'sms1ocApi');
			assert.ok(type, 'sms1ocApi is not loaded');
			const notice = (/** @type {any} */ (type).properties || []).find((/** @type {any} */ p) => p.type === 'notice');
			assert.ok(notice, 'the credential has no notice');
			assert.match(notice.displayName, /cannot check the App Secret without sending an SMS/);
		},
	},
	{
		name: 'send: two numbers (with +86 and a new line) are two GET calls with the raw secret as Authorization',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, sendParameters({ phones: `+86${GOOD}\n${GOOD2}`, options: { concurrency: 1 } }));
			assertSucceeded(run);
			assert.equal(run.output.length, 1);
			const calls = kit.sends(h);
			assert.equal(calls.length, 2, `the simulator got ${calls.length} send calls`);
			const mids = calls.map((c) => JSON.parse(c.response.body).mid);
			assert.deepEqual(
				calls.map((c) => [c.method, c.path, c.query, c.headers.authorization]),
				[GOOD, GOOD2].map((phone) => [
					'GET',
					'/',
					{ module: 'sms', file: 'send', action: 'send', mobphone: phone, code: '123456', smstemplate: TEMPLATE },
					SECRET,
				]),
			);
			assert.deepEqual(run.output[0], {
				vendor: VENDOR,
				operation: 'send',
				success: true,
				recipients: [
					{ phone: GOOD, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: mids[0], status: '200' },
					{ phone: GOOD2, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: mids[1], status: '200' },
				],
				messageId: `${mids[0]},${mids[1]}`,
				raw: mids.map((mid) => ({ code: 200, msg: 'ok', mid })),
			});
		},
	},
	{
		name: 'send: a Chinese template name and code reach 1oc intact',
		async run(h, ctx) {
			h.sim.reset();
			const code = '张三 & 李四+1';
			const run = await kit.run(h, ctx, sendParameters({ template: '会员通知', code }));
			assertSucceeded(run);
			const [call] = kit.sends(h);
			assert.equal(call.query.smstemplate, '会员通知');
			assert.equal(call.query.code, code);
			assert.equal(call.detail.message.content, `【1oc测试】尊敬的${code}，您的会员已开通。`);
			assert.equal(run.output[0].success, true);
		},
	},
	{
		name: 'send: three items from an expression each get their own output item and messageId, in order',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD, code: '1111' }, { phone: GOOD2, code: '2222' }, { phone: `86${BLACKLISTED}`, code: '3333' }];
			const run = await kit.run(h, ctx, sendParameters({ phones: '={{ $json.phone }}', code: '={{ $json.code }}' }), { items });
			assertSucceeded(run);
			const byPhone = Object.fromEntries(kit.sends(h).map((c) => [c.query.mobphone, c]));
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [[GOOD], [GOOD2], [BLACKLISTED]]);
			run.output.forEach((/** @type {any} */ out, /** @type {number} */ i) => {
				const call = byPhone[out.recipients[0].phone];
				assert.equal(call.query.code, items[i].code);
				assert.equal(out.messageId, JSON.parse(call.response.body).mid);
				assert.equal(out.raw.length, 1);
			});
		},
	},
	kit.badInput({
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		parameters: sendParameters({ phones: `${GOOD}, ${INVALID}` }),
		error: new RegExp(`\\b${INVALID}\\b.*11 digits`),
	}),
	kit.badInput({
		name: 'bad input: an empty template fails before sending',
		parameters: sendParameters({ template: '={{ "" }}' }),
		error: 'Template is empty on item 0',
	}),
	kit.continueRegularOutput({
		parameters: sendParameters({ phones: '={{ $json.phone }}' }),
		items: [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }],
		error: new RegExp(INVALID),
		sent: (h) => kit.sends(h).map((c) => c.query.mobphone).sort(),
		expectSent: [GOOD, GOOD2],
	}),
	kit.continueErrorOutput({
		parameters: sendParameters({ phones: '={{ $json.phone }}' }),
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: 'vendor error: a wrong App Secret fails with 1oc error 400 (校验失败), the secret not shown',
		parameters: sendParameters(),
		message: '1oc error 400: Verification failed (校验失败)',
		// The secret does travel, as 1oc wants it: raw, in the Authorization header.
		more: (h) => assert.equal(kit.sends(h)[0].headers.authorization, WRONG_SECRET),
	}),
	{
		name: 'vendor error after a first accepted call: the error says what was already sent',
		async run(h, ctx) {
			h.sim.reset();
			h.sim.configure({ [VENDOR]: { balance: 1 } });
			const run = await kit.run(h, ctx, sendParameters({ phones: `${GOOD},${GOOD2}`, options: { concurrency: 1 } }));
			assert.equal(run.status, 'error');
			assert.equal(String(run.error.message), '1oc error 400: The account balance is too low (余额不足)');
			assert.match(String(run.error.description), /1 of 2 vendor calls \(1 numbers\) had been accepted/);
		},
	},
	kit.triggerReceivesPushes({
		name: 'trigger: the delivery reports of a send become executions tied to it by messageId, answered ok',
		// 1oc pushes delivery reports only; replies have no push.
		kinds: ['delivery'],
		send: sendParameters({ phones: `${GOOD},${BLACKLISTED}` }),
		executions: 2,
		pushes: { count: 2, answer: 'ok', body: /^\{"mid":"[0-9A-F]{16}","stat":"[A-Z:0-9]+"\}$/ },
		verify(h, { sent, items }) {
			assert.equal(items.length, 2, JSON.stringify(items));
			const ids = Object.fromEntries(sent.output[0].recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
			const good = items.find((i) => i.messageId === ids[GOOD]);
			const bad = items.find((i) => i.messageId === ids[BLACKLISTED]);
			assert.ok(good && bad, `${JSON.stringify(items)} vs ${JSON.stringify(ids)}`);
			assert.deepEqual(good, {
				vendor: VENDOR,
				event: 'delivery',
				phone: null,
				messageId: ids[GOOD],
				delivered: true,
				status: 'DELIVRD',
				statusText: 'Delivered',
				receivedAt: null,
				raw: { mid: ids[GOOD], stat: 'DELIVRD' },
			});
			assert.equal(bad.delivered, false);
			assert.equal(bad.status, 'MA:0001');
			assert.equal(bad.statusText, 'Not delivered: the number is on the global blacklist');
		},
	}),
	kit.triggerSecretToken({
		token: 'e2e-1oc-token',
		records: [{ mid: 'E2EMID0001', stat: 'MA:0022' }],
		verify(items) {
			assert.equal(items[0].messageId, 'E2EMID0001');
			assert.equal(items[0].delivered, false);
			assert.equal(items[0].statusText, 'Not delivered: the sending limit for this number was reached');
		},
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: malformed pushes get 400 and start nothing, and the webhook keeps working after them',
		bodies: ['{"mid":"M1","stat":', '{"mid":"M1"}', '<xml><mid>M1</mid></xml>', ''],
		valid: [{ mid: 'E2EMID0002', stat: 'MO:0999' }],
		answer: 'ok',
		verify([item]) {
			assert.equal(item.status, 'MO:0999');
			assert.equal(item.delivered, false);
		},
	}),
	kit.triggerAnswersAfterRun({
		good: [{ mid: 'E2EMID0003', stat: 'DELIVRD' }],
		failing: [{ mid: FAIL_ME, stat: 'DELIVRD' }],
		answer: { body: 'ok', contentType: 'text/plain; charset=utf-8' },
	}),
	kit.triggerHostilePushes({ valid: [{ mid: 'E2EMID0004', stat: 'DELIVRD' }], answer: 'ok' }),
	kit.examples({
		name: 'examples: the shipped send and delivery-report workflows import, run, and route the reports',
		send: `${VENDOR}-send-sms.json`,
		verifySend: (h) => assert.equal(kit.sends(h).length, 2),
		trigger: {
			file: `${VENDOR}-delivery-reports.json`,
			kinds: ['delivery'],
			// The example sends to one number that is delivered and one the simulator blacklists.
			executions: 2,
			routed: { Delivered: 1, 'Not delivered': 1 },
		},
	}),
	kit.faultBattery({
		parameters: sendParameters(),
		sendOperation: 'send',
		secrets: [SECRET],
		many: { parameters: sendParameters({ phones: '={{ $json.phones }}' }), items: manyItems() },
	}),
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, kit.triggerType],
	setup,
	checks,
};
