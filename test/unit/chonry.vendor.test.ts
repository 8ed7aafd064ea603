import * as chonry from '../../nodes/Chonry/chonry.vendor';
import { parsePushBody, PushError } from '../../nodes/shared/push';

const intl = (start: number, count: number) => Array.from({ length: count }, (_, i) => `86139${String(start + i).padStart(8, '0')}`);
const item = (itemIndex: number, phones: string[], variables: string[], more: Partial<chonry.SendItem> = {}): chonry.SendItem => ({
	itemIndex,
	phones,
	templateId: '100',
	variables,
	...more,
});
/** The form's `data` as the server reads it after its second decoding. */
const decodedData = (form: Record<string, unknown>) => JSON.parse(decodeURIComponent(String(form.data).replace(/\+/g, ' ')));

describe('Chonry vendor module', () => {
	describe('findFailure', () => {
		it('accepts code "0" (and a numeric 0, compared as text)', () => {
			expect(chonry.findFailure({ statusCode: 200, body: { code: '0', msg: 'SUCCESS', batchId: '' } })).toBeUndefined();
			expect(chonry.findFailure({ statusCode: 200, body: { code: 0, msg: 'SUCCESS' } })).toBeUndefined();
			expect(chonry.findFailure({ statusCode: 200, body: { code: '00', msg: '?' } })).toMatchObject({ code: '00' });
		});

		it.each(Object.entries(chonry.ERRORS))('explains %s in English and keeps the vendor text', (code, { zh, en }) => {
			const failure = chonry.findFailure({ statusCode: 200, body: { code, msg: zh } });
			expect(failure).toEqual(expect.objectContaining({ code, vendorMessage: zh }));
			expect(failure!.english).toBe(`Chonry error ${code}: ${en} (${zh})`);
		});

		it('keeps an unknown code with its msg, and reads error bodies of HTTP errors', () => {
			expect(chonry.findFailure({ statusCode: 200, body: { code: '9999', msg: '新错误' } })!.english).toBe('Chonry error 9999: unknown error (新错误)');
			expect(chonry.findFailure({ statusCode: 500, body: { code: 9006, msg: '用户accessKey不正确' } })!.english).toBe(
				'Chonry error 9006: The Access Key or Secret is wrong (用户accessKey不正确)',
			);
		});

		it('flags a 200 answer that is not the API, and leaves a bare HTTP error to the transport', () => {
			expect(chonry.findFailure({ statusCode: 200, body: '<html>portal</html>' })).toMatchObject({ code: 'UNEXPECTED' });
			expect(chonry.findFailure({ statusCode: 200, body: [{ code: '0' }] })).toMatchObject({ code: 'UNEXPECTED' });
			expect(chonry.findFailure({ statusCode: 502, body: 'bad gateway' })).toBeUndefined();
		});
	});

	describe('javaUrlEncode', () => {
		it("gives exactly what the vendor sample's URLEncoder.encode(…, \"utf-8\") gives (outputs of Java 17)", () => {
			expect(chonry.javaUrlEncode('先生##9:40##快递公司##1234567')).toBe(
				'%E5%85%88%E7%94%9F%23%239%3A40%23%23%E5%BF%AB%E9%80%92%E5%85%AC%E5%8F%B8%23%231234567',
			);
			expect(chonry.javaUrlEncode("a b+c%~!*'()._-")).toBe('a+b%2Bc%25%7E%21*%27%28%29._-');
		});
	});

	describe('planSend', () => {
		it('sends 60,000 numbers with the same variables as mobile + content in 2 calls (50,000 + 10,000)', () => {
			const calls = chonry.planSend([item(0, intl(0, 30000), ['A']), item(1, intl(30000, 30000), ['A'])]);
			expect(calls).toHaveLength(2);
			expect(calls.map((call) => String(call.request.form!.mobile).split(',').length)).toEqual([50000, 10000]);
			for (const call of calls) {
				expect(call.request).toMatchObject({ method: 'POST', path: '/intl/api/v2/send', baseUrlField: 'intlBaseUrl' });
				expect(call.request.form).toEqual({ templateId: '100', mobile: expect.any(String), content: 'A' });
				expect(call.repeatIsRejected).toBeUndefined();
			}
			expect(String(calls[1].request.form!.mobile).split(',')).toEqual(intl(50000, 10000));
			expect(calls[0].recipients.filter((r) => r.itemIndex === 1)).toHaveLength(20000);
			// Numbers come out without the 86 of mainland numbers, as every vendor of the package gives them.
			expect(calls[0].recipients[0]).toEqual({ itemIndex: 0, phone: '13900000000' });
		});

		it('combines items with different variables in one personalized call through data, double-encoded like the sample', () => {
			const [call, ...more] = chonry.planSend([
				item(0, ['8613700000000'], ['先生', '9:40', '快递公司', '1234567']),
				item(1, ['8613700000001', '447911123456'], ['女士', '10:10', 'A+B %', '000000']),
			]);
			expect(more).toEqual([]);
			const json = '{"8613700000000":"先生##9:40##快递公司##1234567","8613700000001":"女士##10:10##A+B %##000000","447911123456":"女士##10:10##A+B %##000000"}';
			expect(call.request.form).toEqual({ templateId: '100', data: chonry.javaUrlEncode(json) });
			expect(String(call.request.form!.data)).toContain('A%2BB+%25');
			expect(call.request.form).not.toHaveProperty('mobile');
			expect(call.recipients.map((r) => [r.itemIndex, r.phone])).toEqual([
				[0, '13700000000'],
				[1, '13700000001'],
				[1, '447911123456'],
			]);
		});

		it('keeps numbers in the order given, even those JavaScript would sort as integer keys', () => {
			const [call] = chonry.planSend([item(0, ['4477001122'], ['x']), item(1, ['1234567'], ['y'])]);
			// JSON.stringify({...}) would put "1234567" first: an integer-like key.
			expect(call.request.form!.data).toBe(chonry.javaUrlEncode('{"4477001122":"x","1234567":"y"}'));
		});

		it('splits personalized numbers by 10,000, and sends a big group of one set of variables in bulk', () => {
			const calls = chonry.planSend([
				item(0, intl(0, 12000), ['big']),
				item(1, intl(20000, 6000), ['a']),
				item(2, intl(30000, 6000), ['b']),
			]);
			expect(calls.map((call) => [call.request.form!.content ?? 'data', String(call.request.form!.mobile ?? '').split(',').length])).toEqual([
				['big', 12000],
				['data', 1],
				['b', 2000],
			]);
			const personalized = decodedData(calls[1].request.form!);
			expect(Object.keys(personalized)).toHaveLength(10000);
			expect(Object.values(personalized).filter((v) => v === 'a')).toHaveLength(6000);
			expect(String(calls[2].request.form!.mobile).split(',')).toEqual(intl(34000, 2000));
		});

		it('sends a personalized slice whose numbers share their variables as a bulk call', () => {
			const calls = chonry.planSend([item(0, intl(0, 9999), ['a']), item(1, intl(20000, 3), ['b'])]);
			expect(calls).toHaveLength(2);
			expect(Object.keys(decodedData(calls[0].request.form!))).toHaveLength(10000);
			expect(calls[1].request.form).toEqual({ templateId: '100', mobile: intl(20001, 2).join(','), content: 'b' });
		});

		it('never puts a number twice in one call: a repeat goes to a call of its own', () => {
			const calls = chonry.planSend([item(0, ['8613800138000'], ['a']), item(1, ['8613800138000', '8613900139000'], ['b'])]);
			expect(calls.map((call) => call.request.form)).toEqual([
				{ templateId: '100', data: chonry.javaUrlEncode('{"8613800138000":"a","8613900139000":"b"}') },
				{ templateId: '100', mobile: '8613800138000', content: 'b' },
			]);
			expect(calls[1].recipients).toEqual([{ itemIndex: 1, phone: '13800138000' }]);
		});

		it('keeps items with another template, signature, schedule or sender ID apart, and passes those on', () => {
			const calls = chonry.planSend([
				item(0, ['8613800138000'], ['a']),
				item(1, ['8613800138001'], ['a'], { templateId: '200' }),
				item(2, ['8613800138002'], ['a'], { sign: '123' }),
				item(3, ['8613800138003'], ['a'], { scheduleSendTime: '2030-01-01 08:00:00', senderId: 'SimShop' }),
				item(4, ['8613800138004'], ['a']),
			]);
			expect(calls.map((call) => call.request.form)).toEqual([
				{ templateId: '100', mobile: '8613800138000,8613800138004', content: 'a' },
				{ templateId: '200', mobile: '8613800138001', content: 'a' },
				{ templateId: '100', sign: '123', mobile: '8613800138002', content: 'a' },
				{ templateId: '100', mobile: '8613800138003', content: 'a', scheduleSendTime: '2030-01-01 08:00:00', senderId: 'SimShop' },
			]);
		});

		it('leaves content out for a template without variables', () => {
			const [call] = chonry.planSend([item(0, ['8613800138000'], [])]);
			expect(call.request.form).toEqual({ templateId: '100', mobile: '8613800138000' });
		});
	});

	describe('input rules', () => {
		const now = new Date('2026-11-22T03:00:00Z'); // 11:00:00 in China

		it.each([
			['2026-11-22 11:00:01', { time: '2026-11-22 11:00:01' }],
			['2026-11-22T04:00:00Z', { time: '2026-11-22 12:00:00' }],
			['2026-11-22T12:30:00+08:00', { time: '2026-11-22 12:30:00' }],
			['2026-11-22 10:59:59', { problem: 'is in the past (it is now 2026-11-22 11:00:00 in China)' }],
			['2027-02-29 10:00:00', { problem: 'is not a real date and time' }],
			['2026-12-01 24:00:00', { problem: 'is not a real date and time' }],
			['2026-12-01 8:00:00', { problem: expect.stringContaining('yyyy-MM-dd HH:mm:ss') }],
			// An n8n date without an offset (the date picker's value) is read as China time.
			['2026-12-01T08:00:00', { time: '2026-12-01 08:00:00' }],
			['2026-12-01T08:00', { time: '2026-12-01 08:00:00' }],
			['2026-12-01T08:00:00.000', { time: '2026-12-01 08:00:00' }],
			['2026-12-01T08:00:00.000+01:00', { time: '2026-12-01 15:00:00' }],
			[new Date('2026-12-01T00:00:00Z'), { time: '2026-12-01 08:00:00' }],
			// A Luxon DateTime, as {{ $now.plus(…) }} gives it, is read from its ISO form with its offset.
			[{ toISO: () => '2026-12-01T09:00:00.000+09:00' }, { time: '2026-12-01 08:00:00' }],
			['2026-12-01T08:00:00 ', { time: '2026-12-01 08:00:00' }],
			['2026-12-01T25:00:00', { problem: 'is not a real date and time' }],
			['1 Dec 2026', { problem: expect.stringContaining('yyyy-MM-dd HH:mm:ss') }],
		])('schedule time %s', (value, expected) => {
			expect(chonry.parseScheduleTime(value, now)).toEqual(expected);
		});

		it('refuses variables the vendor would split or leave empty', () => {
			expect(chonry.variableProblem('Mr. Li')).toBeUndefined();
			expect(chonry.variableProblem('a##b')).toBe('contains ##, which the vendor uses to separate variables');
			expect(chonry.variableProblem('US$$5')).toBe('contains $$, which the vendor uses to separate variables');
			expect(chonry.variableProblem(' ')).toContain('is empty');
		});

		it('takes GSM sender IDs', () => {
			expect(chonry.senderIdProblem('SimShop')).toBeUndefined();
			expect(chonry.senderIdProblem('447911123456')).toBeUndefined();
			expect(chonry.senderIdProblem('TwelveLetter')).toContain('up to 11');
			expect(chonry.senderIdProblem('Shop!')).toContain('up to 11');
		});
	});

	describe('answers', () => {
		const call = chonry.planSend([item(0, ['8613800138000', '447911123456'], ['a'])])[0];

		it('reads an accepted send, with and without a batch id', () => {
			expect(chonry.readAnswer(call, { statusCode: 200, body: { code: '0', msg: 'SUCCESS', batchId: 'o0ULmxE' } })).toEqual([
				{ phone: '13800138000', accepted: true, status: '0', batchId: 'o0ULmxE' },
				{ phone: '447911123456', accepted: true, status: '0', batchId: 'o0ULmxE' },
			]);
			expect(chonry.readAnswer(call, { statusCode: 200, body: { code: '0', msg: 'SUCCESS', batchId: '' } })[0]).toEqual({
				phone: '13800138000',
				accepted: true,
				status: '0',
			});
		});

		it('reads the international SMS figure of the account', () => {
			const data = { 营销短信: 0, 语音验证码: 0, 国际短信: '.00', 语音通知: '98.00', 接口短信: 0 };
			expect(chonry.readBalance({ code: '0', data })).toBe(0);
			expect(chonry.readBalance({ code: '0', data: { ...data, 国际短信: '1234.56' } })).toBe(1234.56);
			expect(chonry.readBalance({ code: '0', data: { 国际短信: 12 } })).toBe(12);
			expect(() => chonry.readBalance({ code: '0', data: { 接口短信: 5 } })).toThrow('Chonry returned no international SMS balance (data["国际短信"])');
			expect(() => chonry.readBalance({ code: '0', data: { 国际短信: 'n/a' } })).toThrow('no international SMS balance');
		});
	});

	describe('parsePush', () => {
		const parse = (body: string) => {
			const { data, format } = parsePushBody(body);
			return chonry.parsePush(data, format);
		};

		it('reads a form delivery report', () => {
			const [report] = parse('smUuid=10000_1_0_8613700000000_1_NKWkEcS_1&mobile=8613700000000&batchId=abc123456&deliverResult=DELIVRD&deliverTime=2018-01-01+18%3A00%3A00');
			expect(report).toEqual({
				vendor: 'chonry',
				event: 'delivery',
				phone: '13700000000',
				messageId: '10000_1_0_8613700000000_1_NKWkEcS_1',
				batchId: 'abc123456',
				delivered: true,
				status: 'DELIVRD',
				statusText: 'Delivered',
				receivedAt: '2018-01-01T18:00:00+08:00',
				raw: {
					smUuid: '10000_1_0_8613700000000_1_NKWkEcS_1',
					mobile: '8613700000000',
					batchId: 'abc123456',
					deliverResult: 'DELIVRD',
					deliverTime: '2018-01-01 18:00:00',
				},
			});
		});

		it('reads a form reply, keeping its text as written', () => {
			const [reply] = parse('mobile=%2B447911123456&content=+Yes%2C+please+%26+thanks&receiveTime=2024-05-06+07%3A08%3A09&extNo=12');
			expect(reply).toMatchObject({
				vendor: 'chonry',
				event: 'reply',
				phone: '447911123456',
				content: ' Yes, please & thanks',
				extension: '12',
				receivedAt: '2024-05-06T07:08:09+08:00',
			});
			expect(reply).not.toHaveProperty('delivered');
		});

		it('takes a JSON object or array too', () => {
			expect(parse('{"smUuid":"u1","mobile":"13800138000","deliverResult":"REJECT","deliverTime":"2019-12-10 17:27:16"}')[0]).toMatchObject({
				phone: '13800138000',
				messageId: 'u1',
				batchId: '',
				delivered: false,
				status: 'REJECT',
				statusText: 'The operator rejected the message',
			});
			const items = parse('[{"smUuid":"u1","mobile":"8613800138000","deliverResult":"MK:0001"},{"mobile":"008613900139000","content":"TD"}]');
			expect(items.map((i) => [i.event, i.phone])).toEqual([
				['delivery', '13800138000'],
				['reply', '13900139000'],
			]);
			expect(items[0]).toMatchObject({ statusText: 'Not delivered (operator status MK:0001)', receivedAt: null });
		});

		it.each([
			['<xml><a>1</a></xml>', 'not XML'],
			['[]', 'holds no record'],
			['[1]', 'not an object'],
			['mobile=13800138000&foo=bar', 'neither a delivery report'],
			['smUuid=u1&deliverResult=DELIVRD', 'needs mobile and deliverResult'],
			['content=hi', 'a reply needs mobile'],
		])('refuses %s', (body, reason) => {
			expect(() => parse(body)).toThrow(PushError);
			expect(() => parse(body)).toThrow(reason);
		});
	});
});
