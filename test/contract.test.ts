/**
 * The contract battery (shared/contract.md): one set of cases, written once, run against every
 * vendor through a small table of data-only adapters, as Apprise runs one battery against every
 * plugin. Every case goes through the real n8n execution engine (test/helpers/workflow.ts) or
 * n8n-core's real WebhookContext (test/helpers/webhook.ts), over real HTTP to the simulator on
 * 127.0.0.1. A vendor's own quirks are tested in test/<vendor>/; here only what every vendor promises.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import {
	ADAPTERS,
	runVendorNode,
	sendTo as sendToVendor,
	type Adapter,
	type PushRecord,
	type TriggerAdapter,
} from './helpers/vendors';
import { serveTrigger, type TriggerServer } from './helpers/webhook';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator');

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

const TRIGGERS = ADAPTERS.filter((adapter): adapter is Adapter & { trigger: TriggerAdapter } => adapter.trigger !== undefined);

/** Two good numbers, one with +86, on two items. */
const GOOD = ['+8613800138000', '13900139000'];
const NORMALIZED = ['13800138000', '13900139000'];
/**
 * Numbers no vendor may be sent: a mainland mobile missing a digit (no country's number either:
 * country code 1 is followed by exactly 10 digits), and one too short to be a number anywhere.
 */
const BAD_NUMBERS = ['1380013800', '12345'];
const ISO_CHINA = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

interface Recorded {
	vendor: string;
	url: string;
	body: string;
}
interface Recipient {
	phone: string;
	accepted: boolean;
	messageId?: string;
	status?: string;
}

let sim: Simulator;
let servers: TriggerServer[] = [];

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
beforeEach(() => sim.reset());
afterEach(async () => {
	await Promise.all(servers.map((server) => server.close()));
	servers = [];
});
afterAll(async () => {
	await sim.close();
});

const run = (adapter: Adapter, parameters: INodeParameters, items: INodeExecutionData[], extra: { continueOnFail?: boolean; wrong?: string } = {}) =>
	runVendorNode(adapter, sim.url, parameters, items, extra);
const sendTo = (adapter: Adapter, phones: string[], extra: { continueOnFail?: boolean; wrong?: string } = {}) => sendToVendor(adapter, sim.url, phones, extra);

const requestsOf = (adapter: Adapter): Recorded[] => (sim.requests as Recorded[]).filter((request) => request.vendor === adapter.vendor);
/** Whether a number went out in any request to the vendor, in its URL or its body, with or without 86. */
const wasSent = (adapter: Adapter, phone: string) => {
	const pattern = new RegExp(`(^|\\D)(86)?${phone}(\\D|$)`);
	return requestsOf(adapter).some((request) => pattern.test(request.url) || pattern.test(request.body));
};

async function trigger(adapter: Adapter & { trigger: TriggerAdapter }, parameters: IDataObject = {}) {
	const server = await serveTrigger({ type: `n8n-nodes-cn-sms.${adapter.trigger.name}`, nodeType: new adapter.trigger.nodeType(), parameters });
	servers.push(server);
	return server;
}

const push = (adapter: Adapter, url: string, kind: 'delivery' | 'reply', records: PushRecord[]) =>
	sim.push({ vendor: adapter.vendor, url, kind, records }) as Promise<{ status: number; body: string }>;

const itemsOf = (server: TriggerServer) => server.executions.flatMap((execution) => execution.map((item) => item.json));

