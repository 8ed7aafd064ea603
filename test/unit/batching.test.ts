import type { ConcurrencyLimit } from '../../nodes/shared/batching';
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

	it('a paused task leaves its place to the next and takes one back before any new task starts', async () => {
		const limit = new AdaptiveLimit(1, 1);
		const events: string[] = [];
		let resumeA: (() => void) | undefined;
		const results = await mapAdaptive(['a', 'b', 'c'], limit, async (name, _index, place) => {
			events.push(`${name} starts`);
			if (name === 'a') {
				// Refused: a pause before going out again, its place free meanwhile.
				place.pause();
				await new Promise<void>((resolve) => (resumeA = resolve));
				await place.resume();
				events.push('a goes out again');
			} else {
				if (name === 'b') resumeA!(); // a is ready to go on while b still holds the one place
				await tick();
			}
			events.push(`${name} ends`);
			return name.toUpperCase();
		});
		expect(results).toEqual(['A', 'B', 'C']);
		// b ran in a's place; a went on after b, ahead of c, which never ran beside another.
		expect(events).toEqual(['a starts', 'b starts', 'b ends', 'a goes out again', 'a ends', 'c starts', 'c ends']);
	});

	it('a task that ends during its pause frees nothing it did not hold, and the rest still run one at a time', async () => {
		const limit = new AdaptiveLimit(1, 1);
		let running = 0;
		let most = 0;
		const results = await mapAdaptive([0, 1, 2, 3], limit, async (n, _index, place) => {
			running++;
			most = Math.max(most, running);
			if (n === 0) {
				place.pause();
				running--;
				return 'gave up'; // no tries left after the refusal
			}
			await tick();
			running--;
			return n;
		});
		expect(results).toEqual(['gave up', 1, 2, 3]);
		expect(most).toBe(1);
	});

	it('the limit before issue 21 (halving) keeps a paused task in its place', async () => {
		const limit = new HalvingLimit(1, 1);
		const order: string[] = [];
		await mapAdaptive(['a', 'b'], limit, async (name, _index, place) => {
			order.push(`${name} starts`);
			place.pause();
			await tick();
			await place.resume();
			order.push(`${name} ends`);
			return name;
		});
		expect(order).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
	});

	describe('spacing', () => {
		beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
		afterEach(() => jest.useRealTimers());

		it("spaces the starts by the limit's spacingMs, two at once at most to catch up", async () => {
			const limit = { value: 10, spacingMs: 10, began() {}, succeeded() {}, throttled() {}, ended() {} };
			const startedAt: number[] = [];
			const run = mapAdaptive(Array.from({ length: 6 }, (_, i) => i), limit, async (i) => {
				startedAt.push(Date.now() - 1_000_000);
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				return i;
			});
			await jest.advanceTimersByTimeAsync(2_000);
			await run;
			expect(startedAt).toEqual([0, 0, 10, 20, 30, 40]);
		});

		it('AdaptiveLimit spaces by three quarters of the smoothed round trip over the calls at once, none before an answer', () => {
			const limit = new AdaptiveLimit(20, 20);
			expect(limit.spacingMs).toBe(0);
			limit.began();
			limit.succeeded(80);
			expect(limit.value).toBe(20);
			expect(limit.spacingMs).toBeCloseTo((0.75 * 80) / 20);
			limit.began();
			limit.succeeded(160); // smoothed: one eighth of the way
			expect(limit.spacingMs).toBeCloseTo((0.75 * 90) / 20);
			expect((new HalvingLimit(8, 8) as ConcurrencyLimit).spacingMs).toBeUndefined();
		});
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
