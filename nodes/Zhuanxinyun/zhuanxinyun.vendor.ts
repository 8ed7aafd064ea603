/**
 * Zhuanxinyun (转信云), api.zhuanxinyun.com: everything that is particular to this vendor, as pure
 * functions in the shape of every vendor module (nodes/shared/adapter.ts). What the package reads of
 * the vendor's document, and why: docs/vendors/zhuanxinyun.md.
 */
import type { IDataObject } from 'n8n-workflow';

import { type BalanceOperation, groupBy, InputError, notTheApi, PlanError, PushError, refusal, textOf, type ItemParameters, type PlannedCall, type PullOperation, type PushFormat, type PushItem, type RecipientResult, type SendAdapter, type VendorAdapter, type VendorApi, type VendorErrorEntry, type VendorFailure, type VendorResponse } from '../shared/adapter';
import { chunk } from '../shared/batching';
import { newBatchId } from '../shared/ids';
import { normalizeMainlandMobile, parseMainlandPhones, splitPhones } from '../shared/phones';
import { chinaDate, chinaTimeToIso } from '../shared/time';

export const VENDOR = 'zhuanxinyun';

/** "单次最大提交1000个号码" (error 100005 past that). */
export const MAX_PHONES_PER_CALL = 1000;

/** batchNum: at most 32 letters or digits, case-sensitive. */
export const ID_PATTERN = /^[A-Za-z0-9]{1,32}$/;

/**
 * missionNums: the table says letters and digits, but the document's own samples are `mission_001`
 * and `arthur_001`, so underscores are taken too.
 */
export const MISSION_PATTERN = /^[A-Za-z0-9_]{1,32}$/;

export const PATHS = {
	sendSms: '/api/v2/sendSms.json',
	sendTplSms: '/api/v2/sendTplSms.json',
	querySmsCount: '/api/v2/querySmsCount.json',
	queryMoRecord: '/api/v2/queryMoRecord.json',
	queryStatusReport: '/api/v2/queryStatusReport.json',
} as const;

const OK = '000000';

/** The vendor's error table, with English for it. The code is a string: Number() would drop its zeros. */
export const ERRORS: Record<string, VendorErrorEntry> = {
	'100001': { zh: '参数格式错误', en: 'A parameter has a wrong format', credential: true },
	'100002': {
		zh: '账户不存在或状态异常',
		en: 'The account does not exist or is disabled',
		hint: 'Check the App Key in the credential.',
		credential: true,
	},
	'100003': { zh: 'appSecret错误', en: 'The App Secret is wrong', hint: 'Check the App Secret in the credential.', credential: true },
	'100004': {
		zh: '请求IP不在白名单内',
		en: "This n8n host's IP address is not on the account's whitelist",
		hint: "Add this n8n host's public IP address to the whitelist on the API settings page (API设置) of the Zhuanxinyun console.",
		credential: true,
	},
	'100005': { zh: '单次最大提交可1000条短信', en: 'More than 1000 numbers in one call' },
	'100006': { zh: 'missionNum数量必须与手机号数量一致', en: 'The number of mission numbers differs from the number of phones' },
	'100007': { zh: '有号码格式错误', en: 'A phone number has a wrong format', aboutMessage: true },
	'100008': { zh: '有号码在一定时间段内请求频次过多', en: 'A number was sent to too often in a short time', aboutMessage: true },
	'100009': { zh: '账户余额不足', en: 'The account balance is too low', hint: 'Top up the Zhuanxinyun account.' },
	'100010': { zh: '日流量限制', en: 'The daily sending limit is reached' },
	'100011': { zh: '找不到模板', en: 'The template was not found', hint: 'Check the Template ID in the Zhuanxinyun console.', aboutMessage: true },
	'100012': { zh: '短信条数需与手机号一致', en: 'The number of messages differs from the number of phones' },
	'100013': {
		zh: '短信内容与模板不匹配',
		en: 'The message does not match the template',
		hint: 'The content must be the approved template text with its variables filled in, signature included.',
		aboutMessage: true,
	},
	// The account's rate limit: nothing was sent, and the call may be made again later; 100008 (one
	// number asked too often) is about that number.
	'100014': { zh: '访问频率过高,请稍后再试', en: 'Too many requests; try again later', hint: 'Lower the Max Concurrent Calls option.', throttled: true },
	'999999': { zh: '系统错误', en: 'Zhuanxinyun system error', credential: true },
};

