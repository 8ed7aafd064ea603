#!/usr/bin/env node
// @ts-check
'use strict';
// Faults in n8n's queue mode, measured and printed (a report, not a test): a worker is killed with
// SIGKILL while it holds executions, as a machine that dies would.
//
//   npm run bench:queue [-- --pushes 1000 --at-once 8 --recipients 1000 --only push|send]
//
// 1. Pushes: N pushes (Veesing receipts, each its own taskid) at 8 at once to the webhook process; the
//    trigger's workflow waits 2 s (a Wait node), so executions are in progress on the workers when
//    worker-1 is killed after a third of the pushes (a replacement worker starts 2 s later, as a
//    supervisor would start one). Once for each trigger answer mode: at once, after the workflow ran.
//    Counted: pushes answered 200 (and otherwise), executions recorded by status, pushes with more
//    than one execution (duplicates), pushes answered 200 with no successful execution (lost), and
//    the slowest answer.
// 2. A send: one Veesing node sending to N recipients, one call each (the simulator answers each call
//    after 200 ms), on a worker killed mid-send. Counted from the simulator's log: numbers it received
//    once, twice, never; and the execution's status. Run with n8n's default for
//    QUEUE_WORKER_MAX_STALLED_COUNT and with QUEUE_WORKER_MAX_STALLED_COUNT=0.
// Everything runs on 127.0.0.1 (scripts/e2e/queue.js) and is stopped at the end; n8n's default lock
// duration (60 s) and stalled-job interval (30 s) are kept, so each kill costs up to 90 s of waiting.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const n8nLib = require('./e2e/n8n');
const { createHarness } = require('./e2e/harness');
const { QueueSet } = require('./e2e/queue');

