/**
 * The 1oc SMS Trigger served through n8n-core's real WebhookContext on 127.0.0.1, receiving the
 * simulator's pushes (real bytes, real sockets), and fed by real sends of the 1oc SMS node.
 */
import { Sms1ocApi } from '../../credentials/Sms1ocApi.credentials';
import { Sms1oc } from '../../nodes/Sms1oc/Sms1oc.node';
import { Sms1ocTrigger } from '../../nodes/Sms1oc/Sms1ocTrigger.node';
import { waitFor } from '../helpers/http';
import { credentialsFor, useSimulator } from '../helpers/simulator';
import { useTriggers } from '../helpers/triggers';
import { runWorkflow } from '../helpers/workflow';

const TYPE = 'n8n-nodes-cn-sms.sms1ocTrigger';

// A short push delay: one test waits for the reports the simulator pushes after real sends.
const sim = useSimulator({ pushDelayMs: 50 });
// 1oc pushes JSON.
const { trigger, post } = useTriggers({ type: TYPE, nodeType: Sms1ocTrigger, contentType: 'application/json' });

describe('1oc trigger, over real HTTP', () => {
	it("takes the document's sample and answers ok", async () => {
		const server = await trigger();
		const answer = await post(server.url, '{"mid":"1151894566D2EDD9","stat":"DELIVRD"}');
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' });
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].map((item) => item.json)).toEqual([
			{
				vendor: 'sms1oc',
				event: 'delivery',
				phone: null,
				messageId: '1151894566D2EDD9',
				delivered: true,
				status: 'DELIVRD',
				statusText: 'Delivered',
				receivedAt: null,
				raw: { mid: '1151894566D2EDD9', stat: 'DELIVRD' },
			},
		]);
	});

	it('turns every stat code of the document, and unknown ones, into delivered or not', async () => {
		const server = await trigger();
		const stats = [
			'DELIVRD', 'EXPIRED', 'DELETED', 'REJECTED',
			'MA:0001', 'MA:0002', 'MA:0003', 'MA:0004', 'MA:0005', 'MA:0006', 'MA:0009', 'MA:0011', 'MA:0015', 'MA:0017',
			'MA:0021', 'MA:0022', 'MA:0023', 'MA:0024', 'MA:0025', 'MA:0026', 'MA:0027', 'MA:0028', 'MA:0029', 'MA:0030',
			'MA:0033', 'MA:0044', 'MO:200', 'MO:0254', 'MO:0255',
			'MO:0999', 'SOMETHING',
		];
		for (const [index, stat] of stats.entries()) {
			const answer = await sim().push({ vendor: 'sms1oc', url: server.url, kind: 'delivery', records: [{ mid: `M${index}`, stat }] });
			expect(answer).toEqual({ status: 200, body: 'ok' });
		}
		const items = server.executions.map((execution) => execution[0].json);
		expect(items.map((item) => [item.messageId, item.status, item.delivered])).toEqual(
			stats.map((stat, index) => [`M${index}`, stat, stat === 'DELIVRD']),
		);
		expect(items.every((item) => typeof item.statusText === 'string' && (item.statusText as string).length > 0)).toBe(true);
		expect(new Set(items.map((item) => item.statusText)).size).toBe(stats.length);
		expect(items[29].statusText).toBe('Not delivered: the upstream gateway answered 0999 (its meaning is defined by that gateway)');
		expect(items[30].statusText).toBe('Not delivered (status SOMETHING)');
		// Exactly the document's body on the wire, one report per push.
		expect(sim().pushes.map((push: { body: string }) => push.body).slice(0, 2)).toEqual(['{"mid":"M0","stat":"DELIVRD"}', '{"mid":"M1","stat":"EXPIRED"}']);
	});

	it('receives the reports of real sends, tied to them by messageId', async () => {
		const server = await trigger();
		sim().configure({ autoPush: { sms1oc: { delivery: server.url } } });
		const { output, error } = await runWorkflow({
			nodeTypes: { 'n8n-nodes-cn-sms.sms1oc': new Sms1oc() },
			credentialTypes: { sms1ocApi: new Sms1ocApi() },
			credentials: { sms1ocApi: credentialsFor('sms1oc', sim().url) },
			node: {
				type: 'n8n-nodes-cn-sms.sms1oc',
				parameters: { operation: 'send', phones: '13800138000, 13800000000, 13800000001', template: 'SMS_0001', code: '8848' },
			},
		});
		expect(error).toBeUndefined();
		const recipients = output[0].json.recipients as Array<{ phone: string; messageId: string }>;
		await waitFor(() => server.executions.length === 3 || undefined, 'three reports', 5000);
		const reports = new Map(server.executions.map((execution) => [execution[0].json.messageId, execution[0].json]));
		const byPhone = Object.fromEntries(recipients.map((recipient) => [recipient.phone, reports.get(recipient.messageId)]));
		expect(byPhone['13800138000']).toMatchObject({ delivered: true, status: 'DELIVRD' });
		expect(byPhone['13800000000']).toMatchObject({ delivered: false, status: 'MA:0001', statusText: 'Not delivered: the number is on the global blacklist' });
		expect(byPhone['13800000001']).toMatchObject({ delivered: false, status: 'EXPIRED' });
		// A push is recorded once its answer is back, which may be after the execution started.
		await waitFor(() => sim().pushes.length >= 3 || undefined, 'the three pushes recorded');
		expect(sim().pushes).toHaveLength(3);
		expect(sim().pushes.every((push: { status: number; answer: string; contentType: string }) => push.status === 200 && push.answer === 'ok')).toBe(true);
	});

	it('rejects a push without the secret token with 401 and starts nothing', async () => {
		const server = await trigger({ settings: { secretToken: 's3cret-1oc' } });
		const records = [{ mid: 'M1', stat: 'DELIVRD' }];
		const wrong = await sim().push({ vendor: 'sms1oc', url: `${server.url}?token=guess`, kind: 'delivery', records });
		const missing = await sim().push({ vendor: 'sms1oc', url: server.url, kind: 'delivery', records });
		expect(wrong.status).toBe(401);
		expect(missing.status).toBe(401);
		expect(wrong.body).not.toContain('s3cret-1oc');
		expect(server.executions).toHaveLength(0);
		const right = await sim().push({ vendor: 'sms1oc', url: `${server.url}?token=s3cret-1oc`, kind: 'delivery', records });
		expect(right).toEqual({ status: 200, body: 'ok' });
		expect(server.executions).toHaveLength(1);
	});

	it('answers malformed pushes 400 with the reason, and keeps working after them', async () => {
		const server = await trigger();
		const cases: Array<[string, string]> = [
			['{"mid":"M1","stat":', 'the JSON is malformed'],
			['{"mid":"M1"}', 'a report needs "mid" and "stat"'],
			['<xml><mid>M1</mid><stat>DELIVRD</stat></xml>', '1oc pushes JSON'],
			['', 'the body is empty'],
			['hello', 'neither XML, JSON nor a form'],
		];
		for (const [body, reason] of cases) {
			const answer = await post(server.url, body);
			expect(answer.status).toBe(400);
			expect(answer.body).toContain(reason);
		}
		expect(server.executions).toHaveLength(0);
		const valid = await sim().push({ vendor: 'sms1oc', url: server.url, kind: 'delivery', records: [{ mid: 'M9' }] });
		expect(valid).toEqual({ status: 200, body: 'ok' });
		expect(server.executions[0][0].json).toMatchObject({ messageId: 'M9', status: 'DELIVRD' });
	});

	it('reads the report whatever the Content-Type says', async () => {
		const server = await trigger();
		expect((await post(server.url, '{"mid":"M1","stat":"MA:0022"}', 'text/plain')).status).toBe(200);
		expect((await post(server.url, 'mid=M2&stat=DELIVRD', 'application/x-www-form-urlencoded')).status).toBe(200);
		expect(server.executions.map((execution) => [execution[0].json.messageId, execution[0].json.delivered])).toEqual([
			['M1', false],
			['M2', true],
		]);
	});

	it('lets the user change the answer', async () => {
		const server = await trigger({ settings: { responseBody: '{"code":200}' } });
		const answer = await sim().push({ vendor: 'sms1oc', url: server.url, kind: 'delivery', records: [{ mid: 'M1' }] });
		expect(answer).toEqual({ status: 200, body: '{"code":200}' });
	});
});
