/**
 * The 1oc SMS node in a real n8n workflow execution (n8n-core's WorkflowExecute, real credential
 * handling, real HTTP) against the vendor simulator on 127.0.0.1, which keeps the raw request
 * target: assertions are on the bytes 1oc would receive and on the node's output items.
 */
import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { Sms1ocApi } from '../../credentials/Sms1ocApi.credentials';
import { Sms1oc } from '../../nodes/Sms1oc/Sms1oc.node';
import { runNode } from '../helpers/run-node';
import { ACCOUNTS, credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';
import { startTlsProxy } from '../helpers/tls-proxy';

type Recorded = RecordedRequest<{ reason?: string; message?: { phone: string; template: string; code: string; content: string; mid: string } }>;

const TYPE = 'n8n-nodes-cn-sms.sms1oc';
const SECRET: string = ACCOUNTS.sms1oc.appSecret;
const TEMPLATE = 'SMS_0001';
// Starts with no response delay; the concurrency test sets one, and it is put back before each test.
const sim = useSimulator();

const run = runNode({ type: TYPE, node: Sms1oc, credential: Sms1ocApi, credentials: () => credentialsFor('sms1oc', sim().url) });

const requests = (): Recorded[] => sim().requests;
const send = (more: INodeParameters = {}): INodeParameters => ({ operation: 'send', phones: '13800138000', template: TEMPLATE, code: '123456', ...more });

describe('1oc send, on the wire', () => {
	it('sends one GET per number with the raw secret as Authorization and nothing secret in the URL', async () => {
		const { output, error } = await run(send({ phones: '+86-138-0013-8000; 13900139000', options: { concurrency: 1 } }));
		expect(error).toBeUndefined();

		expect(requests().map((request) => [request.method, request.url])).toEqual([
			['GET', '/?module=sms&file=send&action=send&mobphone=13800138000&code=123456&smstemplate=SMS_0001'],
			['GET', '/?module=sms&file=send&action=send&mobphone=13900139000&code=123456&smstemplate=SMS_0001'],
		]);
		for (const request of requests()) {
			expect(request.headers.authorization).toBe(SECRET);
			expect(request.headers['content-type']).toBeUndefined();
			expect(request.headers['content-length'] ?? '0').toBe('0');
			expect(request.url).not.toContain(SECRET);
		}

		const calls = requests();
		expect(calls.map((call) => call.operation)).toEqual(['send', 'send']);
		const mids = calls.map((call) => JSON.parse(call.response.body).mid as string);
		expect(mids.every((mid) => /^[0-9A-F]{16}$/.test(mid))).toBe(true);

		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			vendor: 'sms1oc',
			operation: 'send',
			success: true,
			recipients: [
				{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: mids[0], status: '200' },
				{ phone: '13900139000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: mids[1], status: '200' },
			],
			messageId: `${mids[0]},${mids[1]}`,
			raw: [
				{ code: 200, msg: 'ok', mid: mids[0] },
				{ code: 200, msg: 'ok', mid: mids[1] },
			],
		});
	});

	it('percent-encodes Chinese template names and codes as UTF-8, and the vendor decodes them back', async () => {
		const code = '张三 & 李四+1=2';
		const { output, error } = await run(send({ template: '会员通知', code }));
		expect(error).toBeUndefined();
		expect(requests()[0].url).toBe(
			'/?module=sms&file=send&action=send&mobphone=13800138000' +
				'&code=%E5%BC%A0%E4%B8%89%20%26%20%E6%9D%8E%E5%9B%9B%2B1%3D2' +
				'&smstemplate=%E4%BC%9A%E5%91%98%E9%80%9A%E7%9F%A5',
		);
		expect(requests()[0].query).toEqual({ module: 'sms', file: 'send', action: 'send', mobphone: '13800138000', code, smstemplate: '会员通知' });
		expect(requests()[0].detail!.message!.content).toBe('【1oc测试】尊敬的张三 & 李四+1=2，您的会员已开通。');
		expect(output[0].json.success).toBe(true);
	});

	it('gives each item its own output and its messageId, and keeps raw an array for one number', async () => {
		const items = [{ json: { phone: '13800138000', code: '1111' } }, { json: { phone: '13900139000', code: '2222' } }];
		const { output, error } = await run(send({ phones: '={{ $json.phone }}', code: '={{ $json.code }}' }), items);
		expect(error).toBeUndefined();
		const byPhone = new Map(requests().map((call) => [call.query.mobphone, call]));
		expect(byPhone.get('13800138000')!.query.code).toBe('1111');
		expect(byPhone.get('13900139000')!.query.code).toBe('2222');
		output.forEach((item, index) => {
			const call = byPhone.get(items[index].json.phone)!;
			const mid = JSON.parse(call.response.body).mid;
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.messageId).toBe(mid);
			expect(item.json.raw).toEqual([{ code: 200, msg: 'ok', mid }]);
		});
	});

	it('runs at most Concurrency calls at once', async () => {
		sim().configure({ responseDelayMs: 150 });
		const phones = Array.from({ length: 8 }, (_, i) => `1390013900${i}`).join(',');
		const { output, error } = await run(send({ phones, options: { concurrency: 3 } }));
		expect(error).toBeUndefined();
		expect(requests()).toHaveLength(8);
		expect(sim().maxInFlight.sms1oc).toBe(3);
		expect((output[0].json.recipients as unknown[]).length).toBe(8);
	});
});

