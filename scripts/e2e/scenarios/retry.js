// @ts-check
'use strict';
// A retry texts nobody twice, in a real n8n, counted at the simulator: a production execution
// (started by n8n's Webhook node) sends to many numbers, the account's balance runs out part way and
// the execution fails; the balance is topped up and the execution retried through n8n's public API
// (what the executions list's Retry does), or by the node's own Retry On Fail: every number got
// exactly one SMS. And outside a retry the same items are sent again, every time.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { PACKAGE_PREFIX } = require('../shell');
const { nodeResult } = require('../executions');

const CONTENT = '【云锋网络】您的订单已发货';
const TOPPED_UP = 100000;

/** @param {number} start @param {number} count */
const phonesFrom = (start, count) => Array.from({ length: count }, (_, i) => `139${String(start + i).padStart(8, '0')}`);

/**
 * How many times the simulator took a message for each number (accepted calls only).
 * @param {import('../harness').Harness} h @param {'zhuanxinyun' | 'veesing'} vendor
 */
function acceptedCounts(h, vendor) {
	/** @type {Map<string, number>} */
	const counts = new Map();
	for (const r of h.simRequests(vendor)) {
		if (!r.accepted || !r.response) continue;
		const body = JSON.parse(r.response.body);
		if (vendor === 'zhuanxinyun' && (r.operation !== 'sendSms' || body.errorCode !== '000000')) continue;
		if (vendor === 'veesing' && (r.operation !== 'send' || String(body.returnStatus).trim() !== '1')) continue;
		const phones = vendor === 'zhuanxinyun' ? String(r.params.phones).split(',') : [String(r.params.phone)];
		for (const phone of phones) counts.set(phone, (counts.get(phone) || 0) + 1);
	}
	return counts;
}

/** `{ numbers, messages, once, twice }` of a count map. @param {Map<string, number>} counts */
function tally(counts) {
	const values = [...counts.values()];
	return {
		numbers: counts.size,
		messages: values.reduce((a, b) => a + b, 0),
		once: values.filter((v) => v === 1).length,
		twice: values.filter((v) => v === 2).length,
	};
}

/**
 * Publishes Webhook (POST, answers at once) -> Send SMS, the send's numbers from the request body.
 * @param {import('../harness').Harness} h @param {any} ctx
 * @param {{ vendor: 'zhuanxinyun' | 'veesing', parameters: Record<string, any>, retryOnFail?: boolean }} spec
 */
async function deploy(h, ctx, spec) {
	const webhookId = crypto.randomUUID();
	const workflow = await h.api.createWorkflow({
		name: `e2e retry: ${spec.vendor}${spec.retryOnFail ? ' (Retry On Fail)' : ''}`,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: { httpMethod: 'POST', path: `${webhookId}/send`, responseMode: 'onReceived', options: {} },
			},
			{
				id: crypto.randomUUID(),
				name: 'Send SMS',
				type: PACKAGE_PREFIX + spec.vendor,
				typeVersion: 1,
				position: [260, 0],
				parameters: { phones: '={{ $json.body.phones }}', ...spec.parameters },
				credentials: ctx[spec.vendor],
				...(spec.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 5000 } : {}),
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	await h.api.publishWorkflow(workflow.id);
	const url = h.webhookUrl(webhookId, 'send');
	await h.waitForWebhook(url);
	return { workflowId: workflow.id, url };
}

/** POSTs the numbers to the workflow's webhook. @param {string} url @param {string[]} phones */
async function start(url, phones) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phones: phones.join(',') }), signal: AbortSignal.timeout(30000) });
	assert.equal(res.status, 200, `webhook answered ${res.status}: ${await res.text()}`);
}

/** The n-th finished execution of a workflow (1-based, oldest first), with its data. @param {import('../harness').Harness} h @param {string} workflowId @param {number} n */
async function nth(h, workflowId, n) {
	const executions = await h.waitForExecutions(workflowId, n, 60000);
	return h.api.getExecution(executions[n - 1].id);
}

/** The send node's recipients in an execution. @param {any} execution */
function recipientsOf(execution) {
	const out = nodeResult(execution, 'Send SMS').outputs[0] || [];
	return out.flatMap((/** @type {any} */ item) => item.recipients || []);
}

/**
 * A send that fails part way, is topped up and retried through n8n's API; every number got one SMS.
 * Then the same numbers sent again outside a retry reach the vendor again.
 * @param {{ vendor: 'zhuanxinyun' | 'veesing', phones: string[], balance: number, parameters: Record<string, any>, loadWorkflow?: boolean, again?: boolean }} spec
 *   again: then send the same items anew (not for Veesing, which takes one code a minute per number)
 * @returns {import('../harness').Check['run']}
 */
