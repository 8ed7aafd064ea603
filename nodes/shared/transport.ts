import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** A vendor call as a vendor module builds it: a path under the credential's base URL, never a secret. */
export interface VendorRequest {
	method: IHttpRequestMethods;
	path: string;
	/** Credential field holding the base URL (Chonry has two). */
	baseUrlField?: string;
	/** Sent as application/x-www-form-urlencoded; the credential adds its secrets to it. */
	form?: IDataObject;
	qs?: IDataObject;
	json?: IDataObject;
	headers?: IDataObject;
}

export interface VendorResponse {
	statusCode: number;
	/** Parsed JSON when the text is JSON, otherwise the text itself (vendor modules parse XML). */
	body: unknown;
}

/** A refusal by the vendor, in the vendor's words and ours. */
export interface VendorFailure {
	code: string;
	vendorMessage: string;
	/** English explanation, for people who do not read the vendor's language. */
	english: string;
	/** What the user can do about it, when there is something. */
	hint?: string;
}

/** What the transport needs to know of a vendor. */
export interface VendorApi {
	displayName: string;
	credentialType: string;
	/** Finds the error a vendor reports, often inside an HTTP 200 body. */
	findFailure(response: VendorResponse): VendorFailure | undefined;
}

/**
 * For a vendor's findFailure, when a body holds none of the vendor's fields: a 2xx answer that is
 * not the vendor's API (a portal page, a proxy) is a failure; other statuses are left to the
 * transport's HTTP error.
 */
export function notTheApi(
	displayName: string,
	response: VendorResponse,
	hint = 'Check the base URL in the credential.',
): VendorFailure | undefined {
	if (response.statusCode < 200 || response.statusCode >= 300) return undefined;
	return {
		code: 'UNEXPECTED',
		vendorMessage: typeof response.body === 'string' ? response.body.slice(0, 300) : '',
		english: `${displayName} answered with something that is not its API response`,
		hint,
	};
}

