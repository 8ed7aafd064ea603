/**
 * The Chonry node in a real n8n workflow execution (n8n-core's WorkflowExecute, real credential
 * handling, real HTTP) against the vendor simulator on 127.0.0.1; assertions are on the bytes the
 * simulator received and on the node's output items.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { ChonryApi } from '../../credentials/ChonryApi.credentials';
import { Chonry } from '../../nodes/Chonry/Chonry.node';
import { javaUrlEncode } from '../../nodes/Chonry/chonry.vendor';
import { runNode } from '../helpers/run-node';
import { ACCOUNTS, credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';

type Recorded = RecordedRequest<{ mode?: string; batchId?: string; reason?: string; messages?: Array<{ phone: string; content: string; text: string }> }>;

const TYPE = 'n8n-nodes-cn-sms.chonry';
const ACCOUNT = ACCOUNTS.chonry as { accessKey: string; secret: string; blockedAccessKey: string };
/** Nothing listens there: a call to the wrong base URL fails. */
const NOWHERE = 'http://127.0.0.1:9';
const sim = useSimulator();

/** International numbers 86139xxxxxxxx, and how the node gives them back (without the 86). */
const intl = (start: number, count: number) => Array.from({ length: count }, (_, i) => `86139${String(start + i).padStart(8, '0')}`);
const local = (phones: string[]) => phones.map((phone) => phone.slice(2));

// Sends go to the international base URL, the balance to the other one: both point at the simulator.
const run = runNode({
	type: TYPE,
	node: Chonry,
	credential: ChonryApi,
	credentials: () => credentialsFor('chonry', sim().url),
});

const requests = (): Recorded[] => sim().requests;
const send = (parameters: INodeParameters) => ({ operation: 'send', templateId: '200', variables: ['4711', '5'], ...parameters });

