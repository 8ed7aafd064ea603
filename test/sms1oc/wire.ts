/**
 * A recording proxy in front of the simulator for the 1oc tests: the simulator records the query
 * decoded, while 1oc's encoding question is about the raw bytes of the request line. The proxy keeps
 * each request line and its headers as they arrived, counts the calls in flight, and forwards to
 * the simulator unchanged. Optionally over HTTPS with a self-signed certificate made by openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WireRequest {
	method: string;
	/** The request target exactly as sent: path and query string, percent-encoding included. */
	url: string;
	headers: IncomingHttpHeaders;
}

export interface WireProxy {
	url: string;
	seen: WireRequest[];
	/** The most calls that were in flight at once. */
	maxInFlight(): number;
	close(): Promise<void>;
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(join(tmpdir(), 'sms1oc-tls-'));
	try {
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
			{ stdio: 'ignore' },
		);
		return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function startWireProxy(target: string, options: { delayMs?: number; tls?: boolean } = {}): Promise<WireProxy> {
	const seen: WireRequest[] = [];
	const upstream = new URL(target);
	let inFlight = 0;
	let most = 0;
	const onRequest = (req: IncomingMessage, res: ServerResponse) => {
		inFlight++;
		most = Math.max(most, inFlight);
		seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		const forward = () => {
			const out = http.request(
				{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
					answer.on('end', () => inFlight--);
				},
			);
			out.on('error', (error) => {
				inFlight--;
				res.writeHead(502).end(String(error));
			});
			req.pipe(out);
		};
		if (options.delayMs) setTimeout(forward, options.delayMs);
		else forward();
	};
	const server = options.tls ? https.createServer(selfSignedCertificate(), onRequest) : http.createServer(onRequest);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		seen,
		maxInFlight: () => most,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
