import { createHash } from 'node:crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { AliyunSmsApi } from '../../credentials/AliyunSmsApi.credentials';
import * as aliyun from '../../nodes/AliyunSms/aliyunSms.vendor';
import { InputError, PushError, type ItemParameters } from '../../nodes/shared/adapter';
import { chinaDate } from '../../nodes/shared/time';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALIYUN_ACCOUNT } = require('../../simulator/vendors/aliyun');
// The official SDK, a devDependency only: an oracle for our signature (docs/vendors/aliyun.md#authentication).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Dysmsapi = require('@alicloud/dysmsapi20170525');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { $OpenApiUtil } = require('@alicloud/openapi-core');

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
interface Recorded {
	vendor: string;
	operation: string;
	method: string;
	url: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: string;
	response: { status: number; body: string };
	accepted: boolean;
	detail?: IDataObject;
}

const answer = (statusCode: number, body: unknown) => ({ statusCode, body });

function parameters(values: IDataObject, itemIndex = 0): ItemParameters {
	return {
		itemIndex,
		get: (name, fallback) => (values[name] === undefined ? fallback : values[name]),
		text: (name) => String(values[name] ?? '').trim(),
		option: () => undefined,
	};
}

const item = (values: IDataObject, itemIndex = 0) =>
	aliyun.readItem(parameters({ signName: '阿里云短信测试', templateCode: 'SMS_154950909', ...values }, itemIndex));
const codeParams = (code: string) => ({ parameters: [{ name: 'code', value: code }] });

