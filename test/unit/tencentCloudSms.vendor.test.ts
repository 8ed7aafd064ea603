/**
 * Tencent Cloud SMS's vendor module: the TC3-HMAC-SHA256 signer proven from two sides (the documented
 * fixed-input example, and the official SDK `tencentcloud-sdk-nodejs-sms` recorded on 127.0.0.1 and
 * checked by the simulator's own verifier), the send plan, the per-number and whole-call errors, the
 * balance, the pulls and the pushes.
 */
import * as http from 'node:http';
import * as net from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { TencentCloudSmsApi } from '../../credentials/TencentCloudSmsApi.credentials';
import type { ItemParameters, PlannedCall } from '../../nodes/shared/adapter';
import { InputError } from '../../nodes/shared/adapter';
import { PushError } from '../../nodes/shared/push';
import * as vendor from '../../nodes/TencentCloudSms/tencentCloudSms.vendor';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator') as {
	startSimulator(options?: object): Promise<{ url: string; port: number; requests: Array<Record<string, any>>; configure(cfg: object): unknown; reset(): void; close(): Promise<void> }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simVendor = require('../../simulator/vendors/tencentCloudSms') as { TENCENT_ACCOUNT: Record<string, string> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sms } = require('tencentcloud-sdk-nodejs-sms') as { sms: { v20210111: { Client: new (config: object) => Record<string, (req: object) => Promise<any>> } } };

const ACCOUNT = simVendor.TENCENT_ACCOUNT;
const CREDENTIALS = { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey, sdkAppId: ACCOUNT.sdkAppId, region: ACCOUNT.region };

