/**
 * The Alibaba Cloud SMS node in a real n8n workflow execution (n8n-core's WorkflowExecute, real
 * credential handling with the credential's V3 signing, real HTTP) against the vendor simulator on
 * 127.0.0.1, which checks every signature with its own code; assertions are on the bytes the simulator
 * received and on the node's output items.
 */

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { AliyunSmsApi } from '../../credentials/AliyunSmsApi.credentials';
import { AliyunSms } from '../../nodes/AliyunSms/AliyunSms.node';
import { chinaDate } from '../../nodes/shared/time';
import { runNode } from '../helpers/run-node';
import { credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALIYUN_ACCOUNT } = require('../../simulator/vendors/aliyun');

type Recorded = RecordedRequest<{ reason?: string; code?: string; bizId?: string; messages?: IDataObject[] }> & { accepted: boolean };

const TYPE = 'n8n-nodes-cn-sms.aliyunSms';
const sim = useSimulator();
const requests = (): Recorded[] => sim().requests.filter((r: Recorded) => r.vendor === 'aliyunSms');
const run = runNode({ type: TYPE, node: AliyunSms, credential: AliyunSmsApi, credentials: () => credentialsFor('aliyunSms', sim().url) });

const SIGN = '阿里云短信测试';
const CODE_TEMPLATE = 'SMS_154950909';
const NOTICE_TEMPLATE = 'SMS_100000001';
const code = (value: string) => ({ parameters: [{ name: 'code', value }] });
const SEND = { operation: 'send', signName: SIGN, templateCode: CODE_TEMPLATE };
const phone = (index: number) => `139${String(index).padStart(8, '0')}`;

