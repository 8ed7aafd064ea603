/**
 * The shared dispatch (nodes/shared/operations.ts) with a vendor of the test's own, over real HTTP on
 * 127.0.0.1: what a new vendor's module may declare and no current vendor uses (a paged pull), and the
 * read asked again (Veesing's quirk, as data). A new vendor's node is `runOperation(this, ADAPTER)` and
 * nothing else: this proves the shape carries it without a change to nodes/shared.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	NodeConnectionTypes,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { notTheApi, textOf, type VendorAdapter, type VendorResponse } from '../nodes/shared/adapter';
import { runOperation } from '../nodes/shared/operations';
import { runWorkflow } from './helpers/workflow';

const RECORDS = ['r1', 'r2', 'r3', 'r4', 'r5'];
const PAGE_SIZE = 2;

const ADAPTER: VendorAdapter = {
	api: {
		vendor: 'paged',
		displayName: 'Paged',
		credentialType: 'pagedApi',
		findFailure: (response: VendorResponse) => {
			const body = response.body as { code?: string; message?: string } | string;
			if (typeof body === 'object' && body.code === 'OK') return undefined;
			if (typeof body === 'object' && body.code) return { code: body.code, vendorMessage: textOf(body.message), english: `Paged error ${body.code}` };
			return notTheApi('Paged', response);
		},
	},
	sends: {},
	balance: {
		request: () => ({ method: 'POST', path: '/balance', form: {} }),
		read: (body) => ({ balance: Number((body as { left: number }).left), unit: 'messages' }),
		askAgain: {
			when: (failure) => failure.code === 'MISSING_KEY',
			request: (first, credentials) => ({ ...first, qs: { key: credentials.key } }),
		},
	},
	pulls: {
		getRecords: {
			request: (parameters) => ({ method: 'GET', path: '/records', qs: { page: 1, tag: parameters.text('tag') } }),
			read: (body) => (body as { records: string[] }).records.map((id) => ({ vendor: 'paged', event: 'delivery' as const, phone: null, messageId: id })),
			nextPage: (request, body) => {
				const page = Number(request.qs?.page);
				return page * PAGE_SIZE < (body as { total: number }).total ? { ...request, qs: { ...request.qs, page: page + 1 } } : undefined;
			},
		},
	},
};

class PagedApi implements ICredentialType {
	name = 'pagedApi';
	displayName = 'Paged API';
	properties: INodeProperties[] = [
		{ displayName: 'Key', name: 'key', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	];
}

class Paged implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paged',
		name: 'paged',
		group: ['output'],
		version: 1,
		description: 'A vendor of the test',
		defaults: { name: 'Paged' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pagedApi', required: true }],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'getRecords' },
			{ displayName: 'Tag', name: 'tag', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}

let server: Server;
let baseUrl: string;
const seen: string[] = [];
/** Whether the balance call reads the key only from the query string (as Veesing's sample server may). */
let keyInQueryOnly = false;

beforeAll(async () => {
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		seen.push(`${req.method} ${url.pathname}${url.search}`);
		const send = (value: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
		if (url.pathname === '/records') {
			const page = Number(url.searchParams.get('page'));
			return send({ code: 'OK', total: RECORDS.length, records: RECORDS.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) });
		}
		if (url.pathname === '/balance') {
			if (keyInQueryOnly && url.searchParams.get('key') !== 'k-1') return send({ code: 'MISSING_KEY', message: 'no key' });
			return send({ code: 'OK', left: 42 });
		}
		return res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
	seen.length = 0;
	keyInQueryOnly = false;
});

const run = (parameters: Record<string, string>, items: INodeExecutionData[] = [{ json: {} }]) =>
	runWorkflow({
		nodeTypes: { 'n8n-nodes-cn-sms.paged': new Paged() },
		credentialTypes: { pagedApi: new PagedApi() },
		credentials: { pagedApi: { key: 'k-1', baseUrl } },
		items,
		node: { type: 'n8n-nodes-cn-sms.paged', parameters },
	});

describe('runOperation: a vendor declared only by its ADAPTER', () => {
	it('follows a pull through every page: one item per record, paired to its input item', async () => {
		const { output, error } = await run({ operation: 'getRecords', tag: '={{ $json.tag }}' }, [{ json: { tag: 'a' } }, { json: { tag: 'b' } }]);
		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.messageId, item.pairedItem])).toEqual([
			...RECORDS.map((id) => [id, { item: 0 }]),
			...RECORDS.map((id) => [id, { item: 1 }]),
		]);
		expect(seen).toEqual([
			'GET /records?page=1&tag=a',
			'GET /records?page=2&tag=a',
			'GET /records?page=3&tag=a',
			'GET /records?page=1&tag=b',
			'GET /records?page=2&tag=b',
			'GET /records?page=3&tag=b',
		]);
	});

	it("reads the balance in the contract's shape, asking once more as askAgain says when the vendor refuses that way", async () => {
		const first = await run({ operation: 'getBalance' });
		expect(first.error).toBeUndefined();
		expect(first.output[0].json).toEqual({ vendor: 'paged', operation: 'getBalance', balance: 42, unit: 'messages', raw: { code: 'OK', left: 42 } });
		expect(seen).toEqual(['POST /balance']);

		seen.length = 0;
		keyInQueryOnly = true;
		const second = await run({ operation: 'getBalance' });
		expect(second.error).toBeUndefined();
		expect(second.output[0].json).toMatchObject({ balance: 42 });
		expect(seen).toEqual(['POST /balance', 'POST /balance?key=k-1']);
	});

	it('names an operation the adapter does not have, and calls nothing', async () => {
		const { error } = await run({ operation: 'sendFax' });
		expect(error?.message).toBe('The operation "sendFax" is not one of Paged\'s');
		expect(seen).toEqual([]);
	});
});
