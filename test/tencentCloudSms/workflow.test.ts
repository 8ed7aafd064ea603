/**
 * The Tencent Cloud SMS node in a real n8n workflow execution (n8n-core's WorkflowExecute, real credential
 * handling: the credential's authenticate signs every call) against the simulator on 127.0.0.1, which
 * checks the TC3 signature with its own code; assertions are on what the simulator received and on the
 * node's output items.
 */
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { TencentCloudSmsApi } from '../../credentials/TencentCloudSmsApi.credentials';
import { TencentCloudSms } from '../../nodes/TencentCloudSms/TencentCloudSms.node';
import { runNode } from '../helpers/run-node';
import { credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TENCENT_ACCOUNT } = require('../../simulator/vendors/tencentCloudSms') as { TENCENT_ACCOUNT: Record<string, string> };

const TYPE = 'n8n-nodes-cn-sms.tencentCloudSms';
const sim = useSimulator();
const requests = (): RecordedRequest[] => sim().requests.filter((r: RecordedRequest) => r.vendor === 'tencentCloudSms');
const run = runNode({ type: TYPE, node: TencentCloudSms, credential: TencentCloudSmsApi, credentials: () => credentialsFor('tencentCloudSms', sim().url) });

const SEND = { operation: 'send', signName: '腾讯云', templateId: '1110', templateParams: { value: [{ value: '1234' }, { value: '5' }] } };
const bodyOf = (call: RecordedRequest) => JSON.parse(call.body) as IDataObject;

