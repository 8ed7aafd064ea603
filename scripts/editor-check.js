#!/usr/bin/env node
// @ts-check
'use strict';
// The package in the real n8n editor, in a real browser: the demo (scripts/demo.js: n8n 2.41.1 with the
// package installed, the simulator credentials and the example workflows) is started, and Debian's
// Chromium, driven by playwright-core, goes through it as a person would:
//   - opens every node of every example workflow (before and after running it): each package node's
//     panel, its Docs link (the node's README section), each trigger's webhook URLs (the Production
//     URL) and its notice (says publish, as n8n 2.41's button does);
//   - runs each send workflow with "Execute workflow" and waits for it to succeed;
//   - opens each credential: the fields the package masks are masked, the others are not;
//   - searches the nodes panel for "text message" and "OTP";
//   - fails on any console error or failed request of the editor (the /schemas/... 404 included).
//
//   node scripts/editor-check.js [--screenshots] [--skip-build] [--url <editor URL of a running demo>]
//
// The package is built first (npm run build), as `npm run demo` does, unless --skip-build.
// --screenshots: saves the pictures the README shows, under docs/screenshots/.
// --url: uses a demo already running (login demo@example.com) instead of starting one.
// Chromium is installed with apt-get where missing (and, for --screenshots, fonts for Chinese text).
// Prints one line per check and `N passed, M failed`; exits 1 when a check failed.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const n8nLib = require('./e2e/n8n');

const REPO = n8nLib.REPO;
const args = process.argv.slice(2);
const SCREENSHOTS = args.includes('--screenshots');
const urlAt = args.indexOf('--url');
const GIVEN_URL = urlAt >= 0 ? args[urlAt + 1] : undefined;
const SKIP_BUILD = args.includes('--skip-build');
const SHOTS_DIR = path.join(REPO, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LOGIN = { emailOrLdapLoginId: 'demo@example.com', password: 'Demo-password-1' };
const pkg = require(path.join(REPO, 'package.json'));
const DOCS_BASE = String(pkg.homepage).replace(/#.*$/, '');
const PREFIX = `${pkg.name}.`;

const started = Date.now();
/** What the check was doing last, for the errors the page reports on its own. */
let step = 'start';
/** @param {string} line */
const log = (line) => console.log(`[editor ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

/** @type {{ name: string, ok: boolean, error?: string }[]} */
const results = [];
/** @param {string} name @param {() => Promise<void>} fn */
async function check(name, fn) {
	try {
		await fn();
		results.push({ name, ok: true });
		log(`ok   ${name}`);
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		results.push({ name, ok: false, error: message });
		log(`FAIL ${name}: ${message}`);
	}
}
/** @param {unknown} condition @param {string} message */
function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/** Debian's Chromium (and CJK fonts for pictures), installed where missing; we run as root here. */
function ensureBrowser() {
	const packages = [];
	if (!fs.existsSync(CHROMIUM)) packages.push('chromium');
	if (SCREENSHOTS) {
		let cjk = '';
		try {
			cjk = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
		} catch {
			cjk = '';
		}
		if (cjk.trim() === '') packages.push('fonts-noto-cjk');
	}
	if (packages.length === 0) return;
	log(`installing ${packages.join(', ')} (apt-get)`);
	execFileSync('apt-get', ['update'], { stdio: 'inherit' });
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * `node scripts/demo.js` on free ports, until it prints its instructions; stop() ends it the way a
 * person does (Ctrl-C: it stops n8n and the simulator itself).
 */
async function startDemo() {
	const n8nPort = await n8nLib.freePort();
	const simPort = await n8nLib.freePort();
	const child = spawn(process.execPath, [path.join(__dirname, 'demo.js')], {
		cwd: REPO,
		env: { ...process.env, DEMO_N8N_PORT: String(n8nPort), DEMO_SIM_PORT: String(simPort) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	// The demo's own lines go to a file (read it when something fails).
	const logFile = path.join(REPO, '.tmp', 'editor-check-demo.log');
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const demoLog = fs.createWriteStream(logFile);
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
	await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the demo did not start within 6 minutes (its output: ${logFile})`)), 6 * 60 * 1000);
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			demoLog.write(chunk);
			if (output.length < 100000) output += chunk;
			if (output.includes('Press Ctrl-C to stop')) {
				clearTimeout(timer);
				resolve(undefined);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`the demo exited (${code}) before it was ready:\n${output.slice(-2000)}`));
		});
	});
	const stop = async () => {
		if (child.exitCode !== null) return;
		const t0 = Date.now();
		child.kill('SIGINT');
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		const done = await Promise.race([exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), 60000)))]);
		clearTimeout(timer);
		// A second Ctrl-C: the demo kills n8n at once and exits.
		if (!done) child.kill('SIGINT');
		await exited;
		log(`the demo stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	};
	return { url: `http://127.0.0.1:${n8nPort}`, stop };
}

