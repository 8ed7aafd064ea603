// @ts-check
'use strict';
// Zhuanxinyun (转信云) in a real n8n: every operation of the action node, bad input, Continue On Fail,
// a vendor error, and the trigger receiving the simulator's XML pushes at its production URL.

const assert = require('node:assert/strict');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'zhuanxinyun';
const ACCOUNT = { appKey: 'sim-zhuanxinyun-key', appSecret: 'sim-zhuanxinyun-secret' };
const SIGNED = '【云锋网络】您的验证码是123456，5分钟内有效。';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNKNOWN_NUMBER = '13800000000'; // the simulator reports MK:0001 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits

/** @param {import('../harness').Harness} h */
async function setup(h) {
	const credential = await h.api.createCredential({
		name: 'Zhuanxinyun (simulator)',
		type: 'zhuanxinyunApi',
		data: { ...ACCOUNT, baseUrl: h.sim.url },
	});
	const wrongSecret = await h.api.createCredential({
		name: 'Zhuanxinyun (wrong secret)',
		type: 'zhuanxinyunApi',
		data: { appKey: ACCOUNT.appKey, appSecret: 'not-the-secret-4711', baseUrl: h.sim.url },
	});
	return {
		credentials: { zhuanxinyunApi: { id: credential.id, name: credential.name } },
		wrongCredentials: { zhuanxinyunApi: { id: wrongSecret.id, name: wrongSecret.name } },
	};
}

