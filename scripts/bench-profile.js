// @ts-check
'use strict';
// `npm run bench -- --profile` (issue 10, item 4): the package's own cost per vendor call, in a real n8n
// started under --cpu-prof. Veesing takes one number a call, so 1,000 items are 1,000 calls; the simulator
// answers at once, so what is left is the cost of n8n, the package and the loopback HTTP. The node's
// execution time (n8n's own record of it) is divided by the calls; the CPU profile of n8n's process, cut
// to the time the package's code ran, says where it went.

const fs = require('node:fs');
const path = require('node:path');

const CALLS = 1000;
/** The installed package's files (n8n's own cache folder is named after the package too). */
const PACKAGE_URL = /node_modules\/n8n-nodes-cn-sms\//;

/**
 * @param {object} deps
 * @param {(job: any, label: string, node: any, items: Array<Record<string, string>>) => Promise<any>} deps.runOnce
 * @param {(line: string) => void} deps.log
 * @param {any} deps.job the benchmark's job of the vendor profiled (its node, its HTTP Request call, its items)
 * @param {Record<string, any>} deps.credentials the node's credentials entry
 * @param {Record<string, string>} deps.account the simulator's account of the vendor
 * @param {string} deps.simUrl
 * @param {string} deps.profileDir
 * @param {() => Promise<void>} deps.stopN8n
 */
