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
