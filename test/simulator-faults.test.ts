// The simulator's fault modes and throttle (simulator/README.md, "Faults and throttling"), over real
// HTTP on 127.0.0.1 with Node's own client, so that resets, hangs and dripped bodies show as a
// client really sees them.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { ACCOUNTS, startSimulator, useSimulator, type Simulator } from './helpers/simulator';

const { START_BALANCE: VEESING_BALANCE } = require('../simulator/vendors/veesing');

interface Stats {
	maxInFlight: Record<string, number>;
	throttled: Record<string, number>;
	faulted: Record<string, number>;
}
type FaultSimulator = Simulator & { stats(): Stats };

const sim = useSimulator() as () => FaultSimulator;
const FORM = 'application/x-www-form-urlencoded;charset=utf-8';
const veesing = ACCOUNTS.veesing;
const zhuanxinyun = ACCOUNTS.zhuanxinyun;

interface RawAnswer {
	status: number;
	contentType: string | undefined;
	body: string;
	/** How many pieces the body came in. */
	chunks: number;
	/** From the request's start to the headers, and to the end of the body. */
	headersAfterMs: number;
	tookMs: number;
}

/** One request on its own connection; rejects with the socket error (`code`), or `CLIENT_TIMEOUT` after `timeoutMs`. */
function call(
	path: string,
	{ method = 'POST', body = '', headers = {}, timeoutMs = 5000 }: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawAnswer> & { abort(): void } {
	let abort = () => {};
	const promise = new Promise<RawAnswer>((resolve, reject) => {
		const start = Date.now();
		const req = request(`${sim().url}${path}`, { method, agent: false, headers: { 'Content-Type': FORM, ...headers } });
		abort = () => req.destroy(Object.assign(new Error('aborted by the test'), { code: 'CLIENT_ABORT' }));
		req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'CLIENT_TIMEOUT' })));
		req.on('error', reject);
		req.on('response', (res) => {
			const headersAfterMs = Date.now() - start;
			const pieces: Buffer[] = [];
			res.on('data', (piece: Buffer) => pieces.push(piece));
			res.on('error', reject);
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					contentType: res.headers['content-type'],
					body: Buffer.concat(pieces).toString('utf8'),
					chunks: pieces.length,
					headersAfterMs,
					tookMs: Date.now() - start,
				}),
			);
		});
		req.end(body);
	});
	return Object.assign(promise, { abort: () => abort() });
}

