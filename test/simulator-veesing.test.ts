// The Veesing part of the vendor simulator, exercised over real HTTP as the vendor's own samples call it.
import { readAnswer, useReceivers, waitFor, type Answer } from './helpers/http';
import { ACCOUNTS, useSimulator } from './helpers/simulator';

const { VEESING_ACCOUNT, START_BALANCE, FIRST_TASK_ID, MESSAGES } = require('../simulator/vendors/veesing');

const { appId, appKey } = VEESING_ACCOUNT as Record<string, string>;
const FORM = 'application/x-www-form-urlencoded;charset=utf-8';
// Short push and retry delays: the push tests wait for pushes and their retries.
const sim = useSimulator({ pushDelayMs: 20, configure: { retryDelayMs: 20 } });
/** A push receiver: answers `ok`, with the status statusFor picks. */
const startReceiver = useReceivers({ body: 'ok' });

/** As the doc's Java send sample: a form body. */
async function send(params: Record<string, string>, credentials: Record<string, string> = { appId, appKey }): Promise<Answer> {
	const res = await fetch(`${sim().url}/smsApi/verifyCode`, {
		method: 'POST',
		headers: { 'Content-Type': FORM },
		body: new URLSearchParams({ ...credentials, phone: '13800138000', templateId: '540', variables: '1234', ...params }).toString(),
	});
	return readAnswer(res);
}

/** As the doc's OkHttp balance sample: the credentials in the query string, an empty text/plain body. */
async function balance(credentials: Record<string, string> = { appId, appKey }): Promise<Answer> {
	const res = await fetch(`${sim().url}/smsApi/verifyCode/getBalance?${new URLSearchParams(credentials)}`, {
		method: 'POST',
		headers: { 'Content-Type': 'text/plain' },
		body: '',
	});
	return readAnswer(res);
}

const failure = (message: string) => ({ returnStatus: '0', message, remainPoint: null, taskId: null, successCounts: null });

describe('veesing: accounts', () => {
	test('the CLI prints the working account', () => {
		expect(ACCOUNTS.veesing).toEqual({ appId, appKey });
	});

	test.each([
		['wrong appKey', { appId, appKey: 'nope' }, '账号或密码错误'],
		['unknown appId', { appId: 'who', appKey }, '账号或密码错误'],
		['missing appKey', { appId }, '缺少参数'],
		['locked account', { appId: VEESING_ACCOUNT.lockedAppId, appKey }, '您的账户已被锁定,请联系您的专属客服'],
		['caller outside the IP whitelist', { appId: VEESING_ACCOUNT.ipLimitedAppId, appKey }, 'IP受限'],
	])('%s', async (_name, credentials, message) => {
		const res = await balance(credentials as Record<string, string>);
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json;charset=UTF-8');
		expect(res.text).toBe(JSON.stringify(failure(message)));
		expect((await send({}, credentials as Record<string, string>)).json).toEqual(failure(message));
	});
});

describe('veesing: send', () => {
	test('accepts the doc sample, answers byte for byte like it, charges one and numbers the task', async () => {
		const res = await send({});
		expect(res.text).toBe(`{"returnStatus":"1 ","message":"成功","remainPoint":"${START_BALANCE - 1}","taskId":"${FIRST_TASK_ID}","successCounts":"1"}`);
		expect((await send({ phone: '13900139000' })).json.taskId).toBe(String(FIRST_TASK_ID + 1));
		expect((await balance()).text).toBe(`{"returnStatus":"1 ","message":"成功","remainPoint":"${START_BALANCE - 2}","taskId":null,"successCounts":null}`);
		expect(sim().requests[0]).toMatchObject({
			vendor: 'veesing',
			operation: 'send',
			method: 'POST',
			path: '/smsApi/verifyCode',
			query: {},
			params: { appId, appKey, phone: '13800138000', templateId: '540', variables: '1234' },
			detail: { text: '【中昱维信】您的验证码是1234，5分钟内有效，请勿泄露。', taskId: String(FIRST_TASK_ID), receiptStatus: '1' },
		});
	});

	test('takes the balance credentials from a form body as well', async () => {
		const res = await fetch(`${sim().url}/smsApi/verifyCode/getBalance`, { method: 'POST', headers: { 'Content-Type': FORM }, body: new URLSearchParams({ appId, appKey }) });
		expect(((await res.json()) as { remainPoint: string }).remainPoint).toBe(String(START_BALANCE));
	});

	test('with balanceReads query, reads the balance credentials from the query string only, as the sample sends them', async () => {
		sim().configure({ veesing: { balanceReads: 'query' } });
		const form = await fetch(`${sim().url}/smsApi/verifyCode/getBalance`, { method: 'POST', headers: { 'Content-Type': FORM }, body: new URLSearchParams({ appId, appKey }) });
		expect(await form.json()).toEqual(failure(MESSAGES.missing));
		expect((await balance()).json.remainPoint).toBe(String(START_BALANCE));
		expect(() => sim().configure({ veesing: { balanceReads: 'body' } })).toThrow('balanceReads is "form" or "query"');
	});

	test.each([
		['no phone', { phone: '' }, MESSAGES.missing],
		['no code', { variables: '' }, MESSAGES.missing],
		['a template id that is not a number', { templateId: 'T540' }, MESSAGES.badTemplateId],
		['an unknown template', { templateId: '999' }, MESSAGES.noTemplate],
		['two numbers in one call', { phone: '13800138000,13900139000' }, MESSAGES.badPhone],
		['a 10-digit number', { phone: '1380013800' }, MESSAGES.badPhone],
		['a 1-digit code', { variables: '1' }, MESSAGES.badParameter],
		['a 9-digit code', { variables: '123456789' }, MESSAGES.badParameter],
		['a code with letters', { variables: '12ab' }, MESSAGES.badParameter],
		['a number at its daily cap (ends in 9999)', { phone: '13900139999' }, MESSAGES.numberDailyCap],
		['an unknown failure (ends in 4444)', { phone: '13900134444' }, MESSAGES.unknown],
	])('%s is refused with its documented message', async (_name, params, message) => {
		expect((await send(params)).json).toEqual(failure(message));
		expect((await balance()).json.remainPoint).toBe(String(START_BALANCE));
	});

	test('the same number once a minute, other numbers unaffected', async () => {
		expect((await send({})).json.returnStatus).toBe('1 ');
		expect((await send({ variables: '5678' })).json).toEqual(failure('相同手机号码一分钟之内只可发送一次'));
		expect((await send({ phone: '13900139000' })).json.returnStatus).toBe('1 ');
		expect(sim().requests[1].detail.reason).toMatch(/^13800138000 got a code \d+ ms ago$/);
		expect((await balance()).json.remainPoint).toBe(String(START_BALANCE - 2));
	});

	test('the balance and the account daily limit are configurable', async () => {
		sim().configure({ veesing: { dailyLimit: 1 } });
		expect((await send({})).json.returnStatus).toBe('1 ');
		expect((await send({ phone: '13900139000' })).json).toEqual(failure('当日发送量已超出最大发送限制'));
		sim().configure({ veesing: { dailyLimit: null, balance: 0 } });
		expect((await send({ phone: '13900139000' })).json).toEqual(failure('余额不足'));
		expect(() => sim().configure({ veesing: { balanc: 1 } })).toThrow('veesing: unknown config key "balanc"');
	});

	test('only POST is served', async () => {
		const res = await fetch(`${sim().url}/smsApi/verifyCode?${new URLSearchParams({ appId, appKey, phone: '13800138000', templateId: '540', variables: '1234' })}`);
		expect(res.status).toBe(405);
	});
});