/** @param {string} name */
const shotPath = (name) => path.join(SHOTS_DIR, `${name}.png`);

/** @param {import('playwright-core').Page} page @param {string} name */
async function screenshot(page, name) {
	if (!SCREENSHOTS) return;
	fs.mkdirSync(SHOTS_DIR, { recursive: true });
	await page.screenshot({ path: shotPath(name) });
}

/** The README section a docs link must point at. @param {string} href */
function isReadmeSection(href) {
	return href.startsWith(`${DOCS_BASE}#`) && href.length > DOCS_BASE.length + 1;
}

/** @param {import('playwright-core').Page} page */
async function closePanel(page) {
	const t0 = Date.now();
	step = 'closing a panel';
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
	if (process.env.EDITOR_VERBOSE) log(`closed in ${Date.now() - t0} ms`);
}

/** @param {import('playwright-core').Page} page @param {string} nodeName */
async function openNode(page, nodeName) {
	const t0 = Date.now();
	step = `opening ${nodeName}`;
	// A panel left open by a failed check would cover the canvas.
	if (await page.locator('[data-test-id="ndv"]').isVisible()) await closePanel(page);
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName.replace(/"/g, '\\"')}"]`).dblclick();
	await page.locator('[data-test-id="node-parameters"]').first().waitFor({ timeout: 10000 });
	await page.waitForTimeout(300); // input and output panes, schema previews
	if (process.env.EDITOR_VERBOSE) log(`opened ${nodeName} in ${Date.now() - t0} ms`);
}

/**
 * Goes to a page of the editor the way its own links do (the Vue router), without reloading the app:
 * a reload costs about 9 s here. The first visit loads it.
 * @param {import('playwright-core').Page} page @param {string} base @param {string} route
 */
async function navigate(page, base, route) {
	step = `going to ${route}`;
	const pushed = page.url().startsWith(base)
		? await page.evaluate(async (to) => {
				const app = /** @type {any} */ (document.querySelector('#app'))?.__vue_app__;
				const router = app?.config?.globalProperties?.$router;
				if (!router) return false;
				await router.push(to);
				return true;
			}, route)
		: false;
	if (!pushed) await page.goto(`${base}${route}`);
}

/**
 * The hints of a package node's parameters that its panel shows for these saved parameters (those
 * without displayOptions, or shown for its operation, and not set to an expression).
 * @param {string} type node type without the package prefix @param {Record<string, any>} parameters
 */
function expectedHints(type, parameters) {
	const file = pkg.n8n.nodes.find((/** @type {string} */ f) => path.basename(f, '.node.js').toLowerCase() === type.toLowerCase());
	if (!file) return [];
	const className = path.basename(file, '.node.js');
	const description = new (require(path.join(REPO, file))[className])().description;
	const operation = parameters.operation ?? description.properties.find((/** @type {any} */ p) => p.name === 'operation')?.default;
	return description.properties
		.filter((/** @type {any} */ p) => p.hint)
		.filter((/** @type {any} */ p) => {
			const shown = p.displayOptions?.show?.operation;
			// A field set to an expression shows the expression editor, without the hint.
			const isExpression = (/** @type {unknown} */ v) => typeof v === 'string' && v.startsWith('=');
			const value = parameters[p.name];
			const expression = Array.isArray(value) ? value.some(isExpression) : isExpression(value);
			return (!shown || shown.includes(operation)) && !expression;
		})
		.map((/** @type {any} */ p) => String(p.hint));
}

/** The credential types the package ships, each with the fields it masks. */
/** The display names of the package's action nodes (its triggers aside), from package.json's n8n section. */
function actionNodeNames() {
	return pkg.n8n.nodes
		.filter((/** @type {string} */ file) => !/Trigger\.node\.js$/.test(file))
		.map((/** @type {string} */ file) => {
			const className = path.basename(file, '.node.js');
			const Type = require(path.join(REPO, file))[className];
			return String(new Type().description.displayName);
		});
}

function credentialTypes() {
	return pkg.n8n.credentials.map((/** @type {string} */ file) => {
		const className = path.basename(file, '.credentials.js');
		const Type = require(path.join(REPO, file))[className];
		const type = new Type();
		const fields = type.properties.filter((/** @type {any} */ p) => p.type === 'string');
		return {
			name: type.name,
			displayName: type.displayName,
			masked: fields.filter((/** @type {any} */ p) => p.typeOptions?.password).map((/** @type {any} */ p) => p.name),
			plain: fields.filter((/** @type {any} */ p) => !p.typeOptions?.password).map((/** @type {any} */ p) => p.name),
		};
	});
}

async function main() {
	ensureBrowser();
	const { chromium } = require('playwright-core');
	let demo = null;
	let browser = null;
	try {
		let base = GIVEN_URL;
		if (!base) {
			if (!SKIP_BUILD) {
				log('building the package (npm run build)');
				execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
			}
			log('starting the demo (scripts/demo.js)');
			demo = await startDemo();
			base = demo.url;
		}
		log(`editor at ${base}`);
		// The flags this machine needs (no sandbox as root, no background connections to hosts it cannot reach).
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		/** @type {string[]} */
		const problems = [];
		// n8n's own nodes (Switch, Set, ...) ship no output schema in 2.41 either: their 404 is n8n's, not the package's.
		const notOurs = (/** @type {string} */ url) => /\/schemas\/(n8n-nodes-base|@n8n)[./]/.test(url);
		let n8nOwn = 0;
		page.on('console', (message) => {
			if (message.type() !== 'error') return;
			if (/^Failed to load resource/.test(message.text()) && notOurs(message.location().url)) return;
			problems.push(`console error: ${message.text().slice(0, 300)} (${message.location().url || page.url()})`);
		});
		// n8n 2.41's editor itself sometimes throws this while its router moves from one workflow to the
		// next (seen without any node open); it names n8n's own stores, nothing of a node.
		const n8nNavigationError = (/** @type {Error} */ error) =>
			step.startsWith('going to') && /^injectNDVStore\(\) was accessed without an active workflow document store/.test(error.message);
		let n8nErrors = 0;
		page.on('pageerror', (error) => {
			if (n8nNavigationError(error)) n8nErrors++;
			else problems.push(`page error: ${error.message.slice(0, 300)} (${page.url()}, ${step})`);
		});
		page.on('response', (response) => {
			if (response.status() < 400 || !response.url().startsWith(String(base))) return;
			if (notOurs(response.url())) n8nOwn++;
			else problems.push(`HTTP ${response.status()} ${response.url()}`);
		});
		/** @type {string[]} */
		const schemaRequests = [];
		page.on('request', (request) => {
			if (request.url().includes(`/schemas/${PREFIX}`)) schemaRequests.push(request.url());
		});

		const login = await context.request.post(`${base}/rest/login`, { data: LOGIN });
		assert(login.ok(), `login answered ${login.status()}`);
		/** @type {{ id: string, name: string }[]} */
		const workflows = (await (await context.request.get(`${base}/rest/workflows`)).json()).data;
		// By name; a workflow that sends through several vendors (the failover example) last: it repeats
		// sends of the one-vendor examples, and vendors limit repeats (Veesing: one code a minute a number).
		/** @type {Map<string, number>} */
		const vendorsIn = new Map();
		for (const workflow of workflows) {
			const full = (await (await context.request.get(`${base}/rest/workflows/${workflow.id}`)).json()).data;
			const types = new Set(full.nodes.map((/** @type {any} */ n) => String(n.type)).filter((/** @type {string} */ t) => t.startsWith(PREFIX)).map((/** @type {string} */ t) => t.replace(/Trigger$/, '')));
			vendorsIn.set(workflow.id, types.size);
		}
		const several = (/** @type {{ id: string }} */ w) => ((vendorsIn.get(w.id) ?? 0) > 1 ? 1 : 0);
		workflows.sort((a, b) => several(a) - several(b) || a.name.localeCompare(b.name));
		await check(`the demo has the example workflows (${workflows.length})`, async () => {
			assert(workflows.length >= 9, `only ${workflows.length} workflows`);
		});

		/** @type {Set<string>} */
		const shot = new Set();
		let hintsSeen = 0;
		for (const workflow of workflows) {
			const full = (await (await context.request.get(`${base}/rest/workflows/${workflow.id}`)).json()).data;
			/** @type {{ name: string, type: string, parameters: Record<string, any> }[]} */
			const nodes = full.nodes.filter((/** @type {any} */ n) => n.type !== 'n8n-nodes-base.stickyNote');
			const ours = nodes.filter((n) => n.type.startsWith(PREFIX));
			const isSend = nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');

			await check(`${workflow.name}: every node's panel opens`, async () => {
				await navigate(page, String(base), `/workflow/${workflow.id}`);
				await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodes[0].name.replace(/"/g, '\\"')}"]`).waitFor({ timeout: 20000 });
				for (const node of nodes) {
					await openNode(page, node.name);
					if (node.type.startsWith(PREFIX)) {
						const docs = page.locator('[data-test-id="ndv"] a', { hasText: 'Docs' }).first();
						const href = (await docs.getAttribute('href')) || '';
						assert(isReadmeSection(href), `${node.name}: Docs links ${href}, not a README section`);
						const panel = (await page.locator('[data-test-id="node-parameters"]').innerText()).replace(/\s+/g, ' ');
						for (const hint of expectedHints(node.type.slice(PREFIX.length), node.parameters)) {
							assert(panel.includes(hint.replace(/\s+/g, ' ')), `${node.name}: the hint "${hint.slice(0, 60)}…" is not shown under its field`);
							hintsSeen++;
						}
					}
					if (node.type.endsWith('Trigger') && node.type.startsWith(PREFIX)) {
						const parameters = page.locator('[data-test-id="node-parameters"]');
						await parameters.getByText('Webhook URLs', { exact: true }).first().click();
						await parameters.getByText('Production URL', { exact: true }).first().click();
						const urls = await page.locator('[data-test-id="node-parameters"]').innerText();
						assert(new RegExp(`${base}/webhook/[0-9a-f-]{36}/webhook`).test(urls), `${node.name}: no production webhook URL shown`);
						const notice = await page.locator('[data-test-id="node-parameters"] .notice, [data-test-id="node-parameters"] [class*="notice"]').first().innerText();
						assert(/publish this workflow/.test(notice) && !/activate/i.test(notice), `${node.name}: the notice says "${notice.slice(0, 120)}"`);
						const type = node.type.slice(PREFIX.length);
						if (!shot.has(type)) {
							shot.add(type);
							await screenshot(page, type);
						}
					}
					await closePanel(page);
				}
			});

			if (isSend) {
				await check(`${workflow.name}: "Execute workflow" succeeds`, async () => {
					if (await page.locator('[data-test-id="ndv"]').isVisible()) await closePanel(page);
					const before = Date.now();
					await page.locator('[data-test-id="execute-workflow-button"]').click();
					const status = await waitForExecution(context, String(base), workflow.id, before);
					assert(status === 'success', `the execution ended ${status}`);
				});
				await check(`${workflow.name}: the nodes show their output`, async () => {
					for (const node of ours) {
						await openNode(page, node.name);
						const output = await page.locator('[data-test-id="ndv"]').innerText();
						assert(/vendor/.test(output) && /operation/.test(output), `${node.name}: no output shown`);
						const type = node.type.slice(PREFIX.length);
						if (!shot.has(type)) {
							shot.add(type);
							await screenshot(page, type);
						}
						await closePanel(page);
					}
				});
				// The failover example after its run: each send node's two outputs, and where the items went.
				if (several(workflow)) await screenshot(page, 'failover');
			}
		}

		await check(`the parameters' hints are shown under their fields (${hintsSeen} seen)`, async () => {
			assert(hintsSeen >= 2, `only ${hintsSeen} hints were seen: Zhuanxinyun Content and Chonry Variables have one`);
		});

		await check('the editor asked for the package output schemas', async () => {
			assert(schemaRequests.length > 0, 'no /schemas/ request was seen: the check did not reach the schema preview');
		});

		await check('the nodes panel finds the package by "text message" and by "OTP"', async () => {
			const sendWorkflow = workflows.find((w) => /send/i.test(w.name));
			await navigate(page, String(base), `/workflow/${sendWorkflow?.id}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 20000 });
			for (const words of ['text message', 'OTP']) {
				await page.locator('[data-test-id="node-creator-plus-button"]').click();
				await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill(words);
				await page.waitForTimeout(800);
				const names = await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
				for (const vendor of actionNodeNames()) {
					assert(names.some((n) => n.includes(vendor)), `"${words}" finds ${names.join(', ') || 'nothing'}, not ${vendor}`);
				}
				if (words === 'text message') await screenshot(page, 'search-text-message');
				await page.keyboard.press('Escape');
				await page.waitForTimeout(300);
			}
		});

		for (const credential of credentialTypes()) {
			await check(`credential ${credential.displayName}: the form opens, secrets masked and only they`, async () => {
				await navigate(page, String(base), '/home/credentials');
				const card = page.locator('[data-test-id="resources-list-item"]', { hasText: credential.displayName });
				await card.first().waitFor({ timeout: 15000 });
				await card.first().click();
				const modal = page.locator('[data-test-id="editCredential-modal"]');
				await modal.waitFor({ timeout: 10000 });
				await page.waitForTimeout(800);
				for (const [field, wanted] of [...credential.masked.map((f) => [f, 'password']), ...credential.plain.map((f) => [f, 'text'])]) {
					const type = await modal.locator(`[data-test-id="${field}"] input[data-test-id="parameter-input-field"]`).first().getAttribute('type');
					assert(type === wanted, `${field} is an input of type ${type}, not ${wanted}`);
				}
				await screenshot(page, `credential-${credential.name}`);
				await page.keyboard.press('Escape');
			});
		}

		await check('no console error and no failed request in the editor', async () => {
			if (n8nOwn > 0) log(`(${n8nOwn} schema requests for n8n's own nodes got 404: n8n ships none for them)`);
			if (n8nErrors > 0) log(`(${n8nErrors} times n8n's editor threw its own injectNDVStore() error while changing workflows)`);
			assert(problems.length === 0, `${problems.length}: ${[...new Set(problems)].join(' | ')}`);
		});
	} finally {
		if (browser) await browser.close().catch(() => {});
		if (demo) {
			log('stopping the demo');
			await demo.stop();
		}
	}
	const failed = results.filter((r) => !r.ok).length;
	console.log(`\neditor: ${results.length - failed} passed, ${failed} failed`);
	if (failed > 0) process.exitCode = 1;
}

/**
 * The status of the workflow's first execution started after `since`, once it has finished.
 * @param {import('playwright-core').BrowserContext} context @param {string} base @param {string} workflowId @param {number} since
 */
async function waitForExecution(context, base, workflowId, since) {
	const deadline = Date.now() + 45000;
	let lastError = '';
	while (Date.now() < deadline) {
		// Reading the executions list changes nothing: a connection n8n reset under load is asked again.
		const res = await context.request
			.get(`${base}/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=5`)
			.catch((/** @type {Error} */ error) => {
				lastError = error.message;
				return null;
			});
		if (res && res.ok()) {
			const body = await res.json();
			const list = body.data?.results ?? body.data ?? [];
			const run = list.find((/** @type {any} */ e) => Date.parse(e.startedAt ?? e.createdAt) >= since - 1000);
			if (run && !['running', 'new', 'waiting'].includes(run.status)) return run.status;
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`no finished execution within 45 s${lastError ? ` (last request error: ${lastError})` : ''}`);
}

main().catch((error) => {
	console.error(error);
	console.log(`\neditor: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
	process.exitCode = 1;
});
