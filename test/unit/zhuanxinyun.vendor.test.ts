import * as zxy from '../../nodes/Zhuanxinyun/zhuanxinyun.vendor';
import { PlanError } from '../../nodes/shared/adapter';
import { parsePushBody, PushError } from '../../nodes/shared/push';

let counter = 0;
const newId = () => `id${++counter}`;
beforeEach(() => {
	counter = 0;
});

describe('Zhuanxinyun vendor module', () => {
	describe('findFailure', () => {
		it('accepts 000000 as a string only', () => {
			expect(zxy.findFailure({ statusCode: 200, body: { errorCode: '000000', errorMsg: '提交成功' } })).toBeUndefined();
			expect(zxy.findFailure({ statusCode: 200, body: { errorCode: 0, errorMsg: '?' } })).toMatchObject({ code: '0' });
		});

		it.each(Object.entries(zxy.ERRORS))('explains %s in English and keeps the vendor text', (code, { zh, en }) => {
			const failure = zxy.findFailure({ statusCode: 200, body: { errorCode: code, errorMsg: zh } });
			expect(failure).toEqual(expect.objectContaining({ code, vendorMessage: zh }));
			expect(failure!.english).toBe(`Zhuanxinyun error ${code}: ${en} (${zh})`);
		});

		it('keeps an unknown code', () => {
			expect(zxy.findFailure({ statusCode: 200, body: { errorCode: '100099', errorMsg: '新错误' } })!.english).toBe(
				'Zhuanxinyun error 100099: unknown error (新错误)',
			);
		});

		it('flags a 200 answer that is not the API', () => {
			expect(zxy.findFailure({ statusCode: 200, body: '<html>portal</html>' })).toMatchObject({ code: 'UNEXPECTED' });
			expect(zxy.findFailure({ statusCode: 502, body: 'bad gateway' })).toBeUndefined();
		});
	});

	describe('planSendSms', () => {
		it('combines items with the same content, up to 1000 numbers a call, with a mission number per phone', () => {
			const phones = (n: number, base: number) => Array.from({ length: n }, (_, i) => String(13900000000 + base + i));
			const calls = zxy.planSendSms(
				[
					{ itemIndex: 0, phones: phones(600, 0), content: '【A】x' },
					{ itemIndex: 1, phones: phones(1, 5000), content: '【A】y' },
					{ itemIndex: 2, phones: phones(600, 1000), content: '【A】x' },
				],
				newId,
			);
			expect(calls.map((call) => [call.request.form!.content, String(call.request.form!.phones).split(',').length])).toEqual([
				['【A】x', 1000],
				['【A】x', 200],
				['【A】y', 1],
			]);
			expect(calls[0].recipients.filter((r) => r.itemIndex === 2)).toHaveLength(400);
			expect(calls[0].request).toMatchObject({ method: 'POST', path: '/api/v2/sendSms.json' });
			const missions = String(calls[0].request.form!.missionNums).split(',');
			expect(missions).toEqual(calls[0].recipients.map((r) => r.messageId));
			expect(calls.every((call) => call.repeatIsRejected)).toBe(true);
			expect(new Set(calls.map((call) => call.batchId)).size).toBe(3);
		});

		it('never reuses a batch number the user gave', () => {
			expect(() =>
				zxy.planSendSms(
					[
						{ itemIndex: 0, phones: ['13800138000'], content: '【A】x', batchNum: 'b1' },
						{ itemIndex: 4, phones: ['13800138001'], content: '【A】y', batchNum: 'b1' },
					],
					newId,
				),
			).toThrow(PlanError);
		});
	});

	describe('planSendTplSms', () => {
		it('encodes each message on its own, Java style, then joins with commas', () => {
			const [call] = zxy.planSendTplSms(
				[
					{ itemIndex: 0, phones: ['13800138000', '13900139000'], templateId: '27', content: '【云锋网络】您好,这是测试1234' },
					{ itemIndex: 1, phones: ['13700137000'], templateId: '27', content: 'a b+c,d%' },
				],
				newId,
			);
			expect(call.request.form).toMatchObject({ phones: '13800138000,13900139000,13700137000', templateId: '27' });
			const encoded = String(call.request.form!.content);
			expect(encoded).toBe(
				[
					'%E3%80%90%E4%BA%91%E9%94%8B%E7%BD%91%E7%BB%9C%E3%80%91%E6%82%A8%E5%A5%BD%2C%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%951234',
					'%E3%80%90%E4%BA%91%E9%94%8B%E7%BD%91%E7%BB%9C%E3%80%91%E6%82%A8%E5%A5%BD%2C%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%951234',
					'a+b%2Bc%2Cd%25',
				].join(','),
			);
			expect(call.recipients.map((r) => r.messageId)).toEqual([call.batchId, call.batchId, call.batchId]);
		});

		it('keeps different templates apart', () => {
			const calls = zxy.planSendTplSms(
				[
					{ itemIndex: 0, phones: ['13800138000'], templateId: '1', content: 'x' },
					{ itemIndex: 1, phones: ['13800138000'], templateId: '2', content: 'x' },
				],
				newId,
			);
			expect(calls.map((call) => call.request.form!.templateId)).toEqual(['1', '2']);
		});
	});

	describe('parsePush', () => {
		const parse = (xml: string) => {
			const { data, format } = parsePushBody(xml);
			return zxy.parsePush(data, format);
		};

		// "真實網關狀態為0或者DELIVRD則編譯為SUCCESS": receive_status SUCCESS alone means delivered.
		it('reads a report whose receive_real_status is missing from receive_status', () => {
			const record = (status: string) =>
				`<xml><body><records><record><mission_num>m</mission_num><dest_id>+8613800138000</dest_id><receive_status>${status}</receive_status></record></records></body></xml>`;
			expect(parse(record('SUCCESS'))[0]).toMatchObject({ phone: '13800138000', delivered: true, status: 'SUCCESS', statusText: 'Delivered' });
			expect(parse(record('FAIL'))[0]).toMatchObject({ delivered: false, status: 'FAIL', statusText: 'Not delivered (gateway status FAIL)' });
		});

		it('decodes character references in a reply', () => {
			const [item] = parse('<xml><head><time_stamp>20160823143033</time_stamp></head><body><dest><src_id>8615058306581</src_id><content>&#27979;&#35797; &amp; ok</content><dest_id>410001123</dest_id></dest></body></xml>');
			expect(item).toMatchObject({ event: 'reply', phone: '15058306581', content: '测试 & ok', receivedAt: '2016-08-23T14:30:33+08:00' });
		});

		it('gives an unknown gateway status its code in the text', () => {
			const [item] = parse('<xml><body><records><record><dest_id>13800138000</dest_id><receive_real_status>XX:9</receive_real_status></record></records></body></xml>');
			expect(item).toMatchObject({ delivered: false, statusText: 'Not delivered (gateway status XX:9)' });
		});

		it('refuses JSON and forms', () => {
			expect(() => zxy.parsePush(parsePushBody('{"a":1}').data, 'json')).toThrow(PushError);
			expect(() => zxy.parsePush(parsePushBody('a=1').data, 'form')).toThrow(PushError);
		});
	});
});

