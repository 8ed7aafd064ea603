/**
 * The shape every vendor module has (docs/vendors/README.md, "Adding a sixth vendor"): its API
 * description for the transport, one send adapter per send operation, and its push parser. A vendor
 * module is pure: it reads an item's values into a checked item, plans the vendor calls, reads the
 * answers, and states its rules; the shared send loop (execute.ts) does the rest.
 */
import type { IAuthenticateRuleResponseSuccessBody, IDataObject } from 'n8n-workflow';

import type { PushFormat, PushItem } from './push';
import type { VendorApi, VendorFailure, VendorRequest, VendorResponse } from './transport';

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

/** A vendor module's exports, in one declared shape. */
export interface VendorAdapter {
	api: VendorApi & { vendor: string };
	/** The send operations, by the node's `operation` value. */
	sends: Record<string, SendAdapter<{ itemIndex: number }>>;
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