describe('Tencent Cloud SMS send', () => {
	it('sends a signed SendSms with the numbers in E.164, and gives each number its SerialNo', async () => {
		const { output, error } = await run({ ...SEND, phones: '13800138000, +8613900139000' });
		expect(error).toBeUndefined();
		const [call] = requests();
		expect(requests()).toHaveLength(1);
		expect(call).toMatchObject({ operation: 'send', method: 'POST', path: '/', accepted: true });
		expect(call.headers).toMatchObject({ 'content-type': 'application/json', 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-region': 'ap-guangzhou' });
		expect(String(call.headers.authorization)).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${TENCENT_ACCOUNT.secretId}/\\d{4}-\\d{2}-\\d{2}/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
		expect(bodyOf(call)).toEqual({
			PhoneNumberSet: ['+8613800138000', '+8613900139000'],
			TemplateId: '1110',
			TemplateParamSet: ['1234', '5'],
			SignName: '腾讯云',
			SmsSdkAppId: TENCENT_ACCOUNT.sdkAppId,
		});
		expect(call.body).not.toContain(TENCENT_ACCOUNT.secretKey);
		const json = output[0].json;
		expect(json).toMatchObject({ vendor: 'tencentCloudSms', operation: 'send', success: true, segments: 2 });
		const recipients = json.recipients as IDataObject[];
		expect(recipients.map((r) => [r.phone, r.outcome, r.status])).toEqual([
			['13800138000', 'accepted', 'Ok'],
			['13900139000', 'accepted', 'Ok'],
		]);
		expect(recipients[0].messageId).toMatch(/^5000:\d+$/);
		expect(json.messageId).toBe(`${recipients[0].messageId},${recipients[1].messageId}`);
		expect(JSON.stringify(output)).not.toContain(TENCENT_ACCOUNT.secretKey);
	});

	it('keeps per-number refusals on their recipients, and sends mainland and other numbers in separate calls', async () => {
		const { output, error } = await run({ ...SEND, phones: '13800139999, 13800138000' });
		expect(error).toBeUndefined();
		const recipients = output[0].json.recipients as IDataObject[];
		expect(recipients.map((r) => [r.phone, r.outcome, r.status, r.aboutMessage])).toEqual([
			['13800139999', 'refused', 'LimitExceeded.PhoneNumberDailyLimit', true],
			['13800138000', 'accepted', 'Ok', undefined],
		]);
		expect(output[0].json.success).toBe(false);

		sim().reset();
		const both = await run({ ...SEND, templateId: '2220', signName: '', templateParams: { value: [{ value: '1234' }] }, phones: '+14155550100' });
		expect(both.error).toBeUndefined();
		expect(bodyOf(requests()[0]).PhoneNumberSet).toEqual(['+14155550100']);
	});

	it('sends 450 numbers of two items in calls of 200, 200 and 50', async () => {
		const phones = Array.from({ length: 450 }, (_, i) => `138${String(i).padStart(8, '0')}`);
		const { output, error } = await run({ ...SEND, phones: '={{ $json.phones }}' }, [{ json: { phones: phones.slice(0, 300) } }, { json: { phones: phones.slice(300) } }]);
		expect(error).toBeUndefined();
		expect(requests().map((call) => (bodyOf(call).PhoneNumberSet as string[]).length).sort()).toEqual([200, 200, 50]);
		expect((output[0].json.recipients as IDataObject[]).length).toBe(300);
		expect((output[1].json.recipients as IDataObject[]).length).toBe(150);
	});

	it('stops on a whole-call refusal with Tencent’s code and text, having sent nothing', async () => {
		const { error } = await run({ ...SEND, templateId: '9999', phones: '13800138000' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toContain('Tencent Cloud SMS error FailedOperation.TemplateIncorrectOrUnapproved');
		expect((error as NodeApiError).description).toContain('Nothing was sent');
	});

	it('sends the rest to Not Sent when the packages are used up (about the account, not the message)', async () => {
		sim().configure({ tencentCloudSms: { balance: 0 } });
		const { output, error } = await run({ ...SEND, phones: '13800138000', options: { notSentOutput: true } });
		expect(error).toBeUndefined();
		const [recipient] = output[0].json.recipients as IDataObject[];
		expect(recipient).toMatchObject({ phone: '13800138000', outcome: 'refused', status: 'FailedOperation.InsufficientBalanceInSmsPackage' });
		expect(recipient.aboutMessage).toBeUndefined();
	});

	it('refuses bad input before anything is sent', async () => {
		const { error } = await run({ ...SEND, phones: '1380013800' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(requests()).toHaveLength(0);
	});

	it('tells a wrong secret key by Tencent’s code', async () => {
		const { error } = await run({ ...SEND, phones: '13800138000' }, undefined, { credentials: { secretKey: 'wrong' } });
		expect(error!.message).toContain('AuthFailure.SignatureFailure');
		expect(JSON.stringify(error)).not.toContain(TENCENT_ACCOUNT.secretKey);
	});
});

describe('Tencent Cloud SMS balance and pulls', () => {
	it('gives the messages left in the packages in force, keeping every package', async () => {
		const { output, error } = await run({ operation: 'getBalance' });
		expect(error).toBeUndefined();
		// The simulator's packages: 100000 of a purchased one, a used-up gift, and an expired one.
		expect(output[0].json).toMatchObject({ vendor: 'tencentCloudSms', operation: 'getBalance', balance: 100000, unit: 'messages' });
		expect((((output[0].json.raw as IDataObject).Response as IDataObject).SmsPackagesStatisticsSet as IDataObject[]).length).toBe(3);
		expect(bodyOf(requests()[0])).toMatchObject({ BeginTime: '2019010100', Limit: 500, Offset: 0, SmsSdkAppId: TENCENT_ACCOUNT.sdkAppId });
	});

	it('pulls status reports of a send, one item per record, each once', async () => {
		await run({ ...SEND, phones: '13800138000, 13800130000' });
		const first = await run({ operation: 'getStatusReports' });
		expect(first.error).toBeUndefined();
		expect(first.output.map((item) => [item.json.event, item.json.phone, item.json.delivered, item.json.status])).toEqual([
			['delivery', '13800138000', true, 'DELIVRD'],
			['delivery', '13800130000', false, 'MK:0001'],
		]);
		expect(first.output[0].pairedItem).toEqual({ item: 0 });
		const again = await run({ operation: 'getStatusReports' });
		expect(again.output).toHaveLength(0);
	});

	it('pulls replies, at most Limit a call', async () => {
		sim().configure({
			tencentCloudSms: {
				replyQueue: [1, 2, 3].map((n) => ({ ExtendCode: '', CountryCode: '86', PhoneNumber: `+86138001380${n}0`, SignName: '腾讯云', ReplyContent: `reply ${n}`, ReplyTime: 1700000000, SubscriberNumber: `138001380${n}0` })),
			},
		});
		const { output } = await run({ operation: 'getReplies', limit: 2 });
		expect(output.map((item) => item.json.content)).toEqual(['reply 1', 'reply 2']);
		expect(bodyOf(requests()[0]).Limit).toBe(2);
	});
});
