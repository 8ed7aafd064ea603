/**
 * "Never send twice": a call is retried only where that cannot text anyone twice. Between the node
 * and the simulator sits a proxy that breaks chosen connections, the way a network does: before the
 * request reaches the vendor, or after the vendor has accepted it but before its answer comes back.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError } from 'n8n-workflow';

import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';
import { Zhuanxinyun } from '../../nodes/Zhuanxinyun/Zhuanxinyun.node';
import { runWorkflow } from '../helpers/workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator, ZHUANXINYUN_ACCOUNT } = require('../../simulator');

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Fault = 'none' | 'dropRequest' | 'dropAnswer';

let sim: Simulator;
let proxy: Server;
let proxyUrl: string;
/** What to do with each next connection, in order; then 'none'. */
let faults: Fault[] = [];
let seen = 0;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	proxy = createServer((req, res) => {
		seen++;
		const fault = faults.shift() ?? 'none';
		if (fault === 'dropRequest') {
			// The vendor never sees it: the connection dies before anything is forwarded.
			req.socket.destroy();
			return;
		}
		const target = new URL(sim.url);
		const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
			if (fault === 'dropAnswer') {
				// The vendor has accepted the call; its answer is lost on the way back.
				answer.resume();
				answer.on('end', () => req.socket.destroy());
				return;
			}
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		req.pipe(out);
	});
	proxy.listen(0, '127.0.0.1');
	await once(proxy, 'listening');
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
beforeEach(() => {
	sim.reset();
	faults = [];
	seen = 0;
});
afterAll(async () => {
	proxy.closeAllConnections();
	await new Promise((resolve) => proxy.close(resolve));
	await sim.close();
});

const send = (options: Record<string, unknown> = {}) =>
	runWorkflow({
		nodeTypes: { 'n8n-nodes-cn-sms.zhuanxinyun': new Zhuanxinyun() },
		credentialTypes: { zhuanxinyunApi: new ZhuanxinyunApi() },
		credentials: { zhuanxinyunApi: { ...ZHUANXINYUN_ACCOUNT, baseUrl: proxyUrl } },
		items: [{ json: {} }],
		node: {
			type: 'n8n-nodes-cn-sms.zhuanxinyun',
			parameters: { operation: 'send', phones: '13800138000', content: '【云锋网络】您的验证码是123456', options: options as never },
		},
	});

describe('Zhuanxinyun retries', () => {
	it('sends again when the first connection broke before the vendor had it, and the phone gets one message', async () => {
		faults = ['dropRequest'];
		const { output, error } = await send();
		expect(error).toBeUndefined();
		expect(seen).toBe(2);
		expect(sim.requests).toHaveLength(1);
		expect(output[0].json.success).toBe(true);
	});

	it('sends again after a lost answer only under the same batch number, which the vendor refuses, and says so', async () => {
		faults = ['dropAnswer'];
		const { error } = await send();
		expect(seen).toBe(2);
		// Both attempts reached the vendor with one batch number: the first was accepted, the repeat refused.
		const [first, second] = sim.requests as Array<{ params: { batchNum: string }; response: { body: string } }>;
		expect(second.params.batchNum).toBe(first.params.batchNum);
		expect(JSON.parse(first.response.body).errorCode).toBe('000000');
		expect(JSON.parse(second.response.body).errorCode).toBe('100001');
		expect(sim.requests.filter((call: { response: { body: string } }) => JSON.parse(call.response.body).errorCode === '000000')).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toContain('Zhuanxinyun error 100001');
		expect((error as NodeApiError).description).toContain('An earlier attempt of this call got no answer and may have been accepted');
	});

	it('gives up after two retries and says the message may have been accepted', async () => {
		faults = ['dropAnswer', 'dropRequest', 'dropRequest'];
		const { error } = await send();
		expect(seen).toBe(3);
		expect(error!.message).toMatch(/^No answer from Zhuanxinyun at 127\.0\.0\.1:\d+ \(.+\); the request may or may not have been accepted$/);
	});
});