/** Gateway delivery codes (`receive_real_status`); `0` and `DELIVRD` mean delivered. */
export const GATEWAY_STATUS: Record<string, string> = {
	'MK:0000': 'The subscriber is suspended (usually unpaid at the start of the month)',
	'MK:0001': 'The number does not exist',
	'MK:0004': 'The subscriber cannot receive SMS (usually suspended for arrears)',
	'MK:0005': 'The subscriber cannot receive SMS (usually suspended for arrears)',
	'MK:0010': 'The phone is off or its memory is full',
	'MI:0012': 'The phone is off or its memory is full',
	'MK:0015': 'The handset failed to receive the message',
	'2:1': 'The number does not exist',
	'2:3': 'The number does not exist or cannot be reached',
	'2:5': 'The subscriber is suspended',
	'2:10': 'The phone is suspended or switched off',
	'2:11': "The subscriber's SMS service is faulty",
	'2:12': 'The number does not exist, or is suspended',
	'2:13': 'The subscriber is suspended',
	'2:15': 'The receiving handset has a problem',
	'2:33': 'The number does not exist',
	'2:37': 'The subscriber is suspended',
	'YF:01': 'Invalid phone number',
	'YF:02': 'Unknown carrier',
	'YF:03': 'The number is blacklisted',
	'YF:11': 'The signature is not registered',
	'YF:13': 'The content failed review',
	'YF:21': 'No channel is assigned',
};
const DELIVERED = new Set(['0', 'DELIVRD']);


/** Errors come back in HTTP 200 bodies: `{"errorCode":"100003","errorMsg":"appSecret错误"}`. */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const body = response.body as IDataObject | string;
	if (body && typeof body === 'object' && 'errorCode' in body) {
		const code = textOf(body.errorCode);
		if (code === OK) return undefined;
		return refusal('Zhuanxinyun', code, ERRORS[code], textOf(body.errorMsg));
	}
	return notTheApi('Zhuanxinyun', response);
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: 'Zhuanxinyun',
	credentialType: 'zhuanxinyunApi',
	findFailure,
};

/**
 * How many SMS a message is billed as. Chinese text goes as UCS-2, whose SMS hold 70 UTF-16 code
 * units, or 67 per part once a message is split (the rest of each part carries the joining header).
 * The count is of the whole content, signature included, in UTF-16 code units as the handset gets
 * them: an emoji outside the BMP counts 2. The China carriers' rule; Zhuanxinyun's document states none
 * (docs/vendors/zhuanxinyun.md#segments).
 */
export const SMS_UNITS = 70;
export const PART_UNITS = 67;

export function segmentsOf(message: string): number {
	if (message.length === 0) return 0;
	return message.length <= SMS_UNITS ? 1 : Math.ceil(message.length / PART_UNITS);
}

/** The item's `segments`: the sum over its recipients that carry a count. */
export function summarizeSegments(recipients: RecipientResult[]): IDataObject {
	return { segments: recipients.reduce((sum, recipient) => sum + (typeof recipient.segments === 'number' ? recipient.segments : 0), 0) };
}

/** The content must begin with the registered 【signature】, or the vendor drops the message. */
export function checkSignature(content: string): string | undefined {
	if (!/^【[^】]+】/.test(content.trim())) {
		return 'must begin with your registered signature in 【】, for example 【云锋网络】';
	}
	return undefined;
}

