// The Tencent Cloud SMS part of the vendor simulator, over real HTTP, each call signed with TC3-HMAC-SHA256
// (by the package's signer; the simulator checks it with its own code, and the official SDK's requests are
// checked against it in test/unit/tencentCloudSms.vendor.test.ts).
import { signRequest } from '../nodes/TencentCloudSms/tencentCloudSms.vendor';
import { useReceivers } from './helpers/http';
import { useSimulator } from './helpers/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TENCENT_ACCOUNT } = require('../simulator/vendors/tencentCloudSms') as { TENCENT_ACCOUNT: Record<string, string> };

const sim = useSimulator({ pushDelayMs: 20, configure: { retryDelayMs: 20 } });
const startReceiver = useReceivers({ body: '{"result":0,"errmsg":"OK"}', contentType: 'application/json' });
const CREDENTIALS = { secretId: TENCENT_ACCOUNT.secretId, secretKey: TENCENT_ACCOUNT.secretKey, sdkAppId: TENCENT_ACCOUNT.sdkAppId, region: TENCENT_ACCOUNT.region };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function call(action: string, json: Json, { credentials = CREDENTIALS, headers = {} as Record<string, string> } = {}): Promise<{ status: number; body: Json }> {
	const signed = signRequest(credentials, { url: `${sim().url}/`, method: 'POST', headers: { 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-01-11', ...headers }, body: JSON.stringify(json) }, Date.now() / 1000);
	const res = await fetch(`${sim().url}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body: signed.body });
	return { status: res.status, body: (await res.json()) as Json };
}

const SEND = { SignName: '腾讯云', TemplateId: '1110', TemplateParamSet: ['1234', '5'] };

describe('tencentCloudSms: calls', () => {
	test('every answer is HTTP 200 {"Response": …, RequestId}, errors too', async () => {
		const ok = await call('SendSms', { ...SEND, PhoneNumberSet: ['+8613800138000'] });
		expect(ok.status).toBe(200);
		expect(ok.body.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
		const refused = await call('SendSms', { ...SEND, SignName: 'unknown', PhoneNumberSet: ['+8613800138000'] });
		expect(refused).toMatchObject({ status: 200, body: { Response: { Error: { Code: 'FailedOperation.SignatureIncorrectOrUnapproved' } } } });
	});

	test.each<[string, string, Json, Record<string, string>, object]>([
		['an application of another account', 'SendSms', { SmsSdkAppId: TENCENT_ACCOUNT.foreignSdkAppId }, {}, { Code: 'UnauthorizedOperation.SmsSdkAppIdVerifyFail' }],
		['an unknown application', 'SendSms', { SmsSdkAppId: '1400999999' }, {}, { Code: 'InvalidParameterValue.SdkAppIdNotExist' }],
		['another API version', 'SendSms', {}, { 'X-TC-Version': '2019-07-11' }, { Code: 'NoSuchVersion' }],
		['an unknown action', 'DescribeInstances', {}, {}, { Code: 'InvalidAction' }],
		['a template with too few values', 'SendSms', { TemplateParamSet: ['1234'] }, {}, { Code: 'FailedOperation.TemplateIncorrectOrUnapproved' }],
		['a mainland template to a foreign number', 'SendSms', { PhoneNumberSet: ['+14155550100'] }, {}, { Code: 'FailedOperation.TemplateIncorrectOrUnapproved' }],
	])('refuses %s for the whole call', async (_, action, json, headers, error) => {
		const { body } = await call(action, { ...SEND, PhoneNumberSet: ['+8613800138000'], ...json }, { headers });
		expect(body.Response.Error).toMatchObject(error);
		expect(body.Response.SendStatusSet).toBeUndefined();
	});

	test('takes 0086…, 86… and bare mainland numbers as +86, and refuses a malformed one per number', async () => {
		const { body } = await call('SendSms', { ...SEND, PhoneNumberSet: ['008613800138001', '8613800138002', '13800138003', '+86123'] });
		expect(body.Response.SendStatusSet.map((s: Json) => [s.PhoneNumber, s.Code])).toEqual([
			['+8613800138001', 'Ok'],
			['+8613800138002', 'Ok'],
			['+8613800138003', 'Ok'],
			['+86123', 'InvalidParameterValue.IncorrectPhoneNumber'],
		]);
	});

	test('bills per package, refuses per number when the packages run out during a call, and for the whole call when nothing is left', async () => {
		sim().configure({ tencentCloudSms: { balance: 1 } });
		const first = await call('SendSms', { ...SEND, PhoneNumberSet: ['+8613800138001', '+8613800138002'] });
		expect(first.body.Response.SendStatusSet.map((s: Json) => s.Code)).toEqual(['Ok', 'FailedOperation.InsufficientBalanceInSmsPackage']);
		const second = await call('SendSms', { ...SEND, PhoneNumberSet: ['+8613800138003'] });
		expect(second.body.Response.Error.Code).toBe('FailedOperation.InsufficientBalanceInSmsPackage');
	});

	test('lists the packages created in the window asked for, paged', async () => {
		const all = await call('SmsPackagesStatistics', { BeginTime: '2019010100', EndTime: '2026010100', Limit: 500, Offset: 0 });
		expect(all.body.Response.SmsPackagesStatisticsSet.map((p: Json) => p.PackageId)).toEqual([101, 102, 103]);
		const page = await call('SmsPackagesStatistics', { BeginTime: '2019010100', EndTime: '2026010100', Limit: 2, Offset: 2 });
		expect(page.body.Response.SmsPackagesStatisticsSet.map((p: Json) => p.PackageId)).toEqual([103]);
		const recent = await call('SmsPackagesStatistics', { BeginTime: '2023010100', EndTime: '2026010100', Limit: 500, Offset: 0 });
		expect(recent.body.Response.SmsPackagesStatisticsSet.map((p: Json) => p.PackageId)).toEqual([101, 102]);
		const future = await call('SmsPackagesStatistics', { BeginTime: '2019010100', EndTime: '2999010100', Limit: 500, Offset: 0 });
		expect(future.body.Response.Error.Code).toBe('InvalidParameterValue');
	});

	test('gives each status record once, at most Limit a pull', async () => {
		await call('SendSms', { ...SEND, PhoneNumberSet: ['+8613800138001', '+8613800130000', '+8613800138003'] });
		const first = await call('PullSmsSendStatus', { Limit: 2 });
		expect(first.body.Response.PullSmsSendStatusSet.map((r: Json) => [r.PhoneNumber, r.ReportStatus, r.Description])).toEqual([
			['+8613800138001', 'SUCCESS', 'DELIVRD'],
			['+8613800130000', 'FAIL', 'MK:0001'],
		]);
		const second = await call('PullSmsSendStatus', { Limit: 100 });
		expect(second.body.Response.PullSmsSendStatusSet).toHaveLength(1);
		expect((await call('PullSmsSendStatus', { Limit: 100 })).body.Response.PullSmsSendStatusSet).toEqual([]);
		expect((await call('PullSmsSendStatus', { Limit: 101 })).body.Response.Error.Code).toBe('InvalidParameterValue');
	});

	test('its throttle answers RequestLimitExceeded as a whole-call error', async () => {
		sim().configure({ throttle: { tencentCloudSms: { maxInFlight: 0 } } });
		const { status, body } = await call('SendSms', { ...SEND, PhoneNumberSet: ['+8613800138000'] });
		expect(status).toBe(200);
		expect(body.Response.Error.Code).toBe('RequestLimitExceeded');
	});
});

describe('tencentCloudSms: callbacks', () => {
	test('status records go out as JSON arrays of up to 100, a reply as one object, also kept for the reply pull', async () => {
		const records = Array.from({ length: 101 }, (_, i) => ({ phone: `+86138${String(i).padStart(8, '0')}`, serialNo: `5000:${i}` }));
		const receiver = await startReceiver();
		await sim().push({ vendor: 'tencentCloudSms', url: receiver.url, kind: 'delivery', records });
		const bodies = receiver.received.map((p) => JSON.parse(p.body));
		expect(receiver.received[0].contentType).toBe('application/json');
		expect(bodies.map((b: Json[]) => b.length)).toEqual([100, 1]);
		expect(bodies[0][0]).toMatchObject({ nationcode: '86', mobile: '13800000000', report_status: 'SUCCESS', errmsg: 'DELIVRD', sid: '5000:0' });
		expect(bodies[0][0].user_receive_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

		await sim().push({ vendor: 'tencentCloudSms', url: receiver.url, kind: 'reply', records: [{ phone: '13800138000', text: '退订', sign: '腾讯云' }] });
		const reply = JSON.parse(receiver.received.at(-1)!.body);
		expect(reply).toMatchObject({ mobile: '13800138000', nationcode: '86', sign: '腾讯云', text: '退订' });
		expect(typeof reply.time).toBe('number');
		const pulled = await call('PullSmsReplyStatus', { Limit: 10 });
		expect(pulled.body.Response.PullSmsReplyStatusSet).toEqual([expect.objectContaining({ PhoneNumber: '+8613800138000', ReplyContent: '退订' })]);
	});
});
