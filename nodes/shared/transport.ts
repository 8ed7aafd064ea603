import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { Outcome, VendorApi, VendorFailure, VendorRequest, VendorResponse } from './adapter';

// The types a vendor module shares with the transport live in the pure adapter.ts; kept importable from here.
export { notTheApi } from './adapter';
export type { Outcome, VendorApi, VendorFailure, VendorRequest, VendorResponse } from './adapter';

export interface CallOptions {
	/** Milliseconds the whole call may take, answer included, before it is abandoned. */
	timeout: number;
	allowUnauthorizedCerts: boolean;
	itemIndex?: number;
	/**
	 * True when the vendor rejects a repeat of this exact request (a unique batch number) and the user
	 * chose to rely on that: a call whose answer was lost is then sent again under the same number.
	 */
	repeatIsRejected?: boolean;
	/** How many times a call that surely did not reach the vendor is tried again. */
	retries?: number;
	/** How many times a throttled call ("too many requests") is tried again, after a growing pause. */
	throttleRetries?: number;
	/** Told of every throttle answer, so that the send loop can slow down. */
	onThrottle?: () => void;
	/**
	 * Told when the request is about to go out: the first time, and again after each throttle answer
	 * (the refused one is over). It may make the call wait (the send loop's turn for calls at once).
	 */
	onSend?: () => void | Promise<void>;
}

/** Network errors that prove the request never reached the vendor: retrying cannot send twice. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Network error codes in words: n8n replaces any error message that contains the code itself. */
const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	ENETUNREACH: 'network unreachable',
	EHOSTUNREACH: 'host unreachable',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection closed',
	DEADLINE: 'no complete answer within the timeout',
};

/** TLS failures happen before any request is written: nothing was sent either. */
const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export const DEFAULT_TIMEOUT_MS = 10_000;
const RETRY_DELAY_MS = 300;
const THROTTLE_DELAY_MS = 100;
const THROTTLE_DELAY_MAX_MS = 2_000;

/** What the item loop needs to know of a failed call besides n8n's error. */
export interface CallFailure extends VendorFailure {
	kind: 'vendor' | 'network' | 'http';
	outcome: Exclude<Outcome, 'accepted'>;
}

/**
 * A failure the transport saw, kept apart from n8n's error so the item loop can tell them apart. It
 * keeps only plain data: n8n serializes errors, and one holding the execution context hangs n8n.
 */
export class VendorCallError extends NodeApiError {
	constructor(
		ctx: IExecuteFunctions,
		readonly vendorFailure: CallFailure,
		itemIndex: number | undefined,
		httpCode?: number,
	) {
		// No `code` key here: n8n would swap the message for a generic one when it sees ECONNREFUSED & co.
		super(ctx.getNode(), { vendorCode: vendorFailure.code, vendorMessage: vendorFailure.vendorMessage } as JsonObject, {
			message: vendorFailure.english,
			description: vendorFailure.hint,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		});
	}

	get outcome(): CallFailure['outcome'] {
		return this.vendorFailure.outcome;
	}
}

/** What each outcome means for the people on the list, said once for every error. */
export const OUTCOME_WORDS: Record<CallFailure['outcome'], string> = {
	refused: 'nothing was sent',
	notSent: 'nothing was sent',
	unknown: 'the message may have been sent',
};

function parseText(text: string): unknown {
	const trimmed = text.trim();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return JSON.parse(trimmed);
		} catch {
			return text;
		}
	}
	return text;
}

/**
 * The network error code (ECONNREFUSED, ECONNRESET, ...) of a failed call, whatever shape the n8n in
 * use hands the node. Measured with scripts/probe-network-errors.js (test/fixtures/n8n-network-errors-*.json):
 * n8n 2.x throws a NodeApiError whose `cause` chain holds it (NodeApiError > AxiosError > Node's
 * error); n8n 1.x throws a NodeApiError that has lost its cause and keeps the code only as its
 * `httpCode` (where 2.x puts it too). A numeric httpCode is an HTTP status: an answer, no network code.
 */
export function errorCode(error: unknown): string | undefined {
	let at = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; at && typeof at === 'object' && depth < 5; depth++) {
		if (typeof at.code === 'string') return at.code;
		at = at.cause as typeof at;
	}
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	if (typeof httpCode === 'string' && /^[A-Z][A-Z0-9_]+$/.test(httpCode)) return httpCode;
	return undefined;
}