describe('TC3-HMAC-SHA256', () => {
	it('gives the documented Authorization for the signature v3 worked example', () => {
		const signed = vendor.tc3Sign({
			secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
			secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
			timestamp: 1551113065,
			host: 'cvm.tencentcloudapi.com',
			service: 'cvm',
			contentType: 'application/json; charset=utf-8',
			// The \u escapes are literal text in the example's body, not Chinese characters.
			body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
		});
		expect(signed.canonicalRequest.split('\n').pop()).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
		expect(signed.stringToSign.split('\n').pop()).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
		expect(signed.authorization).toBe(
			'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
		);
	});

	it('dates the scope in UTC: 07:59 in China on the 26th is still the 25th', () => {
		// 2019-02-25T23:59:00Z
		expect(vendor.utcDate(1551139140)).toBe('2019-02-25');
		expect(vendor.utcDate(1551139200)).toBe('2019-02-26');
	});

	it('signs the Content-Type it sends, byte for byte, and the body it returns', () => {
		const withCharset = vendor.signRequest(CREDENTIALS, { url: 'https://sms.tencentcloudapi.com/', method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"Limit":1}' }, 1700000000);
		const plain = vendor.signRequest(CREDENTIALS, { url: 'https://sms.tencentcloudapi.com/', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"Limit":1}' }, 1700000000);
		expect(withCharset.headers['Content-Type']).toBe('application/json; charset=utf-8');
		expect(withCharset.headers.Authorization).not.toBe(plain.headers.Authorization);
		const again = vendor.tc3Sign({ ...CREDENTIALS, timestamp: 1700000000, host: 'sms.tencentcloudapi.com', contentType: 'application/json', body: plain.body });
		expect(plain.headers.Authorization).toBe(again.authorization);
		expect(JSON.parse(plain.body)).toEqual({ Limit: 1, SmsSdkAppId: ACCOUNT.sdkAppId });
		expect(plain.headers).toMatchObject({ 'X-TC-Timestamp': '1700000000', 'X-TC-Region': 'ap-guangzhou', 'X-TC-Version': '2021-01-11' });
		expect(plain.body).not.toContain(ACCOUNT.secretKey);
		expect(JSON.stringify(plain.headers)).not.toContain(ACCOUNT.secretKey);
	});
});

/** Sends a request our credential signed, over real HTTP, and gives the simulator's answer. */
async function signedCall(baseUrl: string, action: string, json: IDataObject, mutate?: (request: { headers: Record<string, unknown>; body: string }) => void) {
	const authenticate = new TencentCloudSmsApi().authenticate as unknown as (c: IDataObject, r: IDataObject) => Promise<{ headers: Record<string, unknown>; body: string; url: string }>;
	const request = await authenticate({ ...CREDENTIALS, baseUrl }, { method: 'POST', url: `${baseUrl}/`, headers: { 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': vendor.API_VERSION }, body: JSON.stringify(json) });
	mutate?.(request);
	const response = await fetch(request.url, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body });
	return (await response.json()) as { Response: IDataObject };
}

describe('the official SDK and the simulator', () => {
	let sim: Awaited<ReturnType<typeof startSimulator>>;
	beforeAll(async () => {
		sim = await startSimulator({ pushDelayMs: 60_000 });
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	/** An agent that takes the SDK to the simulator whatever host its URL names. */
	const toSimulator = () => {
		const agent = new http.Agent();
		(agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(sim.port, '127.0.0.1');
		return agent;
	};
	const sendRequest = { SmsSdkAppId: ACCOUNT.sdkAppId, SignName: '腾讯云', TemplateId: '1110', TemplateParamSet: ['1234', '5'], PhoneNumberSet: ['+8613800138000', '+8613800139999'] };

	it('accepts the SDK signing for sms.tencentcloudapi.com over http, and answers per number', async () => {
		const client = new sms.v20210111.Client({
			credential: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey },
			region: 'ap-guangzhou',
			profile: { httpProfile: { endpoint: 'sms.tencentcloudapi.com', protocol: 'http://', agent: toSimulator() } },
		});
		const answer = await client.SendSms(sendRequest);
		expect(answer.SendStatusSet.map((entry: IDataObject) => entry.Code)).toEqual(['Ok', 'LimitExceeded.PhoneNumberDailyLimit']);
		expect(sim.requests[0].headers.host).toBe('sms.tencentcloudapi.com');
	});

	it('accepts the SDK pointed at 127.0.0.1 (it then signs the service "127", the first label of its endpoint)', async () => {
		const client = new sms.v20210111.Client({
			credential: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey },
			region: 'ap-guangzhou',
			profile: { httpProfile: { endpoint: `127.0.0.1:${sim.port}`, protocol: 'http://' } },
		});
		const answer = await client.PullSmsSendStatus({ SmsSdkAppId: ACCOUNT.sdkAppId, Limit: 10 });
		expect(answer.PullSmsSendStatusSet).toEqual([]);
		expect(String(sim.requests[0].headers.authorization)).toContain('/127/tc3_request');
	});

	it('refuses the SDK with a wrong secret key: the simulator checks signatures', async () => {
		const client = new sms.v20210111.Client({
			credential: { secretId: ACCOUNT.secretId, secretKey: 'wrong-key' },
			region: 'ap-guangzhou',
			profile: { httpProfile: { endpoint: `127.0.0.1:${sim.port}`, protocol: 'http://' } },
		});
		await expect(client.SendSms(sendRequest)).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
	});

	it('gives the SDK’s Authorization for the same request and timestamp (recorded on 127.0.0.1)', async () => {
		const seen: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
		const recorder = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ Response: { SendStatusSet: [], RequestId: 'r' } }));
			});
		});
		await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
		const port = (recorder.address() as net.AddressInfo).port;
		try {
			for (const endpoint of ['sms.tencentcloudapi.com', `127.0.0.1:${port}`]) {
				const agent = new http.Agent();
				(agent as unknown as { createConnection: () => net.Socket }).createConnection = () => net.connect(port, '127.0.0.1');
				const client = new sms.v20210111.Client({
					credential: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey },
					region: 'ap-guangzhou',
					profile: { httpProfile: { endpoint, protocol: 'http://', agent } },
				});
				await client.SendSms({ ...sendRequest, TemplateParamSet: ['验证码', '5'] });
			}
		} finally {
			await new Promise((resolve) => recorder.close(resolve));
		}
		expect(seen).toHaveLength(2);
		for (const { headers, body } of seen) {
			const host = String(headers.host).replace(/:\d+$/, '');
			const ours = vendor.tc3Sign({
				secretId: ACCOUNT.secretId,
				secretKey: ACCOUNT.secretKey,
				timestamp: Number(headers['x-tc-timestamp']),
				host,
				contentType: String(headers['content-type']),
				body,
				service: host.split('.')[0],
			});
			expect(ours.authorization).toBe(headers.authorization);
		}
		// And through the credential: the same timestamp and body give the SDK's header.
		const first = seen[0];
		const signed = vendor.signRequest(CREDENTIALS, { url: 'http://sms.tencentcloudapi.com/', method: 'POST', headers: { 'Content-Type': String(first.headers['content-type']) }, body: first.body }, Number(first.headers['x-tc-timestamp']));
		expect(signed.body).toBe(first.body);
		expect(signed.headers.Authorization).toBe(first.headers.authorization);
	});

	it('accepts our credential’s signature, and refuses a body changed after signing, an old timestamp and a wrong key', async () => {
		const ok = await signedCall(sim.url, 'SendSms', { SignName: '腾讯云', TemplateId: '1110', TemplateParamSet: ['1234', '5'], PhoneNumberSet: ['+8613800138000'] });
		expect((ok.Response.SendStatusSet as IDataObject[])[0]).toMatchObject({ Code: 'Ok', PhoneNumber: '+8613800138000' });
		const tampered = await signedCall(sim.url, 'SendSms', { PhoneNumberSet: ['+8613800138000'] }, (request) => {
			request.body = request.body.replace('138', '139');
		});
		expect(tampered.Response.Error).toMatchObject({ Code: 'AuthFailure.SignatureFailure' });
		const charsetAdded = await signedCall(sim.url, 'SendSms', { PhoneNumberSet: ['+8613800138000'] }, (request) => {
			request.headers['Content-Type'] = 'application/json; charset=utf-8';
		});
		expect(charsetAdded.Response.Error).toMatchObject({ Code: 'AuthFailure.SignatureFailure' });
		const old = await signedCall(sim.url, 'PullSmsSendStatus', { Limit: 1 }, (request) => {
			request.headers['X-TC-Timestamp'] = String(Number(request.headers['X-TC-Timestamp']) - 600);
		});
		expect(old.Response.Error).toMatchObject({ Code: 'AuthFailure.SignatureExpire' });
	});

	it('refuses more than 200 numbers and a mix of mainland and other numbers, for the whole call', async () => {
		const many = Array.from({ length: 201 }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
		const tooMany = await signedCall(sim.url, 'SendSms', { SignName: '腾讯云', TemplateId: '1110', TemplateParamSet: ['1', '2'], PhoneNumberSet: many });
		expect(tooMany.Response.Error).toMatchObject({ Code: 'LimitExceeded.PhoneNumberCountLimit' });
		const mixed = await signedCall(sim.url, 'SendSms', { SignName: '腾讯云', TemplateId: '1110', TemplateParamSet: ['1', '2'], PhoneNumberSet: ['+8613800138000', '+14155550100'] });
		expect(mixed.Response.Error).toMatchObject({ Code: 'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber' });
	});
});

