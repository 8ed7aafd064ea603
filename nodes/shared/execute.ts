import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AdaptiveLimit, mapAdaptive } from './batching';
import { readTransportSettings } from './descriptions';
import type { Outcome, VendorApi, VendorRequest, VendorResponse } from './transport';
import { VendorCallError, callVendor } from './transport';

/** One recipient's outcome, as the contract shapes it. */
export interface RecipientResult extends IDataObject {
	phone: string;
	accepted: boolean;
	/** Set by the send loop from `accepted` when a vendor module leaves it out. */
	outcome?: Outcome;
	messageId?: string;
	status?: string;
	error?: string;
	/** A refusal about this message, not the vendor (see NotSentReason). */
	aboutMessage?: boolean;
}

/** One vendor call, carrying numbers of one or more items. */
export interface PlannedCall {
	request: VendorRequest;
	recipients: Array<{ itemIndex: number; phone: string; messageId?: string; segments?: number }>;
	/** The batch id this call is known by, when there is one. */
	batchId?: string;
	repeatIsRejected?: boolean;
}

export interface SendSpec<Prepared> {
	api: VendorApi & { vendor: string };
	operation: string;
	/** Reads and validates one item; throws NodeOperationError for bad input. Sends nothing. */
	prepare(itemIndex: number): Prepared;
	/** Turns all valid items into vendor calls (pure). */
	plan(prepared: Array<{ itemIndex: number; value: Prepared }>): PlannedCall[];
	/** Reads one call's answer into per-recipient results, in the call's recipient order. */
	read(call: PlannedCall, response: VendorResponse): RecipientResult[];
	/** The vendor takes one number per call: `raw` is then always the array of its answers. */
	oneNumberPerCall?: boolean;
	/** Extra fields of an item's output, from its recipients and the answers of its calls. */
	summarize?(recipients: RecipientResult[], raws: unknown[]): IDataObject;
}

interface CallOutcome {
	call: PlannedCall;
	results?: RecipientResult[];
	raw?: unknown;
	error?: VendorCallError;
}

/** Thrown by a vendor's pure planning code when items cannot be sent as given. */
export class PlanError extends Error {
	constructor(
		message: string,
		readonly itemIndex: number,
	) {
		super(message);
	}
}

/**
 * The send loop every vendor shares: validate every item before the first request, combine items
 * into as few vendor calls as the vendor allows, call with adaptive concurrency, and give each item
 * its own output with pairedItem. With "Continue On Fail" off, one bad item means nothing is sent,
 * and a vendor error stops the calls not yet started. With "Not Sent Output" on, a vendor error does
 * not stop the node: the recipients that surely got nothing (refused, never reached, never attempted)
 * go to the second output, for the next vendor's node.
 */