/** Today in China (the simulator dates its reports in UTC+8). */
function chinaToday() {
	return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

/**
 * Runs the action node with the simulator's credential.
 * @param {import('../harness').Harness} h @param {any} ctx @param {Record<string, any>} parameters
 * @param {{ items?: Record<string, any>[], onError?: any, credentials?: any }} [more]
 */
function runZhuanxinyun(h, ctx, parameters, more = {}) {
	return h.runNode({
		type: VENDOR,
		parameters,
		credentials: more.credentials || ctx.credentials,
		items: more.items,
		onError: more.onError,
	});
}

/** @param {import('../harness').Harness} h */
function sends(h) {
	return h.simRequests(VENDOR).filter((r) => r.operation === 'sendSms' || r.operation === 'sendTplSms');
}

/** @param {any} run */
function assertSucceeded(run) {
	assert.equal(run.status, 'success', `execution ${run.executionId} ended ${run.status}: ${run.error && run.error.message}`);
}

/** An ISO 8601 time with the China offset. */
const CHINA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

/** @type {import('../harness').Check[]} */
const checks = [
	{
		name: "credential test (n8n's Test button) passes with the right secret, fails with the vendor's code for a wrong one",
		async run(h, ctx) {
			const good = await h.api.testCredential(ctx.credentials.zhuanxinyunApi.id);
			assert.equal(good.status, 'OK', `test of the good credential: ${JSON.stringify(good)}`);
			const bad = await h.api.testCredential(ctx.wrongCredentials.zhuanxinyunApi.id);
			assert.equal(bad.status, 'Error', `test of the wrong credential: ${JSON.stringify(bad)}`);
			assert.match(bad.message, /100003/);
			assert.ok(!bad.message.includes('not-the-secret-4711'), 'the secret appears in the message');
			const calls = h.simRequests(VENDOR).filter((r) => r.operation === 'querySmsCount');
			assert.ok(calls.length >= 2, `the simulator saw ${calls.length} balance calls`);
		},
	},
	{
		name: 'send: one text to two numbers (with +86 and new-line separators) is one vendor call',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: `+86${GOOD}\n${GOOD2}`, content: SIGNED });
			assertSucceeded(run);
			assert.equal(run.output.length, 1);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'send');
			assert.equal(out.success, true);
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => [r.phone, r.accepted, r.status]), [
				[GOOD, true, '000000'],
				[GOOD2, true, '000000'],
			]);
			assert.ok(out.recipients.every((/** @type {any} */ r) => typeof r.messageId === 'string' && r.messageId), 'every recipient has a messageId');
			assert.equal(out.raw.errorCode, '000000');

			const calls = sends(h);
			assert.equal(calls.length, 1, `the simulator got ${calls.length} send calls`);
			const call = calls[0];
			assert.equal(call.operation, 'sendSms');
			assert.equal(call.method, 'POST');
			assert.equal(call.path, '/api/v2/sendSms.json');
			assert.equal(call.params.appKey, ACCOUNT.appKey);
			assert.equal(call.params.phones, `${GOOD},${GOOD2}`);
			assert.equal(call.params.content, SIGNED);
			assert.equal(call.params.missionNums, out.recipients.map((/** @type {any} */ r) => r.messageId).join(','));
			assert.equal(call.params.batchNum, out.messageId);
			assert.ok(!call.query.appSecret, 'the secret travelled in the URL');
			assert.equal(call.response.status, 200);
		},
	},
	{
		name: 'send: three items from an expression each get their own output item, in order',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD, name: 'A' }, { phone: GOOD2, name: 'B' }, { phone: `86${UNKNOWN_NUMBER}`, name: 'C' }];
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: '={{ $json.phone }}', content: SIGNED }, { items });
			assertSucceeded(run);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [[GOOD], [GOOD2], [UNKNOWN_NUMBER]]);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true));
			const phonesSent = sends(h).flatMap((c) => c.params.phones.split(',')).sort();
			assert.deepEqual(phonesSent, [GOOD, UNKNOWN_NUMBER, GOOD2].sort());
		},
	},
	{
		name: 'sendTemplate: template 27 with its variable filled in',
		async run(h, ctx) {
			h.sim.reset();
			const content = '【云锋网络】您好,这是测试4711';
			const run = await runZhuanxinyun(h, ctx, { operation: 'sendTemplate', phones: `${GOOD}, ${GOOD2}`, templateId: '27', content });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'sendTemplate');
			assert.equal(out.success, true);
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => r.phone), [GOOD, GOOD2]);
			const calls = sends(h);
			assert.equal(calls.length, 1);
			assert.equal(calls[0].operation, 'sendTplSms');
			assert.equal(calls[0].params.templateId, '27');
			assert.equal(calls[0].response.status, 200);
			assert.match(calls[0].response.body, /"errorCode":"000000"/);
			assert.deepEqual(calls[0].detail.messages.map((/** @type {any} */ m) => m.content), [content, content]);
		},
	},
	{
		name: 'sendTemplate: content that does not match the template fails with the vendor code 100013',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runZhuanxinyun(h, ctx, { operation: 'sendTemplate', phones: GOOD, templateId: '27', content: '【云锋网络】完全不同的内容' });
			assert.equal(run.status, 'error');
			assert.match(String(run.error && run.error.message), /100013/);
		},
	},
	{
		name: 'getBalance: the number of messages left, as the simulator counts it',
		async run(h, ctx) {
			h.sim.reset();
			await runZhuanxinyun(h, ctx, { operation: 'send', phones: GOOD, content: SIGNED });
			const run = await runZhuanxinyun(h, ctx, { operation: 'getBalance' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'getBalance');
			assert.equal(out.unit, 'messages');
			assert.equal(out.balance, 100000 - 1);
			assert.equal(h.simRequests(VENDOR).filter((r) => r.operation === 'querySmsCount').length, 1);
		},
	},
	{
		name: "getStatusReports: today's reports, normalized like pushed ones",
		async run(h, ctx) {
			h.sim.reset();
			const sent = await runZhuanxinyun(h, ctx, { operation: 'send', phones: `${GOOD},${UNKNOWN_NUMBER}`, content: SIGNED });
			assertSucceeded(sent);
			const run = await runZhuanxinyun(h, ctx, { operation: 'getStatusReports', date: chinaToday() });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'getStatusReports');
			const call = h.simRequests(VENDOR).find((r) => r.operation === 'queryStatusReport');
			assert.ok(call, 'no queryStatusReport call');
			assert.equal(call.params.time, chinaToday());
			assert.ok(Array.isArray(out.records), 'records is not a list');
			const byPhone = Object.fromEntries(out.records.map((/** @type {any} */ r) => [r.phone, r]));
			assert.equal(byPhone[GOOD].delivered, true);
			assert.equal(byPhone[UNKNOWN_NUMBER].delivered, false);
			assert.equal(byPhone[UNKNOWN_NUMBER].status, 'MK:0001');
			const sentIds = Object.fromEntries(sent.output[0].recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
			assert.equal(byPhone[GOOD].messageId, sentIds[GOOD]);
		},
	},
	{
		name: 'getReplies: a reply the vendor holds comes out with a normalized phone',
		async run(h, ctx) {
			h.sim.reset();
			// The simulator keeps every reply it pushes for queryMoRecord; the push's target does not matter.
			await h.sim.push({ vendor: VENDOR, url: `${h.sim.url}/_sim/nowhere`, kind: 'reply', records: [{ phone: GOOD, content: '好的，收到' }] });
			const run = await runZhuanxinyun(h, ctx, { operation: 'getReplies' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'getReplies');
			assert.equal(h.simRequests(VENDOR).filter((r) => r.operation === 'queryMoRecord').length, 1);
			assert.equal(out.records.length, 1, JSON.stringify(out.records));
			assert.equal(out.records[0].event, 'reply');
			assert.equal(out.records[0].phone, GOOD);
			assert.equal(out.records[0].content, '好的，收到');
		},
	},
	{
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		async run(h, ctx) {
			h.sim.reset();
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: `${GOOD}, ${INVALID}`, content: SIGNED });
			assert.equal(run.status, 'error');
			assert.ok(run.error, 'no error in the execution');
			assert.match(String(run.error.message), new RegExp(`\\b${INVALID}\\b`));
			assert.equal(run.error.name, 'NodeOperationError');
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'bad input: content without a 【signature】 fails before sending',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: GOOD, content: '您的验证码是123456' });
			assert.equal(run.status, 'error');
			assert.match(String(run.error && run.error.message), /signature|【/i);
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'continueOnFail (continue, regular output): the bad item carries its error, the others are sent',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }];
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: '={{ $json.phone }}', content: SIGNED }, { items, onError: 'continueRegularOutput' });
			assertSucceeded(run);
			assert.equal(run.output.length, 3);
			assert.equal(run.output[0].success, true);
			assert.match(String(run.output[1].error), new RegExp(INVALID));
			assert.equal(run.output[2].success, true);
			const phonesSent = sends(h).flatMap((c) => c.params.phones.split(',')).sort();
			assert.deepEqual(phonesSent, [GOOD, GOOD2]);
		},
	},
	{
		name: 'continueOnFail (error output): the bad item goes to the error branch',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: INVALID }, { phone: GOOD }];
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: '={{ $json.phone }}', content: SIGNED }, { items, onError: 'continueErrorOutput' });
			assertSucceeded(run);
			assert.equal(run.outputs[0].length, 1, `success branch: ${JSON.stringify(run.outputs[0])}`);
			assert.equal(run.outputs[0][0].recipients[0].phone, GOOD);
			assert.equal((run.outputs[1] || []).length, 1, `error branch: ${JSON.stringify(run.outputs[1])}`);
			assert.match(String(run.outputs[1][0].error), new RegExp(INVALID));
		},
	},
	{
		name: "vendor error: a wrong App Secret fails with the vendor's code 100003, the secret not shown",
		async run(h, ctx) {
			h.sim.reset();
			const run = await runZhuanxinyun(h, ctx, { operation: 'send', phones: GOOD, content: SIGNED }, { credentials: ctx.wrongCredentials });
			assert.equal(run.status, 'error');
			const text = JSON.stringify(run.error);
			assert.match(String(run.error.message) + String(run.error.description), /100003/);
			assert.ok(!text.includes('not-the-secret-4711'), 'the secret is in the error');
			assert.equal(sends(h).length, 1);
		},
	},
	{
		name: 'trigger: delivery reports and a reply pushed by the vendor become executions with normalized items',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			h.sim.configure({ autoPush: { [VENDOR]: { delivery: trigger.url, reply: trigger.url } }, autoReply: true, pushDelayMs: 100 });
			try {
				const sent = await runZhuanxinyun(h, ctx, { operation: 'send', phones: `${GOOD},${UNKNOWN_NUMBER}`, content: SIGNED });
				assertSucceeded(sent);
				const executions = await h.waitForExecutions(trigger.workflowId, 2);
				const items = executions.flatMap((e) => h.triggerItems(e));
				const delivery = items.filter((i) => i.event === 'delivery');
				const replies = items.filter((i) => i.event === 'reply');
				assert.equal(delivery.length, 2, JSON.stringify(items));
				assert.equal(replies.length, 1, JSON.stringify(items));

				const sentOut = sent.output[0];
				const ids = Object.fromEntries(sentOut.recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
				const good = delivery.find((i) => i.phone === GOOD);
				const bad = delivery.find((i) => i.phone === UNKNOWN_NUMBER);
				assert.ok(good && bad, JSON.stringify(delivery));
				assert.equal(good.vendor, VENDOR);
				assert.equal(good.delivered, true);
				assert.equal(good.status, 'DELIVRD');
				assert.equal(good.messageId, ids[GOOD]);
				assert.equal(good.batchId, sentOut.messageId);
				assert.match(good.receivedAt, CHINA_ISO);
				assert.equal(bad.delivered, false);
				assert.equal(bad.status, 'MK:0001');
				assert.equal(bad.messageId, ids[UNKNOWN_NUMBER]);
				assert.equal(typeof bad.statusText, 'string');
				assert.ok(good.raw && typeof good.raw === 'object', 'raw is missing');

				assert.equal(replies[0].phone, GOOD);
				assert.equal(replies[0].content, '收到');
				assert.equal(replies[0].vendor, VENDOR);

				const pushes = (h.sim.pushes || []).filter((/** @type {any} */ p) => p.vendor === VENDOR);
				assert.equal(pushes.length, 2, JSON.stringify(pushes.map((/** @type {any} */ p) => [p.kind, p.status, p.answer])));
				for (const p of pushes) {
					assert.equal(p.status, 200);
					assert.equal(p.answer, 'SUCCESS');
				}
				assert.ok(executions.every((e) => e.status === 'success'), 'a trigger execution did not succeed');
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
				const records = [{ phone: GOOD, missionNum: 'm1', batchNum: 'b1' }];
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
				assert.equal(items[0].messageId, 'm1');
				assert.equal(items[0].batchId, 'b1');
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: events filter (delivery only) still answers SUCCESS to a reply but starts nothing',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: { events: ['delivery'] } });
			try {
				const reply = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'reply', records: [{ phone: GOOD, content: 'TD' }] });
				assert.equal(reply.status, 200);
				assert.equal(reply.body, 'SUCCESS');
				const delivery = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ phone: GOOD, missionNum: 'm2' }] });
				assert.equal(delivery.status, 200);
				const executions = await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(500);
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1, `${all.length} executions, expected 1 (the delivery report)`);
				assert.equal(h.triggerItems(executions[0])[0].event, 'delivery');
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: malformed and DOCTYPE pushes get 400, and the webhook keeps working after them',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			try {
				const doctype = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a8 "x">]><xml><body>&a8;</body></xml>';
				const bodies = [doctype, '<xml><body><records><record>', 'not xml at all', ''];
				for (const raw of bodies) {
					const answer = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', raw });
					assert.equal(answer.status, 400, `${JSON.stringify(raw)} -> ${JSON.stringify(answer)}`);
				}
				const ok = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ phone: GOOD, missionNum: 'm3' }] });
				assert.equal(ok.status, 200, JSON.stringify(ok));
				assert.equal(ok.body, 'SUCCESS');
				await h.waitForExecutions(trigger.workflowId, 1);
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1);
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'examples: the shipped send and trigger workflows import, run, and receive the delivery reports',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const triggerExample = prepareExample(loadExample(`${VENDOR}-delivery-reports.json`), { credentials: ctx.credentials });
			const sendExample = prepareExample(loadExample(`${VENDOR}-send-sms.json`), { credentials: ctx.credentials });
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
				// Send SMS (2 numbers) and Send Template SMS (1 number): two pushes of delivery reports, and
				// a reply from the first delivered number of each send.
				const received = await h.waitForExecutions(triggerWf.id, 4);
				assert.ok(received.every((e) => e.status === 'success'), 'an execution of the trigger example failed');
				/** @type {Record<string, number>} */
				const routed = {};
				for (const e of received) {
					for (const [nodeName, runs] of Object.entries(e.data.resultData.runData)) {
						const items = (runs[0].data && runs[0].data.main && runs[0].data.main[0]) || [];
						routed[nodeName] = (routed[nodeName] || 0) + items.length;
					}
				}
				assert.equal(routed['Delivered'], 2, JSON.stringify(routed));
				assert.equal(routed['Not delivered: check the number'], 1, JSON.stringify(routed));
				assert.equal(routed['Reply received'], 2, JSON.stringify(routed));
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
