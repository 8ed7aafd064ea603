import type { ConcurrencyLimit } from '../../nodes/shared/batching';
import { AdaptiveLimit, HalvingLimit, mapAdaptive } from '../../nodes/shared/batching';

/** `n` requests out at once, as the send loop reports them. */
function sendOut(limit: ConcurrencyLimit, n: number) {
	for (let i = 0; i < n; i++) limit.began();
}

describe('AdaptiveLimit', () => {
	it('doubles per round of successes until the vendor first says "too frequent", never past the cap', () => {
		const limit = new AdaptiveLimit(8, 32);
		sendOut(limit, 8);
		for (let i = 0; i < 8; i++) limit.succeeded();
		expect(limit.value).toBe(16);
		for (let i = 0; i < 40; i++) {
			limit.began();
			limit.succeeded();
		}
		expect(limit.value).toBe(32);
	});

	it('holds one under the fewest requests at once the vendor refused, instead of halving', () => {
		const limit = new AdaptiveLimit(32, 32);
		// 32 out against a vendor that takes 20: the 12 beyond are refused as they arrive, with 32 down to 21 out.
		sendOut(limit, 32);
		for (let i = 0; i < 12; i++) limit.throttled();
		expect(limit.state).toEqual({ value: 20, ceiling: 21, atVendor: 20 });
		// The 20 taken ones succeed: the limit stays at 20 (one round, no probe yet).
		for (let i = 0; i < 20; i++) limit.succeeded();
		expect(limit.value).toBe(20);
	});

	it('probes one above after 8 rounds at the ceiling; a refused probe puts it back, a taken one raises the ceiling', () => {
		const limit = new AdaptiveLimit(21, 32);
		sendOut(limit, 21);
		limit.throttled(); // 21 out: refused
		expect(limit.state).toMatchObject({ value: 20, ceiling: 21 });
		const round = (n: number) => {
			sendOut(limit, n);
			for (let i = 0; i < n; i++) limit.succeeded();
		};
		for (let i = 0; i < 20; i++) limit.succeeded(); // the 20 taken ones: the first round
		for (let r = 0; r < 6; r++) round(20);
		expect(limit.value).toBe(20);
		round(20);
		expect(limit.value).toBe(21); // the probe
		sendOut(limit, 21);
		limit.throttled(); // refused at 21 again: back to 20, and 8 more rounds before the next probe
		expect(limit.state).toMatchObject({ value: 20, ceiling: 21 });
		for (let i = 0; i < 20; i++) limit.succeeded();
		for (let r = 0; r < 6; r++) round(20);
		expect(limit.value).toBe(20);
		round(20);
		expect(limit.value).toBe(21);
		// This time the vendor takes 21 at once: the ceiling rises, and by the end of that round comes the next
		// probe, twice as far; each probe taken whole doubles the next (a vendor that lifted its limit).
		round(21);
		expect(limit.state).toMatchObject({ value: 23, ceiling: 22 });
		round(23);
		expect(limit.state).toMatchObject({ value: 27, ceiling: 24 });
		round(27);
		expect(limit.state).toMatchObject({ value: 32, ceiling: 28 }); // the cap
	});

	it('moves the ceiling down at once when the vendor refuses at a lower count (its limit went down)', () => {
		const limit = new AdaptiveLimit(21, 32);
		sendOut(limit, 21);
		limit.throttled();
		expect(limit.value).toBe(20);
		// The vendor now takes 8: the requests going out as the earlier ones finish are refused with 20, 19, ... 9 out.
		for (let out = 20; out >= 9; out--) {
			limit.succeeded(); // one of the earlier ones finishes
			limit.began(); // the next goes out and is refused
			limit.throttled();
		}
		expect(limit.state.ceiling).toBeLessThanOrEqual(10);
		expect(limit.value).toBeLessThanOrEqual(9);
	});

	it('never goes below one, and a refused request is no longer counted as out', () => {
		const limit = new AdaptiveLimit(4, 4);
		limit.began();
		limit.throttled();
		expect(limit.state).toEqual({ value: 1, ceiling: 2, atVendor: 0 });
		limit.began();
		limit.succeeded();
		expect(limit.state).toEqual({ value: 1, ceiling: 2, atVendor: 0 });
	});
});