export async function runSend<Prepared>(ctx: IExecuteFunctions, spec: SendSpec<Prepared>): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const settings = readTransportSettings(ctx);
	const { notSentOutput } = settings;
	const continueOnFail = ctx.continueOnFail();
	const itemErrors = new Map<number, Error>();
	const prepared: Array<{ itemIndex: number; value: Prepared }> = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push({ itemIndex, value: spec.prepare(itemIndex) });
		} catch (error) {
			if (!continueOnFail) throw error;
			itemErrors.set(itemIndex, error as Error);
		}
	}

	let calls: PlannedCall[] | undefined;
	while (calls === undefined) {
		try {
			calls = spec.plan(prepared);
		} catch (error) {
			if (!(error instanceof PlanError)) throw error;
			const badInput = new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex: error.itemIndex,
				description: 'Nothing was sent.',
			});
			// With Continue On Fail, only the item named is left out and the rest are planned again.
			const position = prepared.findIndex((entry) => entry.itemIndex === error.itemIndex);
			if (!continueOnFail || position === -1) throw badInput;
			itemErrors.set(error.itemIndex, badInput);
			prepared.splice(position, 1);
		}
	}

	const limit = new AdaptiveLimit(settings.startConcurrency, settings.maxConcurrency);
	const outcomes = await mapAdaptive<PlannedCall, CallOutcome>(
		calls,
		limit,
		async (call) => {
			const firstItem = call.recipients[0]?.itemIndex;
			try {
				const response = await callVendor(ctx, spec.api, call.request, {
					...settings.callOptions,
					itemIndex: firstItem,
					repeatIsRejected: call.repeatIsRejected && settings.resendUnanswered,
					onThrottle: () => limit.throttled(),
				});
				limit.succeeded();
				return { call, results: spec.read(call, response), raw: response.body };
			} catch (error) {
				if (error instanceof VendorCallError) return { call, error };
				throw error;
			}
		},
		// With Not Sent Output, calls stop after an error that is not about one message (the vendor is
		// out of balance, refuses the account, or is down): what was not attempted goes to the next vendor.
		(outcome) =>
			outcome.error !== undefined && (notSentOutput ? !outcome.error.vendorFailure.aboutMessage : !continueOnFail),
	);

	const firstError = outcomes.find((outcome) => outcome?.error)?.error;
	if (firstError && !continueOnFail && !notSentOutput) {
		const accepted = outcomes.filter((outcome) => outcome?.results);
		const numbers = accepted.reduce((sum, outcome) => sum + outcome!.call.recipients.length, 0);
		const unknown = outcomes.filter((outcome) => outcome?.error?.outcome === 'unknown');
		const unknownNumbers = unknown.reduce((sum, outcome) => sum + outcome!.call.recipients.length, 0);
		const notStarted = outcomes.filter((outcome) => outcome === undefined).length;
		firstError.description = [
			firstError.description,
			accepted.length > 0
				? `Before this error, ${accepted.length} of ${calls.length} vendor calls (${numbers} numbers) had been accepted: running the node again sends those again.`
				: undefined,
			unknown.length > 1 || (unknown.length === 1 && unknown[0]!.error !== firstError)
				? `${unknownNumbers} numbers in ${unknown.length} calls got no clear answer and may have received the message.`
				: undefined,
			notStarted > 0 ? `${notStarted} vendor calls were not started.` : undefined,
		]
			.filter(Boolean)
			.join(' ');
		throw firstError;
	}

	// Calls never started after the error that stopped them: nothing of theirs reached anyone.
	const settled = outcomes.map(
		(outcome, index): CallOutcome =>
			outcome ?? {
				call: calls[index],
				error: new VendorCallError(
					ctx,
					{
						kind: 'vendor',
						outcome: 'notSent',
						code: 'NOT_ATTEMPTED',
						vendorMessage: '',
						english: `Not attempted after an earlier call to ${spec.api.displayName} failed (${firstError?.message}); nothing was sent`,
					},
					calls[index].recipients[0]?.itemIndex,
				),
			},
	);
	const sent = assembleOutputs(items.length, spec, settled, itemErrors);
	if (!notSentOutput) return [sent];
	return [sent, notSentItems(items, spec.api.vendor, sent)];
}

/** What a recipient of the "Not Sent" output carries: why, and whether another vendor may do better. */
export interface NotSentReason extends IDataObject {
	phone: string;
	outcome: 'refused' | 'notSent';
	code?: string;
	error?: string;
	/** The refusal is about this message (a bad number, an unknown template): another vendor will likely refuse it too. */
	aboutMessage: boolean;
}

/**
 * The "Not Sent" output: for each input item with recipients that surely got nothing, the item's own
 * fields plus `notSent`, paired to it, so the next vendor's node reads `{{ $json.notSent.phones }}` and
 * the rest of its parameters from the same fields. Recipients whose outcome is unknown never go here:
 * they may have the message.
 */
function notSentItems(items: INodeExecutionData[], vendor: string, sent: INodeExecutionData[]): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	sent.forEach((entry, itemIndex) => {
		const recipients = (entry.json.recipients ?? []) as RecipientResult[];
		const reasons: NotSentReason[] = recipients
			.filter((recipient) => recipient.outcome === 'refused' || recipient.outcome === 'notSent')
			.map((recipient) => ({
				phone: recipient.phone,
				outcome: recipient.outcome as NotSentReason['outcome'],
				code: recipient.status,
				error: recipient.error,
				aboutMessage: recipient.aboutMessage === true,
			}));
		if (reasons.length === 0) return;
		output.push({
			json: { ...items[itemIndex].json, notSent: { vendor, phones: reasons.map((reason) => reason.phone), reasons } },
			pairedItem: { item: itemIndex },
		});
	});
	return output;
}

/** The words of a recipient's outcome, beside its code, as triggers give `statusText`. */
const STATUS_TEXT: Record<Outcome, string> = {
	accepted: 'Accepted by the vendor',
	refused: 'Refused by the vendor: nothing was sent',
	notSent: 'Not sent: the vendor could not be reached',
	unknown: 'Unknown: no clear answer, the message may have been sent',
};