export interface SmsItem {
	itemIndex: number;
	phones: string[];
	content: string;
	extraNum?: string;
	/** Given by the user: then this item's numbers go in one call under exactly this number. */
	batchNum?: string;
	missionNums?: string[];
}

export interface TplItem {
	itemIndex: number;
	phones: string[];
	templateId: string;
	content: string;
	extraNum?: string;
	batchNum?: string;
}


/** What both sends check: the content and its 【signature】, Max Segments, batch and extension numbers, the phones. */
function readCommon(parameters: ItemParameters) {
	const { itemIndex } = parameters;
	const content = parameters.text('content');
	if (content === '') throw new InputError(`Content is empty on item ${itemIndex}`);
	const signatureProblem = checkSignature(content);
	if (signatureProblem) throw new InputError(`Content on item ${itemIndex} ${signatureProblem}`);
	const maxSegmentsOption = parameters.option('maxSegments');
	if (maxSegmentsOption !== undefined && maxSegmentsOption !== '') {
		const maxSegments = Math.max(1, Math.floor(Number(maxSegmentsOption)) || 1);
		const segments = segmentsOf(content);
		if (segments > maxSegments) {
			throw new InputError(
				`Content on item ${itemIndex} is ${content.length} characters long, ${segments} SMS, more than Max Segments (${maxSegments})`,
				`Up to ${SMS_UNITS} characters (signature included) are one SMS; a longer message is sent in parts of ${PART_UNITS}, each billed. Emoji count 2. Nothing was sent.`,
			);
		}
	}
	const batchNum = String(parameters.option('batchNum') ?? '').trim() || undefined;
	if (batchNum && !ID_PATTERN.test(batchNum)) {
		throw new InputError(`Batch number ${batchNum} on item ${itemIndex} is not allowed: use 1 to 32 letters or digits`);
	}
	const extraNum = String(parameters.option('extraNum') ?? '').trim() || undefined;
	if (extraNum && !/^\d{1,6}$/.test(extraNum)) {
		throw new InputError(`Extension number ${extraNum} on item ${itemIndex} is not allowed: use 1 to 6 digits`);
	}
	return { itemIndex, content, batchNum, extraNum, phones: parseMainlandPhones(parameters.get('phones'), itemIndex) };
}

/** A `send` item: the common checks, and mission numbers, one per phone (docs/vendors/zhuanxinyun.md#mission-numbers). */
export function readSmsItem(parameters: ItemParameters): SmsItem {
	const common = readCommon(parameters);
	const { itemIndex, phones } = common;
	const missionText = String(parameters.option('missionNums') ?? '').trim();
	let missionNums: string[] | undefined;
	if (missionText !== '') {
		// Split like phones, so that the two lists line up whatever separators were typed.
		missionNums = splitPhones(missionText);
		const bad = missionNums.find((id) => !MISSION_PATTERN.test(id));
		if (bad) throw new InputError(`Mission number ${bad} on item ${itemIndex} is not allowed: use 1 to 32 letters, digits or underscores`);
		if (missionNums.length !== phones.length) {
			throw new InputError(`Item ${itemIndex} has ${missionNums.length} mission numbers for ${phones.length} distinct phones; give exactly one per phone`);
		}
	}
	return { ...common, missionNums };
}

/** A `sendTemplate` item: the common checks and a template ID. */
export function readTplItem(parameters: ItemParameters): TplItem {
	const common = readCommon(parameters);
	const templateId = parameters.text('templateId');
	if (templateId === '') throw new InputError(`Template ID is empty on item ${common.itemIndex}`);
	return { ...common, templateId };
}

/** The day whose status reports to pull: yyyy-MM-dd, China time; empty means today. */
export function statusReportDay(text: string, itemIndex: number, today: string): string {
	const date = text || today;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
		throw new InputError(`Date ${date} on item ${itemIndex} is not a day in the form yyyy-MM-dd`, 'Give a day such as 2026-11-07, or leave Date empty for today.');
	}
	return date;
}