/** The socket error a call ended with. */
async function failure(answer: Promise<RawAnswer>): Promise<{ code?: string; message: string }> {
	return answer.then(
		(res) => {
			throw new Error(`expected no answer, got HTTP ${res.status} ${res.body}`);
		},
		(err: NodeJS.ErrnoException) => ({ code: err.code, message: err.message }),
	);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Veesing send (the doc's form body) to a number of its own, so the one-a-minute rule never bites. */
let nextPhone = 0;
function veesingSend(options: { timeoutMs?: number; query?: string } = {}) {
	const phone = `1380013${String(1000 + nextPhone++).padStart(4, '0')}`;
	const body = new URLSearchParams({ ...veesing, phone, templateId: '540', variables: '1234' }).toString();
	return call(`/smsApi/verifyCode${options.query ?? ''}`, { body, timeoutMs: options.timeoutMs });
}
async function veesingBalance(): Promise<number> {
	const res = await call(`/smsApi/verifyCode/getBalance?${new URLSearchParams(veesing)}`, { headers: { 'Content-Type': 'text/plain' } });
	return Number(JSON.parse(res.body).remainPoint);
}

function zhuanxinyunSend(format: 'json' | 'xml' = 'json', phones = '13800138000') {
	const body = new URLSearchParams({ ...zhuanxinyun, phones, content: '【云锋网络】您好,这是测试1234' }).toString();
	return call(`/api/v2/sendSms.${format}`, { body });
}
async function zhuanxinyunBalance(): Promise<number> {
	const res = await call('/api/v2/querySmsCount.json', { body: new URLSearchParams(zhuanxinyun).toString() });
	return JSON.parse(res.body).count;
}

const veesingOk = (balance: number) => expect.stringMatching(new RegExp(`^\\{"returnStatus":"1 ","message":"成功","remainPoint":"${balance}","taskId":"\\d+","successCounts":"1"\\}$`));

describe('faults: each mode', () => {
	// For every mode: what the client gets, and whether the vendor took the message (its balance).
	test.each([
		['hang', true, { mode: 'hang' }],
		['reset', true, { mode: 'reset' }],
		['truncated', true, { mode: 'truncated' }],
		['drip', true, { mode: 'drip', durationMs: 100 }],
		['delay', true, { mode: 'delay', delayMs: 50 }],
		['html5xx', false, { mode: 'html5xx' }],
		['html200', false, { mode: 'html200' }],
	])('%s: the vendor takes the message: %s', async (mode, accepted, spec) => {
		sim().configure({ faults: { veesing: { send: spec } } });
		const sent = veesingSend({ timeoutMs: 500 });
		const outcome = await sent.then(
			(res) => res.status,
			(err: NodeJS.ErrnoException) => err.code,
		);
		expect(outcome).toBe({ hang: 'CLIENT_TIMEOUT', reset: 'ECONNRESET', html5xx: 502 }[mode] ?? 200);
		expect(await veesingBalance()).toBe(accepted ? VEESING_BALANCE - 1 : VEESING_BALANCE);
		const [record, balanceCall] = sim().requests;
		expect(record).toMatchObject({ vendor: 'veesing', operation: 'send', fault: mode, accepted });
		expect(accepted ? record.detail : undefined).toEqual(accepted ? expect.objectContaining({ code: '1234' }) : undefined);
		// The fault was on `send` only: the balance call was answered normally.
		expect(balanceCall).toMatchObject({ operation: 'getBalance', accepted: true });
		expect(balanceCall).not.toHaveProperty('fault');
		expect(sim().stats().faulted).toEqual({ veesing: 1 });
	});

	test('a call without a fault is recorded as accepted, without a fault key', async () => {
		expect((await veesingSend()).body).toEqual(veesingOk(VEESING_BALANCE - 1));
		expect(sim().requests[0]).toMatchObject({ accepted: true, response: { status: 200 } });
		expect(sim().requests[0]).not.toHaveProperty('fault');
		expect(sim().stats()).toEqual({ maxInFlight: { veesing: 1 }, throttled: {}, faulted: {} });
	});

	test('truncated: HTTP 200, the normal Content-Type, the first half of the normal body, which does not parse', async () => {
		sim().configure({ faults: { zhuanxinyun: { sendSms: { mode: 'truncated' } } } });
		const res = await zhuanxinyunSend('json', '13800138000,13900139000');
		const record = sim().requests[0];
		const whole: string = record.vendorResponse.body;
		expect(JSON.parse(whole)).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json;charset=UTF-8');
		expect(res.body).toBe(whole.slice(0, Math.floor(whole.length / 2)));
		expect(res.body.length).toBeGreaterThan(0);
		expect(() => JSON.parse(res.body)).toThrow();
		expect(record).toMatchObject({ fault: 'truncated', accepted: true, response: { status: 200, body: res.body } });
		expect(record.detail.messages.map((m: { phone: string }) => m.phone)).toEqual(['13800138000', '13900139000']);
		expect(await zhuanxinyunBalance()).toBe(100000 - 2);
	});

	test('drip: headers at once, the whole normal body in many pieces over about durationMs', async () => {
		sim().configure({ faults: { veesing: { send: { mode: 'drip', durationMs: 400 } } } });
		const res = await veesingSend();
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json;charset=UTF-8');
		expect(res.body).toEqual(veesingOk(VEESING_BALANCE - 1));
		expect(res.headersAfterMs).toBeLessThan(200);
		expect(res.tookMs).toBeGreaterThanOrEqual(380);
		expect(res.tookMs).toBeLessThan(2000);
		expect(res.chunks).toBeGreaterThan(5);
		expect(sim().requests[0].response.body).toBe(res.body);
	});

	test('reset: the vendor reads the whole request and takes it, then resets the connection without an answer', async () => {
		sim().configure({ faults: { zhuanxinyun: { '*': { mode: 'reset' } } } });
		expect(await failure(zhuanxinyunSend())).toMatchObject({ code: 'ECONNRESET' });
		const record = sim().requests[0];
		expect(record).toMatchObject({ fault: 'reset', accepted: true, response: null, params: { phones: '13800138000' } });
		expect(JSON.parse(record.vendorResponse.body)).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
		sim().configure({ faults: { zhuanxinyun: null } });
		expect(await zhuanxinyunBalance()).toBe(100000 - 1);
	});

	test('hang: recorded on arrival, no answer, the client gives up; the socket is then forgotten', async () => {
		sim().configure({ faults: { veesing: { send: { mode: 'hang' } } }, throttle: { veesing: { maxInFlight: 1 } } });
		const sent = veesingSend({ timeoutMs: 300 });
		const start = Date.now();
		while (sim().requests.length === 0 && Date.now() - start < 250) await sleep(5);
		expect(sim().requests[0]).toMatchObject({ fault: 'hang', accepted: true, response: null, vendorResponse: { status: 200 } });
		expect(await failure(sent)).toMatchObject({ code: 'CLIENT_TIMEOUT' });
		// The hanging call was in flight until the client closed it: the throttle lets the next one in.
		sim().configure({ faults: { veesing: null } });
		expect((await eventuallyAnswered(() => veesingSend())).body).toEqual(veesingOk(VEESING_BALANCE - 2));
	});

	test('reset() ends a hanging call at once, and clears the fault', async () => {
		sim().configure({ faults: { veesing: { '*': { mode: 'hang' } } } });
		const sent = veesingSend({ timeoutMs: 5000 });
		while (sim().requests.length === 0) await sleep(5);
		const start = Date.now();
		sim().reset();
		expect(await failure(sent)).toMatchObject({ code: 'ECONNRESET' }); // "socket hang up"
		expect(Date.now() - start).toBeLessThan(1000);
		expect((await veesingSend()).body).toEqual(veesingOk(VEESING_BALANCE - 1));
	});

	test('close() ends a hanging call, so a test process exits', async () => {
		const own = await startSimulator({ port: 0 });
		own.configure({ faults: { polyv: { send: { mode: 'hang' } } } });
		const sent = new Promise<string | undefined>((resolve) => {
			const req = request(`${own.url}/live/v4/user/sms/send`, { method: 'POST', agent: false });
			req.on('response', () => resolve('answered'));
			req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code));
			req.end('{}');
		});
		while (own.requests.length === 0) await sleep(5);
		const start = Date.now();
		await own.close();
		expect(Date.now() - start).toBeLessThan(1000);
		expect(await sent).toBe('ECONNRESET');
	});

	test('close() leaves no timer behind: a process with calls hanging, dripping, delayed and held exits at once', async () => {
		// jest would wait for (or warn about) a timer left behind; a child process shows it plainly.
		const script = `
			const http = require('node:http');
			const { startSimulator } = require(${JSON.stringify(join(__dirname, '..', 'simulator'))});
			(async () => {
				const sim = await startSimulator({ pushDelayMs: 10000 });
				sim.configure({
					faults: { veesing: { send: { mode: 'hang' } }, chonry: { '*': { mode: 'drip', durationMs: 10000 } }, polyv: { send: { mode: 'delay', delayMs: 10000 } } },
					responseDelayMs: { sms1oc: 10000 },
					autoPush: { veesing: { delivery: 'http://127.0.0.1:9/never' } },
				});
				const hit = (path, method, body = '') => new Promise((done) => {
					const req = http.request(sim.url + path, { method, agent: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
					req.on('error', () => done('error'));
					req.on('response', (res) => { res.resume(); res.on('close', () => done(res.complete ? 'answered' : 'cut')); });
					req.end(body);
				});
				const calls = [
					hit('/smsApi/verifyCode', 'POST', ${JSON.stringify(new URLSearchParams({ ...veesing, phone: '13800138000', templateId: '540', variables: '1234' }).toString())}),
					hit('/intl/api/v2/send', 'POST'),
					hit('/live/v4/user/sms/send', 'POST'),
					hit('/?module=sms&file=send&action=send', 'GET'),
				];
				while (sim.requests.length < 3) await new Promise((r) => setTimeout(r, 5));
				await sim.close();
				const outcomes = await Promise.all(calls);
				await new Promise((r) => setTimeout(r, 50));
				console.log(JSON.stringify({ calls: outcomes, requests: sim.requests.map((r) => r.vendor), vendorTookHung: sim.requests[0].accepted }));
			})();
		`;
		const start = Date.now();
		const stdout = await new Promise<string>((resolve, reject) =>
			execFile(process.execPath, ['-e', script], { timeout: 8000 }, (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out))),
		);
		expect(Date.now() - start).toBeLessThan(5000);
		// The held 1oc call was never handled: a closed simulator takes nothing more.
		expect(JSON.parse(stdout)).toEqual({ calls: ['error', 'cut', 'error', 'error'], requests: ['veesing', 'chonry', 'polyv'], vendorTookHung: true });
	});

	test('delay: the vendor takes the call on arrival and answers after delayMs', async () => {
		sim().configure({ faults: { veesing: { send: { mode: 'delay', delayMs: 300 } } } });
		const sent = veesingSend();
		await sleep(100);
		expect(sim().requests).toHaveLength(1);
		expect(await veesingBalance()).toBe(VEESING_BALANCE - 1);
		const res = await sent;
		expect(res.tookMs).toBeGreaterThanOrEqual(290);
		expect(res.body).toEqual(veesingOk(VEESING_BALANCE - 1));
	});

	test('html5xx: a gateway error page that echoes the method, the URL with its query, the headers and the raw body', async () => {
		sim().configure({ faults: { veesing: { send: { mode: 'html5xx' } } } });
		const sent = veesingSend({ query: '?trace=on&x=%2B1' });
		const res = await sent;
		expect(res.status).toBe(502);
		expect(res.contentType).toBe('text/html; charset=utf-8');
		expect(res.body).toContain('<title>502 Bad Gateway</title>');
		const record = sim().requests[0];
		expect(res.body).toContain(`POST /smsApi/verifyCode?trace=on&x=%2B1 HTTP/1.1`);
		expect(res.body).toContain(`\n\n${record.body}</pre>`);
		expect(res.body).toContain(`appKey=${veesing.appKey}`);
		expect(record).toMatchObject({ fault: 'html5xx', accepted: false, response: { status: 502, body: res.body } });
		expect(record).not.toHaveProperty('detail');
	});

	test('html5xx echoes a secret sent in a header (1oc), with the status asked for', async () => {
		sim().configure({ faults: { sms1oc: { send: { mode: 'html5xx', status: 504 } } } });
		const query = '/?module=sms&file=send&action=send&mobphone=13800138000&smstemplate=SMS_0001&code=123456';
		const res = await call(query, { method: 'GET', headers: { Authorization: ACCOUNTS.sms1oc.appSecret } });
		expect(res.status).toBe(504);
		expect(res.body).toContain('504 Gateway Timeout');
		expect(res.body).toContain(`GET ${query} HTTP/1.1`);
		expect(res.body).toContain(`authorization: ${ACCOUNTS.sms1oc.appSecret}`);
	});

	test('html200: HTTP 200 with an HTML login page instead of the vendor', async () => {
		sim().configure({ faults: { chonry: { '*': { mode: 'html200' } } } });
		const res = await call('/query/account', { body: 'accesskey=x&secret=y' });
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('text/html; charset=utf-8');
		expect(res.body).toMatch(/^<!DOCTYPE html>/);
		expect(res.body).toContain('type="password"');
		expect(res.body).not.toContain('secret=y');
		expect(sim().requests[0]).toMatchObject({ vendor: 'chonry', operation: 'queryAccount', fault: 'html200', accepted: false });
	});
});

