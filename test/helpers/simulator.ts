/**
 * The vendor simulator (simulator/index.js, plain CommonJS without type declarations) for jest
 * files: its exports with types, and `useSimulator`, which gives a file one simulator for all its
 * tests and a clean one for each test.
 *
 *   const sim = useSimulator();                         // in the file's top level or a describe
 *   it('...', async () => { await run(...); expect(sim().requests).toHaveLength(1); });
 */

export interface PushOptions {
	vendor: string;
	url: string;
	kind: string;
	records?: Array<Record<string, unknown>>;
	raw?: string;
	contentType?: string;
}

/** What `sim.configure()` takes: see simulator/README.md. */
export type SimulatorConfig = Record<string, unknown>;

export interface Simulator {
	url: string;
	port: number;
	/**
	 * Every vendor call as the simulator recorded it (simulator/README.md, "What it records").
	 * Loosely typed on purpose: a test reads it through its vendor's own `RecordedRequest<Detail>`.
	 */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	requests: any[];
	/** Every push attempt: `{ vendor, kind, url, body, contentType, status, answer, error?, attempt, at }`. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	pushes: any[];
	/** The most vendor calls answered at once, per vendor, since the last reset. */
	maxInFlight: Record<string, number>;
	reset(): void;
	/** Returns the live config: `{ autoPush, autoReply, pushDelayMs, retryDelayMs, responseDelayMs }`. */
	configure(config?: SimulatorConfig): SimulatorConfig & { autoPush: Record<string, { delivery?: string | null; reply?: string | null }> };
	push(options: PushOptions): Promise<{ status: number; body: string; error?: string }>;
	close(): Promise<void>;
}

/** One entry of `sim.requests`; `Detail` is what the vendor's module says it understood. */
export interface RecordedRequest<Detail = Record<string, unknown>> {
	id: number;
	vendor: string;
	operation: string;
	method: string;
	/** The request target as it arrived: path and query string, percent-encoding included. */
	url: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** The raw body as received. */
	body: string;
	/** Query and form, decoded once. */
	params: Record<string, string>;
	response: { status: number; body: string };
	detail?: Detail;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulator = require('../../simulator') as {
	startSimulator(options?: { port?: number; host?: string; pushDelayMs?: number }): Promise<Simulator>;
	ACCOUNTS: Record<string, Record<string, string>>;
	/** The vendor's n8n credential data for the simulator's account, every base URL set to `baseUrl`. */
	credentialsFor(vendor: string, baseUrl: string): Record<string, string>;
	ZHUANXINYUN_ACCOUNT: Record<string, string>;
};

export const { startSimulator, ACCOUNTS, credentialsFor, ZHUANXINYUN_ACCOUNT } = simulator;

/**
 * Starts a simulator on a free port before the file's tests and closes it after them (closing
 * cancels its pending pushes, so jest exits by itself). Before each test it is reset, and its
 * config is put back as it was after `configure`: reset() forgets requests, pushes and vendor state
 * but keeps the config, so an autoPush URL, autoReply or a response delay one test set would
 * otherwise reach into the next.
 */
export function useSimulator(options: { pushDelayMs?: number; configure?: SimulatorConfig } = {}): () => Simulator {
	let sim: Simulator | undefined;
	let initial: ReturnType<Simulator['configure']>;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, pushDelayMs: options.pushDelayMs });
		initial = structuredClone(sim.configure(options.configure));
	});
	beforeEach(() => {
		const current = get();
		current.reset();
		// configure() merges autoPush per vendor, so a URL a test added must be cleared by name.
		const autoPush = Object.fromEntries(
			Object.keys(current.configure().autoPush).map((vendor) => [
				vendor,
				{ delivery: initial.autoPush[vendor]?.delivery ?? null, reply: initial.autoPush[vendor]?.reply ?? null },
			]),
		);
		current.configure({ ...initial, autoPush });
	});
	afterAll(async () => {
		await sim?.close();
		sim = undefined;
	});

	function get(): Simulator {
		if (!sim) throw new Error('The simulator runs only inside tests (beforeAll of useSimulator has not run)');
		return sim;
	}
	return get;
}
