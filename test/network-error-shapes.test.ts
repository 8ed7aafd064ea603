/**
 * A network failure reads the same on every n8n the package runs on. Each n8n hands the node its own
 * shape of error for a refused connection, a timeout and a reset: n8n 2.x a NodeApiError whose `cause`
 * chain holds the code, n8n 1.x a NodeApiError that has lost its cause and keeps the code only as its
 * `httpCode`. The shapes here were captured from each version's own n8n-core (scripts/probe-network-errors.js,
 * run under Node 24 against the cache folder's installs), not written by hand; the test rebuilds each
 * one and hands it to the transport as n8n would.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { IExecuteFunctions } from 'n8n-workflow';

import { callVendor, errorCode, VendorCallError } from '../nodes/shared/transport';

const FIXTURES = path.join(__dirname, 'fixtures');
const captured = fs
	.readdirSync(FIXTURES)
	.filter((file) => /^n8n-network-errors-.*\.json$/.test(file))
	.map((file) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as { n8n: string; shapes: Record<string, unknown> });

/** Placeholders the probe wrote for values it does not print (stack, request, ...). */
const NOT_PRINTED = /^\[(object|string|number|function|deeper|no cause property)\]$/;

/** The captured error, as an object of the same class name and own properties, nested errors too. */
function rebuild(shape: unknown): unknown {
	if (shape === '[undefined]') return undefined;
	if (Array.isArray(shape)) return shape.map(rebuild);
	if (!shape || typeof shape !== 'object') return shape;
	const record = shape as Record<string, unknown>;
	const out = (record['[class]'] ? new Error(String(record.message)) : {}) as Record<string, unknown>;
	for (const [key, value] of Object.entries(record)) {
		if (key === '[class]' || key === 'stack' || (typeof value === 'string' && NOT_PRINTED.test(value))) continue;
		Object.defineProperty(out, key, { value: rebuild(value), enumerable: true, writable: true, configurable: true });
	}
	return out;
}

const EXPECTED: Record<string, { code: string; outcome: 'notSent' | 'unknown'; words: RegExp; calls: number }> = {
	'connection refused': { code: 'ECONNREFUSED', outcome: 'notSent', words: /\(connection refused\); nothing was sent/, calls: 2 },
	timeout: { code: 'ECONNABORTED', outcome: 'unknown', words: /\(timed out\); the message may have been sent/, calls: 1 },
	'reset after the request was read': { code: 'ECONNRESET', outcome: 'unknown', words: /\(connection reset\); the message may have been sent/, calls: 1 },
};

it('shapes were captured for n8n 1.x and 2.x, each case of each', () => {
	expect(captured.map((c) => c.n8n.split('.')[0]).sort()).toEqual(['1', '2']);
	for (const c of captured) expect(Object.keys(c.shapes).sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(captured.map((c) => [c.n8n, c] as const))('n8n %s', (_version, c) => {
	it.each(Object.keys(EXPECTED))('%s: the code is read from the shape this n8n hands over', (name) => {
		expect(errorCode(rebuild(c.shapes[name]))).toBe(EXPECTED[name].code);
	});

	it.each(Object.keys(EXPECTED))('%s: the outcome, the words and whether the call is tried again', async (name) => {
		let calls = 0;
		const node = { id: '1', name: 'Vendor', type: 'n8n-nodes-cn-sms.test', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { testApi: { id: '1', name: 'Test' } } };
		const ctx = {
			getNode: () => node,
			getCredentials: async () => ({ baseUrl: 'http://127.0.0.1:9', appKey: 'key-0001' }),
			helpers: {
				httpRequestWithAuthentication: async () => {
					calls++;
					throw rebuild(c.shapes[name]);
				},
			},
		} as unknown as IExecuteFunctions;
		const api = { displayName: 'Test Vendor', credentialType: 'testApi', findFailure: () => undefined };
		const error = await callVendor(ctx, api, { method: 'POST', path: '/send', form: { a: '1' } }, { timeout: 5000, allowUnauthorizedCerts: false, retries: 1 }).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(VendorCallError);
		const failure = (error as VendorCallError).vendorFailure;
		expect({ outcome: failure.outcome, code: failure.code, calls }).toEqual({ outcome: EXPECTED[name].outcome, code: EXPECTED[name].code, calls: EXPECTED[name].calls });
		expect(failure.english).toMatch(EXPECTED[name].words);
	});
});

it('a numeric httpCode is an HTTP status, not a network code', () => {
	expect(errorCode(Object.assign(new Error('Bad gateway'), { httpCode: '502' }))).toBeUndefined();
});