describe('HalvingLimit (the algorithm before issue 21, kept for the benchmark)', () => {
	it('halves once for a burst of refusals, again for a later one, and never below one', () => {
		const limit = new HalvingLimit(32, 32);
		limit.throttled(1_000);
		limit.throttled(1_010);
		expect(limit.value).toBe(16);
		for (let t = 2_000; t < 2_400; t += 60) limit.throttled(t);
		expect(limit.value).toBe(1);
	});
});

/**
 * A deterministic vendor: every call takes one tick (50 "ms"); a call arriving while `limitAt(taken)`
 * calls are in flight is refused at once, and goes out again two ticks later (the transport's pause
 * after a throttle answer is 50 to 150 ms). Returns the ticks the whole send took.
 */
async function sendThrough(limit: ConcurrencyLimit, total: number, limitAt: (taken: number) => number) {
	let inFlight = 0;
	let refused = 0;
	let tick = 0;
	const taken = new Map<number, number>();
	const waiting: Array<() => void> = [];
	const nextTick = () => new Promise<void>((resolve) => waiting.push(resolve));
	const task = async (index: number) => {
		for (;;) {
			limit.began();
			if (inFlight >= limitAt(taken.size)) {
				refused++;
				limit.throttled(tick * 50);
				await nextTick();
				await nextTick();
				continue;
			}
			inFlight++;
			await nextTick();
			inFlight--;
			taken.set(index, (taken.get(index) ?? 0) + 1);
			limit.succeeded();
			return index;
		}
	};
	const run = mapAdaptive(
		Array.from({ length: total }, (_, i) => i),
		limit,
		task,
	);
	for (; waiting.length > 0 && tick < 20_000; tick++) {
		for (const resolve of waiting.splice(0)) resolve();
		await new Promise((resolve) => setImmediate(resolve));
	}
	const results = await run;
	return { ticks: tick, refused, results, taken };
}

describe('mapAdaptive with AdaptiveLimit against a vendor with a limit on calls at once', () => {
	const cases: Array<{ name: string; limitAt: (taken: number) => number; ideal: number }> = [
		{ name: 'takes 20', limitAt: () => 20, ideal: 2000 / 20 },
		{ name: 'takes 5', limitAt: () => 5, ideal: 2000 / 5 },
		{ name: 'takes 20, then 8 from the 1,000th message', limitAt: (taken) => (taken < 1000 ? 20 : 8), ideal: 1000 / 20 + 1000 / 8 },
		{ name: 'takes 8, then 20 from the 1,000th message', limitAt: (taken) => (taken < 1000 ? 8 : 20), ideal: 1000 / 8 + 1000 / 20 },
	];

	it.each(cases)('a vendor that $name: every message taken once, within 1.25x of its limit, faster than halving', async ({ limitAt, ideal }) => {
		const found = await sendThrough(new AdaptiveLimit(8, 100), 2000, limitAt);
		const halving = await sendThrough(new HalvingLimit(8, 100), 2000, limitAt);
		expect(found.results).toEqual(Array.from({ length: 2000 }, (_, i) => i));
		expect([...found.taken.values()].every((times) => times === 1)).toBe(true);
		expect(found.taken.size).toBe(2000);
		expect(found.ticks).toBeLessThanOrEqual(Math.ceil(1.25 * ideal));
		expect(found.ticks).toBeLessThan(halving.ticks);
		// A refusal costs the vendor nothing but an answer: a few per probe, not a burst every round.
		expect(found.refused).toBeLessThan(found.ticks / 2);
	});
});
