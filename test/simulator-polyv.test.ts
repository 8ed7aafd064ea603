// The Polyv part of the vendor simulator, over real HTTP, and the credential's test request against it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IAuthenticateRuleResponseSuccessBody, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { PolyvApi } from '../credentials/PolyvApi.credentials';
import { sign } from '../nodes/Polyv/polyv.vendor';
import { readAnswer, type Answer } from './helpers/http';
import { ACCOUNTS, useSimulator } from './helpers/simulator';

const { appId, appSecret } = ACCOUNTS.polyv as { appId: string; appSecret: string };
const PATH = '/live/v4/user/sms/send';
const CODE = { templateParamNames: ['code'], templateParamValues: ['9876'] };
const sim = useSimulator();

function query(overrides: Record<string, string | undefined> = {}, secret = appSecret): string {
	const params: Record<string, string> = { appId, timestamp: String(Date.now()) };
	for (const [key, value] of Object.entries(overrides)) {
		if (value === undefined) delete params[key];
		else params[key] = value;
	}
	if (!('sign' in overrides)) params.sign = sign(params, secret);
	return new URLSearchParams(params).toString();
}

async function send(body: unknown, opts: { query?: string; contentType?: string; method?: string } = {}): Promise<Answer> {
	const res = await fetch(`${sim().url}${PATH}?${opts.query ?? query()}`, {
		method: opts.method ?? 'POST',
		headers: { 'Content-Type': opts.contentType ?? 'application/json' },
		body: opts.method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	return readAnswer(res);
}

const refusal = (status: number, code: number, desc: string) => ({
	code: status,
	status: status >= 500 ? 'fail' : 'error',
	requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
	error: { code, desc },
	success: false,
});

describe('polyv: signature and time', () => {
	test('a signed request is accepted, in the shape of the document\'s success sample', async () => {
		const res = await send({ phoneNumbers: ['17680476163', '1768909'], ...CODE });
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json;charset=UTF-8');
		expect(res.json).toEqual({
			code: 200,
			status: 'success',
			requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			data: [
				{ serialNo: expect.stringMatching(/^\d{18}\^0$/), phoneNumber: '17680476163', status: 12 },
				{ serialNo: null, phoneNumber: '1768909', status: -2 },
			],
			success: true,
		});
		expect(Object.keys(res.json)).toEqual(['code', 'status', 'requestId', 'data', 'success']);
		expect(sim().requests[0]).toMatchObject({ vendor: 'polyv', operation: 'send', method: 'POST', path: PATH, response: { status: 200 } });
	});

	test.each([
		['an unknown appId', { appId: 'nosuchapp1' }, 20001, 'application not found.', appSecret],
		['no appId', { appId: undefined }, 20001, 'application not found.', appSecret],
		['a wrong secret', {}, 20002, 'invalid signature.', 'wrong-secret'],
		['a tampered timestamp', { sign: sign({ appId, timestamp: '1660270926732' }, appSecret) }, 20002, 'invalid signature.', appSecret],
		['no sign', { sign: undefined }, 10002, 'param should not be empty: sign', appSecret],
		['a timestamp 3 minutes and 1 second old', { timestamp: String(Date.now() - 181_000) }, 20003, 'timestamp expired.', appSecret],
		['a timestamp 4 minutes ahead', { timestamp: String(Date.now() + 240_000) }, 20003, 'timestamp expired.', appSecret],
		['a timestamp in seconds', { timestamp: String(Math.floor(Date.now() / 1000)) }, 20003, 'timestamp expired.', appSecret],
	])('%s: HTTP 400 with Polyv\'s JSON error body', async (_name, overrides, code, desc, secret) => {
		const res = await send({ phoneNumbers: ['13800138000'], ...CODE }, { query: query(overrides, secret) });
		expect(res.status).toBe(400);
		expect(res.json).toEqual(refusal(400, code, desc));
		expect(sim().requests[0].response.status).toBe(400);
		expect(sim().requests[0].detail.reason).toEqual(expect.any(String));
	});

	test('a timestamp 2 minutes 50 seconds old is still good', async () => {
		expect((await send({ phoneNumbers: ['13800138000'], ...CODE }, { query: query({ timestamp: String(Date.now() - 170_000) }) })).status).toBe(200);
	});

	test('the simulated clock can run ahead of the machine (an n8n host whose clock is behind)', async () => {
		sim().configure({ polyv: { clockSkewMs: 200_000 } });
		expect((await send({ phoneNumbers: ['13800138000'], ...CODE })).json.error.desc).toBe('timestamp expired.');
		expect(() => sim().configure({ polyv: { clock: 1 } })).toThrow('polyv: unknown config key "clock"');
	});

	test('the body is not signed: changing it keeps the signature good', async () => {
		const q = query();
		expect((await send({ phoneNumbers: ['13800138000'], ...CODE }, { query: q })).status).toBe(200);
		expect((await send({ phoneNumbers: ['13900139000'], templateParamNames: [], templateParamValues: [] }, { query: q })).status).toBe(200);
	});
});

describe('polyv: the body', () => {
	test.each([
		['a form body', 'phoneNumbers=13800138000', 'application/x-www-form-urlencoded', 'json format error'],
		['JSON that does not parse', '{"phoneNumbers":[', 'application/json', 'json format error'],
		['no phone numbers', { phoneNumbers: [], ...CODE }, 'application/json', 'param should not be empty: phoneNumbers'],
		['no templateParamNames', { phoneNumbers: ['13800138000'], templateParamValues: [] }, 'application/json', 'param should not be empty: templateParamNames'],
		['201 numbers', { phoneNumbers: Array.from({ length: 201 }, (_, i) => String(13800000001 + i)), ...CODE }, 'application/json', 'param validate error'],
		['names and values that do not pair up', { phoneNumbers: ['13800138000'], templateParamNames: ['code'], templateParamValues: [] }, 'application/json', 'param validate error'],
	])('%s is refused after the signature is checked', async (_name, body, contentType, desc) => {
		const res = await send(body, { contentType });
		expect(res.status).toBe(400);
		expect(res.json.error.desc).toBe(desc);
	});

	test('the document\'s own sample, numbers and all, is accepted', async () => {
		const res = await send({ phoneNumbers: [1768909, 17680476163], templateParamNames: ['code'], templateParamValues: [9802] });
		expect(res.json.data.map((d: any) => [d.phoneNumber, d.status])).toEqual([
			['1768909', -2],
			['17680476163', 12],
		]);
		expect(sim().requests[0].detail.types).toEqual({ phoneNumbers: ['number'], templateParamValues: ['number'] });
		expect(sim().requests[0].detail.messages[1].content).toBe('【保利威】您的验证码是9802，5分钟内有效。');
	});

	test('only POST', async () => {
		const res = await send(undefined, { method: 'GET' });
		expect(res.status).toBe(405);
		expect(res.json).toEqual(refusal(405, 405, 'request method not supported'));
	});
});

describe('polyv: per-number results', () => {
	test('special numbers: ...0000 fails at Aliyun (11), ...1111 is at its daily limit (-1)', async () => {
		const res = await send({ phoneNumbers: ['13800138000', '13800000000', '13800001111', '1380013800x'], ...CODE });
		expect(res.json.success).toBe(true);
		expect(res.json.data.map((d: any) => [d.phoneNumber, d.status, d.serialNo !== null])).toEqual([
			['13800138000', 12, true],
			['13800000000', 11, false],
			['13800001111', -1, false],
			['1380013800x', -2, false],
		]);
	});

	test('a number gets 10 messages a day, then -1; reset() forgets the count', async () => {
		for (let i = 0; i < 10; i++) expect((await send({ phoneNumbers: ['13800138000'], ...CODE })).json.data[0].status).toBe(12);
		expect((await send({ phoneNumbers: ['13800138000', '13900139000'], ...CODE })).json.data.map((d: any) => d.status)).toEqual([-1, 12]);
		sim().reset();
		expect((await send({ phoneNumbers: ['13800138000'], ...CODE })).json.data[0].status).toBe(12);
	});

	test('a template variable left out makes Aliyun fail every number (11)', async () => {
		const res = await send({ phoneNumbers: ['13800138000'], templateParamNames: ['name'], templateParamValues: ['x'] });
		expect(res.json.data[0]).toEqual({ serialNo: null, phoneNumber: '13800138000', status: 11 });
		expect(sim().requests[0].detail.missingVariables).toEqual(['code']);
	});

	test('Polyv pushes nothing', async () => {
		await expect(sim().push({ vendor: 'polyv', url: 'http://127.0.0.1:9/x', kind: 'delivery', records: [] })).rejects.toThrow('polyv pushes nothing');
	});
});

/**
 * The credential's Test button, as n8n 2.41's CredentialsTester runs a request test: the request
 * through the credential's authenticate, HTTP errors ignored as the request asks, then the first
 * `responseSuccessBody` rule whose key holds its value fails the test.
 */
async function credentialTest(baseUrl: string, credentials: { appId: string; appSecret: string }): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const type = new PolyvApi();
	const request = type.test.request;
	const authenticate = type.authenticate as (c: IDataObject, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
	const signed = await authenticate(credentials, { url: `${baseUrl}${request.url}`, method: request.method, body: request.body, qs: {} });
	const res = await fetch(`${signed.url}?${new URLSearchParams(signed.qs as Record<string, string>)}`, {
		method: signed.method,
		headers: request.headers as Record<string, string>,
		body: JSON.stringify(signed.body),
	});
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// n8n hands a non-JSON body to the rules as a string
	}
	const get = (value: unknown, path: string) => path.split('.').reduce<any>((at, key) => (at && typeof at === 'object' ? at[key] : undefined), value);
	for (const rule of type.test.rules as IAuthenticateRuleResponseSuccessBody[]) {
		if (get(body, rule.properties.key) === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

describe('polyv: the credential test request', () => {
	test('passes with the right keys and sends nothing', async () => {
		expect(await credentialTest(sim().url, { appId, appSecret })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim().requests).toHaveLength(1);
		expect(sim().requests[0].response.status).toBe(400);
		expect(JSON.parse(sim().requests[0].response.body).error.desc).toBe('param should not be empty: phoneNumbers');
		expect(sim().requests[0].detail.messages).toBeUndefined();
	});

	test('fails for a wrong secret and for an unknown App ID', async () => {
		const wrongSecret = await credentialTest(sim().url, { appId, appSecret: 'not-the-secret' });
		expect(wrongSecret.status).toBe('Error');
		expect(wrongSecret.message).toContain('invalid signature.');
		const unknownApp = await credentialTest(sim().url, { appId: 'nosuchapp1', appSecret });
		expect(unknownApp).toEqual({ status: 'Error', message: 'Polyv error 20001: Polyv does not know this App ID (application not found.)' });
	});

	test('fails for a base URL that is not Polyv', async () => {
		const server = http.createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html>not here</html>'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const other = await credentialTest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { appId, appSecret });
			expect(other.status).toBe('Error');
			expect(other.message).toContain("did not answer like Polyv's API");
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
