// @ts-check
'use strict';
// Veesing / 10658 (中昱维信) in a real n8n: the credential test, both operations of the action node,
// bad input, Continue On Fail, vendor errors (a wrong key, the one-code-a-minute rule), and the trigger
// receiving the simulator's form pushes (receipts and replies, one URL) at its production URL.

const assert = require('node:assert/strict');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'veesing';
const ACCOUNT = { appId: 'sim-veesing-app-id', appKey: 'sim-veesing-app-key' };
const WRONG_KEY = 'not-the-key-4711';
const START_BALANCE = 1000; // simulator/vendors/veesing.js
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNDELIVERED = '13800000000'; // the simulator's receipt says status 0 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits
const SEND = { operation: 'send', templateId: '540', code: '1234' };

/** @param {import('../harness').Harness} h */
async function setup(h) {
	const credential = await h.api.createCredential({
		name: 'Veesing (simulator)',
		type: 'veesingApi',
		data: { ...ACCOUNT, baseUrl: h.sim.url },
	});
	const wrongKey = await h.api.createCredential({
		name: 'Veesing (wrong key)',
		type: 'veesingApi',
		data: { appId: ACCOUNT.appId, appKey: WRONG_KEY, baseUrl: h.sim.url },
	});
	return {
		credentials: { veesingApi: { id: credential.id, name: credential.name } },
		wrongCredentials: { veesingApi: { id: wrongKey.id, name: wrongKey.name } },
	};
}

/**
 * @param {import('../harness').Harness} h @param {any} ctx @param {Record<string, any>} parameters
 * @param {{ items?: Record<string, any>[], onError?: any, credentials?: any }} [more]
 */
