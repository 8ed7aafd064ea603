// @ts-check
'use strict';
// Chonry (创瑞云 / 1cloudsp) international SMS in a real n8n: both operations of the action node (bulk and
// personalized sends, the double encoding on the wire, the balance), bad input, Continue On Fail, vendor
// errors, and the trigger receiving the simulator's form pushes (and JSON) at its production URL.

const assert = require('node:assert/strict');
const { loadExample, prepareExample } = require('../examples');

const VENDOR = 'chonry';
const ACCOUNT = { accessKey: 'sim-chonry-key', secret: 'sim-chonry-secret' };
const WRONG_SECRET = 'not-the-secret-4711';
const SUCCESS = '{"code":"0","msg":"SUCCESS"}';
const GOOD = '8613800138000'; // comes out as 13800138000
const UK = '447911123456';
const REJECTED = '8613900000000'; // the simulator reports REJECT for numbers ending in 0000
const PRICE = 0.05; // CNY per message in the simulator

/** Java's URLEncoder.encode(s, "UTF-8"), which the vendor sample applies to content and data. @param {string} s */
const javaEncode = (s) =>
	encodeURIComponent(s)
		.replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');

/** @param {import('../harness').Harness} h */
async function setup(h) {
	const credential = await h.api.createCredential({
		name: 'Chonry (simulator)',
		type: 'chonryApi',
		data: { ...ACCOUNT, intlBaseUrl: h.sim.url, baseUrl: h.sim.url },
	});
	const wrongSecret = await h.api.createCredential({
		name: 'Chonry (wrong secret)',
		type: 'chonryApi',
		data: { accessKey: ACCOUNT.accessKey, secret: WRONG_SECRET, intlBaseUrl: h.sim.url, baseUrl: h.sim.url },
	});
	return {
		credentials: { chonryApi: { id: credential.id, name: credential.name } },
		wrongCredentials: { chonryApi: { id: wrongSecret.id, name: wrongSecret.name } },
	};
}

/**
 * @param {import('../harness').Harness} h @param {any} ctx @param {Record<string, any>} parameters
 * @param {{ items?: Record<string, any>[], onError?: any, credentials?: any }} [more]
 */
function runChonry(h, ctx, parameters, more = {}) {
	return h.runNode({ type: VENDOR, parameters, credentials: more.credentials || ctx.credentials, items: more.items, onError: more.onError });
}

/** @param {import('../harness').Harness} h */
const sends = (h) => h.simRequests(VENDOR).filter((r) => r.operation === 'send');

/** @param {any} run */
function assertSucceeded(run) {
	assert.equal(run.status, 'success', `execution ${run.executionId} ended ${run.status}: ${run.error && run.error.message}`);
}

const CHINA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