export interface CallOptions {
	/** Milliseconds before a call is abandoned. */
	timeout: number;
	allowUnauthorizedCerts: boolean;
	itemIndex?: number;
	/**
	 * True when the vendor rejects a repeat of this exact request (a unique batch number), so that a
	 * call whose answer was lost may be sent again without texting anyone twice.
	 */
	repeatIsRejected?: boolean;
	/** How many times a call is tried again where that is safe. */
	retries?: number;
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

/** Errors after which the vendor may or may not have the request. */
const UNSURE_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT']);

export const DEFAULT_TIMEOUT_MS = 10_000;
const RETRY_DELAY_MS = 300;

/**
 * A failure the transport saw, kept apart from n8n's error so the item loop can tell them apart. It
 * keeps only plain data: n8n serializes errors, and one holding the execution context hangs n8n.
 */
export class VendorCallError extends NodeApiError {
	constructor(
		ctx: IExecuteFunctions,
		readonly vendorFailure: VendorFailure & { kind: 'vendor' | 'network' | 'http'; reachedVendor: boolean },
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
}

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

function errorCode(error: unknown): string | undefined {
	const candidate = error as { code?: unknown; cause?: { code?: unknown } };
	if (typeof candidate?.code === 'string') return candidate.code;
	if (typeof candidate?.cause?.code === 'string') return candidate.cause.code;
	return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The only place a vendor is called. Adds the credential (through n8n, so secrets stay in the
 * credential store and out of URLs and logs), verifies TLS unless the user turned that off, retries
 * only where that cannot send twice, and turns every failure into a NodeApiError that keeps the
 * vendor's code and text.
 */
export async function callVendor(
	ctx: IExecuteFunctions,
	api: VendorApi,
	request: VendorRequest,
	options: CallOptions,
): Promise<VendorResponse> {
	const credentials = await ctx.getCredentials(api.credentialType, options.itemIndex ?? 0);
	const baseUrl = String(credentials[request.baseUrlField ?? 'baseUrl'] ?? '').replace(/\/+$/, '');
	const url = `${baseUrl}${request.path}`;

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

	const retries = options.retries ?? 2;
	// Set once an attempt went unanswered: the vendor may hold it, so later outcomes must say so.
	let earlierUnanswered = false;
	const unansweredNote =
		'An earlier attempt of this call got no answer and may have been accepted; check the vendor console before sending again.';
	for (let attempt = 0; ; attempt++) {
		let statusCode: number;
		let text: string;
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				api.credentialType,
				// n8n adds the credential to this object; a fresh copy keeps each attempt clean.
				{ ...httpOptions, headers: { ...httpOptions.headers }, body: request.form ? { ...request.form } : httpOptions.body },
			)) as { statusCode: number; body: unknown };
			statusCode = response.statusCode;
			text = typeof response.body === 'string' ? response.body : Buffer.isBuffer(response.body) ? response.body.toString('utf8') : JSON.stringify(response.body);
		} catch (error) {
			const code = errorCode(error) ?? 'UNKNOWN';
			const badCertificate = TLS_CODES.has(code);
			if (badCertificate) {
				throw new VendorCallError(
					ctx,
					{
						kind: 'network',
						reachedVendor: false,
						code,
						vendorMessage: '',
						english: `The TLS certificate of ${api.displayName} at ${safeHost(url)} could not be verified; nothing was sent`,
						hint: `Certificate error: ${code}. If you trust this host anyway, turn on the node's Ignore SSL Issues option.`,
					},
					options.itemIndex,
				);
			}
			const notSent = NOT_SENT_CODES.has(code);
			const unsure = UNSURE_CODES.has(code) || /timeout/i.test(String((error as Error)?.message));
			if (attempt < retries && (notSent || (unsure && options.repeatIsRejected))) {
				if (!notSent) earlierUnanswered = true;
				await sleep(RETRY_DELAY_MS * 2 ** attempt);
				continue;
			}
			const host = safeHost(url);
			const words = NETWORK_WORDS[code] ?? 'network error';
			throw new VendorCallError(
				ctx,
				{
					kind: 'network',
					reachedVendor: !notSent,
					code,
					vendorMessage: '',
					english:
						notSent && !earlierUnanswered
							? `Could not reach ${api.displayName} at ${host} (${words}); nothing was sent`
							: `No answer from ${api.displayName} at ${host} (${words}); the request may or may not have been accepted`,
					hint: `${
						notSent
							? 'Check the base URL in the credential and that this n8n host can reach it.'
							: 'Check the vendor console before sending again, so that nobody gets the message twice.'
					} Network error code: ${code}.`,
				},
				options.itemIndex,
			);
		}

		const response: VendorResponse = { statusCode, body: parseText(text) };
		const failure = api.findFailure(response);
		if (failure) {
			// After an unanswered attempt, a refusal may be the vendor refusing the repeat of an accepted call.
			const hint = earlierUnanswered ? [failure.hint, unansweredNote].filter(Boolean).join(' ') : failure.hint;
			throw new VendorCallError(ctx, { ...failure, hint, kind: 'vendor', reachedVendor: true }, options.itemIndex, statusCode);
		}
		if (statusCode >= 500 && attempt < retries && options.repeatIsRejected) {
			earlierUnanswered = true;
			await sleep(RETRY_DELAY_MS * 2 ** attempt);
			continue;
		}
		if (statusCode < 200 || statusCode >= 300) {
			throw new VendorCallError(
				ctx,
				{
					kind: 'http',
					reachedVendor: true,
					code: `HTTP ${statusCode}`,
					vendorMessage: text.slice(0, 500),
					english: `${api.displayName} answered HTTP ${statusCode}`,
					hint: 'The vendor did not say why. Check the base URL in the credential.',
				},
				options.itemIndex,
				statusCode,
			);
		}
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
