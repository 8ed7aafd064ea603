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
 * @property {string} credentialType  the n8n credential type of the vendor's nodes (`veesingApi`)
 * @property {(baseUrl: string) => Record<string, string>} credentials  that credential's data for the
 *   simulator's account, every base URL set to `baseUrl`
 * @property {string} pushContentType
 * @property {string[]} [operations]  every operation route() can return: configure() checks fault names against it
 * @property {(route: VendorRoute) => VendorResult} [throttled]  the vendor's own "too frequent" answer (default: HTTP 429)
 * @property {() => any} createState
 * @property {(state: any, cfg: any) => void} configure
 * @property {(path: string, query: Record<string, string>, headers: http.IncomingHttpHeaders) => VendorRoute | null} route  which operation a request is, or null when not this vendor's
 *   (Tencent Cloud names its action in a header)
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
 *
 * @typedef {object} FaultSpec  a vendor that misbehaves on demand (README.md, "Faults and throttling")
 * @property {keyof typeof FAULT_MODES} mode
 * @property {number} [times]  the fault applies to the first `times` matching calls; then calls are answered normally
 * @property {number} [status]  html5xx
 * @property {number} [delayMs]  delay
 * @property {number} [durationMs]  drip
 */

/**
 * The fault modes. `accepted`: the vendor's handler runs first (the message is taken, its pushes are
 * scheduled) and only the answer is bad; otherwise the call never reaches the vendor. `options`: the
 * FaultSpec keys the mode takes besides `mode` and `times`, with their defaults.
 */
const FAULT_MODES = {
	hang: { accepted: true, options: {} },
	reset: { accepted: true, options: {} },
	truncated: { accepted: true, options: {} },
	drip: { accepted: true, options: { durationMs: 5000 } },
	html5xx: { accepted: false, options: { status: 502 } },
	html200: { accepted: false, options: {} },
	delay: { accepted: true, options: { delayMs: 1000 } },
};
/** A "too frequent" answer for vendors that document none. @type {VendorResult} */
const TOO_MANY_REQUESTS = { status: 429, contentType: 'text/plain;charset=UTF-8', body: 'Too Many Requests' };

/** Every module in ./vendors is a vendor: adding a vendor touches no other file. @type {VendorModule[]} */
const VENDORS = fs
	.readdirSync(path.join(__dirname, 'vendors'))
	.filter((file) => file.endsWith('.js'))
	.sort()
	.map((file) => require(path.join(__dirname, 'vendors', file)));

/** Test credentials by vendor name. @type {Record<string, Record<string, string>>} */
const ACCOUNTS = Object.fromEntries(VENDORS.map((v) => [v.name, v.account]));

/** n8n credential type names by vendor name. @type {Record<string, string>} */
const CREDENTIAL_TYPES = Object.fromEntries(VENDORS.map((v) => [v.name, v.credentialType]));

/**
 * The data of the vendor's n8n credential for the simulator's account, every base URL set to `baseUrl`:
 * the one place tests, e2e scenarios and the demo get a working credential from.
 * @param {string} vendor @param {string} baseUrl
 * @returns {Record<string, string>}
 */