function parameters(values: IDataObject, options: IDataObject = {}, itemIndex = 0): ItemParameters {
	return {
		itemIndex,
		get: (name, fallback) => (name in values ? values[name] : fallback),
		text: (name) => String(values[name] ?? '').trim(),
		option: (name) => options[name],
	};
}

const item = (values: IDataObject, itemIndex = 0, options: IDataObject = {}) =>
	vendor.readItem(parameters({ signName: '腾讯云', templateId: '1110', templateParams: { value: [{ value: '1234' }, { value: '5' }] }, ...values }, options, itemIndex));

describe('send', () => {
	it('reads the values in order, numbers with their country code', () => {
		const read = item({ phones: '13800138000, +442079460958' });
		expect(read.phones).toEqual(['8613800138000', '442079460958']);
		expect(read.templateParams).toEqual(['1234', '5']);
	});

	it('takes an ordered list from an expression too', () => {
		expect(item({ phones: '13800138000', templateParams: ['a', 2] }).templateParams).toEqual(['a', '2']);
	});

	it.each<[string, IDataObject, RegExp]>([
		['an empty template ID', { phones: '13800138000', templateId: '' }, /Template ID is empty/],
		['a template ID that is no number', { phones: '13800138000', templateId: 'SMS_1' }, /Template ID SMS_1/],
		['a mainland number without a sign name', { phones: '13800138000', signName: '' }, /Sign Name is empty/],
		['a bad number', { phones: '1380013800' }, /Phone 1380013800/],
		['a parameter without value', { phones: '13800138000', templateParams: { value: [{}] } }, /Template parameter 1/],
	])('refuses %s before anything is sent', (_, values, message) => {
		expect(() => item(values)).toThrow(InputError);
		expect(() => item(values)).toThrow(message);
	});

	it('sends at most 200 numbers a call, mainland and others apart, in E.164', () => {
		const phones = [...Array.from({ length: 250 }, (_, i) => `1380${String(i).padStart(7, '0')}`), '+14155550100'];
		const calls = vendor.planSend([item({ phones }, 0)]);
		expect(calls.map((call) => (call.request.json!.PhoneNumberSet as string[]).length)).toEqual([200, 50, 1]);
		expect((calls[0].request.json!.PhoneNumberSet as string[])[0]).toBe('+8613800000000');
		expect(calls[2].request.json!.PhoneNumberSet).toEqual(['+14155550100']);
		expect(calls[0].request.headers).toMatchObject({ 'X-TC-Action': 'SendSms' });
		expect(calls[0].request.json!.SmsSdkAppId).toBeUndefined();
	});

	it('lets items with the same sign, template and values share calls, and no others', () => {
		const calls = vendor.planSend([item({ phones: '13800138001' }, 0), item({ phones: '13800138002' }, 1), item({ phones: '13800138003', templateParams: ['9999', '5'] }, 2)]);
		expect(calls).toHaveLength(2);
		expect(calls[0].recipients).toEqual([
			{ itemIndex: 0, phone: '13800138001' },
			{ itemIndex: 1, phone: '13800138002' },
		]);
		expect(calls[1].request.json!.TemplateParamSet).toEqual(['9999', '5']);
	});

	it('puts a number repeated across items of one call into a later call', () => {
		const calls = vendor.planSend([item({ phones: '13800138001' }, 0), item({ phones: '13800138001' }, 1)]);
		expect(calls.map((call) => call.recipients.map((recipient) => recipient.itemIndex))).toEqual([[0], [1]]);
	});

	const call: PlannedCall = {
		request: vendor.actionRequest('SendSms', {}),
		recipients: [
			{ itemIndex: 0, phone: '13800138000' },
			{ itemIndex: 0, phone: '13800139999' },
			{ itemIndex: 0, phone: '13800134444' },
			{ itemIndex: 0, phone: '13800135555' },
		],
	};

	it('gives each number its own result: SerialNo as message id, per-number caps about that number, internal errors unknown, a missing result unknown', () => {
		const body = {
			Response: {
				SendStatusSet: [
					{ SerialNo: '5000:1', PhoneNumber: '+8613800138000', Fee: 1, Code: 'Ok', Message: 'send success', IsoCode: 'CN' },
					{ SerialNo: '', PhoneNumber: '+8613800139999', Fee: 0, Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily limit', IsoCode: 'CN' },
					{ SerialNo: '', PhoneNumber: '+8613800134444', Fee: 0, Code: 'InternalError.Timeout', Message: 'timeout', IsoCode: 'CN' },
				],
				RequestId: 'r',
			},
		};
		const results = vendor.readAnswer(call, { statusCode: 200, body });
		expect(results.map((result) => [result.phone, result.outcome, result.messageId, result.status])).toEqual([
			['13800138000', 'accepted', '5000:1', 'Ok'],
			['13800139999', 'refused', undefined, 'LimitExceeded.PhoneNumberDailyLimit'],
			['13800134444', 'unknown', undefined, 'InternalError.Timeout'],
			['13800135555', 'unknown', undefined, 'NO_RESULT'],
		]);
		expect(results[1].aboutMessage).toBe(true);
		expect(results[1].error).toContain('LimitExceeded.PhoneNumberDailyLimit');
		expect(results[1].error).toContain('daily limit');
		expect(vendor.summarizeSend(results)).toEqual({ segments: 1 });
	});

	it('a per-number package refusal is about the account, not the message: the Not Sent output sends it on', () => {
		const body = { Response: { SendStatusSet: [{ PhoneNumber: '+8613800138000', Code: 'FailedOperation.InsufficientBalanceInSmsPackage', Message: 'no balance' }], RequestId: 'r' } };
		const [result] = vendor.readAnswer({ ...call, recipients: [call.recipients[0]] }, { statusCode: 200, body });
		expect(result).toMatchObject({ outcome: 'refused' });
		expect(result.aboutMessage).toBeUndefined();
	});
});

describe('whole-call errors (Response.Error)', () => {
	const failure = (code: string) => vendor.findFailure({ statusCode: 200, body: { Response: { Error: { Code: code, Message: 'msg' }, RequestId: 'r' } } });

	it.each<[string, Partial<Record<'throttled' | 'aboutMessage' | 'unreadable', boolean | undefined>>]>([
		['RequestLimitExceeded', { throttled: true }],
		['RequestLimitExceeded.UinLimitExceeded', { throttled: true }],
		['LimitExceeded.PhoneNumberOneHourLimit', { aboutMessage: true }],
		['FailedOperation.InsufficientBalanceInSmsPackage', {}],
		['AuthFailure.SignatureFailure', {}],
		['InternalError.SendAndRecvFail', { unreadable: true }],
		['FailedOperation.TemplateIncorrectOrUnapproved', { aboutMessage: true }],
	])('%s', (code, marks) => {
		const found = failure(code)!;
		expect(found.code).toBe(code);
		expect(found.english).toContain(`Tencent Cloud SMS error ${code}`);
		expect(found.english).toContain('(msg)');
		for (const mark of ['throttled', 'aboutMessage', 'unreadable'] as const) expect(Boolean(found[mark])).toBe(Boolean(marks[mark]));
	});

	it('takes an answer without Response as not the API, and a clean one as no failure', () => {
		expect(vendor.findFailure({ statusCode: 200, body: '<html>login</html>' })).toMatchObject({ unreadable: true });
		expect(vendor.findFailure({ statusCode: 200, body: { Response: { SendStatusSet: [], RequestId: 'r' } } })).toBeUndefined();
	});

	it('the credential test names every credential error', () => {
		const rules = new TencentCloudSmsApi().test.rules!.map((rule) => (rule.properties as IDataObject).value);
		expect(rules).toEqual(expect.arrayContaining(['AuthFailure.SignatureFailure', 'AuthFailure.SecretIdNotFound', 'UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'InvalidParameterValue.SdkAppIdNotExist']));
		expect(rules).not.toContain('FailedOperation.InsufficientBalanceInSmsPackage');
	});
});

describe('balance', () => {
	const now = new Date('2026-06-01T00:00:00Z');
	it('adds up what is left of the packages in force: not the used-up, expired or not yet effective ones', () => {
		const packages = [
			{ PackageId: 1, PackageAmount: 1000, CurrentUsage: 250, PackageEffectiveTime: 1700000000, PackageExpiredTime: 1900000000 },
			{ PackageId: 2, PackageAmount: 100, CurrentUsage: 100, PackageEffectiveTime: 1700000000, PackageExpiredTime: 1900000000 },
			{ PackageId: 3, PackageAmount: 500, CurrentUsage: 0, PackageEffectiveTime: 1600000000, PackageExpiredTime: 1700000000 },
			{ PackageId: 4, PackageAmount: 300, CurrentUsage: 0, PackageEffectiveTime: 1900000000, PackageExpiredTime: 2000000000 },
		];
		expect(vendor.messagesLeft(packages, now)).toBe(750);
	});

	it('asks once, for every package created from 2019 up to the current hour in China', () => {
		expect(vendor.BALANCE.request({ itemIndex: 0, get: () => undefined, text: () => '', option: () => undefined }, now)).toMatchObject({
			headers: { 'X-TC-Action': 'SmsPackagesStatistics' },
			json: { BeginTime: '2019010100', EndTime: '2026060108', Limit: 500, Offset: 0 },
		});
	});

	it('reads the answer into messages, and refuses a full page rather than give a figure too low', () => {
		const page = (count: number) => ({ Response: { SmsPackagesStatisticsSet: Array.from({ length: count }, () => ({ PackageAmount: 2, CurrentUsage: 1, PackageEffectiveTime: 1, PackageExpiredTime: 0 })) } });
		expect(vendor.BALANCE.read(page(3))).toEqual({ balance: 3, unit: 'messages' });
		expect(() => vendor.BALANCE.read(page(500))).toThrow(/listed 500 SMS packages/);
		expect(() => vendor.BALANCE.read({ Response: {} })).toThrow(/no SmsPackagesStatisticsSet/);
	});
});

describe('pulls and pushes', () => {
	it('gives every pulled status record as one item in the trigger’s shape', () => {
		const body = {
			Response: {
				PullSmsSendStatusSet: [
					{ UserReceiveTime: 1700000000, CountryCode: '86', SubscriberNumber: '13800138000', PhoneNumber: '+8613800138000', SerialNo: '5000:1', ReportStatus: 'SUCCESS', Description: 'DELIVRD', SessionContext: '' },
					{ UserReceiveTime: 1700000001, CountryCode: '1', SubscriberNumber: '4155550100', PhoneNumber: '+14155550100', SerialNo: '5000:2', ReportStatus: 'FAIL', Description: 'MK:0001', SessionContext: 'order 7' },
					'not a record',
				],
			},
		};
		const items = vendor.readPulled('getStatusReports', body);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ vendor: 'tencentCloudSms', event: 'delivery', phone: '13800138000', messageId: '5000:1', delivered: true, status: 'DELIVRD', receivedAt: '2023-11-15T06:13:20+08:00' });
		expect(items[1]).toMatchObject({ phone: '14155550100', delivered: false, status: 'MK:0001', sessionContext: 'order 7' });
		expect(items[2]).toMatchObject({ phone: null, raw: { value: 'not a record' } });
	});

	it('gives pulled replies with their content', () => {
		const items = vendor.readPulled('getReplies', { Response: { PullSmsReplyStatusSet: [{ ExtendCode: '01', CountryCode: '86', PhoneNumber: '+8613800138000', SignName: '腾讯云', ReplyContent: '退订', ReplyTime: 1700000000, SubscriberNumber: '13800138000' }] } });
		expect(items).toEqual([
			expect.objectContaining({ event: 'reply', phone: '13800138000', content: '退订', signName: '腾讯云', extendCode: '01', receivedAt: '2023-11-15T06:13:20+08:00' }),
		]);
		expect(vendor.pullRequest('getReplies', 500)).toMatchObject({ headers: { 'X-TC-Action': 'PullSmsReplyStatus' }, json: { Limit: 100 } });
	});

	it('reads the status callback (an array) and the reply callback (one object)', () => {
		const status = vendor.parsePush(
			[
				{ user_receive_time: '2015-10-17 08:03:04', nationcode: '86', mobile: '13900000000', report_status: 'SUCCESS', errmsg: 'DELIVRD', description: '用户短信送达成功', sid: '5000:1', ext: '' },
				{ user_receive_time: '2015-10-17 08:03:05', nationcode: '86', mobile: '13900000001', report_status: 'FAIL', errmsg: 'MK:0001', description: '空号', sid: '5000:2', ext: { a: 1 } },
			] as IDataObject[],
			'json',
		);
		expect(status.map((entry) => [entry.phone, entry.messageId, entry.delivered, entry.status, entry.receivedAt])).toEqual([
			['13900000000', '5000:1', true, 'DELIVRD', '2015-10-17T08:03:04+08:00'],
			['13900000001', '5000:2', false, 'MK:0001', '2015-10-17T08:03:05+08:00'],
		]);
		const reply = vendor.parsePush({ extend: '', mobile: '13800138000', nationcode: '86', sign: '腾讯云', text: '最近活动', time: 1457336869 }, 'json');
		expect(reply).toEqual([expect.objectContaining({ event: 'reply', phone: '13800138000', content: '最近活动', receivedAt: '2016-03-07T15:47:49+08:00' })]);
		// The older reply fields, without nationcode and sign.
		expect(vendor.parsePush({ mobile: '13800138000', text: 'hi', time: 1457336869, extend: '' }, 'json')[0]).toMatchObject({ phone: '13800138000', content: 'hi' });
	});

	it.each<[string, IDataObject | IDataObject[], 'json' | 'form']>([
		['a form', { mobile: '1' }, 'form'],
		['an empty array', [], 'json'],
		['a record of neither kind', { mobile: '13800138000' }, 'json'],
	])('refuses %s', (_, data, format) => {
		expect(() => vendor.parsePush(data, format)).toThrow(PushError);
	});
});
