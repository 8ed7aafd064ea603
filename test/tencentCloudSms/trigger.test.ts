/**
 * The Tencent Cloud SMS trigger served through n8n-core's real WebhookContext on 127.0.0.1, receiving the
 * simulator's callbacks (status reports as a JSON array, a reply as one object) and hand-written ones.
 */
import { TencentCloudSmsTrigger } from '../../nodes/TencentCloudSms/TencentCloudSmsTrigger.node';
import { useSimulator } from '../helpers/simulator';
import { useTriggers } from '../helpers/triggers';

const TYPE = 'n8n-nodes-cn-sms.tencentCloudSmsTrigger';
const OK = '{"result":0,"errmsg":"OK"}';
const sim = useSimulator({ pushDelayMs: 20 });
const { trigger, post } = useTriggers({ type: TYPE, nodeType: TencentCloudSmsTrigger, contentType: 'application/json' });

describe('Tencent Cloud SMS trigger, over real HTTP', () => {
	it('turns a status callback of 150 records into two pushes and 150 items, answering {"result":0}', async () => {
		const server = await trigger();
		const records = Array.from({ length: 150 }, (_, i) => ({ phone: `+86138${String(i).padStart(8, '0')}`, serialNo: `5000:${i}`, status: i === 0 ? 'FAIL' : 'SUCCESS' }));
		const answer = await sim().push({ vendor: 'tencentCloudSms', url: server.url, kind: 'delivery', records });
		expect(answer).toEqual({ status: 200, body: OK });
		expect(sim().pushes.map((push: { body: string }) => JSON.parse(push.body).length)).toEqual([100, 50]);
		const items = server.executions.flat().map((item) => item.json);
		expect(items).toHaveLength(150);
		expect(items[0]).toMatchObject({ vendor: 'tencentCloudSms', event: 'delivery', phone: '13800000000', messageId: '5000:0', delivered: false, status: 'MK:0001' });
		expect(items[1]).toMatchObject({ delivered: true, status: 'DELIVRD' });
	});

	it('turns a reply callback (one object) into one reply item', async () => {
		const server = await trigger();
		expect(await sim().push({ vendor: 'tencentCloudSms', url: server.url, kind: 'reply', records: [{ phone: '13800138000', text: '退订', sign: '腾讯云' }] })).toEqual({ status: 200, body: OK });
		expect(server.executions[0].map((item) => item.json)).toEqual([expect.objectContaining({ event: 'reply', phone: '13800138000', content: '退订', signName: '腾讯云' })]);
	});

	it('answers a filtered-out callback the same way and starts nothing; refuses a wrong token and a malformed body', async () => {
		const replies = await trigger({ events: ['reply'] });
		const status = '[{"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13900000000","report_status":"SUCCESS","errmsg":"DELIVRD","description":"ok","sid":"5000:1","ext":""}]';
		expect(await post(replies.url, status)).toMatchObject({ status: 200, body: OK });
		expect(replies.executions).toHaveLength(0);
		const guarded = await trigger({ settings: { secretToken: 's3cret' } });
		expect((await post(guarded.url, status)).status).toBe(401);
		expect((await post(`${guarded.url}?token=s3cret`, status)).status).toBe(200);
		expect((await post(guarded.url.replace(/\?.*/, '') + '?token=s3cret', '[{"mobile":"1"}]')).status).toBe(400);
	});
});