const args = process.argv.slice(2);
/** @param {string} name @param {number} fallback */
const num = (name, fallback) => {
	const i = args.indexOf(name);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const onlyIndex = args.indexOf('--only');
const ONLY = onlyIndex >= 0 ? args[onlyIndex + 1] : '';
const PUSHES = num('--pushes', 1000);
const AT_ONCE = num('--at-once', 8);
const RECIPIENTS = num('--recipients', 1000);
const WAIT_SECONDS = 2;
const WORKER_CONCURRENCY = 10;

const started = Date.now();
/** @param {string} line */
const log = (line) => console.log(`[bench-queue ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
const { sleep } = n8nLib;

/**
 * All executions of a workflow (the public API pages by cursor), with their data when asked.
 * @param {import('./e2e/n8n').N8nClient} api @param {string} workflowId @param {boolean} [includeData]
 */
async function allExecutions(api, workflowId, includeData = true) {
	/** @type {any[]} */
	const all = [];
	let cursor = '';
	for (;;) {
		const body = await api.ok('GET', `/api/v1/executions?workflowId=${workflowId}&includeData=${includeData}&limit=250${cursor ? `&cursor=${cursor}` : ''}`);
		all.push(...(body.data || []));
		if (!body.nextCursor) return all;
		cursor = body.nextCursor;
	}
}

/**
 * Waits until the workflow has `expected` executions, all stopped, or until they stopped changing
 * for `quietMs`.
 * @param {import('./e2e/n8n').N8nClient} api @param {string} workflowId @param {number} expected @param {number} quietMs
 */
async function settle(api, workflowId, expected, quietMs) {
	let last = '';
	let since = Date.now();
	for (;;) {
		const list = await allExecutions(api, workflowId, false);
		const stopped = list.filter((e) => e.stoppedAt).length;
		const key = `${list.length}/${stopped}`;
		if (key !== last) {
			last = key;
			since = Date.now();
		}
		if (list.length >= expected && stopped === list.length) return list;
		if (Date.now() - since > quietMs) return list;
		await sleep(2000);
	}
}

/** @param {any[]} list @param {(x: any) => string} key */
function countBy(list, key) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const x of list) counts[key(x)] = (counts[key(x)] || 0) + 1;
	return counts;
}

/**
 * Executions each worker started, from their logs: an id started on two workers ran twice.
 * @param {QueueSet} set
 */
function startsByExecution(set) {
	/** @type {Map<string, number>} */
	const starts = new Map();
	for (const w of set.workers) {
		for (const m of w.logText().matchAll(/Worker started execution (\d+)/g)) starts.set(m[1], (starts.get(m[1]) || 0) + 1);
	}
	return starts;
}

/**
 * Kills the worker (SIGKILL to its group), then starts a replacement 2 s later, as a supervisor would.
 * @param {QueueSet} set @param {import('./e2e/n8n').N8nInstance} victim @param {import('./e2e/n8n').N8nInstance} replacement
 */
async function killAndReplace(set, victim, replacement) {
	await victim.kill();
	log(`  SIGKILL ${victim.name}`);
	await sleep(2000);
	set.workers.push(replacement);
	await replacement.start();
	log(`  ${replacement.name} started`);
}

/**
 * @param {ReturnType<typeof createHarness>} h @param {QueueSet} set @param {'atOnce' | 'afterRun'} answerMode @param {string} label
 */
async function pushBench(h, set, answerMode, label) {
	log(`pushes: ${PUSHES} at ${AT_ONCE} at once, answer ${answerMode}, ${label}`);
	const trigger = await h.deployTrigger({
		type: 'veesingTrigger',
		parameters: { settings: { answerMode } },
		then: { type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: WAIT_SECONDS, unit: 'seconds' } },
	});
	const replacement = await set.makeWorker(`worker-${set.workers.length + 1}`);
	const victim = /** @type {import("./e2e/n8n").N8nInstance} */ (set.workers.find((w) => !w.exited));
	const killAt = Math.floor(PUSHES / 3);
	/** @type {{ id: string, status: number, ms: number }[]} */
	const answers = [];
	let next = 0;
	/** @type {Promise<void> | null} */
	let kill = null;
	const t0 = Date.now();
	const pusher = async () => {
		while (next < PUSHES) {
			const id = `p${String(next++).padStart(5, '0')}`;
			const body = `mobile=13800138000&taskid=${id}&status=1&receivetime=2024-05-06+07%3A08%3A09`;
			const ts = Date.now();
			let status = 0;
			try {
				const res = await fetch(trigger.url, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body,
					signal: AbortSignal.timeout(180000),
				});
				await res.text();
				status = res.status;
			} catch {
				status = 0;
			}
			answers.push({ id, status, ms: Date.now() - ts });
			if (answers.length === killAt && !kill) kill = killAndReplace(set, victim, replacement);
		}
	};
	await Promise.all(Array.from({ length: AT_ONCE }, pusher));
	if (kill) await kill;
	const pushMs = Date.now() - t0;
	log(`  ${answers.length} pushes answered in ${(pushMs / 1000).toFixed(0)} s; waiting for the executions to settle`);
	const executions = await settle(h.api, trigger.workflowId, PUSHES, 150000);
	await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
	const withData = await allExecutions(h.api, trigger.workflowId);
	/** @type {Map<string, any[]>} */
	const byPush = new Map();
	for (const e of withData) {
		const items = h.triggerItems(e);
		const id = items[0] ? String(items[0].messageId) : '?';
		byPush.set(id, [...(byPush.get(id) || []), e]);
	}
	const ok = answers.filter((a) => a.status === 200);
	const lost = ok.filter((a) => !(byPush.get(a.id) || []).some((e) => e.status === 'success'));
	// An execution that died with its worker keeps no trigger data: it cannot be tied to its push.
	const untied = (byPush.get('?') || []).length;
	byPush.delete('?');
	const duplicates = [...byPush.values()].filter((list) => list.length > 1).length;
	const starts = startsByExecution(set);
	const ranTwice = withData.filter((e) => (starts.get(String(e.id)) || 0) > 1).length;
	await sleep(0);
	return {
		kind: 'pushes',
		label,
		answerMode,
		pushes: answers.length,
		answered: countBy(answers, (a) => String(a.status)),
		executions: executions.length,
		statuses: countBy(withData, (e) => e.status),
		duplicates,
		untied,
		ranTwice,
		lost: lost.length,
		notAnswered200: answers.length - ok.length,
		slowestMs: Math.max(...answers.map((a) => a.ms)),
		seconds: Math.round(pushMs / 1000),
	};
}

/**
 * @param {ReturnType<typeof createHarness>} h @param {QueueSet} set @param {any} credentials @param {string} label
 */
async function sendBench(h, set, credentials, label) {
	log(`send: ${RECIPIENTS} recipients one call each, simulator at 200 ms, ${label}`);
	h.sim.reset();
	h.sim.configure({ responseDelayMs: 200, veesing: { balance: 1000000 } });
	const phones = Array.from({ length: RECIPIENTS }, (_, i) => `139${String(10000000 + i * 7).padStart(8, '0')}`);
	const replacement = await set.makeWorker(`worker-${set.workers.length + 1}`);
	const workflow = await h.api.createWorkflow({
		name: `bench send ${label}`,
		nodes: [
			{ id: crypto.randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: crypto.randomUUID(),
				name: 'SMS',
				type: `${n8nLib.PACKAGE_PREFIX}veesing`,
				typeVersion: 1,
				position: [260, 0],
				parameters: { operation: 'send', phones: phones.join(','), templateId: '540', code: '1234' },
				credentials,
			},
		],
		connections: { Start: { main: [[{ node: 'SMS', type: 'main', index: 0 }]] } },
	});
	const t0 = Date.now();
	const executionId = await h.api.runWorkflow(workflow.id, 'Start');
	// The worker that took the job, from its log.
	/** @type {import('./e2e/n8n').N8nInstance | undefined} */
	let victim;
	while (!victim) {
		victim = set.workers.find((w) => !w.exited && new RegExp(`Worker started execution ${executionId} `).test(w.logText()));
		if (!victim) await sleep(100);
	}
	const sendsBefore = () => h.simRequests('veesing').filter((/** @type {any} */ r) => r.operation !== 'getBalance').length;
	const killAt = Math.floor(RECIPIENTS * 0.3);
	while (sendsBefore() < killAt) await sleep(50);
	const atKill = sendsBefore();
	await killAndReplace(set, victim, replacement);
	log(`  ${atKill} calls had reached the simulator at the kill; waiting for the execution to end`);
	/** @type {any} */
	let execution = null;
	let quietSince = Date.now();
	let lastCount = -1;
	for (;;) {
		execution = await h.api.getExecution(executionId).catch(() => null);
		if (execution && execution.stoppedAt && ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) break;
		const count = sendsBefore();
		if (count !== lastCount) {
			lastCount = count;
			quietSince = Date.now();
		}
		if (Date.now() - quietSince > 240000) break;
		await sleep(2000);
	}
	// Calls of a re-run may still arrive just after the status changes.
	await sleep(3000);
	const calls = h.simRequests('veesing').filter((/** @type {any} */ r) => r.operation !== 'getBalance');
	/** @type {Map<string, { received: number, accepted: number }>} */
	const perPhone = new Map(phones.map((p) => [p, { received: 0, accepted: 0 }]));
	for (const c of calls) {
		const entry = perPhone.get(String(c.params.phone));
		if (!entry) continue;
		entry.received++;
		if (c.response && c.response.status === 200 && /"returnStatus":"1 "/.test(String(c.response.body))) entry.accepted++;
	}
	const values = [...perPhone.values()];
	const starts = startsByExecution(set).get(executionId) || 0;
	h.sim.configure({ responseDelayMs: 0 });
	return {
		kind: 'send',
		label,
		recipients: RECIPIENTS,
		atKill,
		receivedOnce: values.filter((v) => v.received === 1).length,
		receivedTwice: values.filter((v) => v.received === 2).length,
		receivedMore: values.filter((v) => v.received > 2).length,
		receivedNever: values.filter((v) => v.received === 0).length,
		acceptedTwice: values.filter((v) => v.accepted >= 2).length,
		executionStatus: execution ? execution.status : 'unknown',
		workerStarts: starts,
		seconds: Math.round((Date.now() - t0) / 1000),
	};
}

/** @param {any[]} results */
function printReport(results) {
	const lines = [];
	lines.push('');
	lines.push(`## Queue mode under a worker killed (SIGKILL) mid-run: n8n ${n8nLib.N8N_VERSION}, 2 workers x ${WORKER_CONCURRENCY}, ${new Date().toISOString().slice(0, 10)}`);
	const pushes = results.filter((r) => r.kind === 'pushes');
	if (pushes.length) {
		lines.push('');
		lines.push(`Pushes: ${PUSHES} Veesing receipts at ${AT_ONCE} at once to the webhook process; the workflow waits ${WAIT_SECONDS} s; a worker killed after ${Math.floor(PUSHES / 3)} answers, a new worker 2 s later.`);
		lines.push('');
		lines.push('| answer the vendor | answered 200 | answered otherwise | executions (by status) | without the push\'s data | pushes with 2+ executions | executions run twice | lost (answered 200, no success) | slowest answer |');
		lines.push('|---|---:|---:|---|---:|---:|---:|---:|---:|');
		for (const r of pushes) {
			const statuses = Object.entries(r.statuses).map(([k, v]) => `${v} ${k}`).join(', ');
			const other = Object.entries(r.answered).filter(([k]) => k !== '200').map(([k, v]) => `${v} × ${k === '0' ? 'no answer' : k}`).join(', ') || '0';
			lines.push(`| ${r.answerMode === 'atOnce' ? 'At Once' : 'After the Workflow Ran'} | ${r.answered['200'] || 0} | ${other} | ${r.executions}: ${statuses} | ${r.untied} | ${r.duplicates} | ${r.ranTwice} | ${r.lost} | ${(r.slowestMs / 1000).toFixed(1)} s |`);
		}
	}
	const sends = results.filter((r) => r.kind === 'send');
	if (sends.length) {
		lines.push('');
		lines.push(`Send: one Veesing node, ${RECIPIENTS} recipients one call each (simulator answers after 200 ms, node concurrency 4); its worker killed once 30 % of the calls had arrived, a new worker 2 s later.`);
		lines.push('');
		lines.push('| stalled-job setting | calls at the kill | numbers received once | twice | more | never | accepted twice | execution | started on a worker |');
		lines.push('|---|---:|---:|---:|---:|---:|---:|---|---:|');
		for (const r of sends) {
			lines.push(`| ${r.label} | ${r.atKill} | ${r.receivedOnce} | ${r.receivedTwice} | ${r.receivedMore} | ${r.receivedNever} | ${r.acceptedTwice} | ${r.executionStatus} | ${r.workerStarts} × |`);
		}
	}
	const text = lines.join('\n');
	console.log(text);
	fs.mkdirSync(path.join(n8nLib.REPO, '.tmp'), { recursive: true });
	fs.writeFileSync(path.join(n8nLib.REPO, '.tmp', 'bench-queue.md'), `${text}\n`);
	fs.writeFileSync(path.join(n8nLib.REPO, '.tmp', 'bench-queue.json'), JSON.stringify(results, null, 2));
	log('report written to .tmp/bench-queue.md and .tmp/bench-queue.json');
}

async function main() {
	const tmp = n8nLib.makeTempDir('cn-sms-bench-queue-');
	const bins = await n8nLib.ensureN8n({ log });
	const tgz = await n8nLib.packPackage(path.join(tmp, 'pack'));
	const { startSimulator } = require(path.join(n8nLib.REPO, 'simulator'));
	const sim = await startSimulator({ port: 0 });
	/** @type {QueueSet | null} */
	let set = null;
	const stopAll = async () => {
		if (set) await set.stop();
		set = null;
		await Promise.resolve(sim.close()).catch(() => {});
	};
	process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
	/** @type {any[]} */
	const results = [];
	try {
		const settings = [
			{ label: 'default', env: {} },
			{ label: 'QUEUE_WORKER_MAX_STALLED_COUNT=0', env: { QUEUE_WORKER_MAX_STALLED_COUNT: '0' } },
		];
		for (const setting of settings) {
			set = new QueueSet({ dir: path.join(tmp, setting.label.replace(/\W+/g, '-')), tgz, bins, log, concurrency: WORKER_CONCURRENCY, env: setting.env });
			log(`starting the queue-mode set (${setting.label})`);
			await set.start();
			const api = new n8nLib.N8nClient(/** @type {any} */ (set.main).url);
			await api.setupOwner({ email: 'bench@example.com', password: 'Bench-password-1', firstName: 'Bench', lastName: 'Owner' });
			await api.createApiKey('bench');
			const h = createHarness({ n8n: /** @type {any} */ (set.main), api, sim, log, webhooks: /** @type {any} */ (set.webhook), queue: true });
			if (ONLY !== 'send' && setting.label === 'default') {
				for (const mode of /** @type {const} */ (['atOnce', 'afterRun'])) results.push(await pushBench(h, set, mode, setting.label));
			}
			if (ONLY !== 'push') {
				results.push(await sendBench(h, set, await h.simulatorCredential('veesing', 'Veesing (simulator)'), setting.label));
			}
			await set.stop();
			set = null;
			if (ONLY === 'push') break;
		}
	} finally {
		await stopAll();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	printReport(results);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
