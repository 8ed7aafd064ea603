/**
 * The Veesing trigger served through n8n-core's real WebhookContext on 127.0.0.1, receiving the
 * simulator's form pushes (receipts and replies to one URL) and hand-written ones.
 */
import { VeesingTrigger } from '../../nodes/Veesing/VeesingTrigger.node';
import { waitFor } from '../helpers/http';
import { useSimulator } from '../helpers/simulator';
import { useTriggers } from '../helpers/triggers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { VEESING_ACCOUNT, FIRST_TASK_ID } = require('../../simulator/vendors/veesing');

const TYPE = 'n8n-nodes-cn-sms.veesingTrigger';
const FORM = 'application/x-www-form-urlencoded;charset=utf-8';

// A short push delay: one test waits for the simulator's own pushes after a send.
const sim = useSimulator({ pushDelayMs: 20 });
const { trigger, post } = useTriggers({ type: TYPE, nodeType: VeesingTrigger, contentType: FORM });

describe('Veesing trigger, over real HTTP', () => {
	it('turns a receipt into one delivery item and answers ok', async () => {
		const server = await trigger();
		const answer = await sim().push({
			vendor: 'veesing',
			url: server.url,
			kind: 'delivery',
			records: [{ phone: '13800138000', taskId: '3313746', status: '1', receiveTime: '2019-07-23 17:00:00' }],
		});
		expect(answer).toEqual({ status: 200, body: 'ok' });
		expect(sim().pushes[0]).toMatchObject({
			contentType: FORM,
			body: 'mobile=13800138000&taskid=3313746&status=1&receivetime=2019-07-23+17%3A00%3A00',
		});
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].map((item) => item.json)).toEqual([
			{
				vendor: 'veesing',
				event: 'delivery',
				phone: '13800138000',
				messageId: '3313746',
				delivered: true,
				status: '1',
				statusText: 'Delivered',
				receivedAt: '2019-07-23T17:00:00+08:00',
				raw: { mobile: '13800138000', taskid: '3313746', status: '1', receivetime: '2019-07-23 17:00:00' },
			},
		]);
	});

	it('reads a failed receipt (status 0) as not delivered', async () => {
		const server = await trigger();
		await sim().push({ vendor: 'veesing', url: server.url, kind: 'delivery', records: [{ phone: '13800000000', taskId: '77', status: '0' }] });
		expect(server.executions[0][0].json).toMatchObject({
			event: 'delivery',
			phone: '13800000000',
			messageId: '77',
			delivered: false,
			status: '0',
			statusText: 'Not delivered (Veesing gives no reason)',
		});
	});

	it('turns a reply into one reply item, content decoded', async () => {
		const server = await trigger();
		const answer = await sim().push({
			vendor: 'veesing',
			url: server.url,
			kind: 'reply',
			records: [{ phone: '15080920000', taskId: '123', content: '收到 & 谢谢+1', receiveTime: '2019-07-23 17:00:00' }],
		});
		expect(answer).toEqual({ status: 200, body: 'ok' });
		expect(server.executions[0].map((item) => item.json)).toEqual([
			{
				vendor: 'veesing',
				event: 'reply',
				phone: '15080920000',
				messageId: '123',
				content: '收到 & 谢谢+1',
				receivedAt: '2019-07-23T17:00:00+08:00',
				raw: { mobile: '15080920000', taskid: '123', content: '收到 & 谢谢+1', receivetime: '2019-07-23 17:00:00' },
			},
		]);
	});

	it('takes the documented fields as a Java client would post them, +86 prefix and all', async () => {
		const server = await trigger();
		const answer = await post(server.url, 'mobile=%2B8615080920000&taskid=123&status=1&receivetime=2019-07-23%2017%3A00%3A00');
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' });
		expect(server.executions[0][0].json).toMatchObject({ phone: '15080920000', messageId: '123', delivered: true, receivedAt: '2019-07-23T17:00:00+08:00' });
	});

	it('receives the receipt and the reply of a real send at one URL', async () => {
		const server = await trigger();
		sim().configure({ autoPush: { veesing: { delivery: server.url, reply: server.url } }, autoReply: true });
		const sent = await fetch(`${sim().url}/smsApi/verifyCode`, {
			method: 'POST',
			headers: { 'Content-Type': FORM },
			body: new URLSearchParams({ appId: VEESING_ACCOUNT.appId, appKey: VEESING_ACCOUNT.appKey, phone: '13800138000', templateId: '540', variables: '1234' }),
		});
		expect(((await sent.json()) as { taskId: string }).taskId).toBe(String(FIRST_TASK_ID));
		await waitFor(() => (server.executions.length >= 2 && sim().pushes.length >= 2) || undefined, 'a receipt and a reply');
		const items = server.executions.map((execution) => execution[0].json);
		expect(items.map((item) => [item.event, item.phone, item.messageId])).toEqual([
			['delivery', '13800138000', String(FIRST_TASK_ID)],
			['reply', '13800138000', String(FIRST_TASK_ID)],
		]);
		expect(items[1].content).toBe('收到');
		expect(sim().pushes.map((p: { status: number; answer: string }) => [p.status, p.answer])).toEqual([
			[200, 'ok'],
			[200, 'ok'],
		]);
	});

	it('answers a filtered-out push with ok and starts nothing', async () => {
		const server = await trigger({ events: ['reply'] });
		const answer = await sim().push({ vendor: 'veesing', url: server.url, kind: 'delivery', records: [{ phone: '13800138000', taskId: '1' }] });
		expect(answer).toEqual({ status: 200, body: 'ok' });
		expect(server.executions).toHaveLength(0);
		await sim().push({ vendor: 'veesing', url: server.url, kind: 'reply', records: [{ phone: '13800138000', taskId: '1', content: 'TD' }] });
		expect(server.executions).toHaveLength(1);
	});

	it('rejects a push without the secret token with 401 and starts nothing', async () => {
		const server = await trigger({ settings: { secretToken: 's3cret' } });
		const records = [{ phone: '13800138000', taskId: '1' }];
		const wrong = await sim().push({ vendor: 'veesing', url: `${server.url}?token=guess`, kind: 'delivery', records });
		const missing = await sim().push({ vendor: 'veesing', url: server.url, kind: 'delivery', records });
		expect([wrong.status, missing.status]).toEqual([401, 401]);
		expect(wrong.body).not.toContain('s3cret');
		expect(server.executions).toHaveLength(0);
		const right = await sim().push({ vendor: 'veesing', url: `${server.url}?token=s3cret`, kind: 'delivery', records });
		expect(right).toEqual({ status: 200, body: 'ok' });
		expect(server.executions).toHaveLength(1);
	});

	it('answers malformed pushes 400 with the reason, and keeps working after them', async () => {
		const server = await trigger();
		const cases: Array<[string, string]> = [
			['{"mobile":"13800138000","status":"1"}', 'Veesing pushes a form'],
			['<xml><mobile>13800138000</mobile></xml>', 'Veesing pushes a form'],
			['taskid=1&status=1', 'no mobile'],
			['mobile=13800138000&taskid=1', 'neither status (a receipt) nor content (a reply)'],
			['', 'empty'],
		];
		for (const [body, reason] of cases) {
			const answer = await post(server.url, body);
			expect(answer.status).toBe(400);
			expect(answer.body).toContain(reason);
		}
		expect(server.executions).toHaveLength(0);
		expect(await post(server.url, 'mobile=13800138000&taskid=9&status=1&receivetime=2019-07-23 17:00:00')).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' });
		expect(server.executions).toHaveLength(1);
	});

	it('lets the user change the success answer', async () => {
		const server = await trigger({ settings: { responseBody: 'SUCCESS' } });
		const answer = await sim().push({ vendor: 'veesing', url: server.url, kind: 'delivery', records: [{ phone: '13800138000', taskId: '1' }] });
		expect(answer).toEqual({ status: 200, body: 'SUCCESS' });
	});
});
