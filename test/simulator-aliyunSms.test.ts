/**
 * The simulator's Alibaba Cloud SMS module on its own (simulator/vendors/aliyun.js): its signature check
 * refuses what Alibaba refuses, and its per-number limits count as Alibaba documents. Calls are made to
 * the module's handle() with a chosen clock; requests are signed with the package's signer (that the
 * signer is Alibaba's is proven against the official SDK in test/unit/aliyunSms.vendor.test.ts).
 */
import * as aliyun from '../nodes/AliyunSms/aliyunSms.vendor';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sim = require('../simulator/vendors/aliyun');

const KEYS = { accessKeyId: sim.ALIYUN_ACCOUNT.accessKeyId, accessKeySecret: sim.ALIYUN_ACCOUNT.accessKeySecret };
const HOST = '127.0.0.1:8787';
let nonce = 0;

/** A call as the simulator core hands it to handle(): signed, the query and headers as they arrived. */
function signedCall(action: string, query: Record<string, string>, form: Record<string, string> | undefined, now: Date, keys = KEYS, tamper: (call: Call) => void = () => {}) {
	const signed = aliyun.signOutgoing(
		{ method: 'POST', url: `http://${HOST}/`, qs: query, body: form, headers: { 'x-acs-action': action, 'x-acs-version': '2017-05-25' } },
		keys,
		aliyun.acsDate(now),
		`nonce-${++nonce}`,
	);
	const headers: Record<string, string> = { host: HOST };
	for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
	const url = new URL(signed.url);
	const body = signed.body ?? '';
	const call: Call = {
		operation: sim.route('/', {}, headers).operation,
		method: 'POST',
		query: Object.fromEntries(url.searchParams),
		params: { ...Object.fromEntries(new URLSearchParams(body)), ...Object.fromEntries(url.searchParams) },
		headers,
		body,
	};
	tamper(call);
	return call;
}
interface Call {
	operation: string;
	method: string;
	query: Record<string, string>;
	params: Record<string, string>;
	headers: Record<string, string>;
	body: string;
}

const answer = (result: { status: number; body: string }) => ({ status: result.status, ...JSON.parse(result.body) });
const sendCode = (phone: string, code: string) => ({ PhoneNumbers: phone, SignName: '阿里云短信测试', TemplateCode: 'SMS_154950909', TemplateParam: JSON.stringify({ code }) });

describe('the simulator checks V3 signatures', () => {
	const now = new Date('2024-05-06T07:08:09Z');
	const handle = (call: Call, at = now, state = sim.createState()) => answer(sim.handle(call, state, at));

	it('takes a signed call and answers OK with a BizId holding ^', () => {
		expect(handle(signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now))).toMatchObject({ status: 200, Code: 'OK', BizId: expect.stringMatching(/^\d+\^0$/) });
	});

	it.each<[string, (call: Call) => void, number, string]>([
		['a changed query value', (call) => (call.query.PhoneNumbers = '13900139000'), 400, 'SignatureDoesNotMatch'],
		['no Authorization', (call) => delete call.headers.authorization, 400, 'IncompleteSignature'],
		['an unsigned x-acs header', (call) => (call.headers['x-acs-extra'] = '1'), 400, 'IncompleteSignature'],
		['another version', (call) => (call.headers['x-acs-version'] = '2017-05-26'), 400, 'SignatureDoesNotMatch'],
	])('refuses %s', (_, tamper, status, code) => {
		expect(handle(signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now, KEYS, tamper))).toMatchObject({ status, Code: code });
	});

	it('refuses a form body that is not the hashed one', () => {
		const form = { PhoneNumberJson: '["13800138000"]', SignNameJson: '["阿里云短信测试"]', TemplateParamJson: '[{"code":"1111"}]' };
		const tampered = signedCall('SendBatchSms', { TemplateCode: 'SMS_154950909' }, form, now, KEYS, (call) => (call.body = call.body.replace('1111', '2222')));
		expect(handle(tampered)).toMatchObject({ status: 400, Code: 'SignatureDoesNotMatch' });
		expect(handle(signedCall('SendBatchSms', { TemplateCode: 'SMS_154950909' }, form, now))).toMatchObject({ status: 200, Code: 'OK' });
	});

	it('refuses a wrong secret, an unknown key, a disabled key, a RAM user without permission', () => {
		const wrong = { ...KEYS, accessKeySecret: 'wrong' };
		expect(handle(signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now, wrong))).toMatchObject({ status: 400, Code: 'SignatureDoesNotMatch' });
		expect(handle(signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now, { ...KEYS, accessKeyId: 'nobody' }))).toMatchObject({ status: 404, Code: 'InvalidAccessKeyId.NotFound' });
		expect(handle(signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now, { ...KEYS, accessKeyId: sim.ALIYUN_ACCOUNT.inactiveKeyId }))).toMatchObject({ Code: 'InvalidAccessKeyId.Inactive' });
		expect(handle(signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now, { ...KEYS, accessKeyId: sim.ALIYUN_ACCOUNT.noPermissionKeyId }))).toMatchObject({ Code: 'isp.RAM_PERMISSION_DENY' });
	});

	it('refuses a date 16 minutes off and a nonce used before', () => {
		const call = signedCall('SendSms', sendCode('13800138000', '1234'), undefined, now);
		expect(handle(call, new Date(now.getTime() + 16 * 60_000))).toMatchObject({ Code: 'InvalidTimeStamp.Expired' });
		const state = sim.createState();
		expect(handle(call, now, state)).toMatchObject({ Code: 'OK' });
		expect(handle(call, now, state)).toMatchObject({ Code: 'SignatureNonceUsed' });
	});
});