describe('V3 signature', () => {
	it("reproduces Alibaba's fixed-input example: canonical-request hash and signature", () => {
		const signed = aliyun.signRequest({
			method: 'POST',
			host: 'ecs.cn-shanghai.aliyuncs.com',
			query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
			headers: { 'x-acs-action': 'RunInstances', 'x-acs-version': '2014-05-26' },
			body: '',
			accessKeyId: 'YourAccessKeyId',
			accessKeySecret: 'YourAccessKeySecret',
			date: '2023-10-26T10:22:32Z',
			nonce: '3156853299f313e23d1673dc12e1703d',
		});
		expect(createHash('sha256').update(signed.canonicalRequest).digest('hex')).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
		expect(signed.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
		expect(signed.signedHeaders).toBe('host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version');
		expect(signed.headers['x-acs-content-sha256']).toBe(aliyun.EMPTY_BODY_SHA256);
		expect(signed.headers.Authorization).toBe(
			'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
		);
	});

	it('percent-encodes as RFC 3986: ! \' ( ) * and ^ too, a space as %20', () => {
		expect(aliyun.percentEncode("a b!'()*^~-_.中")).toBe('a%20b%21%27%28%29%2A%5E~-_.%E4%B8%AD');
		expect(aliyun.canonicalQuery({ b: '2', a: '', BizId: '1^0' })).toBe('BizId=1%5E0&a=&b=2');
	});

	it('formats x-acs-date without milliseconds', () => {
		expect(aliyun.acsDate(new Date('2024-05-06T07:08:09.123Z'))).toBe('2024-05-06T07:08:09Z');
	});

	it('the credential signs each attempt anew, writes the query and body it signed, and never sends the secret', async () => {
		const authenticate = new AliyunSmsApi().authenticate as unknown as (c: object, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const request: IHttpRequestOptions = {
			method: 'POST',
			url: 'http://127.0.0.1:9/',
			qs: { TemplateCode: 'SMS_1' },
			headers: { 'x-acs-action': 'SendBatchSms', 'x-acs-version': '2017-05-25', 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
			body: { PhoneNumberJson: '["13800138000"]', SignNameJson: '["签名"]' },
		};
		const first = await authenticate({ accessKeyId: ' id-1\n', accessKeySecret: 'secret-1 ' }, request);
		const second = await authenticate({ accessKeyId: 'id-1', accessKeySecret: 'secret-1' }, request);
		expect(first.url).toBe('http://127.0.0.1:9/?TemplateCode=SMS_1');
		expect(first.qs).toBeUndefined();
		expect(first.body).toBe('PhoneNumberJson=%5B%2213800138000%22%5D&SignNameJson=%5B%22%E7%AD%BE%E5%90%8D%22%5D');
		const headers = first.headers as Record<string, string>;
		expect(headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
		expect(headers.Authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=id-1,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/);
		expect((second.headers as Record<string, string>)['x-acs-signature-nonce']).not.toBe(headers['x-acs-signature-nonce']);
		expect(JSON.stringify([first, second])).not.toContain('secret-1');
		expect(request.qs).toEqual({ TemplateCode: 'SMS_1' });
	});

	it('the credential test asks QuerySendDetails of a test number today, and reads the body whatever the status', () => {
		const { request, rules } = new AliyunSmsApi().test;
		expect(request).toMatchObject({ url: '/', method: 'POST', ignoreHttpStatusErrors: true, headers: { 'x-acs-action': 'QuerySendDetails' } });
		const keys = (rules ?? []).map((rule) => (rule.properties as IDataObject).value);
		expect(keys).toEqual(expect.arrayContaining(['SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound', 'isp.RAM_PERMISSION_DENY', undefined]));
	});

	it('offers every documented endpoint in the credential', () => {
		const endpoint = new AliyunSmsApi().properties.find((property) => property.name === 'baseUrl');
		expect(endpoint?.default).toBe('https://dysmsapi.aliyuncs.com');
		for (const { value } of aliyun.ENDPOINTS) expect(endpoint?.description).toContain(value);
	});
});

describe('signing is Alibaba’s: the official SDK against the simulator', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ port: 0 });
	});
	beforeEach(() => sim.reset());
	afterAll(async () => {
		await sim.close();
	});

	const client = () =>
		new Dysmsapi.default(
			new $OpenApiUtil.Config({
				accessKeyId: ALIYUN_ACCOUNT.accessKeyId,
				accessKeySecret: ALIYUN_ACCOUNT.accessKeySecret,
				endpoint: `127.0.0.1:${sim.port}`,
				protocol: 'http',
			}),
		);
	const last = (): Recorded => (sim.requests as Recorded[]).at(-1)!;

	/** Our signature of the request the SDK sent, from the same inputs, date and nonce. */
	function ours(recorded: Recorded, request: { qs?: IDataObject; form?: IDataObject; headers?: IDataObject }) {
		const headers: IDataObject = { ...request.headers };
		// A form's content type, as the SDK wrote it (its HTTP client adds an unsigned one to a bodiless POST).
		if (recorded.body !== '') headers['content-type'] = recorded.headers['content-type'];
		// The SDK adds (and signs) a header naming where it found the key: an input of its own, taken as is.
		if (recorded.headers['x-acs-credentials-provider']) headers['x-acs-credentials-provider'] = recorded.headers['x-acs-credentials-provider'];
		return aliyun.signOutgoing(
			{ method: 'POST', url: `http://${recorded.headers.host}/`, qs: request.qs, body: request.form, headers },
			ALIYUN_ACCOUNT,
			recorded.headers['x-acs-date'],
			recorded.headers['x-acs-signature-nonce'],
		);
	}

	it('SendSms: the simulator accepts the SDK request, and our plan of the same send (quotes, brackets, * and ! in a value) signs to the same Authorization', async () => {
		const sdk = await client().sendSms(
			new Dysmsapi.SendSmsRequest({
				phoneNumbers: '13800138000,13900139000',
				signName: '阿里云短信测试',
				templateCode: 'SMS_100000001',
				templateParam: JSON.stringify({ name: "O'Brien (VIP)*!", order: 'A 1^2' }),
			}),
		);
		expect(sdk.body.code).toBe('OK');
		expect(sdk.body.bizId).toMatch(/\^0$/);
		const recorded = last();
		expect(recorded).toMatchObject({ operation: 'sendSms', accepted: true });
		const templateParams = { parameters: [{ name: 'name', value: "O'Brien (VIP)*!" }, { name: 'order', value: 'A 1^2' }] };
		const [call] = aliyun.planSend([item({ phones: '13800138000, 13900139000', templateCode: 'SMS_100000001', templateParams })]);
		const signed = ours(recorded, call.request);
		expect(signed.headers.Authorization).toBe(recorded.headers.authorization);
		// The SDK leaves ( ) * ! raw on the wire and encodes them only to sign; we send what we sign. Same values.
		expect(Object.fromEntries(new URL(signed.url).searchParams)).toEqual(recorded.query);
	});

	it('SendBatchSms: the form body too, byte for byte, with characters that encodeURIComponent leaves raw', async () => {
		const phones = ['13800138000', '13900139000'];
		const signs = ['阿里云短信测试', '测试签名'];
		const codes = ['4711', 'ab12'];
		const sdk = await client().sendBatchSms(
			new Dysmsapi.SendBatchSmsRequest({
				phoneNumberJson: JSON.stringify(phones),
				signNameJson: JSON.stringify(signs),
				templateCode: 'SMS_154950909',
				templateParamJson: `[${codes.map((code) => JSON.stringify({ code })).join(',')}]`,
			}),
		);
		expect(sdk.body.code).toBe('OK');
		const recorded = last();
		expect(recorded).toMatchObject({ operation: 'sendBatchSms', accepted: true });
		const items = phones.map((phone, index) => item({ phones: phone, signName: signs[index], templateParams: codeParams(codes[index]) }, index));
		const [call] = aliyun.planSend(items);
		expect(call.request.headers).toMatchObject({ 'x-acs-action': 'SendBatchSms' });
		const signed = ours(recorded, call.request);
		expect(signed.body).toBe(recorded.body);
		expect(signed.headers.Authorization).toBe(recorded.headers.authorization);
	});

	it('QuerySendDetails with a BizId holding ^: same canonical query and signature as the SDK', async () => {
		sim.configure({ aliyunSms: { details: [{ phone: '13800138000', bizId: '375420194646745909^0' }] } });
		const today = chinaDate().replace(/-/g, '');
		const sdk = await client().querySendDetails(
			new Dysmsapi.QuerySendDetailsRequest({ phoneNumber: '13800138000', bizId: '375420194646745909^0', sendDate: today, pageSize: 50, currentPage: 1 }),
		);
		expect(sdk.body.code).toBe('OK');
		expect(sdk.body.totalCount).toBe('1');
		const recorded = last();
		const request = aliyun.detailsRequest({ phone: '13800138000', sendDate: today, bizId: '375420194646745909^0' }, 1);
		const signed = ours(recorded, request);
		expect(signed.headers.Authorization).toBe(recorded.headers.authorization);
		expect(recorded.url).toContain('BizId=375420194646745909%5E0');
	});

	it('the simulator refuses the SDK with a wrong secret (SignatureDoesNotMatch, HTTP 400) and a reused nonce', async () => {
		const wrong = new Dysmsapi.default(
			new $OpenApiUtil.Config({ accessKeyId: ALIYUN_ACCOUNT.accessKeyId, accessKeySecret: 'wrong', endpoint: `127.0.0.1:${sim.port}`, protocol: 'http' }),
		);
		await expect(wrong.sendSms(new Dysmsapi.SendSmsRequest({ phoneNumbers: '13800138000', signName: '阿里云短信测试', templateCode: 'SMS_100000002' }))).rejects.toMatchObject({
			code: 'SignatureDoesNotMatch',
		});
		expect(last().response.status).toBe(400);
	});
});

