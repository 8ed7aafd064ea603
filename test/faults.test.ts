/**
 * The fault battery: what every vendor's send does when the vendor misbehaves, run against every
 * vendor as the contract battery is. For each fault of the simulator (simulator/README.md, "Faults and
 * throttling"): how many requests reached the vendor for one logical send (more than one only where
 * nothing can be sent twice), the outcome of every recipient, a clear English error that says whether
 * the message may be out, and no secret in any output or error, even when the answer echoes the request.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { ADAPTERS, runVendorNode, secretsOf, sendTo, type Adapter } from './helpers/vendors';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator');

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
interface Recorded {
	vendor: string;
	operation: string;
	accepted?: boolean;
	throttled?: boolean;
	params: Record<string, string>;
	body: string;
}
interface Recipient {
	phone: string;
	accepted: boolean;
	outcome: string;
	error?: string;
}

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
beforeEach(() => sim.reset());
afterAll(async () => {
	await sim.close();
});

const PHONE = '13800138000';
/** A short timeout, so that a hanging vendor costs little. */
const TIMEOUT_MS = 1200;

const sends = (adapter: Adapter): Recorded[] =>
	(sim.requests as Recorded[]).filter((call) => call.vendor === adapter.vendor && call.operation === adapter.sendOperation);

function expectNoSecret(adapter: Adapter, ...things: unknown[]) {
	const text = things
		.map((thing) => (thing instanceof Error ? `${thing.message} ${(thing as { description?: string }).description} ${JSON.stringify(thing)}` : JSON.stringify(thing)))
		.join(' ');
	for (const secret of secretsOf(adapter)) expect(text).not.toContain(secret);
}

async function closedPort(): Promise<string> {
	const port = await new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port: free } = probe.address() as AddressInfo;
			probe.close(() => resolve(free));
		});
	});
	return `http://127.0.0.1:${port}`;
}

/** One send of one number with Continue On Fail, so that the output shows each recipient's outcome. */
async function sendOne(adapter: Adapter, baseUrl = sim.url) {
	const { output, error } = await sendTo(adapter, baseUrl, [PHONE], { continueOnFail: true, options: { timeout: TIMEOUT_MS } });
	expect(error).toBeUndefined();
	const json = output[0].json as IDataObject & { recipients: Recipient[]; error?: string; hint?: string };
	return { json, recipients: json.recipients };
}

interface FaultCase {
	name: string;
	fault: IDataObject;
	/** Whether the vendor took the message although its answer was bad. */
	vendorAccepts: boolean;
	error: RegExp;
}

const CASES: FaultCase[] = [
	{ name: 'accepts and never answers', fault: { mode: 'hang' }, vendorAccepts: true, error: /No answer from .+ \(.+\); the message may have been sent/ },
	{ name: 'answers 502 with an HTML page that echoes the request', fault: { mode: 'html5xx', status: 502 }, vendorAccepts: false, error: /answered HTTP 502; the message may have been sent/ },
	{ name: 'answers 503 with an HTML page', fault: { mode: 'html5xx', status: 503 }, vendorAccepts: false, error: /answered HTTP 503; the message may have been sent/ },
	{ name: 'answers 200 with an HTML login page', fault: { mode: 'html200' }, vendorAccepts: false, error: /not its API response; the message may have been sent/ },
	{ name: 'accepts, then resets the connection', fault: { mode: 'reset' }, vendorAccepts: true, error: /No answer from .+; the message may have been sent/ },
	{ name: 'accepts, then answers truncated JSON', fault: { mode: 'truncated' }, vendorAccepts: true, error: /the message may have been sent/ },
	{ name: 'accepts, then drips its answer past the timeout', fault: { mode: 'drip', durationMs: 3 * TIMEOUT_MS }, vendorAccepts: true, error: /no complete answer within the timeout\); the message may have been sent/ },
];

describe.each(ADAPTERS.map((adapter) => [adapter.vendor, adapter] as const))('faults: %s', (_vendor, adapter) => {
	it.each(CASES.map((c) => [c.name, c] as const))('vendor %s: one request, outcome unknown, a clear error, no secret', async (_name, c) => {
		sim.configure({ faults: { [adapter.vendor]: { [adapter.sendOperation]: c.fault } } });
		const { json, recipients } = await sendOne(adapter);
		// Sent once: a call that may have reached the vendor is never made again.
		expect(sends(adapter)).toHaveLength(1);
		expect(sends(adapter)[0].accepted).toBe(c.vendorAccepts);
		expect(recipients).toEqual([expect.objectContaining({ phone: PHONE, accepted: false, outcome: 'unknown' })]);
		expect(json.success).toBe(false);
		expect(json.error).toMatch(c.error);
		expect(json.details).toMatch(/may have received the message/);
		expectNoSecret(adapter, json);
	});

	it('vendor unreachable (closed port): retried, outcome notSent, "nothing was sent"', async () => {
		const { json, recipients } = await sendOne(adapter, await closedPort());
		expect(recipients).toEqual([expect.objectContaining({ phone: PHONE, accepted: false, outcome: 'notSent' })]);
		expect(json.error).toMatch(/^Could not reach .+ \(connection refused\); nothing was sent$/);
		expect(json.details).toMatch(/surely got nothing/);
	});

	it('without Continue On Fail, a hanging vendor stops the node with an error that says the message may be out', async () => {
		sim.configure({ faults: { [adapter.vendor]: { [adapter.sendOperation]: { mode: 'hang' } } } });
		const { error } = await sendTo(adapter, sim.url, [PHONE], { options: { timeout: TIMEOUT_MS } });
		expect(error).toBeDefined();
		expect(error!.message).toMatch(/the message may have been sent/);
		expect(sends(adapter)).toHaveLength(1);
	});

	it('an echoed request body is masked in the error, whatever the answer quotes', async () => {
		sim.configure({ faults: { [adapter.vendor]: { [adapter.sendOperation]: { mode: 'html5xx', status: 502 } } } });
		const { error } = await sendTo(adapter, sim.url, [PHONE], { options: { timeout: TIMEOUT_MS } });
		expect(error).toBeDefined();
		expectNoSecret(adapter, error);
	});

	it('a vendor that takes at most 2 calls at once: every message accepted, throttled calls made again, none twice', async () => {
		sim.configure({ throttle: { [adapter.vendor]: { maxInFlight: 2 } }, responseDelayMs: 30 });
		const phones = Array.from({ length: 12 }, (_, n) => `1391234${String(n + 1).padStart(4, '0')}`);
		const { output, error } = await runVendorNode(
			adapter,
			sim.url,
			{ ...adapter.send, phones: '={{ $json.phones }}', ...adapter.ownCall },
			phones.map((value, n) => ({ json: { phones: value, n: 1000 + n } })),
		);
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.success)).toEqual(phones.map(() => true));
		const stats = sim.stats();
		// The battery only proves something if the vendor did refuse some calls.
		expect(stats.throttled[adapter.vendor]).toBeGreaterThan(0);
		const taken = sends(adapter).filter((call) => !call.throttled);
		expect(taken).toHaveLength(12);
		for (const phone of phones) expect(taken.filter((call) => call.body.includes(phone) || JSON.stringify(call.params).includes(phone))).toHaveLength(1);
	});
});
