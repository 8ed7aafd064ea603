/**
 * What a send node remembers so that a retry texts nobody twice. When a try of the node ends with
 * some recipients not accepted (the node failed, or an item carries an error), the recipients the
 * vendor accepted, and those whose call got no clear answer (outcome "unknown": they may have the
 * message), are remembered in the node's context of the execution (`getContext('node')`), which n8n
 * saves with the execution's data, failed executions included, and hands whole to a retry of that
 * execution. When n8n runs the node again for the same items, in a retried execution (mode `retry`:
 * the executions list's Retry, or the API's, with the original or the currently saved workflow) or
 * through the node's Retry On Fail (the same execution and run), those recipients are left out of
 * the vendor calls and reported as sent before. Every other run sends as it always did: a new
 * execution starts with an empty context, so nothing is skipped outside a retry.
 *
 * Not the workflow's static data: n8n 2.41 saves it after every execution that is not a manual run,
 * but a retry with the original workflow runs on the execution's snapshot of the workflow, which has
 * no static data (`toWorkflowSnapshot` keeps id, name, nodes, connections, settings): measured in a
 * real n8n 2.41.1, such a retry found nothing and sent everything again.
 *
 * A recipient is known by a short hash of the node's name, its input item (which n8n hands a retry
 * unchanged, from the failed execution's saved data), its number, and which occurrence of that number
 * among equal items it is: never by a secret, and not by the message text, which an expression ($now) may
 * change between the try and the retry. The memory lives as long as the execution (n8n prunes
 * executions after 14 days by default); tries older than RETAIN_DAYS are dropped anyway, and at most
 * MAX_REMEMBERED recipients are kept, the oldest forgotten first: at that bound the memory adds about
 * 1 MB to the execution's data (HASH_LENGTH, 10 bytes, a recipient). What a retry used is forgotten
 * once the retry's send went through.
 */
import { createHash } from 'crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export const MAX_REMEMBERED = 100_000;
export const RETAIN_DAYS = 14;
/** Characters of base64url hash per recipient (60 bits): a false match among 100,000 is about 1 in 10^8. */
export const HASH_LENGTH = 10;

/** One try that did not go through: the hashes of its recipients, concatenated. */
export interface RememberedTry extends IDataObject {
	/** The execution and the node's run index of the try (Retry On Fail re-runs within both). */
	execution: string;
	run: number;
	/** When the try ended (ISO 8601, UTC): within seconds of the vendor's answers. */
	at: string;
	accepted: string;
	unknown: string;
}

/** What the node's execution context holds, under `retryMemory`. */
export interface RetryMemoryState extends IDataObject {
	tries?: RememberedTry[];
}

/** What a retry does with one occurrence of a number in an item. */
export interface Remembered {
	outcome: 'accepted' | 'unknown';
	at: string;
	hash: string;
	execution: string;
	run: number;
}

/** The option that turns the memory off (every send node's options). */
export const retrySkipsSentOption = (sendOperations: string[]): INodeProperties => ({
	displayName: 'Retry Skips Recipients Already Sent',
	name: 'retrySkipsSent',
	type: 'boolean',
	default: true,
	description:
		"Whether a retry of a failed execution (n8n's Retry, or this node's Retry On Fail) leaves out the recipients the vendor already accepted in the failed try, and those whose call got no clear answer, reporting them with alreadySent or alreadyTried instead of texting them twice. Runs that are not retries always send. Off: a retry sends to every recipient again.",
	displayOptions: { show: { '/operation': sendOperations } },
});

/** What identifies an item of a node: computed once per item, whatever its number of recipients. */
export function itemDigest(nodeName: string, itemJson: unknown): string {
	return createHash('sha256').update(`${nodeName}\u0000${JSON.stringify(itemJson ?? {})}`, 'utf8').digest('base64url');
}

/** One occurrence of a number in an item (`itemDigest`). */
export function recipientHash(digest: string, phone: string, occurrence: number): string {
	return createHash('sha256').update(`${digest}\u0000${phone}#${occurrence}`, 'utf8').digest('base64url').slice(0, HASH_LENGTH);
}

const hashesOf = (joined: string) => (joined.match(new RegExp(`.{${HASH_LENGTH}}`, 'g')) ?? []) as string[];

/** Every remembered recipient by its hash; a later try wins over an earlier one. */
export function indexTries(state: RetryMemoryState): Map<string, Remembered> {
	const index = new Map<string, Remembered>();
	for (const entry of state.tries ?? []) {
		const { at, execution, run } = entry;
		for (const hash of hashesOf(entry.unknown)) index.set(hash, { outcome: 'unknown', at, hash, execution, run });
		for (const hash of hashesOf(entry.accepted)) index.set(hash, { outcome: 'accepted', at, hash, execution, run });
	}
	return index;
}

/**
 * The state with `forget` left out, `add` appended, tries older than RETAIN_DAYS dropped, then the
 * oldest recipients past MAX_REMEMBERED. A new object: the caller assigns it.
 */
