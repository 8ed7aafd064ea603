// @ts-check
'use strict';
// Local simulator of the SMS vendors' HTTP APIs: vendor calls in, pushes (delivery reports, replies) out.
// The core is generic; each vendor is one module in ./vendors (see README.md for the module contract).

const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} VendorModule
 * @property {string} name
 * @property {Record<string, string>} account  test credentials (printed by the CLI)
 * @property {string} pushContentType
 * @property {() => any} createState
 * @property {(state: any, cfg: any) => void} configure
 * @property {(path: string, query: Record<string, string>) => VendorRoute | null} route  which operation a request is, or null when not this vendor's
 * @property {(call: VendorCall, state: any, now: Date) => VendorResult | Promise<VendorResult>} handle
 * @property {(state: any, kind: string, records: Record<string, any>[], now: Date) => string[]} pushBodies
 *
 * @typedef {VendorRoute & { method: string, params: Record<string, string>, query: Record<string, string>, headers: http.IncomingHttpHeaders, body: string, json?: any }} VendorCall
 *   params: query + form, decoded once; json: the parsed body when it is JSON
 *
 * @typedef {{ operation: string, format?: string }} VendorRoute  format: a response format chosen by the path
 *
 * @typedef {object} VendorResult
 * @property {number} status
 * @property {string} contentType
 * @property {string} body
 * @property {Record<string, unknown>} [detail]  what the simulator understood (kept in the request record)
 * @property {{ kind: string, records: Record<string, any>[] }[]} [events]  pushes due after pushDelayMs
 *
 * @typedef {{ vendor: string, url: string, kind: string, records?: Record<string, any>[], raw?: string, contentType?: string }} PushOptions
 */

/** Every module in ./vendors is a vendor: adding a vendor touches no other file. @type {VendorModule[]} */
const VENDORS = fs
	.readdirSync(path.join(__dirname, 'vendors'))
	.filter((file) => file.endsWith('.js'))
	.sort()
	.map((file) => require(path.join(__dirname, 'vendors', file)));

/** Test credentials by vendor name. @type {Record<string, Record<string, string>>} */
const ACCOUNTS = Object.fromEntries(VENDORS.map((v) => [v.name, v.account]));

