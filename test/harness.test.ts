import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Expression, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ECHO_HTTP_NODE_TYPE, FAIL_NODE_TYPE, TEST_ECHO_CREDENTIAL } from './helpers/fixture-nodes';
import { runWorkflow } from './helpers/workflow';

interface Received {
	method?: string;
	url?: string;
	headers: IncomingMessage['headers'];
	body: string;
}

describe('workflow harness', () => {
	let server: Server;
	let baseUrl: string;
	const received: Received[] = [];

	beforeAll(async () => {
		server = createServer((req, res) => {
			let body = '';
			req.setEncoding('utf8');
			req.on('data', (chunk: string) => (body += chunk));
			req.on('end', () => {
				received.push({ method: req.method, url: req.url, headers: req.headers, body });
				if (req.url?.startsWith('/fail')) {
					res.writeHead(500, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ code: 'E500', msg: 'vendor exploded' }));
					return;
				}
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ ok: true, echoed: Object.fromEntries(new URLSearchParams(body)) }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => {
		received.length = 0;
	});

	const echo = (parameters: Record<string, unknown>, extra: { continueOnFail?: boolean } = {}) =>
		runWorkflow({
			credentials: { [TEST_ECHO_CREDENTIAL]: { apiKey: 'key-123', secret: 's3cr=t&x' } },
			items: [{ json: { text: 'hello' } }, { json: { text: 'world' } }],
			node: { type: ECHO_HTTP_NODE_TYPE, parameters: parameters as never, ...extra },
		});

	it('applies generic credential auth to the real wire request', async () => {
		const { output, error } = await echo({ url: `${baseUrl}/send`, message: 'hi' });

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		const [first] = received;
		expect(first.method).toBe('POST');
		expect(first.headers['x-api-key']).toBe('key-123');
		expect(first.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		// The credential type's default fills `region`, as n8n does for saved credentials.
		expect(new URL(first.url ?? '', baseUrl).searchParams.get('region')).toBe('cn-default');
		const form = new URLSearchParams(first.body);
		expect(form.get('message')).toBe('hi');
		expect(form.get('sign')).toBe('s3cr=t&x');
		expect(output[0].json).toEqual({ ok: true, echoed: { message: 'hi', sign: 's3cr=t&x' } });
	});

	it('resolves expressions over $json per item', async () => {
		const { output } = await echo({ url: `${baseUrl}/send`, message: '={{ $json.text.toUpperCase() }}!' });

		// In-process evaluator: the isolated-vm one cannot be built on Node 20.
		expect(Expression.getActiveImplementation()).toBe('legacy');
		expect(received.map((r) => new URLSearchParams(r.body).get('message'))).toEqual(['HELLO!', 'WORLD!']);
		expect(output.map((item) => item.json.echoed)).toEqual([
			{ message: 'HELLO!', sign: 's3cr=t&x' },
			{ message: 'WORLD!', sign: 's3cr=t&x' },
		]);
	});

	it("sets pairedItem on the node's outputs", async () => {
		const { output } = await echo({ url: `${baseUrl}/send`, message: '={{ $("Items").item.json.text }}' });

		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(received.map((r) => new URLSearchParams(r.body).get('message'))).toEqual(['hello', 'world']);
	});

	it('returns a thrown NodeOperationError as result.error', async () => {
		const { output, error, runData } = await runWorkflow({
			items: [{ json: { n: 1 } }],
			node: { type: FAIL_NODE_TYPE, parameters: { message: 'Boom' } },
		});

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('Boom');
		expect((error as NodeOperationError).description).toBe('Item 0 asked to fail');
		expect(output).toEqual([]);
		expect(runData.Node[0].error?.message).toBe('Boom');
	});

	it('with continueOnFail gives the item { error } json instead', async () => {
		const { output, error } = await runWorkflow({
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
			node: { type: FAIL_NODE_TYPE, parameters: { message: '={{ "Boom " + $json.n }}' }, continueOnFail: true },
		});

		expect(error).toBeUndefined();
		expect(output).toEqual([
			{ json: { error: 'Boom 1' }, pairedItem: { item: 0 } },
			{ json: { error: 'Boom 2' }, pairedItem: { item: 1 } },
		]);
	});

	it('returns an HTTP failure as the NodeApiError n8n-core raised', async () => {
		const { error } = await echo({ url: `${baseUrl}/fail`, message: 'x' });

		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('500');
		expect(received).toHaveLength(1);
	});
});