describe('faults: matching, times, clearing', () => {
	test('times: the first N calls get the fault, call N+1 the normal answer', async () => {
		sim().configure({ faults: { veesing: { send: { mode: 'html200', times: 2 } } } });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await veesingSend()).contentType);
		expect(statuses).toEqual(['text/html; charset=utf-8', 'text/html; charset=utf-8', 'application/json;charset=UTF-8']);
		expect(sim().requests.map((r) => r.fault)).toEqual(['html200', 'html200', undefined]);
		expect(sim().stats().faulted).toEqual({ veesing: 2 });
		expect(await veesingBalance()).toBe(VEESING_BALANCE - 1);
	});

	test("an operation's own fault wins over '*'; null clears one entry, a vendor's null all of them", async () => {
		sim().configure({ faults: { veesing: { '*': { mode: 'html200' }, send: { mode: 'html5xx', status: 503 } } } });
		expect((await veesingSend()).status).toBe(503);
		await expect(veesingBalance()).rejects.toThrow(SyntaxError); // the login page
		sim().configure({ faults: { veesing: { send: null } } });
		expect((await veesingSend()).contentType).toBe('text/html; charset=utf-8');
		sim().configure({ faults: { veesing: null } });
		expect(sim().configure().faults).toEqual({});
		expect((await veesingSend()).status).toBe(200);
		// Other vendors were never touched.
		expect((await zhuanxinyunSend()).body).toBe('{"errorCode":"000000","errorMsg":"提交成功"}');
	});

	test('configuring a fault again starts its count again; reset() clears every fault', async () => {
		sim().configure({ faults: { veesing: { send: { mode: 'html200', times: 1 } } } });
		expect((await veesingSend()).contentType).toMatch(/html/);
		expect((await veesingSend()).contentType).toMatch(/json/);
		sim().configure({ faults: { veesing: { send: { mode: 'html200', times: 1 } } } });
		expect((await veesingSend()).contentType).toMatch(/html/);
		sim().configure({ faults: { veesing: { send: { mode: 'html200' } } } });
		sim().reset();
		expect(sim().configure().faults).toEqual({});
		expect((await veesingSend()).contentType).toMatch(/json/);
		expect(sim().stats().faulted).toEqual({});
	});

	test('the control API takes the same JSON, answers the faults with their defaults, and reports stats', async () => {
		const res = await fetch(`${sim().url}/_sim/config`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ faults: { veesing: { send: { mode: 'drip', durationMs: 20 }, '*': { mode: 'html5xx', times: 1 } } } }),
		});
		expect(res.status).toBe(200);
		const { config } = (await res.json()) as { config: { faults: unknown } };
		expect(config.faults).toEqual({ veesing: { send: { mode: 'drip', durationMs: 20 }, '*': { mode: 'html5xx', times: 1, status: 502 } } });
		expect((await veesingSend()).status).toBe(200);
		await expect(veesingBalance()).rejects.toThrow(SyntaxError);
		const stats = await (await fetch(`${sim().url}/_sim/stats`)).json();
		expect(stats).toEqual({ maxInFlight: { veesing: 1 }, throttled: {}, faulted: { veesing: 2 } });
		expect(stats).toEqual(sim().stats());
	});

	test.each([
		['an unknown mode', { veesing: { send: { mode: 'explode' } } }, 'faults.veesing.send.mode: "explode" is not one of hang, reset, truncated, drip, html5xx, html200, delay'],
		['an unknown operation', { veesing: { sned: { mode: 'hang' } } }, `faults.veesing.sned: veesing has no operation "sned"; it has send, getBalance (or '*' for all)`],
		['an unknown vendor', { twilio: { '*': { mode: 'hang' } } }, 'unknown vendor "twilio"'],
		['an option of another mode', { veesing: { send: { mode: 'hang', delayMs: 10 } } }, 'faults.veesing.send.delayMs: mode hang takes times'],
		['times 0', { veesing: { send: { mode: 'hang', times: 0 } } }, 'faults.veesing.send.times: expected a whole number from 1, got 0'],
		['a status that is not an error', { veesing: { send: { mode: 'html5xx', status: 200 } } }, 'faults.veesing.send.status: expected a whole number from 400 to 599, got 200'],
		['a spec that is not an object', { veesing: { send: 'hang' } }, 'faults.veesing.send: expected an object, got "hang"'],
	])('%s is refused with a clear error, and nothing changes', async (_name, faults, message) => {
		sim().configure({ faults: { veesing: { getBalance: { mode: 'html200' } } } });
		expect(() => sim().configure({ faults })).toThrow(message);
		const res = await fetch(`${sim().url}/_sim/config`, { method: 'POST', body: JSON.stringify({ faults }) });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: string }).error).toContain(message);
		expect(sim().configure().faults).toEqual({ veesing: { getBalance: { mode: 'html200' } } });
		expect((await veesingSend()).status).toBe(200);
	});
});

