/**
 * Failover by drag and drop (README, "Failover"): a send node with "Not Sent Output" on puts the
 * recipients that surely got nothing on its second output, and the next vendor's node sends to
 * `{{ $json.notSent.phones }}`. Veesing fails over to 1oc here, through the real n8n execution engine
 * against the simulator; the simulator's records prove that across both vendors every recipient got
 * the message exactly once, except those whose outcome is unknown, whom nobody sends a second time.
 */
import { createServer, type AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ADAPTERS, runVendorNode, type Adapter } from './helpers/vendors';
import { NODE_UNDER_TEST_NAME } from './helpers/workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator');

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
interface Recorded {
	vendor: string;
	operation: string;
	params: Record<string, string>;
	accepted?: boolean;
	response: { body: string };
}
interface Recipient {
	phone: string;
	outcome: string;
}

const VEESING = ADAPTERS.find((adapter) => adapter.vendor === 'veesing')!;
const SMS1OC = ADAPTERS.find((adapter) => adapter.vendor === 'sms1oc')!;
const PHONES = Array.from({ length: 6 }, (_, n) => `1391234${String(n + 1).padStart(4, '0')}`);

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
beforeEach(() => sim.reset());
afterAll(async () => {
	await sim.close();
});

/** Vendor A: one item per number, "Not Sent Output" on. Returns both outputs. */
async function sendThroughA(options: IDataObject = {}, baseUrl = sim.url) {
	const { error, runData } = await runVendorNode(
		VEESING,
		baseUrl,
		{ ...VEESING.send, phones: '={{ $json.phones }}', options: { notSentOutput: true, timeout: 1000, ...options } },
		PHONES.map((phones) => ({ json: { phones, customer: `c-${phones}` } })),
	);
	expect(error).toBeUndefined();
	const [sent = [], notSent = []] = (runData[NODE_UNDER_TEST_NAME][0].data?.main ?? []) as INodeExecutionData[][];
	return { sent, notSent };
}

/** Vendor B takes A's "Not Sent" items as they are, as the next node of the workflow does. */
async function sendThroughB(items: INodeExecutionData[]) {
	if (items.length === 0) return [];
	const { output, error } = await runVendorNode(SMS1OC, sim.url, { ...SMS1OC.send, phones: '={{ $json.notSent.phones }}' }, items.map((item) => ({ json: item.json })));
	expect(error).toBeUndefined();
	return output;
}

/** The numbers each vendor took (its handler ran and answered success), at the simulator. */
function taken(adapter: Adapter, phoneParam: string): string[] {
	return (sim.requests as Recorded[])
		.filter((call) => call.vendor === adapter.vendor && call.operation === adapter.sendOperation && call.accepted !== false)
		.filter((call) => {
			try {
				const body = JSON.parse(call.response.body);
				return adapter.vendor === 'veesing' ? String(body.returnStatus).trim() === '1' : String(body.code) === '200';
			} catch {
				return false;
			}
		})
		.map((call) => call.params[phoneParam]);
}

const outcomes = (sent: INodeExecutionData[]) => sent.flatMap((item) => (item.json.recipients as Recipient[]).map((r) => r.outcome));

function expectEachOnce(unknown: string[] = []) {
	const all = [...taken(VEESING, 'phone'), ...taken(SMS1OC, 'mobphone')];
	for (const phone of PHONES) {
		const times = all.filter((p) => p === phone).length;
		if (unknown.includes(phone)) expect([0, 1]).toContain(times);
		else expect({ phone, times }).toEqual({ phone, times: 1 });
	}
	// Nobody sends a second time to a recipient whose outcome is unknown.
	for (const phone of unknown) expect(taken(SMS1OC, 'mobphone')).not.toContain(phone);
}

