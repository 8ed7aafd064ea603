// @ts-check
'use strict';
// The simulator's HTTP plumbing: its server, the pushes it posts, and reading and answering requests.

const http = require('node:http');
const https = require('node:https');

/**
 * Serves `handler` on host:port (0: any free port); a handler that throws answers 500.
 * @param {(req: http.IncomingMessage, res: http.ServerResponse) => Promise<unknown>} handler @param {number} port @param {string} host
 */
async function listen(handler, port, host) {
	const server = http.createServer((req, res) => {
		handler(req, res).catch((err) => {
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
		server,
		port: actualPort,
		url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
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

module.exports = { listen, post, checkUrl, readBody, firstValues, parseJson, reply, json };