type Recipient = { itemIndex: number; phone: string; missionNum?: string; content?: string; segments: number };

function callsFor<T extends { itemIndex: number; batchNum?: string }>(
	group: T[],
	recipientsOf: (item: T) => Recipient[],
	newId: () => string,
): Array<{ batchNum: string; recipients: Recipient[] }> {
	const recipients = group.flatMap(recipientsOf);
	const slices = chunk(recipients, MAX_PHONES_PER_CALL);
	const given = group[0].batchNum;
	if (given && slices.length > 1) {
		throw new PlanError(
			`Batch number ${given} would need ${slices.length} vendor calls (more than ${MAX_PHONES_PER_CALL} numbers); Zhuanxinyun accepts each batch number once. Leave Batch Number empty to have one generated per call`,
			group[0].itemIndex,
		);
	}
	return slices.map((slice) => ({ batchNum: given ?? newId(), recipients: slice }));
}

/**
 * sendSms carries many numbers with one content: items with the same content (and the same
 * extension and batch number) are combined, up to 1000 numbers a call. Every number gets a mission
 * number (the user's, or a generated one) so that its delivery report can be matched to it.
 */
export function planSendSms(items: SmsItem[], newId: () => string): PlannedCall[] {
	const groups = groupBy(items, (item) => JSON.stringify([item.content, item.extraNum ?? '', item.batchNum ?? '']));
	const byBatch = new Map<string, number>();
	for (const group of groups) {
		const given = group[0].batchNum;
		if (given) byBatch.set(given, (byBatch.get(given) ?? 0) + 1);
	}
	for (const group of groups) {
		const given = group[0].batchNum;
		if (given && (byBatch.get(given) ?? 0) > 1) {
			throw new PlanError(
				`Batch number ${given} is used by items with different contents; Zhuanxinyun accepts each batch number once. Give each content its own batch number, or leave it empty`,
				group[0].itemIndex,
			);
		}
	}
	return groups.flatMap((group) =>
		callsFor(
			group,
			(item) => {
				const segments = segmentsOf(item.content);
				return item.phones.map((phone, i) => ({ itemIndex: item.itemIndex, phone, missionNum: item.missionNums?.[i] ?? newId(), segments }));
			},
			newId,
		).map(({ batchNum, recipients }) => {
			const form: IDataObject = {
				phones: recipients.map((r) => r.phone).join(','),
				missionNums: recipients.map((r) => r.missionNum).join(','),
				content: group[0].content,
				batchNum,
			};
			if (group[0].extraNum) form.extraNum = group[0].extraNum;
			return {
				request: { method: 'POST', path: PATHS.sendSms, form },
				recipients: recipients.map((r) => ({ itemIndex: r.itemIndex, phone: r.phone, messageId: r.missionNum, segments: r.segments })),
				batchId: batchNum,
				repeatIsRejected: true,
			};
		}),
	);
}

/**
 * sendTplSms carries one message per number: items with the same template (and extension and batch
 * number) are combined whatever their content. Each message is URL-encoded on its own and the
 * results joined with commas (so commas inside a message survive); the form encoding then encodes
 * the whole again, as the vendor's samples do.
 */