/** @param {{ port?: number, host?: string, pushDelayMs?: number }} [options] */
async function startSimulator({ port = 0, host = '127.0.0.1', pushDelayMs = 200 } = {}) {
	const vendors = new Map(VENDORS.map((v) => [v.name, v]));
	/** @type {Record<string, any>[]} */
	const requests = [];
	/** @type {Record<string, any>[]} */
	const pushes = [];
	const config = {
		/** @type {Record<string, { delivery?: string | null, reply?: string | null }>} */
		autoPush: {},
		autoReply: false,
		pushDelayMs,
		retryDelayMs: 100,
		// How long every vendor call is held before its answer: a slow vendor, for concurrency tests.
		responseDelayMs: 0,
	};
	// Vendor calls being answered right now, and the most there were at once, per vendor.
	/** @type {Map<string, number>} */
	const inFlight = new Map();
	/** @type {Record<string, number>} */
	const maxInFlight = {};
	/** @type {Map<string, any>} */
	let states = new Map();
	let nextId = 1;
	// Pending timers and outgoing pushes: reset() and close() cancel them; a bumped generation
	// tells an interrupted push sequence to stop.
	const timers = new Set();
	/** @type {Set<http.ClientRequest>} */
	const inflight = new Set();
	let generation = 0;

	function reset() {
		requests.length = 0;
		pushes.length = 0;
		nextId = 1;
		inFlight.clear();
		for (const name of Object.keys(maxInFlight)) delete maxInFlight[name];
		cancelPending();
		states = new Map([...vendors.values()].map((v) => [v.name, v.createState()]));
	}

	function cancelPending() {
		generation++;
		for (const t of timers) clearTimeout(t);
		timers.clear();
		for (const req of inflight) req.destroy();
		inflight.clear();
	}

	/** @param {Record<string, any>} cfg */
	function configure(cfg = {}) {
		for (const [key, value] of Object.entries(cfg)) {
			if (key === 'autoPush') {
				for (const [name, urls] of Object.entries(value || {})) {
					vendorNamed(name);
					for (const [kind, u] of Object.entries(urls || {})) {
						if (kind !== 'delivery' && kind !== 'reply') throw new Error(`autoPush.${name}.${kind}: the kinds are delivery and reply`);
						if (u) checkUrl(u);
					}
					config.autoPush[name] = { ...config.autoPush[name], ...urls };
				}
			} else if (key === 'autoReply') {
				config.autoReply = Boolean(value);
			} else if (key === 'pushDelayMs' || key === 'retryDelayMs' || key === 'responseDelayMs') {
				config[key] = Math.max(0, Number(value) || 0);
			} else if (vendors.has(key)) {
				vendorNamed(key).configure(states.get(key), value);
			} else {
				throw new Error(`unknown config key "${key}"`);
			}
		}
		return config;
	}

	/** @param {string} name */
	function vendorNamed(name) {
		const vendor = vendors.get(name);
		if (!vendor) throw new Error(`unknown vendor "${name}"; known: ${[...vendors.keys()].join(', ')}`);
		return vendor;
	}

	/** POST one push now (no retries); several bodies when the vendor splits the records. @param {PushOptions} opts */
	async function push(opts) {
		const vendor = vendorNamed(opts.vendor);
		checkUrl(opts.url);
		if (!opts.kind) throw new Error('push needs a kind');
		const bodies = opts.raw !== undefined ? [String(opts.raw)] : vendor.pushBodies(states.get(vendor.name), opts.kind, opts.records || [], new Date());
		const contentType = opts.contentType || vendor.pushContentType;
		let answer = { status: 0, body: '' };
		for (const body of bodies) {
			const res = await send(vendor.name, opts.kind, opts.url, body, contentType);
			answer = { status: res.status, body: res.answer, ...(res.error && { error: res.error }) };
			if (res.status !== 200) break;
		}
		return answer;
	}

	/** @param {VendorModule} vendor @param {VendorResult['events']} events */
	function schedule(vendor, events = []) {
		for (const { kind, records } of events) {
			if (kind === 'reply' && !config.autoReply) continue;
			const gen = generation;
			// Events fire even without a push URL: a reply is then only kept for the vendor's pull API.
			later(config.pushDelayMs, async () => {
				const url = config.autoPush[vendor.name]?.[/** @type {'delivery' | 'reply'} */ (kind)];
				const bodies = vendor.pushBodies(states.get(vendor.name), kind, records, new Date());
				if (!url) return;
				for (const body of bodies) {
					for (let attempt = 1; attempt <= 4; attempt++) {
						if (attempt > 1) await new Promise((resolve) => later(config.retryDelayMs, () => resolve(undefined))); // up to 3 retries
						if (gen !== generation) return;
						const res = await send(vendor.name, kind, url, body, vendor.pushContentType, attempt);
						if (res.status === 200) break;
					}
				}
			});
		}
	}

	/** @param {number} ms @param {() => unknown} fn */
	function later(ms, fn) {
		const t = setTimeout(() => {
			timers.delete(t);
			Promise.resolve(fn()).catch((err) => console.error('simulator push failed:', err));
		}, ms);
		timers.add(t);
	}

	/** @param {string} vendor @param {string} kind @param {string} url @param {string} body @param {string} contentType @param {number} [attempt] */
	async function send(vendor, kind, url, body, contentType, attempt = 1) {
		const gen = generation;
		const res = await post(url, body, contentType, inflight);
		if (gen === generation) {
			pushes.push({ vendor, kind, url, body, contentType, status: res.status, answer: res.answer, ...(res.error && { error: res.error }), attempt, at: new Date().toISOString() });
		}
		return res;
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function onRequest(req, res) {
		const url = new URL(req.url || '/', 'http://simulator');
		if (url.pathname.startsWith('/_sim/')) return control(req, res, url);
		for (const vendor of vendors.values()) {
			const query = firstValues(url.searchParams);
			const route = vendor.route(url.pathname, query);
			if (!route) continue;
			const now = new Date();
			const method = req.method || 'GET';
			const body = await readBody(req);
			const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] || '');
			// Like a servlet's getParameter: one form-decoding, and the query string's value wins.
			const params = { ...(isForm ? firstValues(new URLSearchParams(body)) : {}), ...query };
			let parsedJson;
			if (/json/i.test(req.headers['content-type'] || '')) {
				try {
					parsedJson = JSON.parse(body);
				} catch {
					parsedJson = undefined;
				}
			}
			const current = (inFlight.get(vendor.name) ?? 0) + 1;
			inFlight.set(vendor.name, current);
			maxInFlight[vendor.name] = Math.max(maxInFlight[vendor.name] ?? 0, current);
			if (config.responseDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.responseDelayMs));
			inFlight.set(vendor.name, (inFlight.get(vendor.name) ?? 1) - 1);
			// Awaited: a vendor module may answer late, to simulate a slow vendor.
			const result = await vendor.handle({ ...route, method, params, query, headers: req.headers, body, json: parsedJson }, states.get(vendor.name), now);
			requests.push({
				id: nextId++,
				vendor: vendor.name,
				operation: route.operation,
				method,
				// The request target as it arrived, percent-encoding included, for tests of query encoding.
				url: req.url,
				path: url.pathname,
				query,
				headers: req.headers,
				body,
				params,
				response: { status: result.status, body: result.body },
				...(result.detail && { detail: result.detail }),
				at: now.toISOString(),
			});
			schedule(vendor, result.events);
			return reply(res, result.status, result.contentType, result.body);
		}
		return json(res, 404, { error: `no simulated vendor serves ${req.method} ${url.pathname}` });
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {URL} url */
	async function control(req, res, url) {
		const only = url.searchParams.get('vendor');
		/** @param {Record<string, any>[]} list */
		const filtered = (list) => (only ? list.filter((r) => r.vendor === only) : list);
		try {
			switch (`${req.method} ${url.pathname}`) {
				case 'GET /_sim/requests':
					return json(res, 200, filtered(requests));
				case 'GET /_sim/pushes':
					return json(res, 200, filtered(pushes));
				case 'GET /_sim/stats':
					return json(res, 200, { maxInFlight });
				case 'DELETE /_sim/requests':
					reset();
					return json(res, 200, { ok: true });
				case 'POST /_sim/config':
					return json(res, 200, { ok: true, config: configure(parseJson(await readBody(req))) });
				case 'POST /_sim/push':
					return json(res, 200, await push(parseJson(await readBody(req))));
				default:
					return json(res, 404, { error: `unknown control call ${req.method} ${url.pathname}` });
			}
		} catch (err) {
			return json(res, 400, { error: err instanceof Error ? err.message : String(err) });
		}
	}

	reset();
	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((err) => {
			console.error('simulator error:', err);
			if (!res.headersSent) json(res, 500, { error: String(err) });
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const actualPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;

	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
		port: actualPort,
		requests,
		pushes,
		/** The most vendor calls answered at once, per vendor, since the last reset. */
		maxInFlight,
		reset,
		configure,
		push,
		close() {
			cancelPending();
			return new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
}

/**
 * @param {string} url @param {string} body @param {string} contentType @param {Set<http.ClientRequest>} inflight
 * @returns {Promise<{ status: number, answer: string, error?: string }>}
 */
function post(url, body, contentType, inflight) {
	return new Promise((resolve) => {
		/** @param {{ status: number, answer: string, error?: string }} result */
		const done = (result) => {
			inflight.delete(req);
			resolve(result);
		};
		const lib = url.startsWith('https:') ? https : http;
		const req = lib.request(url, {
			method: 'POST',
			agent: false,
			timeout: 10000,
			headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
		});
		inflight.add(req);
		req.on('response', (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => done({ status: res.statusCode || 0, answer: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', (err) => done({ status: 0, answer: '', error: err.message }));
		});
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', (err) => done({ status: 0, answer: '', error: err.message }));
		req.end(body);
	});
}

/** @param {unknown} url */
function checkUrl(url) {
	if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error(`not an http(s) URL: ${url}`);
	new URL(url);
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** @param {URLSearchParams} search */
function firstValues(search) {
	/** @type {Map<string, string>} */
	const values = new Map();
	for (const [k, v] of search) if (!values.has(k)) values.set(k, v);
	return Object.fromEntries(values);
}

/** @param {string} text */
function parseJson(text) {
	try {
		return text ? JSON.parse(text) : {};
	} catch {
		throw new Error('the body is not JSON');
	}
}

/** @param {http.ServerResponse} res @param {number} status @param {string} contentType @param {string} body */
function reply(res, status, contentType, body) {
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} value */
function json(res, status, value) {
	reply(res, status, 'application/json;charset=UTF-8', JSON.stringify(value));
}

module.exports = { startSimulator, VENDORS, ACCOUNTS, ZHUANXINYUN_ACCOUNT: ACCOUNTS.zhuanxinyun };
