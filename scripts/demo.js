#!/usr/bin/env node
// @ts-check
'use strict';
// `npm run demo` (through scripts/demo.sh, which builds first): a real n8n 2.41.1 with this package
// installed as a community package, next to the vendor simulator; the owner login, a credential per
// vendor pointing at the simulator, and the example workflows already imported (trigger workflows
// published, the simulator pushing its delivery reports and replies to them). Ctrl-C stops it all.
//
//   node scripts/demo.js [--self-test]
//
// --self-test: runs every send example once, waits for the reports to reach the trigger workflows,
// prints what arrived, and stops (exit code 1 if something did not work).
// Env: DEMO_N8N_PORT (default 5678), DEMO_SIM_PORT (default 8787), DEMO_LISTEN_ADDRESS (default
// 127.0.0.1; 0.0.0.0 to reach the editor from another machine), CN_SMS_CACHE (where Node 24 and n8n
// are installed once, default ~/.cache/n8n-nodes-cn-sms).

const fs = require('node:fs');
const path = require('node:path');

const n8nLib = require('./e2e/n8n');
const { createHarness, loadScenarios } = require('./e2e/harness');
const { listExamples, loadExample, prepareExample } = require('./e2e/examples');
const { CREDENTIAL_TYPES } = require('../simulator');

const SELF_TEST = process.argv.includes('--self-test');
const OWNER = { email: 'demo@example.com', password: 'Demo-password-1', firstName: 'Demo', lastName: 'User' };
// The self-test (run by npm test) has its own folder, so it never meets a demo a person left open.
const DEMO_DIR = path.join(n8nLib.REPO, '.tmp', SELF_TEST ? 'demo-self-test' : 'demo');

/** @param {string} line */
const say = (line) => console.log(`[demo] ${line}`);

/**
 * The port from the environment (it must be free), or the default when free, or any free port.
 * @param {string} envName @param {number} fallback @param {string} what
 */
async function choosePort(envName, fallback, what) {
	const fromEnv = process.env[envName];
	if (fromEnv) {
		const port = Number(fromEnv);
		if (!(await n8nLib.canBind(port))) throw new Error(`${envName}=${port}: that port is in use; choose another one for ${what}`);
		return port;
	}
	if (await n8nLib.canBind(fallback)) return fallback;
	const port = await n8nLib.freePort();
	say(`port ${fallback} is in use: ${what} takes port ${port} instead (set ${envName} to choose)`);
	return port;
}

