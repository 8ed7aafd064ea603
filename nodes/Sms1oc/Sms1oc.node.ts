import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { phonesProperty, readTransportSettings, transportOptionsProperty } from '../shared/descriptions';
import { runSend } from '../shared/execute';
import { parseMainlandPhones } from '../shared/phones';
import * as vendor from './sms1oc.vendor';

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
		outputs: [NodeConnectionTypes.Main],
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
				oneNumberPerCall: true,
				prepare: (itemIndex) => {
					const template = String(this.getNodeParameter('template', itemIndex, '') ?? '').trim();
					if (template === '') {
						throw new NodeOperationError(node, `Template is empty on item ${itemIndex}`, {
							itemIndex,
							description: 'Give the template 1oc set up for your account. Nothing was sent.',
						});
					}
					const code = String(this.getNodeParameter('code', itemIndex, '') ?? '').trim();
					const phones = parseMainlandPhones(node, this.getNodeParameter('phones', itemIndex), itemIndex);
					return { itemIndex, phones, template, code };
				},
				plan: (prepared) => vendor.planSend(prepared.map((entry) => entry.value)),
				read: vendor.readSubmit,
				summarize: vendor.summarize,
			}),
		];
	}
}