/** @type {import('../harness').Check[]} */
const checks = [
	{
		name: "credential test (n8n's Test button) passes with the right secret, fails with the vendor's code 9006 for a wrong one",
		async run(h, ctx) {
			h.sim.reset();
			const good = await h.api.testCredential(ctx.credentials.chonryApi.id);
			assert.equal(good.status, 'OK', `test of the good credential: ${JSON.stringify(good)}`);
			const bad = await h.api.testCredential(ctx.wrongCredentials.chonryApi.id);
			assert.equal(bad.status, 'Error', `test of the wrong credential: ${JSON.stringify(bad)}`);
			assert.match(bad.message, /9006/);
			assert.ok(!bad.message.includes(WRONG_SECRET), 'the secret appears in the message');
			const calls = h.simRequests(VENDOR).filter((r) => r.operation === 'queryAccount');
			assert.equal(calls.length, 2, `the simulator saw ${calls.length} account calls`);
			assert.ok(calls.every((c) => c.path === '/query/account' && !c.query.secret), 'the account call or its secret went elsewhere');
		},
	},
	{
		name: 'send: the same variables to two numbers is one mobile + content call on the international URL, pre-encoded as the vendor sample does',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runChonry(h, ctx, { operation: 'send', phones: `+${GOOD}\n00${UK}`, templateId: '200', sign: '123', variables: ['A+B 100%', '5'] });
			assertSucceeded(run);
			const calls = sends(h);
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
				{ phone: '13800138000', accepted: true, status: '0', batchId: call.detail.batchId },
				{ phone: UK, accepted: true, status: '0', batchId: call.detail.batchId },
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
			const run = await runChonry(
				h,
				ctx,
				{ operation: 'send', phones: '={{ $json.phone }}', templateId: '100', variables: ['={{ $json.name }}', '={{ $json.at }}', '={{ $json.by }}', '={{ $json.no }}'] },
				{ items },
			);
			assertSucceeded(run);
			const calls = sends(h);
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
			const run = await runChonry(h, ctx, { operation: 'send', phones: GOOD, templateId: '200', variables: ['1', '2'], options: { scheduleSendTime: at, senderId: 'SimShop' } });
			assertSucceeded(run);
			assert.equal(sends(h)[0].params.scheduleSendTime, at);
			assert.equal(sends(h)[0].params.senderId, 'SimShop');
		},
	},
	{
		name: 'getBalance: the international SMS figure (CNY) from the account call, every product kept in raw',
		async run(h, ctx) {
			h.sim.reset();
			assertSucceeded(await runChonry(h, ctx, { operation: 'send', phones: `${GOOD},${UK}`, templateId: '200', variables: ['1', '2'] }));
			const run = await runChonry(h, ctx, { operation: 'getBalance' });
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
	{
		name: 'bad input: a variable with ## fails the node with an error naming it, and nothing is sent',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runChonry(h, ctx, { operation: 'send', phones: GOOD, templateId: '200', variables: ['12##34', '5'] });
			assert.equal(run.status, 'error');
			assert.equal(run.error.name, 'NodeOperationError');
			assert.match(String(run.error.message), /Variable 1 on item 0 \("12##34"\) contains ##/);
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'bad input: a number that cannot be international fails before sending',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runChonry(h, ctx, { operation: 'send', phones: `${GOOD}, 12345`, templateId: '200', variables: ['1', '2'] });
			assert.equal(run.status, 'error');
			assert.match(String(run.error.message), /Phone 12345 on item 0 is not an international number/);
			assert.equal(h.simRequests(VENDOR).length, 0, 'the simulator received a request');
		},
	},
	{
		name: 'continueOnFail (continue, regular output): the bad item carries its error, the others are sent',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD }, { phone: '12345' }, { phone: UK }];
			const run = await runChonry(h, ctx, { operation: 'send', phones: '={{ $json.phone }}', templateId: '200', variables: ['1', '2'] }, { items, onError: 'continueRegularOutput' });
			assertSucceeded(run);
			assert.equal(run.output.length, 3);
			assert.equal(run.output[0].success, true);
			assert.match(String(run.output[1].error), /12345/);
			assert.equal(run.output[2].success, true);
			assert.deepEqual(sends(h).map((c) => c.params.mobile), [`${GOOD},${UK}`]);
		},
	},
	{
		name: 'continueOnFail (error output): the bad item goes to the error branch',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ code: 'x$$y' }, { code: '7' }];
			const run = await runChonry(
				h,
				ctx,
				{ operation: 'send', phones: GOOD, templateId: '200', variables: ['={{ $json.code }}', '5'] },
				{ items, onError: 'continueErrorOutput' },
			);
			assertSucceeded(run);
			assert.equal(run.outputs[0].length, 1, `success branch: ${JSON.stringify(run.outputs[0])}`);
			assert.equal(run.outputs[0][0].success, true);
			assert.equal((run.outputs[1] || []).length, 1, `error branch: ${JSON.stringify(run.outputs[1])}`);
			assert.match(String(run.outputs[1][0].error), /contains \$\$/);
		},
	},
	{
		name: "vendor error: a wrong secret fails with the vendor's code 9006, the secret not shown",
		async run(h, ctx) {
			h.sim.reset();
			const run = await runChonry(h, ctx, { operation: 'send', phones: GOOD, templateId: '200', variables: ['1', '2'] }, { credentials: ctx.wrongCredentials });
			assert.equal(run.status, 'error');
			assert.equal(run.error.message, 'Chonry error 9006: The Access Key or Secret is wrong (用户accessKey不正确)');
			assert.ok(!JSON.stringify(run.error).includes(WRONG_SECRET), 'the secret is in the error');
			assert.equal(sends(h).length, 1);
		},
	},
	{
		name: 'vendor error: variables that do not fit the template fail with 10006',
		async run(h, ctx) {
			h.sim.reset();
			const run = await runChonry(h, ctx, { operation: 'send', phones: GOOD, templateId: '100', variables: ['only one'] });
			assert.equal(run.status, 'error');
			assert.equal(run.error.message, 'Chonry error 10006: The variables do not match the template (模版和内容不匹配)');
		},
	},
	{
		name: 'trigger: form delivery reports and a reply pushed after a send become executions with normalized items',
		timeoutMs: 60000,
		async run(h, ctx) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			h.sim.configure({ autoPush: { [VENDOR]: { delivery: trigger.url, reply: trigger.url } }, autoReply: true, pushDelayMs: 100 });
			try {
				const sent = await runChonry(h, ctx, { operation: 'send', phones: `${GOOD},${REJECTED}`, templateId: '200', variables: ['1', '2'] });
				assertSucceeded(sent);
				const executions = await h.waitForExecutions(trigger.workflowId, 3);
				const items = executions.flatMap((e) => h.triggerItems(e));
				const delivery = items.filter((i) => i.event === 'delivery');
				const replies = items.filter((i) => i.event === 'reply');
				assert.equal(delivery.length, 2, JSON.stringify(items));
				assert.equal(replies.length, 1, JSON.stringify(items));

				const messages = sends(h)[0].detail.messages;
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

				const pushes = (h.sim.pushes || []).filter((/** @type {any} */ p) => p.vendor === VENDOR);
				assert.equal(pushes.length, 3, JSON.stringify(pushes.map((/** @type {any} */ p) => [p.kind, p.status, p.answer])));
				for (const p of pushes) {
					assert.equal(p.status, 200);
					assert.equal(p.answer, SUCCESS);
					assert.equal(p.contentType, 'application/x-www-form-urlencoded;charset=utf-8');
				}
				assert.ok(executions.every((e) => e.status === 'success'), 'a trigger execution did not succeed');
			} finally {
				h.sim.configure({ autoPush: { [VENDOR]: { delivery: null, reply: null } }, autoReply: false });
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'trigger: a JSON array push (the fallback format) is one execution with one item per record, answered as JSON',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			try {
				const raw = JSON.stringify([
					{ smUuid: 'u1', mobile: GOOD, batchId: 'b1', deliverResult: 'DELIVRD', deliverTime: '2019-12-10 17:27:16' },
					{ mobile: `+${UK}`, content: 'STOP', receiveTime: '2019-12-10 17:30:00', extNo: '' },
				]);
				const answer = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', raw, contentType: 'application/json' });
				assert.deepEqual(answer, { status: 200, body: SUCCESS });
				const [execution] = await h.waitForExecutions(trigger.workflowId, 1);
				const items = h.triggerItems(execution);
				assert.deepEqual(items.map((/** @type {any} */ i) => [i.event, i.phone, i.messageId]), [
					['delivery', '13800138000', 'u1'],
					['reply', UK, undefined],
				]);
				assert.equal(items[0].receivedAt, '2019-12-10T17:27:16+08:00');
				const res = await fetch(trigger.url, {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
					body: `smUuid=u2&mobile=${GOOD}&batchId=b2&deliverResult=DELIVRD&deliverTime=2019-12-10+17%3A27%3A16`,
				});
				assert.equal(res.status, 200);
				assert.match(String(res.headers.get('content-type')), /^application\/json/);
				assert.equal(await res.text(), SUCCESS);
			} finally {
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
				parameters: { [settings]: { secretToken: 'e2e-token-123', responseBody: '{"code":"0","msg":"OK-FROM-N8N"}' } },
			});
			try {
				const records = [{ phone: GOOD, smUuid: 'm1', batchId: 'b1' }];
				const none = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records });
				assert.equal(none.status, 401, `no token: ${JSON.stringify(none)}`);
				const wrong = await h.sim.push({ vendor: VENDOR, url: `${trigger.url}?token=e2e-token-12`, kind: 'delivery', records });
				assert.equal(wrong.status, 401, `wrong token: ${JSON.stringify(wrong)}`);
				const right = await h.sim.push({ vendor: VENDOR, url: `${trigger.url}?token=e2e-token-123`, kind: 'delivery', records });
				assert.deepEqual(right, { status: 200, body: '{"code":"0","msg":"OK-FROM-N8N"}' });
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
		name: 'trigger: events filter (delivery only) still answers a reply with success but starts nothing',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: { events: ['delivery'] } });
			try {
				const reply = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'reply', records: [{ phone: GOOD, content: 'TD' }] });
				assert.deepEqual(reply, { status: 200, body: SUCCESS });
				const delivery = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ phone: GOOD, smUuid: 'm2' }] });
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
		name: 'trigger: malformed pushes get 400, and the webhook keeps working after them',
		timeoutMs: 60000,
		async run(h) {
			h.sim.reset();
			const trigger = await h.deployTrigger({ type: `${VENDOR}Trigger`, parameters: {} });
			try {
				const bodies = [
					['<xml><mobile>1</mobile></xml>', 'text/xml'],
					['', 'application/x-www-form-urlencoded'],
					['smUuid=u1&mobile=8613800138000', 'application/x-www-form-urlencoded'],
					['{"smUuid":', 'application/json'],
				];
				for (const [raw, contentType] of bodies) {
					const answer = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', raw, contentType });
					assert.equal(answer.status, 400, `${JSON.stringify(raw)} -> ${JSON.stringify(answer)}`);
				}
				const ok = await h.sim.push({ vendor: VENDOR, url: trigger.url, kind: 'delivery', records: [{ phone: GOOD, smUuid: 'm3' }] });
				assert.deepEqual(ok, { status: 200, body: SUCCESS });
				await h.waitForExecutions(trigger.workflowId, 1);
				assert.equal((await h.api.listExecutions(trigger.workflowId)).length, 1);
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
				const runData = execution.data.resultData.runData;
				const balance = runData['Get Balance'][0].data.main[0][0].json;
				assert.equal(balance.unit, 'CNY');
				const personalized = runData['Send personalized SMS'][0].data.main[0].map((/** @type {any} */ i) => i.json);
				assert.equal(personalized.length, 2);
				assert.ok(personalized.every((/** @type {any} */ o) => o.success === true), JSON.stringify(personalized));
				assert.deepEqual(sends(h).map((c) => c.detail.mode).sort(), ['bulk', 'personalized']);
				// Send SMS: 2 numbers (one REJECT); personalized: 2 numbers. Four reports, two replies.
				const received = await h.waitForExecutions(triggerWf.id, 6);
				assert.ok(received.every((e) => e.status === 'success'), 'an execution of the trigger example failed');
				/** @type {Record<string, number>} */
				const routed = {};
				for (const e of received) {
					for (const [nodeName, runs] of Object.entries(e.data.resultData.runData)) {
						const items = (runs[0].data && runs[0].data.main && runs[0].data.main[0]) || [];
						routed[nodeName] = (routed[nodeName] || 0) + items.length;
					}
				}
				assert.equal(routed['Delivered'], 3, JSON.stringify(routed));
				assert.equal(routed['Not delivered'], 1, JSON.stringify(routed));
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