describe('failover: Veesing, then 1oc', () => {
	it('A out of balance: every recipient goes to Not Sent, with the input fields; B sends each once', async () => {
		sim.configure({ veesing: { balance: 0 } });
		const { sent, notSent } = await sendThroughA();
		expect(sent).toHaveLength(PHONES.length);
		expect(notSent).toHaveLength(PHONES.length);
		expect(notSent[0].json).toMatchObject({ phones: PHONES[0], customer: `c-${PHONES[0]}`, notSent: { vendor: 'veesing', phones: [PHONES[0]] } });
		expect(notSent.map((item) => item.pairedItem)).toEqual(PHONES.map((_, item) => ({ item })));
		const reasons = notSent.flatMap((item) => (item.json.notSent as { reasons: IDataObject[] }).reasons);
		// The first refusal is the vendor's own; the calls after it were not attempted.
		expect(reasons[0]).toMatchObject({ outcome: 'refused', aboutMessage: false, error: expect.stringContaining('余额不足') });
		expect(reasons.every((reason) => reason.outcome === 'refused' || reason.outcome === 'notSent')).toBe(true);
		const out = await sendThroughB(notSent);
		expect(out.every((item) => item.json.success === true)).toBe(true);
		expectEachOnce();
	});

	it('A down (closed port): every recipient is notSent; B sends each once', async () => {
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, '127.0.0.1', () => {
				const { port: free } = probe.address() as AddressInfo;
				probe.close(() => resolve(free));
			});
		});
		const { notSent, sent } = await sendThroughA({}, `http://127.0.0.1:${port}`);
		expect(new Set(outcomes(sent))).toEqual(new Set(['notSent']));
		expect(notSent.map((item) => (item.json.notSent as { phones: string[] }).phones)).toEqual(PHONES.map((p) => [p]));
		await sendThroughB(notSent);
		expectEachOnce();
	});

	it('A hanging past the timeout, one call at a time: the unknown recipient stays on Sent and nobody sends it again', async () => {
		sim.configure({ faults: { veesing: { send: { mode: 'hang', times: 1 } } } });
		const { sent, notSent } = await sendThroughA({ concurrency: 1 });
		expect(outcomes(sent)).toEqual(['unknown', 'notSent', 'notSent', 'notSent', 'notSent', 'notSent']);
		expect(notSent.map((item) => (item.json.notSent as { phones: string[] }).phones[0])).toEqual(PHONES.slice(1));
		await sendThroughB(notSent);
		expectEachOnce([PHONES[0]]);
	});

	it('A hanging on some of many calls at once: only the recipients it surely did not take move on', async () => {
		sim.configure({ faults: { veesing: { send: { mode: 'hang', times: 2 } } } });
		const { sent, notSent } = await sendThroughA();
		const unknown = (sent.flatMap((item) => item.json.recipients) as Recipient[]).filter((r) => r.outcome === 'unknown').map((r) => r.phone);
		expect(unknown.length).toBeGreaterThanOrEqual(1);
		for (const item of notSent) for (const phone of (item.json.notSent as { phones: string[] }).phones) expect(unknown).not.toContain(phone);
		await sendThroughB(notSent);
		expectEachOnce(unknown);
	});

	it('A accepting part of the list (its balance runs out): the rest go to B, each recipient once', async () => {
		sim.configure({ veesing: { balance: 3 } });
		const { sent, notSent } = await sendThroughA({ concurrency: 1 });
		expect(outcomes(sent)).toEqual(['accepted', 'accepted', 'accepted', 'refused', 'notSent', 'notSent']);
		expect(sent.map((item) => item.json.success)).toEqual([true, true, true, false, false, false]);
		expect(notSent).toHaveLength(3);
		await sendThroughB(notSent);
		expectEachOnce();
	});

	it('a refusal about the message is marked so, and the other calls still go through', async () => {
		const { sent, notSent } = await sendThroughA({}, sim.url);
		expect(notSent).toHaveLength(0);
		expect(outcomes(sent)).toEqual(PHONES.map(() => 'accepted'));
		// The same numbers again within a minute: Veesing's one-a-minute rule, about each number.
		const again = await sendThroughA();
		const reasons = again.notSent.flatMap((item) => (item.json.notSent as { reasons: IDataObject[] }).reasons);
		expect(reasons).toHaveLength(PHONES.length);
		expect(reasons.every((reason) => reason.aboutMessage === true && reason.outcome === 'refused')).toBe(true);
	});

	it('with the option off the node has one output and a vendor error stops it, as before', async () => {
		sim.configure({ veesing: { balance: 0 } });
		const { error, runData } = await runVendorNode(VEESING, sim.url, { ...VEESING.send, phones: PHONES[0] }, [{ json: {} }]);
		expect(error?.message).toContain('余额不足');
		expect(runData[NODE_UNDER_TEST_NAME][0].data).toBeUndefined();
	});
});
