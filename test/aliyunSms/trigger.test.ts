/**
 * The Alibaba Cloud SMS trigger served through n8n-core's real WebhookContext on 127.0.0.1, receiving
 * the simulator's HTTP batch pushes (JSON arrays of SmsReport and SmsUp items) and hand-written ones.
 */
import { AliyunSmsApi } from '../../credentials/AliyunSmsApi.credentials';
import { AliyunSms } from '../../nodes/AliyunSms/AliyunSms.node';
import { AliyunSmsTrigger } from '../../nodes/AliyunSms/AliyunSmsTrigger.node';
import { waitFor } from '../helpers/http';
import { runNode } from '../helpers/run-node';
import { credentialsFor, useSimulator } from '../helpers/simulator';
import { useTriggers } from '../helpers/triggers';

const TYPE = 'n8n-nodes-cn-sms.aliyunSmsTrigger';
const JSON_TYPE = 'application/json;charset=utf-8';
const ANSWER = '{"code":0,"msg":"接收成功"}';

const sim = useSimulator({ pushDelayMs: 20 });
const { trigger, post } = useTriggers({ type: TYPE, nodeType: AliyunSmsTrigger, contentType: JSON_TYPE });
const send = runNode({ type: 'n8n-nodes-cn-sms.aliyunSms', node: AliyunSms, credential: AliyunSmsApi, credentials: () => credentialsFor('aliyunSms', sim().url) });

const REPORT = {
	phone_number: '13800138000',
	send_time: '2024-05-06 07:08:09',
	report_time: '2024-05-06 07:08:19',
	success: true,
	err_code: 'DELIVERED',
	err_msg: '用户接收成功',
	sms_size: '1',
	biz_id: '375420194646745909^0',
	out_id: 'order-42',
};

describe('Alibaba Cloud SMS trigger, over real HTTP', () => {
	it('answers {"code":0,"msg":"接收成功"} as JSON and emits one item per record of a batch push', async () => {
		const server = await trigger();
		const answer = await post(server.url, JSON.stringify([REPORT, { ...REPORT, phone_number: '13900139000', success: false, err_code: 'MK:0001', err_msg: '用户关机', out_id: undefined }]));
		expect(answer).toMatchObject({ status: 200, body: ANSWER, contentType: expect.stringContaining('application/json') });
		expect(JSON.parse(answer.body).code).toBe(0);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].map((item) => item.json)).toEqual([
			{
				vendor: 'aliyunSms',
				event: 'delivery',
				phone: '13800138000',
				messageId: '375420194646745909^0',
				delivered: true,
				status: 'DELIVERED',
				statusText: 'Delivered',
				receivedAt: '2024-05-06T07:08:19+08:00',
				sentAt: '2024-05-06T07:08:09+08:00',
				segments: 1,
				outId: 'order-42',
				raw: REPORT,
			},
			expect.objectContaining({ phone: '13900139000', delivered: false, status: 'MK:0001', statusText: 'Not delivered (MK:0001: 用户关机)' }),
		]);
	});

	it('turns an SmsUp push into reply items: content, messageId from sequence_id (a number or a string)', async () => {
		const server = await trigger();
		await post(
			server.url,
			JSON.stringify([
				{ phone_number: '8613800138000', content: '退订 & 谢谢', send_time: '2024-05-06 07:09:00', dest_code: '1234', sequence_id: 1234567, sign_name: '阿里云短信测试' },
				{ phone_number: '13900139000', content: '好', send_time: '2024-05-06 07:09:01', dest_code: '1234', sequence_id: '1234568' },
			]),
		);
		expect(server.executions[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'reply', phone: '13800138000', messageId: '1234567', content: '退订 & 谢谢', receivedAt: '2024-05-06T07:09:00+08:00', signName: '阿里云短信测试' }),
			expect.objectContaining({ event: 'reply', phone: '13900139000', messageId: '1234568', content: '好' }),
		]);
		expect(server.executions[0][0].json).not.toHaveProperty('delivered');
	});

	it('a send through the node is reported to the trigger by the simulator, tied by messageId and phone', async () => {
		const server = await trigger();
		sim().configure({ autoPush: { aliyunSms: { delivery: server.url, reply: server.url } }, autoReply: true });
		const { output } = await send({ operation: 'send', signName: '阿里云短信测试', templateCode: 'SMS_100000002', phones: '13800138000, 13900000000' });
		const messageId = output[0].json.messageId;
		await waitFor(() => server.executions.length >= 2 || undefined, 'the report and the reply');
		const items = server.executions.flat().map((item) => item.json);
		expect(items).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ event: 'delivery', phone: '13800138000', messageId, delivered: true }),
				expect.objectContaining({ event: 'delivery', phone: '13900000000', messageId, delivered: false }),
				expect.objectContaining({ event: 'reply', phone: '13800138000', content: '收到' }),
			]),
		);
		expect(sim().pushes.every((push: { contentType: string; answer: string }) => push.answer === ANSWER)).toBe(true);
	});

	it('answers a malformed push 400 and starts nothing; a form is not an Aliyun push', async () => {
		const server = await trigger();
		expect((await post(server.url, '[{"phone_number":"138')).status).toBe(400);
		expect((await post(server.url, 'phone_number=13800138000', 'application/x-www-form-urlencoded')).status).toBe(400);
		expect((await post(server.url, JSON.stringify([{ phone_number: '13800138000', hello: 1 }]))).status).toBe(400);
		expect(server.executions).toHaveLength(0);
	});

	it('with events = [reply], answers a report push with the success body and starts nothing', async () => {
		const server = await trigger({ events: ['reply'] });
		expect(await post(server.url, JSON.stringify([REPORT]))).toMatchObject({ status: 200, body: ANSWER });
		expect(server.executions).toHaveLength(0);
	});

	it('with a Secret Token, a push without it gets 401 and starts nothing', async () => {
		const server = await trigger({ settings: { secretToken: 's3cret' } });
		expect((await post(server.url, JSON.stringify([REPORT]))).status).toBe(401);
		expect((await post(`${server.url}?token=s3cret`, JSON.stringify([REPORT]))).status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});
});
