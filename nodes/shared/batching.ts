import { sleep } from 'n8n-workflow';

/** Splits a list into consecutive slices of at most `size` entries. */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const slices: T[][] = [];
	for (let start = 0; start < list.length; start += size) slices.push(list.slice(start, start + size));
	return slices;
}

/**
 * How many calls may run at once, as the send loop asks it before each start. A call tells it when a
 * request goes out (`began`), and how that request ended: accepted (`succeeded`, with its round trip
 * in milliseconds when known), refused as too frequent (`throttled`: the request is over, the call
 * waits and goes out again), or anything else (`ended`).
 */
export interface ConcurrencyLimit {
	readonly value: number;
	/** Milliseconds to leave between two starts (0: none), so that calls are spread over a round trip. */
	readonly spacingMs?: number;
	/** A call waiting out its pause after a throttle answer keeps its place (the algorithm before issue 21 did). */
	readonly pausedCallsKeepTheirPlace?: boolean;
	began(): void;
	succeeded(roundTripMs?: number): void;
	throttled(now?: number): void;
	ended(): void;
}

/** The share of a round trip, divided among the calls at once, left between two starts (see AdaptiveLimit). */
const SPACING_SHARE = 0.75;

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
 *
 * It also spaces the starts (`spacingMs`): three quarters of the calls' smoothed round trip divided by
 * the calls at once, so 20 calls of 66 ms start about 2.5 ms apart. n8n handles every answer on one
 * thread, and each request opens its own connection, which only goes out once the thread is free: the
 * answers that arrive together are handled one after another, and the calls they free all reach the
 * vendor after the last of them. Unspaced, the calls move in waves: measured in n8n 2.41.1 against a
 * vendor that takes 20 at once, it held its 20 half the time and dropped to a few between waves (15.3
 * at once on average); spaced, 17.1, the send 5.9 s instead of 7.0 s (README.md, "The throttle").
 * The spacing still lets calls start 1.33 times as fast as the limit alone would: it spreads them
 * without slowing them.
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
	/** The accepted calls' round trip in milliseconds, smoothed; 0 until the first is known. */
	private roundTrip = 0;

	constructor(
		start: number,
		readonly max: number,
	) {
		this.current = Math.max(1, Math.min(start, max));
	}

	get value(): number {
		return Math.floor(this.current);
	}

	get spacingMs(): number {
		return this.roundTrip === 0 ? 0 : (SPACING_SHARE * this.roundTrip) / this.value;
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

	succeeded(roundTripMs?: number): void {
		const together = this.atVendor;
		this.ended();
		if (roundTripMs !== undefined && roundTripMs >= 0) {
			this.roundTrip = this.roundTrip === 0 ? roundTripMs : this.roundTrip + (roundTripMs - this.roundTrip) / 8;
		}
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
	readonly pausedCallsKeepTheirPlace = true;
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
 * A running task's place among the `limit` at once. A task that waits before going out again (the
 * pause after a throttle answer) gives its place to the next task with `pause`, and takes one back with
 * `resume`, ahead of the tasks not yet started, once the limit allows.
 */
export interface Place {
	pause(): void;
	resume(): Promise<void>;
}

/**
 * Runs `task` over `inputs`, results in the input order, with the number of tasks at once read from
 * `limit` before each start: tasks report success or throttling to it themselves. When `shouldStop`
 * returns true after a task settles, no new task starts, the running ones are awaited, and the tasks
 * never started are reported as `undefined` ("not attempted"). A paused task does not count (see `Place`):
 * a refused call waiting out its pause leaves its place to a call the vendor may take now. Starts are
 * spaced by the limit's `spacingMs` (at most two may follow each other at once, to catch up after a
 * late wake).
 */
export async function mapAdaptive<T, R>(
	inputs: readonly T[],
	limit: ConcurrencyLimit,
	task: (input: T, index: number, place: Place) => Promise<R>,
	shouldStop: (result: R) => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	let running = 0;
	let paused = 0;
	let stopped = false;
	/** Paused tasks ready to go on, first come first served. */
	const resuming: Array<() => void> = [];
	// Starts allowed now, one more per spacing, at most two saved up.
	let allowance = 2;
	let lastCounted = Date.now();
	let waking = false;

	return await new Promise((resolve, reject) => {
		/** Whether a task may start now; if not, `pump` runs again when one may. */
		const spaced = (): boolean => {
			const spacing = limit.spacingMs ?? 0;
			if (spacing <= 0) return true;
			const now = Date.now();
			allowance = Math.min(2, allowance + (now - lastCounted) / spacing);
			lastCounted = now;
			if (allowance >= 1) {
				allowance -= 1;
				return true;
			}
			waking = true;
			void sleep(Math.max(1, (1 - allowance) * spacing)).then(() => {
				waking = false;
				pump();
			});
			return false;
		};

		const pump = (): void => {
			if (running === 0 && paused === 0 && (stopped || next >= inputs.length)) return resolve(results);
			if (waking) return;
			// Tasks under way come first: a stop only keeps new ones from starting.
			while (resuming.length > 0 && running < limit.value) {
				if (!spaced()) return;
				running++;
				paused--;
				resuming.shift()!();
			}
			while (resuming.length === 0 && !stopped && next < inputs.length && running < limit.value) {
				if (!spaced()) return;
				start(next++);
			}
		};

		const start = (index: number): void => {
			running++;
			let waiting = false;
			const place: Place = {
				pause: () => {
					if (waiting || limit.pausedCallsKeepTheirPlace) return;
					waiting = true;
					running--;
					paused++;
					// After the pausing task's own step, not inside it.
					void Promise.resolve().then(pump);
				},
				resume: () =>
					waiting
						? new Promise<void>((go) => {
								resuming.push(() => {
									waiting = false;
									go();
								});
								void Promise.resolve().then(pump);
							})
						: Promise.resolve(),
			};
			task(inputs[index], index, place).then(
				(result) => {
					results[index] = result;
					if (waiting) {
						// Ended during its pause (no more tries left): it held no place.
						waiting = false;
						paused--;
					} else running--;
					if (shouldStop(result)) stopped = true;
					pump();
				},
				(error) => {
					stopped = true;
					reject(error);
				},
			);
		};

		pump();
	});
}
