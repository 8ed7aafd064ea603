/**
 * The Zhuanxinyun node in a real n8n workflow execution (n8n-core's WorkflowExecute, real
 * credential handling, real HTTP) against the vendor simulator on 127.0.0.1; assertions are on
 * the bytes the simulator received and on the node's output items.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';
import { Zhuanxinyun } from '../../nodes/Zhuanxinyun/Zhuanxinyun.node';
import { runNode } from '../helpers/run-node';
import { credentialsFor, useSimulator, ZHUANXINYUN_ACCOUNT, type RecordedRequest } from '../helpers/simulator';

type Recorded = RecordedRequest<{ messages?: Array<{ phone: string; content: string; missionNum: string }> }>;

const TYPE = 'n8n-nodes-cn-sms.zhuanxinyun';
const sim = useSimulator();

const phonesFrom = (start: number, count: number) =>
	Array.from({ length: count }, (_, i) => `139${String(start + i).padStart(8, '0')}`);

const run = runNode({
	type: TYPE,
	node: Zhuanxinyun,
	credential: ZhuanxinyunApi,
	credentials: () => credentialsFor('zhuanxinyun', sim().url),
});

const requests = (): Recorded[] => sim().requests;

describe('Zhuanxinyun send', () => {
	it('sends 5 items of 500 numbers with the same content in 3 sendSms calls', async () => {
		const items = Array.from({ length: 5 }, (_, i) => ({ json: { phones: phonesFrom(i * 500, 500).join(',') } }));
		const { output, error } = await run({ operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】您的订单已发货' }, items);
		expect(error).toBeUndefined();

		const calls = requests();
		expect(calls.map((call) => call.operation)).toEqual(['sendSms', 'sendSms', 'sendSms']);
		expect(calls.map((call) => call.params.phones.split(',').length)).toEqual([1000, 1000, 500]);
		for (const call of calls) {
			expect(call.path).toBe('/api/v2/sendSms.json');
			expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
			expect(call.params.appKey).toBe(ZHUANXINYUN_ACCOUNT.appKey);
			expect(call.params.appSecret).toBe(ZHUANXINYUN_ACCOUNT.appSecret);
			// Secrets travel in the form body, never in the URL.
			expect(call.query).toEqual({});
			expect(call.params.content).toBe('【云锋网络】您的订单已发货');
			expect(call.params.missionNums.split(',')).toHaveLength(call.params.phones.split(',').length);
			expect(call.params.batchNum).toMatch(/^[A-Za-z0-9]{1,32}$/);
			expect(JSON.parse(call.response.body)).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
		}
		expect(new Set(calls.map((call) => call.params.batchNum)).size).toBe(3);

		const sentPhones = calls.flatMap((call) => call.params.phones.split(','));
		const sentMissions = calls.flatMap((call) => call.params.missionNums.split(','));
		expect(sentPhones).toEqual(phonesFrom(0, 2500));
		expect(new Set(sentMissions).size).toBe(2500);

		expect(output).toHaveLength(5);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ vendor: 'zhuanxinyun', operation: 'send', success: true });
			const recipients = item.json.recipients as Array<{ phone: string; accepted: boolean; messageId: string; status: string }>;
			expect(recipients.map((recipient) => recipient.phone)).toEqual(phonesFrom(index * 500, 500));
			for (const recipient of recipients) {
				expect(recipient.accepted).toBe(true);
				expect(recipient.status).toBe('000000');
				// The messageId is the mission number the vendor's status report will carry back.
				expect(recipient.messageId).toBe(sentMissions[sentPhones.indexOf(recipient.phone)]);
			}
		});
		expect(output.map((item) => item.json.messageId)).toEqual([0, 0, 1, 1, 2].map((call) => calls[call].params.batchNum));
	});

	it('keeps different contents in different calls, and splits one item of 1001 numbers in two', async () => {
		const { output, error } = await run({ operation: 'send', phones: '={{ $json.phones }}', content: '={{ $json.content }}' }, [
			{ json: { phones: phonesFrom(0, 1001).join('\n'), content: '【云锋网络】A' } },
			{ json: { phones: '+8613800138000', content: '【云锋网络】B' } },
		]);
		expect(error).toBeUndefined();
		expect(requests().map((call) => [call.params.content, call.params.phones.split(',').length])).toEqual([
			['【云锋网络】A', 1000],
			['【云锋网络】A', 1],
			['【云锋网络】B', 1],
		]);
		expect(requests()[2].params.phones).toBe('13800138000');
		expect(output.map((item) => item.json.success)).toEqual([true, true]);
		// The first item spans two calls: both batch ids, both answers.
		expect(output[0].json.messageId).toBe(`${requests()[0].params.batchNum},${requests()[1].params.batchNum}`);
		expect(output[0].json.raw).toHaveLength(2);
		expect(output[1].json.raw).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
	});

	it('passes the user\'s batch number, mission numbers and extension through', async () => {
		const { output, error } = await run(
			{
				operation: 'send',
				phones: '13800138000;13900139000',
				content: '【云锋网络】验证码123456',
				options: { batchNum: 'order42', missionNums: 'a1, b2', extraNum: '01' },
			},
			[{ json: {} }],
		);
		expect(error).toBeUndefined();
		expect(requests()[0].params).toMatchObject({ batchNum: 'order42', missionNums: 'a1,b2', extraNum: '01', phones: '13800138000,13900139000' });
		expect(output[0].json).toMatchObject({ messageId: 'order42', recipients: [{ messageId: 'a1' }, { messageId: 'b2' }] });
	});

	// The document's own samples use mission_001 and arthur_001.
	it('takes mission numbers with underscores, split like phones (full-width separators too)', async () => {
		const { output, error } = await run(
			{ operation: 'send', phones: '13800138000，13900139000；13700137000', content: '【云锋网络】x', options: { missionNums: 'mission_001，mission_002；arthur_001' } },
			[{ json: {} }],
		);
		expect(error).toBeUndefined();
		expect(requests()[0].params).toMatchObject({ phones: '13800138000,13900139000,13700137000', missionNums: 'mission_001,mission_002,arthur_001' });
		expect((output[0].json.recipients as Array<{ messageId: string }>).map((r) => r.messageId)).toEqual(['mission_001', 'mission_002', 'arthur_001']);
	});

	it('sends a US number written without its plus nowhere: 12125550123 is not a mainland mobile', async () => {
		const { error } = await run({ operation: 'send', phones: '12125550123', content: '【云锋网络】x' }, [{ json: {} }]);
		expect(error!.message).toContain('Phone 12125550123 on item 0 is not a mainland mobile number');
		expect(requests()).toHaveLength(0);
	});

	it('validates every item before sending: one bad number means nothing is sent', async () => {
		const { error, output } = await run({ operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】x' }, [
			{ json: { phones: '13800138000' } },
			{ json: { phones: '13900139000, 1380013800' } },
		]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Phone 1380013800 on item 1 has 10 digits; a mainland mobile number has 11 digits and starts with 1');
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(0);
	});

	it.each([
		[{ content: '  ' }, 'Content is empty on item 0'],
		[{ content: '您的验证码是123456' }, 'must begin with your registered signature'],
		[{ options: { batchNum: 'has space' } }, 'Batch number has space on item 0 is not allowed'],
		[{ options: { missionNums: 'only1' } }, 'Item 0 has 1 mission numbers for 2 distinct phones'],
		[{ options: { missionNums: 'a-1,b_2' } }, 'Mission number a-1 on item 0 is not allowed'],
		[{ options: { extraNum: '12ab' } }, 'Extension number 12ab on item 0 is not allowed'],
		[{ phones: phonesFrom(0, 1001).join(','), options: { batchNum: 'fixed1' } }, 'Batch number fixed1 would need 2 vendor calls'],
	])('refuses bad input before sending anything: %#', async (override, message) => {
		const { error } = await run({ operation: 'send', phones: '13800138000,13900139000', content: '【云锋网络】x', ...override }, [{ json: {} }]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toContain(message);
		expect(requests()).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item gets its error and the others are sent', async () => {
		const { error, output } = await run(
			{ operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】x' },
			[{ json: { phones: '13800138000' } }, { json: { phones: '12345' } }, { json: { phones: '13900139000' } }],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(requests()[0].params.phones).toBe('13800138000,13900139000');
		expect(output[0].json.success).toBe(true);
		expect(output[1].json).toEqual({ error: expect.stringContaining('Phone 12345 on item 1'), details: expect.stringContaining('Nothing was sent.') });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json.success).toBe(true);
	});

	it('turns a vendor error into an English message that keeps the code and the vendor text, without the secret', async () => {
		const secret = 'wrong-secret-value-123';
		const { error } = await run({ operation: 'send', phones: '13800138000', content: '【云锋网络】x' }, [{ json: {} }], { credentials: { appSecret: secret } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Zhuanxinyun error 100003: The App Secret is wrong (appSecret错误)');
		expect((error as NodeApiError).description).toContain('Check the App Secret');
		expect(JSON.stringify(error)).not.toContain(secret);
		expect(`${error!.message} ${(error as NodeApiError).description} ${error!.stack}`).not.toContain(secret);
	});

	it('says what to do when the host is not on the IP whitelist', async () => {
		const { error } = await run({ operation: 'getBalance' }, [{ json: {} }], { credentials: { appKey: ZHUANXINYUN_ACCOUNT.blockedAppKey } });
		expect(error!.message).toContain('Zhuanxinyun error 100004');
		expect((error as NodeApiError).description).toContain('whitelist');
	});

	it('with Continue On Fail, a vendor error lands on the recipients of the failed call', async () => {
		sim().configure({ zhuanxinyun: { balance: 1500 } });
		const items = Array.from({ length: 2 }, (_, i) => ({ json: { phones: phonesFrom(i * 1000, 1000).join(',') } }));
		const { output, error } = await run({ operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】x', options: { concurrency: 1 } }, items, {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output[0].json.success).toBe(true);
		expect(output[1].json.success).toBe(false);
		expect(output[1].json.error).toContain('Zhuanxinyun error 100009');
		const failed = output[1].json.recipients as Array<{ accepted: boolean; error: string }>;
		expect(failed.every((recipient) => !recipient.accepted && recipient.error.includes('100009'))).toBe(true);
	});

	it('says that some calls were already accepted when a later one fails', async () => {
		sim().configure({ zhuanxinyun: { balance: 1500 } });
		const items = Array.from({ length: 2 }, (_, i) => ({ json: { phones: phonesFrom(i * 1000, 1000).join(',') } }));
		const { error } = await run({ operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】x', options: { concurrency: 1 } }, items);
		expect(error!.message).toContain('100009');
		expect((error as NodeApiError).description).toContain('1 of 2 vendor calls (1000 numbers) had been accepted');
	});

	it('reports an unreachable vendor as not sent', async () => {
		const { error } = await run({ operation: 'send', phones: '13800138000', content: '【云锋网络】x', options: { timeout: 2000 } }, [{ json: {} }], {
			credentials: { baseUrl: 'http://127.0.0.1:9' },
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Could not reach Zhuanxinyun at 127.0.0.1:9 (connection refused); nothing was sent');
	});
});

describe('Zhuanxinyun message segments', () => {
	const long = `【云锋网络】${'您的订单已发货'.repeat(10)}`; // 76 characters: 2 SMS

	it('gives every recipient the SMS its message is billed as, and the item their total', async () => {
		const { output, error } = await run({ operation: 'send', phones: '={{ $json.phones }}', content: '={{ $json.content }}' }, [
			{ json: { phones: '13800138000,13900139000', content: long } },
			{ json: { phones: '13700137000', content: '【云锋网络】短' } },
		]);
		expect(error).toBeUndefined();
		expect(long).toHaveLength(76);
		expect(output[0].json).toMatchObject({ success: true, segments: 4, recipients: [{ segments: 2 }, { segments: 2 }] });
		expect(output[1].json).toMatchObject({ segments: 1, recipients: [{ segments: 1 }] });
	});

	it('counts each template message on its own', async () => {
		const { output } = await run(
			{ operation: 'sendTemplate', templateId: '27', phones: '13800138000', content: '=【云锋网络】您好,这是测试{{ $json.code }}' },
			[{ json: { code: '1' } }, { json: { code: 'x'.repeat(100) } }],
		);
		expect(output.map((item) => item.json.segments)).toEqual([1, 2]);
	});

	it('refuses, before anything is sent, an item whose message is longer than Max Segments, naming it and its length', async () => {
		const { error } = await run(
			{ operation: 'send', phones: '13800138000', content: '={{ $json.content }}', options: { maxSegments: 1 } },
			[{ json: { content: '【云锋网络】短' } }, { json: { content: long } }],
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Content on item 1 is 76 characters long, 2 SMS, more than Max Segments (1)');
		expect((error as NodeOperationError).description).toContain('Nothing was sent');
		expect(requests()).toHaveLength(0);

		const { error: fits } = await run({ operation: 'send', phones: '13800138000', content: long, options: { maxSegments: 2 } }, [{ json: {} }]);
		expect(fits).toBeUndefined();
		expect(requests()).toHaveLength(1);
	});
});

describe('Zhuanxinyun sendTemplate', () => {
	it('sends 5 items with different contents in 3 sendTplSms calls, one message per number', async () => {
		const items = Array.from({ length: 5 }, (_, i) => ({
			json: { phones: phonesFrom(i * 500, 500), code: `${i}, a+b c%` },
		}));
		const { output, error } = await run(
			{ operation: 'sendTemplate', templateId: '27', phones: '={{ $json.phones }}', content: '=【云锋网络】您好,这是测试{{ $json.code }}' },
			items,
		);
		expect(error).toBeUndefined();
		const calls = requests();
		expect(calls.map((call) => call.operation)).toEqual(['sendTplSms', 'sendTplSms', 'sendTplSms']);
		expect(calls.map((call) => call.params.phones.split(',').length)).toEqual([1000, 1000, 500]);
		// Each message is URL-encoded on its own before the form encoding: commas inside survive.
		expect(calls[0].params.content.split(',')).toHaveLength(1000);
		expect(calls[0].params.content.split(',')[0]).toBe(encodeURIComponent('【云锋网络】您好,这是测试0, a+b c%').replace(/%20/g, '+'));
		const messages = calls.flatMap((call) => call.detail!.messages!);
		expect(messages).toHaveLength(2500);
		expect(messages[0]).toMatchObject({ phone: phonesFrom(0, 1)[0], content: '【云锋网络】您好,这是测试0, a+b c%' });
		expect(messages[2499]).toMatchObject({ phone: phonesFrom(2499, 1)[0], content: '【云锋网络】您好,这是测试4, a+b c%' });
		expect(calls.every((call) => call.params.templateId === '27')).toBe(true);
		expect(output.map((item) => item.json.success)).toEqual([true, true, true, true, true]);
		expect((output[0].json.recipients as unknown[]).length).toBe(500);
	});

	it('keeps the vendor code when the content does not match the template', async () => {
		const { error } = await run({ operation: 'sendTemplate', templateId: '27', phones: '13800138000', content: '【云锋网络】别的内容' }, [{ json: {} }]);
		expect(error!.message).toBe('Zhuanxinyun error 100013: The message does not match the template (短信内容与模板不匹配)');
	});

	it('refuses an empty template id before sending', async () => {
		const { error } = await run({ operation: 'sendTemplate', templateId: ' ', phones: '13800138000', content: '【云锋网络】x' }, [{ json: {} }]);
		expect(error!.message).toBe('Template ID is empty on item 0');
		expect(requests()).toHaveLength(0);
	});
});

describe('Zhuanxinyun queries', () => {
	it('reads the balance as a number of messages', async () => {
		sim().configure({ zhuanxinyun: { balance: 4321 } });
		const { output, error } = await run({ operation: 'getBalance' }, [{ json: {} }]);
		expect(error).toBeUndefined();
		expect(output[0].json).toEqual({
			vendor: 'zhuanxinyun',
			operation: 'getBalance',
			balance: 4321,
			unit: 'messages',
			raw: { count: 4321, errorCode: '000000', errorMsg: '获取成功' },
		});
		expect(requests()[0]).toMatchObject({ operation: 'querySmsCount', query: {} });
	});

	it('gives one item per status report of the day, in the push trigger\'s item shape', async () => {
		await run({ operation: 'send', phones: '13800138000,13900000000', content: '【云锋网络】x', options: { missionNums: 'ok1,bad1', batchNum: 'b42' } }, [{ json: {} }]);
		const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
		sim().configure({ zhuanxinyun: { reports: [{ phone: '13700137000', missionNum: 'old1', realStatus: null, statTime: '2026-11-07 10:00:00' }] } });
		const { output, error } = await run({ operation: 'getStatusReports', date: today }, [{ json: {} }]);
		expect(error).toBeUndefined();
		expect(requests()[1].params.time).toBe(today);
		expect(output).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(output[0].json).toEqual({
			vendor: 'zhuanxinyun',
			event: 'delivery',
			phone: '13800138000',
			messageId: 'ok1',
			batchId: 'b42',
			delivered: true,
			status: 'DELIVRD',
			statusText: 'Delivered',
			receivedAt: expect.stringMatching(new RegExp(`^${today}T\\d{2}:\\d{2}:\\d{2}\\+08:00$`)),
			raw: expect.objectContaining({ mission_num: 'ok1', dest_id: '13800138000', receive_real_status: 'DELIVRD' }),
		});
		expect(output[1].json).toMatchObject({ messageId: 'bad1', phone: '13900000000', delivered: false, status: 'MK:0001', statusText: 'The number does not exist' });

		// Another day: the record with receive_status SUCCESS and no gateway code is a delivery.
		const { output: older } = await run({ operation: 'getStatusReports', date: '2026-11-07' }, [{ json: {} }]);
		expect(older.map((item) => [item.json.messageId, item.json.delivered, item.json.status, item.json.receivedAt])).toEqual([
			['old1', true, 'SUCCESS', '2026-11-07T10:00:00+08:00'],
		]);
	});

	it('gives one item per record for each input item, paired to it', async () => {
		sim().configure({ zhuanxinyun: { reports: [{ phone: '13800138000', missionNum: 'a1', statTime: '2026-11-07 10:00:00' }] } });
		const { output } = await run({ operation: 'getStatusReports', date: '={{ $json.day }}' }, [{ json: { day: '2026-11-07' } }, { json: { day: '2026-11-08' } }, { json: { day: '2026-11-07' } }]);
		expect(output.map((item) => [item.json.messageId, item.pairedItem])).toEqual([
			['a1', { item: 0 }],
			['a1', { item: 2 }],
		]);
	});

	it('gives no items for an answer without records, and one empty item with Always Output Data', async () => {
		const { output, error } = await run({ operation: 'getStatusReports', date: '2026-11-07' }, [{ json: {} }]);
		expect(error).toBeUndefined();
		expect(output).toEqual([]);
		const { output: replies } = await run({ operation: 'getReplies' }, [{ json: {} }]);
		expect(replies).toEqual([]);
		const always = await run({ operation: 'getReplies' }, [{ json: {} }], { alwaysOutputData: true });
		expect(always.output).toEqual([expect.objectContaining({ json: {} })]);
	});

	it('refuses a date that is not yyyy-MM-dd', async () => {
		const { error } = await run({ operation: 'getStatusReports', date: '07/11/2017' }, [{ json: {} }]);
		expect(error!.message).toBe('Date 07/11/2017 on item 0 is not a day in the form yyyy-MM-dd');
		expect(requests()).toHaveLength(0);
	});

	it('gives one item per reply, in the push trigger\'s item shape', async () => {
		sim().configure({
			zhuanxinyun: {
				replies: [
					{ phone: '13800138000', content: '收到', destId: '106901234512', time: '2026-11-07 10:00:01' },
					{ phone: '8613900139000', content: 'TD', time: '2026-11-07 10:00:02' },
				],
			},
		});
		const { output, error } = await run({ operation: 'getReplies' }, [{ json: {} }]);
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json)).toEqual([
			{
				vendor: 'zhuanxinyun',
				event: 'reply',
				phone: '13800138000',
				content: '收到',
				extension: '106901234512',
				receivedAt: '2026-11-07T10:00:01+08:00',
				raw: { src_id: '8613800138000', content: '收到', dest_id: '106901234512', recv_time: '2026-11-07 10:00:01' },
			},
			expect.objectContaining({ event: 'reply', phone: '13900139000', content: 'TD', receivedAt: '2026-11-07T10:00:02+08:00' }),
		]);
		expect(requests()[0]).toMatchObject({ operation: 'queryMoRecord', query: {} });
	});

	it('fetches the replies of a send', async () => {
		sim().configure({ autoReply: true });
		await run({ operation: 'send', phones: '13800138000', content: '【云锋网络】x' }, [{ json: {} }]);
		const deadline = Date.now() + 3000;
		let records: Array<Record<string, unknown>> = [];
		while (Date.now() < deadline && records.length === 0) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			const { output } = await run({ operation: 'getReplies' }, [{ json: {} }]);
			records = output.map((item) => item.json);
		}
		sim().configure({ autoReply: false });
		expect(records[0]).toMatchObject({ event: 'reply', phone: '13800138000', content: '收到' });
	});
});
