// @ts-check
'use strict';
// The simulator's fault modes (README.md, "Faults and throttling"): how a configured fault is checked,
// and how a call is answered when one applies.

const http = require('node:http');

const { reply } = require('./http');

/** @typedef {import('./index').VendorResult} VendorResult */

/**
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
/**
 * Answers a call as its fault (if any) says: `hang`, `reset`, `truncated`, `drip` and `delay` let the
 * vendor take the call (`handled`) and spoil the answer; `html5xx` and `html200` answer before the
 * vendor sees it. Without a fault, the vendor's own answer, after the configured response delay.
 * @param {object} call
 * @param {http.IncomingMessage} call.req @param {http.ServerResponse} call.res @param {string} call.body
 * @param {FaultSpec | undefined} call.fault
 * @param {(fault: FaultSpec | undefined, wire?: (result: VendorResult) => { status: number, body: string } | null) => Promise<VendorResult>} call.handled
 *   runs the vendor's handler, records the call (with `wire`, what the client got instead) and schedules its pushes
 * @param {(outcome: Record<string, unknown>) => unknown} call.record  records a call the vendor never saw
 * @param {Set<import('node:net').Socket>} call.hanging  sockets left hanging, for reset() and close()
 * @param {number} call.delayMs @param {() => boolean} call.isClosed
 */
async function answerCall({ req, res, body, fault, handled, record, hanging, delayMs, isClosed }) {
	if (fault?.mode === 'hang') {
		// Taken and recorded on arrival; the answer never comes. The socket stays open until the
		// client gives up, or reset()/close() destroy it.
		const socket = req.socket;
		hanging.add(socket);
		socket.once('close', () => hanging.delete(socket));
		await handled(fault, () => null);
		return undefined;
	}
	if (delayMs > 0) await holdFor(delayMs, res);
	if (isClosed()) return undefined;

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

module.exports = { FAULT_MODES, answerCall, faultSpec, plainObject, integer };