export function updateTries(state: RetryMemoryState, { forget = new Set<string>(), add, now }: { forget?: Set<string>; add?: RememberedTry; now: Date }): RetryMemoryState {
	const oldest = new Date(now.getTime() - RETAIN_DAYS * 86400e3).toISOString();
	const keep = (joined: string) => hashesOf(joined).filter((hash) => !forget.has(hash));
	let tries = [...(state.tries ?? []), ...(add ? [add] : [])]
		.filter((entry) => entry.at >= oldest)
		.map((entry) => ({ ...entry, accepted: keep(entry.accepted).join(''), unknown: keep(entry.unknown).join('') }))
		.filter((entry) => entry.accepted !== '' || entry.unknown !== '');
	let excess = tries.reduce((sum, entry) => sum + (entry.accepted.length + entry.unknown.length) / HASH_LENGTH, 0) - MAX_REMEMBERED;
	for (const entry of tries) {
		if (excess <= 0) break;
		for (const field of ['unknown', 'accepted'] as const) {
			const drop = Math.min(excess, entry[field].length / HASH_LENGTH);
			entry[field] = entry[field].slice(drop * HASH_LENGTH);
			excess -= drop;
		}
	}
	tries = tries.filter((entry) => entry.accepted !== '' || entry.unknown !== '');
	return { ...state, tries };
}

/** A recipient of a vendor call and what became of it, as the send loop knows it. */
interface CallResult {
	call: { recipients: Array<{ itemIndex: number; phone: string }> };
	results?: Array<{ outcome?: string; accepted: boolean }>;
	error?: { outcome: string };
}

/** The items' numbers minus those a retry leaves out (a vendor adapter may filter its per-number fields too). */
export type KeepPhones<Item> = (item: Item, positions: number[]) => Item;

const keepPhonesDefault = <Item>(item: Item, positions: number[]): Item => ({
	...item,
	phones: positions.map((position) => (item as { phones: string[] }).phones[position]),
});

/**
 * One run of a send node: which recipients it leaves out, and what it remembers when it ends. With
 * the option off it does nothing.
 */
export class RetryMemory {
	/** Per item: the occurrences left out, by position in the item's `phones`. */
	private readonly skipped = new Map<number, Map<number, Remembered>>();
	/** Per item digest and number: how many occurrences were left out (new ones are numbered after them). */
	private readonly skippedCount = new Map<string, number>();
	/** Every number of the items with some left out, in order. */
	private readonly phones = new Map<number, string[]>();
	private index?: Map<string, Remembered>;
	/** Each item's digest, computed once. */
	private readonly digests = new Map<number, string>();
	private run?: number;
	private retrying?: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly enabled: boolean,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The node's run in this execution (n8n gives it to expressions as $runIndex; Retry On Fail keeps it). */
	private runIndex(): number {
		this.run ??= Number(this.ctx.getWorkflowDataProxy(0).$runIndex ?? 0);
		return this.run;
	}

	private get state(): IDataObject {
		return this.ctx.getContext('node');
	}

	private get memory(): RetryMemoryState {
		return (this.state.retryMemory ?? {}) as RetryMemoryState;
	}

	private digestOf(itemIndex: number): string {
		let digest = this.digests.get(itemIndex);
		if (digest === undefined) {
			digest = itemDigest(this.ctx.getNode().name, this.ctx.getInputData()[itemIndex]?.json);
			this.digests.set(itemIndex, digest);
		}
		return digest;
	}

	/**
	 * Equal items (the same json) with the same number are told apart by their order: the n-th
	 * occurrence of a number among them, counted over the items in input order.
	 */
	private occurrenceKey(itemIndex: number, phone: string): string {
		return `${this.digestOf(itemIndex)}\u0000${phone}`;
	}

	/**
	 * A retried execution (the failed one's context, handed over by n8n), or a Retry On Fail try of
	 * this very run; the same run of the node either way (a retry runs the failed run again, under its
	 * run index): a node that runs several times in one execution (a loop) keeps each run's memory to
	 * itself.
	 */
	private applies(entry: Remembered | undefined): boolean {
		if (!entry || entry.run !== this.runIndex()) return false;
		this.retrying ??= this.ctx.getMode() === 'retry';
		return this.retrying || entry.execution === String(this.ctx.getExecutionId() ?? '');
	}