/** What a network error of an attempt says about the call. */
export interface NetworkError {
	/** Node's error code (ECONNREFUSED, …), DEADLINE for the node's own timeout, UNKNOWN when none. */
	code: string;
	/** The code in words: n8n replaces any error message that contains the code itself. */
	words: string;
	/** A TLS failure: it happens before any request is written, so nothing was sent. */
	tls: boolean;
	/** The request surely never reached the vendor: trying again cannot send twice. */
	notSent: boolean;
}

/** The one place a failed attempt's error is read (n8n's HTTP helper wraps Node's error its own way). */
export function classifyNetworkError(error: unknown): NetworkError {
	const code = errorCode(error) ?? 'UNKNOWN';
	return {
		code,
		words: NETWORK_WORDS[code] ?? (/timeout/i.test(String((error as Error)?.message)) ? 'timed out' : 'network error'),
		tls: TLS_CODES.has(code),
		notSent: NOT_SENT_CODES.has(code),
	};
}

/**
 * Every value of the call's credential, as it may stand in an answer that echoes the request: raw,
 * percent-encoded and form-encoded. Short values are left alone: masking "1" would mask every digit.
 */
function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const values = new Set<string>();
	for (const value of Object.values(credentials)) {
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		const text = String(value);
		if (text.length < 4) continue;
		values.add(text);
		values.add(encodeURIComponent(text));
		values.add(encodeURIComponent(text).replace(/%20/g, '+'));
	}
	// Longest first, so that a value containing another is masked whole.
	return [...values].sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string, secrets: string[]): string {
	let masked = text;
	for (const secret of secrets) masked = masked.split(secret).join('***');
	return masked;
}

/** Credentials are read (and decrypted) once per node run and type, not once per call. */
const credentialCache = new WeakMap<IExecuteFunctions, Map<string, Promise<ICredentialDataDecryptedObject>>>();

function credentialsFor(ctx: IExecuteFunctions, type: string): Promise<ICredentialDataDecryptedObject> {
	let byType = credentialCache.get(ctx);
	if (!byType) credentialCache.set(ctx, (byType = new Map()));
	let credentials = byType.get(type);
	if (!credentials) {
		credentials = ctx.getCredentials(type, 0);
		byType.set(type, credentials);
		// A failed read is not kept: the next call says the same thing itself.
		credentials.catch(() => byType!.delete(type));
	}
	return credentials;
}

/**
 * Rejects after `ms`: the node's timeout bounds the whole call, not only the silences in it. The timer
 * is an AbortSignal's, which does not keep n8n's process alive.
 */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
	const signal = AbortSignal.timeout(ms);
	const deadline = new Promise<never>((_, reject) => {
		signal.addEventListener('abort', () => reject(Object.assign(new Error('deadline'), { code: 'DEADLINE' })), { once: true });
	});
	// Whichever loses settles later, unobserved: its rejection must not go unhandled.
	deadline.catch(() => {});
	promise.catch(() => {});
	return await Promise.race([promise, deadline]);
}

/** A call ready to be attempted: n8n's request options, the credential, and what to mask in answers. */
interface PreparedCall {
	httpOptions: IHttpRequestOptions;
	credentials: ICredentialDataDecryptedObject;
	decrypted: { id: string; name: string; type: string; data: ICredentialDataDecryptedObject };
	secrets: string[];
	host: string;
}

/** Building the request: the credential's base URL and the body as the vendor module gave it. */
async function prepareCall(ctx: IExecuteFunctions, api: VendorApi, request: VendorRequest, options: CallOptions): Promise<PreparedCall> {
	const credentials = await credentialsFor(ctx, api.credentialType);
	const baseUrl = String(credentials[request.baseUrlField ?? 'baseUrl'] ?? '').replace(/\/+$/, '');
	const url = `${baseUrl}${request.path}`;
	const nodeCredential = ctx.getNode().credentials?.[api.credentialType];
	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		headers: { ...request.headers },
		timeout: options.timeout,
		skipSslCertificateValidation: options.allowUnauthorizedCerts,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: 'text',
		json: false,
	};
	if (request.form) {
		httpOptions.headers!['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
		httpOptions.body = { ...request.form };
	} else if (request.json) {
		httpOptions.headers!['Content-Type'] = 'application/json';
		httpOptions.body = JSON.stringify(request.json);
	}
	return {
		httpOptions,
		credentials,
		decrypted: { id: nodeCredential?.id ?? '', name: nodeCredential?.name ?? '', type: api.credentialType, data: credentials },
		secrets: secretsOf(credentials),
		host: safeHost(url),
	};
}

