import { ChonryTrigger } from '../../nodes/Chonry/ChonryTrigger.node';
import { waitFor } from '../helpers/http';
import { ACCOUNTS, useSimulator } from '../helpers/simulator';
import { useTriggers } from '../helpers/triggers';

const TYPE = 'n8n-nodes-cn-sms.chonryTrigger';
const SUCCESS = '{"code":"0","msg":"SUCCESS"}';
const FORM = 'application/x-www-form-urlencoded;charset=utf-8';

// A short push delay: one test waits for the simulator's own pushes after a send.
const sim = useSimulator({ pushDelayMs: 20 });
const { trigger, post } = useTriggers({ type: TYPE, nodeType: ChonryTrigger, contentType: FORM });

describe('Chonry trigger, over real HTTP', () => {
	it('turns a form delivery report into one item and answers the JSON the vendor expects', async () => {
		const server = await trigger();
		const answer = await sim().push({
			vendor: 'chonry',
			url: server.url,
			kind: 'delivery',
			records: [{ smUuid: '10000_1_0_8613700000000_1_NKWkEcS_1', phone: '8613700000000', batchId: 'abc123456', deliverTime: '2018-01-01 18:00:00' }],
		});
		expect(answer).toEqual({ status: 200, body: SUCCESS });
		expect(sim().pushes[0].body).toBe(
			'smUuid=10000_1_0_8613700000000_1_NKWkEcS_1&mobile=8613700000000&batchId=abc123456&deliverResult=DELIVRD&deliverTime=2018-01-01+18%3A00%3A00',
		);
		expect(sim().pushes[0].contentType).toBe(FORM);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].map((item) => item.json)).toEqual([
			{
				vendor: 'chonry',
				event: 'delivery',
				phone: '13700000000',
				messageId: '10000_1_0_8613700000000_1_NKWkEcS_1',
				batchId: 'abc123456',
				delivered: true,
				status: 'DELIVRD',
				statusText: 'Delivered',
				receivedAt: '2018-01-01T18:00:00+08:00',
				raw: {
					smUuid: '10000_1_0_8613700000000_1_NKWkEcS_1',
					mobile: '8613700000000',
					batchId: 'abc123456',
					deliverResult: 'DELIVRD',
					deliverTime: '2018-01-01 18:00:00',
				},
			},
		]);
	});

	it('answers with Content-Type application/json', async () => {
		const server = await trigger();
		const answer = await post(server.url, 'smUuid=u1&mobile=447911123456&batchId=b1&deliverResult=UNDELIV&deliverTime=2024-05-06+07%3A08%3A09');
		expect(answer).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: SUCCESS });
		expect(server.executions[0][0].json).toMatchObject({
			phone: '447911123456',
			delivered: false,
			status: 'UNDELIV',
			statusText: 'The operator could not deliver the message',
			receivedAt: '2024-05-06T07:08:09+08:00',
		});
	});

	it('normalizes a form reply: the 86 goes, the text stays as written', async () => {
		const server = await trigger();
		const answer = await sim().push({
			vendor: 'chonry',
			url: server.url,
			kind: 'reply',
			records: [{ phone: '8613800138000', content: '好的 + thanks & 100%', receiveTime: '2024-05-06 07:08:09', extNo: '12' }],
		});
		expect(answer).toEqual({ status: 200, body: SUCCESS });
		expect(server.executions[0].map((item) => item.json)).toEqual([
			{
				vendor: 'chonry',
				event: 'reply',
				phone: '13800138000',
				content: '好的 + thanks & 100%',
				extension: '12',
				receivedAt: '2024-05-06T07:08:09+08:00',
				raw: { mobile: '8613800138000', content: '好的 + thanks & 100%', receiveTime: '2024-05-06 07:08:09', extNo: '12' },
			},
		]);
	});

	it('accepts a JSON object, and a JSON array with one item per record', async () => {
		const server = await trigger();
		const one = await post(server.url, '{"smUuid":"u1","mobile":"8613800138000","batchId":"b1","deliverResult":"DELIVRD","deliverTime":"2019-12-10 17:27:16"}', 'application/json');
		expect(one.status).toBe(200);
		const many = await post(
			server.url,
			JSON.stringify([
				{ smUuid: 'u2', mobile: '13800138000', batchId: 'o0ULmxE', deliverResult: 'REJECT', deliverTime: '2019-12-10 17:27:16' },
				{ mobile: '+447911123456', content: 'STOP', receiveTime: '2019-12-10 17:30:00', extNo: '' },
			]),
			'application/json',
		);
		expect(many).toMatchObject({ status: 200, body: SUCCESS });
		expect(server.executions.map((execution) => execution.length)).toEqual([1, 2]);
		expect(server.executions[0][0].json).toMatchObject({ event: 'delivery', messageId: 'u1', batchId: 'b1', delivered: true });
		expect(server.executions[1].map((item) => item.json)).toMatchObject([
			{ event: 'delivery', phone: '13800138000', messageId: 'u2', batchId: 'o0ULmxE', delivered: false, status: 'REJECT' },
			{ event: 'reply', phone: '447911123456', content: 'STOP', receivedAt: '2019-12-10T17:30:00+08:00' },
		]);
	});

	it("receives the simulator's own pushes after a send: a report per number and a reply", async () => {
		const server = await trigger();
		sim().configure({ autoPush: { chonry: { delivery: server.url, reply: server.url } }, autoReply: true });
		const body = new URLSearchParams({
			accesskey: ACCOUNTS.chonry.accessKey,
			secret: ACCOUNTS.chonry.secret,
			templateId: '200',
			mobile: '8613800138000,8613900000000',
			content: encodeURIComponent('1234##5'),
		});
		const res = await fetch(`${sim().url}/intl/api/v2/send`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
		const { batchId } = (await res.json()) as { batchId: string };
		await waitFor(() => server.executions.length >= 3 || undefined, 'two reports and a reply');
		// The simulator records a push once its answer is back, which may be after the execution started.
		await waitFor(() => sim().pushes.length >= 3 || undefined, 'the three pushes recorded');
		const items = server.executions.flatMap((execution) => execution.map((item) => item.json));
		const sent = sim().requests[0].detail.messages as Array<{ phone: string; smUuid: string }>;
		expect(items.filter((item) => item.event === 'delivery').sort((a, b) => String(a.phone).localeCompare(String(b.phone)))).toMatchObject([
			{ phone: '13800138000', messageId: sent[0].smUuid, batchId, delivered: true },
			{ phone: '13900000000', messageId: sent[1].smUuid, batchId, delivered: false, status: 'REJECT' },
		]);
		expect(items.find((item) => item.event === 'reply')).toMatchObject({ phone: '13800138000', content: '收到, thanks' });
		expect(sim().pushes.map((push: { status: number; answer: string }) => [push.status, push.answer])).toEqual([
			[200, SUCCESS],
			[200, SUCCESS],
			[200, SUCCESS],
		]);
	});

	it('answers a filtered-out push with success and starts nothing', async () => {
		const server = await trigger({ events: ['reply'] });
		const answer = await sim().push({ vendor: 'chonry', url: server.url, kind: 'delivery', records: [{ phone: '8613800138000' }] });
		expect(answer).toEqual({ status: 200, body: SUCCESS });
		expect(server.executions).toHaveLength(0);
		await sim().push({ vendor: 'chonry', url: server.url, kind: 'reply', records: [{ phone: '8613800138000', content: 'hi' }] });
		expect(server.executions).toHaveLength(1);
	});

	it('rejects a push without the secret token with 401 and starts nothing', async () => {
		const server = await trigger({ settings: { secretToken: 's3cret' } });
		const records = [{ phone: '8613800138000' }];
		const wrong = await sim().push({ vendor: 'chonry', url: `${server.url}?token=guess`, kind: 'delivery', records });
		const missing = await sim().push({ vendor: 'chonry', url: server.url, kind: 'delivery', records });
		expect([wrong.status, missing.status]).toEqual([401, 401]);
		expect(wrong.body).not.toContain('s3cret');
		expect(server.executions).toHaveLength(0);
		const right = await sim().push({ vendor: 'chonry', url: `${server.url}?token=s3cret`, kind: 'delivery', records });
		expect(right).toEqual({ status: 200, body: SUCCESS });
		expect(server.executions).toHaveLength(1);
	});

	it('answers malformed pushes 400 with the reason, and keeps working after them', async () => {
		const server = await trigger();
		const cases: Array<[string, string, string]> = [
			['<xml><mobile>8613800138000</mobile></xml>', 'text/xml', 'not XML'],
			['', FORM, 'empty'],
			['just text', 'text/plain', 'neither XML, JSON nor a form'],
			['{"smUuid":', 'application/json', 'JSON is malformed'],
			['[]', 'application/json', 'holds no record'],
			['mobile=8613800138000&status=1', FORM, 'neither a delivery report'],
			['smUuid=u1&mobile=8613800138000', FORM, 'needs mobile and deliverResult'],
		];
		for (const [body, contentType, reason] of cases) {
			const answer = await post(server.url, body, contentType);
			expect([answer.status, answer.body]).toEqual([400, expect.stringContaining(reason)]);
		}
		expect(server.executions).toHaveLength(0);
		const valid = await sim().push({ vendor: 'chonry', url: server.url, kind: 'delivery', records: [{ phone: '8613800138000' }] });
		expect(valid).toEqual({ status: 200, body: SUCCESS });
		expect(server.executions).toHaveLength(1);
	});

	it('lets the user change the success answer', async () => {
		const server = await trigger({ settings: { responseBody: '{"code":0}' } });
		const answer = await sim().push({ vendor: 'chonry', url: server.url, kind: 'delivery', records: [{ phone: '8613800138000' }] });
		expect(answer).toEqual({ status: 200, body: '{"code":0}' });
	});
});