describe('send', () => {
	it('reads an item: template parameters as JSON with string values, numbers normalized', () => {
		const read = item({ phones: '+8613800138000, 0085261234567', templateParams: { parameters: [{ name: 'code', value: 4711 }, { name: 'minutes', value: '5' }] } });
		expect(read).toMatchObject({ phones: ['13800138000', '85261234567'], templateParam: '{"code":"4711","minutes":"5"}' });
	});

	it.each([
		[{ phones: '1380013800' }, 'Phone 1380013800 on item 0'],
		[{ phones: '13800138000', signName: '' }, 'Sign Name is empty on item 0'],
		[{ phones: '13800138000', templateCode: 'SMS 1' }, 'Template Code SMS 1 on item 0'],
		[{ phones: '13800138000', templateParams: { parameters: [{ name: '', value: '1' }] } }, 'Template parameter 1 on item 0 has no name'],
		[{ phones: '13800138000', templateParams: { parameters: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] } }, 'Template parameter a is given twice'],
	])('refuses bad input %j before anything is sent', (values, message) => {
		expect(() => item(values)).toThrow(InputError);
		expect(() => item(values)).toThrow(message);
	});

	it('items with the same values share one SendSms call; items with their own values share SendBatchSms calls', () => {
		const shared = [0, 1, 2].map((index) => item({ phones: `1380013800${index}`, templateParams: codeParams('1111') }, index));
		const own = [3, 4, 5].map((index) => item({ phones: `1390013900${index}`, templateParams: codeParams(`22${index}2`) }, index));
		const calls = aliyun.planSend([...shared, ...own]);
		expect(calls.map((call) => call.request.headers!['x-acs-action'])).toEqual(['SendSms', 'SendBatchSms']);
		expect(calls[0].request.qs).toEqual({ PhoneNumbers: '13800138000,13800138001,13800138002', SignName: '阿里云短信测试', TemplateCode: 'SMS_154950909', TemplateParam: '{"code":"1111"}' });
		expect(calls[1].request.qs).toEqual({ TemplateCode: 'SMS_154950909' });
		expect(calls[1].request.form).toEqual({
			PhoneNumberJson: '["13900139003","13900139004","13900139005"]',
			SignNameJson: '["阿里云短信测试","阿里云短信测试","阿里云短信测试"]',
			TemplateParamJson: '[{"code":"2232"},{"code":"2242"},{"code":"2252"}]',
		});
		expect(calls[1].recipients.map((recipient) => recipient.itemIndex)).toEqual([3, 4, 5]);
	});

	it('10,000 items with their own codes take 100 calls; 2,500 numbers with one value take 3 SendSms calls', () => {
		const many = Array.from({ length: 10_000 }, (_, index) => item({ phones: `13${String(index).padStart(9, '0')}`, templateParams: codeParams(String(100000 + index)) }, index));
		const calls = aliyun.planSend(many);
		expect(calls).toHaveLength(100);
		expect(calls.every((call) => call.recipients.length === 100)).toBe(true);
		const bulk = item({ phones: Array.from({ length: 2500 }, (_, index) => `13${String(index).padStart(9, '0')}`), templateParams: codeParams('1234') });
		expect(aliyun.planSend([bulk]).map((call) => call.recipients.length)).toEqual([1000, 1000, 500]);
	});

	it('never puts a number twice in one call, and sends a lone item by SendSms', () => {
		const a = item({ phones: '13800138000', templateParams: codeParams('1111') }, 0);
		const b = item({ phones: '13800138000', templateParams: codeParams('2222') }, 1);
		const calls = aliyun.planSend([a, b]);
		expect(calls).toHaveLength(2);
		expect(calls.every((call) => call.request.headers!['x-acs-action'] === 'SendSms')).toBe(true);
	});

	it('reads an accepted answer: the BizId is every recipient’s messageId', () => {
		const [call] = aliyun.planSend([item({ phones: '13800138000,13900139000' })]);
		const results = aliyun.readAnswer(call, answer(200, { Code: 'OK', Message: 'OK', BizId: '9006197469364984^0', RequestId: 'r' }));
		expect(results).toEqual([
			{ phone: '13800138000', accepted: true, messageId: '9006197469364984^0', status: 'OK' },
			{ phone: '13900139000', accepted: true, messageId: '9006197469364984^0', status: 'OK' },
		]);
	});
});

