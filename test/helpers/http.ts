/**
 * Small HTTP pieces the simulator and trigger tests share: raw POSTs, reading an answer, waiting
 * for pushes that arrive on their own, and webhook receivers that stand in for a trigger.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Polls `probe` until it returns something truthy; pushes arrive on the simulator's timers, not on ours. */
export async function waitFor<T>(probe: () => T | undefined, what: string, ms = 3000): Promise<T> {
	for (const end = Date.now() + ms; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 10))) {
		const value = probe();
		if (value) return value;
	}
	throw new Error(`timed out waiting for ${what}`);
}

export interface Answer {
	status: number;
	contentType: string | null;
	text: string;
	/** The body parsed as JSON, or undefined when it is not JSON (an XML answer, a 404 page). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

/** Reads a fetch response whole, so a test can assert on status, Content-Type and the exact bytes. */
export async function readAnswer(res: Response): Promise<Answer> {
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

/**
 * POSTs `body` exactly as given (no encoding on our side), as a vendor's push would arrive, and
 * returns the answer as the trigger tests compare it.
 */
export async function postRaw(url: string, body: string, contentType: string): Promise<{ status: number; contentType: string | null; body: string }> {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
	return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

export interface Receiver {
	url: string;
	/** Every request it got, in order. */
	received: Array<{ contentType: string | undefined; body: string }>;
}

/**
 * A webhook receiver like the one a trigger node exposes, to watch the simulator's pushes on the
 * wire. It answers `answer.body` with the status `statusFor` picks (a 500 makes the simulator
 * retry). Every receiver started is closed after each test, so a test needs no try/finally.
 *
 *   const startReceiver = useReceivers({ body: 'ok' });
 *   it('...', async () => { const receiver = await startReceiver(); ... });
 */
export function useReceivers(answer: { body: string; contentType?: string }): (statusFor?: (body: string) => number) => Promise<Receiver> {
	let closers: Array<() => Promise<void>> = [];
	afterEach(async () => {
		await Promise.all(closers.map((close) => close()));
		closers = [];
	});

	return async (statusFor = () => 200) => {
		const received: Receiver['received'] = [];
		const server = createServer((req, res) => {
			let body = '';
			req.setEncoding('utf8');
			req.on('data', (chunk: string) => (body += chunk));
			req.on('end', () => {
				received.push({ contentType: req.headers['content-type'], body });
				res.writeHead(statusFor(body), answer.contentType ? { 'Content-Type': answer.contentType } : {}).end(answer.body);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		closers.push(
			() =>
				new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				}),
		);
		return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, received };
	};
}
