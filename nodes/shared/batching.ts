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
 * How many calls may run at once, found while sending: it starts at `start`, grows by one with every
 * call that succeeds (so it roughly doubles per round of calls) up to `max`, and halves when the
 * vendor says it is asked too often, never below one. After the first "too frequent" it grows by one
 * per round only (one over its value per success): the calls that were already in flight when it was
 * cut would otherwise double it back to the level the vendor refused within one round, and every
 * round would end in a burst of refusals. A vendor's limit is then found in a few calls and held near
 * it, instead of a fixed number that is either too slow or refused.
 */
export class AdaptiveLimit {
	private current: number;
	private lastCut = 0;
	/** Set by the first cut: from here on, growth is one per round. */
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
	limit: AdaptiveLimit,
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