describe('Chonry send', () => {
	it('posts one form to the international base URL, content URL-encoded before the form encoding, as the vendor sample does', async () => {
		const { output, error } = await run(
			send({ phones: '+8613800138000, 00447911123456', sign: '123', variables: ['A+B 100%', '5'] }),
			[{ json: {} }],
			{ credentials: { baseUrl: NOWHERE } },
		);
		expect(error).toBeUndefined();
		const [call] = requests();
		expect(requests()).toHaveLength(1);
		expect(call).toMatchObject({ operation: 'send', path: '/intl/api/v2/send', query: {} });
		expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
		// The exact bytes: `%` of the first encoding is `%25` after the second, `+` (a space) is `%2B`.
		expect(call.body).toBe(
			'templateId=200&sign=123&mobile=8613800138000%2C447911123456&content=A%252BB%2B100%2525%2523%25235&accesskey=sim-chonry-key&secret=sim-chonry-secret',
		);
		expect(call.params.content).toBe(javaUrlEncode('A+B 100%##5'));
		expect(call.detail!.messages!.map((m) => m.text)).toEqual([
			'Your verification code is A+B 100%, valid for 5 minutes.',
			'Your verification code is A+B 100%, valid for 5 minutes.',
		]);
		const batchId = call.detail!.batchId;
		expect(batchId).toMatch(/^[A-Za-z0-9]{7}$/);
		expect(output).toEqual([
			{
				json: {
					vendor: 'chonry',
					operation: 'send',
					success: true,
					recipients: [
						{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '0', batchId },
						{ phone: '447911123456', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '0', batchId },
					],
					messageId: batchId,
					raw: { code: '0', msg: 'SUCCESS', batchId },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends 60,000 numbers with the same variables in 2 calls of mobile + content (50,000 + 10,000)', async () => {
		const items = [0, 1, 2].map((i) => ({ json: { phones: intl(i * 20000, 20000) } }));
		const { output, error } = await run(send({ phones: '={{ $json.phones }}' }), items);
		expect(error).toBeUndefined();
		// Calls run concurrently: put them back in the order of their numbers.
		const calls = [...requests()].sort((a, b) => a.params.mobile.localeCompare(b.params.mobile));
		expect(calls.map((call) => [call.detail!.mode, call.params.mobile.split(',').length])).toEqual([
			['bulk', 50000],
			['bulk', 10000],
		]);
		expect(calls.flatMap((call) => call.params.mobile.split(','))).toEqual(intl(0, 60000));
		for (const call of calls) {
			expect(call.params.content).toBe('4711%23%235');
			expect(call.params).not.toHaveProperty('data');
			expect(JSON.parse(call.response.body)).toEqual({ code: '0', msg: 'SUCCESS', batchId: call.detail!.batchId });
		}
		const [first, second] = calls.map((call) => call.detail!.batchId!);
		expect(output.map((item) => item.json.messageId)).toEqual([first, first, `${first},${second}`]);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.success).toBe(true);
			const recipients = item.json.recipients as Array<{ phone: string; batchId: string }>;
			expect(recipients.map((recipient) => recipient.phone)).toEqual(local(intl(index * 20000, 20000)));
		});
		const last = output[2].json.recipients as Array<{ batchId: string }>;
		expect([last[9999].batchId, last[10000].batchId]).toEqual([first, second]);
		expect(output[2].json.raw).toHaveLength(2);
	});

	it('sends items with their own variables in one personalized call through data', async () => {
		const items = [
			{ json: { phone: '+8613700000000', name: '先生', at: '9:40', by: '快递公司', no: '1234567' } },
			{ json: { phone: '8613700000001', name: '女士', at: '10:10', by: 'A&B + Co. 100%', no: '000000' } },
			{ json: { phone: '+447911123456', name: 'Ms. Smith', at: '11:00', by: 'DHL', no: '42' } },
		];
		const { output, error } = await run(
			{
				operation: 'send',
				templateId: '100',
				sign: '123',
				phones: '={{ $json.phone }}',
				variables: ['={{ $json.name }}', '={{ $json.at }}', '={{ $json.by }}', '={{ $json.no }}'],
			},
			items,
		);
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		const [call] = requests();
		const json =
			'{"8613700000000":"先生##9:40##快递公司##1234567","8613700000001":"女士##10:10##A&B + Co. 100%##000000","447911123456":"Ms. Smith##11:00##DHL##42"}';
		expect(call.params).toEqual({ templateId: '100', sign: '123', data: javaUrlEncode(json), accesskey: ACCOUNT.accessKey, secret: ACCOUNT.secret });
		expect(call.body).toContain(`&data=${encodeURIComponent(javaUrlEncode(json))}&`);
		expect(call.detail!.mode).toBe('personalized');
		expect(call.detail!.messages!.map((m) => m.text)).toEqual([
			'先生您好,您的订单于9:40已通过快递公司发货,运单号1234567',
			'女士您好,您的订单于10:10已通过A&B + Co. 100%发货,运单号000000',
			'Ms. Smith您好,您的订单于11:00已通过DHL发货,运单号42',
		]);
		expect(output.map((item) => [item.json.success, (item.json.recipients as Array<{ phone: string }>)[0].phone, item.json.messageId])).toEqual([
			[true, '13700000000', call.detail!.batchId],
			[true, '13700000001', call.detail!.batchId],
			[true, '447911123456', call.detail!.batchId],
		]);
	});

	it('passes the schedule time (China time; an ISO time converted) and the sender ID on', async () => {
		const inAnHour = new Date(Date.now() + 3600e3);
		const china = new Date(inAnHour.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
		const { error } = await run(send({ phones: '8613800138000', options: { scheduleSendTime: inAnHour.toISOString(), senderId: 'SimShop' } }));
		expect(error).toBeUndefined();
		expect(requests()[0].params).toMatchObject({ scheduleSendTime: china, senderId: 'SimShop' });
		expect(requests()[0].body).toContain(`&scheduleSendTime=${encodeURIComponent(china).replace(/%20/g, '+')}&senderId=SimShop&`);
	});

	it.each([
		['an n8n date from an expression', '={{ $now.plus({ hours: 2 }) }}'],
		['an ISO time without an offset, read as China time', '={{ $now.setZone("Asia/Shanghai").plus({ hours: 2 }).toFormat("yyyy-MM-dd\'T\'HH:mm:ss") }}'],
	])('sends %s in China time', async (_, expression) => {
		const before = Date.now();
		const { error } = await run(send({ phones: '8613800138000', options: { scheduleSendTime: expression } }));
		expect(error).toBeUndefined();
		const sent = requests()[0].params.scheduleSendTime;
		expect(sent).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		// Read back as China time, it is two hours from now.
		const at = Date.parse(`${sent.replace(' ', 'T')}+08:00`);
		expect(at - before).toBeGreaterThanOrEqual(2 * 3600e3 - 1000);
		expect(at - before).toBeLessThan(2 * 3600e3 + 60e3);
	});

	it('sends 12125550123, written as the vendor table writes numbers, to +1 and not to +86', async () => {
		const { output, error } = await run(send({ phones: '12125550123, 13800138000' }));
		expect(error).toBeUndefined();
		expect(requests()[0].params.mobile).toBe('12125550123,8613800138000');
		expect((output[0].json.recipients as Array<{ phone: string }>).map((r) => r.phone)).toEqual(['12125550123', '13800138000']);
	});

	it('says when the vendor gave no batch id, as in its document sample', async () => {
		sim().configure({ chonry: { emptyBatchId: true } });
		const { output, error } = await run(send({ phones: '8613800138000' }));
		expect(error).toBeUndefined();
		expect(output[0].json).toEqual({
			vendor: 'chonry',
			operation: 'send',
			success: true,
			recipients: [{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '0' }],
			raw: { code: '0', msg: 'SUCCESS', batchId: '' },
		});
	});

	it('validates every item before sending: one bad number means nothing is sent', async () => {
		const { error, output } = await run(send({ phones: '={{ $json.phones }}' }), [{ json: { phones: '8613800138000' } }, { json: { phones: '+44 7911, 8613900139000' } }]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			'Phone +44 on item 1 is not an international number; give the country code and number, 7 to 15 digits in all, such as +8613800138000',
		);
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(0);
	});

	// Item 0 is fine; item 1 has one bad value. Nothing may be sent.
	const fine = { templateId: '200', v1: '4711', v2: '5', schedule: '', sender: '' };
	it.each([
		[{ templateId: ' ' }, 'Template ID is empty on item 1'],
		[{ v1: 'a##b' }, 'Variable 1 on item 1 ("a##b") contains ##, which the vendor uses to separate variables'],
		[{ v2: 'US$$5' }, 'Variable 2 on item 1 ("US$$5") contains $$, which the vendor uses to separate variables'],
		[{ v2: '' }, 'Variable 2 on item 1 ("") is empty; every placeholder of the template needs a value'],
		[{ schedule: '2026/12/01 18:00' }, 'Schedule send time 2026/12/01 18:00 on item 1 is not in the form yyyy-MM-dd HH:mm:ss (China time)'],
		[{ schedule: '2020-01-01 08:00:00' }, 'Schedule send time 2020-01-01 08:00:00 on item 1 is in the past (it is now '],
		[{ schedule: '2031-02-29 08:00:00' }, 'Schedule send time 2031-02-29 08:00:00 on item 1 is not a real date and time'],
		[{ sender: 'A very long sender' }, 'Sender ID A very long sender on item 1 is not allowed: use up to 11 letters'],
	])('refuses bad input on any item before sending anything: %j', async (override, message) => {
		const { error, output } = await run(
			{
				operation: 'send',
				phones: '8613800138000',
				templateId: '={{ $json.templateId }}',
				variables: ['={{ $json.v1 }}', '={{ $json.v2 }}'],
				options: { scheduleSendTime: '={{ $json.schedule }}', senderId: '={{ $json.sender }}' },
			},
			[{ json: fine }, { json: { ...fine, ...override } }],
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toContain(message);
		expect((error as NodeOperationError).description).toBe('Nothing was sent.');
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item gets its error and the others are sent', async () => {
		const { error, output } = await run(
			send({ phones: '={{ $json.phones }}', variables: ['={{ $json.code }}', '5'] }),
			[{ json: { phones: '8613800138000', code: '1' } }, { json: { phones: '8613900139000', code: 'x##y' } }, { json: { phones: '447911123456', code: '3' } }],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(requests()[0].detail!.messages!.map((m) => [m.phone, m.content])).toEqual([
			['8613800138000', '1##5'],
			['447911123456', '3##5'],
		]);
		expect(output[0].json.success).toBe(true);
		expect(output[1].json).toEqual({ error: 'Variable 1 on item 1 ("x##y") contains ##, which the vendor uses to separate variables', details: expect.stringContaining('Nothing was sent.') });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json.success).toBe(true);
	});

	it("turns a vendor error into an English message that keeps the vendor's code and text, without the secret", async () => {
		const secret = 'wrong-secret-value-123';
		const { error } = await run(send({ phones: '8613800138000' }), [{ json: {} }], { credentials: { secret } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Chonry error 9006: The Access Key or Secret is wrong (用户accessKey不正确)');
		expect((error as NodeApiError).description).toBe('Check the Access Key and Secret in the credential. Nothing was sent.');
		expect(`${JSON.stringify(error)} ${error!.message} ${(error as NodeApiError).description} ${error!.stack}`).not.toContain(secret);
		expect(requests()[0].response.body).toBe('{"code":"9006","msg":"用户accessKey不正确"}');
	});

	it('reports variables that do not fit the template with the vendor code 10006', async () => {
		const { error } = await run(send({ phones: '8613800138000', variables: ['only one'] }));
		expect(error!.message).toBe('Chonry error 10006: The variables do not match the template (模版和内容不匹配)');
		expect((error as NodeApiError).description).toContain('one variable per placeholder');
	});

	it('with Continue On Fail, a vendor error lands on the recipients of the failed call only', async () => {
		const { output, error } = await run(
			send({ phones: '={{ $json.phone }}', templateId: '={{ $json.template }}' }),
			[{ json: { phone: '8613800138000', template: '200' } }, { json: { phone: '8613900139000', template: '999' } }],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests().map((call) => call.params.templateId)).toEqual(['200', '999']);
		expect(output[0].json.success).toBe(true);
		expect(output[1].json).toMatchObject({
			success: false,
			error: 'Chonry error 9017: The template ID is not valid (无效的模板ID)',
			recipients: [{ phone: '13900139000', accepted: false, error: 'Chonry error 9017: The template ID is not valid (无效的模板ID)' }],
		});
	});

	it('reports an unreachable international base URL as not sent', async () => {
		const { error } = await run(send({ phones: '8613800138000', options: { timeout: 2000 } }), [{ json: {} }], { credentials: { intlBaseUrl: NOWHERE } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Could not reach Chonry at 127.0.0.1:9 (connection refused); nothing was sent');
	});
});

describe('Chonry getBalance', () => {
	it('reads the international SMS figure from the account call on the base URL, keeping every product in raw', async () => {
		await run(send({ phones: intl(0, 3).join(',') })); // 3 messages at 0.05 CNY in the simulator
		const { output, error } = await run({ operation: 'getBalance' }, [{ json: {} }], { credentials: { intlBaseUrl: NOWHERE } });
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{
				json: {
					vendor: 'chonry',
					operation: 'getBalance',
					balance: 4999.85,
					unit: 'CNY',
					raw: {
						code: '0',
						msg: 'SUCCESS',
						data: { 营销短信: 0, 语音验证码: 0, 国际短信: '4999.85', 语音通知: '98.00', 接口短信: 0, 私密通话: '.00', 国际语音验证码: '99.26' },
					},
				},
				pairedItem: { item: 0 },
			},
		]);
		const call = requests()[1];
		expect(call).toMatchObject({ operation: 'queryAccount', path: '/query/account', query: {} });
		expect(call.body).toBe('accesskey=sim-chonry-key&secret=sim-chonry-secret');
	});

	it('reads ".00" as 0', async () => {
		sim().configure({ chonry: { balance: 0 } });
		const { output } = await run({ operation: 'getBalance' });
		expect(output[0].json.balance).toBe(0);
		expect((output[0].json.raw as { data: IDataObject }).data['国际短信']).toBe('.00');
	});

	it("says what to do when the host is not on the account's IP whitelist", async () => {
		const { error } = await run({ operation: 'getBalance' }, [{ json: {} }], { credentials: { accessKey: ACCOUNT.blockedAccessKey } });
		expect(error!.message).toBe("Chonry error 9007: This n8n host's IP address is not on the account's IP whitelist (IP白名单限制)");
		expect((error as NodeApiError).description).toContain('IP whitelist in the Chonry console');
	});
});
