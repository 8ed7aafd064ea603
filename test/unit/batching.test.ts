import { AdaptiveLimit, HalvingLimit, chunk, mapAdaptive } from '../../nodes/shared/batching';
import { maskSecrets } from '../../nodes/shared/transport';

describe('chunk', () => {
	it('splits to the size and keeps the order', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});
});

describe('AdaptiveLimit', () => {
	it('starts at the start, grows while calls succeed, and never passes the cap', () => {
		const limit = new AdaptiveLimit(8, 12);
		expect(limit.value).toBe(8);
		for (let i = 0; i < 100; i++) limit.succeeded();
		expect(limit.value).toBe(12);
	});

	it('starts no higher than the cap', () => {
		expect(new AdaptiveLimit(8, 3).value).toBe(3);
	});

	it('HalvingLimit (before issue 21) halves on a throttle answer, once for answers that come together, and never goes below one', () => {
		const limit = new HalvingLimit(16, 32);
		limit.throttled(1000);
		expect(limit.value).toBe(8);
		limit.throttled(1010); // the calls in flight at the cut answer "too frequent" together
		expect(limit.value).toBe(8);
		for (let t = 2000; t < 20000; t += 1000) limit.throttled(t);
		expect(limit.value).toBe(1);
	});
});

describe('mapAdaptive', () => {
	const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

	it('runs every task, keeps the input order, and never has more running than the limit allows', async () => {
		const limit = new AdaptiveLimit(3, 3);
		let running = 0;
		let most = 0;
		const results = await mapAdaptive([5, 4, 3, 2, 1, 0], limit, async (n) => {
			running++;
			most = Math.max(most, running);
			await new Promise((resolve) => setTimeout(resolve, n));
			running--;
			return n * 10;
		});
		expect(results).toEqual([50, 40, 30, 20, 10, 0]);
		expect(most).toBe(3);
	});

	it('reads the limit before each start: a throttle lowers what runs next', async () => {
		const limit = new AdaptiveLimit(4, 4);
		let running = 0;
		const seen: number[] = [];
		await mapAdaptive(Array.from({ length: 12 }, (_, i) => i), limit, async (i) => {
			running++;
			seen.push(running);
			if (i === 0) limit.throttled();
			await tick();
			running--;
			return i;
		});
		// After the first cut to 2, the later starts saw at most 2 running (itself included).
		expect(Math.max(...seen.slice(6))).toBeLessThanOrEqual(2);
	});

	it('starts nothing new once a result says stop, and leaves the rest undefined', async () => {
		const limit = new AdaptiveLimit(1, 1);
		const started: number[] = [];
		const results = await mapAdaptive(
			[1, 2, 3, 4],
			limit,
			async (n) => {
				started.push(n);
				return n;
			},
			(n) => n === 2,
		);
		expect(started).toEqual([1, 2]);
		expect(results).toEqual([1, 2, undefined, undefined]);
	});

	it('rejects with the error of a task that throws', async () => {
		await expect(mapAdaptive([1], new AdaptiveLimit(1, 1), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
	});
});

describe('maskSecrets', () => {
	it('masks every occurrence, longest first, so that a secret containing another is masked whole', () => {
		expect(maskSecrets('key=abc123&k=abc123xyz', ['abc123xyz', 'abc123'])).toBe('key=***&k=***');
	});
});
