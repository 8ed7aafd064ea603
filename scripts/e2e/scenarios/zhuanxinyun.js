// @ts-check
'use strict';
// Zhuanxinyun (转信云) in a real n8n: every operation of the action node, bad input, Continue On Fail,
// a vendor error, and the trigger receiving the simulator's XML pushes at its production URL.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { ACCOUNTS } = require('../../../simulator');
const { vendorKit, assertSucceeded, FAIL_ME, GBK_BYTES } = require('../checks');
const { PACKAGE_PREFIX } = require('../shell');

const VENDOR = 'zhuanxinyun';
const ACCOUNT = ACCOUNTS.zhuanxinyun;
const WRONG_SECRET = 'not-the-secret-4711';
const SIGNED = '【云锋网络】您的验证码是123456，5分钟内有效。';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNKNOWN_NUMBER = '13800000000'; // the simulator reports MK:0001 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits
const SEND = { operation: 'send', content: SIGNED };

const kit = vendorKit({ vendor: VENDOR, credentialType: 'zhuanxinyunApi', wrongSecret: WRONG_SECRET, sendOperations: ['sendSms', 'sendTplSms'] });

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await h.simulatorCredential(VENDOR, 'Zhuanxinyun (simulator)'),
		wrongCredentials: await h.simulatorCredential(VENDOR, 'Zhuanxinyun (wrong secret)', { appSecret: WRONG_SECRET }),
	};
}

