/**
 * The shape every vendor module has (docs/vendors/README.md, "Adding a sixth vendor"): its API
 * description for the transport, one send adapter per send operation, optionally its balance read,
 * its pulls and its push parser. A vendor module is pure: it reads an item's values into a checked
 * item, plans the vendor calls, reads the answers, and states its rules; the shared loops (execute.ts,
 * operations.ts) do the rest. Everything a vendor module needs is in this file (and the pure phones.ts,
 * time.ts, ids.ts, batching.ts): a vendor module never imports the transport, which calls n8n.
 */
import type { IAuthenticateRuleResponseSuccessBody, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

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

/**
 * What became of a message for one recipient, as far as the package can know:
 * - `accepted`: the vendor took it;
 * - `refused`: the vendor answered no, so nothing was sent;
 * - `notSent`: the request never reached the vendor (refused connection, DNS, TLS handshake);
 * - `unknown`: it may have reached the vendor (no answer, a reset, a 5xx, an answer that cannot be read):
 *   the message may be out, so it must not be sent again without a look at the vendor console.
 */
export type Outcome = 'accepted' | 'refused' | 'notSent' | 'unknown';

/** A refusal by the vendor, in the vendor's words and ours. */
export interface VendorFailure {
	code: string;
	vendorMessage: string;
	/** English explanation, for people who do not read the vendor's language. */
	english: string;
	/** What the user can do about it, when there is something. */
	hint?: string;
	/** The vendor's "too many requests" answer: nothing was sent, and the call may be made again later. */
	throttled?: boolean;
	/** The answer is not the vendor's API (a portal page, a proxy): whether the vendor has the call is unknown. */
	unreadable?: boolean;
	/**
	 * The refusal is about this message (a number, a template, one number asked too often), not about
	 * the vendor or the account: other calls of the run may still go through, and another vendor will
	 * likely refuse it too.
	 */
	aboutMessage?: boolean;
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
 * not the vendor's API (a portal page, a proxy, a cut-off answer) cannot say whether the vendor took
 * the call; other statuses are left to the transport's HTTP error.
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
		unreadable: true,
	};
}

/** One normalized record of a push (or a pull), as the contract shapes trigger output. */
export interface PushItem extends IDataObject {
	vendor: string;
	event: 'delivery' | 'reply';
	/** Null where the vendor's push names no number (1oc's reports carry only the message id). */
	phone: string | null;
}

/**
 * A push the trigger does not take: answered with `status` (400 unless told) and a short text, and no
 * execution starts.
 */
export class PushError extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

export type PushFormat = 'json' | 'form' | 'xml';

/** Bad input, found before anything is sent: the send loop turns it into n8n's NodeOperationError. */
export class InputError extends Error {
	constructor(
		message: string,
		readonly description = 'Nothing was sent.',
	) {
		super(message);
	}
}

/** One item's parameters, as the send loop hands them to a vendor module. */
export interface ItemParameters {
	itemIndex: number;
	/** A parameter's value, expressions resolved. */
	get(name: string, fallback?: unknown): unknown;
	/** A parameter as trimmed text ('' when empty). */
	text(name: string): string;
	/** A value of the node's `options` collection. */
	option(name: string): unknown;
}

/** A vendor call of one item, the transport settings and the item's index already applied (runPerItem). */
export type ItemCall = (request: VendorRequest) => Promise<VendorResponse>;

/** One recipient's result, as the contract shapes it. */
export interface RecipientResult extends IDataObject {
	phone: string;
	accepted: boolean;
	/** Set by the send loop from `accepted` when a vendor module leaves it out. */
	outcome?: 'accepted' | 'refused' | 'notSent' | 'unknown';
	messageId?: string;
	status?: string;
	error?: string;
	/** A refusal about this message, not the vendor (see NotSentReason in execute.ts). */
	aboutMessage?: boolean;
}

/** One vendor call, carrying numbers of one or more items. */
export interface PlannedCall {
	request: VendorRequest;
	recipients: Array<{ itemIndex: number; phone: string; messageId?: string; segments?: number }>;
	/** The batch id this call is known by, when there is one. */
	batchId?: string;
	/** The vendor refuses a repeat of this exact call (see CallOptions.repeatIsRejected). */
	repeatIsRejected?: boolean;
}

/** Thrown by a vendor's planning when items cannot be sent as given: the item named is bad input. */
export class PlanError extends Error {
	constructor(
		message: string,
		readonly itemIndex: number,
	) {
		super(message);
	}
}

/** What the send loop needs of one send operation of a vendor. */
export interface SendAdapter<Item extends { itemIndex: number }> {
	/** Reads and checks one item's values; throws InputError for bad input. Sends nothing. */
	readItem(parameters: ItemParameters): Item;
	/** Turns the checked items into vendor calls (pure; throws PlanError). */
	plan(items: Item[]): PlannedCall[];
	/** Reads one call's answer into per-recipient results, in the call's recipient order. */
	readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[];
	/** Extra fields of an item's output, from its recipients and the answers of its calls. */
	summarize?(recipients: RecipientResult[], raws: unknown[]): IDataObject;
	/**
	 * The item with only the numbers at `positions` (a retry leaves out those already sent). Without
	 * it, `phones` is filtered; a vendor with a field per number filters that field too.
	 */
	keepPhones?(item: Item, positions: number[]): Item;
	/** The vendor takes one number per call: `raw` is then always the array of its answers. */
	oneNumberPerCall?: boolean;
}

/**
 * A read that is asked once more, changed, when the vendor's first answer is a given refusal: data
 * for the shared loop, which applies it to reads only (they send nothing, so asking twice is safe).
 * Veesing: a server that reads the keys only from the query string says a parameter is missing.
 */