async function run({ runOnce, log, job: base, credentials, account, simUrl, profileDir, stopN8n }) {
	const job = { ...base, key: `profile-${base.key}`, count: CALLS, readItems: true, throttle: undefined };
	const items = Array.from({ length: CALLS }, (_, i) => base.item(i));
	const node = (/** @type {Record<string, any>} */ options) => ({
		type: `n8n-nodes-cn-sms.${base.node.type}`,
		typeVersion: 1,
		parameters: { ...base.node.parameters, options },
		credentials,
	});
	log(`profiling: ${base.vendor}, ${CALLS} items of one call each, simulator answering at once`);
	// A warm-up first: n8n loads the node's code and opens its connections once.
	await runOnce(job, 'warm-up', node({}), items.slice(0, 50));
	/** @type {Array<{ label: string, result: any }>} */
	const runs = [];
	for (const [label, options] of /** @type {Array<[string, Record<string, any>]>} */ ([
		['one call at a time (Max Concurrent Calls 1)', { concurrency: 1 }],
		['default (adaptive, up to 32 at once)', {}],
	])) {
		const result = await runOnce(job, label, node(options), items);
		runs.push({ label, result });
		log(`${label}: node ${result.nodeMs} ms for ${result.calls} calls = ${(result.nodeMs / result.calls).toFixed(2)} ms a call; whole workflow ${(result.ms / 1000).toFixed(1)} s; ${result.accepted} accepted`);
	}
	// n8n's own node for comparison, after the package's runs (outside the profile's window).
	const http = await runOnce(
		job,
		'HTTP Request node',
		{
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${simUrl}${base.http.path}`,
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: { parameters: base.http.fields(account) },
				options: {},
			},
		},
		items,
	);
	runs.push({ label: "n8n's HTTP Request node (all at once)", result: http });
	log('stopping n8n to write its CPU profile');
	await stopN8n();
	const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
	if (files.length === 0) {
		log(`no CPU profile in ${profileDir}`);
		return;
	}
	// n8n's main process is the biggest profile (the task runner's is small).
	const biggest = files.map((f) => path.join(profileDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	const summary = summarize(JSON.parse(fs.readFileSync(biggest, 'utf8')), CALLS * 2);
	console.log(`\nPer-call cost, ${base.vendor}, ${CALLS} calls, simulator answering at once (n8n's record of the node's time / calls):`);
	for (const { label, result } of runs) console.log(`  ${label.padEnd(46)} ${(result.nodeMs / result.calls).toFixed(2)} ms a call`);
	console.log(`\nCPU profile of n8n's main process, ${summary.windowMs.toFixed(0)} ms from the first to the last sample in the package's code (${CALLS * 2} calls of the package):`);
	console.log(`  busy ${summary.busyMs.toFixed(0)} ms = ${(summary.busyMs / summary.calls).toFixed(2)} ms a call; idle ${summary.idleMs.toFixed(0)} ms`);
	console.log('  by module (self time, ms a call):');
	for (const [name, ms] of summary.byModule.slice(0, 12)) console.log(`    ${name.padEnd(40)} ${(ms / summary.calls).toFixed(3)}`);
	console.log('  top functions (self time, ms a call):');
	for (const [name, ms] of summary.byFunction.slice(0, 25)) console.log(`    ${name.slice(0, 100).padEnd(100)} ${(ms / summary.calls).toFixed(3)}`);
	console.log("  inclusive time of n8n's and Node's functions (ms a call; synchronous parts only):");
	for (const [name, ms] of summary.inclusive.filter(([name]) => !/^(processTicksAndRejections|listOnTimeout|processTimers|emit|\(anonymous\)) /.test(name)).slice(0, 30)) {
		console.log(`    ${name.slice(0, 100).padEnd(100)} ${(ms / summary.calls).toFixed(3)}`);
	}
	console.log("  self time under the package's functions, by the nearest one on the stack (ms a call):");
	for (const [name, ms] of summary.calledFromPackage.slice(0, 20)) console.log(`    ${name.slice(0, 100).padEnd(100)} ${(ms / summary.calls).toFixed(3)}`);
	console.log('  inclusive time of the package\'s functions (ms a call; synchronous parts only):');
	for (const [name, ms] of summary.packageInclusive.slice(0, 15)) console.log(`    ${name.slice(0, 100).padEnd(100)} ${(ms / summary.calls).toFixed(3)}`);
}

/**
 * Self time by module and function, within the window of samples that ran the package's code.
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }>, samples: number[], timeDeltas: number[] }} profile
 * @param {number} calls
 */
function summarize(profile, calls) {
	/** @type {Map<number, any>} */
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	/** @type {Map<number, number>} */
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
	const isPackage = (/** @type {any} */ n) => PACKAGE_URL.test(n.callFrame.url);
	// Which sampled nodes have package code on their stack (memoised walk up the tree).
	/** @type {Map<number, boolean>} */
	const inPackage = new Map();
	const stackHasPackage = (/** @type {number} */ id) => {
		if (inPackage.has(id)) return /** @type {boolean} */ (inPackage.get(id));
		const n = byId.get(id);
		const up = parent.get(id);
		const result = isPackage(n) || (up !== undefined && stackHasPackage(up));
		inPackage.set(id, result);
		return result;
	};
	const times = [];
	let t = 0;
	for (const delta of profile.timeDeltas) times.push((t += delta));
	let first = -1;
	let last = -1;
	profile.samples.forEach((id, i) => {
		if (stackHasPackage(id)) {
			if (first < 0) first = i;
			last = i;
		}
	});
	/** @type {Map<string, number>} */
	const byModule = new Map();
	/** @type {Map<string, number>} */
	const byFunction = new Map();
	/** @type {Map<string, number>} */
	const packageInclusive = new Map();
	/** @type {Map<string, number>} */
	const inclusive = new Map();
	/** @type {Map<string, number>} */
	const calledFromPackage = new Map();
	let busy = 0;
	let idle = 0;
	const add = (/** @type {Map<string, number>} */ map, /** @type {string} */ key, /** @type {number} */ ms) => map.set(key, (map.get(key) || 0) + ms);
	for (let i = Math.max(first, 0); i <= last; i++) {
		const ms = ((times[i + 1] ?? times[i]) - times[i]) / 1000;
		const n = byId.get(profile.samples[i]);
		const { functionName, url, lineNumber } = n.callFrame;
		if (functionName === '(idle)') {
			idle += ms;
			continue;
		}
		busy += ms;
		add(byModule, moduleOf(functionName, url), ms);
		add(byFunction, `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`, ms);
		/** @type {Set<string>} */
		const seen = new Set();
		let underPackage = '';
		for (let id = profile.samples[i]; id !== undefined; id = /** @type {number} */ (parent.get(id))) {
			const frame = byId.get(id);
			if (!underPackage && isPackage(frame)) underPackage = frame.callFrame.functionName || '(anonymous)';
			if (!frame.callFrame.url) continue;
			const key = `${frame.callFrame.functionName || '(anonymous)'} ${shortUrl(frame.callFrame.url)}:${frame.callFrame.lineNumber + 1}`;
			if (!seen.has(key)) add(isPackage(frame) ? packageInclusive : inclusive, key, ms);
			seen.add(key);
		}
		// What the package's code spends its time in, by the nearest package function on the stack.
		if (underPackage) add(calledFromPackage, `${underPackage} -> ${functionName || '(anonymous)'} ${moduleOf(functionName, url)}`, ms);
	}
	const sorted = (/** @type {Map<string, number>} */ map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
	return {
		calls,
		windowMs: first < 0 ? 0 : (times[last] - times[first]) / 1000,
		busyMs: busy,
		idleMs: idle,
		byModule: sorted(byModule),
		byFunction: sorted(byFunction),
		packageInclusive: sorted(packageInclusive),
		inclusive: sorted(inclusive),
		calledFromPackage: sorted(calledFromPackage),
	};
}

/** @param {string} functionName @param {string} url */
function moduleOf(functionName, url) {
	if (!url) return functionName.startsWith('(') ? functionName : '(native)';
	if (PACKAGE_URL.test(url)) return 'this package';
	if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
	return match ? match[1] : shortUrl(url);
}

/** @param {string} url */
function shortUrl(url) {
	const i = url.lastIndexOf('node_modules/');
	return i >= 0 ? url.slice(i + 'node_modules/'.length) : url.replace(/^file:\/\//, '');
}

module.exports = { run, summarize };
