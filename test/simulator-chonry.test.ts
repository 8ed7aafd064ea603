// The Chonry part of the vendor simulator, exercised over real HTTP as the nodes and end-to-end tests use it.
import { readAnswer, useReceivers, waitFor } from './helpers/http';
import { ACCOUNTS, useSimulator } from './helpers/simulator';

const { accessKey, secret, blockedAccessKey } = ACCOUNTS.chonry as Record<string, string>;
// Short push and retry delays: the push tests wait for pushes and their retries.
const sim = useSimulator({ pushDelayMs: 20, configure: { retryDelayMs: 20 } });
/** A webhook receiver like the trigger: answers the vendor's JSON, with the status statusFor picks. */
const startReceiver = useReceivers({ body: '{"code":"0","msg":"SUCCESS"}', contentType: 'application/json' });

/** Java's URLEncoder.encode(s, "UTF-8"), as the vendor sample applies it to content and data. */
const javaEncode = (s: string) => encodeURIComponent(s).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
const intl = (start: number, count: number) => Array.from({ length: count }, (_, i) => `86139${String(start + i).padStart(8, '0')}`);
const chinaTime = (offsetMs: number) => new Date(Date.now() + offsetMs + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');

async function call(path: string, params: Record<string, string>, init: { method?: string } = {}) {
	const res = await fetch(`${sim().url}${path}`, {
		method: init.method ?? 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
		body: new URLSearchParams({ accesskey: accessKey, secret, ...params }).toString(),
	});
	return readAnswer(res);
}
const send = (params: Record<string, string>) => call('/intl/api/v2/send', { templateId: '200', ...params });
const account = () => call('/query/account', {});

describe('chonry: accounts', () => {
	test.each([
		['wrong secret', { secret: 'nope' }, '9006', '用户accessKey不正确'],
		['unknown accesskey', { accesskey: 'who' }, '9006', '用户accessKey不正确'],
		['blocked (IP whitelist)', { accesskey: blockedAccessKey }, '9007', 'IP白名单限制'],
		['missing secret', { secret: '' }, '9002', '参数未赋值'],
	])('%s', async (_name, creds, code, msg) => {
		const res = await call('/query/account', creds);
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json;charset=UTF-8');
		expect(res.json).toEqual({ code, msg });
	});

	test('the account call lists every product; the international SMS figure is money, written like "#.00"', async () => {
		expect((await account()).json).toEqual({
			code: '0',
			msg: 'SUCCESS',
			data: { 营销短信: 0, 语音验证码: 0, 国际短信: '5000.00', 语音通知: '98.00', 接口短信: 0, 私密通话: '.00', 国际语音验证码: '99.26' },
		});
		sim().configure({ chonry: { balance: 0.05 } });
		expect((await account()).json.data['国际短信']).toBe('.05');
		expect(sim().requests[1]).toMatchObject({ vendor: 'chonry', operation: 'queryAccount', path: '/query/account' });
	});

	test('GET with a query string works ("POST 或 GET"); other methods get 405', async () => {
		const query = new URLSearchParams({ accesskey: accessKey, secret });
		expect(await (await fetch(`${sim().url}/query/account?${query}`)).json()).toMatchObject({ code: '0' });
		expect((await call('/query/account', {}, { method: 'PUT' })).status).toBe(405);
	});
});

describe('chonry: send', () => {
	test('bulk: accepted, charged 0.05 CNY a number, with a batch id and a report per number', async () => {
		const res = await send({ mobile: '8613800138000,447911123456', content: javaEncode('1234##5') });
		expect(res.json).toEqual({ code: '0', msg: 'SUCCESS', batchId: expect.stringMatching(/^[A-Za-z0-9]{7}$/) });
		expect((await account()).json.data['国际短信']).toBe('4999.90');
		expect(sim().requests[0].detail).toEqual({
			mode: 'bulk',
			batchId: res.json.batchId,
			messages: [
				{
					phone: '8613800138000',
					content: '1234##5',
					text: 'Your verification code is 1234, valid for 5 minutes.',
					smUuid: expect.stringMatching(/^\d+_1_0_8613800138000_1_[A-Za-z0-9]{7}_1$/),
					deliverResult: 'DELIVRD',
				},
				expect.objectContaining({ phone: '447911123456', deliverResult: 'DELIVRD' }),
			],
		});
	});

	test('content and data are decoded once more: pre-encoded values survive, plain ones with + or % do not', async () => {
		const value = 'A+B 100%';
		await send({ mobile: '8613800138000', content: javaEncode(`${value}##5`) });
		expect(sim().requests[0].detail.messages[0].content).toBe('A+B 100%##5');
		// Sent without the sample's own encoding, `+` turns into a space at the second decoding…
		await send({ mobile: '8613800138000', content: 'A+B##5' });
		expect(sim().requests[1].detail.messages[0].content).toBe('A B##5');
		// …and a lone `%` breaks it.
		expect((await send({ mobile: '8613800138000', content: `${value}##5` })).json).toEqual({ code: '9009', msg: '短信内容参数不正确' });
	});

	test('personalized: data is a URL-encoded JSON object of number -> variables; mobile and content are not needed', async () => {
		const data = { '8613700000000': '先生##9:40##快递公司##1234567', '8613700000001': '女士##10:10##物流公司##000000' };
		const res = await send({ templateId: '100', sign: '123', data: javaEncode(JSON.stringify(data)) });
		expect(res.json.code).toBe('0');
		expect(sim().requests[0].detail.mode).toBe('personalized');
		expect(sim().requests[0].detail.messages.map((m: any) => m.text)).toEqual([
			'先生您好,您的订单于9:40已通过快递公司发货,运单号1234567',
			'女士您好,您的订单于10:10已通过物流公司发货,运单号000000',
		]);
		expect((await send({ data: javaEncode('["8613700000000"]') })).json.code).toBe('9009');
		expect((await send({ data: javaEncode('{"8613700000000":') })).json.code).toBe('9009');
	});

	test('limits: 50,000 numbers in mobile, 10,000 in data (9014)', async () => {
		expect((await send({ mobile: intl(0, 50000).join(','), content: '1##2' })).json.code).toBe('0');
		expect((await send({ mobile: intl(0, 50001).join(','), content: '1##2' })).json).toEqual({ code: '9014', msg: '超出了最大手机号数量' });
		const map = (n: number) => javaEncode(JSON.stringify(Object.fromEntries(intl(0, n).map((p) => [p, '1##2']))));
		expect((await send({ data: map(10000) })).json.code).toBe('0');
		expect((await send({ data: map(10001) })).json.code).toBe('9014');
	});

	test.each([
		['no templateId', { templateId: '' }, '9002'],
		['unknown template', { templateId: '999' }, '9017'],
		['unknown signature', { sign: '999' }, '9016'],
		['no number', { mobile: '' }, '9022'],
		['a number with +', { mobile: '+8613800138000' }, '9003'],
		['too few variables', { content: '1234' }, '10006'],
		['variables separated by $$ are accepted', { content: javaEncode('1234$$5') }, '0'],
		['a signature given as text, in 【】', { sign: '【SimShop】' }, '0'],
		['schedule time not yyyy-MM-dd HH:mm:ss', { scheduleSendTime: '2030-01-01T08:00:00' }, '9012'],
		['schedule time in the past', { scheduleSendTime: '2020-01-01 08:00:00' }, '10003'],
	])('%s: %j -> %s', async (_name, override, code) => {
		const res = await send({ mobile: '8613800138000', content: '1234##5', ...override });
		expect(res.json.code).toBe(code);
		if (code !== '0') expect(sim().requests[0].detail.reason).toEqual(expect.any(String));
	});

	test('a short balance -> 9010; the doc sample\'s empty batchId on request', async () => {
		sim().configure({ chonry: { balance: 0.05 } });
		expect((await send({ mobile: intl(0, 2).join(','), content: '1##2' })).json).toEqual({ code: '9010', msg: '用户短信余额不足' });
		sim().configure({ chonry: { emptyBatchId: true } });
		expect((await send({ mobile: intl(0, 1).join(','), content: '1##2' })).json).toEqual({ code: '0', msg: 'SUCCESS', batchId: '' });
	});
});

describe('chonry: pushes', () => {
	test('auto push: one form per report (retried after a 500), a reply; a scheduled send pushes nothing', async () => {
		let refused = false;
		const receiver = await startReceiver((body) => (!refused && body.startsWith('smUuid') ? ((refused = true), 500) : 200));
		sim().configure({ autoPush: { chonry: { delivery: receiver.url, reply: receiver.url } }, autoReply: true });
		const sent = await send({ mobile: '8613800138000,8613900000000', content: '1##2' });
		await waitFor(() => (sim().pushes.length >= 4 ? true : undefined), 'three pushes and a retry');
		const reports = receiver.received.filter((r) => r.body.startsWith('smUuid'));
		expect(reports).toHaveLength(3); // the first refused with 500, then retried
		expect(reports[1].body).toBe(reports[0].body);
		expect(reports[0].contentType).toBe('application/x-www-form-urlencoded;charset=utf-8');
		const fields = reports.slice(1).map((r) => Object.fromEntries(new URLSearchParams(r.body)));
		const uuids = sim().requests[0].detail.messages.map((m: any) => m.smUuid);
		expect(fields).toEqual([
			{ smUuid: uuids[0], mobile: '8613800138000', batchId: sent.json.batchId, deliverResult: 'DELIVRD', deliverTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) },
			{ smUuid: uuids[1], mobile: '8613900000000', batchId: sent.json.batchId, deliverResult: 'REJECT', deliverTime: expect.any(String) },
		]);
		expect(Object.keys(fields[0])).toEqual(['smUuid', 'mobile', 'batchId', 'deliverResult', 'deliverTime']);
		const reply = receiver.received.find((r) => r.body.startsWith('mobile'));
		expect(Object.fromEntries(new URLSearchParams(reply!.body))).toEqual({
			mobile: '8613800138000',
			content: '收到, thanks',
			receiveTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
			extNo: '',
		});

		const before = sim().pushes.length;
		expect((await send({ mobile: '8613800138000', content: '1##2', scheduleSendTime: chinaTime(3600e3) })).json.code).toBe('0');
		await new Promise((r) => setTimeout(r, 150));
		expect(sim().pushes.length).toBe(before);
	});

	test('push() and the control API send given records, form-encoded', async () => {
		const receiver = await startReceiver();
		const res = await fetch(`${sim().url}/_sim/push`, {
			method: 'POST',
			body: JSON.stringify({ vendor: 'chonry', url: receiver.url, kind: 'reply', records: [{ phone: '447911123456', content: 'Yes & no', extNo: '7', receiveTime: '2024-05-06 07:08:09' }] }),
		});
		expect(await res.json()).toEqual({ status: 200, body: '{"code":"0","msg":"SUCCESS"}' });
		expect(receiver.received[0].body).toBe('mobile=447911123456&content=Yes+%26+no&receiveTime=2024-05-06+07%3A08%3A09&extNo=7');
		await sim().push({ vendor: 'chonry', url: receiver.url, kind: 'delivery', records: [{ phone: '8613800138000', smUuid: 'u1', batchId: 'b1', deliverResult: 'EXPIRED', deliverTime: '2024-05-06 07:08:09' }] });
		expect(receiver.received[1].body).toBe('smUuid=u1&mobile=8613800138000&batchId=b1&deliverResult=EXPIRED&deliverTime=2024-05-06+07%3A08%3A09');
		await expect(sim().push({ vendor: 'chonry', url: receiver.url, kind: 'other', records: [] })).rejects.toThrow('chonry pushes are "delivery" or "reply"');
	});
});
