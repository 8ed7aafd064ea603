// @ts-check
'use strict';
// Polyv (保利威) in a real n8n: the credential's Test button, the signed send with per-number results,
// bad input, Continue On Fail, vendor errors (wrong secret, expired timestamp), the node's hints, and
// the shipped example. Polyv pushes nothing, so there is no trigger.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'polyv';
const ACCOUNT = { appId: 'simpolyv01', appSecret: 'sim-polyv-secret' };
const WRONG_SECRET = 'not-the-secret-4711';
const PATH = '/live/v4/user/sms/send';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const ALIYUN_FAILS = '13800000000'; // the simulator's Aliyun refuses numbers ending in 0000: status 11
const AT_LIMIT = '13800001111'; // numbers ending in 1111 have had their 10 messages today: status -1
const INVALID = '1768909'; // the document's own invalid number
const CODE = { parameters: [{ name: 'code', value: '123456' }] };

/** @param {import('../harness').Harness} h */
async function setup(h) {
	/** @param {string} name @param {Record<string, string>} data */
	const make = async (name, data) => {
		const credential = await h.api.createCredential({ name, type: 'polyvApi', data: { ...data, baseUrl: h.sim.url } });
		return { polyvApi: { id: credential.id, name: credential.name } };
	};
	return {
		credentials: await make('Polyv (simulator)', ACCOUNT),
		wrongSecret: await make('Polyv (wrong secret)', { appId: ACCOUNT.appId, appSecret: WRONG_SECRET }),
		unknownApp: await make('Polyv (unknown App ID)', { appId: 'nosuchapp1', appSecret: ACCOUNT.appSecret }),
	};
}

/**
 * @param {import('../harness').Harness} h @param {any} ctx @param {Record<string, any>} parameters
 * @param {{ items?: Record<string, any>[], onError?: any, credentials?: any }} [more]
 */
function runPolyv(h, ctx, parameters, more = {}) {
	return h.runNode({ type: VENDOR, parameters, credentials: more.credentials || ctx.credentials, items: more.items, onError: more.onError });
}

/** @param {import('../harness').Harness} h */
const calls = (h) => h.simRequests(VENDOR);
/** @param {any} call @returns {string[]} */
const phonesOf = (call) => JSON.parse(call.body).phoneNumbers;

/** Polyv's signature, computed here independently of the package (vendor-notes 2.2). */
function polyvSign(/** @type {Record<string, string>} */ params, /** @type {string} */ secret) {
	const concat = Object.keys(params).filter((k) => k !== 'sign' && params[k]).sort().map((k) => k + params[k]).join('');
	return crypto.createHash('md5').update(secret + concat + secret).digest('hex').toUpperCase();
}

/** @param {any} run */
function assertSucceeded(run) {
	assert.equal(run.status, 'success', `execution ${run.executionId} ended ${run.status}: ${run.error && run.error.message}`);
}

