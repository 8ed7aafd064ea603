/**
 * The throttle over real HTTP (issue 21, part 3): the Zhuanxinyun node in n8n's execution engine sends
 * personalised messages (one call each) to the simulator on 127.0.0.1, which holds every call 50 ms and
 * refuses calls beyond its limit of calls at once with Zhuanxinyun's "too frequent" answer (100014).
 * Counted at the simulator: every message accepted exactly once, none twice, and the vendor did refuse
 * some (or the test would prove nothing). Wall time is measured, not asserted (speed belongs in
 * `npm run bench`); `THROTTLE_TIMES=1` prints it beside the vendor's own limit.
 */
import type { INodeParameters } from 'n8n-workflow';

import { AdaptiveLimit, HalvingLimit } from '../nodes/shared/batching';
import { ADAPTERS, runVendorNode } from './helpers/vendors';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator');

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
interface Recorded {
	vendor: string;
	operation: string;
	accepted: boolean;
	throttled?: boolean;
	params: Record<string, string>;
	response: { body: string };
}

// 2,000 calls of 50 ms at 8 to 20 at once: seconds here, longer on a machine shared with other work.
jest.setTimeout(120_000);

const zhuanxinyun = ADAPTERS.find((adapter) => adapter.vendor === 'zhuanxinyun')!;
const CALL_MS = 50;

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
beforeEach(() => {
	sim.reset();
	sim.configure({ responseDelayMs: CALL_MS, zhuanxinyun: { balance: 1_000_000 } });
});
afterAll(async () => {
	await sim.close();
});

const phone = (i: number) => `139${String(i * 10 + 2).padStart(8, '0')}`;

/** The messages the simulator took, by phone, counting a call the vendor answered with success. */
function acceptedByPhone(): Map<string, number> {
	const counts = new Map<string, number>();
	for (const call of sim.requests as Recorded[]) {
		if (call.vendor !== 'zhuanxinyun' || call.operation !== 'sendSms' || !call.accepted || call.throttled) continue;
		if (JSON.parse(call.response.body).errorCode !== '000000') continue;
		for (const number of String(call.params.phones).split(',')) counts.set(number, (counts.get(number) ?? 0) + 1);
	}
	return counts;
}

async function send(count: number, options: INodeParameters = {}) {
	const phones = Array.from({ length: count }, (_, i) => phone(i));
	const t0 = performance.now();
	const { output, error } = await runVendorNode(
		zhuanxinyun,
		sim.url,
		{ operation: 'send', phones: '={{ $json.phone }}', content: '=【云锋网络】您好,您的取件码是{{ $json.code }}', options },
		phones.map((value, i) => ({ json: { phone: value, code: 100000 + i } })),
	);
	return { phones, output, error, ms: performance.now() - t0 };
}

function expectEachOnce(phones: string[], result: Awaited<ReturnType<typeof send>>) {
	expect(result.error).toBeUndefined();
	expect(result.output.filter((item) => item.json.success !== true)).toEqual([]);
	const counts = acceptedByPhone();
	expect(counts.size).toBe(phones.length);
	expect(phones.filter((number) => counts.get(number) !== 1)).toEqual([]);
	// The proof needs the vendor to have refused some calls.
	expect(sim.stats().throttled.zhuanxinyun).toBeGreaterThan(0);
}

function report(name: string, count: number, idealMs: number, ms: number) {
	if (process.env.THROTTLE_TIMES !== '1') return;
	const stats = sim.stats();
	// eslint-disable-next-line no-console
	console.log(
		`${name}: ${count} messages in ${(ms / 1000).toFixed(2)} s, the vendor's limit ${(idealMs / 1000).toFixed(2)} s (${(ms / idealMs).toFixed(2)}x), ${stats.throttled.zhuanxinyun ?? 0} calls refused, at most ${stats.maxInFlight.zhuanxinyun} at once`,
	);
}

// With THROTTLE_TIMES=1, also what this client does here at the vendor's limit fixed and no throttle
// (the floor on a busy machine), and the algorithm before issue 21.
if (process.env.THROTTLE_TIMES === '1') {
	it('floor: Max Concurrent Calls 20 and 5, no throttle', async () => {
		for (const [concurrency, count] of [
			[20, 2000],
			[5, 500],
		]) {
			sim.reset();
			sim.configure({ responseDelayMs: CALL_MS, zhuanxinyun: { balance: 1_000_000 } });
			const result = await send(count, { concurrency });
			expect(acceptedByPhone().size).toBe(count);
			report(`floor, fixed at ${concurrency}, no throttle`, count, (count * CALL_MS) / concurrency, result.ms);
		}
	}, 120_000);
}

describe.each([
	{ algorithm: 'ceiling (default)', options: {} },
	...(process.env.THROTTLE_TIMES === '1' ? [{ algorithm: 'halving (before issue 21)', options: { throttle: 'halving' } }] : []),
])('Zhuanxinyun, personalised messages, against a throttled vendor: $algorithm', ({ algorithm, options }) => {
	it('a vendor that takes 20 at once: 2,000 messages, each accepted once', async () => {
		sim.configure({ throttle: { zhuanxinyun: { maxInFlight: 20 } } });
		const result = await send(2000, options);
		expectEachOnce(result.phones, result);
		expect(sim.stats().maxInFlight.zhuanxinyun).toBe(20);
		report(`${algorithm}, limit 20`, 2000, (2000 * CALL_MS) / 20, result.ms);
	});

	it('a vendor that takes 5 at once: 500 messages, each accepted once', async () => {
		sim.configure({ throttle: { zhuanxinyun: { maxInFlight: 5 } } });
		const result = await send(500, options);
		expectEachOnce(result.phones, result);
		report(`${algorithm}, limit 5`, 500, (500 * CALL_MS) / 5, result.ms);
	});

	it('a vendor that takes 20 at once, then 8 from the 1,000th accepted message: 2,000 messages, each accepted once', async () => {
		sim.configure({ throttle: { zhuanxinyun: { maxInFlight: 20 } } });
		let lowered = false;
		let refusedBefore = 0;
		const watch = setInterval(() => {
			if (lowered) return;
			const taken = (sim.requests as Recorded[]).filter((call) => call.accepted && !call.throttled).length;
			if (taken >= 1000) {
				lowered = true;
				refusedBefore = sim.stats().throttled.zhuanxinyun ?? 0;
				sim.configure({ throttle: { zhuanxinyun: { maxInFlight: 8 } } });
			}
		}, 2);
		try {
			const result = await send(2000, options);
			expect(lowered).toBe(true);
			expectEachOnce(result.phones, result);
			// The lower limit was met with refusals too: the send followed it down.
			expect(sim.stats().throttled.zhuanxinyun).toBeGreaterThan(refusedBefore);
			report(`${algorithm}, limit 20 then 8`, 2000, (1000 * CALL_MS) / 20 + (1000 * CALL_MS) / 8, result.ms);
		} finally {
			clearInterval(watch);
		}
	});
});

it('the hidden option throttle "halving" (the benchmark\'s switch) runs the algorithm before issue 21; without it, the ceiling', async () => {
	const halving = jest.spyOn(HalvingLimit.prototype, 'succeeded');
	const ceiling = jest.spyOn(AdaptiveLimit.prototype, 'succeeded');
	try {
		await send(3, { throttle: 'halving' });
		expect([halving.mock.calls.length, ceiling.mock.calls.length]).toEqual([3, 0]);
		await send(2);
		expect([halving.mock.calls.length, ceiling.mock.calls.length]).toEqual([3, 2]);
	} finally {
		halving.mockRestore();
		ceiling.mockRestore();
	}
});