/** Calls until one is not refused by the throttle: the server sees a client's close a moment after it happens. */
async function eventuallyAnswered(attempt: () => Promise<RawAnswer>): Promise<RawAnswer> {
	for (let i = 0; ; i++) {
		const res = await attempt();
		if (res.status !== 429 || i === 20) return res;
		await sleep(10);
	}
}

describe('throttle', () => {
	test('Veesing allows maxInFlight calls at once and refuses the others at once with HTTP 429, without taking them', async () => {
		sim().configure({ throttle: { veesing: { maxInFlight: 2 } }, responseDelayMs: 300 });
		const answers = await Promise.all([0, 1, 2, 3, 4].map(() => veesingSend()));
		const refused = answers.filter((a) => a.status === 429);
		expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
		expect(refused).toHaveLength(3);
		for (const a of refused) {
			expect(a.contentType).toBe('text/plain;charset=UTF-8');
			expect(a.body).toBe('Too Many Requests');
			expect(a.tookMs).toBeLessThan(250); // at once, not after the response delay
		}
		expect(sim().requests.filter((r) => r.throttled)).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ accepted: false, response: { status: 429, body: 'Too Many Requests' } })));
		expect(sim().requests.filter((r) => r.accepted)).toHaveLength(2);
		expect(sim().stats()).toEqual({ maxInFlight: { veesing: 2 }, throttled: { veesing: 3 }, faulted: {} });
		sim().configure({ responseDelayMs: 0 });
		// Once they are answered, calls get through again.
		expect((await veesingSend()).status).toBe(200);
		expect(await veesingBalance()).toBe(VEESING_BALANCE - 3);
	});

	test.each([
		['json', 'application/json;charset=UTF-8', '{"errorCode":"100014","errorMsg":"访问频率过高,请稍后再试"}'],
		[
			'xml',
			'application/xml;charset=UTF-8',
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xml><errorCode>100014</errorCode><errorMsg>访问频率过高,请稍后再试</errorMsg></xml>',
		],
	] as const)('Zhuanxinyun (%s) refuses with HTTP 200 and its documented 100014; a hanging call counts until its client leaves', async (format, contentType, body) => {
		sim().configure({ throttle: { zhuanxinyun: { maxInFlight: 1 } }, faults: { zhuanxinyun: { sendSms: { mode: 'hang', times: 1 } } } });
		const hanging = zhuanxinyunSend(format, '13800138001');
		while (sim().requests.length === 0) await sleep(5);
		const refused = await zhuanxinyunSend(format, '13800138002');
		expect(refused).toMatchObject({ status: 200, contentType, body });
		expect(sim().requests[1]).toMatchObject({ throttled: true, accepted: false, params: { phones: '13800138002' }, response: { status: 200, body } });
		hanging.abort();
		await failure(hanging);
		const later = await eventuallyAnswered(() => zhuanxinyunSend(format, '13800138003'));
		expect(later.body).toContain('000000');
		// The hanging call and the last were taken, the refused ones not.
		expect(sim().requests.filter((r) => r.accepted).map((r) => r.params.phones)).toEqual(['13800138001', '13800138003']);
		expect(sim().stats().throttled.zhuanxinyun).toBeGreaterThanOrEqual(1);
	});

	test.each([
		['chonry', '/intl/api/v2/send', 'POST'],
		['polyv', '/live/v4/user/sms/send', 'POST'],
		['sms1oc', '/?module=sms&file=send&action=send', 'GET'],
		['veesing', '/smsApi/verifyCode/getBalance', 'POST'],
	])('%s documents no throttle answer: HTTP 429 with a short text', async (vendor, path, method) => {
		sim().configure({ throttle: { [vendor]: { maxInFlight: 0 } } });
		const res = await call(path, { method });
		expect(res).toMatchObject({ status: 429, contentType: 'text/plain;charset=UTF-8', body: 'Too Many Requests' });
		expect(sim().requests[0]).toMatchObject({ vendor, throttled: true, accepted: false });
		expect(sim().stats().throttled).toEqual({ [vendor]: 1 });
	});

	test('null lifts a throttle, reset() lifts all; bad limits are refused', async () => {
		sim().configure({ throttle: { veesing: { maxInFlight: 0 }, chonry: { maxInFlight: 0 } } });
		expect((await veesingSend()).status).toBe(429);
		sim().configure({ throttle: { veesing: null } });
		expect(sim().configure().throttle).toEqual({ chonry: { maxInFlight: 0 } });
		expect((await veesingSend()).status).toBe(200);
		sim().reset();
		expect(sim().configure().throttle).toEqual({});
		expect((await call('/query/account')).status).toBe(200);
		expect(() => sim().configure({ throttle: { veesing: { maxInFlight: -1 } } })).toThrow('throttle.veesing.maxInFlight: expected a whole number from 0, got -1');
		expect(() => sim().configure({ throttle: { veesing: { max: 1 } } })).toThrow('throttle.veesing: the only option is maxInFlight, not max');
		expect(sim().configure().throttle).toEqual({});
	});
});

describe('responseDelayMs per vendor', () => {
	test('{ veesing: ms } holds Veesing calls only; a number holds every vendor again', async () => {
		sim().configure({ responseDelayMs: { veesing: 200 } });
		expect((await veesingSend()).tookMs).toBeGreaterThanOrEqual(190);
		expect((await call('/query/account')).tookMs).toBeLessThan(150);
		sim().configure({ responseDelayMs: { chonry: 200 } });
		expect(sim().configure().responseDelayMs).toEqual({ veesing: 200, chonry: 200 });
		sim().configure({ responseDelayMs: 0 });
		expect((await veesingSend()).tookMs).toBeLessThan(150);
	});
});
