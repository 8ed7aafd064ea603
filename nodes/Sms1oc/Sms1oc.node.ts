import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { phonesProperty, actionOptionsProperty, SEND_OUTPUTS } from '../shared/descriptions';
import { runOperation } from '../shared/operations';
import { ADAPTER } from './sms1oc.vendor';

export class Sms1oc implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1oc SMS',
		name: 'sms1oc',
		icon: { light: 'file:sms1oc.svg', dark: 'file:sms1oc.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send template SMS with 1oc (sms.1oc.cn)',
		defaults: { name: '1oc SMS' },
		inputs: [NodeConnectionTypes.Main],
		outputs: SEND_OUTPUTS,
		usableAsTool: true,
		credentials: [{ name: 'sms1ocApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Send', value: 'send', action: 'Send a template SMS', description: 'Send a template SMS to one or many numbers' }],
				default: 'send',
			},
			{
				displayName:
					'1oc takes one number per call: N numbers make N calls, run Concurrency at a time (see Options). Each recipient\'s messageId is the "mid" its delivery report carries back to the 1oc SMS Trigger. 1oc has no balance call.',
				name: 'limitsNotice',
				type: 'notice',
				default: '',
			},
			phonesProperty(['send']),
			{
				displayName: 'Template',
				name: 'template',
				type: 'string',
				required: true,
				default: '',
				description: 'The SMS template 1oc set up for your account (smstemplate), written exactly as 1oc gave it to you',
				displayOptions: { show: { operation: ['send'] } },
			},
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				default: '',
				placeholder: '123456',
				description:
					"The value 1oc puts into the template's variable, such as a verification code. 1oc templates take one variable; leave empty only for a template without one.",
				displayOptions: { show: { operation: ['send'] } },
			},
			actionOptionsProperty(['send']),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, ADAPTER);
	}
}