async function main() {
	/** @type {import('./e2e/n8n').N8nInstance | null} */
	let n8n = null;
	/** @type {any} */
	let sim = null;
	let stopping = false;

	/** @param {number} code */
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n and the simulator ...');
		if (n8n) await n8n.stop().catch(() => {});
		if (sim) await Promise.resolve(sim.close()).catch(() => {});
		say('stopped.');
		process.exit(code);
	};
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		process.on(signal, () => {
			if (stopping) {
				// A second Ctrl-C: no more waiting.
				if (n8n) n8n.killNow();
				process.exit(130);
			}
			void shutdown(0);
		});
	}

	say('Node 24 and n8n 2.41.1 (installed once into the cache folder, about 4 minutes the first time)');
	const bins = await n8nLib.ensureN8n({ log: say });

	// Each run starts from a new user folder; a demo still running there keeps its folder.
	const pidFile = path.join(DEMO_DIR, 'demo.pid');
	const otherPid = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : 0);
	if (otherPid && otherPid !== process.pid && processAlive(otherPid)) {
		throw new Error(`a demo is already running (process ${otherPid}); stop it with Ctrl-C in its terminal, or kill ${otherPid}`);
	}
	fs.rmSync(DEMO_DIR, { recursive: true, force: true });
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	fs.writeFileSync(pidFile, String(process.pid));
	const userFolder = path.join(DEMO_DIR, 'n8n');
	say('packing the package and installing it into a fresh n8n user folder, as n8n users do');
	const tgz = await n8nLib.packPackage(path.join(DEMO_DIR, 'pack'));
	await n8nLib.installPackage(userFolder, tgz);

	const n8nPort = await choosePort('DEMO_N8N_PORT', 5678, 'n8n');
	const simPort = await choosePort('DEMO_SIM_PORT', 8787, 'the simulator');
	const listen = process.env.DEMO_LISTEN_ADDRESS || '127.0.0.1';

	const { startSimulator } = require(path.join(n8nLib.REPO, 'simulator'));
	sim = await startSimulator({ port: simPort, host: listen === '0.0.0.0' ? '0.0.0.0' : '127.0.0.1' });
	const simUrl = `http://127.0.0.1:${simPort}`;
	say(`simulator on ${simUrl}`);

	n8n = new n8nLib.N8nInstance({
		...bins,
		userFolder,
		port: n8nPort,
		logFile: path.join(DEMO_DIR, 'n8n.log'),
		env: { N8N_LISTEN_ADDRESS: listen },
	});
	say(`starting n8n on port ${n8nPort} (its log: ${path.relative(process.cwd(), n8n.logFile)})`);
	await n8n.start();
	const instance = n8n;
	void (/** @type {Promise<void>} */ (instance.exitPromise)).then(() => {
		if (stopping) return;
		console.error(`\n[demo] n8n stopped unexpectedly (exit code ${instance.exitCode}). Last lines of its log:\n${instance.logTail(30)}`);
		void shutdown(1);
	});

	const api = new n8nLib.N8nClient(n8n.url);
	await api.setupOwner(OWNER);
	await api.createApiKey('demo');
	const h = createHarness({ n8n, api, sim: { ...sim, url: simUrl, requests: sim.requests, pushes: sim.pushes }, log: say });

	const loaded = new Set((await api.nodeTypes()).map((t) => t.name));
	const credentialNames = new Map((await api.credentialTypes()).map((t) => [t.name, t.displayName]));
	const examples = listExamples();
	/** @type {{ vendor: string, credentials: Record<string, any>, sends: { id: string, name: string, start: string }[], triggers: { id: string, name: string, url: string }[] }[]} */
	const imported = [];

	const scenarios = loadScenarios();
	for (const scenario of scenarios) {
		const vendor = scenario.vendor;
		const missing = scenario.nodeTypes.filter((t) => !loaded.has(n8nLib.PACKAGE_PREFIX + t));
		const files = examples.filter((f) => f.startsWith(`${vendor}-`));
		if (missing.length || files.length === 0) continue;
		try {
			imported.push(await importVendor(h, n8n, sim, vendor, files, credentialNames));
		} catch (error) {
			say(`${vendor}: left out of the demo: ${error instanceof Error ? error.message : error}`);
		}
	}

	// Examples across vendors (failover): imported with every vendor's simulator credential.
	const vendors = new Set(imported.map((entry) => entry.vendor));
	const shared = examples.filter((f) => !scenarios.some((s) => f.startsWith(`${s.vendor}-`)));
	const allCredentials = Object.assign({}, ...imported.map((entry) => entry.credentials));
	for (const file of shared) {
		const { workflow } = prepareExample(loadExample(file), { credentials: allCredentials });
		const needs = workflow.nodes.filter((/** @type {any} */ n) => n.type.startsWith(n8nLib.PACKAGE_PREFIX)).map((/** @type {any} */ n) => n.type.split('.')[1]);
		if (!needs.every((/** @type {string} */ type) => vendors.has(type))) continue;
		const created = await api.createWorkflow(workflow);
		const start = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
		imported.push({ vendor: file.replace(/-.*$/, ''), credentials: {}, sends: [{ id: created.id, name: workflow.name, start: start ? start.name : '' }], triggers: [] });
	}

	if (SELF_TEST) {
		const ok = await selfTest(h, imported);
		await shutdown(ok ? 0 : 1);
		return;
	}

	printInstructions(n8n.url, simUrl, imported, listen);
	// Keep running until Ctrl-C (the signal handlers above stop everything).
	setInterval(() => {}, 1 << 30);
}