describe('errors by class', () => {
	const failure = (statusCode: number, body: unknown) => aliyun.findFailure(answer(statusCode, body));

	it('OK is no failure', () => {
		expect(failure(200, { Code: 'OK', Message: 'OK' })).toBeUndefined();
	});

	it('a credential refusal in an HTTP 400 body keeps the code and text', () => {
		const found = failure(400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature does not match our calculation.' });
		expect(found).toMatchObject({ code: 'SignatureDoesNotMatch', vendorMessage: 'Specified signature does not match our calculation.' });
		expect(found?.english).toMatch(/^Alibaba Cloud SMS error SignatureDoesNotMatch: The signature does not match/);
		expect(found?.unreadable).toBeUndefined();
	});

	it('Throttling.User is a throttle (retried: nothing was sent)', () => {
		expect(failure(400, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' })).toMatchObject({ throttled: true });
		expect(failure(200, { Code: 'Throttling.Api', Message: 'x' })).toMatchObject({ throttled: true });
	});

	it('isv.BUSINESS_LIMIT_CONTROL is about that number, not a throttle', () => {
		const found = failure(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' });
		expect(found).toMatchObject({ aboutMessage: true, vendorMessage: '触发分钟级流控Permits:1' });
		expect(found?.throttled).toBeUndefined();
	});

	it('an account refusal is neither about the message nor a throttle', () => {
		const found = failure(200, { Code: 'isv.AMOUNT_NOT_ENOUGH', Message: '账户余额不足' });
		expect(found).toMatchObject({ code: 'isv.AMOUNT_NOT_ENOUGH' });
		expect(found?.aboutMessage).toBeUndefined();
		expect(found?.throttled).toBeUndefined();
	});

	it('isp.SYSTEM_ERROR, a coded 5xx and an unreadable 2xx leave the outcome unknown; a bare 5xx is the transport’s', () => {
		expect(failure(200, { Code: 'isp.SYSTEM_ERROR', Message: 'isp.SYSTEM_ERROR' })).toMatchObject({ unreadable: true });
		expect(failure(503, { Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' })).toMatchObject({ unreadable: true });
		expect(failure(200, '<html>login</html>')).toMatchObject({ code: 'UNEXPECTED', unreadable: true });
		expect(failure(502, '<html>bad gateway</html>')).toBeUndefined();
	});

	it('an unlisted isv code is a refusal with the vendor’s words', () => {
		expect(failure(200, { Code: 'isv.SOMETHING_NEW', Message: '新的' })).toMatchObject({ english: 'Alibaba Cloud SMS error isv.SOMETHING_NEW: unknown error (新的)' });
	});
});

describe('send details', () => {
	it('stops after a short page, at TotalCount, and at the page guard', () => {
		const request = aliyun.detailsRequest({ phone: '13800138000', sendDate: '20240506', bizId: '' }, 1);
		const full = { SmsSendDetailDTOs: { SmsSendDetailDTO: Array.from({ length: 50 }, () => ({ SendStatus: 3 })) } };
		expect(aliyun.nextDetailsPage(request, { ...full, TotalCount: '50' })).toBeUndefined();
		expect(aliyun.nextDetailsPage(request, { ...full, TotalCount: '51' })?.qs).toMatchObject({ CurrentPage: '2' });
		expect(aliyun.nextDetailsPage({ ...request, qs: { ...request.qs, CurrentPage: String(aliyun.MAX_PAGES) } }, { ...full, TotalCount: '999999' })).toBeUndefined();
		expect(aliyun.nextDetailsPage(request, { SmsSendDetailDTOs: { SmsSendDetailDTO: [] }, TotalCount: '0' })).toBeUndefined();
	});

	it('reads one number and one BizId; refuses several of either before any call', () => {
		const now = new Date('2024-05-06T20:00:00Z');
		expect(aliyun.SEND_DETAILS.request(parameters({ phone: '13800138000', sendDate: '', messageId: '1^0' }), now).qs).toEqual({
			PhoneNumber: '13800138000',
			SendDate: '20240507',
			PageSize: '50',
			CurrentPage: '1',
			BizId: '1^0',
		});
		expect(() => aliyun.SEND_DETAILS.request(parameters({ phone: '13800138000,13900139000' }), now)).toThrow('looks up one number at a time');
		expect(() => aliyun.SEND_DETAILS.request(parameters({ phone: '13800138000', messageId: '1^0,2^0' }), now)).toThrow('holds several IDs');
	});

	it('takes yyyy-MM-dd within the last 30 days as yyyyMMdd; today in China by default', () => {
		expect(aliyun.sendDateOf('', 0, '2024-05-06')).toBe('20240506');
		expect(aliyun.sendDateOf('2024-04-07', 0, '2024-05-06')).toBe('20240407');
		expect(() => aliyun.sendDateOf('2024-04-06', 0, '2024-05-06')).toThrow('outside the last 30 days');
		expect(() => aliyun.sendDateOf('2024-02-30', 0, '2024-05-06')).toThrow('is not a date');
	});

	it('reads every page, one item per record in the trigger’s item shape; delivered from SendStatus 3, whatever ErrCode spells', async () => {
		const record = (index: number, status: number, errCode: string) => ({
			PhoneNum: '13800138000',
			SendStatus: status,
			ErrCode: errCode,
			TemplateCode: 'SMS_1',
			Content: `c${index}`,
			SendDate: '2024-05-06 07:08:09',
			ReceiveDate: '2024-05-06 07:08:19',
		});
		const pages = [
			Array.from({ length: 50 }, (_, index) => record(index, 3, index % 2 ? 'DELIVRD' : 'DELIVERED')),
			[record(50, 2, 'MK:0001'), record(51, 1, '')],
		];
		// The shared loop's way (nodes/shared/operations.ts): the first request, then nextPage until undefined.
		const asked: IDataObject[] = [];
		const items: IDataObject[] = [];
		const now = new Date('2024-05-06T10:00:00Z');
		let request = aliyun.SEND_DETAILS.request(parameters({ phone: '+8613800138000', sendDate: '2024-05-06', messageId: '' }), now) as ReturnType<typeof aliyun.detailsRequest> | undefined;
		while (request) {
			asked.push(request.qs!);
			const body = { Code: 'OK', TotalCount: '52', SmsSendDetailDTOs: { SmsSendDetailDTO: pages[Number(request.qs!.CurrentPage) - 1] } };
			items.push(...aliyun.SEND_DETAILS.read(body));
			request = aliyun.SEND_DETAILS.nextPage!(request, body);
		}
		expect(asked.map((qs) => qs.CurrentPage)).toEqual(['1', '2']);
		expect(asked[0]).toEqual({ PhoneNumber: '13800138000', SendDate: '20240506', PageSize: '50', CurrentPage: '1' });
		expect(items).toHaveLength(52);
		expect(items.slice(0, 50).every((entry) => entry.delivered === true)).toBe(true);
		expect(items[50]).toMatchObject({ vendor: 'aliyunSms', event: 'delivery', phone: '13800138000', delivered: false, status: 'MK:0001', receivedAt: '2024-05-06T07:08:19+08:00' });
		expect(items[51]).toMatchObject({ delivered: false, pending: true, statusText: 'Awaiting the carrier receipt' });
	});
});

describe('pushes', () => {
	it('tells SmsReport from SmsUp by their fields; China time to ISO; delivered from success, not the code', () => {
		const items = aliyun.parsePush(
			[
				{ phone_number: '8613800138000', send_time: '2024-05-06 07:08:09', report_time: '2024-05-06 07:08:19', success: true, err_code: 'DELIVRD', err_msg: '用户接收成功', sms_size: '2', biz_id: '375420194646745909^0', out_id: 'o1' },
				{ phone_number: '13900139000', send_time: '2024-05-06 07:08:09', report_time: '2024-05-06 07:08:20', success: false, err_code: 'DELIVERED', err_msg: 'x', sms_size: '1', biz_id: '375420194646745909^0' },
				{ phone_number: '13800138000', content: '收到', send_time: '2024-05-06 07:09:00', dest_code: '1234', sequence_id: 1234567, sign_name: '阿里云短信测试' },
			],
			'json',
		);
		expect(items[0]).toMatchObject({ event: 'delivery', phone: '13800138000', messageId: '375420194646745909^0', delivered: true, status: 'DELIVRD', receivedAt: '2024-05-06T07:08:19+08:00', segments: 2, outId: 'o1' });
		expect(items[1]).toMatchObject({ event: 'delivery', delivered: false });
		expect(items[1].outId).toBeUndefined();
		expect(items[2]).toMatchObject({ event: 'reply', phone: '13800138000', messageId: '1234567', content: '收到', receivedAt: '2024-05-06T07:09:00+08:00', signName: '阿里云短信测试' });
		expect(items[2].delivered).toBeUndefined();
	});

	it.each<[string, unknown, string]>([
		['a form', 'phone_number=1', 'form'],
		['an item without phone_number', [{ success: true }], 'json'],
		['an item of neither kind', [{ phone_number: '13800138000', foo: 1 }], 'json'],
	])('refuses %s', (_, data, format) => {
		expect(() => aliyun.parsePush(data as IDataObject, format as 'json')).toThrow(PushError);
	});
});
