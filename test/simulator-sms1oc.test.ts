// The 1oc part of the vendor simulator, over real HTTP as the nodes and end-to-end tests use it.
import { readAnswer, useReceivers, waitFor } from './helpers/http';
import { ACCOUNTS, useSimulator } from './helpers/simulator';

const SECRET: string = ACCOUNTS.sms1oc.appSecret;
// Short push and retry delays: the report tests wait for pushes and their retries.
const sim = useSimulator({ pushDelayMs: 20, configure: { retryDelayMs: 20 } });
/** A report receiver: answers `ok`, with the status statusFor picks. */
const startReceiver = useReceivers({ body: 'ok' });

async function send(params: Record<string, string>, init: { authorization?: string | null; method?: string } = {}) {
	const query = new URLSearchParams({ module: 'sms', file: 'send', action: 'send', ...params });
	const headers: Record<string, string> = {};
	const authorization = init.authorization === undefined ? SECRET : init.authorization;
	if (authorization !== null) headers.Authorization = authorization;
	return readAnswer(await fetch(`${sim().url}/?${query}`, { method: init.method ?? 'GET', headers }));
}

const ok = { mobphone: '13800138000', smstemplate: 'SMS_0001', code: '123456' };

describe('sms1oc: send', () => {
	test('accepts a GET with the raw secret and answers the document shape with a fresh mid', async () => {
		const res = await send(ok);
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json; charset=utf-8');
		expect(res.json).toEqual({ code: 200, msg: 'ok', mid: expect.stringMatching(/^[0-9A-F]{16}$/) });
		expect(Object.keys(res.json)).toEqual(['code', 'msg', 'mid']);
		expect((await send(ok)).json.mid).not.toBe(res.json.mid);
		expect(sim().requests[0]).toMatchObject({
			vendor: 'sms1oc',
			operation: 'send',
			method: 'GET',
			path: '/',
			query: { module: 'sms', file: 'send', action: 'send', ...ok },
			headers: { authorization: SECRET },
			detail: { message: { phone: '13800138000', template: 'SMS_0001', code: '123456', content: '【1oc测试】您的验证码是123456，5分钟内有效。', mid: res.json.mid, stat: 'DELIVRD' } },
		});
	});

	test('decodes UTF-8 percent-encoding, with a space as %20 or +', async () => {
		const viaPercent = await fetch(`${sim().url}/?module=sms&file=send&action=send&mobphone=13800138000&code=%E5%BC%A0%20%E4%B8%89&smstemplate=%E4%BC%9A%E5%91%98%E9%80%9A%E7%9F%A5`, {
			headers: { Authorization: SECRET },
		});
		expect(((await viaPercent.json()) as { code: number }).code).toBe(200);
		const viaPlus = await send({ ...ok, smstemplate: '会员通知', code: '张 三' });
		expect(viaPlus.json.code).toBe(200);
		expect(sim().requests.map((r: any) => r.detail.message.content)).toEqual(['【1oc测试】尊敬的张 三，您的会员已开通。', '【1oc测试】尊敬的张 三，您的会员已开通。']);
	});

	test.each([
		['no Authorization header', null, 'no Authorization header'],
		['a wrong secret', 'nope', 'wrong secret'],
		['the secret with a Bearer scheme', `Bearer ${SECRET}`, 'the Authorization header has a scheme; 1oc wants the raw secret'],
	])('refuses %s with 400 校验失败 in an HTTP 200', async (_name, authorization, reason) => {
		const res = await send(ok, { authorization });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ code: 400, msg: '校验失败', mid: '' });
		expect(res.text).toBe('{"code":400,"msg":"校验失败","mid":""}');
		expect(sim().requests[0].detail).toEqual({ reason });
	});

	test.each([
		['no mobphone', { mobphone: '' }, 'mobphone is missing'],
		['two numbers in one call', { mobphone: '13800138000,13900139000' }, 'is not one 11-digit mainland mobile number'],
		['a 10-digit number', { mobphone: '1380013800' }, 'is not one 11-digit mainland mobile number'],
		['an 86 prefix', { mobphone: '8613800138000' }, 'is not one 11-digit mainland mobile number'],
		['no template', { smstemplate: '' }, 'smstemplate is missing'],
		['an unknown template', { smstemplate: 'SMS_9999' }, 'no template "SMS_9999"'],
		['no code for a template with a variable', { code: '' }, 'template "SMS_0001" needs code'],
	])('refuses %s with 400 校验失败', async (_name, override, reason) => {
		const res = await send({ ...ok, ...override });
		expect(res.json).toEqual({ code: 400, msg: '校验失败', mid: '' });
		expect(sim().requests[0].detail.reason).toContain(reason);
	});

	test('only GET: a POST gets 405', async () => {
		const res = await send(ok, { method: 'POST' });
		expect(res.status).toBe(405);
		expect(sim().requests[0].detail).toEqual({ reason: 'only GET is documented' });
	});

	test('an empty balance refuses with 余额不足, and each accepted send costs one', async () => {
		sim().configure({ sms1oc: { balance: 2 } });
		expect((await send(ok)).json.code).toBe(200);
		expect((await send(ok)).json.code).toBe(200);
		expect((await send(ok)).json).toEqual({ code: 400, msg: '余额不足', mid: '' });
		expect(() => sim().configure({ sms1oc: { credit: 1 } })).toThrow('sms1oc: unknown config key "credit"');
	});

	test('the root without the send parameters is the site, other modules are not served', async () => {
		const home = await fetch(`${sim().url}/`, { headers: { Authorization: SECRET } });
		expect(home.status).toBe(200);
		expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await home.text()).toContain('<html>');
		expect(sim().requests[0]).toMatchObject({ vendor: 'sms1oc', operation: 'home', method: 'GET', path: '/' });
		const other = await fetch(`${sim().url}/?module=sms&file=balance&action=get`);
		expect(other.status).toBe(404);
		expect(sim().requests).toHaveLength(1);
	});
});

