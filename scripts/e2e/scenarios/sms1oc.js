// @ts-check
'use strict';
// 1oc SMS (sms.1oc.cn) in a real n8n: the credential test, the send operation (one GET per number,
// the raw secret as Authorization), bad input, Continue On Fail, vendor errors, and the trigger
// receiving the simulator's JSON delivery reports at its production URL.

const assert = require('node:assert/strict');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'sms1oc';
const SECRET = 'sim-1oc-secret';
const WRONG_SECRET = 'not-the-1oc-secret-4711';
const TEMPLATE = 'SMS_0001'; // a simulator template: 【1oc测试】您的验证码是{code}，5分钟内有效。
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const BLACKLISTED = '13800000000'; // the simulator reports MA:0001 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits

/** @param {import('../harness').Harness} h */
async function setup(h) {
	/** @param {string} name @param {Record<string, string>} data */
	const make = async (name, data) => {
		const credential = await h.api.createCredential({ name, type: 'sms1ocApi', data });
		return { sms1ocApi: { id: credential.id, name: credential.name } };
	};
	return {
		credentials: await make('1oc (simulator)', { appSecret: SECRET, baseUrl: h.sim.url }),
		wrongCredentials: await make('1oc (wrong secret)', { appSecret: WRONG_SECRET, baseUrl: h.sim.url }),
		unreachableCredentials: await make('1oc (nothing listens)', { appSecret: SECRET, baseUrl: 'http://127.0.0.1:9' }),
	};
}

/**
 * Runs the action node with the simulator's credential.
 * @param {import('../harness').Harness} h @param {any} ctx @param {Record<string, any>} parameters
 * @param {{ items?: Record<string, any>[], onError?: any, credentials?: any }} [more]
 */
function runSms1oc(h, ctx, parameters, more = {}) {
	return h.runNode({ type: VENDOR, parameters, credentials: more.credentials || ctx.credentials, items: more.items, onError: more.onError });
}

/** @param {import('../harness').Harness} h */
function sends(h) {
	return h.simRequests(VENDOR).filter((r) => r.operation === 'send');
}

/** @param {any} run */
function assertSucceeded(run) {
	assert.equal(run.status, 'success', `execution ${run.executionId} ended ${run.status}: ${run.error && run.error.message}`);
}

/** @param {Record<string, any>} [more] */
const sendParameters = (more = {}) => ({ operation: 'send', phones: GOOD, template: TEMPLATE, code: '123456', ...more });

