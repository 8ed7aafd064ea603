import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { phonesProperty, readTransportSettings, transportOptionsProperty } from '../shared/descriptions';
import { runSend } from '../shared/execute';
import { parseMainlandPhones } from '../shared/phones';
import * as vendor from './polyv.vendor';

export class Polyv implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Polyv',
		name: 'polyv',
		icon: { light: 'file:polyv.svg', dark: 'file:polyv.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: "Send SMS through the Aliyun template of a Polyv (保利威) account, with each number's result",
		defaults: { name: 'Polyv' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'polyvApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Send',
						value: 'send',
						action: 'Send an SMS',
						description: "Send the account's template SMS to one or many numbers",
					},
				],
				default: 'send',
			},
			{
				displayName:
					"Polyv sends the Aliyun SMS template configured on your Polyv account (its API takes no template ID): give that template's parameters below. Limits: 2,000 messages a day per account and per IP, 10 a day per number; 200 numbers per call (more are split). Polyv reports no delivery, and has no balance call: accepted means Aliyun queued the message.",
				name: 'limitsNotice',
				type: 'notice',
				default: '',
			},
			phonesProperty(['send']),
			{
				displayName: 'Template Parameters',
				name: 'templateParams',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Parameter',
				default: {},
				description:
					"The variables of the account's Aliyun template, such as code for ${code}. Items with the same parameters are sent together.",
				displayOptions: { show: { operation: ['send'] } },
				options: [
					{
						displayName: 'Parameter',
						name: 'parameters',
						values: [
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'code',
								description: 'The variable name in the template, without ${}',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								placeholder: '123456',
								description: 'The text that replaces the variable',
							},
						],
					},
				],
			},
			transportOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const node = this.getNode();
		if (operation !== 'send') throw new NodeOperationError(node, `Unknown operation ${operation}`);
		const transport = readTransportSettings(this);

		return [
			await runSend(this, {
				api: vendor.API,
				operation,
				concurrency: transport.concurrency,
				callOptions: transport.callOptions,
				prepare: (itemIndex) => {
					const collection = this.getNodeParameter('templateParams', itemIndex, {}) as IDataObject;
					const params = vendor.readTemplateParams(collection?.parameters);
					if (typeof params === 'string') {
						throw new NodeOperationError(node, `${params} on item ${itemIndex}`, { itemIndex, description: 'Nothing was sent.' });
					}
					const phones = parseMainlandPhones(node, this.getNodeParameter('phones', itemIndex), itemIndex);
					return { itemIndex, phones, params };
				},
				plan: (prepared) => vendor.planSend(prepared.map((entry) => entry.value)),
				read: vendor.readSend,
				summarize: vendor.summarize,
			}),
		];
	}
}