function credentialsFor(vendor, baseUrl) {
	const found = VENDORS.find((v) => v.name === vendor);
	if (!found) throw new Error(`the simulator has no vendor ${vendor} (it has ${VENDORS.map((v) => v.name).join(', ')})`);
	return found.credentials(baseUrl);
}

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
		// A number for every vendor, or { <vendor>: ms } for some.
		/** @type {number | Record<string, number>} */
		responseDelayMs: 0,
		// Both cleared by reset(), unlike the rest of the config.
		/** @type {Record<string, Record<string, FaultSpec>>} */
		faults: {},
		/** @type {Record<string, { maxInFlight: number }>} */
		throttle: {},
	};
	// Vendor calls being answered right now (from arrival until the answer is written or the socket
	// closes), and the most there were at once, per vendor. A throttle counts the same sets.
	/** @type {Map<string, Set<http.ServerResponse>>} */
	const inFlight = new Map(VENDORS.map((v) => [v.name, new Set()]));
	/** @type {Record<string, number>} */
	const maxInFlight = {};
	/** Calls a throttle refused, and calls a fault applied to, per vendor, since the last reset. @type {Record<string, number>} */
	const throttled = {};
	/** @type {Record<string, number>} */
	const faulted = {};
	/** How many calls each configured fault has applied to (its `times`). @type {WeakMap<FaultSpec, number>} */
	const faultUses = new WeakMap();
	/** Sockets of calls left hanging by a fault: reset() and close() destroy them. @type {Set<import('node:net').Socket>} */
	const hanging = new Set();
	/** @type {Map<string, any>} */
	let states = new Map();
	let nextId = 1;
	// Pending timers and outgoing pushes: reset() and close() cancel them; a bumped generation
	// tells an interrupted push sequence to stop.
	const timers = new Set();
	/** @type {Set<http.ClientRequest>} */
	const inflight = new Set();
	let generation = 0;
	// Set by close(): a call still being held then is neither handled nor answered.
	let closed = false;

	function reset() {
		requests.length = 0;
		pushes.length = 0;
		nextId = 1;
		for (const counts of [maxInFlight, throttled, faulted]) for (const name of Object.keys(counts)) delete counts[name];
		config.faults = {};
		config.throttle = {};
		for (const socket of hanging) socket.destroy();
		hanging.clear();
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
			} else if (key === 'responseDelayMs' && value !== null && typeof value === 'object') {
				/** @type {Record<string, number>} */
				const delays = typeof config.responseDelayMs === 'object' ? { ...config.responseDelayMs } : {};
				for (const [name, ms] of Object.entries(value)) {
					vendorNamed(name);
					if (ms === null) delete delays[name];
					else delays[name] = Math.max(0, Number(ms) || 0);
				}
				config.responseDelayMs = delays;
			} else if (key === 'pushDelayMs' || key === 'retryDelayMs' || key === 'responseDelayMs') {
				config[key] = Math.max(0, Number(value) || 0);
			} else if (key === 'faults') {
				for (const [name, operations] of Object.entries(plainObject('faults', value))) {
					const vendor = vendorNamed(name);
					const faults = { ...config.faults[name] };
					for (const [operation, spec] of Object.entries(operations === null ? {} : plainObject(`faults.${name}`, operations))) {
						if (operation !== '*' && vendor.operations && !vendor.operations.includes(operation)) {
							throw new Error(`faults.${name}.${operation}: ${name} has no operation "${operation}"; it has ${vendor.operations.join(', ')} (or '*' for all)`);
						}
						if (spec === null) delete faults[operation];
						else faults[operation] = faultSpec(`faults.${name}.${operation}`, spec);
					}
					if (operations === null || Object.keys(faults).length === 0) delete config.faults[name];
					else config.faults[name] = faults;
				}
			} else if (key === 'throttle') {
				for (const [name, limit] of Object.entries(plainObject('throttle', value))) {
					vendorNamed(name);
					if (limit === null) {
						delete config.throttle[name];
						continue;
					}
					const { maxInFlight: max, ...rest } = plainObject(`throttle.${name}`, limit);
					if (Object.keys(rest).length) throw new Error(`throttle.${name}: the only option is maxInFlight, not ${Object.keys(rest).join(', ')}`);
					config.throttle[name] = { maxInFlight: integer(`throttle.${name}.maxInFlight`, max, 0) };
				}
			} else if (vendors.has(key)) {
				vendorNamed(key).configure(states.get(key), value);
			} else {
				throw new Error(`unknown config key "${key}"`);
			}
		}
		return config;
	}

	/** The fault for this call, if one applies (an operation's own entry wins over '*'), counted. @param {string} vendor @param {string} operation */
	function faultFor(vendor, operation) {
		const spec = config.faults[vendor]?.[operation] ?? config.faults[vendor]?.['*'];
		if (!spec) return undefined;
		const uses = faultUses.get(spec) ?? 0;
		if (spec.times !== undefined && uses >= spec.times) return undefined;
		faultUses.set(spec, uses + 1);
		faulted[vendor] = (faulted[vendor] ?? 0) + 1;
		return spec;
	}

	/** @param {string} vendor */
	function responseDelayFor(vendor) {
		return typeof config.responseDelayMs === 'number' ? config.responseDelayMs : (config.responseDelayMs[vendor] ?? 0);
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
			const route = vendor.route(url.pathname, query, req.headers);
			if (!route) continue;
			const now = new Date();
			const method = req.method || 'GET';
			// The throttle decides on arrival, before the body is read; a refused call is not in flight.
			const running = /** @type {Set<http.ServerResponse>} */ (inFlight.get(vendor.name));
			const limit = config.throttle[vendor.name]?.maxInFlight;
			const refused = limit !== undefined && running.size >= limit;
			if (!refused) {
				running.add(res);
				maxInFlight[vendor.name] = Math.max(maxInFlight[vendor.name] ?? 0, running.size);
				const done = () => running.delete(res);
				res.once('finish', done);
				res.once('close', done);
			}
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
			/** @param {Record<string, unknown>} outcome  response (what went on the wire), accepted, fault or throttled, detail */
			const record = (outcome) =>
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
					...outcome,
					at: now.toISOString(),
				});
			// Runs the vendor's handler (the vendor takes the call), records it and schedules its pushes.
			// `wire` is what the client gets instead of the vendor's answer, when a fault changes it.
			/** @param {FaultSpec | undefined} fault @param {(result: VendorResult) => { status: number, body: string } | null} [wire] */
			const handled = async (fault, wire) => {
				// Awaited: a vendor module may answer late, to simulate a slow vendor.
				const result = await vendor.handle({ ...route, method, params, query, headers: req.headers, body, json: parsedJson }, states.get(vendor.name), now);
				const vendorResponse = { status: result.status, body: result.body };
				record({
					response: wire ? wire(result) : vendorResponse,
					accepted: true,
					...(fault && { fault: fault.mode }),
					...(wire && { vendorResponse }),
					...(result.detail && { detail: result.detail }),
				});
				schedule(vendor, result.events);
				return result;
			};

			if (refused) {
				throttled[vendor.name] = (throttled[vendor.name] ?? 0) + 1;
				const answer = vendor.throttled ? vendor.throttled(route) : TOO_MANY_REQUESTS;
				record({ response: { status: answer.status, body: answer.body }, accepted: false, throttled: true, detail: { reason: `more than ${limit} calls in flight` } });
				return reply(res, answer.status, answer.contentType, answer.body);
			}
			const fault = faultFor(vendor.name, route.operation);
			if (fault?.mode === 'hang') {
				// Taken and recorded on arrival; the answer never comes. The socket stays open until the
				// client gives up, or reset()/close() destroy it.
				const socket = req.socket;
				hanging.add(socket);
				socket.once('close', () => hanging.delete(socket));
				await handled(fault, () => null);
				return undefined;
			}
			const delay = responseDelayFor(vendor.name);
			if (delay > 0) await holdFor(delay, res);
			if (closed) return undefined;

			if (fault && !FAULT_MODES[fault.mode].accepted) {
				const status = fault.mode === 'html5xx' ? /** @type {number} */ (fault.status) : 200;
				const page = fault.mode === 'html5xx' ? gatewayErrorPage(status, req, body) : LOGIN_PAGE;
				record({ response: { status, body: page }, accepted: false, fault: fault.mode });
				return reply(res, status, 'text/html; charset=utf-8', page);
			}
			switch (fault?.mode) {
				case 'reset':
					await handled(fault, () => null);
					return resetSocket(req.socket);
				case 'truncated': {
					const result = await handled(fault, (r) => ({ status: 200, body: firstHalf(r.body) }));
					return reply(res, 200, result.contentType, firstHalf(result.body));
				}
				case 'drip':
					return drip(res, await handled(fault), /** @type {number} */ (fault.durationMs));
				case 'delay': {
					const result = await handled(fault);
					const timer = setTimeout(() => reply(res, result.status, result.contentType, result.body), fault.delayMs);
					res.once('close', () => clearTimeout(timer));
					return undefined;
				}
				default: {
					const result = await handled(fault);
					return reply(res, result.status, result.contentType, result.body);
				}
			}
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
					return json(res, 200, stats());
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

	function stats() {
		return { maxInFlight: { ...maxInFlight }, throttled: { ...throttled }, faulted: { ...faulted } };
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
		/** `{ maxInFlight, throttled, faulted }`, each per vendor, since the last reset (a copy). */
		stats,
		reset,
		configure,
		push,
		close() {
			closed = true;
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

/** @param {string} where @param {unknown} spec @returns {FaultSpec} */
function faultSpec(where, spec) {
	const { mode, times, ...options } = plainObject(where, spec);
	if (!Object.hasOwn(FAULT_MODES, mode)) throw new Error(`${where}.mode: ${JSON.stringify(mode)} is not one of ${Object.keys(FAULT_MODES).join(', ')}`);
	const defaults = FAULT_MODES[/** @type {keyof typeof FAULT_MODES} */ (mode)].options;
	for (const key of Object.keys(options)) {
		if (!Object.hasOwn(defaults, key)) throw new Error(`${where}.${key}: mode ${mode} takes ${['times', ...Object.keys(defaults)].join(', ')}`);
	}
	/** @type {FaultSpec} */
	const fault = { mode };
	if (times !== undefined) fault.times = integer(`${where}.times`, times, 1);
	for (const [key, value] of Object.entries(defaults)) {
		const [min, max] = key === 'status' ? [400, 599] : [0, 600000];
		fault[/** @type {'status' | 'delayMs' | 'durationMs'} */ (key)] = options[key] === undefined ? value : integer(`${where}.${key}`, options[key], min, max);
	}
	return fault;
}

/** @param {string} where @param {unknown} value @returns {Record<string, any>} */
function plainObject(where, value) {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected an object, got ${JSON.stringify(value)}`);
	return /** @type {Record<string, any>} */ (value);
}

/** @param {string} where @param {unknown} value @param {number} min @param {number} [max] */
function integer(where, value, min, max = Number.MAX_SAFE_INTEGER) {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new Error(`${where}: expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got ${JSON.stringify(value)}`);
	}
	return value;
}

/** Waits `ms`, or less when the connection closes first (close() must leave no timer behind). @param {number} ms @param {http.ServerResponse} res */
function holdFor(ms, res) {
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		res.once('close', () => {
			clearTimeout(timer);
			resolve(undefined);
		});
	});
}

/** The first half of a body (by characters, so that a multi-byte character is never cut). @param {string} body */
function firstHalf(body) {
	return body.slice(0, Math.floor(body.length / 2));
}

/** Closes the connection with a TCP reset and no answer, as a crashed proxy or a firewall does. @param {import('node:net').Socket} socket */
function resetSocket(socket) {
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

/**
 * The normal answer, headers at once, then the body a few bytes at a time, the last ones after
 * `durationMs`: a slow link that keeps the socket busy without ever going quiet for long.
 * @param {http.ServerResponse} res @param {VendorResult} result @param {number} durationMs
 */
function drip(res, result, durationMs) {
	const bytes = Buffer.from(result.body, 'utf8');
	res.writeHead(result.status, { 'Content-Type': result.contentType, 'Content-Length': bytes.length });
	res.flushHeaders();
	const size = Math.max(1, Math.ceil(bytes.length / 50), Math.min(4, bytes.length));
	const pieces = Math.max(1, Math.ceil(bytes.length / size));
	const start = Date.now();
	let written = 0;
	/** @type {NodeJS.Timeout} */
	let timer;
	const next = () => {
		const piece = bytes.subarray(written * size, (written + 1) * size);
		written++;
		if (written >= pieces) return res.end(piece);
		res.write(piece);
		timer = setTimeout(next, Math.max(0, start + (durationMs * (written + 1)) / pieces - Date.now()));
		return undefined;
	};
	timer = setTimeout(next, durationMs / pieces);
	res.once('close', () => clearTimeout(timer));
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<h1>Sign in to continue</h1>
<form method="post" action="/login">
<label>User name <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>
`;

/**
 * A proxy's error page that echoes the request it got, unescaped, as some misconfigured proxies do:
 * tests use it to prove the package never shows a secret an answer echoes.
 * @param {number} status @param {http.IncomingMessage} req @param {string} body
 */
function gatewayErrorPage(status, req, body) {
	const title = `${status} ${http.STATUS_CODES[status] || 'Error'}`;
	const headers = Object.entries(req.headers)
		.map(([name, value]) => `${name}: ${value}`)
		.join('\n');
	return `<!DOCTYPE html>
<html><head><title>${title}</title></head>
<body>
<h1>${title}</h1>
<p>The upstream server did not answer. The request as received:</p>
<pre>${req.method} ${req.url} HTTP/${req.httpVersion}
${headers}

${body}</pre>
<hr><center>nginx</center>
</body></html>
`;
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

module.exports = { startSimulator, VENDORS, ACCOUNTS, CREDENTIAL_TYPES, credentialsFor, ZHUANXINYUN_ACCOUNT: ACCOUNTS.zhuanxinyun };
