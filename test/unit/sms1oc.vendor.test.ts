import * as oc from '../../nodes/Sms1oc/sms1oc.vendor';
import { parsePushBody, PushError } from '../../nodes/shared/push';

const parse = (text: string) => {
	const { data, format } = parsePushBody(text);
	return oc.parsePush(data, format);
};

/**
 * Every `stat` of the vendor document's table (docs/vendors/sms1oc.md#status-codes), written out here on its own so
 * that a typo or a dropped row in the module's table fails the test.
 */
const DOCUMENT_TABLE: Array<[string, boolean, string]> = [
	['DELIVRD', true, 'Delivered'],
	['EXPIRED', false, 'Not delivered: the message expired before it reached the phone'],
	['DELETED', false, 'Not delivered: the message was deleted'],
	['REJECTED', false, 'Not delivered: the message was rejected'],
	['MA:0001', false, 'Not delivered: the number is on the global blacklist'],
	['MA:0002', false, 'Not delivered: the content is not allowed'],
	['MA:0003', false, 'Not delivered: no route to the next gateway was found'],
	['MA:0004', false, 'Not delivered: the content length is wrong'],
	['MA:0005', false, 'Not delivered: the destination number has a wrong format'],
	['MA:0006', false, 'Not delivered: refused by the system'],
	['MA:0009', false, 'Not delivered: undefined error'],
	['MA:0011', false, 'Not delivered: unknown internal system error'],
	['MA:0015', false, 'Not delivered: the account balance is too low'],
	['MA:0017', false, 'Not delivered: the signature is not valid'],
	['MA:0021', false, 'Not delivered: the number has a wrong format'],
	['MA:0022', false, 'Not delivered: the sending limit for this number was reached'],
	['MA:0023', false, "Not delivered: the number is on the customer's blacklist"],
	['MA:0024', false, 'Not delivered: the content was not registered with the carrier'],
	['MA:0025', false, 'Not delivered: this kind of message is not supported'],
	['MA:0026', false, "Not delivered: a long message's parts timed out while being joined"],
	['MA:0027', false, "Not delivered: the number is on the channel's blacklist"],
	['MA:0028', false, 'Not delivered: the number range is on the global blacklist'],
	['MA:0029', false, "Not delivered: the number range is on the channel's blacklist"],
	['MA:0030', false, 'Not delivered: rejected directly'],
	['MA:0033', false, "Not delivered: blocked for the recipient's region"],
	['MA:0044', false, 'Not delivered: blocked for the number range'],
	['MO:200', false, 'Not delivered: long (multi-part) messages are not supported'],
	['MO:0254', false, 'Not delivered: forwarding to the upstream gateway timed out'],
	['MO:0255', false, 'Not delivered: the connection dropped while forwarding to the upstream gateway'],
];

