/**
 * The Polyv node in a real n8n workflow execution (n8n-core's WorkflowExecute, the credential's
 * authenticate function run by n8n's request helper, real HTTP) against the vendor simulator on
 * 127.0.0.1; assertions are on the bytes the simulator received and on the node's output items.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PolyvApi } from '../../credentials/PolyvApi.credentials';
import { Polyv } from '../../nodes/Polyv/Polyv.node';
import { sign } from '../../nodes/Polyv/polyv.vendor';
import { runNode } from '../helpers/run-node';
import { ACCOUNTS, credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';

type Recorded = RecordedRequest<{ reason?: string; messages?: Array<{ phoneNumber: string; status: number; content: string }> }>;
interface Recipient {
	phone: string;
	accepted: boolean;
	messageId?: string;
	status?: string;
	error?: string;
}

const TYPE = 'n8n-nodes-cn-sms.polyv';
const ACCOUNT = ACCOUNTS.polyv as { appId: string; appSecret: string };
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const ALIYUN_FAILS = '13800000000'; // the simulator's Aliyun refuses numbers ending in 0000 (status 11)
const AT_LIMIT = '13800001111'; // numbers ending in 1111 have used their 10 messages today (status -1)
const CODE = { parameters: [{ name: 'code', value: '123456' }] };

const sim = useSimulator();

// 13900000001 on: no number ends in 0000 or 1111, the simulator's special endings.
const phonesFrom = (start: number, count: number) => Array.from({ length: count }, (_, i) => `139${String(start + i + 1).padStart(8, '0')}`);

const run = runNode({
	type: TYPE,
	node: Polyv,
	credential: PolyvApi,
	credentials: () => credentialsFor('polyv', sim().url),
});

const requests = (): Recorded[] => sim().requests;
const sentPhones = (call: Recorded): string[] => JSON.parse(call.body).phoneNumbers;

describe('Polyv send', () => {
	it('sends one signed POST: appId, timestamp and sign in the URL, a JSON body of strings', async () => {
		const before = Date.now();
		const { output, error } = await run({ operation: 'send', phones: `+86${GOOD}; ${GOOD2}`, templateParams: CODE });
		expect(error).toBeUndefined();

		expect(requests()).toHaveLength(1);
		const [call] = requests();
		expect(call.method).toBe('POST');
		expect(call.path).toBe('/live/v4/user/sms/send');
		expect(call.headers['content-type']).toBe('application/json');
		// Exactly the three documented query parameters, in the document's order; never the secret.
		expect(Object.keys(call.query)).toEqual(['appId', 'timestamp', 'sign']);
		expect(call.query.appId).toBe(ACCOUNT.appId);
		expect(call.query.timestamp).toMatch(/^\d{13}$/);
		expect(Number(call.query.timestamp)).toBeGreaterThanOrEqual(before);
		expect(Number(call.query.timestamp)).toBeLessThanOrEqual(Date.now());
		expect(call.query.sign).toBe(sign({ appId: ACCOUNT.appId, timestamp: call.query.timestamp }, ACCOUNT.appSecret));
		expect(JSON.stringify(call)).not.toContain(ACCOUNT.appSecret);
		expect(call.body).toBe('{"phoneNumbers":["13800138000","13900139000"],"templateParamNames":["code"],"templateParamValues":["123456"]}');
		expect(call.response.status).toBe(200);
		expect(call.detail!.messages!.map((m) => m.content)).toEqual(['【保利威】您的验证码是123456，5分钟内有效。', '【保利威】您的验证码是123456，5分钟内有效。']);

		const serials = (JSON.parse(call.response.body).data as Array<{ serialNo: string }>).map((entry) => entry.serialNo);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			vendor: 'polyv',
			operation: 'send',
			success: true,
			recipients: [
				{ phone: GOOD, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '12', messageId: serials[0] },
				{ phone: GOOD2, accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: '12', messageId: serials[1] },
			],
			messageId: serials.join(','),
			raw: JSON.parse(call.response.body),
		});
		expect(serials[0]).toMatch(/^\d{18}\^0$/);
	});

	it('gives each number its own result: a top-level success hides failed numbers', async () => {
		const { output, error } = await run({ operation: 'send', phones: [GOOD, ALIYUN_FAILS, AT_LIMIT].join('\n'), templateParams: CODE });
		expect(error).toBeUndefined();
		expect(JSON.parse(requests()[0].response.body)).toMatchObject({ code: 200, status: 'success', success: true });
		const recipients = output[0].json.recipients as Recipient[];
		expect(output[0].json.success).toBe(false);
		expect(recipients.map((r) => [r.phone, r.accepted, r.status])).toEqual([
			[GOOD, true, '12'],
			[ALIYUN_FAILS, false, '11'],
			[AT_LIMIT, false, '-1'],
		]);
		expect(recipients[0].messageId).toMatch(/\^0$/);
		expect(recipients[1]).not.toHaveProperty('messageId');
		expect(recipients[1].error).toBe('Polyv status 11: Not sent: the call to Aliyun SMS failed (发送失败(调用阿里云短信接口失败))');
		expect(recipients[2].error).toBe(
			'Polyv status -1: Not sent: the number has reached its daily limit (10 messages a day) (发送失败,手机号超过每日发送频次限制)',
		);
	});

	it('combines items with the same parameters, 200 numbers a call, and keeps each item its own output', async () => {
		const items = [0, 1, 2].map((i) => ({ json: { phones: phonesFrom(i * 150, 150) } }));
		const { output, error } = await run({ operation: 'send', phones: '={{ $json.phones }}', templateParams: CODE }, items);
		expect(error).toBeUndefined();
		const calls = requests();
		expect(calls.map((call) => sentPhones(call).length)).toEqual([200, 200, 50]);
		expect(calls.flatMap(sentPhones)).toEqual(phonesFrom(0, 450));
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.success).toBe(true);
			expect((item.json.recipients as Recipient[]).map((r) => r.phone)).toEqual(phonesFrom(index * 150, 150));
			// More than one number: their serialNos, joined (the send loop's one rule for every vendor).
			expect(item.json.messageId).toBe((item.json.recipients as Recipient[]).map((r) => r.messageId).join(','));
		});
		// Item 1 spans the first two calls: both answers.
		expect(output[1].json.raw).toHaveLength(2);
		expect(output[0].json.raw).toMatchObject({ success: true });
	});

	it('keeps items with other values in their own calls; a number value travels as a string', async () => {
		const { output, error } = await run(
			{ operation: 'send', phones: '={{ $json.phone }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } },
			[{ json: { phone: GOOD, code: 9802 } }, { json: { phone: GOOD2, code: 1111 } }, { json: { phone: '13700137000', code: 9802 } }],
		);
		expect(error).toBeUndefined();
		expect(requests().map((call) => call.body)).toEqual([
			'{"phoneNumbers":["13800138000","13700137000"],"templateParamNames":["code"],"templateParamValues":["9802"]}',
			'{"phoneNumbers":["13900139000"],"templateParamNames":["code"],"templateParamValues":["1111"]}',
		]);
		expect(output.map((item) => (item.json.recipients as Recipient[])[0].phone)).toEqual([GOOD, GOOD2, '13700137000']);
		// One number per item: its serialNo is the item's messageId.
		expect(output.map((item) => item.json.messageId)).toEqual(output.map((item) => (item.json.recipients as Recipient[])[0].messageId));
	});

	it('sends a number that appears on several items once per item, and Polyv stops it at 10 a day', async () => {
		const items = Array.from({ length: 11 }, () => ({ json: {} }));
		const { output, error } = await run({ operation: 'send', phones: GOOD, templateParams: CODE }, items);
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(11);
		expect(requests().every((call) => sentPhones(call).length === 1)).toBe(true);
		expect(output.map((item) => item.json.success)).toEqual([...Array(10).fill(true), false]);
		expect((output[10].json.recipients as Recipient[])[0].status).toBe('-1');
	});

	it('refuses an expired timestamp the way Polyv does, and says to fix the clock', async () => {
		// A Polyv server whose clock is 4 minutes ahead: our timestamps are older than its 3 minutes.
		sim().configure({ polyv: { clockSkewMs: 4 * 60 * 1000 } });
		const { error, output } = await run({ operation: 'send', phones: GOOD, templateParams: CODE });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe("Polyv error 20003: The request's time is outside Polyv's 3-minute window (timestamp expired.)");
		expect((error as NodeApiError).description).toContain("this n8n host's clock");
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(1);
		expect(requests()[0].response.status).toBe(400);

		// Two minutes off is still inside the window.
		sim().reset();
		sim().configure({ polyv: { clockSkewMs: -2 * 60 * 1000 } });
		expect((await run({ operation: 'send', phones: GOOD, templateParams: CODE })).error).toBeUndefined();
	});

	it("turns a wrong secret into Polyv's reason in English, with its code and desc, and without the secret", async () => {
		const secret = 'wrong-secret-value-123';
		const { error } = await run({ operation: 'send', phones: GOOD, templateParams: CODE }, undefined, { credentials: { appSecret: secret } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Polyv error 20002: Polyv refused the signature: the App Secret does not belong to this App ID (invalid signature.)');
		expect((error as NodeApiError).description).toContain('Check the App Secret');
		expect(`${JSON.stringify(error)} ${error!.message} ${(error as NodeApiError).description} ${error!.stack}`).not.toContain(secret);
		expect(requests()[0].query.sign).toBe(sign({ appId: ACCOUNT.appId, timestamp: requests()[0].query.timestamp }, secret));
	});

	it("reads the document's 20001 for an unknown App ID", async () => {
		const { error } = await run({ operation: 'send', phones: GOOD, templateParams: CODE }, undefined, { credentials: { appId: 'nosuchapp1' } });
		expect(error!.message).toBe('Polyv error 20001: Polyv does not know this App ID (application not found.)');
	});

	it('splits one item of 201 numbers into two calls', async () => {
		const { output, error } = await run({ operation: 'send', phones: phonesFrom(0, 201).join(','), templateParams: CODE });
		expect(error).toBeUndefined();
		expect(requests().map((call) => sentPhones(call).length)).toEqual([200, 1]);
		expect((output[0].json.recipients as Recipient[]).length).toBe(201);
		expect(output[0].json.raw).toHaveLength(2);
	});

	it('validates every item before sending: one bad number means nothing is sent', async () => {
		const { error, output } = await run({ operation: 'send', phones: '={{ $json.phones }}', templateParams: CODE }, [
			{ json: { phones: GOOD } },
			{ json: { phones: `${GOOD2}, 1768909` } },
		]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Phone 1768909 on item 1 has 7 digits; a mainland mobile number has 11 digits and starts with 1');
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(0);
	});

	it.each([
		[{ parameters: [{ name: '', value: '1' }] }, 'Template parameter 1 has no name on item 0'],
		[{ parameters: [{ name: 'code', value: '1' }, { name: 'code', value: '2' }] }, 'Template parameter code is given twice on item 0'],
		[{ parameters: [{ name: 'code', value: '={{ {"a": 1} }}' }] }, 'Template parameter code has an object as its value; give text or a number on item 0'],
	])('refuses bad template parameters before sending anything: %#', async (templateParams, message) => {
		const { error } = await run({ operation: 'send', phones: GOOD, templateParams });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(message);
		expect(requests()).toHaveLength(0);
	});

	it('sends a template without parameters as empty lists', async () => {
		sim().configure({ polyv: { template: '【保利威】您的直播即将开始。' } });
		const { output, error } = await run({ operation: 'send', phones: GOOD });
		expect(error).toBeUndefined();
		expect(requests()[0].body).toBe('{"phoneNumbers":["13800138000"],"templateParamNames":[],"templateParamValues":[]}');
		expect(output[0].json.success).toBe(true);
	});

	it('with Continue On Fail, a bad item gets its error and the others are sent', async () => {
		const { error, output } = await run(
			{ operation: 'send', phones: '={{ $json.phones }}', templateParams: CODE },
			[{ json: { phones: GOOD } }, { json: { phones: '12345' } }, { json: { phones: GOOD2 } }],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(sentPhones(requests()[0])).toEqual([GOOD, GOOD2]);
		expect(output[0].json.success).toBe(true);
		expect(output[1].json).toEqual({ error: expect.stringContaining('Phone 12345 on item 1'), details: expect.stringContaining('Nothing was sent.') });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json.success).toBe(true);
	});

	it('with Continue On Fail, a vendor error lands on every recipient of the refused call', async () => {
		const { error, output } = await run({ operation: 'send', phones: `${GOOD},${GOOD2}`, templateParams: CODE }, undefined, {
			continueOnFail: true,
			credentials: { appSecret: 'wrong' },
		});
		expect(error).toBeUndefined();
		expect(output[0].json.success).toBe(false);
		expect(output[0].json.error).toContain('Polyv error 20002');
		const recipients = output[0].json.recipients as Recipient[];
		expect(recipients.map((r) => [r.phone, r.accepted])).toEqual([
			[GOOD, false],
			[GOOD2, false],
		]);
		expect(recipients.every((r) => r.error!.includes('invalid signature.'))).toBe(true);
	});

	it('reports an unreachable vendor as not sent', async () => {
		const { error } = await run({ operation: 'send', phones: GOOD, templateParams: CODE, options: { timeout: 2000 } }, undefined, {
			credentials: { baseUrl: 'http://127.0.0.1:9' },
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Could not reach Polyv at 127.0.0.1:9 (connection refused); nothing was sent');
	});
});
