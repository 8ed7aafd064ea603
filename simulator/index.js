// @ts-check
'use strict';
// Local simulator of the SMS vendors' HTTP APIs: vendor calls in, pushes (delivery reports, replies) out.
// The core is generic; each vendor is one module in ./vendors (see README.md for the module contract).

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const { answerCall } = require('./faults');
const { applyConfig } = require('./config');
const { listen, post, checkUrl, readBody, parseJson, reply, json } = require('./http');
const { routeOf, callParams } = require('./routing');

/** @typedef {import('./faults').FaultSpec} FaultSpec */

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
 * @property {(path: string, query: Record<string, string>, headers: http.IncomingHttpHeaders) => VendorRoute | null} route  which operation a request is, or null when not this vendor's (Alibaba and Tencent Cloud name it in a header)
 * @property {(call: VendorCall, state: any, now: Date) => VendorResult | Promise<VendorResult>} handle
 * @property {(state: any, kind: string, records: Record<string, any>[], now: Date) => string[]} pushBodies
 *
 * @typedef {VendorRoute & { method: string, params: Record<string, string>, query: Record<string, string>, headers: http.IncomingHttpHeaders, body: string, json?: any }} VendorCall
 *   params: query + form, decoded once; json: the parsed body when it is JSON
 *
 * @typedef {{ operation: string, format?: string, fallback?: boolean }} VendorRoute  format: a response format chosen by the path;
 *   fallback: a catch-all claim (1oc's site root), which any other vendor's claim of the same request wins over
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

	/** Applies a config change (README.md, "Configuration"); unknown keys and values throw. @param {Record<string, any>} cfg */
	function configure(cfg = {}) {
		return applyConfig(config, cfg, vendorNamed, (name, value) => vendorNamed(name).configure(states.get(name), value));
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
		const routed = routeOf(vendors.values(), url, req.headers);
		if (!routed) return json(res, 404, { error: `no simulated vendor serves ${req.method} ${url.pathname}` });
		const { vendor, route, query } = routed;
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
		const { params, json: parsedJson } = callParams(req, body, query);
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
		return answerCall({ req, res, body, fault, handled, hanging, delayMs: responseDelayFor(vendor.name), isClosed: () => closed, record });
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
	const { server, port: actualPort, url: serverUrl } = await listen(onRequest, port, host);

	return {
		url: serverUrl,
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

module.exports = { startSimulator, VENDORS, ACCOUNTS, CREDENTIAL_TYPES, credentialsFor, ZHUANXINYUN_ACCOUNT: ACCOUNTS.zhuanxinyun };