/**
 * One vendor's credential and example workflows (trigger workflows published, the simulator pushing to them).
 * @param {import('./e2e/harness').Harness} h @param {import('./e2e/n8n').N8nInstance} n8n @param {any} sim
 * @param {string} vendor @param {string[]} files @param {Map<string, string>} credentialNames display names by type
 */
async function importVendor(h, n8n, sim, vendor, files, credentialNames) {
	const api = h.api;
	// One credential for the simulator's account (the simulator's credentialsFor), named as the editor names its type.
	const type = CREDENTIAL_TYPES[vendor];
	const credentials = await h.simulatorCredential(vendor, `${credentialNames.get(type) || type} (simulator)`);

	const entry = { vendor, credentials, sends: /** @type {any[]} */ ([]), triggers: /** @type {any[]} */ ([]) };
	// Trigger workflows first: the simulator needs their URLs before anything is sent.
	const prepared = files.map((file) => prepareExample(loadExample(file), { credentials }));
	for (const { workflow, webhookIds } of prepared.filter((p) => p.webhookIds.length > 0)) {
		const created = await api.createWorkflow(workflow);
		await api.publishWorkflow(created.id);
		const url = n8n.webhookUrl(webhookIds[0]);
		await h.waitForWebhook(url);
		entry.triggers.push({ id: created.id, name: workflow.name, url });
	}
	if (entry.triggers.length > 0) {
		const url = entry.triggers[0].url;
		try {
			sim.configure({ autoPush: { [vendor]: { delivery: url, reply: url } }, autoReply: true });
		} catch (error) {
			say(`${vendor}: the simulator pushes nothing for it (${error instanceof Error ? error.message : error})`);
		}
	}
	for (const { workflow } of prepared.filter((p) => p.webhookIds.length === 0)) {
		const created = await api.createWorkflow(workflow);
		const start = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
		entry.sends.push({ id: created.id, name: workflow.name, start: start ? start.name : '' });
	}
	return entry;
}

/** @param {number} pid */
function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * @param {string} editorUrl @param {string} simUrl @param {string} listen
 * @param {{ vendor: string, sends: { name: string }[], triggers: { name: string, url: string }[] }[]} imported
 */
function printInstructions(editorUrl, simUrl, imported, listen) {
	const lines = [
		'',
		'n8n with n8n-nodes-cn-sms is running, next to the SMS vendor simulator.',
		'',
		`  Editor     ${editorUrl}${listen === '0.0.0.0' ? '  (listening on every address of this machine)' : ''}`,
		`  Login      ${OWNER.email}  /  ${OWNER.password}`,
		`  Simulator  ${simUrl}  (what it received: ${simUrl}/_sim/requests, what it pushed: ${simUrl}/_sim/pushes)`,
		'',
		'What to click:',
		'  1. Open the editor and sign in. Overview lists the workflows below; Credentials holds one',
		'     credential per vendor, pointing at the simulator.',
		'  2. Open a "send" workflow and click "Execute workflow". Click a node to see its output: one item',
		'     per input item, each recipient with its messageId.',
		'  3. About a second later the simulator posts delivery reports (and a reply) to the published',
		'     trigger workflow of that vendor. Open it and its "Executions" tab: one execution per push,',
		'     with the normalized items (phone, messageId, delivered, status, receivedAt).',
		'  4. Try it: a number ending in 0000 gets a failed delivery report; a 10-digit number makes the',
		'     node fail with an error naming it, and nothing is sent.',
		'  5. Failover: run the "Failover" workflow, then make Veesing refuse (out of balance) and run it',
		`     again: curl -X POST ${simUrl}/_sim/config -d '{"veesing":{"balance":0}}'`,
		'     The code now goes out through 1oc ("Sent by 1oc"); add {"sms1oc":{"balance":0}} and it goes',
		`     through Zhuanxinyun. curl -X DELETE ${simUrl}/_sim/requests puts the simulator back.`,
		'',
		'Imported workflows:',
	];
	for (const entry of imported) {
		for (const s of entry.sends) lines.push(`  [${entry.vendor}] ${s.name}`);
		for (const t of entry.triggers) lines.push(`  [${entry.vendor}] ${t.name}  (published; webhook ${t.url})`);
	}
	if (imported.length === 0) lines.push('  none: no vendor has both its nodes built and an example in examples/');
	lines.push('', 'Press Ctrl-C to stop n8n and the simulator.', '');
	console.log(lines.join('\n'));
}