export interface AskAgain {
	/** Whether this failure of the first call is the one to ask again for (`kind` is the transport's). */
	when(failure: VendorFailure & { kind?: string }): boolean;
	/** The second request, from the first and the call's credential (its secrets may go into it). */
	request(first: VendorRequest, credentials: IDataObject): VendorRequest;
}

/**
 * An operation that reads (a balance, a pull): one item's request, and its answer read. The shared
 * loop (operations.ts) calls it once per input item, pairs the output to the item, and follows pages.
 */
export interface ReadOperation<Result> {
	/** The first request for one item (its parameters; `now` for "today" defaults). Throws InputError. */
	request(parameters: ItemParameters, now: Date): VendorRequest;
	/** Reads one answer's body; throws when it holds no result. */
	read(body: unknown): Result;
	/** Paged reads: the request for the page after this answer, or undefined after the last one. */
	nextPage?(request: VendorRequest, body: unknown): VendorRequest | undefined;
	askAgain?: AskAgain;
}

/** The `getBalance` operation: output `{ vendor, operation, balance, unit, raw }` (raw: the answer). */
export type BalanceOperation = ReadOperation<{ balance: number; unit: 'messages' | 'CNY' }>;

/** An operation that pulls records: one output item per record, in the trigger's item shape. */
export type PullOperation = ReadOperation<PushItem[]>;

/** A vendor module's exports, in one declared shape: every node and trigger reaches its vendor through it. */
export interface VendorAdapter {
	api: VendorApi & { vendor: string };
	/** The send operations, by the node's `operation` value. */
	sends: Record<string, SendAdapter<{ itemIndex: number }>>;
	/** The `getBalance` operation, when the vendor has a balance call. */
	balance?: BalanceOperation;
	/** The operations that pull records (reports, replies), by the node's `operation` value. */
	pulls?: Record<string, PullOperation>;
	/** Turns a parsed push into records; throws PushError for a push of the wrong shape. */
	parsePush?(data: IDataObject | IDataObject[], format: PushFormat): PushItem[];
}

/** A vendor's error table entry: its own text, ours, and what to do. */
export interface VendorErrorEntry {
	zh: string;
	en: string;
	hint?: string;
	/** See VendorFailure.aboutMessage. */
	aboutMessage?: boolean;
	/** The account's "too many requests" (see VendorFailure.throttled). */
	throttled?: boolean;
	/** The code means the credential (or the caller's IP, or the account) is not accepted. */
	credential?: boolean;
}

/** The one wording of a vendor's refusal: `<Vendor> error <code>: <English> (<vendor text>)`, and its hint. */
export function refusal(displayName: string, code: string, entry: Partial<VendorErrorEntry> | undefined, vendorText: string): VendorFailure {
	return {
		code,
		vendorMessage: vendorText,
		english: `${displayName} error ${code || '(none)'}: ${entry?.en ?? 'unknown error'} (${vendorText || entry?.zh || 'no message'})`,
		hint: entry?.hint,
		aboutMessage: entry?.aboutMessage,
		throttled: entry?.throttled,
	};
}

/**
 * The credential test's rules, from the vendor's error table: every entry marked `credential`, in the
 * words the node's errors use. `key` is the answer's field that holds the table's keys: a code, or
 * (`code` given) the vendor's text, the code then being the one all its refusals share. n8n compares
 * a rule's value with `===`: `asNumber` matches a code documented as a string when it comes as a number.
 */
export function credentialRules(
	displayName: string,
	key: string,
	table: Record<string, Omit<VendorErrorEntry, 'zh'> & { zh?: string }>,
	{ asNumber = false, code }: { asNumber?: boolean; code?: string } = {},
): IAuthenticateRuleResponseSuccessBody[] {
	return Object.entries(table)
		.filter(([, entry]) => entry.credential)
		.flatMap(([tableKey, entry]) => {
			const vendorText = code === undefined ? entry.zh ?? '' : tableKey;
			const failure = refusal(displayName, code ?? tableKey, entry, vendorText);
			const message = [failure.english, failure.hint].filter(Boolean).join('. ');
			const values: Array<string | number> = [tableKey];
			if (asNumber && /^\d+$/.test(tableKey)) values.push(Number(tableKey));
			return values.map((value) => ({ type: 'responseSuccessBody' as const, properties: { key, value, message } }));
		});
}

/** A scalar field of a vendor's answer as trimmed text; objects and absent fields are ''. */
export function textOf(value: unknown): string {
	if (value === undefined || value === null || typeof value === 'object') return '';
	return String(value).trim();
}

/** Items that may share a vendor call (same key), in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const group = groups.get(k);
		if (group) group.push(item);
		else groups.set(k, [item]);
	}
	return [...groups.values()];
}

/**
 * Slices of at most `size` recipients in which no number appears twice, for vendors that answer (or
 * key their body) per number: a number twice in one call could not be told apart. A repeated number
 * moves to a later slice; the order is kept otherwise.
 */
export function distinctSlices<R extends { phone: string }>(recipients: readonly R[], size: number): R[][] {
	const slices: R[][] = [];
	let pending = [...recipients];
	while (pending.length > 0) {
		const later: R[] = [];
		let current: R[] = [];
		let numbers = new Set<string>();
		for (const recipient of pending) {
			if (numbers.has(recipient.phone)) {
				later.push(recipient);
				continue;
			}
			if (current.length === size) {
				slices.push(current);
				current = [];
				numbers = new Set();
			}
			current.push(recipient);
			numbers.add(recipient.phone);
		}
		slices.push(current);
		pending = later;
	}
	return slices;
}