function assembleOutputs(
	itemCount: number,
	{ api: { vendor }, operation, oneNumberPerCall, summarize }: Pick<SendSpec<unknown>, 'api' | 'operation' | 'oneNumberPerCall' | 'summarize'>,
	outcomes: Array<CallOutcome | undefined>,
	itemErrors: Map<number, Error>,
): INodeExecutionData[] {
	const perItem = Array.from({ length: itemCount }, () => ({
		recipients: [] as RecipientResult[],
		raws: [] as unknown[],
		batchIds: [] as string[],
		errors: [] as VendorCallError[],
	}));
	for (const outcome of outcomes) {
		if (!outcome) continue;
		const touched = new Set<number>();
		outcome.call.recipients.forEach((recipient, position) => {
			const entry = perItem[recipient.itemIndex];
			touched.add(recipient.itemIndex);
			if (outcome.results) {
				const result = outcome.results[position];
				result.outcome ??= result.accepted ? 'accepted' : 'refused';
				result.accepted = result.outcome === 'accepted';
				result.statusText ??= STATUS_TEXT[result.outcome];
				entry.recipients.push(result);
			} else {
				const failure = outcome.error!;
				entry.recipients.push({
					phone: recipient.phone,
					accepted: false,
					outcome: failure.outcome,
					messageId: recipient.messageId,
					...(recipient.segments !== undefined && { segments: recipient.segments }),
					status: failure.vendorFailure.code,
					statusText: STATUS_TEXT[failure.outcome],
					error: failure.message,
					...(failure.vendorFailure.aboutMessage && { aboutMessage: true }),
				});
			}
		});
		for (const itemIndex of touched) {
			const entry = perItem[itemIndex];
			if (outcome.results) entry.raws.push(outcome.raw);
			if (outcome.error && !entry.errors.includes(outcome.error)) entry.errors.push(outcome.error);
			if (outcome.call.batchId && !entry.batchIds.includes(outcome.call.batchId)) entry.batchIds.push(outcome.call.batchId);
		}
	}

	return perItem.map((entry, itemIndex) => {
		const pairedItem = { item: itemIndex };
		const itemError = itemErrors.get(itemIndex);
		if (itemError) return { json: errorJson(itemError), pairedItem };
		const json: IDataObject = {
			vendor,
			operation,
			success: entry.recipients.length > 0 && entry.recipients.every((recipient) => recipient.accepted),
			recipients: entry.recipients,
			messageId: entry.batchIds.length <= 1 ? entry.batchIds[0] : entry.batchIds.join(','),
			raw: (entry.raws.length === 1 && !oneNumberPerCall ? entry.raws[0] : entry.raws) as IDataObject,
		};
		if (summarize) Object.assign(json, summarize(entry.recipients, entry.raws));
		if (entry.errors.length > 0) {
			const mayBeOut = entry.recipients.filter((recipient) => recipient.outcome === 'unknown').length;
			const surelyNot = entry.recipients.filter((recipient) => recipient.outcome === 'refused' || recipient.outcome === 'notSent').length;
			json.error = [...new Set(entry.errors.map((error) => error.message))].join('; ');
			json.details = [
				...new Set(entry.errors.map((error) => error.description).filter(Boolean)),
				mayBeOut > 0 ? `${mayBeOut} of ${entry.recipients.length} recipients may have received the message (outcome "unknown"): do not send to them again without a look at the vendor console.` : undefined,
				surelyNot > 0 ? `${surelyNot} of ${entry.recipients.length} recipients surely got nothing (outcome "refused" or "notSent").` : undefined,
			]
				.filter(Boolean)
				.join(' ');
		}
		return { json, pairedItem };
	});
}

/**
 * An error on an item under Continue On Fail: the message and its hint. Only these keys, so that
 * n8n's "continue (using error output)" still routes the item to the error output.
 */
function errorJson(error: Error): IDataObject {
	const description = (error as { description?: unknown }).description;
	return typeof description === 'string' && description !== '' ? { error: error.message, details: description } : { error: error.message };
}

/**
 * The loop for calls that are not sends (balance, pulls): one call per item, outputs paired, errors
 * kept on their item under "Continue On Fail".
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	task: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push({ json: await task(itemIndex), pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!ctx.continueOnFail()) throw error;
			output.push({ json: errorJson(error as Error), pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