function retriedThroughApi(spec) {
	return async (h, ctx) => {
		const { vendor, phones } = spec;
		const { workflowId, url } = await deploy(h, ctx, { vendor, parameters: spec.parameters });
		try {
			h.sim.reset();
			h.sim.configure({ [vendor]: { balance: spec.balance } });
			await start(url, phones);
			const failed = await nth(h, workflowId, 1);
			assert.equal(failed.status, 'error', `the first execution ended ${failed.status}`);
			assert.equal(failed.mode, 'webhook');
			const before = tally(acceptedCounts(h, vendor));
			assert.equal(before.messages, spec.balance, `the vendor took ${before.messages} messages before the balance ran out`);

			h.sim.configure({ [vendor]: { balance: TOPPED_UP } });
			const callsBefore = h.simRequests(vendor).length;
			const retried = await h.api.retryExecution(failed.id, { loadWorkflow: spec.loadWorkflow });
			const retry = await h.api.waitForExecution(String(retried.id), 60000);
			assert.equal(retry.status, 'success', `the retry ended ${retry.status}: ${JSON.stringify(retry.data?.resultData?.error?.message)}`);
			assert.equal(retry.mode, 'retry');
			assert.equal(String(retry.retryOf), String(failed.id));
			const after = tally(acceptedCounts(h, vendor));
			const retryCalls = h.simRequests(vendor).length - callsBefore;
			h.log(
				`${vendor}${spec.loadWorkflow ? ' (current workflow)' : ''}: failed execution ${before.messages} of ${phones.length} accepted; ` +
					`retry: ${retryCalls} calls, ${after.messages - before.messages} messages; at the simulator ${after.numbers} numbers, ${after.once} once, ${after.twice} twice`,
			);
			assert.deepEqual(after, { numbers: phones.length, messages: phones.length, once: phones.length, twice: 0 });
			const recipients = recipientsOf(retry);
			assert.equal(recipients.length, phones.length);
			assert.equal(recipients.filter((/** @type {any} */ r) => r.alreadySent === true && r.accepted === true && typeof r.acceptedAt === 'string').length, spec.balance);
			assert.ok(recipients.every((/** @type {any} */ r) => r.outcome === 'accepted'));

			if (!spec.again) return;
			// Outside a retry, the same items go out again: an alert must reach everyone every time.
			await start(url, phones);
			const again = await nth(h, workflowId, 3);
			assert.equal(again.status, 'success', `the new execution ended ${again.status}`);
			const third = tally(acceptedCounts(h, vendor));
			h.log(`${vendor}: the same numbers again outside a retry: at the simulator ${third.numbers} numbers, ${third.twice} twice`);
			assert.deepEqual(third, { numbers: phones.length, messages: 2 * phones.length, once: 0, twice: phones.length });
			assert.equal(recipientsOf(again).filter((/** @type {any} */ r) => r.alreadySent).length, 0);
		} finally {
			await h.api.unpublishWorkflow(workflowId).catch(() => {});
		}
	};
}

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		zhuanxinyun: await h.simulatorCredential('zhuanxinyun', 'Zhuanxinyun (simulator, retry)'),
		veesing: await h.simulatorCredential('veesing', 'Veesing (simulator, retry)'),
	};
}

const ZHUANXINYUN = { operation: 'send', content: CONTENT };
const VEESING = { operation: 'send', templateId: '540', code: '1234' };

/** @type {import('../harness').Check[]} */
const checks = [
	{
		name: "Zhuanxinyun: 3,000 numbers, the balance runs out after 2 calls; n8n's Retry (API) sends only the last 1,000, and the same items sent anew reach everyone again",
		run: retriedThroughApi({ vendor: 'zhuanxinyun', phones: phonesFrom(0, 3000), balance: 2000, parameters: ZHUANXINYUN, again: true }),
		timeoutMs: 150000,
	},
	{
		name: "Zhuanxinyun: the same with n8n's Retry with the currently saved workflow",
		run: retriedThroughApi({ vendor: 'zhuanxinyun', phones: phonesFrom(5000, 3000), balance: 2000, parameters: ZHUANXINYUN, loadWorkflow: true }),
		timeoutMs: 150000,
	},
	{
		name: "Veesing (one call a number): 12 numbers, the balance runs out after 5; n8n's Retry sends only the other 7",
		run: retriedThroughApi({ vendor: 'veesing', phones: phonesFrom(9000, 12), balance: 5, parameters: VEESING }),
		timeoutMs: 150000,
	},
	{
		name: 'Zhuanxinyun with Retry On Fail: the second try sends only what the first did not reach',
		timeoutMs: 150000,
		async run(h, ctx) {
			const phones = phonesFrom(20000, 3000);
			const { workflowId, url } = await deploy(h, ctx, { vendor: 'zhuanxinyun', parameters: ZHUANXINYUN, retryOnFail: true });
			try {
				h.sim.reset();
				h.sim.configure({ zhuanxinyun: { balance: 2000 } });
				await start(url, phones);
				// Top up as soon as the vendor refused a call, before n8n's second try (5 s later).
				const deadline = Date.now() + 30000;
				while (!h.simRequests('zhuanxinyun').some((r) => r.response && JSON.parse(r.response.body).errorCode === '100009')) {
					assert.ok(Date.now() < deadline, 'the balance never ran out');
					await h.sleep(20);
				}
				h.sim.configure({ zhuanxinyun: { balance: TOPPED_UP } });
				const execution = await nth(h, workflowId, 1);
				assert.equal(execution.status, 'success', `the execution ended ${execution.status}`);
				const counts = tally(acceptedCounts(h, 'zhuanxinyun'));
				const calls = h.simRequests('zhuanxinyun').length;
				h.log(`zhuanxinyun Retry On Fail: ${calls} calls (one refused); at the simulator ${counts.numbers} numbers, ${counts.once} once, ${counts.twice} twice`);
				assert.deepEqual(counts, { numbers: 3000, messages: 3000, once: 3000, twice: 0 });
				assert.equal(recipientsOf(execution).filter((/** @type {any} */ r) => r.alreadySent).length, 2000);
			} finally {
				await h.api.unpublishWorkflow(workflowId).catch(() => {});
			}
		},
	},
];

module.exports = { vendor: 'retry', nodeTypes: ['zhuanxinyun', 'veesing'], setup, checks };