/** @type {import('../harness').Check[]} */
const checks = [
	{
		name: "credential test (n8n's Test button) passes with the right keys, names a wrong secret or App ID, and texts nobody",
		async run(h, ctx) {
			h.sim.reset();
			const good = await h.api.testCredential(ctx.credentials.polyvApi.id);
			assert.equal(good.status, 'OK', `good credential: ${JSON.stringify(good)}`);
			const wrong = await h.api.testCredential(ctx.wrongSecret.polyvApi.id);
			assert.equal(wrong.status, 'Error', `wrong secret: ${JSON.stringify(wrong)}`);
			assert.match(wrong.message, /invalid signature\./);
			assert.ok(!wrong.message.includes(WRONG_SECRET), 'the secret appears in the message');
			const unknown = await h.api.testCredential(ctx.unknownApp.polyvApi.id);
			assert.equal(unknown.status, 'Error', `unknown App ID: ${JSON.stringify(unknown)}`);
			assert.match(unknown.message, /20001.*App ID/);

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
	},
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
			const credentialNotice = (credential.properties || []).find((/** @type {any} */ p) => p.type === 'notice');
			assert.match(String(credentialNotice && credentialNotice.displayName), /no balance or account call/);
		},
	},
	{
		name: 'send: one signed POST with appId, timestamp and sign in the URL and a JSON body of strings',
		async run(h, ctx) {
			h.sim.reset();
			const before = Date.now();
			const run = await runPolyv(h, ctx, { operation: 'send', phones: `+86${GOOD}\n${GOOD2}`, templateParams: CODE });
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
				{ phone: GOOD, accepted: true, status: '12', messageId: serials[0] },
				{ phone: GOOD2, accepted: true, status: '12', messageId: serials[1] },
			]);
			assert.equal(out.raw.code, 200);
		},
	},
	{
		name: 'send: a top-level success with failed numbers gives each number its own result and English error',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runPolyv(h, ctx, { operation: 'send', phones: [GOOD, ALIYUN_FAILS, AT_LIMIT].join(','), templateParams: CODE });
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
			const run = await runPolyv(
				h,
				ctx,
				{ operation: 'send', phones: '={{ $json.phone }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } },
				{ items },
			);
			assertSucceeded(run);
			assert.deepEqual(calls(h).map((c) => [phonesOf(c), JSON.parse(c.body).templateParamValues]), [
				[[GOOD, '13700137000'], ['1111']],
				[[GOOD2], ['2222']],
			]);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients[0].phone), [GOOD, GOOD2, '13700137000']);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true && o.messageId === o.recipients[0].messageId));
		},
	},
	{
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		async run(h, ctx) {
			h.sim.reset();
			const run = await runPolyv(h, ctx, { operation: 'send', phones: `${GOOD}, ${INVALID}`, templateParams: CODE });
			assert.equal(run.status, 'error');
			assert.equal(run.error.name, 'NodeOperationError');
			assert.match(String(run.error.message), new RegExp(`Phone ${INVALID} on item 0 has 7 digits`));
			assert.equal(calls(h).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'bad input: a template parameter without a name fails before sending',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runPolyv(h, ctx, { operation: 'send', phones: GOOD, templateParams: { parameters: [{ name: ' ', value: '1' }] } });
			assert.equal(run.status, 'error');
			assert.equal(String(run.error.message), 'Template parameter 1 has no name on item 0');
			assert.equal(calls(h).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'continueOnFail (continue, regular output): the bad item carries its error, the others are sent',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }];
			const run = await runPolyv(h, ctx, { operation: 'send', phones: '={{ $json.phone }}', templateParams: CODE }, { items, onError: 'continueRegularOutput' });
			assertSucceeded(run);
			assert.equal(run.output.length, 3);
			assert.equal(run.output[0].success, true);
			assert.match(String(run.output[1].error), new RegExp(INVALID));
			assert.equal(run.output[2].success, true);
			assert.deepEqual(calls(h).flatMap(phonesOf), [GOOD, GOOD2]);
		},
	},
	{
		name: 'continueOnFail (error output): the bad item goes to the error branch',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: INVALID }, { phone: GOOD }];
			const run = await runPolyv(h, ctx, { operation: 'send', phones: '={{ $json.phone }}', templateParams: CODE }, { items, onError: 'continueErrorOutput' });
			assertSucceeded(run);
			assert.equal(run.outputs[0].length, 1, `success branch: ${JSON.stringify(run.outputs[0])}`);
			assert.equal(run.outputs[0][0].recipients[0].phone, GOOD);
			assert.equal((run.outputs[1] || []).length, 1, `error branch: ${JSON.stringify(run.outputs[1])}`);
			assert.match(String(run.outputs[1][0].error), new RegExp(INVALID));
		},
	},
	{
		name: "vendor error: a wrong App Secret fails with Polyv's desc (invalid signature.) in English, the secret not shown",
		async run(h, ctx) {
			h.sim.reset();
			const run = await runPolyv(h, ctx, { operation: 'send', phones: GOOD, templateParams: CODE }, { credentials: ctx.wrongSecret });
			assert.equal(run.status, 'error');
			assert.equal(
				String(run.error.message),
				'Polyv error 20002: Polyv refused the signature: the App Secret does not belong to this App ID (invalid signature.)',
			);
			assert.match(String(run.error.description), /Check the App Secret/);
			assert.ok(!JSON.stringify(run.execution).includes(WRONG_SECRET), 'the secret is in the execution');
			assert.equal(calls(h).length, 1);
			assert.equal(calls(h)[0].response.status, 400);
		},
	},
	{
		name: "vendor error: an expired timestamp (the n8n host's clock 4 minutes behind Polyv's) says to fix the clock",
		async run(h, ctx) {
			h.sim.reset();
			h.sim.configure({ [VENDOR]: { clockSkewMs: 4 * 60 * 1000 } });
			try {
				const run = await runPolyv(h, ctx, { operation: 'send', phones: GOOD, templateParams: CODE });
				assert.equal(run.status, 'error');
				assert.equal(String(run.error.message), "Polyv error 20003: The request's time is outside Polyv's 3-minute window (timestamp expired.)");
				assert.match(String(run.error.description), /clock/);
				assert.equal(calls(h)[0].response.status, 400);
			} finally {
				h.sim.configure({ [VENDOR]: { clockSkewMs: 0 } });
			}
		},
	},
	{
		name: 'examples: the shipped send workflow imports, runs, and sorts the numbers by result',
		async run(h, ctx) {
			h.sim.reset();
			const { workflow } = prepareExample(loadExample(`${VENDOR}-send-sms.json`), { credentials: ctx.credentials });
			const created = await h.api.createWorkflow(workflow);
			const start = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
			const executionId = await h.api.runWorkflow(created.id, start.name);
			const execution = await h.api.waitForExecution(executionId, 45000);
			assert.equal(execution.status, 'success', JSON.stringify(execution.data && execution.data.resultData && execution.data.resultData.error));
			const runData = execution.data.resultData.runData;
			/** @param {string} name */
			const itemsOf = (name) => ((runData[name] && runData[name][0].data && runData[name][0].data.main[0]) || []).map((/** @type {any} */ i) => i.json);
			assert.deepEqual(itemsOf('Accepted by Polyv').map((/** @type {any} */ r) => r.phone), [GOOD]);
			assert.deepEqual(itemsOf('Not sent: read the error').map((/** @type {any} */ r) => r.phone), [ALIYUN_FAILS]);
			assert.equal(calls(h).length, 1);
		},
	},
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR],
	setup,
	checks,
};
