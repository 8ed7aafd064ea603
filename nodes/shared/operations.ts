/**
 * The dispatch every node and trigger shares: a node's `operation` picks the vendor module's send,
 * balance or pull (nodes/shared/adapter.ts, VendorAdapter), and the shared loops run it. Nothing here
 * knows a vendor: a new vendor adds its module and a node whose execute is `runOperation(this, ADAPTER)`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemCall, ItemParameters, ReadOperation, VendorAdapter, VendorRequest } from './adapter';
import { parametersOf, runPerItem, runSend } from './execute';
import { receivePush, type PushOptions } from './push';
import { VendorCallError, callVendor, type CallOptions } from './transport';

/** A node's execute: the operation of the first item names the send, the balance or the pull to run. */
export async function runOperation(ctx: IExecuteFunctions, adapter: VendorAdapter): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const { api } = adapter;
	const send = adapter.sends[operation];
	if (send) return await runSend(ctx, api, send);

	const credentials = (itemIndex: number) => async () => await ctx.getCredentials(api.credentialType, itemIndex);
	const { balance } = adapter;
	if (operation === 'getBalance' && balance) {
		return await runPerItem(ctx, api, async (call, itemIndex) => {
			const { result, body } = await readOnce(balance, balance.request(parametersOf(ctx, itemIndex), new Date()), call, credentials(itemIndex));
			return { vendor: api.vendor, operation, ...result, raw: body as IDataObject };
		});
	}

	const pull = adapter.pulls?.[operation];
	if (pull) {
		return await runPerItem(ctx, api, async (call, itemIndex) => await readAllPages(pull, parametersOf(ctx, itemIndex), call, credentials(itemIndex)));
	}
	throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not one of ${api.displayName}'s`);
}

/**
 * A pull outside a node's item loop (a poll trigger): the records of one pull operation, for
 * parameters given as values. The transport needs only the credential, the node and the HTTP helper,
 * which a poll has too.
 */
export async function pullRecords(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	operation: string,
	values: IDataObject,
	callOptions: CallOptions,
): Promise<IDataObject[]> {
	const pull = adapter.pulls?.[operation];
	if (!pull) throw new NodeOperationError(ctx.getNode(), `${adapter.api.displayName} has no pull "${operation}"`);
	const call: ItemCall = async (request) => await callVendor(ctx, adapter.api, request, callOptions);
	return await readAllPages(pull, valuesAsParameters(values), call, async () => await ctx.getCredentials(adapter.api.credentialType));
}

/** A trigger's webhook: the push read by the vendor module's parsePush. */
export async function receivePushThrough(
	ctx: IWebhookFunctions,
	adapter: VendorAdapter,
	options: Omit<PushOptions, 'parse'>,
): Promise<IWebhookResponseData> {
	const { parsePush } = adapter;
	if (!parsePush) throw new NodeOperationError(ctx.getNode(), `${adapter.api.displayName} has no pushes`);
	return await receivePush(ctx, { ...options, parse: parsePush });
}

/** Parameters from fixed values, for reads made outside an item loop. */
function valuesAsParameters(values: IDataObject, itemIndex = 0): ItemParameters {
	return {
		itemIndex,
		get: (name, fallback) => values[name] ?? fallback,
		text: (name) => String(values[name] ?? '').trim(),
		option: () => undefined,
	};
}

/** One read call, asked once more as the operation's `askAgain` says when the first is refused its way. */
async function readOnce<Result>(
	operation: ReadOperation<Result>,
	request: VendorRequest,
	call: ItemCall,
	credentials: () => Promise<IDataObject>,
): Promise<{ result: Result; body: unknown }> {
	const { body } = await call(request).catch(async (error: unknown) => {
		const { askAgain } = operation;
		if (!(error instanceof VendorCallError) || !askAgain?.when(error.vendorFailure)) return await Promise.reject(error);
		return await call(askAgain.request(request, await credentials()));
	});
	return { result: operation.read(body), body };
}

/** Every page of a read whose results are lists (a pull), in order. */
async function readAllPages<Entry>(
	operation: ReadOperation<Entry[]>,
	parameters: ItemParameters,
	call: ItemCall,
	credentials: () => Promise<IDataObject>,
): Promise<Entry[]> {
	const records: Entry[] = [];
	let request: VendorRequest | undefined = operation.request(parameters, new Date());
	while (request) {
		const page: { result: Entry[]; body: unknown } = await readOnce(operation, request, call, credentials);
		records.push(...page.result);
		request = operation.nextPage?.(request, page.body);
	}
	return records;
}
