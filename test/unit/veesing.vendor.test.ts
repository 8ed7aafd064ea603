import * as vs from '../../nodes/Veesing/veesing.vendor';
import { PlanError } from '../../nodes/shared/adapter';
import { parsePushBody, PushError } from '../../nodes/shared/push';

describe('Veesing vendor module', () => {
	describe('findFailure', () => {
		it('accepts returnStatus "1 " (trailing space, as the doc shows it) and "1"', () => {
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '1 ', message: '成功' } })).toBeUndefined();
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '1', message: '发送成功' } })).toBeUndefined();
		});

		it.each(Object.entries(vs.MESSAGES))('explains %s in English and keeps the vendor text', (zh, { en, hint, aboutMessage }) => {
			const failure = vs.findFailure({ statusCode: 200, body: { returnStatus: '0', message: zh, remainPoint: null } });
			expect(failure).toEqual({ code: '0', vendorMessage: zh, english: `Veesing error 0: ${en} (${zh})`, hint, aboutMessage });
		});

		it('recognizes a documented message written with full-width punctuation or inside a longer text', () => {
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '0', message: '您的账户已被锁定，请联系您的专属客服。' } })!.english).toBe(
				'Veesing error 0: The account is locked; contact your Veesing account manager (您的账户已被锁定，请联系您的专属客服。)',
			);
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '0', message: '发送失败:余额不足' } })!.english).toContain('The account balance is too low');
		});

		it('keeps an unknown message, and says when there is none', () => {
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '0', message: '新错误' } })!.english).toBe('Veesing error 0: unknown error (新错误)');
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '0', message: null } })!.english).toBe('Veesing error 0: unknown error (no message)');
			expect(vs.findFailure({ statusCode: 200, body: { returnStatus: '', message: 'x' } })).toMatchObject({ code: 'none' });
		});

		it('flags a 200 answer that is not the API, and leaves other HTTP errors to the transport', () => {
			expect(vs.findFailure({ statusCode: 200, body: '<html>portal</html>' })).toMatchObject({ code: 'UNEXPECTED' });
			expect(vs.findFailure({ statusCode: 200, body: { status: 1 } })).toMatchObject({ code: 'UNEXPECTED' });
			expect(vs.findFailure({ statusCode: 502, body: 'bad gateway' })).toBeUndefined();
			expect(vs.findFailure({ statusCode: 500, body: { returnStatus: '0', message: '未知原因,请联系客服' } })).toMatchObject({ code: '0' });
		});
	});

	describe('codeProblem', () => {
		it.each(['12', '1234', '000000', '12345678'])('accepts %s', (code) => expect(vs.codeProblem(code)).toBeUndefined());
		it.each([
			['1', 'has 1 digit; Veesing sends codes of 2 to 8 digits'],
			['123456789', 'has 9 digits; Veesing sends codes of 2 to 8 digits'],
			['12 34', 'is not allowed; Veesing sends codes of 2 to 8 digits (0-9) and nothing else'],
			['１２３４', 'is not allowed; Veesing sends codes of 2 to 8 digits (0-9) and nothing else'],
			['-123', 'is not allowed; Veesing sends codes of 2 to 8 digits (0-9) and nothing else'],
		])('refuses %j', (code, problem) => expect(vs.codeProblem(code)).toBe(problem));
	});

	describe('planSend', () => {
		it('makes one call per number, in input order, with the documented form fields', () => {
			const calls = vs.planSend([
				{ itemIndex: 0, phones: ['13800138000', '13900139000'], templateId: '540', code: '1234' },
				{ itemIndex: 2, phones: ['13700137000'], templateId: '541', code: '56' },
			]);
			expect(calls).toEqual([
				{ request: { method: 'POST', path: '/smsApi/verifyCode', form: { phone: '13800138000', templateId: '540', variables: '1234' } }, recipients: [{ itemIndex: 0, phone: '13800138000' }] },
				{ request: { method: 'POST', path: '/smsApi/verifyCode', form: { phone: '13900139000', templateId: '540', variables: '1234' } }, recipients: [{ itemIndex: 0, phone: '13900139000' }] },
				{ request: { method: 'POST', path: '/smsApi/verifyCode', form: { phone: '13700137000', templateId: '541', variables: '56' } }, recipients: [{ itemIndex: 2, phone: '13700137000' }] },
			]);
			// No call may be repeated after an unsure network error: the vendor would text the code twice.
			expect(calls.every((call) => !call.repeatIsRejected)).toBe(true);
		});

		it('refuses a number on two items, naming both, against the later item', () => {
			let thrown: unknown;
			try {
				vs.planSend([
					{ itemIndex: 0, phones: ['13800138000'], templateId: '540', code: '1234' },
					{ itemIndex: 3, phones: ['13900139000', '13800138000'], templateId: '540', code: '5678' },
				]);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(PlanError);
			expect((thrown as PlanError).itemIndex).toBe(3);
			expect((thrown as PlanError).message).toContain('Phone 13800138000 is on items 0 and 3');
		});
	});

	describe('readAnswer and summarizeSend', () => {
		const call = vs.planSend([{ itemIndex: 0, phones: ['13800138000'], templateId: '540', code: '1234' }])[0];

		it('takes taskId as the messageId and remainPoint as the balance', () => {
			const body = { returnStatus: '1 ', message: '成功', remainPoint: '241', taskId: '3313746', successCounts: '1' };
			expect(vs.readAnswer(call, { statusCode: 200, body })).toEqual([
				{ phone: '13800138000', accepted: true, messageId: '3313746', status: '1', balance: 241 },
			]);
		});

		it('leaves out what the answer does not give', () => {
			expect(vs.readAnswer(call, { statusCode: 200, body: { returnStatus: '1', remainPoint: null, taskId: null } })).toEqual([
				{ phone: '13800138000', accepted: true, messageId: undefined, status: '1' },
			]);
		});

		// The item's messageId (its task ids joined) is the send loop's, by one rule for every vendor.
		it('gives an item the smallest balance', () => {
			expect(
				vs.summarizeSend([
					{ phone: 'a', accepted: true, messageId: '11', balance: 40 },
					{ phone: 'b', accepted: false, error: 'x' },
					{ phone: 'c', accepted: true, messageId: '10', balance: 41 },
				]),
			).toEqual({ balance: 40 });
			expect(vs.summarizeSend([{ phone: 'b', accepted: false, error: 'x' }])).toEqual({});
		});

		it('reads the balance as a number, and refuses an answer without one', () => {
			expect(vs.readBalance({ returnStatus: '1 ', remainPoint: '241' })).toBe(241);
			expect(() => vs.readBalance({ returnStatus: '1 ', remainPoint: null })).toThrow('Veesing returned no balance');
		});
	});

	describe('parsePush', () => {
		const parse = (text: string) => {
			const { data, format } = parsePushBody(text);
			return vs.parsePush(data, format);
		};

		it('tells a receipt from a reply by status versus content', () => {
			expect(parse('mobile=13800138000&taskid=1&status=1&receivetime=2019-07-23+17%3A00%3A00')[0]).toMatchObject({ event: 'delivery', delivered: true });
			expect(parse('mobile=13800138000&taskid=1&content=1&receivetime=2019-07-23+17%3A00%3A00')[0]).toMatchObject({ event: 'reply', content: '1' });
			expect(parse('mobile=13800138000&taskid=1&content=')[0]).toMatchObject({ event: 'reply', content: '' });
		});

		it('keeps an unknown status as not delivered, with the value in the text', () => {
			expect(parse('mobile=13800138000&taskid=1&status=2')[0]).toMatchObject({ delivered: false, statusText: 'Not delivered (unknown receipt status 2)' });
		});

		it('reads the send answer\'s spelling taskId and a time it cannot parse as null', () => {
			expect(parse('mobile=8613800138000&taskId=9&status=1&receivetime=yesterday')[0]).toMatchObject({
				phone: '13800138000',
				messageId: '9',
				receivedAt: null,
			});
		});

		it('keeps a masked or foreign number as it came', () => {
			expect(parse('mobile=1508092****&taskid=123&status=1')[0]).toMatchObject({ phone: '1508092****' });
		});

		it('refuses JSON, XML and forms of neither kind', () => {
			expect(() => vs.parsePush(parsePushBody('{"mobile":"13800138000"}').data, 'json')).toThrow(PushError);
			expect(() => vs.parsePush(parsePushBody('<a>1</a>').data, 'xml')).toThrow(PushError);
			expect(() => parse('mobile=13800138000&taskid=1')).toThrow('neither status');
			expect(() => parse('taskid=1&status=1')).toThrow('no mobile');
		});
	});
});
