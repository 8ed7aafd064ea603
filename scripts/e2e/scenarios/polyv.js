// @ts-check
'use strict';
// Polyv (保利威) in a real n8n: the credential's Test button, the signed send with per-number results,
// bad input, Continue On Fail, vendor errors (wrong secret, expired timestamp), the node's hints, and
// the shipped example. Polyv pushes nothing, so there is no trigger.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { vendorKit, assertSucceeded } = require('../checks');
const { ACCOUNTS } = require('../../../simulator');

const VENDOR = 'polyv';
const ACCOUNT = ACCOUNTS.polyv;
const WRONG_SECRET = 'not-the-secret-4711';
const PATH = '/live/v4/user/sms/send';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const ALIYUN_FAILS = '13800000000'; // the simulator's Aliyun refuses numbers ending in 0000: status 11
const AT_LIMIT = '13800001111'; // numbers ending in 1111 have had their 10 messages today: status -1
const INVALID = '1768909'; // the document's own invalid number
const CODE = { parameters: [{ name: 'code', value: '123456' }] };
const SEND = { operation: 'send', templateParams: CODE };

// Polyv has one endpoint, the send: every call of the simulator's is one (the credential test's too).
const kit = vendorKit({ vendor: VENDOR, credentialType: 'polyvApi', wrongSecret: WRONG_SECRET });
const calls = kit.sends;

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await h.simulatorCredential(VENDOR, 'Polyv (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, 'Polyv (wrong secret)', { appSecret: WRONG_SECRET }),
		unknownApp: await h.simulatorCredential(VENDOR, 'Polyv (unknown App ID)', { appId: 'nosuchapp1' }),
	};
}

/** @param {any} call @returns {string[]} */
const phonesOf = (call) => JSON.parse(call.body).phoneNumbers;

/** Polyv's signature, computed here independently of the package (docs/vendors/polyv.md#authentication). */
function polyvSign(/** @type {Record<string, string>} */ params, /** @type {string} */ secret) {
	const concat = Object.keys(params).filter((k) => k !== 'sign' && params[k]).sort().map((k) => k + params[k]).join('');
	return crypto.createHash('md5').update(secret + concat + secret).digest('hex').toUpperCase();
}

