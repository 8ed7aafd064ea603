// @ts-check
'use strict';
// The checks only queue mode has, run after every vendor's scenarios: where the executions ran (the
// processes' logs), and a worker that lacks the package, which fails every job it takes.

const assert = require('node:assert/strict');

const { PACKAGE_PREFIX: PREFIX } = require('./shell');

/**
 * Execution ids a log names in one kind of line ("Enqueued execution 12 (job 12)", "Worker started
 * execution 12 (job 12)", "Worker finished execution 12 (job 12)").
 * @param {string} text @param {RegExp} line with one group: the execution id
 */
function idsIn(text, line) {
	return new Set([...text.matchAll(new RegExp(line.source, 'g'))].map((m) => m[1]));
}

/**
 * @param {import('./queue').QueueSet} set
 * @returns {import('./harness').Check[]}
 */
function queueChecks(set) {
	return [
		{
			name: 'the executions ran on the workers (both), the pushes came in through the webhook process, none ran on main',
			async run(h) {
				const webhook = /** @type {import('./n8n').N8nInstance} */ (set.webhook);
				const main = /** @type {import('./n8n').N8nInstance} */ (set.main);
				const enqueued = idsIn(webhook.logText(), /Enqueued execution (\d+)/);
				const perWorker = set.workers.map((w) => ({
					name: w.name,
					started: idsIn(w.logText(), /Worker started execution (\d+)/),
					finished: idsIn(w.logText(), /Worker finished execution (\d+)/),
				}));
				const finished = new Set(perWorker.flatMap((w) => [...w.finished]));
				h.log(`  webhook process enqueued ${enqueued.size}; ${perWorker.map((w) => `${w.name} started ${w.started.size}, finished ${w.finished.size}`).join('; ')}`);
				assert.ok(enqueued.size >= 10, `the webhook process enqueued only ${enqueued.size} executions`);
				const unfinished = [...enqueued].filter((id) => !finished.has(id));
				assert.deepEqual(unfinished, [], 'executions the webhook process enqueued that no worker finished');
				for (const w of perWorker) assert.ok(w.finished.size > 0, `${w.name} finished no execution`);
				assert.doesNotMatch(main.logText(), /Worker (started|finished) execution/, 'main ran executions itself');
				assert.equal(idsIn(main.logText(), /Enqueued execution (\d+)/).size > 0, true, 'main enqueued no manual execution');
				const both = [...perWorker[0].started].filter((id) => perWorker.slice(1).some((w) => w.started.has(id)));
				assert.deepEqual(both, [], 'an execution was started on two workers');
			},
		},
		{
			name: "the retried executions (n8n's Retry through the API, scenario retry.js) ran on the workers too",
			async run(h) {
				const body = await h.api.ok('GET', '/api/v1/executions?limit=250');
				const retries = (body.data || []).filter((/** @type {any} */ e) => e.mode === 'retry').map((/** @type {any} */ e) => String(e.id));
				const finished = new Set(set.workers.flatMap((w) => [...idsIn(w.logText(), /Worker finished execution (\d+)/)]));
				h.log(`  retried executions ${retries.join(', ')}; finished on a worker: ${retries.filter((id) => finished.has(id)).join(', ')}`);
				if (retries.length === 0) return h.log('  no retried execution in this run (the retry scenario was not selected)');
				assert.deepEqual(retries.filter((id) => !finished.has(id)), [], 'retried executions no worker finished');
			},
		},
		{
			name: 'a worker without the package fails the push\'s execution: answered at once the push is lost; answered after the run the vendor gets an error status and pushes again',
			timeoutMs: 120000,
			async run(h) {
				// Only the worker without the package is left to take jobs.
				const good = set.workers.slice();
				await Promise.all(good.map((w) => w.stop()));
				const bare = await set.makeWorker('worker-without-package', { withPackage: false });
				set.workers.push(bare);
				await bare.start();
				const record = (/** @type {string} */ id) => [{ missionNum: id, phone: '13800138000', batchNum: 'b-bare' }];
				const push = async (/** @type {string} */ answerMode, /** @type {string} */ id) => {
					const trigger = await h.deployTrigger({ type: 'zhuanxinyunTrigger', parameters: { settings: { answerMode } } });
					try {
						const answer = await h.sim.push({ vendor: 'zhuanxinyun', url: trigger.url, kind: 'delivery', records: record(id) });
						const [execution] = await h.waitForExecutions(trigger.workflowId, 1, 60000);
						return { answer, execution };
					} finally {
						await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
					}
				};
				const atOnce = await push('atOnce', 'bare-1');
				assert.deepEqual(atOnce.answer, { status: 200, body: 'SUCCESS' }, 'at once, the vendor is told SUCCESS before any worker ran it');
				assert.equal(atOnce.execution.status, 'error');
				const afterRun = await push('afterRun', 'bare-2');
				assert.ok(afterRun.answer.status >= 500, `after the run: ${JSON.stringify(afterRun.answer)}`);
				assert.notEqual(afterRun.answer.body, 'SUCCESS');
				assert.equal(afterRun.execution.status, 'error');
				const full = await h.api.getExecution(afterRun.execution.id);
				const error = JSON.stringify(full && full.data && full.data.resultData && full.data.resultData.error);
				const unrecognized = `Unrecognized node type: ${PREFIX}zhuanxinyunTrigger`;
				assert.ok(error.includes(unrecognized) || bare.logText().includes(unrecognized), `neither the execution nor the worker's log says "${unrecognized}": ${error}`);
				assert.match(bare.logText(), /Worker started execution/, 'the bare worker took no job');
			},
		},
	];
}

module.exports = { queueChecks };
