import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { phonesProperty, readTransportSettings, transportOptions } from '../shared/descriptions';
import { runPerItem, runSend } from '../shared/execute';
import { parseInternationalPhones } from '../shared/phones';
import { callVendor } from '../shared/transport';
import * as vendor from './chonry.vendor';

/**
 * The `variables` list as n8n gives it (strings, or whatever an expression returned), as text. An entry
 * that is empty stays, so that the user is told about it instead of the vendor refusing the template.
 */
function variableList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const text = (entry: unknown) => (entry === undefined || entry === null ? '' : typeof entry === 'object' ? JSON.stringify(entry) : String(entry));
	if (Array.isArray(value)) return value.flatMap((entry) => (Array.isArray(entry) ? entry.map(text) : [text(entry)]));
	return [text(value)];
}

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
		outputs: [NodeConnectionTypes.Main],
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
							'When the vendor should send, as yyyy-MM-dd HH:mm:ss in China time (UTC+8); an ISO time with an offset is converted. Empty: now.',
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
					...transportOptions,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const transport = readTransportSettings(this);
		const { callOptions } = transport;
		const node = this.getNode();

		if (operation === 'send') {
			const now = new Date();
			return [
				await runSend(this, {
					api: vendor.API,
					operation,
					concurrency: transport.concurrency,
					callOptions,
					prepare: (itemIndex): vendor.SendItem => {
						const fail = (message: string) => new NodeOperationError(node, message, { itemIndex, description: 'Nothing was sent.' });
						const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
						const templateId = String(this.getNodeParameter('templateId', itemIndex, '') ?? '').trim();
						if (templateId === '') throw fail(`Template ID is empty on item ${itemIndex}`);
						const sign = String(this.getNodeParameter('sign', itemIndex, '') ?? '').trim() || undefined;
						const variables = variableList(this.getNodeParameter('variables', itemIndex, []));
						variables.forEach((value, i) => {
							const problem = vendor.variableProblem(value);
							if (problem) throw fail(`Variable ${i + 1} on item ${itemIndex} (${JSON.stringify(value)}) ${problem}`);
						});
						let scheduleSendTime: string | undefined;
						const scheduleText = String(options.scheduleSendTime ?? '').trim();
						if (scheduleText !== '') {
							const { time, problem } = vendor.parseScheduleTime(scheduleText, now);
							if (problem) throw fail(`Schedule send time ${scheduleText} on item ${itemIndex} ${problem}`);
							scheduleSendTime = time;
						}
						const senderId = String(options.senderId ?? '').trim() || undefined;
						const senderProblem = senderId && vendor.senderIdProblem(senderId);
						if (senderProblem) throw fail(`Sender ID ${senderId} on item ${itemIndex} ${senderProblem}`);
						const phones = parseInternationalPhones(node, this.getNodeParameter('phones', itemIndex), itemIndex);
						return { itemIndex, phones, templateId, sign, variables, scheduleSendTime, senderId };
					},
					plan: (prepared) => vendor.planSend(prepared.map((entry) => entry.value)),
					read: vendor.readSubmit,
					summarize: vendor.summarizeSend,
				}),
			];
		}

		if (operation === 'getBalance') {
			return [
				await runPerItem(this, async (itemIndex) => {
					const { body } = await callVendor(this, vendor.API, { method: 'POST', path: vendor.PATHS.account, form: {} }, { ...callOptions, itemIndex });
					return { vendor: vendor.VENDOR, operation, balance: vendor.readBalance(body), unit: 'CNY', raw: body as IDataObject };
				}),
			];
		}

		throw new NodeOperationError(node, `Unknown operation ${operation}`);
	}
}