function runVeesing(h, ctx, parameters, more = {}) {
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

/** @param {any} call the simulator's record: the form fields as they came, in order */
function formOf(call) {
	return [...new URLSearchParams(call.body)];
}

const CHINA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

/** @type {import('../harness').Check[]} */
const checks = [
	{
		name: "credential test (n8n's Test button) passes with the right key, fails with the vendor's message for a wrong one",
		async run(h, ctx) {
			h.sim.reset();
			const good = await h.api.testCredential(ctx.credentials.veesingApi.id);
			assert.equal(good.status, 'OK', `test of the good credential: ${JSON.stringify(good)}`);
			const bad = await h.api.testCredential(ctx.wrongCredentials.veesingApi.id);
			assert.equal(bad.status, 'Error', `test of the wrong credential: ${JSON.stringify(bad)}`);
			assert.match(bad.message, /账号或密码错误/);
			assert.ok(!bad.message.includes(WRONG_KEY), 'the key appears in the message');
			const calls = h.simRequests(VENDOR).filter((r) => r.operation === 'getBalance');
			assert.equal(calls.length, 2, `the simulator saw ${calls.length} balance calls`);
			for (const call of calls) {
				assert.deepEqual(call.query, {}, 'the key travelled in the URL');
				assert.equal(call.params.appId, ACCOUNT.appId);
			}
		},
	},
	{
		name: 'send: a code to two numbers (+86, new line) is two vendor calls with the documented form; raw is their array',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runVeesing(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
			assertSucceeded(run);
			assert.equal(run.output.length, 1);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'send');
			assert.equal(out.success, true);
			const calls = sends(h);
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
				assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded');
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
			const run = await runVeesing(h, ctx, { ...SEND, phones: '={{ $json.phones }}', options: { concurrency: 5 } }, { items });
			assertSucceeded(run);
			assert.equal(sends(h).length, 20);
			assert.deepEqual(sends(h).map((c) => c.params.phone).sort(), phones);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [phones.slice(0, 15), phones.slice(15)]);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.raw.length), [15, 5]);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true));
		},
	},
	{
		name: 'getBalance: remainPoint as a number of messages, after the sends the simulator counted',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await runVeesing(h, ctx, { ...SEND, phones: GOOD }));
			const run = await runVeesing(h, ctx, { operation: 'getBalance' });
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
	{
		name: 'bad input: a 1-digit code fails the node with an error naming it and the rule, and nothing is sent',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runVeesing(h, ctx, { ...SEND, phones: GOOD, code: '7' });
			assert.equal(run.status, 'error');
			assert.equal(run.error.name, 'NodeOperationError');
			assert.equal(run.error.message, 'Code 7 on item 0 has 1 digit; Veesing sends codes of 2 to 8 digits');
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: `bad input: phone ${INVALID} on the second item fails before the first is sent`,
		async run(h, ctx) {
			h.sim.reset();
			const run = await runVeesing(h, ctx, { ...SEND, phones: '={{ $json.phone }}' }, { items: [{ phone: GOOD }, { phone: INVALID }] });
			assert.equal(run.status, 'error');
			assert.match(String(run.error.message), new RegExp(`^Phone ${INVALID} on item 1`));
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'continueOnFail (continue, regular output): the bad item carries its error, the others are sent',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD, code: '1234' }, { phone: GOOD2, code: '123456789' }, { phone: UNDELIVERED, code: '5678' }];
			const run = await runVeesing(h, ctx, { ...SEND, phones: '={{ $json.phone }}', code: '={{ $json.code }}' }, { items, onError: 'continueRegularOutput' });
			assertSucceeded(run);
			assert.equal(run.output.length, 3);
			assert.equal(run.output[0].success, true);
			assert.equal(run.output[1].error, 'Code 123456789 on item 1 has 9 digits; Veesing sends codes of 2 to 8 digits');
			assert.equal(run.output[2].success, true);
			assert.deepEqual(sends(h).map((c) => c.params.phone).sort(), [GOOD, UNDELIVERED].sort());
		},
	},
	{
		name: 'continueOnFail (error output): the bad item goes to the error branch',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: INVALID }, { phone: GOOD }];
			const run = await runVeesing(h, ctx, { ...SEND, phones: '={{ $json.phone }}' }, { items, onError: 'continueErrorOutput' });
			assertSucceeded(run);
			assert.equal(run.outputs[0].length, 1, `success branch: ${JSON.stringify(run.outputs[0])}`);
			assert.equal(run.outputs[0][0].recipients[0].phone, GOOD);
			assert.equal((run.outputs[1] || []).length, 1, `error branch: ${JSON.stringify(run.outputs[1])}`);
			assert.match(String(run.outputs[1][0].error), new RegExp(INVALID));
		},
	},
	{
		name: "vendor error: a wrong App Key fails in English with the vendor's code and text, the key not shown",
		async run(h, ctx) {
			h.sim.reset();
			const run = await runVeesing(h, ctx, { ...SEND, phones: GOOD }, { credentials: ctx.wrongCredentials });
			assert.equal(run.status, 'error');
			assert.equal(run.error.message, 'Veesing error 0: The App ID or App Key is wrong (账号或密码错误)');
			assert.ok(!JSON.stringify(run.error).includes(WRONG_KEY), 'the key is in the error');
			assert.equal(sends(h).length, 1);
		},
	},
	{
		name: 'vendor rule: the same number again within a minute fails with the vendor message, mapped to English',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await runVeesing(h, ctx, { ...SEND, phones: GOOD }));
			const run = await runVeesing(h, ctx, { ...SEND, phones: GOOD, code: '5678' });
			assert.equal(run.status, 'error');
			assert.match(String(run.error.message), /^Veesing error 0: This number already got a code less than a minute ago.*\(相同手机号码一分钟之内只可发送一次\)$/);
			assert.match(String(run.error.description), /Wait a minute/);
		},
	},
	{
		name: 'trigger: the receipts and the reply of a send, pushed as forms to the production URL, become executions',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			h.sim.configure({ autoPush: { [VENDOR]: { delivery: trigger.url, reply: trigger.url } }, autoReply: true, pushDelayMs: 100 });
			try {
				const sent = await runVeesing(h, ctx, { ...SEND, phones: `${GOOD},${UNDELIVERED}` });
				assertSucceeded(sent);
				// One record per push: two receipts and the reply of the delivered number.
				const executions = await h.waitForExecutions(trigger.workflowId, 3);
				assert.ok(executions.every((e) => e.status === 'success'), 'a trigger execution did not succeed');
				const items = executions.flatMap((e) => h.triggerItems(e));
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

				const pushes = (h.sim.pushes || []).filter((/** @type {any} */ p) => p.vendor === VENDOR);
				assert.equal(pushes.length, 3, JSON.stringify(pushes.map((/** @type {any} */ p) => [p.kind, p.status, p.answer])));
				for (const p of pushes) {
					assert.equal(p.status, 200);
					assert.equal(p.answer, 'ok');
					assert.equal(p.contentType, 'application/x-www-form-urlencoded;charset=utf-8');
				}
			} finally {
				h.sim.configure({ autoPush: { [VENDOR]: { delivery: null, reply: null } }, autoReply: false });
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
				parameters: { [settings]: { secretToken: 'e2e-token-123', responseBody: 'OK-FROM-N8N' } },
			});
			try {
				const records = [{ phone: GOOD, taskId: '4711', status: '1' }];
				const none = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records });
				assert.equal(none.status, 401, `no token: ${JSON.stringify(none)}`);
				const wrong = await h.sim.push({ vendor: VENDOR, url: `${trigger.url}?token=e2e-token-12`, kind: 'delivery', records });
				assert.equal(wrong.status, 401, `wrong token: ${JSON.stringify(wrong)}`);
				const right = await h.sim.push({ vendor: VENDOR, url: `${trigger.url}?token=e2e-token-123`, kind: 'delivery', records });
				assert.equal(right.status, 200, `right token: ${JSON.stringify(right)}`);
				assert.equal(right.body, 'OK-FROM-N8N');
				const executions = await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(1000); // a 401 that started an execution anyway would show up by now
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1, `${all.length} executions, expected only the authorised push's`);
				const items = h.triggerItems(executions[0]);
				assert.equal(items.length, 1);
				assert.equal(items[0].messageId, '4711');
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: events filter (replies only) still answers ok to a receipt but starts nothing for it',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: { events: ['reply'] } });
			try {
				const receipt = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ phone: GOOD, taskId: '1' }] });
				assert.deepEqual(receipt, { status: 200, body: 'ok' });
				const reply = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'reply', records: [{ phone: GOOD, taskId: '1', content: 'TD' }] });
				assert.deepEqual(reply, { status: 200, body: 'ok' });
				const executions = await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(500);
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1, `${all.length} executions, expected 1 (the reply)`);
				assert.deepEqual(
					h.triggerItems(executions[0]).map((/** @type {any} */ i) => [i.event, i.content]),
					[['reply', 'TD']],
				);
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: pushes that are not a receipt or reply form get 400, and the webhook keeps working',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			try {
				for (const raw of ['{"mobile":"13800138000","status":"1"}', 'taskid=1&status=1', `mobile=${GOOD}&taskid=1`, '']) {
					const answer = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', raw });
					assert.equal(answer.status, 400, `${JSON.stringify(raw)} -> ${JSON.stringify(answer)}`);
				}
				const ok = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ phone: GOOD, taskId: '3' }] });
				assert.deepEqual(ok, { status: 200, body: 'ok' });
				await h.waitForExecutions(trigger.workflowId, 1);
				assert.equal((await h.api.listExecutions(trigger.workflowId)).length, 1);
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'examples: the shipped send and trigger workflows import, run, and receive the receipts and the reply',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const triggerExample = prepareExample(loadExample(`${VENDOR}-receipts-and-replies.json`), { credentials: ctx.credentials });
			const sendExample = prepareExample(loadExample(`${VENDOR}-send-code.json`), { credentials: ctx.credentials });
			const triggerWf = await h.api.createWorkflow(triggerExample.workflow);
			await h.api.publishWorkflow(triggerWf.id);
			const [url] = triggerExample.webhookIds.map((id) => h.n8n.webhookUrl(id));
			await h.waitForWebhook(url);
			h.sim.configure({ autoPush: { [VENDOR]: { delivery: url, reply: url } }, autoReply: true, pushDelayMs: 100 });
			try {
				const sendWf = await h.api.createWorkflow(sendExample.workflow);
				const start = sendExample.workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
				const executionId = await h.api.runWorkflow(sendWf.id, start.name);
				const execution = await h.api.waitForExecution(executionId, 45000);
				assert.equal(execution.status, 'success', JSON.stringify(execution.data && execution.data.resultData && execution.data.resultData.error));
				const codes = sends(h).map((c) => c.params.variables);
				assert.equal(codes.length, 2);
				assert.ok(codes.every((code) => /^\d{6}$/.test(code)), `codes sent: ${codes}`);
				const balance = execution.data.resultData.runData['Get Balance'][0].data.main[0][0].json;
				assert.equal(balance.balance, START_BALANCE - 2);
				// Two receipts (one delivered, one not) and the reply of the delivered number.
				const received = await h.waitForExecutions(triggerWf.id, 3);
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
				assert.equal(routed['Reply received'], 1, JSON.stringify(routed));
			} finally {
				h.sim.configure({ autoPush: { [VENDOR]: { delivery: null, reply: null } }, autoReply: false });
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
