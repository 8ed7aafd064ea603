#!/usr/bin/env node
// @ts-check
'use strict';
// What an n8n version's `httpRequestWithAuthentication` hands a node when the network fails: its own
// n8n-core and n8n-workflow (from the cache folder's install of that version, scripts/ensure-n8n.sh),
// called as a node calls them, against a closed port (connection refused), a server that never answers
// (timeout) and a server that closes the connection after reading the request (reset).
//
//   <Node 24> scripts/probe-network-errors.js [n8n version] [--json <file>]
//
// Prints, per case, the error's class, message, own properties and what `cause` holds (level by level).
// test/fixtures/n8n-network-errors-<version>.json hold what it wrote (--json) for each version the suite
// runs on; the transport's classification is tested against those captured shapes
// (test/network-error-shapes.test.ts).

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const VERSIONS = JSON.parse(fs.readFileSync(path.join(__dirname, 'n8n-versions.json'), 'utf8'));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const JSON_OUT = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const version = args.find((a, i) => /^\d+\.\d+\.\d+$/.test(a) && (jsonAt < 0 || i !== jsonAt + 1)) || VERSIONS.n8n[0];
const cache = process.env.CN_SMS_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-cn-sms');
const modules = path.join(cache, `n8n-${version}`, 'node_modules');
if (!fs.existsSync(path.join(modules, 'n8n-core'))) {
	console.error(`n8n ${version} is not installed in ${cache}: bash scripts/ensure-n8n.sh ${version}`);
	process.exit(2);
}

// Where n8n-core keeps the helper: one file in 1.x, a folder of request helpers in 2.x.
const helpers = path.join(modules, 'n8n-core', 'dist', 'execution-engine', 'node-execution-context', 'utils');
const core = require(
	[path.join(helpers, 'request-helpers', 'authentication.js'), path.join(helpers, 'request-helper-functions.js')].find((file) => fs.existsSync(file)) || '',
);

/** Listens on 127.0.0.1; returns its port. @param {net.Server} server */
function listen(server) {
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(/** @type {net.AddressInfo} */ (server.address()).port)));
}

/** A port nobody listens on. */
async function closedPort() {
	const server = net.createServer();
	const port = await listen(server);
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/**
 * The error as data: class, message, every own property (a nested error the same way), to a depth.
 * @param {unknown} value @param {number} depth
 * @returns {unknown}
 */
function shapeOf(value, depth = 0) {
	if (!value || typeof value !== 'object') return value;
	if (depth > 3) return '[deeper]';
	if (Array.isArray(value)) return value.slice(0, 5).map((v) => shapeOf(v, depth + 1));
	const error = /** @type {Record<string, unknown>} */ (value);
	/** @type {Record<string, unknown>} */
	const out = {};
	if (value instanceof Error) {
		out['[class]'] = value.constructor && value.constructor.name;
		out.message = value.message;
	}
	for (const key of Object.getOwnPropertyNames(value)) {
		if (['stack', 'node', 'config', 'request', 'response', 'timestamp', 'tags', 'extra'].includes(key)) {
			if (error[key] !== undefined) out[key] = `[${typeof error[key]}]`;
			continue;
		}
		out[key] = error[key] === undefined ? '[undefined]' : shapeOf(error[key], depth + 1);
	}
	// `cause` may be an own property, an inherited getter, or absent: say which.
	if (!('cause' in out)) out.cause = 'cause' in error ? shapeOf(error.cause, depth + 1) : '[no cause property]';
	return out;
}

async function main() {
	const node = { id: 'probe', name: 'Probe', type: 'n8n-nodes-cn-sms.probe', typeVersion: 1, position: [0, 0], parameters: {} };
	const additionalData = {
		credentialsHelper: {
			getParentTypes: () => [],
			preAuthentication: async () => undefined,
			authenticate: async (/** @type {unknown} */ _c, /** @type {unknown} */ _t, /** @type {any} */ options) => options,
		},
	};
	const ctx = { getNode: () => node, helpers: {}, getExecutionCancelSignal: () => undefined };
	/** @param {string} url @param {number} timeout */
	const call = (url, timeout) =>
		core.httpRequestWithAuthentication.call(
			ctx,
			'probeApi',
			{ method: 'POST', url, body: { a: '1' }, timeout, returnFullResponse: true, ignoreHttpStatusErrors: true, encoding: 'text', json: false },
			{},
			node,
			additionalData,
			{ credentialsDecrypted: { id: '1', name: 'probe', type: 'probeApi', data: { appKey: 'k' } } },
		);

	const silent = http.createServer(() => {});
	const silentPort = await listen(silent);
	const reset = http.createServer((req) => req.on('data', () => {}).on('end', () => req.socket.destroy()));
	const resetPort = await listen(reset);

	const cases = [
		{ name: 'connection refused', url: `http://127.0.0.1:${await closedPort()}/x`, timeout: 2000 },
		{ name: 'timeout', url: `http://127.0.0.1:${silentPort}/x`, timeout: 300 },
		{ name: 'reset after the request was read', url: `http://127.0.0.1:${resetPort}/x`, timeout: 2000 },
	];
	/** @type {Record<string, unknown>} */
	const shapes = {};
	for (const c of cases) {
		try {
			await call(c.url, c.timeout);
			shapes[c.name] = '[no error]';
		} catch (error) {
			shapes[c.name] = shapeOf(error);
		}
	}
	silent.closeAllConnections();
	silent.close();
	reset.close();

	const workflowVersion = require(path.join(modules, 'n8n-workflow', 'package.json')).version;
	const coreVersion = require(path.join(modules, 'n8n-core', 'package.json')).version;
	const result = { n8n: version, 'n8n-core': coreVersion, 'n8n-workflow': workflowVersion, node: process.version, shapes };
	console.log(JSON.stringify(result, null, 2));
	if (JSON_OUT) fs.writeFileSync(JSON_OUT, `${JSON.stringify(result, null, '\t')}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