/** Today in China (the simulator dates its reports in UTC+8). */
function chinaToday() {
	return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

/** The numbers of every send call, sorted: one call may carry several, comma-separated. @param {import('../harness').Harness} h */
const phonesSent = (h) => kit.sends(h).flatMap((c) => c.params.phones.split(',')).sort();

/** An ISO 8601 time with the China offset; Zhuanxinyun's reports may carry milliseconds. */
const CHINA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

/** Eight items, each its own vendor call, for the throttle check. */
const manyItems = () => Array.from({ length: 8 }, (_, n) => ({ phones: `1391234${String(n + 1).padStart(4, '0')}`, n: 1000 + n }));

/**
 * Publishes a workflow that starts with the Zhuanxinyun Poll Trigger (every minute); it has no webhook
 * to wait for: n8n polls once when it activates it, then on the Poll Times.
 * @param {import('../harness').Harness} h @param {any} ctx
 */
async function deployPollTrigger(h, ctx, { publish = true } = {}) {
	const workflow = await h.api.createWorkflow({
		name: 'e2e: zhuanxinyunPollTrigger',
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Trigger',
				type: `${PACKAGE_PREFIX}zhuanxinyunPollTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['delivery', 'reply'] },
				credentials: ctx.credentials,
			},
			{ id: crypto.randomUUID(), name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} },
		],
		connections: { Trigger: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	if (publish) await h.api.publishWorkflow(workflow.id);
	return workflow.id;
}

/** The items of a workflow's n-th finished execution (1-based, oldest first), waiting for it. @param {import('../harness').Harness} h @param {string} workflowId @param {number} n */
async function pollExecution(h, workflowId, n) {
	const executions = await h.waitForExecutions(workflowId, n, 100000);
	assert.equal(executions.length, n, `expected ${n} executions, got ${executions.length}: a record was emitted twice, or an empty poll started one`);
	const last = await h.api.getExecution(executions[n - 1].id);
	assert.equal(last.status, 'success', JSON.stringify(last.data && last.data.resultData && last.data.resultData.error));
	return h.triggerItems(last);
}

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button) passes with the right secret, fails with the vendor's code for a wrong one",
		wrongMessage: /100003/,
		calls: { operation: 'querySmsCount', count: 2, atLeast: true },
	}),
	{
		name: 'send: one text to two numbers (with +86 and new-line separators) is one vendor call',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
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

			const calls = kit.sends(h);
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
			const run = await kit.run(h, ctx, { ...SEND, phones: '={{ $json.phone }}' }, { items });
			assertSucceeded(run);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [[GOOD], [GOOD2], [UNKNOWN_NUMBER]]);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true));
			assert.deepEqual(phonesSent(h), [GOOD, UNKNOWN_NUMBER, GOOD2].sort());
		},
	},
	{
		name: 'sendTemplate: template 27 with its variable filled in',
		async run(h, ctx) {
			h.sim.reset();
			const content = '【云锋网络】您好,这是测试4711';
			const run = await kit.run(h, ctx, { operation: 'sendTemplate', phones: `${GOOD}, ${GOOD2}`, templateId: '27', content });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'sendTemplate');
			assert.equal(out.success, true);
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => r.phone), [GOOD, GOOD2]);
			const calls = kit.sends(h);
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
			const run = await kit.run(h, ctx, { operation: 'sendTemplate', phones: GOOD, templateId: '27', content: '【云锋网络】完全不同的内容' });
			assert.equal(run.status, 'error');
			assert.match(String(run.error && run.error.message), /100013/);
		},
	},
	{
		name: 'getBalance: the number of messages left, as the simulator counts it',
		async run(h, ctx) {
			h.sim.reset();
			await kit.run(h, ctx, { ...SEND, phones: GOOD });
			const run = await kit.run(h, ctx, { operation: 'getBalance' });
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
		name: "getStatusReports: one item per report of today, shaped like the trigger's items",
		async run(h, ctx) {
			h.sim.reset();
			const sent = await kit.run(h, ctx, { ...SEND, phones: `${GOOD},${UNKNOWN_NUMBER}` });
			assertSucceeded(sent);
			const run = await kit.run(h, ctx, { operation: 'getStatusReports', date: chinaToday() });
			assertSucceeded(run);
			const call = h.simRequests(VENDOR).find((r) => r.operation === 'queryStatusReport');
			assert.ok(call, 'no queryStatusReport call');
			assert.equal(call.params.time, chinaToday());
			// One item per report, in the trigger's item shape.
			assert.equal(run.output.length, 2, JSON.stringify(run.output));
			assert.ok(run.output.every((/** @type {any} */ r) => r.vendor === VENDOR && r.event === 'delivery' && CHINA_ISO.test(r.receivedAt)));
			const byPhone = Object.fromEntries(run.output.map((/** @type {any} */ r) => [r.phone, r]));
			assert.equal(byPhone[GOOD].delivered, true);
			assert.equal(byPhone[UNKNOWN_NUMBER].delivered, false);
			assert.equal(byPhone[UNKNOWN_NUMBER].status, 'MK:0001');
			const sentIds = Object.fromEntries(sent.output[0].recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
			assert.equal(byPhone[GOOD].messageId, sentIds[GOOD]);
		},
	},
	{
		name: 'getReplies: one item per reply the vendor holds, with a normalized phone; none when it holds none',
		async run(h, ctx) {
			h.sim.reset();
			// The simulator keeps every reply it pushes for queryMoRecord; the push's target does not matter.
			await kit.push(h, `${h.sim.url}/_sim/nowhere`, 'reply', { records: [{ phone: GOOD, content: '好的，收到' }] });
			const run = await kit.run(h, ctx, { operation: 'getReplies' });
			assertSucceeded(run);
			assert.equal(h.simRequests(VENDOR).filter((r) => r.operation === 'queryMoRecord').length, 1);
			assert.equal(run.output.length, 1, JSON.stringify(run.output));
			assert.equal(run.output[0].event, 'reply');
			assert.equal(run.output[0].phone, GOOD);
			assert.equal(run.output[0].content, '好的，收到');
			// Handed out once: a second pull has no records, so the node gives no items.
			const again = await kit.run(h, ctx, { operation: 'getReplies' });
			assertSucceeded(again);
			assert.equal(again.output.length, 0, JSON.stringify(again.output));
		},
	},
	kit.badInput({
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		parameters: { ...SEND, phones: `${GOOD}, ${INVALID}` },
		error: new RegExp(`\\b${INVALID}\\b`),
	}),
	kit.badInput({
		name: 'bad input: content without a 【signature】 fails before sending',
		parameters: { ...SEND, phones: GOOD, content: '您的验证码是123456' },
		error: /signature|【/i,
	}),
	kit.continueRegularOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }],
		error: new RegExp(INVALID),
		sent: phonesSent,
		expectSent: [GOOD, GOOD2],
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: "vendor error: a wrong App Secret fails with the vendor's code 100003, the secret not shown",
		parameters: { ...SEND, phones: GOOD },
		text: /100003/,
	}),
	kit.triggerReceivesPushes({
		name: 'trigger: delivery reports and a reply pushed by the vendor become executions with normalized items',
		kinds: ['delivery', 'reply'],
		send: { ...SEND, phones: `${GOOD},${UNKNOWN_NUMBER}` },
		// Both delivery reports come in one push.
		executions: 2,
		pushes: { count: 2, answer: 'SUCCESS' },
		verify(h, { sent, items }) {
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
		},
	}),
	{
		name: 'poll trigger: an active workflow emits each status report and reply once, across polls and an n8n restart',
		timeoutMs: 330000,
		async run(h, ctx) {
			h.sim.reset();
			const today = chinaToday();
			h.sim.configure({
				zhuanxinyun: {
					reports: [
						{ phone: GOOD, missionNum: 'p1', batchNum: 'pb', statTime: `${today} 00:00:01` },
						{ phone: UNKNOWN_NUMBER, missionNum: 'p2', batchNum: 'pb', realStatus: 'MK:0001', statTime: `${today} 00:00:02` },
					],
					replies: [{ phone: GOOD, content: '好的', time: `${today} 00:00:03` }],
				},
			});
			const workflowId = await deployPollTrigger(h, ctx);
			try {
				// The poll n8n runs when it activates the workflow.
				const first = await pollExecution(h, workflowId, 1);
				assert.deepEqual(first.map((/** @type {any} */ i) => [i.event, i.messageId || i.content, i.phone]), [
					['delivery', 'p1', GOOD],
					['delivery', 'p2', UNKNOWN_NUMBER],
					['reply', '好的', GOOD],
				]);
				const good = first[0];
				assert.equal(good.vendor, VENDOR);
				assert.equal(good.delivered, true);
				assert.equal(good.status, 'DELIVRD');
				assert.equal(good.batchId, 'pb');
				assert.match(good.receivedAt, CHINA_ISO);
				assert.equal(first[1].delivered, false);
				assert.equal(first[1].statusText, 'The number does not exist');

				// A new report: the next poll (within a minute) emits it alone, though the day's answer repeats p1 and p2.
				h.sim.configure({ zhuanxinyun: { reports: [{ phone: GOOD2, missionNum: 'p3', statTime: `${today} 00:00:04` }] } });
				const second = await pollExecution(h, workflowId, 2);
				assert.deepEqual(second.map((/** @type {any} */ i) => i.messageId), ['p3']);
				const polls = h.simRequests(VENDOR).filter((r) => r.operation === 'queryStatusReport');
				// Before 02:00 China time the trigger asks for yesterday's reports too (LATE_REPORT_HOURS): late ones.
				const yesterday = new Date(Date.parse(today) - 86400e3).toISOString().slice(0, 10);
				const late = new Date(Date.now() + 8 * 3600e3).getUTCHours() < 2;
				const asked = (/** @type {any} */ r) => r.params.time === today || (late && r.params.time === yesterday);
				assert.ok(polls.length >= 2 && polls.every((r) => asked(r) && !r.query.appSecret), JSON.stringify(polls.map((r) => r.params.time)));

				// n8n stops; a report arrives meanwhile; after the restart only that one is emitted.
				await h.n8n.stop();
				h.sim.configure({ zhuanxinyun: { reports: [{ phone: GOOD, missionNum: 'p4', statTime: `${today} 00:00:05` }] } });
				await h.n8n.start();
				const third = await pollExecution(h, workflowId, 3);
				assert.deepEqual(third.map((/** @type {any} */ i) => i.messageId), ['p4']);
			} finally {
				await h.api.unpublishWorkflow(workflowId).catch(() => {});
			}
		},
	},
	{
		name: 'poll trigger: a test run (Fetch Test Event) shows the records and remembers none of them',
		timeoutMs: 120000,
		async run(h, ctx) {
			h.sim.reset();
			const today = chinaToday();
			h.sim.configure({ zhuanxinyun: { reports: [{ phone: GOOD, missionNum: 't1', statTime: `${today} 00:00:01` }] } });
			const workflowId = await deployPollTrigger(h, ctx, { publish: false });
			try {
				for (let test = 1; test <= 2; test++) {
					const execution = await h.api.waitForExecution(await h.api.runWorkflow(workflowId, 'Trigger'), 45000);
					assert.equal(execution.status, 'success', `test run ${test}: ${JSON.stringify(execution.data && execution.data.resultData && execution.data.resultData.error)}`);
					assert.deepEqual(h.triggerItems(execution).map((/** @type {any} */ i) => i.messageId), ['t1'], `test run ${test}`);
				}
				// Activated afterwards, the workflow still emits the record the test runs showed.
				await h.api.publishWorkflow(workflowId);
				const items = await pollExecution(h, workflowId, 3);
				assert.deepEqual(items.map((/** @type {any} */ i) => i.messageId), ['t1']);
			} finally {
				await h.api.unpublishWorkflow(workflowId).catch(() => {});
			}
		},
	},
	kit.triggerSecretToken({
		records: [{ phone: GOOD, missionNum: 'm1', batchNum: 'b1' }],
		verify(items) {
			assert.equal(items[0].messageId, 'm1');
			assert.equal(items[0].batchId, 'b1');
		},
	}),
	kit.triggerEventsFilter({
		name: 'trigger: events filter (delivery only) still answers SUCCESS to a reply but starts nothing',
		ignored: { kind: 'reply', records: [{ phone: GOOD, content: 'TD' }] },
		kept: { kind: 'delivery', records: [{ phone: GOOD, missionNum: 'm2' }] },
		answer: 'SUCCESS',
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: malformed and DOCTYPE pushes get 400, and the webhook keeps working after them',
		bodies: [
			'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a8 "x">]><xml><body>&a8;</body></xml>',
			'<xml><body><records><record>',
			'not xml at all',
			'',
		],
		valid: [{ phone: GOOD, missionNum: 'm3' }],
		answer: 'SUCCESS',
	}),
	kit.triggerAnswersAfterRun({
		good: [{ phone: GOOD, missionNum: 'm-ok' }],
		failing: [{ phone: GOOD, missionNum: FAIL_ME }],
		answer: { body: 'SUCCESS', contentType: 'text/plain; charset=utf-8' },
	}),
	kit.triggerHostilePushes({
		name: 'trigger: a 20 MB push gets 413, XML nested 100,000 deep gets 400, each with a short text and no execution',
		bodies: [
			{
				what: 'XML nested 100,000 deep in a record',
				body: `<xml><body><records><record>${'<a>'.repeat(100000)}${'</a>'.repeat(100000)}</record></records></body></xml>`,
				contentType: 'text/xml;charset=UTF-8',
				status: 400,
			},
		],
		valid: [{ phone: GOOD, missionNum: 'm-after-hostile' }],
		answer: 'SUCCESS',
	}),
	kit.triggerDecodesCharset({
		pushes: ['GBK', 'GB18030'].map((charset) => ({
			what: `a reply in ${charset}, said in the XML declaration`,
			body: Buffer.concat([
				Buffer.from(`<?xml version="1.0" encoding="${charset}"?><xml><head><app_key>k</app_key></head><body><dest><src_id>86${GOOD}</src_id><content>`),
				GBK_BYTES,
				Buffer.from('</content><dest_id>410001</dest_id></dest></body></xml>'),
			]),
			contentType: 'text/xml',
		})),
		answer: 'SUCCESS',
	}),
	kit.examples({
		name: 'examples: the shipped send and trigger workflows import, run, and receive the delivery reports',
		send: `${VENDOR}-send-sms.json`,
		trigger: {
			file: `${VENDOR}-delivery-reports.json`,
			kinds: ['delivery', 'reply'],
			// Send SMS (2 numbers) and Send Template SMS (1 number): two pushes of delivery reports, and
			// a reply from the first delivered number of each send.
			executions: 4,
			routed: { Delivered: 2, 'Not delivered: check the number': 1, 'Reply received': 2 },
		},
	}),
	kit.faultBattery({
		parameters: { ...SEND, phones: GOOD },
		sendOperation: 'sendSms',
		secrets: [ACCOUNT.appSecret],
		many: { parameters: { operation: 'send', phones: '={{ $json.phones }}', content: '=【云锋网络】您的验证码是{{ $json.n }}' }, items: manyItems() },
	}),
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, kit.triggerType, 'zhuanxinyunPollTrigger'],
	setup,
	checks,
};