export function planSendTplSms(items: TplItem[], newId: () => string): PlannedCall[] {
	const groups = groupBy(items, (item) => JSON.stringify([item.templateId, item.extraNum ?? '', item.batchNum ?? '']));
	const seenBatch = new Set<string>();
	for (const group of groups) {
		const given = group[0].batchNum;
		if (!given) continue;
		if (seenBatch.has(given)) {
			throw new PlanError(
				`Batch number ${given} is used with different templates; Zhuanxinyun accepts each batch number once`,
				group[0].itemIndex,
			);
		}
		seenBatch.add(given);
	}
	return groups.flatMap((group) =>
		callsFor(
			group,
			(item) => {
				const segments = segmentsOf(item.content);
				return item.phones.map((phone) => ({ itemIndex: item.itemIndex, phone, content: item.content, segments }));
			},
			newId,
		).map(({ batchNum, recipients }) => {
			const form: IDataObject = {
				phones: recipients.map((r) => r.phone).join(','),
				content: encodeMessages(recipients.map((r) => r.content!)),
				templateId: group[0].templateId,
				batchNum,
			};
			if (group[0].extraNum) form.extraNum = group[0].extraNum;
			return {
				request: { method: 'POST', path: PATHS.sendTplSms, form },
				// sendTplSms takes no mission numbers: the batch number is what reports carry back.
				recipients: recipients.map((r) => ({ itemIndex: r.itemIndex, phone: r.phone, messageId: batchNum, segments: r.segments })),
				batchId: batchNum,
				repeatIsRejected: true,
			};
		}),
	);
}

/** Java's URLEncoder, which the vendor's samples use, writes a space as `+`. */
export function encodeMessages(messages: string[]): string {
	return messages.map((message) => encodeURIComponent(message).replace(/%20/g, '+')).join(',');
}

/**
 * `000000` only means accepted: delivery is told later by a status report. Each recipient keeps the
 * number of SMS its message is billed as, counted when the call was planned.
 */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const code = textOf((response.body as IDataObject).errorCode);
	return call.recipients.map((recipient) => ({
		phone: recipient.phone,
		accepted: true,
		messageId: recipient.messageId,
		status: code,
		segments: recipient.segments,
	}));
}

export function readBalance(body: IDataObject): number {
	const count = Number(body.count);
	if (!Number.isFinite(count)) throw new Error(`Zhuanxinyun returned no balance: ${JSON.stringify(body).slice(0, 200)}`);
	return count;
}

/** One delivery report record, as the push's XML parser gives it. */
function deliveryItem(record: IDataObject): PushItem {
	const phoneText = textOf(record.dest_id);
	const gatewayStatus = textOf(record.receive_real_status);
	const realStatus = gatewayStatus || textOf(record.receive_status);
	// "真實網關狀態為0或者DELIVRD則編譯為SUCCESS": receive_status is the vendor's own reading of the
	// gateway status, so SUCCESS without the gateway's code is a delivery too.
	const delivered = gatewayStatus ? DELIVERED.has(gatewayStatus.toUpperCase()) : realStatus.toUpperCase() === 'SUCCESS';
	if (!phoneText || !realStatus) throw new PushError('a <record> has no <dest_id> or no <receive_real_status>');
	return {
		vendor: VENDOR,
		event: 'delivery',
		phone: normalizeMainlandMobile(phoneText) ?? phoneText,
		messageId: textOf(record.mission_num) || textOf(record.batch_num),
		batchId: textOf(record.batch_num),
		delivered,
		status: realStatus,
		statusText: delivered ? 'Delivered' : GATEWAY_STATUS[realStatus] ?? `Not delivered (gateway status ${realStatus})`,
		receivedAt: chinaTimeToIso(textOf(record.stat_time)) ?? null,
		raw: record,
	};
}

function replyItem(from: string, dest: IDataObject, time: string): PushItem {
	return {
		vendor: VENDOR,
		event: 'reply',
		// Replies carry the sender as 86 + 11 digits; reports do not.
		phone: normalizeMainlandMobile(from) ?? from,
		content: textOf(dest.content),
		extension: textOf(dest.dest_id),
		receivedAt: chinaTimeToIso(time) ?? null,
		raw: dest,
	};
}

/**
 * Status reports (`<body><records><record>…`, one or more records) and replies (`<body><dest>…`)
 * come to the same kind of URL as XML. The head's `sign` algorithm is not published, so it is not
 * checked; the trigger's secret token is what authenticates a push.
 */
