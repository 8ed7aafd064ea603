// @ts-check
'use strict';
// n8n processes, started and stopped the way a user's instance is (n8n 2.x or 1.x on Node 24, its task
// runner in the same process group), and the ports they take.
// The facts behind every setting here are in the project's notes on running n8n (real-n8n.md).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { cleanEnv, sleep } = require('./shell');

// Modules whose start-up looks up hosts that cannot be reached here; `community-packages` stays on.
// n8n refuses to start when the list names a module it does not know: 1.x knows fewer.
const DISABLED_MODULES =
	'mcp-registry,insights,chat-hub,agents,workflow-builder,mcp,data-table,source-control,log-streaming';
const DISABLED_MODULES_1X = 'insights,chat-hub,mcp,data-table';

/** @param {string | undefined} version */
const majorOf = (version) => Number(String(version || '2').split('.')[0]);

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
 * @property {string} [version] the n8n version n8nBin belongs to (default: a 2.x)
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
			N8N_DISABLED_MODULES: majorOf(this.opts.version) < 2 ? DISABLED_MODULES_1X : DISABLED_MODULES,
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
				// n8n 1.x is "ready" before its REST routes are mounted (owner setup answers 404 for some
				// seconds): the main process is ready once its settings answer too.
				if (res.ok && (this.command !== 'start' || (await fetch(`${this.url}/rest/settings`, { signal: AbortSignal.timeout(2000) })).ok)) return;
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

module.exports = { N8nInstance, freePort, isListening, canBind, groupAlive };