describe('1oc vendor module', () => {
	describe('findFailure', () => {
		it('takes code 200 in the body as success, as a number or a string', () => {
			expect(oc.findFailure({ statusCode: 200, body: { code: 200, msg: 'ok', mid: '1151894566D2EDD9' } })).toBeUndefined();
			expect(oc.findFailure({ statusCode: 200, body: { code: ' 200 ', msg: 'ok', mid: 'x' } })).toBeUndefined();
		});

		it("explains the document's failure in English and keeps the vendor's code and text", () => {
			expect(oc.findFailure({ statusCode: 200, body: { code: 400, msg: '校验失败', mid: '' } })).toEqual({
				code: '400',
				vendorMessage: '校验失败',
				english: '1oc error 400: Verification failed (校验失败)',
				hint: expect.stringContaining('Check the App Secret'),
			});
		});

		it('passes any other code on with its msg', () => {
			expect(oc.findFailure({ statusCode: 200, body: { code: 500, msg: '服务器繁忙' } })).toMatchObject({
				code: '500',
				vendorMessage: '服务器繁忙',
				english: '1oc error 500: The send was refused (服务器繁忙)',
			});
			expect(oc.findFailure({ statusCode: 200, body: { code: 0 } })!.english).toBe('1oc error 0: The send was refused (no message)');
		});

		it('reads JSON error bodies of HTTP errors, and leaves other HTTP errors to the transport', () => {
			expect(oc.findFailure({ statusCode: 500, body: { code: 400, msg: '校验失败' } })).toMatchObject({ code: '400' });
			expect(oc.findFailure({ statusCode: 502, body: '<html>Bad Gateway</html>' })).toBeUndefined();
		});

		it('flags an HTTP 200 answer that is not the API (a portal page, a proxy)', () => {
			expect(oc.findFailure({ statusCode: 200, body: '<html>1oc</html>' })).toMatchObject({
				code: 'UNEXPECTED',
				vendorMessage: '<html>1oc</html>',
				english: '1oc answered with something that is not its API response',
			});
			expect(oc.findFailure({ statusCode: 200, body: { msg: 'ok' } })).toMatchObject({ code: 'UNEXPECTED' });
		});
	});

	describe('planSend', () => {
		it('makes one GET per number, in input order, with the parameters in the document order', () => {
			const calls = oc.planSend([
				{ itemIndex: 0, phones: ['13800138000', '13900139000'], template: 'SMS_0001', code: '1234' },
				{ itemIndex: 1, phones: ['13700137000'], template: '会员通知', code: '张三' },
			]);
			expect(calls).toEqual([
				{
					request: {
						method: 'GET',
						path: '/',
						qs: { module: 'sms', file: 'send', action: 'send', mobphone: '13800138000', code: '1234', smstemplate: 'SMS_0001' },
					},
					recipients: [{ itemIndex: 0, phone: '13800138000' }],
				},
				{
					request: {
						method: 'GET',
						path: '/',
						qs: { module: 'sms', file: 'send', action: 'send', mobphone: '13900139000', code: '1234', smstemplate: 'SMS_0001' },
					},
					recipients: [{ itemIndex: 0, phone: '13900139000' }],
				},
				{
					request: {
						method: 'GET',
						path: '/',
						qs: { module: 'sms', file: 'send', action: 'send', mobphone: '13700137000', code: '张三', smstemplate: '会员通知' },
					},
					recipients: [{ itemIndex: 1, phone: '13700137000' }],
				},
			]);
			expect(Object.keys(calls[0].request.qs!)).toEqual(['module', 'file', 'action', 'mobphone', 'code', 'smstemplate']);
			// No batch id, no idempotency key: a call whose answer is lost is never sent again.
			expect(calls.every((call) => call.repeatIsRejected === undefined && call.batchId === undefined)).toBe(true);
		});
	});

	describe('readAnswer', () => {
		const call = oc.planSend([{ itemIndex: 0, phones: ['13800138000'], template: 'T', code: '1' }])[0];

		it('takes mid as the messageId', () => {
			expect(oc.readAnswer(call, { statusCode: 200, body: { code: 200, msg: 'ok', mid: '1151894566D2EDD9' } })).toEqual([
				{ phone: '13800138000', accepted: true, messageId: '1151894566D2EDD9', status: '200' },
			]);
		});

		it('leaves messageId out when a success has no mid', () => {
			expect(oc.readAnswer(call, { statusCode: 200, body: { code: 200, msg: 'ok', mid: '' } })).toEqual([
				{ phone: '13800138000', accepted: true, status: '200' },
			]);
		});
	});

	describe('delivery reports', () => {
		it('the module knows exactly the rows of the document table', () => {
			expect(Object.keys(oc.STAT_TEXT).sort()).toEqual(DOCUMENT_TABLE.map(([stat]) => stat).sort());
		});

		it.each(DOCUMENT_TABLE)('maps %s (delivered: %s) to "%s"', (stat, delivered, text) => {
			expect(parse(JSON.stringify({ mid: 'M1', stat }))).toEqual([
				{
					vendor: 'sms1oc',
					event: 'delivery',
					phone: null,
					messageId: 'M1',
					delivered,
					status: stat,
					statusText: text,
					receivedAt: null,
					raw: { mid: 'M1', stat },
				},
			]);
		});

		it.each([
			['MO:1234', 'Not delivered: the upstream gateway answered 1234 (its meaning is defined by that gateway)'],
			['MO:0200', 'Not delivered: the upstream gateway answered 0200 (its meaning is defined by that gateway)'],
			['UNDELIV', 'Not delivered (status UNDELIV)'],
			['MK:0001', 'Not delivered (status MK:0001)'],
		])('keeps the unknown code %s as it is', (stat, text) => {
			expect(parse(JSON.stringify({ mid: 'M1', stat }))[0]).toMatchObject({ delivered: false, status: stat, statusText: text });
		});

		it("takes the document's sample as it is", () => {
			expect(parse('{"mid":"1151894566D2EDD9","stat":"DELIVRD"}')[0]).toMatchObject({ messageId: '1151894566D2EDD9', delivered: true, status: 'DELIVRD' });
		});

		it('trims values and reads a lower-case DELIVRD as delivered, keeping the status as sent', () => {
			expect(parse('{"mid":" M1 ","stat":"delivrd"}')[0]).toMatchObject({ messageId: 'M1', delivered: true, status: 'delivrd', statusText: 'Delivered' });
		});

		it('takes a list of reports and the same fields as a form', () => {
			expect(parse('[{"mid":"A","stat":"DELIVRD"},{"mid":"B","stat":"MA:0001"}]').map((item) => [item.messageId, item.delivered])).toEqual([
				['A', true],
				['B', false],
			]);
			expect(parse('mid=C&stat=EXPIRED')[0]).toMatchObject({ messageId: 'C', delivered: false, status: 'EXPIRED' });
		});

		it.each([
			['{"mid":"M1"}', 'a report needs "mid" and "stat"'],
			['{"stat":"DELIVRD"}', 'a report needs "mid" and "stat"'],
			['{"mid":"","stat":"DELIVRD"}', 'a report needs "mid" and "stat"'],
			['{"mid":{"x":1},"stat":"DELIVRD"}', 'a report needs "mid" and "stat"'],
			['[]', 'the list holds no report'],
			['[1]', 'a report is not a JSON object'],
			['<xml><mid>M1</mid></xml>', '1oc pushes JSON'],
		])('refuses %s', (body, reason) => {
			expect(() => parse(body)).toThrow(PushError);
			expect(() => parse(body)).toThrow(reason);
		});
	});
});