export function parsePush(document: IDataObject | IDataObject[], format: PushFormat): PushItem[] {
	if (format !== 'xml' || Array.isArray(document)) throw new PushError('Zhuanxinyun pushes XML');
	const root = document.xml as IDataObject | undefined;
	if (!root || typeof root !== 'object') throw new PushError('expected <xml>…</xml>');
	const body = ((typeof root.body === 'object' && root.body) || {}) as IDataObject;
	const head = (root.head ?? {}) as IDataObject;

	const records = (body.records as IDataObject | undefined)?.record;
	if (records !== undefined) {
		const list = (Array.isArray(records) ? records : [records]) as IDataObject[];
		if (list.length === 0 || list.some((record) => !record || typeof record !== 'object')) {
			throw new PushError('<records> holds no <record>');
		}
		return list.map(deliveryItem);
	}

	const dests = body.dest;
	if (dests !== undefined) {
		const list = (Array.isArray(dests) ? dests : [dests]) as IDataObject[];
		return list.map((dest) => {
			const from = textOf(dest?.src_id);
			if (!from) throw new PushError('a reply <dest> has no <src_id>');
			return replyItem(from, dest, textOf(head.time_stamp));
		});
	}
	throw new PushError('the body holds neither <records> (status reports) nor <dest> (a reply)');
}

/**
 * The list of records in a pull's answer. queryMoRecord and queryStatusReport answers are not
 * documented (docs/vendors/zhuanxinyun.md#pull-answers): the list is looked for under the names
 * such APIs use (`data`, `records`, `list`, `result`, `rows`), one level inside an object there too,
 * and otherwise taken from the only array in the answer.
 */
function recordList(body: IDataObject): IDataObject[] {
	const names = ['data', 'records', 'list', 'result', 'rows', 'record'];
	for (const name of names) {
		const value = body[name];
		if (Array.isArray(value)) return value as IDataObject[];
		if (value && typeof value === 'object') {
			const inner = value as IDataObject;
			for (const innerName of names) if (Array.isArray(inner[innerName])) return inner[innerName] as IDataObject[];
			// One record, as an XML-to-JSON reading gives a list of one: `records: { record: {…} }`.
			if (inner.record && typeof inner.record === 'object') return [inner.record as IDataObject];
			if (name === 'record') return [inner];
		}
	}
	const arrays = Object.values(body).filter(Array.isArray);
	return arrays.length === 1 ? (arrays[0] as IDataObject[]) : [];
}

/**
 * Pulled records (queryStatusReport, queryMoRecord), shaped as the trigger shapes pushed ones, so a
 * workflow can move between push and pull without changing what follows. A record that lacks the
 * fields a push must have is still given out, with what it has (`phone` null when it names no number):
 * an answer's record is never dropped.
 */
export function readPulledRecords(body: IDataObject, event: 'delivery' | 'reply'): PushItem[] {
	return recordList(body).flatMap((entry): PushItem[] => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [];
		if (event === 'delivery') {
			try {
				return [deliveryItem(entry)];
			} catch {
				const status = textOf(entry.receive_real_status) || textOf(entry.receive_status);
				return [
					{
						vendor: VENDOR,
						event: 'delivery',
						phone: textOf(entry.dest_id) ? normalizeMainlandMobile(textOf(entry.dest_id)) ?? textOf(entry.dest_id) : null,
						messageId: textOf(entry.mission_num) || textOf(entry.batch_num),
						batchId: textOf(entry.batch_num),
						delivered: false,
						status,
						statusText: 'The vendor gave this record without a number or a status',
						receivedAt: chinaTimeToIso(textOf(entry.stat_time)) ?? null,
						raw: entry,
					},
				];
			}
		}
		const from = textOf(entry.src_id) || textOf(entry.mobile) || textOf(entry.phone);
		const time = textOf(entry.recv_time) || textOf(entry.receive_time) || textOf(entry.time) || textOf(entry.time_stamp);
		if (from) return [replyItem(from, entry, time)];
		return [{ ...replyItem('', entry, time), phone: null }];
	});
}

