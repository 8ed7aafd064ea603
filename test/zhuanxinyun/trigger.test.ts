import { ZhuanxinyunTrigger } from '../../nodes/Zhuanxinyun/ZhuanxinyunTrigger.node';
import { useSimulator } from '../helpers/simulator';
import { useTriggers } from '../helpers/triggers';

const TYPE = 'n8n-nodes-cn-sms.zhuanxinyunTrigger';

const sim = useSimulator();
// Zhuanxinyun pushes XML.
const { trigger, post } = useTriggers({ type: TYPE, nodeType: ZhuanxinyunTrigger, contentType: 'text/xml;charset=UTF-8' });

describe('Zhuanxinyun trigger, over real HTTP', () => {
	it('turns a status report with several records into one item each and answers SUCCESS', async () => {
		const server = await trigger();
		const answer = await sim().push({
			vendor: 'zhuanxinyun',
			url: server.url,
			kind: 'delivery',
			records: [
				{ missionNum: 'm1', phone: '13800138000', batchNum: 'b1', realStatus: 'DELIVRD', statTime: '2017-04-21 22:42:22' },
				{ missionNum: 'm2', phone: '13900139000', batchNum: 'b1', realStatus: 'MK:0001', statTime: '2017-04-21 22:42:23' },
				{ missionNum: 'm3', phone: '13700137000', batchNum: 'b1', realStatus: '0', statTime: '2017-04-21 22:42:24' },
			],
		});
		expect(answer).toEqual({ status: 200, body: 'SUCCESS' });
		expect(server.executions).toHaveLength(1);
		const items = server.executions[0].map((item) => item.json);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({
			vendor: 'zhuanxinyun',
			event: 'delivery',
			phone: '13800138000',
			messageId: 'm1',
			batchId: 'b1',
			delivered: true,
			status: 'DELIVRD',
			statusText: 'Delivered',
			receivedAt: '2017-04-21T22:42:22+08:00',
		});
		expect(items[1]).toMatchObject({ messageId: 'm2', delivered: false, status: 'MK:0001', statusText: 'The number does not exist' });
		expect(items[2]).toMatchObject({ messageId: 'm3', delivered: true, status: '0' });
		expect(items[0].raw).toMatchObject({ mission_num: 'm1', dest_id: '13800138000' });
	});

	it('takes the document sample as it is, leading space in batch_num included', async () => {
		const server = await trigger();
		const sample = `<?xml version="1.0" encoding="UTF-8"?>
<xml>
<head>
<app_key>nqzuhh1wq9lxlpya1q0976gdb50p1eqi</app_key>
<time_stamp>20160823143033</time_stamp>
<nonce_str>sdowenfwierhfwdkpkadbi</nonce_str>
<sign>72b16e1d63b9f2f2ee588df4e88d7706</sign>
</head>
<body>
<records>
<record>
<mission_num>100001</mission_num>
<dest_id>15267797477</dest_id>
<send_status>SUCCESS</send_status>
<receive_status>SUCCESS</receive_status>
<receive_real_status>DELIVRD</receive_real_status>
<batch_num> zhuanxinyun100001</batch_num>
<stat_time>2017-04-21 22:42:22</stat_time>
</record>
</records>
</body>
</xml>`;
		expect(await post(server.url, sample)).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'SUCCESS' });
		expect(server.executions[0][0].json).toMatchObject({ messageId: '100001', batchId: 'zhuanxinyun100001', phone: '15267797477' });
	});

	it('normalizes a reply: the 86 prefix goes, the content and time stay', async () => {
		const server = await trigger();
		const answer = await sim().push({
			vendor: 'zhuanxinyun',
			url: server.url,
			kind: 'reply',
			records: [{ phone: '13800138000', content: '收到, 谢谢 <ok> & 好', destId: '410001123' }],
		});
		expect(answer.status).toBe(200);
		const item = server.executions[0][0].json;
		expect(item).toMatchObject({ vendor: 'zhuanxinyun', event: 'reply', phone: '13800138000', content: '收到, 谢谢 <ok> & 好', extension: '410001123' });
		expect(item.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
		expect((item.raw as { src_id: string }).src_id).toBe('8613800138000');
	});

	it('answers a filtered-out push with SUCCESS and starts nothing', async () => {
		const server = await trigger({ events: ['reply'] });
		const answer = await sim().push({ vendor: 'zhuanxinyun', url: server.url, kind: 'delivery', records: [{ missionNum: 'm1', phone: '13800138000' }] });
		expect(answer).toEqual({ status: 200, body: 'SUCCESS' });
		expect(server.executions).toHaveLength(0);
	});

	it('rejects a push without the secret token with 401 and starts nothing', async () => {
		const server = await trigger({ settings: { secretToken: 's3cret' } });
		const records = [{ missionNum: 'm1', phone: '13800138000' }];
		const wrong = await sim().push({ vendor: 'zhuanxinyun', url: `${server.url}?token=guess`, kind: 'delivery', records });
		const missing = await sim().push({ vendor: 'zhuanxinyun', url: server.url, kind: 'delivery', records });
		expect(wrong.status).toBe(401);
		expect(missing.status).toBe(401);
		expect(wrong.body).not.toContain('s3cret');
		expect(server.executions).toHaveLength(0);
		const right = await sim().push({ vendor: 'zhuanxinyun', url: `${server.url}?token=s3cret`, kind: 'delivery', records });
		expect(right).toEqual({ status: 200, body: 'SUCCESS' });
		expect(server.executions).toHaveLength(1);
	});

	it('answers malformed pushes 400 with the reason, and keeps working after them', async () => {
		const server = await trigger();
		const cases: Array<[string, string]> = [
			['<xml><body><records><record><dest_id>138', 'malformed'],
			['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a8 "boom">]><xml><body>&a8;</body></xml>', 'DOCTYPE'],
			['<xml><body></body></xml>', 'neither <records>'],
			['{"mission_num":"m1"}', 'Zhuanxinyun pushes XML'],
			['', 'empty'],
			['<xml><body><records><record><mission_num>m</mission_num></record></records></body></xml>', 'no <dest_id>'],
		];
		for (const [body, reason] of cases) {
			const answer = await post(server.url, body);
			expect(answer.status).toBe(400);
			expect(answer.body).toContain(reason);
		}
		expect(server.executions).toHaveLength(0);
		const valid = await sim().push({ vendor: 'zhuanxinyun', url: server.url, kind: 'delivery', records: [{ missionNum: 'm9', phone: '13800138000' }] });
		expect(valid).toEqual({ status: 200, body: 'SUCCESS' });
		expect(server.executions).toHaveLength(1);
	});

	it('lets the user change the success answer', async () => {
		const server = await trigger({ settings: { responseBody: 'OK' } });
		const answer = await sim().push({ vendor: 'zhuanxinyun', url: server.url, kind: 'delivery', records: [{ missionNum: 'm1', phone: '13800138000' }] });
		expect(answer).toEqual({ status: 200, body: 'OK' });
	});
});
