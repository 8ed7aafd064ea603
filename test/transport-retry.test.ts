/**
 * "Never send twice", in the shared transport (seen through Zhuanxinyun, whose batch numbers are what
 * the opt-in resend relies on): a call is retried only where that cannot text anyone twice. Between the
 * node and the simulator sits a proxy that breaks chosen connections, the way a network does: before
 * the request reaches the vendor, or after the vendor has accepted it but before its answer comes back.
 * From the node's side both look alike (a connection reset after the request was written), so neither
 * is resent unless the user opts in; a refused connection is resent, since nothing reached anyone.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { NodeApiError } from 'n8n-workflow';

import { ZhuanxinyunApi } from '../credentials/ZhuanxinyunApi.credentials';
import { Zhuanxinyun } from '../nodes/Zhuanxinyun/Zhuanxinyun.node';
import { runWorkflow } from './helpers/workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator, credentialsFor } = require('../simulator');

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

const send = (options: Record<string, unknown> = {}, { baseUrl = proxyUrl, continueOnFail = false } = {}) =>
	runWorkflow({
		nodeTypes: { 'n8n-nodes-cn-sms.zhuanxinyun': new Zhuanxinyun() },
		credentialTypes: { zhuanxinyunApi: new ZhuanxinyunApi() },
		credentials: { zhuanxinyunApi: credentialsFor('zhuanxinyun', baseUrl) },
		items: [{ json: {} }],
		node: {
			type: 'n8n-nodes-cn-sms.zhuanxinyun',
			continueOnFail,
			parameters: { operation: 'send', phones: '13800138000', content: '【云锋网络】您的验证码是123456', options: options as never },
		},
	});

const accepted = () => sim.requests.filter((call: { response: { body: string } }) => JSON.parse(call.response.body).errorCode === '000000');

describe('transport retries', () => {
	it('sends again when the connection was refused (nothing reached anyone), and the phone gets one message', async () => {
		// A port nobody listens on yet; a forwarder opens on it after the first attempt was refused.
		const port = await new Promise<number>((resolve) => {
			const probe = createTcpServer().listen(0, '127.0.0.1', () => {
				const { port: free } = probe.address() as AddressInfo;
				probe.close(() => resolve(free));
			});
		});
		const late = createTcpServer((socket) => {
			const target = new URL(proxyUrl);
			const upstream = connect(Number(target.port), target.hostname);
			socket.pipe(upstream).pipe(socket);
		});
		const opened = new Promise((resolve) => setTimeout(() => late.listen(port, '127.0.0.1', () => resolve(undefined)), 100));
		try {
			const { output, error } = await send({}, { baseUrl: `http://127.0.0.1:${port}` });
			await opened;
			expect(error).toBeUndefined();
			expect(seen).toBe(1);
			expect(accepted()).toHaveLength(1);
			expect(output[0].json.success).toBe(true);
			expect((output[0].json.recipients as Array<{ outcome: string }>)[0].outcome).toBe('accepted');
		} finally {
			await opened;
			await new Promise((resolve) => late.close(resolve));
		}
	});

	it('does not send again after a connection broke once the request was written: the outcome is unknown', async () => {
		faults = ['dropRequest'];
		const { output, error } = await send({}, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(seen).toBe(1);
		const [recipient] = output[0].json.recipients as Array<{ outcome: string; accepted: boolean }>;
		expect(recipient).toMatchObject({ outcome: 'unknown', accepted: false });
		expect(output[0].json.error).toMatch(/^No answer from Zhuanxinyun at 127\.0\.0\.1:\d+ \(connection reset\); the message may have been sent$/);
		expect(output[0].json.details).toContain('may have received the message');
	});

	it('does not send again after a lost answer by default: one request reached the vendor, and the error says the message may be out', async () => {
		faults = ['dropAnswer'];
		const { error } = await send();
		expect(seen).toBe(1);
		expect(accepted()).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toContain('the message may have been sent');
		expect((error as NodeApiError).description).toContain('Check the vendor console before sending again');
	});

	describe('with Resend Unanswered Batches on', () => {
		it('sends again when the first connection broke before the vendor had it, and the phone gets one message', async () => {
			faults = ['dropRequest'];
			const { output, error } = await send({ resendUnanswered: true });
			expect(error).toBeUndefined();
			expect(seen).toBe(2);
			expect(sim.requests).toHaveLength(1);
			expect(output[0].json.success).toBe(true);
		});

		it('sends again after a lost answer only under the same batch number, which the vendor refuses, and says so', async () => {
			faults = ['dropAnswer'];
			const { error } = await send({ resendUnanswered: true });
			expect(seen).toBe(2);
			// Both attempts reached the vendor with one batch number: the first was accepted, the repeat refused.
			const [first, second] = sim.requests as Array<{ params: { batchNum: string }; response: { body: string } }>;
			expect(second.params.batchNum).toBe(first.params.batchNum);
			expect(JSON.parse(first.response.body).errorCode).toBe('000000');
			expect(JSON.parse(second.response.body).errorCode).toBe('100001');
			expect(accepted()).toHaveLength(1);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error!.message).toContain('Zhuanxinyun error 100001');
			// The refusal of the repeat does not prove that nothing was sent.
			expect(error!.message).toContain('the message may have been sent');
			expect((error as NodeApiError).description).toContain('An earlier attempt of this call got no answer and may have been accepted');
		});

		it('gives up after two retries and says the message may have been accepted', async () => {
			faults = ['dropAnswer', 'dropRequest', 'dropRequest'];
			const { error } = await send({ resendUnanswered: true });
			expect(seen).toBe(3);
			expect(error!.message).toMatch(/^No answer from Zhuanxinyun at 127\.0\.0\.1:\d+ \(.+\); the message may have been sent$/);
		});
	});
});
