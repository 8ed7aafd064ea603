import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { notSentOutputOption, phonesProperty, SEND_OUTPUTS, transportOptions } from '../shared/descriptions';
import { runOperation } from '../shared/operations';
import { ADAPTER, MAX_PULL_LIMIT } from './tencentCloudSms.vendor';

export class TencentCloudSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tencent Cloud SMS',
		name: 'tencentCloudSms',
		icon: { light: 'file:tencentCloudSms.svg', dark: 'file:tencentCloudSms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send template SMS, read the package balance, and pull status reports and replies with Tencent Cloud SMS (腾讯云, 腾讯云短信)',
		defaults: { name: 'Tencent Cloud SMS' },
		inputs: [NodeConnectionTypes.Main],
		outputs: SEND_OUTPUTS,
		usableAsTool: true,
		credentials: [{ name: 'tencentCloudSmsApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get Balance', value: 'getBalance', action: 'Get the SMS package balance', description: 'How many messages the SMS packages in force have left' },
					{ name: 'Get Replies', value: 'getReplies', action: 'Pull reply SMS', description: 'Pull the replies Tencent holds; each is given once' },
					{ name: 'Get Status Reports', value: 'getStatusReports', action: 'Pull status reports', description: 'Pull the delivery reports Tencent holds; each is given once' },
					{ name: 'Send', value: 'send', action: 'Send a template SMS', description: 'Send an approved template, its values filled in, to one or many numbers' },
				],
				default: 'send',
			},
			phonesProperty(['send'], { international: true }),
			{
				displayName: 'Sign Name',
				name: 'signName',
				type: 'string',
				default: '',
				placeholder: 'YourBrand',
				description: 'The approved signature text (签名内容), as the SMS console shows it, not its ID. Required for mainland numbers.',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				required: true,
				default: '',
				placeholder: '1110',
				description: 'The ID of an approved template. Numbers outside the mainland need an international template.',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Template Parameters',
				name: 'templateParams',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				default: {},
				placeholder: 'Add parameter',
				description: "The values of the template's variables {1}, {2}, … in that order: as many as the template has",
				displayOptions: { show: { operation: ['send'] } },
				options: [
					{
						displayName: 'Parameter',
						name: 'value',
						values: [{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The value of the next variable' }],
					},
				],
			},
			{
				displayName:
					'Each pulled record is given once: Tencent no longer holds it afterwards. If a later node of this workflow fails, the records are only in this execution: keep failed executions saved, and retry the execution rather than running the workflow again. Pulling must be enabled for the application by Tencent (SMS helper).',
				name: 'pullNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['getStatusReports', 'getReplies'] } },
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PULL_LIMIT },
				default: 50,
				description: 'Max number of results to return',
				hint: 'Tencent gives at most 100 records a call; run the node again for more',
				displayOptions: { show: { operation: ['getStatusReports', 'getReplies'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Extension Code',
						name: 'extendCode',
						type: 'string',
						default: '',
						placeholder: '01',
						description: 'Digits appended to the sending number, to tell replies apart (must be enabled by Tencent)',
						displayOptions: { show: { '/operation': ['send'] } },
					},
					{
						displayName: 'Sender ID',
						name: 'senderId',
						type: 'string',
						default: '',
						description: 'For numbers outside the mainland only, on accounts with a dedicated Sender ID',
						displayOptions: { show: { '/operation': ['send'] } },
					},
					{
						displayName: 'Session Context',
						name: 'sessionContext',
						type: 'string',
						default: '',
						placeholder: 'order-1234',
						description: 'Text Tencent gives back with the answer and, once enabled by Tencent, with the status reports (less than 512 bytes)',
						displayOptions: { show: { '/operation': ['send'] } },
					},
					notSentOutputOption(['send']),
					...transportOptions,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// One item per pulled record, none dropped (docs/vendors/tencent-cloud.md#pulled-records).
		return await runOperation(this, ADAPTER);
	}
}
