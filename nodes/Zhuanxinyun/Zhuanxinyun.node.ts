import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { newBatchId } from '../shared/ids';
import { runPerItem, runSend } from '../shared/execute';
import { phonesProperty, readTransportSettings, transportOptions } from '../shared/descriptions';
import { parseMainlandPhones } from '../shared/phones';
import { chinaDate } from '../shared/time';
import { callVendor } from '../shared/transport';
import * as vendor from './zhuanxinyun.vendor';

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
		outputs: [NodeConnectionTypes.Main],
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
							'Up to 32 letters or digits, never used before: the vendor rejects a repeat, which makes a lost answer safe to retry. Empty: one is generated per call.',
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
						displayName: 'Mission Numbers',
						name: 'missionNums',
						type: 'string',
						default: '',
						placeholder: 'm1, m2, m3',
						description:
							'One ID per phone, in the same order, comma-separated (up to 32 letters or digits each). Status reports carry it back as messageId. Empty: generated.',
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

		const readCommon = (itemIndex: number) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const content = String(this.getNodeParameter('content', itemIndex, '') ?? '').trim();
			const fail = (message: string, description?: string) =>
				new NodeOperationError(node, message, { itemIndex, description: description ?? 'Nothing was sent.' });
			if (content === '') throw fail(`Content is empty on item ${itemIndex}`);
			const signatureProblem = vendor.checkSignature(content);
			if (signatureProblem) throw fail(`Content on item ${itemIndex} ${signatureProblem}`);
			const batchNum = String(options.batchNum ?? '').trim() || undefined;
			if (batchNum && !vendor.ID_PATTERN.test(batchNum)) {
				throw fail(`Batch number ${batchNum} on item ${itemIndex} is not allowed: use 1 to 32 letters or digits`);
			}
			const extraNum = String(options.extraNum ?? '').trim() || undefined;
			if (extraNum && !/^\d{1,6}$/.test(extraNum)) {
				throw fail(`Extension number ${extraNum} on item ${itemIndex} is not allowed: use 1 to 6 digits`);
			}
			const phones = parseMainlandPhones(node, this.getNodeParameter('phones', itemIndex), itemIndex);
			return { options, content, batchNum, extraNum, phones, fail };
		};

		if (operation === 'send') {
			return [
				await runSend(this, {
					api: vendor.API,
					operation,
					concurrency: transport.concurrency,
					callOptions,
					prepare: (itemIndex) => {
						const { options, content, batchNum, extraNum, phones, fail } = readCommon(itemIndex);
						const missionText = String(options.missionNums ?? '').trim();
						let missionNums: string[] | undefined;
						if (missionText !== '') {
							missionNums = missionText.split(/[\s,;]+/).filter(Boolean);
							const bad = missionNums.find((id) => !vendor.ID_PATTERN.test(id));
							if (bad) throw fail(`Mission number ${bad} on item ${itemIndex} is not allowed: use 1 to 32 letters or digits`);
							if (missionNums.length !== phones.length) {
								throw fail(
									`Item ${itemIndex} has ${missionNums.length} mission numbers for ${phones.length} distinct phones; give exactly one per phone`,
								);
							}
						}
						return { itemIndex, phones, content, batchNum, extraNum, missionNums };
					},
					plan: (prepared) => vendor.planSendSms(prepared.map((entry) => entry.value), newBatchId),
					read: vendor.readSubmit,
				}),
			];
		}

		if (operation === 'sendTemplate') {
			return [
				await runSend(this, {
					api: vendor.API,
					operation,
					concurrency: transport.concurrency,
					callOptions,
					prepare: (itemIndex) => {
						const { content, batchNum, extraNum, phones, fail } = readCommon(itemIndex);
						const templateId = String(this.getNodeParameter('templateId', itemIndex, '') ?? '').trim();
						if (templateId === '') throw fail(`Template ID is empty on item ${itemIndex}`);
						return { itemIndex, phones, templateId, content, batchNum, extraNum };
					},
					plan: (prepared) => vendor.planSendTplSms(prepared.map((entry) => entry.value), newBatchId),
					read: vendor.readSubmit,
				}),
			];
		}

		const call = (itemIndex: number, path: string, form: IDataObject = {}) =>
			callVendor(this, vendor.API, { method: 'POST', path, form }, { ...callOptions, itemIndex });

		if (operation === 'getBalance') {
			return [
				await runPerItem(this, async (itemIndex) => {
					const { body } = await call(itemIndex, vendor.PATHS.querySmsCount);
					return { vendor: vendor.VENDOR, operation, balance: vendor.readBalance(body as IDataObject), unit: 'messages', raw: body as IDataObject };
				}),
			];
		}

		if (operation === 'getReplies') {
			return [
				await runPerItem(this, async (itemIndex) => {
					const { body } = await call(itemIndex, vendor.PATHS.queryMoRecord);
					return { vendor: vendor.VENDOR, operation, records: vendor.readPulledRecords(body as IDataObject, 'reply'), raw: body as IDataObject };
				}),
			];
		}

		if (operation === 'getStatusReports') {
			return [
				await runPerItem(this, async (itemIndex) => {
					const date = String(this.getNodeParameter('date', itemIndex, '') ?? '').trim() || chinaDate();
					if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
						throw new NodeOperationError(node, `Date ${date} on item ${itemIndex} is not a day in the form yyyy-MM-dd`, { itemIndex });
					}
					const { body } = await call(itemIndex, vendor.PATHS.queryStatusReport, { time: date });
					return { vendor: vendor.VENDOR, operation, date, records: vendor.readPulledRecords(body as IDataObject, 'delivery'), raw: body as IDataObject };
				}),
			];
		}

		throw new NodeOperationError(node, `Unknown operation ${operation}`);
	}
}