describe('Alibaba Cloud SMS send', () => {
	it('sends one code with SendSms, signed so that the simulator accepts it, and outputs the contract shape', async () => {
		const { output, error } = await run({ ...SEND, phones: '+86-138-0013-8000', templateParams: code('4711') });
		expect(error).toBeUndefined();
		const [call] = requests();
		expect(requests()).toHaveLength(1);
		expect(call).toMatchObject({ operation: 'sendSms', method: 'POST', path: '/', accepted: true, body: '' });
		expect(call.query).toEqual({ PhoneNumbers: '13800138000', SignName: SIGN, TemplateCode: CODE_TEMPLATE, TemplateParam: '{"code":"4711"}' });
		expect(call.headers.authorization).toMatch(new RegExp(`^ACS3-HMAC-SHA256 Credential=${ALIYUN_ACCOUNT.accessKeyId},`));
		// The secret signs; it never travels.
		expect(JSON.stringify(call)).not.toContain(ALIYUN_ACCOUNT.accessKeySecret);
		const bizId = JSON.parse(call.response.body).BizId as string;
		expect(bizId).toMatch(/^\d+\^0$/);
		expect(output).toEqual([
			{
				json: {
					vendor: 'aliyunSms',
					operation: 'send',
					success: true,
					recipients: [{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: bizId, status: 'OK' }],
					messageId: bizId,
					raw: expect.objectContaining({ Code: 'OK', BizId: bizId }),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends 250 items, each with its own code, in 3 SendBatchSms calls; every item keeps its own result', async () => {
		const items = Array.from({ length: 250 }, (_, index) => ({ json: { phone: phone(index), code: String(100000 + index) } }));
		const { output, error } = await run(
			{ ...SEND, phones: '={{ $json.phone }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } },
			items,
		);
		expect(error).toBeUndefined();
		expect(requests().map((r) => [r.operation, JSON.parse(String(new URLSearchParams(r.body).get('PhoneNumberJson'))).length])).toEqual([
			['sendBatchSms', 100],
			['sendBatchSms', 100],
			['sendBatchSms', 50],
		]);
		const sent = requests().flatMap((r) => r.detail!.messages as Array<{ phone: string; text: string }>);
		expect(sent[7]).toMatchObject({ phone: phone(7), text: expect.stringContaining('100007') });
		expect(output).toHaveLength(250);
		expect(output.every((entry, index) => entry.json.success === true && entry.pairedItem && (entry.json.recipients as IDataObject[])[0].phone === phone(index))).toBe(true);
	});

	it('items sharing a template and values share one SendSms call', async () => {
		const { output, error } = await run(
			{ operation: 'send', signName: SIGN, templateCode: NOTICE_TEMPLATE, phones: '={{ $json.phones }}', templateParams: { parameters: [{ name: 'name', value: 'Li' }, { name: 'order', value: '42' }] } },
			[{ json: { phones: '13800138000' } }, { json: { phones: '13900139000, 13700137000' } }],
		);
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(requests()[0].query.PhoneNumbers).toBe('13800138000,13900139000,13700137000');
		expect(output.map((entry) => (entry.json.recipients as IDataObject[]).length)).toEqual([1, 2]);
		expect(output[0].json.messageId).toBe(output[1].json.messageId);
	});

	it('a second code to the same number within a minute is refused as isv.BUSINESS_LIMIT_CONTROL, about that number, and not retried', async () => {
		await run({ ...SEND, phones: '13800138000', templateParams: code('1111') });
		const { output, error } = await run({ ...SEND, phones: '13800138000', templateParams: code('2222'), options: { notSentOutput: true } });
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(2);
		expect(output[0].json).toMatchObject({ success: false, recipients: [{ phone: '13800138000', outcome: 'refused', status: 'isv.BUSINESS_LIMIT_CONTROL', aboutMessage: true }] });
		expect(String(output[0].json.error)).toContain('触发分钟级流控Permits:1');
	});

	it('a wrong secret is SignatureDoesNotMatch (HTTP 400): an English error with the code, never the secret, nothing resent', async () => {
		const { error } = await run({ ...SEND, phones: '13800138000', templateParams: code('1234') }, undefined, { credentials: { accessKeySecret: 'not-the-secret-4711' } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toMatch(/^Alibaba Cloud SMS error SignatureDoesNotMatch: /);
		expect(JSON.stringify(error)).not.toContain('not-the-secret-4711');
		expect(requests()).toHaveLength(1);
	});

	it('Throttling.User is retried (nothing was sent) until each call goes through, every number in exactly one accepted call', async () => {
		sim().configure({ throttle: { aliyunSms: { maxInFlight: 1 } }, responseDelayMs: { aliyunSms: 30 } });
		// Two numbers an item, each item its own code: one SendSms call an item, several at once.
		const items = Array.from({ length: 6 }, (_, index) => ({ json: { phones: `${phone(2 * index)},${phone(2 * index + 1)}`, code: String(1000 + index) } }));
		const { output, error } = await run({ ...SEND, phones: '={{ $json.phones }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.code }}' }] } }, items);
		expect(error).toBeUndefined();
		expect(output.every((entry) => entry.json.success === true)).toBe(true);
		expect(requests().filter((r) => !r.accepted).length).toBeGreaterThan(0);
		expect(requests().filter((r) => !r.accepted).every((r) => JSON.parse(r.response.body).Code === 'Throttling.User')).toBe(true);
		const accepted = requests().filter((r) => r.accepted).flatMap((r) => (r.detail!.messages as Array<{ phone: string }>).map((m) => m.phone));
		expect(accepted.sort()).toEqual(Array.from({ length: 12 }, (_, index) => phone(index)).sort());
	});

	it.each<[string, IDataObject]>([
		['isp.SYSTEM_ERROR in an HTTP 200 body', { aliyunSms: { nextError: { code: 'isp.SYSTEM_ERROR', message: 'isp.SYSTEM_ERROR' } } }],
		['a coded HTTP 503', { aliyunSms: { nextError: { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.', status: 503 } } }],
		['a truncated answer', { faults: { aliyunSms: { sendSms: { mode: 'truncated' } } } }],
		['a 5xx page', { faults: { aliyunSms: { sendSms: { mode: 'html5xx', status: 503 } } } }],
	])('%s leaves the outcome unknown and sends nothing again', async (_, configuration) => {
		sim().configure(configuration);
		const { output, error } = await run({ ...SEND, phones: '13800138000', templateParams: code('1234') }, undefined, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(output[0].json).toMatchObject({ success: false, recipients: [{ outcome: 'unknown' }] });
	});

	it('refuses bad input before anything is sent', async () => {
		const { error } = await run({ ...SEND, phones: '13800138000', templateParams: { parameters: [{ name: 'code', value: '1' }, { name: 'code', value: '2' }] } });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toContain('Template parameter code is given twice on item 0');
		expect(requests()).toHaveLength(0);
	});
});

describe('Alibaba Cloud SMS get send details', () => {
	it('reads every page of a day, one item per record, tied to its send by messageId', async () => {
		const today = chinaDate();
		const details = Array.from({ length: 120 }, (_, index) => ({ phone: '13800138000', bizId: `${index}^0`, sendStatus: index === 0 ? 2 : 3, errCode: index === 0 ? 'MK:0001' : 'DELIVERED' }));
		sim().configure({ aliyunSms: { details } });
		const { output, error } = await run({ operation: 'getSendDetails', phone: '+8613800138000', sendDate: today });
		expect(error).toBeUndefined();
		expect(requests().map((r) => r.query.CurrentPage)).toEqual(['1', '2', '3']);
		expect(requests()[0].query).toMatchObject({ PhoneNumber: '13800138000', SendDate: today.replace(/-/g, ''), PageSize: '50' });
		expect(output).toHaveLength(120);
		expect(output[0]).toMatchObject({ json: { vendor: 'aliyunSms', event: 'delivery', phone: '13800138000', delivered: false, status: 'MK:0001' }, pairedItem: { item: 0 } });
		expect(output[1].json).toMatchObject({ delivered: true, receivedAt: expect.stringMatching(/\+08:00$/) });
	});

	it('looks up one send by its messageId (a BizId with ^) after sending it', async () => {
		const sent = await run({ ...SEND, phones: '13800138000', templateParams: code('4711') });
		const messageId = String(sent.output[0].json.messageId);
		const { output, error } = await run({ operation: 'getSendDetails', phone: '13800138000', messageId });
		expect(error).toBeUndefined();
		expect(requests().at(-1)!.url).toContain(`BizId=${messageId.replace('^', '%5E')}`);
		// Its record: Alibaba's records carry no BizId, so the item's messageId is empty (docs/vendors/aliyun.md#send-details).
		expect(output).toEqual([{ json: expect.objectContaining({ messageId: '', delivered: true, content: expect.stringContaining('4711') }), pairedItem: { item: 0 } }]);
	});

	it('refuses a date outside the last 30 days before any call', async () => {
		const { error } = await run({ operation: 'getSendDetails', phone: '13800138000', sendDate: '2020-01-01' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toContain('outside the last 30 days');
		expect(requests()).toHaveLength(0);
	});
});
