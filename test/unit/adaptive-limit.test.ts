import { AdaptiveLimit, mapAdaptive } from '../../nodes/shared/batching';

describe('AdaptiveLimit', () => {
	it('doubles per round of successes until the vendor first says "too frequent"', () => {
		const limit = new AdaptiveLimit(8, 32);
		for (let i = 0; i < 8; i++) limit.succeeded();
		expect(limit.value).toBe(16);
		for (let i = 0; i < 40; i++) limit.succeeded();
		expect(limit.value).toBe(32);
	});

	it('after a cut, the calls that were in flight do not bring it back to the level the vendor refused', () => {
		const limit = new AdaptiveLimit(8, 32);
		for (let i = 0; i < 24; i++) limit.succeeded();
		expect(limit.value).toBe(32);
		// 32 at once against a vendor that takes 20: 12 refused, cut once; the 20 taken ones then succeed.
		limit.throttled(1_000);
		expect(limit.value).toBe(16);
		for (let i = 0; i < 20; i++) limit.succeeded();
		expect(limit.value).toBe(17);
		// From then on about one more per round of calls at the current level.
		for (let i = 0; i < 17; i++) limit.succeeded();
		expect(limit.value).toBe(18);
	});

	it('halves once for a burst of refusals, again for a later one, and never below one', () => {
		const limit = new AdaptiveLimit(32, 32);
		limit.throttled(1_000);
		limit.throttled(1_010);
		expect(limit.value).toBe(16);
		for (let t = 2_000; t < 2_400; t += 60) limit.throttled(t);
		expect(limit.value).toBe(1);
	});
});

describe('mapAdaptive against a vendor that takes 20 calls at once', () => {
	it('is refused in few calls: the limit settles under the vendor instead of bursting past it every round', async () => {
		const limit = new AdaptiveLimit(8, 32);
		let inFlight = 0;
		let refused = 0;
		let now = 0;
		// A deterministic vendor: each call takes one tick of 50 "ms"; more than 20 at once are refused.
		const task = async () => {
			for (;;) {
				if (inFlight >= 20) {
					refused++;
					limit.throttled(now);
					await tick();
					continue;
				}
				inFlight++;
				await tick();
				inFlight--;
				limit.succeeded();
				return true;
			}
		};
		const waiting: Array<() => void> = [];
		const tick = () => new Promise<void>((resolve) => waiting.push(resolve));
		const run = mapAdaptive(Array.from({ length: 2000 }, (_, i) => i), limit, task);
		let rounds = 0;
		for (; waiting.length > 0 && rounds < 1000; rounds++) {
			now += 50;
			for (const resolve of waiting.splice(0)) resolve();
			await new Promise((resolve) => setImmediate(resolve));
		}
		expect(await run).toHaveLength(2000);
		// The vendor's own limit allows 2000 / 20 = 100 rounds; halving and growing back costs some. Growing
		// back at one per success instead bursts past the vendor's limit every other round (98 refusals).
		expect(rounds).toBeLessThan(150);
		expect(refused).toBeLessThan(40);
	});
});
