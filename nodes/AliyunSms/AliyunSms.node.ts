import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { phonesProperty, actionOptionsProperty, SEND_OUTPUTS } from '../shared/descriptions';
import { runOperation } from '../shared/operations';
import { ADAPTER } from './aliyunSms.vendor';

export class AliyunSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud SMS (Aliyun)',
		name: 'aliyunSms',
		icon: { light: 'file:aliyunSms.svg', dark: 'file:aliyunSms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send SMS through approved templates and look up their delivery with Alibaba Cloud SMS (阿里云短信服务)',
		defaults: { name: 'Alibaba Cloud SMS' },
		inputs: [NodeConnectionTypes.Main],
		outputs: SEND_OUTPUTS,
		usableAsTool: true,
		credentials: [{ name: 'aliyunSmsApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get Send Details',
						value: 'getSendDetails',
						action: 'Get the send details of a number',
						description: 'The messages one number was sent on one day, with their delivery status (QuerySendDetails)',
					},
					{
						name: 'Send SMS',
						value: 'send',
						action: 'Send an SMS',
						description: 'Send an approved template with its parameters to one or more numbers',
					},
				],
				default: 'send',
			},
			{
				displayName:
					'Numbers with the same signature, template and parameters share one call (up to 1,000 numbers); a number with parameters of its own (its own code) goes in calls of up to 100. Alibaba Cloud sends one number at most 1 verification code a minute, 5 an hour and 10 a day per signature.',
				name: 'limitsNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['send'] } },
			},
			phonesProperty(['send']),
			{
				displayName: 'Sign Name',
				name: 'signName',
				type: 'string',
				required: true,
				default: '',
				placeholder: '阿里云短信测试',
				description: 'An approved signature of the account (SMS console, 签名管理), exactly as approved, without 【】',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Template Code',
				name: 'templateCode',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'SMS_154950909',
				description: 'The code of an approved template (SMS console, 模板管理)',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Template Parameters',
				name: 'templateParams',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Parameter',
				default: {},
				description: 'The values of the template variables, such as code for ${code}. They are sent as text.',
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
								description: 'The value; a number is sent as text, as Alibaba Cloud requires',
							},
						],
					},
				],
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				required: true,
				default: '',
				placeholder: '13800138000',
				description: 'The one number to look up',
				displayOptions: { show: { operation: ['getSendDetails'] } },
			},
			{
				displayName: 'Send Date',
				name: 'sendDate',
				type: 'string',
				default: '',
				placeholder: '2024-05-06',
				description: 'The day of the sends, yyyy-MM-dd, within the last 30 days. Empty: today in China.',
				displayOptions: { show: { operation: ['getSendDetails'] } },
			},
			{
				displayName: 'Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				placeholder: '375420194646745909^0',
				description: 'The messageId of a send (its BizId), to look up only that send. Empty: every send of that day.',
				displayOptions: { show: { operation: ['getSendDetails'] } },
			},
			actionOptionsProperty(['send']),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}