/** One attempt: the request through n8n (which adds the credential), its answer as status and text. Throws network errors. */
async function attemptCall(
	ctx: IExecuteFunctions,
	api: VendorApi,
	request: VendorRequest,
	prepared: PreparedCall,
	timeout: number,
): Promise<{ statusCode: number; text: string }> {
	const { httpOptions, decrypted, credentials } = prepared;
	const response = (await withDeadline(
		ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			api.credentialType,
			// n8n adds the credential to this object; a fresh copy keeps each attempt clean.
			{ ...httpOptions, headers: { ...httpOptions.headers }, body: request.form ? { ...request.form } : httpOptions.body },
			{ credentialsDecrypted: { ...decrypted, data: { ...credentials } } },
		),
		timeout,
	)) as { statusCode: number; body: unknown };
	const text =
		typeof response.body === 'string'
			? response.body
			: Buffer.isBuffer(response.body)
				? response.body.toString('utf8')
				: JSON.stringify(response.body);
	return { statusCode: response.statusCode, text };
}

/** A network error that ends the call, in words, with what it means for the recipients. */
function networkFailure(api: VendorApi, host: string, network: NetworkError, earlierUnanswered: boolean): CallFailure {
	const { code, words } = network;
	if (network.tls) {
		return {
			kind: 'network',
			outcome: 'notSent',
			code,
			vendorMessage: '',
			english: `The TLS certificate of ${api.displayName} at ${host} could not be verified; nothing was sent`,
			hint: `Certificate error: ${code}. If you trust this host anyway, turn on the node's Ignore SSL Issues option.`,
		};
	}
	const surelyNotSent = network.notSent && !earlierUnanswered;
	return {
		kind: 'network',
		outcome: surelyNotSent ? 'notSent' : 'unknown',
		code,
		vendorMessage: '',
		english: surelyNotSent
			? `Could not reach ${api.displayName} at ${host} (${words}); nothing was sent`
			: `No answer from ${api.displayName} at ${host} (${words}); the message may have been sent`,
		hint: `${
			surelyNotSent
				? 'Check the base URL in the credential and that this n8n host can reach it.'
				: 'Check the vendor console before sending again, so that nobody gets the message twice.'
		} Network error code: ${code}.`,
	};
}

/** Reading the answer: the vendor's refusal in it, if any (HTTP 429 is "too many requests" from any vendor, or a gateway before it). */
function refusalIn(api: VendorApi, response: VendorResponse, text: string, secrets: string[]): VendorFailure | undefined {
	if (response.statusCode === 429) {
		return {
			code: 'HTTP 429',
			vendorMessage: maskSecrets(text.slice(0, 300), secrets),
			english: `${api.displayName} answered HTTP 429 (too many requests)`,
			hint: 'Lower the Max Concurrent Calls option.',
			throttled: true,
		};
	}
	return api.findFailure(response);
}

const UNANSWERED_NOTE =
	'An earlier attempt of this call got no answer and may have been accepted; check the vendor console before sending again.';

/** A refusal that ends the call; after an unanswered attempt, it may be the vendor refusing the repeat of an accepted call. */
function refusedCall(failure: VendorFailure, earlierUnanswered: boolean, secrets: string[]): CallFailure {
	const outcome = failure.unreadable || earlierUnanswered ? 'unknown' : 'refused';
	const hint = [
		outcome === 'refused' ? undefined : 'The vendor may have the call: check its console before sending again.',
		failure.hint,
		earlierUnanswered ? UNANSWERED_NOTE : undefined,
		outcome === 'refused' ? 'Nothing was sent.' : undefined,
	]
		.filter(Boolean)
		.join(' ');
	return {
		...failure,
		vendorMessage: maskSecrets(failure.vendorMessage, secrets),
		// A refusal says so in the hint; the message stays the vendor's, as users search for it.
		english: outcome === 'refused' ? failure.english : `${failure.english}; ${OUTCOME_WORDS[outcome]}`,
		hint: hint || undefined,
		kind: 'vendor',
		outcome,
	};
}

