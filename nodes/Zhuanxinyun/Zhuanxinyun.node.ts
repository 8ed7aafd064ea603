import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { newBatchId } from '../shared/ids';
import { runPerItem, runSend } from '../shared/execute';
import { phonesProperty, readTransportSettings, notSentOutputOption, SEND_OUTPUTS, transportOptions } from '../shared/descriptions';
import { parseMainlandPhones, splitPhones } from '../shared/phones';
import { chinaDate } from '../shared/time';
import { callVendor } from '../shared/transport';
import * as vendor from './zhuanxinyun.vendor';

export class Zhuanxinyun implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zhuanxinyun',
		name: 'zhuanxinyun',
		icon: 'file:zhuanxinyun.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send SMS and read balance, replies and status reports with Zhuanxinyun (转信云)',
		defaults: { name: 'Zhuanxinyun' },
		inputs: ['main'],
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
						description:
							'Up to 32 letters or digits, never used before (Zhuanxinyun asks that batch numbers never repeat, and that you keep them to trace a send with its support). Empty: one is generated per call.',
						displayOptions: { show: { '/operation': ['send', 'sendTemplate'] } },
					},
					{
						displayName: 'Extension Number',
						name: 'extraNum',
						type: 'string',
						default: '',
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
					...transportOptions,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const { callOptions } = readTransportSettings(this);
		const node = this.getNode();

		const readCommon = (itemIndex: number) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const content = String(this.getNodeParameter('content', itemIndex, '') ?? '').trim();
			const fail = (message: string, description?: string) =>
				new NodeOperationError(node, message, { itemIndex, description: description ?? 'Nothing was sent.' });
			if (content === '') throw fail(`Content is empty on item ${itemIndex}`);
			const signatureProblem = vendor.checkSignature(content);
			if (signatureProblem) throw fail(`Content on item ${itemIndex} ${signatureProblem}`);
			if (options.maxSegments !== undefined && options.maxSegments !== '') {
				const maxSegments = Math.max(1, Math.floor(Number(options.maxSegments)) || 1);
				const segments = vendor.segmentsOf(content);
				if (segments > maxSegments) {
					throw fail(
						`Content on item ${itemIndex} is ${content.length} characters long, ${segments} SMS, more than Max Segments (${maxSegments})`,
						`Up to ${vendor.SMS_UNITS} characters (signature included) are one SMS; a longer message is sent in parts of ${vendor.PART_UNITS}, each billed. Emoji count 2. Nothing was sent.`,
					);
				}
			}
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
			return await runSend(this, {
				api: vendor.API,
				operation,
				prepare: (itemIndex) => {
					const { options, content, batchNum, extraNum, phones, fail } = readCommon(itemIndex);
					const missionText = String(options.missionNums ?? '').trim();
					let missionNums: string[] | undefined;
					if (missionText !== '') {
						// Split like phones, so that the two lists line up whatever separators were typed.
						missionNums = splitPhones(missionText);
						const bad = missionNums.find((id) => !vendor.MISSION_PATTERN.test(id));
						if (bad) throw fail(`Mission number ${bad} on item ${itemIndex} is not allowed: use 1 to 32 letters, digits or underscores`);
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
				summarize: vendor.summarizeSegments,
			});
		}

		if (operation === 'sendTemplate') {
			return await runSend(this, {
				api: vendor.API,
				operation,
				prepare: (itemIndex) => {
					const { content, batchNum, extraNum, phones, fail } = readCommon(itemIndex);
					const templateId = String(this.getNodeParameter('templateId', itemIndex, '') ?? '').trim();
					if (templateId === '') throw fail(`Template ID is empty on item ${itemIndex}`);
					return { itemIndex, phones, templateId, content, batchNum, extraNum };
				},
				plan: (prepared) => vendor.planSendTplSms(prepared.map((entry) => entry.value), newBatchId),
				read: vendor.readSubmit,
				summarize: vendor.summarizeSegments,
			});
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

		// One item per record, shaped like the trigger's items; an answer without records gives no items,
		// so that n8n's "Always Output Data" setting decides what follows.
		const pull = async (read: (itemIndex: number) => Promise<IDataObject[]>): Promise<INodeExecutionData[]> => {
			const output: INodeExecutionData[] = [];
			const items = this.getInputData();
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				try {
					for (const record of await read(itemIndex)) output.push({ json: record, pairedItem: { item: itemIndex } });
				} catch (error) {
					if (!this.continueOnFail()) throw error;
					output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
				}
			}
			return output;
		};

		if (operation === 'getReplies') {
			return [
				await pull(async (itemIndex) => {
					const { body } = await call(itemIndex, vendor.PATHS.queryMoRecord);
					return vendor.readPulledRecords(body as IDataObject, 'reply');
				}),
			];
		}

		if (operation === 'getStatusReports') {
			return [
				await pull(async (itemIndex) => {
					const date = String(this.getNodeParameter('date', itemIndex, '') ?? '').trim() || chinaDate();
					if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
						throw new NodeOperationError(node, `Date ${date} on item ${itemIndex} is not a day in the form yyyy-MM-dd`, { itemIndex });
					}
					const { body } = await call(itemIndex, vendor.PATHS.queryStatusReport, { time: date });
					return vendor.readPulledRecords(body as IDataObject, 'delivery');
				}),
			];
		}

		throw new NodeOperationError(node, `Unknown operation ${operation}`);
	}
}