/**
 * Runs every send example, waits for the trigger workflows to receive the pushes, reports.
 * @param {import('./e2e/harness').Harness} h
 * @param {{ vendor: string, credentials: Record<string, any>, sends: { id: string, name: string, start: string }[], triggers: { id: string, name: string }[] }[]} imported
 */
async function selfTest(h, imported) {
	let ok = imported.length > 0;
	if (!ok) say('self-test: nothing was imported');
	// Exactly one credential per imported vendor, of its type: nothing made for the e2e checks.
	const res = await h.api.request('GET', '/api/v1/credentials?limit=250');
	/** @type {{ type: string, name: string }[]} */
	const credentials = (res.body && res.body.data) || [];
	const expected = imported.filter((entry) => Object.keys(entry.credentials).length > 0).map((entry) => CREDENTIAL_TYPES[entry.vendor]).sort();
	const types = credentials.map((c) => c.type).sort();
	say(`self-test: credentials: ${credentials.map((c) => c.name).join(', ')}`);
	if (res.status !== 200 || JSON.stringify(types) !== JSON.stringify(expected)) {
		say(`self-test: expected one credential per vendor (${expected.join(', ')}), found ${res.status} ${types.join(', ')}`);
		ok = false;
	}
	for (const entry of imported) {
		for (const s of entry.sends) {
			const executionId = await h.api.runWorkflow(s.id, s.start);
			const execution = await h.api.waitForExecution(executionId, 45000);
			const error = execution.data && execution.data.resultData && execution.data.resultData.error;
			say(`self-test: ${s.name}: ${execution.status}${error ? ` (${error.message})` : ''}`);
			if (execution.status !== 'success') ok = false;
		}
		for (const t of entry.triggers) {
			try {
				const executions = await h.waitForExecutions(t.id, 1, 15000);
				await h.sleep(1500); // the rest of the pushes
				const all = await h.api.listExecutions(t.id);
				const items = all.flatMap((e) => h.triggerItems(e, findTriggerName(e)));
				say(`self-test: ${t.name}: ${all.length} executions, ${items.length} items (${items.map((i) => `${i.event} ${i.phone}`).join(', ')})`);
				if (!executions.every((e) => e.status === 'success')) ok = false;
			} catch (error) {
				say(`self-test: ${t.name}: ${error instanceof Error ? error.message : error}`);
				ok = false;
			}
		}
	}
	say(`self-test ${ok ? 'passed' : 'FAILED'}`);
	return ok;
}

/** The trigger node's name in an execution (the node that ran first). @param {any} execution */
function findTriggerName(execution) {
	const runData = (execution.data && execution.data.resultData && execution.data.resultData.runData) || {};
	let first = '';
	let firstTime = Infinity;
	for (const [name, runs] of Object.entries(runData)) {
		const start = /** @type {any[]} */ (runs)[0] && /** @type {any[]} */ (runs)[0].startTime;
		if (typeof start === 'number' && start < firstTime) {
			firstTime = start;
			first = name;
		}
	}
	return first;
}

main().catch((error) => {
	console.error(`[demo] ${error instanceof Error ? error.stack || error.message : error}`);
	process.exit(1);
});