describe('sms1oc: delivery reports', () => {
	test('push() posts exactly the document body, one report per push', async () => {
		const receiver = await startReceiver();
		const answer = await sim().push({ vendor: 'sms1oc', url: receiver.url, kind: 'delivery', records: [{ mid: 'M1' }, { mid: 'M2', stat: 'MA:0001' }] });
		expect(answer).toEqual({ status: 200, body: 'ok' });
		expect(receiver.received).toEqual([
			{ contentType: 'application/json', body: '{"mid":"M1","stat":"DELIVRD"}' },
			{ contentType: 'application/json', body: '{"mid":"M2","stat":"MA:0001"}' },
		]);
	});

	test('replies and records without mid are refused by the control API', async () => {
		const url = 'http://127.0.0.1:9/x';
		const reply = await fetch(`${sim().url}/_sim/push`, { method: 'POST', body: JSON.stringify({ vendor: 'sms1oc', url, kind: 'reply', records: [{ mid: 'M1' }] }) });
		expect(reply.status).toBe(400);
		expect(((await reply.json()) as { error: string }).error).toBe('sms1oc pushes only "delivery" reports, not "reply"');
		const noMid = await fetch(`${sim().url}/_sim/push`, { method: 'POST', body: JSON.stringify({ vendor: 'sms1oc', url, kind: 'delivery', records: [{ stat: 'DELIVRD' }] }) });
		expect(((await noMid.json()) as { error: string }).error).toBe('a sms1oc delivery record needs mid');
	});

	test('after an accepted send, the report is pushed to the configured address, with the special numbers', async () => {
		const receiver = await startReceiver();
		sim().configure({ autoPush: { sms1oc: { delivery: receiver.url } } });
		const mids: Record<string, string> = {};
		for (const phone of ['13800138000', '13800000000', '13800000001', '13800000254']) mids[phone] = (await send({ ...ok, mobphone: phone })).json.mid;
		await send({ ...ok, mobphone: '13900139000' }, { authorization: 'nope' }); // refused: no report
		await waitFor(() => receiver.received.length >= 4 || undefined, 'four reports');
		await new Promise((r) => setTimeout(r, 100));
		const reports = receiver.received.map((r) => JSON.parse(r.body));
		expect(reports).toHaveLength(4);
		expect(Object.fromEntries(reports.map((r) => [r.mid, r.stat]))).toEqual({
			[mids['13800138000']]: 'DELIVRD',
			[mids['13800000000']]: 'MA:0001',
			[mids['13800000001']]: 'EXPIRED',
			[mids['13800000254']]: 'MO:0254',
		});
	});

	test('a report the receiver does not take with HTTP 200 is tried again', async () => {
		let calls = 0;
		const receiver = await startReceiver(() => (++calls < 3 ? 500 : 200));
		sim().configure({ autoPush: { sms1oc: { delivery: receiver.url } } });
		await send(ok);
		await waitFor(() => receiver.received.length >= 3 || undefined, 'three attempts');
		// An attempt is recorded once its answer is back, which may be after the receiver counted it.
		await waitFor(() => sim().pushes.filter((p: any) => p.vendor === 'sms1oc').length >= 3 || undefined, 'three attempts recorded');
		const attempts = sim().pushes.filter((p: any) => p.vendor === 'sms1oc').map((p: any) => [p.attempt, p.status]);
		expect(attempts).toEqual([
			[1, 500],
			[2, 500],
			[3, 200],
		]);
	});

	test('the control API lists only 1oc requests when asked', async () => {
		await send(ok);
		const res = await fetch(`${sim().url}/_sim/requests?vendor=sms1oc`);
		const list = (await res.json()) as Array<Record<string, unknown>>;
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({ vendor: 'sms1oc', operation: 'send' });
	});
});
