import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { phonesProperty, actionOptionsProperty, SEND_OUTPUTS } from '../shared/descriptions';
import { runOperation } from '../shared/operations';
import { ADAPTER } from './polyv.vendor';

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
		outputs: SEND_OUTPUTS,
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
			actionOptionsProperty(['send']),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}