/** @type {import('../harness').Check[]} */
const checks = [
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
			assert.equal(sends(h).length, 0, 'the credential test sent an SMS');
			// A wrong secret cannot be told apart without a send: the test passes, as its notice says.
			const wrong = await h.api.testCredential(ctx.wrongCredentials.sms1ocApi.id);
			assert.equal(wrong.status, 'OK', JSON.stringify(wrong));
			const unreachable = await h.api.testCredential(ctx.unreachableCredentials.sms1ocApi.id);
			assert.equal(unreachable.status, 'Error', `test of an unreachable base URL: ${JSON.stringify(unreachable)}`);
			assert.equal(sends(h).length, 0);

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
			const run = await runSms1oc(h, ctx, sendParameters({ phones: `+86${GOOD}\n${GOOD2}`, options: { concurrency: 1 } }));
			assertSucceeded(run);
			assert.equal(run.output.length, 1);
			const calls = sends(h);
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
					{ phone: GOOD, accepted: true, messageId: mids[0], status: '200' },
					{ phone: GOOD2, accepted: true, messageId: mids[1], status: '200' },
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
			const run = await runSms1oc(h, ctx, sendParameters({ template: '会员通知', code }));
			assertSucceeded(run);
			const [call] = sends(h);
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
			const run = await runSms1oc(h, ctx, sendParameters({ phones: '={{ $json.phone }}', code: '={{ $json.code }}' }), { items });
			assertSucceeded(run);
			const byPhone = Object.fromEntries(sends(h).map((c) => [c.query.mobphone, c]));
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [[GOOD], [GOOD2], [BLACKLISTED]]);
			run.output.forEach((/** @type {any} */ out, /** @type {number} */ i) => {
				const call = byPhone[out.recipients[0].phone];
				assert.equal(call.query.code, items[i].code);
				assert.equal(out.messageId, JSON.parse(call.response.body).mid);
				assert.equal(out.raw.length, 1);
			});
		},
	},
	{
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		async run(h, ctx) {
			h.sim.reset();
			const run = await runSms1oc(h, ctx, sendParameters({ phones: `${GOOD}, ${INVALID}` }));
			assert.equal(run.status, 'error');
			assert.ok(run.error, 'no error in the execution');
			assert.equal(run.error.name, 'NodeOperationError');
			assert.match(String(run.error.message), new RegExp(`\\b${INVALID}\\b.*11 digits`));
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'bad input: an empty template fails before sending',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runSms1oc(h, ctx, sendParameters({ template: '={{ "" }}' }));
			assert.equal(run.status, 'error');
			assert.equal(String(run.error && run.error.message), 'Template is empty on item 0');
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'continueOnFail (continue, regular output): the bad item carries its error, the others are sent',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }];
			const run = await runSms1oc(h, ctx, sendParameters({ phones: '={{ $json.phone }}' }), { items, onError: 'continueRegularOutput' });
			assertSucceeded(run);
			assert.equal(run.output.length, 3);
			assert.equal(run.output[0].success, true);
			assert.match(String(run.output[1].error), new RegExp(INVALID));
			assert.equal(run.output[2].success, true);
			assert.deepEqual(sends(h).map((c) => c.query.mobphone).sort(), [GOOD, GOOD2]);
		},
	},
	{
		name: 'continueOnFail (error output): the bad item goes to the error branch',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: INVALID }, { phone: GOOD }];
			const run = await runSms1oc(h, ctx, sendParameters({ phones: '={{ $json.phone }}' }), { items, onError: 'continueErrorOutput' });
			assertSucceeded(run);
			assert.equal(run.outputs[0].length, 1, `success branch: ${JSON.stringify(run.outputs[0])}`);
			assert.equal(run.outputs[0][0].recipients[0].phone, GOOD);
			assert.equal((run.outputs[1] || []).length, 1, `error branch: ${JSON.stringify(run.outputs[1])}`);
			assert.match(String(run.outputs[1][0].error), new RegExp(INVALID));
		},
	},
	{
		name: 'vendor error: a wrong App Secret fails with 1oc error 400 (校验失败), the secret not shown',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runSms1oc(h, ctx, sendParameters(), { credentials: ctx.wrongCredentials });
			assert.equal(run.status, 'error');
			assert.equal(String(run.error.message), '1oc error 400: Verification failed (校验失败)');
			assert.ok(!JSON.stringify(run.execution).includes(WRONG_SECRET), 'the secret is in the execution data');
			assert.equal(sends(h).length, 1);
			assert.equal(sends(h)[0].headers.authorization, WRONG_SECRET);
		},
	},
	{
		name: 'vendor error after a first accepted call: the error says what was already sent',
		async run(h, ctx) {
			h.sim.reset();
			h.sim.configure({ [VENDOR]: { balance: 1 } });
			const run = await runSms1oc(h, ctx, sendParameters({ phones: `${GOOD},${GOOD2}`, options: { concurrency: 1 } }));
			assert.equal(run.status, 'error');
			assert.equal(String(run.error.message), '1oc error 400: The account balance is too low (余额不足)');
			assert.match(String(run.error.description), /1 of 2 vendor calls \(1 numbers\) had been accepted/);
		},
	},
	{
		name: 'trigger: the delivery reports of a send become executions tied to it by messageId, answered ok',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			h.sim.configure({ autoPush: { [VENDOR]: { delivery: trigger.url } }, pushDelayMs: 100 });
			try {
				const sent = await runSms1oc(h, ctx, sendParameters({ phones: `${GOOD},${BLACKLISTED}` }));
				assertSucceeded(sent);
				const executions = await h.waitForExecutions(trigger.workflowId, 2);
				assert.ok(executions.every((e) => e.status === 'success'), 'a trigger execution did not succeed');
				const items = executions.flatMap((e) => h.triggerItems(e));
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

				const pushes = (h.sim.pushes || []).filter((/** @type {any} */ p) => p.vendor === VENDOR);
				assert.equal(pushes.length, 2, JSON.stringify(pushes.map((/** @type {any} */ p) => [p.status, p.answer])));
				for (const p of pushes) {
					assert.equal(p.status, 200);
					assert.equal(p.answer, 'ok');
					assert.match(p.body, /^\{"mid":"[0-9A-F]{16}","stat":"[A-Z:0-9]+"\}$/);
				}
			} finally {
				h.sim.configure({ autoPush: { [VENDOR]: { delivery: null } } });
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: a secret token is required (401 and no execution without it), and the answer is configurable',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const settings = await h.collectionHolding(`${VENDOR}Trigger`, 'secretToken');
			const trigger = await h.deployTrigger({
				type: `${VENDOR}Trigger`,
				parameters: { [settings]: { secretToken: 'e2e-1oc-token', responseBody: 'OK-FROM-N8N' } },
			});
			try {
				const records = [{ mid: 'E2EMID0001', stat: 'MA:0022' }];
				const none = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records });
				assert.equal(none.status, 401, `no token: ${JSON.stringify(none)}`);
				const wrong = await h.sim.push({ vendor: VENDOR, url: `${trigger.url}?token=e2e-1oc-toke`, kind: 'delivery', records });
				assert.equal(wrong.status, 401, `wrong token: ${JSON.stringify(wrong)}`);
				const right = await h.sim.push({ vendor: VENDOR, url: `${trigger.url}?token=e2e-1oc-token`, kind: 'delivery', records });
				assert.deepEqual(right, { status: 200, body: 'OK-FROM-N8N' });
				const executions = await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(1000); // a 401 that started an execution anyway would show up by now
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1, `${all.length} executions, expected only the authorised push's`);
				const items = h.triggerItems(executions[0]);
				assert.equal(items.length, 1);
				assert.equal(items[0].messageId, 'E2EMID0001');
				assert.equal(items[0].delivered, false);
				assert.equal(items[0].statusText, 'Not delivered: the sending limit for this number was reached');
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: malformed pushes get 400 and start nothing, and the webhook keeps working after them',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			try {
				const bodies = ['{"mid":"M1","stat":', '{"mid":"M1"}', '<xml><mid>M1</mid></xml>', ''];
				for (const raw of bodies) {
					const answer = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', raw });
					assert.equal(answer.status, 400, `${JSON.stringify(raw)} -> ${JSON.stringify(answer)}`);
				}
				const ok = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ mid: 'E2EMID0002', stat: 'MO:0999' }] });
				assert.deepEqual(ok, { status: 200, body: 'ok' });
				const [execution] = await h.waitForExecutions(trigger.workflowId, 1);
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1);
				const [item] = h.triggerItems(execution);
				assert.equal(item.status, 'MO:0999');
				assert.equal(item.delivered, false);
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'examples: the shipped send and delivery-report workflows import, run, and route the reports',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const triggerExample = prepareExample(loadExample(`${VENDOR}-delivery-reports.json`), { credentials: ctx.credentials });
			const sendExample = prepareExample(loadExample(`${VENDOR}-send-sms.json`), { credentials: ctx.credentials });
			const triggerWf = await h.api.createWorkflow(triggerExample.workflow);
			await h.api.publishWorkflow(triggerWf.id);
			const [url] = triggerExample.webhookIds.map((id) => h.n8n.webhookUrl(id));
			await h.waitForWebhook(url);
			h.sim.configure({ autoPush: { [VENDOR]: { delivery: url } }, pushDelayMs: 100 });
			try {
				const sendWf = await h.api.createWorkflow(sendExample.workflow);
				const start = sendExample.workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
				const executionId = await h.api.runWorkflow(sendWf.id, start.name);
				const execution = await h.api.waitForExecution(executionId, 45000);
				assert.equal(execution.status, 'success', JSON.stringify(execution.data && execution.data.resultData && execution.data.resultData.error));
				assert.equal(sends(h).length, 2);
				// The example sends to one number that is delivered and one the simulator blacklists.
				const received = await h.waitForExecutions(triggerWf.id, 2);
				assert.ok(received.every((e) => e.status === 'success'), 'an execution of the trigger example failed');
				/** @type {Record<string, number>} */
				const routed = {};
				for (const e of received) {
					for (const [nodeName, runs] of Object.entries(e.data.resultData.runData)) {
						const items = (runs[0].data && runs[0].data.main && runs[0].data.main[0]) || [];
						routed[nodeName] = (routed[nodeName] || 0) + items.length;
					}
				}
				assert.equal(routed['Delivered'], 1, JSON.stringify(routed));
				assert.equal(routed['Not delivered'], 1, JSON.stringify(routed));
			} finally {
				h.sim.configure({ autoPush: { [VENDOR]: { delivery: null } } });
				await h.api.unpublishWorkflow(triggerWf.id).catch(() => {});
			}
		},
	},
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, `${VENDOR}Trigger`],
	setup,
	checks,
};
