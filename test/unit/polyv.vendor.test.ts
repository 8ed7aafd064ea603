import { createHash } from 'node:crypto';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { PolyvApi } from '../../credentials/PolyvApi.credentials';
import * as polyv from '../../nodes/Polyv/polyv.vendor';

// docs/vendors/polyv.md#test-vectors: Polyv's buildsign example re-computed with its dummy secret, and the SMS-shaped vector.
const APP_ID = 'g4rqgmmjuo';
const SECRET = 'fsq2k5weced1h8vui657xtdva66whf0g';
const TIMESTAMP = 1660270926732;

const answer = (statusCode: number, body: unknown) => ({ statusCode, body });

describe('Polyv vendor module', () => {
	describe('sign', () => {
		it('reproduces the SMS test vector of the notes', () => {
			expect(polyv.sign({ appId: APP_ID, timestamp: TIMESTAMP }, SECRET)).toBe('0545CB7811874FB16247E9A0635B121F');
			expect(polyv.signedQuery(APP_ID, SECRET, TIMESTAMP)).toEqual({
				appId: APP_ID,
				timestamp: '1660270926732',
				sign: '0545CB7811874FB16247E9A0635B121F',
			});
		});

		it("reproduces Polyv's own buildsign example (more parameters, ASCII order)", () => {
			const params = { timestamp: '1660270926732', startDay: '2022-05-20', appId: APP_ID, endDay: '2022-06-18', channelIds: '2477096,2272655' };
			expect(polyv.sign(params, SECRET)).toBe('0D2BDA2FD04D93A2B8832B91FD973C4D');
		});

		it('drops empty values and the sign itself, and upper-cases the MD5 of secret + k1v1k2v2 + secret', () => {
			const withBlanks = { appId: APP_ID, timestamp: TIMESTAMP, sign: 'OLD', empty: '', blank: '  ', nothing: null, missing: undefined };
			expect(polyv.sign(withBlanks, SECRET)).toBe('0545CB7811874FB16247E9A0635B121F');
			const plain = `${SECRET}appId${APP_ID}timestamp${TIMESTAMP}${SECRET}`;
			expect(createHash('md5').update(plain).digest('hex').toUpperCase()).toBe('0545CB7811874FB16247E9A0635B121F');
		});

		it('signs a 13-digit millisecond timestamp of now by default', () => {
			const before = Date.now();
			const query = polyv.signedQuery(APP_ID, SECRET);
			expect(query.timestamp).toMatch(/^\d{13}$/);
			expect(Number(query.timestamp)).toBeGreaterThanOrEqual(before);
			expect(query.sign).toBe(polyv.sign({ appId: APP_ID, timestamp: query.timestamp }, SECRET));
		});
	});

	describe('the credential', () => {
		it('adds appId, timestamp and sign to the query string, keeps what was there, and never the secret', async () => {
			const credential = new PolyvApi();
			const authenticate = credential.authenticate as (c: object, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
			const request: IHttpRequestOptions = { url: 'https://api.polyv.net/live/v4/user/sms/send', method: 'POST', qs: { keep: '1' }, body: '{}' };
			const signed = await authenticate({ appId: ` ${APP_ID}\n`, appSecret: `${SECRET} ` }, request);
			expect(Object.keys(signed.qs!)).toEqual(['keep', 'appId', 'timestamp', 'sign']);
			expect(signed.qs!.appId).toBe(APP_ID);
			expect(signed.qs!.sign).toBe(polyv.sign({ appId: APP_ID, timestamp: String(signed.qs!.timestamp) }, SECRET));
			expect(signed.body).toBe('{}');
			expect(JSON.stringify(signed)).not.toContain(SECRET);
			expect(request.qs).toEqual({ keep: '1' });
		});

		it('tests with a request that names no phone number', () => {
			const { test } = new PolyvApi();
			expect(test.request).toMatchObject({ url: polyv.SEND_PATH, method: 'POST', ignoreHttpStatusErrors: true });
			expect(test.request.body).toEqual({ phoneNumbers: [], templateParamNames: [], templateParamValues: [] });
		});
	});

	describe('findFailure', () => {
		it('lets a success through, whatever its numbers say', () => {
			const body = { code: 200, status: 'success', requestId: 'r', data: [{ phoneNumber: '13800138000', status: -2, serialNo: null }], success: true };
			expect(polyv.findFailure(answer(200, body))).toBeUndefined();
		});

		it("reads the document's error sample (HTTP 400) into English with the code and desc", () => {
			const body = { code: 400, status: 'error', requestId: 'd310', error: { code: 20001, desc: 'application not found.' }, success: false };
			expect(polyv.findFailure(answer(400, body))).toEqual({
				code: '20001',
				vendorMessage: 'application not found.',
				english: 'Polyv error 20001: Polyv does not know this App ID (application not found.)',
				hint: expect.stringContaining('App ID'),
			});
		});

		it.each([
			['invalid signature.', 'Polyv refused the signature', 'App Secret'],
			['timestamp expired.', "outside Polyv's 3-minute window", 'clock'],
			['qps exceeds number of calls', 'Too many calls to Polyv', 'Concurrency'],
			['param should not be empty: phoneNumbers', 'a required parameter is empty', undefined],
			['access forbidden', 'refused the operation for this account', 'Aliyun SMS template'],
		])('explains %s', (desc, english, hint) => {
			const failure = polyv.findFailure(answer(500, { code: 500, status: 'fail', error: { code: 30001, desc }, success: false }))!;
			expect(failure.english).toContain(english);
			expect(failure.english).toMatch(new RegExp(`^Polyv error 30001: .*\\(${desc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`));
			if (hint) expect(failure.hint).toContain(hint);
		});

		it('keeps an unknown desc as it is, and falls back to the top-level code', () => {
			expect(polyv.findFailure(answer(400, { code: 400, status: 'error', error: { desc: 'something new' }, success: false }))).toMatchObject({
				code: '400',
				english: 'Polyv error 400: unknown error (something new)',
			});
		});

		it('flags a 200 that is not the API, and leaves a bare HTTP error to the transport', () => {
			expect(polyv.findFailure(answer(200, '<html>portal</html>'))).toMatchObject({ code: 'UNEXPECTED' });
			expect(polyv.findFailure(answer(200, { hello: 'world' }))).toMatchObject({ code: 'UNEXPECTED' });
			expect(polyv.findFailure(answer(502, '<html>bad gateway</html>'))).toBeUndefined();
		});
	});

	describe('readTemplateParams', () => {
		it('reads name/value pairs as strings', () => {
			expect(polyv.readTemplateParams([{ name: ' code ', value: 9802 }, { name: 'minutes', value: '5' }, { name: 'x' }])).toEqual([
				{ name: 'code', value: '9802' },
				{ name: 'minutes', value: '5' },
				{ name: 'x', value: '' },
			]);
			expect(polyv.readTemplateParams(undefined)).toEqual([]);
		});

		it.each([
			[[{ name: '', value: '1' }], 'Template parameter 1 has no name'],
			[[{ name: 'code', value: '1' }, { name: 'code', value: '2' }], 'Template parameter code is given twice'],
			[[{ name: 'code', value: { a: 1 } }], 'Template parameter code has an object as its value; give text or a number'],
			[[{ name: 'code', value: [1] }], 'Template parameter code has a list as its value; give text or a number'],
		])('refuses %j', (entries, message) => {
			expect(polyv.readTemplateParams(entries)).toBe(message);
		});
	});

	describe('planSend', () => {
		const phones = (n: number, base: number) => Array.from({ length: n }, (_, i) => String(13900000000 + base + i));
		const code = (value: string) => [{ name: 'code', value }];

		it('combines items with the same parameters (in any order), up to 200 numbers a call', () => {
			const calls = polyv.planSend([
				{ itemIndex: 0, phones: phones(150, 0), params: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] },
				{ itemIndex: 1, phones: phones(1, 5000), params: code('9') },
				{ itemIndex: 2, phones: phones(150, 1000), params: [{ name: 'b', value: '2' }, { name: 'a', value: '1' }] },
			]);
			expect(calls.map((call) => [call.request.json!.templateParamValues, (call.request.json!.phoneNumbers as string[]).length])).toEqual([
				[['1', '2'], 200],
				[['1', '2'], 100],
				[['9'], 1],
			]);
			expect(calls[0].request).toMatchObject({ method: 'POST', path: '/live/v4/user/sms/send' });
			expect(calls[0].request.json!.templateParamNames).toEqual(['a', 'b']);
			expect(calls[0].recipients.filter((r) => r.itemIndex === 2)).toHaveLength(50);
			expect(calls[0].request.json!.phoneNumbers).toEqual(calls[0].recipients.map((r) => r.phone));
			expect(calls.every((call) => call.repeatIsRejected === false && call.request.qs === undefined)).toBe(true);
		});

		it('never puts one number twice in a call', () => {
			const calls = polyv.planSend([
				{ itemIndex: 0, phones: ['13800138000', '13900139000'], params: code('1') },
				{ itemIndex: 1, phones: ['13800138000', '13700137000'], params: code('1') },
			]);
			// The repeat waits for a later call (the shared distinctSlices); the others share the first.
			expect(calls.map((call) => call.request.json!.phoneNumbers)).toEqual([['13800138000', '13900139000', '13700137000'], ['13800138000']]);
		});

		it('keeps different values apart', () => {
			const calls = polyv.planSend([
				{ itemIndex: 0, phones: ['13800138000'], params: code('1') },
				{ itemIndex: 1, phones: ['13900139000'], params: code('2') },
			]);
			expect(calls).toHaveLength(2);
		});
	});

	describe('readSend', () => {
		const call = polyv.planSend([{ itemIndex: 0, phones: ['13800138000', '13800000000', '13800001111', '13700137000', '13600136000'], params: [] }])[0];

		it('gives each number its own result, matched by number, with English for the failures', () => {
			const body = {
				code: 200,
				status: 'success',
				success: true,
				data: [
					{ serialNo: null, phoneNumber: '13800000000', status: 11 },
					{ serialNo: '605320356903663783^0', phoneNumber: 13800138000, status: 12 },
					{ serialNo: null, phoneNumber: '13800001111', status: -1 },
					{ serialNo: null, phoneNumber: '13700137000', status: -2 },
				],
			};
			expect(polyv.readAnswer(call, answer(200, body))).toEqual([
				{ phone: '13800138000', accepted: true, status: '12', messageId: '605320356903663783^0' },
				{ phone: '13800000000', accepted: false, status: '11', error: 'Polyv status 11: Not sent: the call to Aliyun SMS failed (发送失败(调用阿里云短信接口失败))' },
				{
					phone: '13800001111',
					accepted: false,
					status: '-1',
					aboutMessage: true,
					error: 'Polyv status -1: Not sent: the number has reached its daily limit (10 messages a day) (发送失败,手机号超过每日发送频次限制)',
				},
				{ phone: '13700137000', accepted: false, status: '-2', aboutMessage: true, error: 'Polyv status -2: Not sent: Polyv refused the number as invalid (发送失败,手机号不合法(非数字、长度错误))' },
				{ phone: '13600136000', accepted: false, outcome: 'unknown', error: 'Polyv returned no result for this number; the message may have been sent' },
			]);
		});

		it('does not take an unknown status for success', () => {
			const [result] = polyv.readAnswer(call, answer(200, { success: true, data: [{ phoneNumber: '13800138000', status: 13 }] }));
			expect(result).toEqual({ phone: '13800138000', accepted: false, status: '13', error: 'Polyv status 13: unknown status' });
		});

	});
});