/** What tells one pulled record from another, for the poll trigger's memory. */
export function recordIdentity(item: IDataObject): string {
	if (item.event === 'reply') return JSON.stringify(['reply', item.phone, item.content, item.extension, item.receivedAt]);
	return JSON.stringify(['delivery', item.messageId, item.batchId, item.phone, item.status, item.receivedAt]);
}

/**
 * Status reports are asked for by day (China time). The poll trigger asks for every day from the one
 * it last asked for up to today (at most RETAIN_DAYS, after n8n was stopped for long), and for
 * yesterday too during the first hours of a day, for reports of late evening that the vendor has only
 * after midnight. The first poll asks for today only.
 */
export const LATE_REPORT_HOURS = 2;
export const MAX_DAYS_PER_POLL = 7;

export function daysToPoll(lastDay: string | undefined, now: Date): string[] {
	const day = (back: number) => new Date(now.getTime() + 8 * 3600e3 - back * 86400e3).toISOString().slice(0, 10);
	const today = day(0);
	const days = [today];
	if (!lastDay) return days;
	const chinaHour = new Date(now.getTime() + 8 * 3600e3).getUTCHours();
	for (let back = 1; back < MAX_DAYS_PER_POLL; back++) {
		const earlier = day(back);
		if (earlier < lastDay && !(back === 1 && chinaHour < LATE_REPORT_HOURS)) break;
		days.unshift(earlier);
	}
	return days;
}

/** Send: one text to many numbers, up to 1000 a call; items with the same content share calls. */
export const SEND_SMS: SendAdapter<SmsItem> = {
	readItem: readSmsItem,
	plan: (items) => planSendSms(items, newBatchId),
	readAnswer,
	summarize: summarizeSegments,
	// Mission Numbers go with their phones, one each, when a retry leaves some phones out.
	keepPhones: (item, positions) => ({
		...item,
		phones: positions.map((position) => item.phones[position]),
		...(item.missionNums && { missionNums: positions.map((position) => item.missionNums![position]) }),
	}),
};

/** Send Template: a message per number through an approved template; items of one template share calls. */
export const SEND_TEMPLATE: SendAdapter<TplItem> = {
	readItem: readTplItem,
	plan: (items) => planSendTplSms(items, newBatchId),
	readAnswer,
	summarize: summarizeSegments,
};

/** Get Balance: how many messages the account can still send. */
export const BALANCE: BalanceOperation = {
	request: () => ({ method: 'POST', path: PATHS.querySmsCount, form: {} }),
	read: (body) => ({ balance: readBalance(body as IDataObject), unit: 'messages' }),
};

/**
 * The pulls, one item per record shaped like the trigger's items; an answer without records gives no
 * items, so that n8n's "Always Output Data" setting decides what follows. The poll trigger uses them too.
 */
export const PULLS: Record<'getStatusReports' | 'getReplies', PullOperation> = {
	getStatusReports: {
		request: (parameters, now) => ({
			method: 'POST',
			path: PATHS.queryStatusReport,
			form: { time: statusReportDay(parameters.text('date'), parameters.itemIndex, chinaDate(now)) },
		}),
		read: (body) => readPulledRecords(body as IDataObject, 'delivery'),
	},
	getReplies: {
		request: () => ({ method: 'POST', path: PATHS.queryMoRecord, form: {} }),
		read: (body) => readPulledRecords(body as IDataObject, 'reply'),
	},
};

export const ADAPTER: VendorAdapter = {
	api: API,
	sends: { send: SEND_SMS, sendTemplate: SEND_TEMPLATE },
	balance: BALANCE,
	pulls: PULLS,
	parsePush,
};
