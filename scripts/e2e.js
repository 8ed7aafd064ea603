#!/usr/bin/env node
// @ts-check
'use strict';
// End-to-end tests in a real n8n: the package is built, packed, installed into a fresh n8n user
// folder as users install it, and n8n runs on 127.0.0.1 next to the vendor simulator. Every vendor with
// a file in scripts/e2e/scenarios/ whose nodes the package lists runs its checks there.
//
//   node scripts/e2e.js [--n8n <version>] [--queue] [--vendor zhuanxinyun] [--only <text>] [--skip <text>] [--skip-build] [--keep]
//
// --n8n picks one of the versions in scripts/n8n-versions.json (default: the first, the newest);
// `npm test` runs the suite on each of them.
// --queue runs the suite against n8n in queue mode (scripts/e2e/queue.js: Redis, Postgres, a main
// process, 2 workers and a webhook process, the package installed for each), leaving out the checks
// that say `queue: false`, and adds the checks that prove where executions and pushes ran.
// --only/--skip run or leave out the checks whose name contains the text.
// Env: CN_SMS_CACHE (where Node 24 and n8n are installed once), E2E_SKIP_BUILD=1, E2E_KEEP=1 (keep the
// temp folder with n8n's log and database), E2E_VERBOSE=1, E2E_PACKAGE_DIR (pack this folder instead of
// the repository, already built).
// Prints one line per check and `N passed, M failed`; exits 1 when any check failed.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const n8nLib = require('./e2e/n8n');
const { createHarness, loadScenarios } = require('./e2e/harness');

const { flag, option } = require('./e2e/shell').cliArgs();

const SKIP_BUILD = flag('--skip-build') || process.env.E2E_SKIP_BUILD === '1';
const KEEP = flag('--keep') || process.env.E2E_KEEP === '1';
const VERBOSE = process.env.E2E_VERBOSE === '1';
const ONLY_VENDOR = option('--vendor');
const ONLY = option('--only');
const SKIP = option('--skip');
const QUEUE = flag('--queue') || process.env.E2E_QUEUE === '1';
const N8N_VERSION = option('--n8n') || n8nLib.N8N_VERSION;
if (!n8nLib.N8N_VERSIONS.includes(N8N_VERSION)) {
	console.error(`--n8n ${N8N_VERSION}: not one of scripts/n8n-versions.json (${n8nLib.N8N_VERSIONS.join(', ')})`);
	process.exit(2);
}
const CHECK_TIMEOUT_MS = 90000;

const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1);
/** @param {string} line */
const log = (line) => console.log(`[e2e n8n ${N8N_VERSION}${QUEUE ? ' queue' : ''} ${secs()}s] ${line}`);

/** @type {{ name: string, ok: boolean, ms: number, error?: string }[]} */
const results = [];
/** Is a check of this name selected by --only/--skip? @param {string} name */
function selected(name) {
	const lower = name.toLowerCase();
	if (ONLY && !lower.includes(ONLY.toLowerCase())) return false;
	if (SKIP && lower.includes(SKIP.toLowerCase())) return false;
	return true;
}

/** The running n8n, so that a check can tell a crash of n8n from a failure of its own. */
/** @type {import('./e2e/n8n').N8nInstance | null} */
let currentN8n = null;

/**
 * Runs one named check, bounded in time, and records it.
 * @param {string} name @param {() => Promise<void>} fn @param {number} [timeoutMs]
 * @param {{ afterN8n?: boolean, always?: boolean }} [opts] afterN8n: the check runs after n8n was
 *   stopped on purpose; always: not subject to --only/--skip
 */
async function check(name, fn, timeoutMs = CHECK_TIMEOUT_MS, { afterN8n = false, always = false } = {}) {
	if (!always && !selected(name)) return;
	const t0 = Date.now();
	const n8nBefore = afterN8n ? null : currentN8n;
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	/** @param {string} message */
	const recordFailure = (message) => {
		results.push({ name, ok: false, ms: Date.now() - t0, error: message });
		console.log(`  FAIL  ${name} (${Date.now() - t0} ms)\n        ${message.split('\n').join('\n        ')}`);
	};
	try {
		if (n8nBefore && n8nBefore.exited) {
			throw new Error(`not run: n8n is no longer running (exit code ${n8nBefore.exitCode}, signal ${n8nBefore.exitSignal || 'none'})`);
		}
		await Promise.race([
			fn(),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
			}),
		]);
		results.push({ name, ok: true, ms: Date.now() - t0 });
		console.log(`  ok    ${name} (${Date.now() - t0} ms)`);
	} catch (error) {
		const message = error instanceof Error ? (VERBOSE ? error.stack || error.message : error.message) : String(error);
		// A failure may be n8n's own death (or a hang before it): say so, and bring n8n back (same user
		// folder, port and database) so that one crash does not hide what the other checks would find.
		if (n8nBefore && !message.startsWith('not run') && !(await n8nBefore.isResponsive(3000))) {
			const how = n8nBefore.exited
				? `died (exit code ${n8nBefore.exitCode}, signal ${n8nBefore.exitSignal || 'none'})`
				: 'stopped answering; it is stopped now';
			await n8nBefore.stop({ timeoutMs: 3000 });
			const tail = n8nBefore
				.logTail(200)
				.split('\n')
				.filter((line) => line.trim() && !/^\s*\d+: 0x/.test(line))
				.slice(-8)
				.join('\n');
			recordFailure(`${message}\nn8n ${how} during this check; its log ends:\n${tail}`);
			try {
				log('restarting n8n for the remaining checks');
				await n8nBefore.start();
				log('n8n is back');
			} catch (restartError) {
				log(`n8n did not come back: ${restartError instanceof Error ? restartError.message : restartError}`);
			}
			return;
		}
		recordFailure(message);
	} finally {
		clearTimeout(timer);
	}
}