	/** The items to plan: each item's numbers that were not sent before; items with none left are left out. */
	pending<Item extends { itemIndex: number }>(items: Item[], keepPhones: KeepPhones<Item> = keepPhonesDefault): Item[] {
		// Called again when planning leaves out a bad item (Continue On Fail): start over each time.
		this.skipped.clear();
		this.skippedCount.clear();
		this.phones.clear();
		if (!this.enabled || (this.memory.tries ?? []).length === 0) return items;
		this.index ??= indexTries(this.memory);
		const pending: Item[] = [];
		const seen = new Map<string, number>();
		for (const item of items) {
			const phones = (item as unknown as { phones?: string[] }).phones ?? [];
			const keep: number[] = [];
			const skipped = new Map<number, Remembered>();
			phones.forEach((phone, position) => {
				const key = this.occurrenceKey(item.itemIndex, phone);
				const occurrence = (seen.get(key) ?? 0) + 1;
				seen.set(key, occurrence);
				const entry = this.index!.get(recipientHash(this.digestOf(item.itemIndex), phone, occurrence));
				if (this.applies(entry)) {
					skipped.set(position, entry!);
					this.skippedCount.set(key, (this.skippedCount.get(key) ?? 0) + 1);
				} else keep.push(position);
			});
			if (skipped.size > 0) {
				this.skipped.set(item.itemIndex, skipped);
				this.phones.set(item.itemIndex, phones);
			}
			if (keep.length === phones.length) pending.push(item);
			else if (keep.length > 0) pending.push(keepPhones(item, keep));
		}
		return pending;
	}

	/**
	 * At the end of a try: when some recipient was not accepted, or the node stops with an error
	 * (`failed`), remembers what was accepted or may have gone out; when everything went through,
	 * forgets what this run left out. Nothing is written when there is nothing to change.
	 */
	remember(outcomes: Array<CallResult | undefined>, failed: boolean): void {
		if (!this.enabled) return;
		const counts = new Map<string, { digest: string; phone: string; accepted: number; unknown: number }>();
		let incomplete = failed;
		for (const outcome of outcomes) {
			if (!outcome) {
				incomplete = true;
				continue;
			}
			outcome.call.recipients.forEach((recipient, position) => {
				const result = outcome.results?.[position];
				const kind = result ? (result.outcome ?? (result.accepted ? 'accepted' : 'refused')) : outcome.error?.outcome;
				if (kind !== 'accepted') incomplete = true;
				if (kind !== 'accepted' && kind !== 'unknown') return;
				const key = this.occurrenceKey(recipient.itemIndex, recipient.phone);
				const count = counts.get(key) ?? { digest: this.digestOf(recipient.itemIndex), phone: recipient.phone, accepted: 0, unknown: 0 };
				count[kind]++;
				counts.set(key, count);
			});
		}
		const used = new Set([...this.skipped.values()].flatMap((entries) => [...entries.values()].map((entry) => entry.hash)));
		const now = this.now();
		if (!incomplete) {
			if (used.size > 0) this.state.retryMemory = updateTries(this.memory, { forget: used, now });
			return;
		}
		const accepted: string[] = [];
		const unknown: string[] = [];
		for (const [key, count] of counts) {
			let occurrence = this.skippedCount.get(key) ?? 0;
			for (let n = 0; n < count.accepted; n++) accepted.push(recipientHash(count.digest, count.phone, ++occurrence));
			for (let n = 0; n < count.unknown; n++) unknown.push(recipientHash(count.digest, count.phone, ++occurrence));
		}
		if (accepted.length === 0 && unknown.length === 0) return;
		this.state.retryMemory = updateTries(this.memory, {
			now,
			add: {
				execution: String(this.ctx.getExecutionId() ?? ''),
				run: this.runIndex(),
				at: now.toISOString(),
				accepted: accepted.join(''),
				unknown: unknown.join(''),
			},
		});
	}

	/**
	 * The send outputs with the recipients left out put back in their place (their item's numbers in
	 * order), marked: accepted before (`alreadySent`, `acceptedAt`), or tried without a clear answer
	 * (`alreadyTried`, `triedAt`, outcome "unknown"). `success` counts them as the vendor answered them.
	 */
	complete(outputs: INodeExecutionData[]): INodeExecutionData[] {
		for (const [itemIndex, skipped] of this.skipped) {
			const json = outputs[itemIndex]?.json;
			if (!json || !Array.isArray(json.recipients)) continue;
			const sent = [...(json.recipients as IDataObject[])];
			json.recipients = (this.phones.get(itemIndex) ?? []).map((phone, position) => {
				const entry = skipped.get(position);
				if (!entry) {
					const at = sent.findIndex((recipient) => recipient.phone === phone);
					return (at === -1 ? sent.shift() : sent.splice(at, 1)[0]) ?? { phone };
				}
				return entry.outcome === 'accepted'
					? {
							phone,
							accepted: true,
							outcome: 'accepted',
							status: 'ALREADY_SENT',
							statusText: 'Accepted by the vendor in an earlier try of this execution: not sent again',
							alreadySent: true,
							acceptedAt: entry.at,
						}
					: {
							phone,
							accepted: false,
							outcome: 'unknown',
							status: 'ALREADY_TRIED',
							statusText: 'Unknown: an earlier try of this execution got no clear answer for this number, so it was not sent again',
							error: 'Not sent again: an earlier try got no clear answer for this number, and it may have the message. Look it up in the vendor console before sending to it again.',
							alreadyTried: true,
							triedAt: entry.at,
						};
			});
			const recipients = json.recipients as IDataObject[];
			json.success = recipients.length > 0 && recipients.every((recipient) => recipient.accepted === true);
		}
		return outputs;
	}
}