describe.each(ADAPTERS)('contract: $vendor', (adapter) => {
	it('has the contract names: node, credential, operations, trigger and its webhook', () => {
		const node = new adapter.nodeType().description;
		expect(node.name).toBe(adapter.node);
		expect(node.credentials?.map((credential) => credential.name)).toEqual([adapter.credential]);
		expect(new adapter.credentialType().name).toBe(adapter.credential);
		const operation = node.properties.find((property) => property.name === 'operation');
		expect((operation?.options as Array<{ value: string }>).map((option) => option.value).sort()).toEqual([...adapter.operations].sort());
		if (adapter.trigger) {
			const description = new adapter.trigger.nodeType().description;
			expect(description.name).toBe(adapter.trigger.name);
			expect(description.webhooks).toEqual([expect.objectContaining({ httpMethod: 'POST', path: 'webhook' })]);
			const settings = description.properties.find((property) => property.name === 'settings');
			expect((settings?.options as INodeProperties[]).map((option) => option.name)).toContain('secretToken');
		}
	});

	it('sends 2 items with 2 valid numbers: one output item each, in order, in the contract shape', async () => {
		const { output, error } = await sendTo(adapter, GOOD);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(GOOD.length);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ vendor: adapter.vendor, operation: 'send', success: true });
			const recipients = item.json.recipients as Recipient[];
			expect(recipients).toEqual([expect.objectContaining({ phone: NORMALIZED[index], accepted: true, outcome: 'accepted', statusText: 'Accepted by the vendor', status: expect.any(String) })]);
			if (adapter.idPerNumber) {
				expect(recipients[0].messageId).toEqual(expect.stringMatching(/\S/));
			} else {
				expect(item.json.messageId).toEqual(expect.stringMatching(/\S/));
			}
			expect(item.json.raw).toEqual(expect.any(Object));
			expect(Array.isArray(item.json.raw)).toBe(adapter.rawIsArray);
			if (adapter.rawIsArray) expect(item.json.raw).toHaveLength(recipients.length);
		});
		expect(NORMALIZED.every((phone) => wasSent(adapter, phone))).toBe(true);
	});

	describe.each(BAD_NUMBERS)('with the invalid number %s on item 1', (bad) => {
		it('fails the run with a NodeOperationError naming the number and the item, before any request', async () => {
			const { output, error } = await sendTo(adapter, [GOOD[0], bad]);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error!.message).toContain(bad);
			expect(error!.message).toContain('item 1');
			expect(output).toEqual([]);
			expect(requestsOf(adapter)).toHaveLength(0);
		});

		it('with Continue On Fail, gives that item { error } and sends the good one', async () => {
			const { output, error } = await sendTo(adapter, [GOOD[0], bad], { continueOnFail: true });
			expect(error).toBeUndefined();
			expect(output).toHaveLength(2);
			expect(output[1]).toEqual({ json: { error: expect.stringContaining(bad), details: expect.stringContaining('Nothing was sent.') }, pairedItem: { item: 1 } });
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].json).toMatchObject({ vendor: adapter.vendor, operation: 'send', success: true });
			expect(wasSent(adapter, NORMALIZED[0])).toBe(true);
			expect(wasSent(adapter, bad)).toBe(false);
		});
	});

	it('turns a wrong credential into an English NodeApiError with the vendor code, and never the secret', async () => {
		const wrong = `wrong-${adapter.vendor}-secret-4711`;
		const { error } = await sendTo(adapter, [GOOD[0]], { wrong });
		expect(requestsOf(adapter).length).toBeGreaterThan(0);
		expect(error).toBeInstanceOf(NodeApiError);
		const { message, description, stack } = error as NodeApiError;
		expect(message).toMatch(new RegExp(`(^|\\D)${adapter.wrongCode}(\\D|$)`));
		expect(`${message} ${description}`).toContain(adapter.wrongText);
		// English: the vendor's Chinese text may be kept, in parentheses, next to an English sentence.
		const outsideParentheses = message.replace(/\([^)]*\)/g, '');
		expect(outsideParentheses).toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);
		expect(outsideParentheses).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
		for (const text of [message, description ?? '', stack ?? '', JSON.stringify(error)]) expect(text).not.toContain(wrong);
		expect(Object.keys(error!)).not.toContain('ctx');
	});

	if (adapter.balance) {
		const balance = adapter.balance;
		it(`reads the balance as a number of ${balance.unit}`, async () => {
			sim.configure(balance.configure);
			const { output, error } = await run(adapter, { operation: 'getBalance' }, [{ json: {} }]);
			expect(error).toBeUndefined();
			expect(output).toHaveLength(1);
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].json).toEqual({
				vendor: adapter.vendor,
				operation: 'getBalance',
				balance: balance.expected,
				unit: balance.unit,
				raw: expect.any(Object),
			});
		});
	}
});

