/** Splits a list into consecutive slices of at most `size` entries. */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const slices: T[][] = [];
	for (let start = 0; start < list.length; start += size) slices.push(list.slice(start, start + size));
	return slices;
}

/**
 * Runs `task` over `inputs` with at most `limit` running at once; results keep the input order.
 * When `shouldStop` returns true after a task settles, no new task is started, the running ones are
 * awaited, and the tasks never started are reported as `undefined` ("not attempted").
 */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
	shouldStop: (result: R) => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < inputs.length) {
			const index = next++;
			const result = await task(inputs[index], index);
			results[index] = result;
			if (shouldStop(result)) stopped = true;
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	await Promise.all(workers);
	return results;
}

/**
 * How many calls may run at once, as the send loop asks it before each start. A call tells it when a
 * request goes out (`began`), and how that request ended: accepted (`succeeded`), refused as too
 * frequent (`throttled`: the request is over, the call waits and goes out again), or anything else
 * (`ended`).
 */
export interface ConcurrencyLimit {
	readonly value: number;
	began(): void;
	succeeded(): void;
	throttled(now?: number): void;
	ended(): void;
}

/** Rounds of calls held just under the vendor's ceiling before the first probe above it. */
const PROBE_AFTER_ROUNDS = 8;

/**
 * How many calls may run at once, found while sending, and held just under the vendor's limit.
 *
 * It starts at `start` and grows by one with every call that succeeds (about doubling per round of
 * calls) up to `max`, until the vendor first says it is asked too often. A refusal tells how many of
 * our requests the vendor had at that moment (this one included): the vendor's ceiling, the lowest
 * such count lately seen. The limit then holds one under the ceiling, the most the vendor was seen to
 * take, instead of halving. Held there for 8 rounds without a refusal, it probes one above; a probe the
 * vendor takes raises the ceiling, and the next probe follows after one round with twice the step, so a
 * vendor that lifted its limit is found again in a few rounds. A refusal at a lower count moves the
 * ceiling down at once (a vendor that lowered its limit), and resets the probing.
 *
 * Against a vendor that takes 20 at once, it holds 20, refused once per probe; the requests the
 * vendor was answering are counted from `began` to their answer, so the refused ones waiting to go
 * out again are not.
 */
export class AdaptiveLimit implements ConcurrencyLimit {
	private current: number;
	/** Requests out at the vendor right now. */
	private atVendor = 0;
	/** The fewest requests at once the vendor refused, raised when it takes as many. */
	private ceiling = Infinity;
	/** Until the first refusal, growth is one per success. */
	private searching = true;
	private probeStep = 1;
	private waitRounds = PROBE_AFTER_ROUNDS;
	private successes = 0;

	constructor(
		start: number,
		readonly max: number,
	) {
		this.current = Math.max(1, Math.min(start, max));
	}

	get value(): number {
		return Math.floor(this.current);
	}

	/** The limit's state, for tests and the benchmark. */
	get state(): { value: number; ceiling: number; atVendor: number } {
		return { value: this.value, ceiling: this.ceiling, atVendor: this.atVendor };
	}

	began(): void {
		this.atVendor++;
	}

	ended(): void {
		this.atVendor = Math.max(0, this.atVendor - 1);
	}

	succeeded(): void {
		const together = this.atVendor;
		this.ended();
		if (this.searching) {
			this.current = Math.min(this.max, this.current + 1);
			return;
		}
		if (together >= this.ceiling) {
			// The vendor took as many as it once refused: its limit is higher now.
			const probing = this.current > this.ceiling - 1;
			this.ceiling = together + 1;
			if (probing && this.current <= this.ceiling - 1) {
				// The probe was taken whole: the next comes after one round, twice as far.
				this.probeStep *= 2;
				this.waitRounds = 1;
				this.successes = 0;
			}
		}
		const hold = Math.min(this.max, this.ceiling - 1);
		if (this.current < hold) {
			// Back up to the level the vendor takes (after a cut below it), one per success.
			this.current = Math.min(hold, this.current + 1);
			return;
		}
		if (this.current > hold) return; // probing: wait for the vendor's answer to it
		if (++this.successes >= this.waitRounds * this.current) {
			this.successes = 0;
			this.current = Math.min(this.max, this.current + this.probeStep);
		}
	}

	throttled(): void {
		const together = this.atVendor;
		this.ended();
		this.searching = false;
		// One at a time is the least a send can do, whatever the vendor refused.
		this.ceiling = Math.max(2, Math.min(this.ceiling, together));
		this.current = Math.min(this.current, this.ceiling - 1);
		this.probeStep = 1;
		this.waitRounds = PROBE_AFTER_ROUNDS;
		this.successes = 0;
	}
}

/**
 * The algorithm before issue 21, kept for the benchmark beside the one above (the hidden option
 * `throttle: "halving"`): it halves on a refusal and then grows by one per round, which keeps a send
 * against a vendor that takes 20 at once near half its speed.
 */
export class HalvingLimit implements ConcurrencyLimit {
	private current: number;
	private lastCut = 0;
	private careful = false;

	constructor(
		start: number,
		readonly max: number,
	) {
		this.current = Math.max(1, Math.min(start, max));
	}

	get value(): number {
		return Math.floor(this.current);
	}

	began(): void {}

	ended(): void {}

	succeeded(): void {
		this.current = Math.min(this.max, this.current + (this.careful ? 1 / this.current : 1));
	}

	/** Halves at most once per short while: the calls already in flight answer "too frequent" together. */
	throttled(now = Date.now()): void {
		if (now - this.lastCut < 50) return;
		this.lastCut = now;
		this.careful = true;
		this.current = Math.max(1, Math.floor(this.current / 2));
	}
}

/**
 * Like mapWithConcurrency, with the number of tasks at once read from `limit` before each start:
 * tasks report success or throttling to it themselves.
 */
export async function mapAdaptive<T, R>(
	inputs: readonly T[],
	limit: ConcurrencyLimit,
	task: (input: T, index: number) => Promise<R>,
	shouldStop: (result: R) => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	let running = 0;
	let stopped = false;
	return await new Promise((resolve, reject) => {
		const pump = () => {
			if (running === 0 && (stopped || next >= inputs.length)) return resolve(results);
			while (!stopped && next < inputs.length && running < limit.value) {
				const index = next++;
				running++;
				task(inputs[index], index).then(
					(result) => {
						results[index] = result;
						running--;
						if (shouldStop(result)) stopped = true;
						pump();
					},
					(error) => {
						stopped = true;
						reject(error);
					},
				);
			}
		};
		pump();
	});
}