/**
 * An HTTP status that is not 2xx and not a refusal the vendor module read. A 4xx is the server saying
 * no before the vendor took anything; a 5xx (or 408) may come after the vendor did its work, from a
 * gateway that lost the answer.
 */
function httpFailure(api: VendorApi, statusCode: number, text: string, earlierUnanswered: boolean, secrets: string[]): CallFailure {
	const outcome = statusCode >= 500 || statusCode === 408 || earlierUnanswered ? 'unknown' : 'refused';
	return {
		kind: 'http',
		outcome,
		code: `HTTP ${statusCode}`,
		vendorMessage: maskSecrets(text.slice(0, 500), secrets),
		english: outcome === 'refused' ? `${api.displayName} answered HTTP ${statusCode}` : `${api.displayName} answered HTTP ${statusCode}; ${OUTCOME_WORDS[outcome]}`,
		hint:
			outcome === 'unknown'
				? 'The vendor or a gateway before it failed and did not say whether it took the call: check the vendor console before sending again.'
				: 'The vendor did not say why. Check the base URL in the credential. Nothing was sent.',
	};
}

/**
 * The only place a vendor is called. Adds the credential (through n8n, so secrets stay in the
 * credential store and out of URLs and logs), verifies TLS unless the user turned that off, tries
 * again only where nothing can be sent twice (the request surely did not reach the vendor, or the
 * vendor said it was asked too often), and turns every failure into a NodeApiError that keeps the
 * vendor's code and text, with what it means for the recipients.
 */
export async function callVendor(
	ctx: IExecuteFunctions,
	api: VendorApi,
	request: VendorRequest,
	options: CallOptions,
): Promise<VendorResponse> {
	const prepared = await prepareCall(ctx, api, request, options);
	const { secrets } = prepared;
	const fail = (failure: CallFailure, httpCode?: number) => new VendorCallError(ctx, failure, options.itemIndex, httpCode);
	const retries = options.retries ?? 2;
	const throttleRetries = options.throttleRetries ?? 8;
	// Set once an attempt went unanswered: the vendor may hold it, so later outcomes must say so.
	let earlierUnanswered = false;
	let throttled = 0;
	let announce = true;
	for (let attempt = 0; ; attempt++) {
		let answer: { statusCode: number; text: string };
		if (announce) await options.onSend?.();
		announce = false;
		try {
			answer = await attemptCall(ctx, api, request, prepared, options.timeout);
		} catch (error) {
			const network = classifyNetworkError(error);
			if (!network.tls && attempt < retries && (network.notSent || options.repeatIsRejected)) {
				if (!network.notSent) earlierUnanswered = true;
				await sleep(RETRY_DELAY_MS * 2 ** attempt);
				continue;
			}
			throw fail(networkFailure(api, prepared.host, network, earlierUnanswered));
		}

		const { statusCode, text } = answer;
		const response: VendorResponse = { statusCode, body: parseText(text) };
		const failure = refusalIn(api, response, text, secrets);
		if (failure?.throttled && !earlierUnanswered) {
			options.onThrottle?.();
			announce = true;
			if (throttled < throttleRetries) {
				await sleep(Math.min(THROTTLE_DELAY_MAX_MS, THROTTLE_DELAY_MS * 2 ** throttled) * (0.5 + Math.random()));
				throttled++;
				continue;
			}
		}
		if (failure) throw fail(refusedCall(failure, earlierUnanswered, secrets), statusCode);
		if (statusCode >= 500 && attempt < retries && options.repeatIsRejected) {
			earlierUnanswered = true;
			await sleep(RETRY_DELAY_MS * 2 ** attempt);
			continue;
		}
		if (statusCode < 200 || statusCode >= 300) throw fail(httpFailure(api, statusCode, text, earlierUnanswered, secrets), statusCode);
		return response;
	}
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the configured base URL';
	}
}