describe.each(TRIGGERS)('contract: $vendor trigger', (adapter) => {
	const { trigger: spec } = adapter;

	it('answers a push with a wrong token 401 and starts nothing; the right token gets through', async () => {
		const server = await trigger(adapter, { settings: { secretToken: 's3cret-token' } });
		const records = [spec.delivery[0].record];
		const wrong = await push(adapter, `${server.url}?token=wrong-token`, 'delivery', records);
		expect(wrong.status).toBe(401);
		expect(wrong.body).not.toContain('s3cret-token');
		expect(server.executions).toHaveLength(0);
		const right = await push(adapter, `${server.url}?token=s3cret-token`, 'delivery', records);
		expect(right).toEqual({ status: 200, body: spec.answer });
		expect(server.executions).toHaveLength(1);
	});

	it('answers a malformed body 400 and starts nothing', async () => {
		const server = await trigger(adapter);
		const response = await fetch(server.url, { method: 'POST', headers: { 'Content-Type': spec.contentType }, body: spec.malformed });
		expect(response.status).toBe(400);
		await response.text();
		expect(server.executions).toHaveLength(0);
	});

	it('answers a delivery push with the contract answer and emits one item per record', async () => {
		const server = await trigger(adapter);
		const answer = await push(adapter, server.url, 'delivery', spec.delivery.map((entry) => entry.record));
		expect(answer).toEqual({ status: 200, body: spec.answer });
		const items = itemsOf(server);
		expect(items).toHaveLength(spec.delivery.length);
		items.forEach((item, index) => {
			const { expected } = spec.delivery[index];
			expect(item).toEqual({
				...item,
				vendor: adapter.vendor,
				event: 'delivery',
				phone: expected.phone,
				messageId: expected.messageId,
				delivered: expected.delivered,
				status: expect.stringMatching(/\S/),
				statusText: expect.stringMatching(/\S/),
				receivedAt: expected.receivedAt,
				raw: expect.any(Object),
			});
			if (item.receivedAt !== null) expect(item.receivedAt).toMatch(ISO_CHINA);
			expect(item).not.toHaveProperty('content');
		});
	});

	if (spec.reply) {
		const reply = spec.reply;
		it('turns a reply push into a reply item: content, no delivered or status', async () => {
			const server = await trigger(adapter);
			const answer = await push(adapter, server.url, 'reply', [reply.record]);
			expect(answer).toEqual({ status: 200, body: spec.answer });
			const items = itemsOf(server);
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({ vendor: adapter.vendor, event: 'reply', ...reply.expected, raw: expect.any(Object) });
			expect(items[0].receivedAt === null || ISO_CHINA.test(String(items[0].receivedAt))).toBe(true);
			expect(items[0]).not.toHaveProperty('delivered');
			expect(items[0]).not.toHaveProperty('status');
		});

		it('with events = [reply], answers a delivery push and starts nothing; a reply still starts one', async () => {
			const server = await trigger(adapter, { events: ['reply'] });
			const answer = await push(adapter, server.url, 'delivery', [spec.delivery[0].record]);
			expect(answer).toEqual({ status: 200, body: spec.answer });
			expect(server.executions).toHaveLength(0);
			await push(adapter, server.url, 'reply', [reply.record]);
			expect(server.executions).toHaveLength(1);
			expect(itemsOf(server)[0].event).toBe('reply');
		});
	}
});
