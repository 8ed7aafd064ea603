import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { phonesProperty, notSentOutputOption, SEND_OUTPUTS, transportOptions } from '../shared/descriptions';
import { runOperation } from '../shared/operations';
import { retrySkipsSentOption } from '../shared/retry-memory';
import { ADAPTER } from './chonry.vendor';

export class Chonry implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chonry',
		name: 'chonry',
		icon: { light: 'file:chonry.svg', dark: 'file:chonry.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send international SMS and read the balance with Chonry (创瑞云, 1cloudsp)',
		defaults: { name: 'Chonry' },
		inputs: [NodeConnectionTypes.Main],
		outputs: SEND_OUTPUTS,
		usableAsTool: true,
		credentials: [{ name: 'chonryApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get Balance', value: 'getBalance', action: 'Get the international SMS balance', description: 'How much money the account has left for international SMS' },
					{ name: 'Send', value: 'send', action: 'Send an international SMS', description: 'Send an approved template, with its variables, to one or many numbers' },
				],
				default: 'send',
			},
			{
				displayName:
					'Items that share the template, signature, schedule and sender ID are sent together: up to 50,000 numbers a call when their variables are the same, up to 10,000 a call when each item has its own variables.',
				name: 'limitsNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['send'] } },
			},
			phonesProperty(['send'], { international: true }),
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				required: true,
				default: '',
				placeholder: '100',
				description: 'The ID of an approved international template in the Chonry console',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Signature',
				name: 'sign',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1234 (signature ID) or MyShop',
				description: 'The signature ID, or its text, as approved in the Chonry console. Leave empty when the template needs none.',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Variables',
				name: 'variables',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Variable' },
				default: [],
				placeholder: 'e.g. Mr. Li',
				hint: 'Rows fill the template\'s {1}, {2}, … in order; no ## or $$ in a value',
				description:
					'The values of the template placeholders {1}, {2}, … in order. A value may not contain ## or $$, which the vendor uses to separate them. Items with different values are sent as personalized messages.',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Schedule Send Time',
						name: 'scheduleSendTime',
						type: 'string',
						default: '',
						placeholder: '2026-12-01 18:00:00',
						description:
							'When the vendor should send: yyyy-MM-dd HH:mm:ss, or an n8n date such as {{ $now.plus({ hours: 1 }) }}. The vendor names no time zone; this node sends China time (UTC+8): a time with an offset is converted to it, a time without one is read as China time. Empty: now.',
						displayOptions: { show: { '/operation': ['send'] } },
					},
					{
						displayName: 'Sender ID',
						name: 'senderId',
						type: 'string',
						default: '',
						placeholder: 'MyShop',
						description: 'The sender shown to the recipient where the destination network allows it: up to 11 letters or digits, or a number of up to 15 digits',
						displayOptions: { show: { '/operation': ['send'] } },
					},
					notSentOutputOption(['send']),
					retrySkipsSentOption(['send']),
					...transportOptions,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}
