// @ts-check
'use strict';
// Small pieces every part of the real-n8n tooling uses: the repository's folder, running a command,
// the environment of our own child processes, sleeping, temp folders.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
/** The package's name, read from package.json: node type names are `<name>.<node>`. */
const PACKAGE_NAME = /** @type {string} */ (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).name);
/** The prefix of the package's node type names in n8n. */
const PACKAGE_PREFIX = `${PACKAGE_NAME}.`;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a command, resolves with its stdout; rejects with stderr's tail when it fails or runs too long.
 * @param {string} file @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, onStderr?: (chunk: string) => void }} [opts]
 * @returns {Promise<string>}
 */
function run(file, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, {
			cwd: opts.cwd,
			env: opts.env || process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${file} ${args.join(' ')}: no result after ${opts.timeoutMs} ms`));
		}, opts.timeoutMs || 120000);
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => {
			err += d;
			if (opts.onStderr) opts.onStderr(String(d));
		});
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(out);
			else reject(new Error(`${file} ${args.join(' ')} exited with ${code}\n${(err || out).slice(-3000)}`));
		});
	});
}

/**
 * The environment of our own child processes, without what `npm run` adds (npm_config_nodedir=/usr and
 * friends would build for the wrong Node) and without N8N_* settings of the caller's shell.
 * @returns {NodeJS.ProcessEnv}
 */
function cleanEnv() {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(npm_|N8N_|DB_)/i.test(key)) continue;
		env[key] = value;
	}
	return env;
}

/** A temp folder of our own; removed by the caller. @param {string} prefix */
function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A script's command-line flags (`--keep`) and options (`--only text`).
 * @param {string[]} [args]
 */
function cliArgs(args = process.argv.slice(2)) {
	return {
		/** @param {string} name */
		flag: (name) => args.includes(name),
		/** @param {string} name @returns {string | undefined} */
		option: (name) => {
			const i = args.indexOf(name);
			return i >= 0 ? args[i + 1] : undefined;
		},
	};
}

module.exports = { REPO, PACKAGE_NAME, PACKAGE_PREFIX, run, cleanEnv, sleep, makeTempDir, cliArgs };
