import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runOperation } from '../shared/operations';
import { phonesProperty, actionOptionsProperty, SEND_OUTPUTS } from '../shared/descriptions';
import { ADAPTER } from './veesing.vendor';

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
		outputs: SEND_OUTPUTS,
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
			actionOptionsProperty(['send']),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}
