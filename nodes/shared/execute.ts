import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemCall, ItemParameters, PlannedCall, RecipientResult, SendAdapter } from './adapter';
import { InputError, PlanError } from './adapter';
import { AdaptiveLimit, HalvingLimit, mapAdaptive } from './batching';
import { readTransportSettings } from './descriptions';
import { RetryMemory } from './retry-memory';
import type { Outcome, VendorApi } from './transport';
import { VendorCallError, callVendor } from './transport';

interface CallOutcome {
	call: PlannedCall;
	results?: RecipientResult[];
	raw?: unknown;
	error?: VendorCallError;
}

/** An item's parameters for a vendor module, read through n8n (expressions resolved). */
export function parametersOf(ctx: IExecuteFunctions, itemIndex: number): ItemParameters {
	let options: IDataObject | undefined;
	return {
		itemIndex,
		get: (name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback),
		text: (name) => String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim(),
		option: (name) => (options ??= ctx.getNodeParameter('options', itemIndex, {}) as IDataObject)[name],
	};
}

/** A vendor module's bad input as n8n's error for it, naming the item. */
function inputError(ctx: IExecuteFunctions, error: InputError | PlanError, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), error.message, {
		itemIndex,
		description: error instanceof InputError ? error.description : 'Nothing was sent.',
	});
}

/**
 * The send loop every vendor shares: validate every item before the first request, combine items
 * into as few vendor calls as the vendor allows, call with adaptive concurrency, and give each item
 * its own output with pairedItem. With "Continue On Fail" off, one bad item means nothing is sent,
 * and a vendor error stops the calls not yet started. With "Not Sent Output" on, a vendor error does
 * not stop the node: the recipients that surely got nothing (refused, never reached, never attempted)
 * go to the second output, for the next vendor's node.
 */
export async function runSend<Item extends { itemIndex: number }>(
	ctx: IExecuteFunctions,
	api: VendorApi & { vendor: string },
	send: SendAdapter<Item>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const settings = readTransportSettings(ctx);
	const { notSentOutput } = settings;
	const continueOnFail = ctx.continueOnFail();
	const itemErrors = new Map<number, Error>();
	const checked: Item[] = [];
	// A retry leaves out the recipients an earlier try already reached (retry-memory.ts).
	const memory = new RetryMemory(ctx, settings.retrySkipsSent);

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			checked.push(send.readItem(parametersOf(ctx, itemIndex)));
		} catch (error) {
			const badInput =
				error instanceof InputError ? inputError(ctx, error, itemIndex) : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw badInput;
			itemErrors.set(itemIndex, badInput);
		}
	}

	let calls: PlannedCall[] | undefined;
	while (calls === undefined) {
		try {
			calls = send.plan(memory.pending(checked, send.keepPhones));
		} catch (error) {
			if (!(error instanceof PlanError)) throw new NodeOperationError(ctx.getNode(), error as Error);
			const badInput = inputError(ctx, error, error.itemIndex);
			// With Continue On Fail, only the item named is left out and the rest are planned again.
			const position = checked.findIndex((item) => item.itemIndex === error.itemIndex);
			if (!continueOnFail || position === -1) throw badInput;
			itemErrors.set(error.itemIndex, badInput);
			checked.splice(position, 1);
		}
	}

	const limit =
		settings.throttle === 'halving'
			? new HalvingLimit(settings.startConcurrency, settings.maxConcurrency)
			: new AdaptiveLimit(settings.startConcurrency, settings.maxConcurrency);
	const outcomes = await mapAdaptive<PlannedCall, CallOutcome>(
		calls,
		limit,
		async (call, _index, place) => {
			const firstItem = call.recipients[0]?.itemIndex;
			// Whether a request of this call is out at the vendor (the limit counts them), and since when.
			let out = false;
			let sentAt = 0;
			try {
				const response = await callVendor(ctx, api, call.request, {
					...settings.callOptions,
					itemIndex: firstItem,
					repeatIsRejected: call.repeatIsRejected && settings.resendUnanswered,
					onSend: async () => {
						// After a throttle answer, the call waits for a place among the calls at once again.
						await place.resume();
						out = true;
						sentAt = Date.now();
						limit.began();
					},
					onThrottle: () => {
						out = false;
						limit.throttled();
						// Its pause before going out again leaves its place to another call.
						place.pause();
					},
				});
				out = false;
				limit.succeeded(Date.now() - sentAt);
				return { call, results: send.readAnswer(call, response), raw: response.body };
			} catch (error) {
				if (out) limit.ended();
				if (error instanceof VendorCallError) return { call, error };
				throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: firstItem });
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
				? `Before this error, ${accepted.length} of ${calls.length} vendor calls (${numbers} numbers) had been accepted: ${
						memory.enabled
							? "retrying this execution (n8n's Retry, or Retry On Fail) does not send to them again; running the workflow anew does."
							: 'running the node again sends those again.'
					}`
				: undefined,
			unknown.length > 1 || (unknown.length === 1 && unknown[0]!.error !== firstError)
				? `${unknownNumbers} numbers in ${unknown.length} calls got no clear answer and may have received the message.`
				: undefined,
			notStarted > 0 ? `${notStarted} vendor calls were not started.` : undefined,
		]
			.filter(Boolean)
			.join(' ');
		memory.remember(outcomes, true);
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
						english: `Not attempted after an earlier call to ${api.displayName} failed (${firstError?.message}); nothing was sent`,
					},
					calls[index].recipients[0]?.itemIndex,
				),
			},
	);
	memory.remember(settled, false);
	const sent = memory.complete(assembleOutputs(items.length, { vendor: api.vendor, operation, ...send }, settled, itemErrors));
	if (!notSentOutput) return [sent];
	return [sent, notSentItems(items, api.vendor, sent)];
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

/**
 * An item's `messageId`, by one rule for every vendor: the batch ids of its calls where the vendor
 * gives one (planned, or in its answer as the recipients' `batchId`), otherwise its recipients'
 * message ids; each once, several joined with commas.
 */
export function messageIdOf(batchIds: string[], recipients: RecipientResult[]): string | undefined {
	const distinct = (ids: unknown[]) => [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
	const batches = distinct([...batchIds, ...recipients.map((recipient) => recipient.batchId)]);
	const ids = batches.length > 0 ? batches : distinct(recipients.map((recipient) => recipient.messageId));
	return ids.length > 0 ? ids.join(',') : undefined;
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
	{ vendor, operation, oneNumberPerCall, summarize }: { vendor: string; operation: string } & Pick<SendAdapter<never>, 'oneNumberPerCall' | 'summarize'>,
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
			messageId: messageIdOf(entry.batchIds, entry.recipients),
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
 * The loop for calls that are not sends (balance, pulls): one task per item, handed a ready call,
 * outputs paired, errors kept on their item under "Continue On Fail". A task returns one output or
 * several (a pull's records), each paired to its item.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	api: VendorApi,
	task: (call: ItemCall, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const { callOptions } = readTransportSettings(ctx);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		try {
			const call: ItemCall = (request) => callVendor(ctx, api, request, { ...callOptions, itemIndex });
			const result = await task(call, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) output.push({ json, pairedItem });
		} catch (error) {
			const failure = error instanceof InputError ? inputError(ctx, error, itemIndex) : (error as Error);
			if (!ctx.continueOnFail()) throw failure;
			output.push({ json: errorJson(failure), pairedItem });
		}
	}
	return [output];
}