async function main() {
	const pkg = JSON.parse(fs.readFileSync(path.join(n8nLib.REPO, 'package.json'), 'utf8'));
	const prefix = n8nLib.PACKAGE_PREFIX;
	/** @param {string} file */
	const baseName = (file) => path.basename(file).replace(/\.(node|credentials)\.js$/, '');
	// Node type names as n8n registers them: <package>.<description.name>; the file name's lower-camel
	// form is the convention, checked against what n8n reports.
	/** @type {string[]} */
	const listedNodes = (pkg.n8n.nodes || []).map(baseName);
	/** @type {string[]} */
	const listedCredentials = (pkg.n8n.credentials || []).map(baseName);

	const tmp = n8nLib.makeTempDir('cn-sms-e2e-');
	const userFolder = path.join(tmp, 'n8n');
	/** @type {import('./e2e/n8n').N8nInstance | null} */
	let n8n = null;
	/** @type {import('./e2e/queue').QueueSet | null} */
	let queueSet = null;
	/** @type {any} */
	let sim = null;
	let simPort = 0;

	const cleanup = async () => {
		if (queueSet) await queueSet.stop().catch(() => {});
		else if (n8n) await n8n.stop().catch(() => {});
		if (sim) await Promise.resolve(sim.close()).catch(() => {});
		n8n = null;
		sim = null;
	};
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
		process.once(signal, () => {
			log(`${signal}: stopping what this run started`);
			cleanup().finally(() => process.exit(130));
		});
	}

	try {
		log(`ensuring Node 24 and n8n ${N8N_VERSION} in the cache folder (about 4 minutes the first time)`);
		const bins = await n8nLib.ensureN8n({ log, version: N8N_VERSION });
		log(`cache: ${bins.cache}`);

		if (!SKIP_BUILD) {
			log('npm run build');
			await n8nLib.buildPackage();
		}
		log(`npm pack + npm install into ${QUEUE ? "every n8n process's" : 'a fresh'} n8n user folder`);
		const tgz = await n8nLib.packPackage(path.join(tmp, 'pack'), process.env.E2E_PACKAGE_DIR);

		const { startSimulator } = require(path.join(n8nLib.REPO, 'simulator'));
		sim = await startSimulator({ port: 0 });
		simPort = sim.port;
		log(`simulator on ${sim.url}`);

		/** @type {import('./e2e/n8n').N8nInstance} */
		let webhooks;
		if (QUEUE) {
			const { QueueSet } = require('./e2e/queue');
			queueSet = new QueueSet({ dir: path.join(tmp, 'queue'), tgz, bins, log });
			log('starting Redis, Postgres, n8n main, 2 workers and a webhook process');
			await queueSet.start();
			n8n = /** @type {import('./e2e/n8n').N8nInstance} */ (queueSet.main);
			webhooks = /** @type {import('./e2e/n8n').N8nInstance} */ (queueSet.webhook);
		} else {
			await n8nLib.installPackage(userFolder, tgz);
			n8n = new n8nLib.N8nInstance({ ...bins, userFolder });
			log('starting n8n');
			await n8n.start();
			webhooks = n8n;
		}
		currentN8n = n8n;
		log(`n8n ready on ${n8n.url} (log: ${n8n.logFile})`);

		const api = new n8nLib.N8nClient(n8n.url, { version: N8N_VERSION });
		await api.setupOwner({ email: 'e2e@example.com', password: 'E2e-password-1', firstName: 'E2E', lastName: 'Owner' });
		await api.createApiKey('e2e');

		/** @type {Set<string>} */
		let loadedNodes = new Set();
		/** @type {Set<string>} */
		let loadedCredentials = new Set();
		await check('n8n loads every node and credential type the package lists', async () => {
			const nodeTypes = await api.nodeTypes();
			const credentialTypes = await api.credentialTypes();
			loadedNodes = new Set(nodeTypes.filter((t) => t.name.startsWith(prefix)).map((t) => t.name));
			loadedCredentials = new Set(credentialTypes.map((t) => t.name));
			const missing = listedNodes
				.map((n) => prefix + n.charAt(0).toLowerCase() + n.slice(1))
				.filter((n) => !loadedNodes.has(n));
			assert.deepEqual(missing, [], `node types not loaded: ${missing.join(', ')}; loaded: ${[...loadedNodes].join(', ')}`);
			const missingCreds = listedCredentials
				.map((n) => n.charAt(0).toLowerCase() + n.slice(1))
				.filter((n) => !loadedCredentials.has(n));
			assert.deepEqual(missingCreds, [], `credential types not loaded: ${missingCreds.join(', ')}`);
			const loadErrors = n8n ? n8n.logTail(400).split('\n').filter((l) => /error.*(load|n8n-nodes-cn-sms)/i.test(l) && /cn-sms/i.test(l)) : [];
			assert.deepEqual(loadErrors, [], 'n8n logged errors about the package');
		}, CHECK_TIMEOUT_MS, { always: true });

		const harness = createHarness({ n8n, api, sim, log, verbose: VERBOSE, webhooks, queue: QUEUE });
		for (const scenario of loadScenarios(ONLY_VENDOR)) {
			const needed = scenario.nodeTypes.map((t) => prefix + t);
			const listed = needed.every((t) => listedNodes.some((n) => prefix + n.charAt(0).toLowerCase() + n.slice(1) === t));
			if (!listed) {
				log(`${scenario.vendor}: the package does not list ${needed.join(', ')} yet; its scenarios are skipped`);
				continue;
			}
			const chosen = scenario.checks.filter((c) => selected(`${scenario.vendor}: ${c.name}`) && !(QUEUE && c.queue === false));
			if (chosen.length === 0) continue;
			log(`${scenario.vendor}: scenarios`);
			sim.reset();
			/** @type {Record<string, any>} */
			let context = {};
			let setupOk = true;
			await check(
				`${scenario.vendor}: credentials pointing at the simulator`,
				async () => {
					context = await scenario.setup(harness);
				},
				CHECK_TIMEOUT_MS,
				{ always: true },
			);
			if (!results[results.length - 1].ok) setupOk = false;
			for (const c of chosen) {
				if (!setupOk) {
					await check(`${scenario.vendor}: ${c.name}`, async () => {
						throw new Error('skipped: setup failed');
					});
					continue;
				}
				await check(`${scenario.vendor}: ${c.name}`, () => c.run(harness, context), c.timeoutMs);
			}
		}
		if (queueSet) {
			for (const c of require('./e2e/queue-checks').queueChecks(queueSet)) await check(`queue mode: ${c.name}`, () => c.run(harness), c.timeoutMs);
		}
	} catch (error) {
		const message = error instanceof Error ? error.stack || error.message : String(error);
		results.push({ name: 'set-up (n8n, package, simulator)', ok: false, ms: 0, error: message });
		console.log(`  FAIL  set-up\n        ${message.split('\n').join('\n        ')}`);
	} finally {
		const instance = n8n;
		const failed = results.some((r) => !r.ok);
		if (failed) {
			for (const shown of queueSet ? queueSet.instances : instance ? [instance] : []) {
				console.log(`\n--- last lines of ${shown.name}'s log (${shown.logFile}) ---\n${shown.logTail(queueSet ? 25 : 60)}\n---`);
			}
		}
		const set = queueSet;
		const ports = [...(set ? set.ports : [instance ? instance.port : 0, instance ? instance.runnerPort : 0]), simPort].filter(Boolean);
		await cleanup();
		await check('every process this run started is stopped and nothing listens on its ports', async () => {
			if (set) assert.ok(set.allStopped(), 'a process of the queue-mode set is still running');
			else if (instance && instance.child && instance.child.pid) {
				assert.ok(instance.exited, 'n8n still running');
				let groupGone = false;
				try {
					process.kill(-instance.child.pid, 0);
				} catch {
					groupGone = true;
				}
				assert.ok(groupGone, `processes of n8n's group ${instance.child.pid} still running`);
			}
			for (const port of ports) assert.equal(await n8nLib.isListening(port), false, `port ${port} still listening`);
		}, 30000, { afterN8n: true, always: true });
		if (KEEP) log(`kept ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}

	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	console.log(`\n${passed} passed, ${failed} failed (${secs()} s, n8n ${N8N_VERSION}${QUEUE ? ', queue mode' : ''})`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