describe('veesing: pushes', () => {
	test('after a send: one receipt form and one reply form, to the same kind of URL', async () => {
		const receiver = await startReceiver();
		sim().configure({ autoPush: { veesing: { delivery: receiver.url, reply: receiver.url } }, autoReply: true });
		expect((await send({ phone: '13800138000' })).json.returnStatus).toBe('1 ');
		expect((await send({ phone: '13800000000' })).json.returnStatus).toBe('1 ');
		await waitFor(() => sim().pushes.length >= 3 || undefined, 'two receipts and a reply');
		expect(receiver.received.every((r) => r.contentType === FORM)).toBe(true);
		const bodies = receiver.received.map((r) => r.body).sort();
		const time = '\\d{4}-\\d\\d-\\d\\d\\+\\d\\d%3A\\d\\d%3A\\d\\d';
		expect(bodies).toEqual([
			expect.stringMatching(new RegExp(`^mobile=13800000000&taskid=${FIRST_TASK_ID + 1}&status=0&receivetime=${time}$`)),
			expect.stringMatching(new RegExp(`^mobile=13800138000&taskid=${FIRST_TASK_ID}&content=%E6%94%B6%E5%88%B0&receivetime=${time}$`)),
			expect.stringMatching(new RegExp(`^mobile=13800138000&taskid=${FIRST_TASK_ID}&status=1&receivetime=${time}$`)),
		]);
	});

	test('a push that is not answered 200 is tried again', async () => {
		let refused = false;
		const receiver = await startReceiver(() => (refused ? 200 : ((refused = true), 500)));
		sim().configure({ autoPush: { veesing: { delivery: receiver.url } } });
		await send({});
		await waitFor(() => sim().pushes.length >= 2 || undefined, 'a retried receipt');
		expect(sim().pushes.map((p: any) => [p.kind, p.status, p.attempt])).toEqual([
			['delivery', 500, 1],
			['delivery', 200, 2],
		]);
		expect(receiver.received[0].body).toBe(receiver.received[1].body);
	});

	test('push(): one form per record, defaults filled in, through the control API too', async () => {
		const receiver = await startReceiver();
		const answer = await sim().push({
			vendor: 'veesing',
			url: receiver.url,
			kind: 'delivery',
			records: [
				{ phone: '13800138000', taskId: '1', receiveTime: '2019-07-23 17:00:00' },
				{ phone: '13900139000', taskId: '2', status: '0', receiveTime: '2019-07-23 17:00:01' },
			],
		});
		expect(answer).toEqual({ status: 200, body: 'ok' });
		const res = await fetch(`${sim().url}/_sim/push`, {
			method: 'POST',
			body: JSON.stringify({ vendor: 'veesing', url: receiver.url, kind: 'reply', records: [{ phone: '13800138000', taskId: '1', content: 'a b&c', receiveTime: '2019-07-23 17:00:02' }] }),
		});
		expect(await res.json()).toEqual({ status: 200, body: 'ok' });
		expect(receiver.received.map((r) => r.body)).toEqual([
			'mobile=13800138000&taskid=1&status=1&receivetime=2019-07-23+17%3A00%3A00',
			'mobile=13900139000&taskid=2&status=0&receivetime=2019-07-23+17%3A00%3A01',
			'mobile=13800138000&taskid=1&content=a+b%26c&receivetime=2019-07-23+17%3A00%3A02',
		]);
		await expect(sim().push({ vendor: 'veesing', url: receiver.url, kind: 'reply', records: [{ phone: '13800138000' }] })).rejects.toThrow('needs content');
		await expect(sim().push({ vendor: 'veesing', url: receiver.url, kind: 'other', records: [] })).rejects.toThrow('"delivery" or "reply"');
	});
});