describe('Zhuanxinyun pulled records', () => {
	const report = { mission_num: 'm1', dest_id: '13800138000', receive_status: 'SUCCESS', receive_real_status: 'DELIVRD', batch_num: 'b1', stat_time: '2026-11-07 10:00:00' };

	it.each([
		['data', { errorCode: '000000', data: [report] }],
		['records', { errorCode: '000000', records: [report] }],
		['data.list', { errorCode: '000000', data: { total: 1, list: [report] } }],
		['an XML-like single record', { errorCode: '000000', records: { record: report } }],
		['the only array', { errorCode: '000000', reports: [report] }],
	])('finds the records under %s', (_, body) => {
		expect(zxy.readPulledRecords(body, 'delivery')).toEqual([
			expect.objectContaining({ event: 'delivery', phone: '13800138000', messageId: 'm1', batchId: 'b1', delivered: true, receivedAt: '2026-11-07T10:00:00+08:00' }),
		]);
	});

	it('gives no records for an answer without a list', () => {
		expect(zxy.readPulledRecords({ errorCode: '000000', errorMsg: '获取成功' }, 'delivery')).toEqual([]);
		expect(zxy.readPulledRecords({ errorCode: '000000', data: [] }, 'reply')).toEqual([]);
	});

	it('never drops a record it cannot read whole', () => {
		expect(zxy.readPulledRecords({ data: [{ mission_num: 'm2' }] }, 'delivery')).toEqual([
			expect.objectContaining({ event: 'delivery', phone: null, messageId: 'm2', delivered: false, raw: { mission_num: 'm2' } }),
		]);
		expect(zxy.readPulledRecords({ data: [{ content: 'hi' }] }, 'reply')).toEqual([expect.objectContaining({ event: 'reply', phone: null, content: 'hi' })]);
	});
});

describe('Zhuanxinyun message segments', () => {
	const text = (n: number) => `【云锋网络】${'字'.repeat(n - 6)}`;

	it.each([
		[7, 1],
		[70, 1],
		[71, 2],
		[134, 2],
		[135, 3],
		[201, 3],
		[202, 4],
	])('a message of %i UTF-16 code units, signature included, is %i SMS', (length, segments) => {
		expect(text(length)).toHaveLength(length);
		expect(zxy.segmentsOf(text(length))).toBe(segments);
	});

	it('counts an emoji as 2, as UCS-2 does', () => {
		expect(zxy.segmentsOf(`${text(68)}😀`)).toBe(1);
		expect(zxy.segmentsOf(`${text(69)}😀`)).toBe(2);
	});

	it('carries each recipient\'s count from the plan to the result, and sums them for the item', () => {
		const [call] = zxy.planSendSms([{ itemIndex: 0, phones: ['13800138000', '13900139000'], content: text(71) }], newId);
		const results = zxy.readAnswer(call, { statusCode: 200, body: { errorCode: '000000', errorMsg: '提交成功' } });
		expect(results.map((r) => r.segments)).toEqual([2, 2]);
		expect(zxy.summarizeSegments(results)).toEqual({ segments: 4 });
		const [tpl] = zxy.planSendTplSms(
			[
				{ itemIndex: 0, phones: ['13800138000'], templateId: '27', content: text(10) },
				{ itemIndex: 1, phones: ['13900139000'], templateId: '27', content: text(140) },
			],
			newId,
		);
		expect(zxy.readAnswer(tpl, { statusCode: 200, body: { errorCode: '000000' } }).map((r) => r.segments)).toEqual([1, 3]);
	});
});