describe('the simulator keeps the per-number limits of verification codes', () => {
	const at = (minutes: number) => new Date(Date.UTC(2024, 4, 6, 1, 0, 0) + minutes * 60_000);
	const send = (state: unknown, minutes: number, phone = '13800138000') => answer(sim.handle(signedCall('SendSms', sendCode(phone, '1234'), undefined, at(minutes)), state, at(minutes)));

	it('1 a calendar minute, 5 a calendar hour, 10 in 24 hours; other numbers unaffected', () => {
		const state = sim.createState();
		expect(send(state, 0)).toMatchObject({ Code: 'OK' });
		expect(send(state, 0.5)).toMatchObject({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' });
		expect(send(state, 0.5, '13900139000')).toMatchObject({ Code: 'OK' });
		for (const minute of [1, 2, 3, 4]) expect(send(state, minute)).toMatchObject({ Code: 'OK' });
		expect(send(state, 5)).toMatchObject({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控Permits:5' });
		for (const minute of [60, 61, 62, 63, 64]) expect(send(state, minute)).toMatchObject({ Code: 'OK' });
		expect(send(state, 120)).toMatchObject({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发天级流控Permits:10' });
		expect(send(state, 24 * 60 + 1)).toMatchObject({ Code: 'OK' });
	});

	it('a refused call takes nothing: a SendBatchSms with one number over its limit is refused whole', () => {
		const state = sim.createState();
		expect(send(state, 0)).toMatchObject({ Code: 'OK' });
		const form = { PhoneNumberJson: '["13900139000","13800138000"]', SignNameJson: '["阿里云短信测试","阿里云短信测试"]', TemplateParamJson: '[{"code":"1111"},{"code":"2222"}]' };
		const batch = answer(sim.handle(signedCall('SendBatchSms', { TemplateCode: 'SMS_154950909' }, form, at(0.2)), state, at(0.2)));
		expect(batch).toMatchObject({ Code: 'isv.BUSINESS_LIMIT_CONTROL' });
		expect(send(state, 0.3, '13900139000')).toMatchObject({ Code: 'OK' });
	});

	it('refuses a number as a template value and a missing variable', () => {
		const state = sim.createState();
		const numeric = { ...sendCode('13800138000', '1234'), TemplateParam: '{"code":1234}' };
		expect(answer(sim.handle(signedCall('SendSms', numeric, undefined, at(0)), state, at(0)))).toMatchObject({ Code: 'isv.INVALID_JSON_PARAM' });
		const missing = { ...sendCode('13800138000', '1234'), TemplateParam: '{}' };
		expect(answer(sim.handle(signedCall('SendSms', missing, undefined, at(0)), state, at(0)))).toMatchObject({ Code: 'isv.TEMPLATE_MISSING_PARAMETERS' });
	});
});