describe('1oc send, bad input', () => {
	it('validates every item before sending: one bad number means nothing is sent', async () => {
		const { error, output } = await run(send({ phones: '={{ $json.phones }}' }), [
			{ json: { phones: '13800138000' } },
			{ json: { phones: '13900139000, 1380013800' } },
		]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Phone 1380013800 on item 1 has 10 digits; a mainland mobile number has 11 digits and starts with 1');
		expect(output).toEqual([]);
		expect(requests()).toHaveLength(0);
	});

	it.each([
		[{ template: '  ' }, 'Template is empty on item 0'],
		[{ phones: ' , ' }, 'Phones is empty on item 0'],
		[{ phones: '138001380001' }, 'Phone 138001380001 on item 0 has 12 digits'],
		[{ phones: '13800138000,1380013800x' }, 'Phone 1380013800x on item 0 contains characters that are not digits'],
	])('refuses bad input before sending anything: %#', async (override, message) => {
		const { error } = await run(send(override));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toContain(message);
		expect(requests()).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item gets its error and the others are sent', async () => {
		const { error, output } = await run(
			send({ phones: '={{ $json.phones }}' }),
			[{ json: { phones: '13800138000' } }, { json: { phones: '12345' } }, { json: { phones: '13900139000' } }],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests().map((call) => call.query.mobphone).sort()).toEqual(['13800138000', '13900139000']);
		expect(output[0].json.success).toBe(true);
		expect(output[1].json).toEqual({ error: expect.stringContaining('Phone 12345 on item 1'), details: expect.stringContaining('Nothing was sent.') });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json.success).toBe(true);
	});
});

describe('1oc send, vendor errors', () => {
	it('turns 校验失败 into an English message that keeps the code and the vendor text, without the secret', async () => {
		const secret = 'wrong-1oc-secret-4711';
		const { error } = await run(send(), undefined, { credentials: { appSecret: secret } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('1oc error 400: Verification failed (校验失败)');
		expect((error as NodeApiError).description).toContain('Check the App Secret');
		expect(requests()[0].headers.authorization).toBe(secret);
		expect(requests()[0].detail!.reason).toBe('wrong secret');
		expect(`${error!.message} ${(error as NodeApiError).description} ${error!.stack} ${JSON.stringify(error)}`).not.toContain(secret);
		// n8n copies a node's error with { ...error } into the execution and serializes it: the copy
		// must not drag the execution context along (a real n8n runs out of memory on it).
		expect(Object.keys(error!)).not.toContain('ctx');
		expect(JSON.stringify({ ...error }).length).toBeLessThan(5000);
	});

	it('reports a template 1oc does not know with its code, and sends no further call', async () => {
		const { error } = await run(send({ template: 'NO_SUCH', phones: '13800138000,13900139000', options: { concurrency: 1 } }));
		expect(error!.message).toBe('1oc error 400: Verification failed (校验失败)');
		expect(requests()).toHaveLength(1);
	});

	it('says that some numbers were already sent when a later call fails', async () => {
		sim().configure({ sms1oc: { balance: 1 } });
		const { error } = await run(send({ phones: '13800138000,13900139000', options: { concurrency: 1 } }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('1oc error 400: The account balance is too low (余额不足)');
		expect((error as NodeApiError).description).toContain('1 of 2 vendor calls (1 numbers) had been accepted');
	});

	it('with Continue On Fail, a vendor error lands on its recipient and the item is not a success', async () => {
		sim().configure({ sms1oc: { balance: 1 } });
		const { output, error } = await run(send({ phones: '13800138000,13900139000', options: { concurrency: 1 } }), undefined, { continueOnFail: true });
		expect(error).toBeUndefined();
		const mid = JSON.parse(requests()[0].response.body).mid;
		expect(output[0].json).toMatchObject({
			success: false,
			messageId: mid,
			recipients: [
				{ phone: '13800138000', accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', messageId: mid, status: '200' },
				{ phone: '13900139000', accepted: false, error: '1oc error 400: The account balance is too low (余额不足)' },
			],
			raw: [{ code: 200, msg: 'ok', mid }],
			error: '1oc error 400: The account balance is too low (余额不足)',
		});
	});

	it('reports an unreachable vendor as not sent', async () => {
		const { error } = await run(send({ options: { timeout: 2000 } }), undefined, { credentials: { baseUrl: 'http://127.0.0.1:9' } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('Could not reach 1oc SMS at 127.0.0.1:9 (connection refused); nothing was sent');
	});

	it('reports the HTTP status of a base URL that is not the API', async () => {
		// The simulator serves the site's home page at / without the send parameters; a base URL
		// with a path lands on a 404 of the simulator itself.
		const { error } = await run(send(), undefined, { credentials: { baseUrl: `${sim().url}/wrong/path` } });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe('1oc SMS answered HTTP 404');
	});
});

describe('1oc send over HTTPS', () => {
	it('verifies the certificate by default, and Ignore SSL Issues lets a self-signed one through', async () => {
		const tls = await startTlsProxy(sim().url);
		try {
			const strict = await run(send(), undefined, { credentials: { baseUrl: tls.url } });
			expect(strict.error).toBeInstanceOf(NodeApiError);
			expect(strict.error!.message).toMatch(/^The TLS certificate of 1oc SMS at 127\.0\.0\.1:\d+ could not be verified; nothing was sent$/);
			expect((strict.error as NodeApiError).description).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
			expect((strict.error as NodeApiError).description).toContain('Ignore SSL Issues');
			expect(tls.seen).toHaveLength(0);
			expect(requests()).toHaveLength(0);

			const lenient = await run(send({ options: { allowUnauthorizedCerts: true } }), undefined, { credentials: { baseUrl: tls.url } });
			expect(lenient.error).toBeUndefined();
			expect(tls.seen).toHaveLength(1);
			expect(tls.seen[0].headers.authorization).toBe(SECRET);
			expect(lenient.output[0].json.success).toBe(true);
		} finally {
			await tls.close();
		}
	});
});
