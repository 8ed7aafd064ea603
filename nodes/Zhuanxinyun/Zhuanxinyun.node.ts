import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runOperation } from '../shared/operations';
import { retrySkipsSentOption } from '../shared/retry-memory';
import { phonesProperty, notSentOutputOption, SEND_OUTPUTS, transportOptions } from '../shared/descriptions';
import { ADAPTER } from './zhuanxinyun.vendor';

export class Zhuanxinyun implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zhuanxinyun',
		name: 'zhuanxinyun',
		icon: { light: 'file:zhuanxinyun.svg', dark: 'file:zhuanxinyun.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send SMS and read balance, replies and status reports with Zhuanxinyun (转信云)',
		defaults: { name: 'Zhuanxinyun' },
		inputs: [NodeConnectionTypes.Main],
		outputs: SEND_OUTPUTS,
		usableAsTool: true,
		credentials: [{ name: 'zhuanxinyunApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get Balance', value: 'getBalance', action: 'Get the SMS balance', description: 'How many messages the account can still send' },
					{ name: 'Get Replies', value: 'getReplies', action: 'Get reply SMS', description: 'Fetch the replies recipients sent back' },
					{ name: 'Get Status Reports', value: 'getStatusReports', action: 'Get status reports of a day', description: 'Fetch the delivery reports of one day' },
					{ name: 'Send', value: 'send', action: 'Send an SMS', description: 'Send one text to one or many numbers' },
					{ name: 'Send Template', value: 'sendTemplate', action: 'Send a template SMS', description: 'Send a personalised message per number through an approved template' },
				],
				default: 'send',
			},
			phonesProperty(['send', 'sendTemplate']),
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				required: true,
				default: '',
				placeholder: '27',
				description: 'The ID of an approved template in the Zhuanxinyun console',
				displayOptions: { show: { operation: ['sendTemplate'] } },
			},
			{
				displayName: 'Content',
				name: 'content',
				type: 'string',
				required: true,
				default: '',
				typeOptions: { rows: 3 },
				placeholder: '【云锋网络】您的验证码是123456',
				hint: 'Begin with your registered signature in 【】. For Send Template: the full text of the template, its variables filled in for this item.',
				description:
					'The full message, beginning with your registered signature in 【】. For a template send, the template text with its variables filled in for this item.',
				displayOptions: { show: { operation: ['send', 'sendTemplate'] } },
			},
			{
				displayName: 'Date',
				name: 'date',
				type: 'string',
				default: '',
				placeholder: '2026-11-07',
				description: 'The day (yyyy-MM-dd, China time) whose status reports to fetch. Empty means today.',
				displayOptions: { show: { operation: ['getStatusReports'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Batch Number',
						name: 'batchNum',
						type: 'string',
						default: '',
						placeholder: 'order20261201A',
						description:
							'Up to 32 letters or digits, never used before (Zhuanxinyun asks that batch numbers never repeat, and that you keep them to trace a send with its support). Empty: one is generated per call.',
						displayOptions: { show: { '/operation': ['send', 'sendTemplate'] } },
					},
					{
						displayName: 'Extension Number',
						name: 'extraNum',
						type: 'string',
						default: '',
						placeholder: '01',
						description: 'Digits appended to the sending port (up to 6 by default), to tell replies apart',
						displayOptions: { show: { '/operation': ['send', 'sendTemplate'] } },
					},
					{
						displayName: 'Max Segments',
						name: 'maxSegments',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1,
						description:
							'The most SMS one message may be billed as. A message of up to 70 characters, signature included, is one SMS; a longer one is split into parts of 67 (an emoji counts 2). An item whose message is longer is refused before anything is sent.',
						displayOptions: { show: { '/operation': ['send', 'sendTemplate'] } },
					},
					{
						displayName: 'Mission Numbers',
						name: 'missionNums',
						type: 'string',
						default: '',
						placeholder: 'm1, m2, m3',
						description:
							'One ID per phone, in the same order, separated like the phones (up to 32 letters, digits or underscores each). Status reports carry it back as messageId. Empty: generated.',
						displayOptions: { show: { '/operation': ['send'] } },
					},
					{
						displayName: 'Resend Unanswered Batches',
						name: 'resendUnanswered',
						type: 'boolean',
						default: false,
						description:
							"Whether to send a call again, under its same batch number, when its answer was lost (a timeout, a reset, a 5xx). Only safe if Zhuanxinyun refuses a repeated batch number: its document says batch numbers must never repeat, but names no error for a repeat, and nobody has seen it refuse one. Off: such recipients get the outcome \"unknown\" and nothing is sent twice.",
						displayOptions: { show: { '/operation': ['send', 'sendTemplate'] } },
					},
					notSentOutputOption(['send', 'sendTemplate']),
					retrySkipsSentOption(['send', 'sendTemplate']),
					...transportOptions,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}
