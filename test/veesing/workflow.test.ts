/**
 * The Veesing node in a real n8n workflow execution (n8n-core's WorkflowExecute, real credential
 * handling, real HTTP) against the vendor simulator on 127.0.0.1; assertions are on the bytes the
 * simulator received and on the node's output items.
 */

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { VeesingApi } from '../../credentials/VeesingApi.credentials';
import { Veesing } from '../../nodes/Veesing/Veesing.node';
import { runNode } from '../helpers/run-node';
import { credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { VEESING_ACCOUNT, START_BALANCE, FIRST_TASK_ID } = require('../../simulator/vendors/veesing');

type Recorded = RecordedRequest<{ reason?: string; text?: string }>;

const TYPE = 'n8n-nodes-cn-sms.veesing';
const { appId, appKey } = VEESING_ACCOUNT as Record<string, string>;
// Starts with no response delay; the concurrency tests set one, and it is put back before each test.
const sim = useSimulator();

const phonesFrom = (start: number, count: number) => Array.from({ length: count }, (_, i) => `139${String(start + i).padStart(8, '0')}`);
const requests = (): Recorded[] => sim().requests.filter((r: Recorded) => r.vendor === 'veesing');
/** The form the simulator received, in the order it was sent. */
const formOf = (call: Recorded) => [...new URLSearchParams(call.body)];

const run = runNode({ type: TYPE, node: Veesing, credential: VeesingApi, credentials: () => credentialsFor('veesing', sim().url) });

const SEND = { operation: 'send', templateId: '540', code: '1234' };

describe('Veesing send', () => {
	it('sends one code as the documented form, secrets in the body, and outputs the contract shape', async () => {
		const { output, error } = await run({ ...SEND, phones: '+8613800138000' });
		expect(error).toBeUndefined();

		const [call] = requests();
		expect(requests()).toHaveLength(1);
		expect(call).toMatchObject({ operation: 'send', method: 'POST', path: '/smsApi/verifyCode', query: {} });
		// A real Content-Type (the doc's sample sets a header named "ContentType", a typo).
		expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
		expect(call.headers).not.toHaveProperty('contenttype');
		expect(formOf(call)).toEqual([
			['phone', '13800138000'],
			['templateId', '540'],
			['variables', '1234'],
			['appId', appId],
			['appKey', appKey],
		]);
		expect(call.response.body).toBe(
			`{"returnStatus":"1 ","message":"成功","remainPoint":"${START_BALANCE - 1}","taskId":"${FIRST_TASK_ID}","successCounts":"1"}`,
		);

		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			vendor: 'veesing',
			operation: 'send',
			success: true,
			recipients: [{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: String(FIRST_TASK_ID), status: '1', balance: START_BALANCE - 1 }],
			messageId: String(FIRST_TASK_ID),
			balance: START_BALANCE - 1,
			raw: [
				{ returnStatus: '1 ', message: '成功', remainPoint: String(START_BALANCE - 1), taskId: String(FIRST_TASK_ID), successCounts: '1' },
			],
		});
	});

	it.each([1, 3, 5])(
		'fans 20 numbers out to 20 calls, never more than %i at the simulator at once',
		async (concurrency) => {
			sim().configure({ responseDelayMs: 60 });
			const phones = phonesFrom(0, 20);
			const { output, error } = await run(
				{ ...SEND, phones: '={{ $json.phones }}', options: { concurrency } },
				[{ json: { phones: phones.slice(0, 12).join(',') } }, { json: { phones: phones.slice(12) } }],
			);
			expect(error).toBeUndefined();
			expect(sim().maxInFlight.veesing).toBe(concurrency);

			const calls = requests();
			expect(calls).toHaveLength(20);
			expect(calls.map((call) => call.params.phone).sort()).toEqual(phones);
			expect(calls.every((call) => Object.keys(call.params).sort().join() === 'appId,appKey,phone,templateId,variables')).toBe(true);

			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const recipients = output.map((item) => item.json.recipients as Array<{ phone: string; messageId: string; accepted: boolean }>);
			// Outputs keep the input order whatever order the answers came back in.
			expect(recipients[0].map((r) => r.phone)).toEqual(phones.slice(0, 12));
			expect(recipients[1].map((r) => r.phone)).toEqual(phones.slice(12));
			const taskOf = Object.fromEntries(calls.map((call) => [call.params.phone, JSON.parse(call.response.body).taskId]));
			for (const r of recipients.flat()) expect(r.messageId).toBe(taskOf[r.phone]);
			expect(output[0].json.messageId).toBe(recipients[0].map((r) => r.messageId).join(','));
			expect((output[0].json.raw as unknown[]).length).toBe(12);
			expect((output[1].json.raw as unknown[]).length).toBe(8);
			expect(output.every((item) => item.json.success === true)).toBe(true);
			// The smallest remainPoint is the balance after the last of all 20 sends.
			expect(Math.min(output[0].json.balance as number, output[1].json.balance as number)).toBe(START_BALANCE - 20);
		},
	);

	it.each([
		['1', 'Code 1 on item 0 has 1 digit; Veesing sends codes of 2 to 8 digits'],
		['123456789', 'Code 123456789 on item 0 has 9 digits; Veesing sends codes of 2 to 8 digits'],
		['12a4', 'Code 12a4 on item 0 is not allowed; Veesing sends codes of 2 to 8 digits (0-9) and nothing else'],
		['  ', 'Code is empty on item 0'],
	])('refuses the code %j before sending anything', async (code, message) => {
		const { error, output } = await run({ ...SEND, phones: '13800138000', code });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(message);
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(0);
	});

	it('checks every item before the first call: a bad code on the last item means nothing is sent', async () => {
		const { error } = await run({ ...SEND, phones: '={{ $json.phone }}', code: '={{ $json.code }}' }, [
			{ json: { phone: '13800138000', code: '1234' } },
			{ json: { phone: '13900139000', code: 12345678 } },
			{ json: { phone: '13700137000', code: 1 } },
		]);
		expect(error!.message).toBe('Code 1 on item 2 has 1 digit; Veesing sends codes of 2 to 8 digits');
		expect(requests()).toHaveLength(0);
	});

	it.each([
		[{ templateId: ' ' }, 'Template ID is empty on item 0'],
		[{ templateId: 'T540' }, 'Template ID T540 on item 0 is not allowed: Veesing template IDs are numbers, such as 540'],
		[{ phones: '13800138000, 1380013800' }, 'Phone 1380013800 on item 0 has 10 digits; a mainland mobile number has 11 digits and starts with 1'],
	])('refuses other bad input before sending: %#', async (override, message) => {
		const { error } = await run({ ...SEND, phones: '13800138000', ...override });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(message);
		expect(requests()).toHaveLength(0);
	});

	it('refuses a number given on two items before sending: the vendor takes one code a minute per number', async () => {
		const { error } = await run({ ...SEND, phones: '={{ $json.phones }}' }, [{ json: { phones: '13800138000' } }, { json: { phones: '13900139000;+8613800138000' } }]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			'Phone 13800138000 is on items 0 and 1; Veesing sends a number at most one code a minute, so the second would be refused. Give each number once',
		);
		expect(requests()).toHaveLength(0);
	});

	it('with Continue On Fail, bad items carry their error and the others are sent', async () => {
		const { error, output } = await run(
			{ ...SEND, phones: '={{ $json.phones }}', code: '={{ $json.code }}' },
			[
				{ json: { phones: '13800138000', code: '1234' } },
				{ json: { phones: '13900139000', code: '1' } },
				{ json: { phones: '13800138000', code: '5678' } },
				{ json: { phones: '13700137000', code: '5678' } },
			],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests().map((call) => [call.params.phone, call.params.variables])).toEqual([
			['13800138000', '1234'],
			['13700137000', '5678'],
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json.success).toBe(true);
		expect(output[1].json).toEqual({ error: 'Code 1 on item 1 has 1 digit; Veesing sends codes of 2 to 8 digits', details: expect.stringContaining('Nothing was sent.') });
		expect(output[2].json).toEqual({ error: expect.stringContaining('Phone 13800138000 is on items 0 and 2'), details: expect.stringContaining('Nothing was sent.') });
		expect(output[3].json.success).toBe(true);
	});

	it('maps the rate rule: the same number again within a minute fails with the vendor text kept', async () => {
		expect((await run({ ...SEND, phones: '13800138000' })).error).toBeUndefined();
		const { error } = await run({ ...SEND, phones: '13800138000', code: '9876' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe(
			'Veesing error 0: This number already got a code less than a minute ago; Veesing sends one a minute per number (相同手机号码一分钟之内只可发送一次)',
		);
		expect((error as NodeApiError).description).toBe('Wait a minute before sending this number another code. Nothing was sent.');
		expect(requests().map((call) => JSON.parse(call.response.body).returnStatus)).toEqual(['1 ', '0']);
	});

	it('turns a wrong App Key into an English message with the vendor code and text, never the key', async () => {
		const wrongKey = 'not-the-key-4711';
		const { error } = await run({ ...SEND, phones: '13800138000' }, undefined, { credentials: { appKey: wrongKey } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Veesing error 0: The App ID or App Key is wrong (账号或密码错误)');
		expect((error as NodeApiError).description).toContain('Check the App ID and App Key');
		expect(`${JSON.stringify(error)} ${error!.message} ${(error as NodeApiError).description} ${error!.stack}`).not.toContain(wrongKey);
		// n8n 2.41 hangs serializing an error that carries the execution context.
		expect(Object.keys(error!)).not.toContain('ctx');
	});

	it.each([
		[{ phones: '13900139999' }, {}, 'Veesing error 0: This number has had as many codes today as Veesing allows (该号码今日发送次数已达上限)'],
		[{ phones: '13900134444' }, {}, 'Veesing error 0: Unknown reason; contact Veesing support (未知原因,请联系客服)'],
		[{ templateId: '999' }, {}, 'Veesing error 0: The template does not exist or is not approved (模板不存在或者未通过)'],
		[{}, { balance: 0 }, 'Veesing error 0: The account balance is too low (余额不足)'],
		[{}, { dailyLimit: 0 }, "Veesing error 0: The account's daily sending limit is reached (当日发送量已超出最大发送限制)"],
	])('maps the documented failure %#', async (override, config, message) => {
		sim().configure({ veesing: config });
		const { error } = await run({ ...SEND, phones: '13800138000', ...override });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe(message);
	});

	it('with Continue On Fail, a refused number fails alone and the rest of the fan-out is sent', async () => {
		const { output, error } = await run({ ...SEND, phones: '13800138000, 13900139999, 13700137000' }, undefined, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(3);
		const json = output[0].json;
		expect(json.success).toBe(false);
		expect(json.error).toBe('Veesing error 0: This number has had as many codes today as Veesing allows (该号码今日发送次数已达上限)');
		expect((json.recipients as IDataObject[]).map((r) => [r.phone, r.accepted])).toEqual([
			['13800138000', true],
			['13900139999', false],
			['13700137000', true],
		]);
		expect((json.recipients as IDataObject[])[1].error).toBe(json.error);
		// raw holds the answers of the accepted calls only.
		expect((json.raw as unknown[]).length).toBe(2);
	});

	it('without Continue On Fail, a refused number stops the run and says how many were sent before', async () => {
		const { error } = await run({ ...SEND, phones: '13800138000, 13900139999, 13700137000', options: { concurrency: 1 } });
		expect(error!.message).toContain('该号码今日发送次数已达上限');
		expect((error as NodeApiError).description).toContain('Before this error, 1 of 3 vendor calls (1 numbers) had been accepted');
		expect(requests()).toHaveLength(2);
	});

	it('reports an unreachable vendor as not sent', async () => {
		const { error } = await run({ ...SEND, phones: '13800138000', options: { timeout: 2000 } }, undefined, { credentials: { baseUrl: 'http://127.0.0.1:9' } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Could not reach Veesing at 127.0.0.1:9 (connection refused); nothing was sent');
	});
});

describe('Veesing getBalance', () => {
	it('posts the credential as a form to /smsApi/verifyCode/getBalance and reads remainPoint', async () => {
		sim().configure({ veesing: { balance: 241 } });
		const { output, error } = await run({ operation: 'getBalance' });
		expect(error).toBeUndefined();
		const [call] = requests();
		expect(call).toMatchObject({ operation: 'getBalance', method: 'POST', path: '/smsApi/verifyCode/getBalance', query: {} });
		expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
		expect(formOf(call)).toEqual([
			['appId', appId],
			['appKey', appKey],
		]);
		expect(output[0].json).toEqual({
			vendor: 'veesing',
			operation: 'getBalance',
			balance: 241,
			unit: 'messages',
			raw: { returnStatus: '1 ', message: '成功', remainPoint: '241', taskId: null, successCounts: null },
		});
	});

	// The balance table is headed 请求参数(Query) and its sample puts the keys in the query string.
	it('asks once more with the query string when a server that reads only the query says a parameter is missing', async () => {
		sim().configure({ veesing: { balance: 77, balanceReads: 'query' } });
		const { output, error } = await run({ operation: 'getBalance' });
		expect(error).toBeUndefined();
		const calls = requests();
		expect(calls.map((call) => [call.method, call.query])).toEqual([
			['POST', {}],
			['POST', { appId, appKey }],
		]);
		expect(JSON.parse(calls[0].response.body)).toMatchObject({ returnStatus: '0', message: '缺少参数' });
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ operation: 'getBalance', balance: 77, unit: 'messages' });
	});

	it('asks only once after any other refusal, and gives the answer to the query when it asked twice', async () => {
		const { error } = await run({ operation: 'getBalance' }, undefined, { credentials: { appKey: 'wrong-key' } });
		expect(error!.message).toContain('账号或密码错误');
		expect(requests()).toHaveLength(1);

		sim().configure({ veesing: { balanceReads: 'query' } });
		const { error: second } = await run({ operation: 'getBalance' }, undefined, { credentials: { appKey: 'wrong-key' } });
		expect(second!.message).toContain('账号或密码错误');
		expect(requests()).toHaveLength(3);
	});

	it.each([
		[VEESING_ACCOUNT.ipLimitedAppId, "Veesing error 0: This n8n host's IP address is not allowed (IP受限)", 'IP whitelist'],
		[VEESING_ACCOUNT.lockedAppId, 'Veesing error 0: The account is locked; contact your Veesing account manager (您的账户已被锁定,请联系您的专属客服)', '400-68-10658'],
	])('explains the account failure of %s', async (account, message, hint) => {
		const { error } = await run({ operation: 'getBalance' }, undefined, { credentials: { appId: account } });
		expect(error!.message).toBe(message);
		expect((error as NodeApiError).description).toContain(hint);
		expect(Object.keys(error!)).not.toContain('ctx');
	});
});