/** Eight items, each its own vendor call, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(n + 1).padStart(4, '0')}`, n: 1000 + n }));

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button) passes with the right keys, names a wrong secret or App ID, and texts nobody",
		wrongMessage: /invalid signature\./,
		async more(h, ctx) {
			const unknown = await h.api.testCredential(ctx.unknownApp.polyvApi.id);
			assert.equal(unknown.status, 'Error', `unknown App ID: ${JSON.stringify(unknown)}`);
			assert.match(unknown.message, /20001.*App ID/);

			// Polyv has no account call: the test is a send to no numbers, which Polyv refuses.
			const tests = calls(h);
			assert.equal(tests.length, 3, `the simulator saw ${tests.length} calls`);
			for (const call of tests) {
				assert.equal(call.path, PATH);
				assert.equal(call.response.status, 400);
				assert.deepEqual(JSON.parse(call.body).phoneNumbers, []);
				assert.equal(call.detail && call.detail.messages, undefined, 'a message was sent by the credential test');
				assert.ok(!JSON.stringify(call).includes(ACCOUNT.appSecret) && !JSON.stringify(call).includes(WRONG_SECRET), 'a secret travelled');
			}
			assert.equal(JSON.parse(tests[0].response.body).error.desc, 'param should not be empty: phoneNumbers');
		},
	}),
	{
		name: 'the node and the credential show their hints: limits, no template ID, what Test cannot check',
		async run(h) {
			const node = await h.nodeType(VENDOR);
			const notices = (node.properties || []).filter((/** @type {any} */ p) => p.type === 'notice').map((/** @type {any} */ p) => p.displayName).join(' ');
			assert.match(notices, /2,000 messages a day per account and per IP, 10 a day per number/);
			assert.match(notices, /200 numbers per call/);
			assert.match(notices, /no template ID/);
			const credential = (await h.api.credentialTypes()).find((/** @type {any} */ t) => t.name === 'polyvApi');
			assert.ok(credential, 'polyvApi is not loaded');
			const credentialNotice = (/** @type {any} */ (credential).properties || []).find((/** @type {any} */ p) => p.type === 'notice');
			assert.match(String(credentialNotice && credentialNotice.displayName), /no balance or account call/);
		},
	},
	{
		name: 'send: one signed POST with appId, timestamp and sign in the URL and a JSON body of strings',
		async run(h, ctx) {
			h.sim.reset();
			const before = Date.now();
			const run = await kit.run(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
			assertSucceeded(run);
			const sent = calls(h);
			assert.equal(sent.length, 1, `the simulator got ${sent.length} calls`);
			const [call] = sent;
			assert.equal(call.method, 'POST');
			assert.equal(call.path, PATH);
			assert.match(String(call.headers['content-type']), /^application\/json/);
			assert.deepEqual(Object.keys(call.query).sort(), ['appId', 'sign', 'timestamp']);
			assert.equal(call.query.appId, ACCOUNT.appId);
			assert.match(call.query.timestamp, /^\d{13}$/);
			assert.ok(Math.abs(Number(call.query.timestamp) - before) < 60000, `timestamp ${call.query.timestamp} is not now`);
			assert.equal(call.query.sign, polyvSign({ appId: ACCOUNT.appId, timestamp: call.query.timestamp }, ACCOUNT.appSecret));
			assert.equal(call.body, `{"phoneNumbers":["${GOOD}","${GOOD2}"],"templateParamNames":["code"],"templateParamValues":["123456"]}`);
			assert.equal(call.response.status, 200);

			assert.equal(run.output.length, 1);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'send');
			assert.equal(out.success, true);
			const serials = JSON.parse(call.response.body).data.map((/** @type {any} */ d) => d.serialNo);
			assert.deepEqual(out.recipients, [
				{ phone: GOOD, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '12', messageId: serials[0] },
				{ phone: GOOD2, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '12', messageId: serials[1] },
			]);
			assert.equal(out.raw.code, 200);
		},
	},
	{
		name: 'send: a top-level success with failed numbers gives each number its own result and English error',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: [GOOD, ALIYUN_FAILS, AT_LIMIT].join(',') });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.raw.success, true);
			assert.equal(out.success, false);
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => [r.phone, r.accepted, r.status]), [
				[GOOD, true, '12'],
				[ALIYUN_FAILS, false, '11'],
				[AT_LIMIT, false, '-1'],
			]);
			assert.equal(typeof out.recipients[0].messageId, 'string');
			assert.equal(out.recipients[1].error, 'Polyv status 11: Not sent: the call to Aliyun SMS failed (发送失败(调用阿里云短信接口失败))');
			assert.match(out.recipients[2].error, /^Polyv status -1: .*daily limit.*\(发送失败,手机号超过每日发送频次限制\)$/);
		},
	},
	{
		name: 'send: items with the same parameters share a call, other values get their own; outputs stay in order',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD, code: '1111' }, { phone: GOOD2, code: '2222' }, { phone: '13700137000', code: '1111' }];
			const run = await kit.run(
				h,
				ctx,
				{ operation: 'send', phones: '={{ $json.phone }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } },
				{ items },
			);
			assertSucceeded(run);
			// The two calls run at once: their order of arrival is not the items' order (seen in queue mode).
			const sent = calls(h).map((c) => [phonesOf(c), JSON.parse(c.body).templateParamValues]);
			assert.deepEqual(sent.sort((a, b) => String(a[1]).localeCompare(String(b[1]))), [
				[[GOOD, '13700137000'], ['1111']],
				[[GOOD2], ['2222']],
			]);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients[0].phone), [GOOD, GOOD2, '13700137000']);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true && o.messageId === o.recipients[0].messageId));
		},
	},
	kit.badInput({
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		parameters: { ...SEND, phones: `${GOOD}, ${INVALID}` },
		error: new RegExp(`Phone ${INVALID} on item 0 has 7 digits`),
	}),
	kit.badInput({
		name: 'bad input: a template parameter without a name fails before sending',
		parameters: { operation: 'send', phones: GOOD, templateParams: { parameters: [{ name: ' ', value: '1' }] } },
		error: 'Template parameter 1 has no name on item 0',
	}),
	kit.continueRegularOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }],
		error: new RegExp(INVALID),
		sent: (h) => calls(h).flatMap(phonesOf),
		expectSent: [GOOD, GOOD2],
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: "vendor error: a wrong App Secret fails with Polyv's desc (invalid signature.) in English, the secret not shown",
		parameters: { ...SEND, phones: GOOD },
		message: 'Polyv error 20002: Polyv refused the signature: the App Secret does not belong to this App ID (invalid signature.)',
		description: /Check the App Secret/,
		more: (h) => assert.equal(calls(h)[0].response.status, 400),
	}),
	{
		name: "vendor error: an expired timestamp (the n8n host's clock 4 minutes behind Polyv's) says to fix the clock",
		async run(h, ctx) {
			h.sim.reset();
			h.sim.configure({ [VENDOR]: { clockSkewMs: 4 * 60 * 1000 } });
			try {
				const run = await kit.run(h, ctx, { ...SEND, phones: GOOD });
				assert.equal(run.status, 'error');
				assert.equal(String(run.error.message), "Polyv error 20003: The request's time is outside Polyv's 3-minute window (timestamp expired.)");
				assert.match(String(run.error.description), /clock/);
				assert.equal(calls(h)[0].response.status, 400);
			} finally {
				h.sim.configure({ [VENDOR]: { clockSkewMs: 0 } });
			}
		},
	},
	kit.examples({
		name: 'examples: the shipped send workflow imports, runs, and sorts the numbers by result',
		send: `${VENDOR}-send-sms.json`,
		verifySend(h, execution) {
			const runData = execution.data.resultData.runData;
			/** @param {string} name */
			const itemsOf = (name) => ((runData[name] && runData[name][0].data && runData[name][0].data.main[0]) || []).map((/** @type {any} */ i) => i.json);
			assert.deepEqual(itemsOf('Accepted by Polyv').map((/** @type {any} */ r) => r.phone), [GOOD]);
			assert.deepEqual(itemsOf('Not sent: read the error').map((/** @type {any} */ r) => r.phone), [ALIYUN_FAILS]);
			assert.equal(calls(h).length, 1);
		},
	}),
	kit.faultBattery({
		parameters: { ...SEND, phones: GOOD },
		sendOperation: 'send',
		secrets: [ACCOUNT.appSecret],
		many: { parameters: { operation: 'send', phones: '={{ $json.phones }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.n }}' }] } }, items: manyItems() },
	}),
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR],
	setup,
	checks,
};
