import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runPerItem, runSend } from '../shared/execute';
import { phonesProperty, readTransportSettings, transportOptionsProperty } from '../shared/descriptions';
import { parseMainlandPhones } from '../shared/phones';
import { callVendor } from '../shared/transport';
import * as vendor from './veesing.vendor';

export class Veesing implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veesing (10658)',
		name: 'veesing',
		icon: { light: 'file:veesing.svg', dark: 'file:veesing.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send verification codes and read the balance with Veesing / 10658 (中昱维信)',
		defaults: { name: 'Veesing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'veesingApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get Balance',
						value: 'getBalance',
						action: 'Get the verification code balance',
						description: 'How many verification codes the account can still send',
					},
					{
						name: 'Send Verification Code',
						value: 'send',
						action: 'Send a verification code',
						description: 'Send a code through an approved template, one vendor call per number',
					},
				],
				default: 'send',
			},
			{
				displayName:
					'Veesing takes one number a call: several numbers are sent in parallel (see the Concurrency option). It sends the same number at most one code a minute, and caps the codes per number and per account each day.',
				name: 'limitsNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['send'] } },
			},
			phonesProperty(['send']),
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				required: true,
				default: '',
				placeholder: '540',
				description: 'The number of an approved verification-code template in the 10658 console',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				required: true,
				default: '',
				placeholder: '1234',
				description: 'The verification code the template shows: 2 to 8 digits',
				displayOptions: { show: { operation: ['send'] } },
			},
			transportOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await run.call(this);
	}
}

/** The operations. */
async function run(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const transport = readTransportSettings(this);
	const { callOptions } = transport;
	const node = this.getNode();

	if (operation === 'send') {
		return [
			await runSend(this, {
				api: vendor.API,
				operation,
				concurrency: transport.concurrency,
				callOptions,
				oneNumberPerCall: true,
				prepare: (itemIndex) => {
					const fail = (message: string) => new NodeOperationError(node, message, { itemIndex, description: 'Nothing was sent.' });
					const templateId = String(this.getNodeParameter('templateId', itemIndex, '') ?? '').trim();
					if (templateId === '') throw fail(`Template ID is empty on item ${itemIndex}`);
					if (!vendor.TEMPLATE_ID_PATTERN.test(templateId)) {
						throw fail(`Template ID ${templateId} on item ${itemIndex} is not allowed: Veesing template IDs are numbers, such as 540`);
					}
					const code = String(this.getNodeParameter('code', itemIndex, '') ?? '').trim();
					if (code === '') throw fail(`Code is empty on item ${itemIndex}`);
					const problem = vendor.codeProblem(code);
					if (problem) throw fail(`Code ${code} on item ${itemIndex} ${problem}`);
					const phones = parseMainlandPhones(node, this.getNodeParameter('phones', itemIndex), itemIndex);
					return { itemIndex, phones, templateId, code };
				},
				plan: (prepared) => vendor.planSend(prepared.map((entry) => entry.value)),
				read: vendor.readSend,
				summarize: vendor.summarizeSend,
			}),
		];
	}

	if (operation === 'getBalance') {
		return [
			await runPerItem(this, async (itemIndex) => {
				// An empty form: the credential adds appId and appKey to it (see VeesingApi.credentials.ts).
				const { body } = await callVendor(this, vendor.API, { method: 'POST', path: vendor.PATHS.getBalance, form: {} }, { ...callOptions, itemIndex });
				return {
					vendor: vendor.VENDOR,
					operation,
					balance: vendor.readBalance(body as IDataObject),
					unit: 'messages',
					raw: body as IDataObject,
				};
			}),
		];
	}

	throw new NodeOperationError(node, `Unknown operation ${operation}`);
}
