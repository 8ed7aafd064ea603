/**
 * Chonry (创瑞云) / 1cloudsp international SMS: everything that is particular to this vendor, as pure
 * functions in the shape of every vendor module (nodes/shared/adapter.ts). What the package reads of
 * the vendor's document, and why: docs/vendors/chonry.md.
 */
import type { IDataObject } from 'n8n-workflow';

import { type BalanceOperation, distinctSlices, groupBy, InputError, notTheApi, PushError, refusal, textOf, type ItemParameters, type PlannedCall, type PushFormat, type PushItem, type RecipientResult, type SendAdapter, type VendorAdapter, type VendorApi, type VendorErrorEntry, type VendorFailure, type VendorRequest, type VendorResponse } from '../shared/adapter';
import { normalizeMainlandMobile, parseInternationalPhones } from '../shared/phones';
import { chinaTimeToIso } from '../shared/time';

export const VENDOR = 'chonry';

/** `mobile`: "最大支持5万". */
export const MAX_BULK_PHONES = 50_000;
/** `data`: "最大支持1万". */
export const MAX_PERSONALIZED_PHONES = 10_000;

export const PATHS = {
	/** On the credential's `intlBaseUrl`. */
	send: '/intl/api/v2/send',
	/** On the credential's `baseUrl` (public page, not in the intl document: docs/vendors/chonry.md#balance). */
	account: '/query/account',
} as const;

/** The product whose figure `getBalance` reports: the account call lists every product of the account. */
export const INTL_PRODUCT = '国际短信';

/** Template variables are joined with `##` (the vendor also splits on `$$`). */
export const VARIABLE_SEPARATOR = '##';
const SEPARATORS = ['##', '$$'];

/**
 * The vendor document refers to an error code list it does not include (docs/vendors/chonry.md#error-codes-source). These codes
 * and texts are the platform's as third-party callers of api.1cloudsp.com tabulate them (9006 also in
 * overtrue/easy-sms's Tinree tests); any other code still reaches the user with the vendor's `msg`.
 */
export const ERRORS: Record<string, VendorErrorEntry> = {
	'9001': { zh: '签名格式不正确', en: 'The signature has a wrong format', hint: 'Give the signature ID or text exactly as approved in the Chonry console.' },
	'9002': { zh: '参数未赋值', en: 'A required parameter is missing', credential: true },
	'9003': { zh: '手机号码格式不正确', en: 'A phone number has a wrong format', hint: 'International numbers are the country code and number, such as 8613800138000.', aboutMessage: true },
	'9006': { zh: '用户accessKey不正确', en: 'The Access Key or Secret is wrong', hint: 'Check the Access Key and Secret in the credential.', credential: true },
	'9007': {
		zh: 'IP白名单限制',
		en: "This n8n host's IP address is not on the account's IP whitelist",
		hint: "Add this n8n host's public IP address to the IP whitelist in the Chonry console, or remove the whitelist.",
		credential: true,
	},
	'9009': { zh: '短信内容参数不正确', en: 'The template variables are not valid', aboutMessage: true },
	'9010': { zh: '用户短信余额不足', en: 'The account balance is too low', hint: 'Top up the international SMS balance in the Chonry console.' },
	'9011': { zh: '用户帐户异常', en: 'The account is disabled or restricted', hint: 'Contact Chonry support.', credential: true },
	'9012': { zh: '日期时间格式不正确', en: 'A date or time has a wrong format' },
	'9014': { zh: '超出了最大手机号数量', en: 'Too many phone numbers in one call' },
	'9015': { zh: '不支持的国家短信', en: 'SMS to this country is not supported by the account', aboutMessage: true },
	'9016': { zh: '无效的签名或者签名ID', en: 'The signature or signature ID is not valid', hint: 'Use a signature approved in the Chonry console.', aboutMessage: true },
	'9017': { zh: '无效的模板ID', en: 'The template ID is not valid', hint: 'Use the ID of an approved international template in the Chonry console.', aboutMessage: true },
	'9018': { zh: '单个变量限制为1-20个字', en: 'Each template variable must be 1 to 20 characters long', aboutMessage: true },
	'9019': { zh: '内容不可以为空', en: 'The content must not be empty' },
	'9022': { zh: '手机号码不能为空', en: 'No phone number was given' },
	'9023': { zh: '手机号码黑名单', en: 'The phone number is blacklisted', aboutMessage: true },
	'9024': { zh: '手机号码超频', en: 'The phone number was sent to too often', aboutMessage: true },
	'10001': { zh: '内容包含敏感词', en: 'The content contains sensitive words', aboutMessage: true },
	'10002': { zh: '内容包含屏蔽词', en: 'The content contains blocked words', aboutMessage: true },
	'10003': { zh: '错误的定时时间', en: 'The scheduled send time is not accepted' },
	'10005': { zh: '模版类型不存在', en: 'The template type does not exist' },
	'10006': {
		zh: '模版和内容不匹配',
		en: 'The variables do not match the template',
		hint: 'Give one variable per placeholder of the template, in order.',
		aboutMessage: true,
	},
};


/**
 * Every answer is `{"code":"0","msg":"SUCCESS",…}`; any other code is a refusal, in an HTTP 200 body as
 * well as in an error status. The code is documented as a string; it is compared as text, so a
 * numeric 0 (seen in third-party samples of the platform's other calls) is success too.
 */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const body = response.body as IDataObject | string;
	if (body && typeof body === 'object' && !Array.isArray(body) && 'code' in body) {
		const code = textOf(body.code);
		if (code === '0') return undefined;
		return refusal('Chonry', code, ERRORS[code], textOf(body.msg));
	}
	return notTheApi('Chonry', response, 'Check the base URLs in the credential.');
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: 'Chonry',
	credentialType: 'chonryApi',
	findFailure,
};

/** Why a template variable cannot be sent, or undefined when it can. */
export function variableProblem(value: string): string | undefined {
	if (value.trim() === '') return 'is empty; every placeholder of the template needs a value';
	const separator = SEPARATORS.find((s) => value.includes(s));
	if (separator) return `contains ${separator}, which the vendor uses to separate variables`;
	return undefined;
}

/**
 * `scheduleSendTime` as the vendor writes it (`yyyy-MM-dd HH:mm:ss`), and the ISO 8601 forms n8n dates
 * take: with `T`, optional seconds and fraction, with or without an offset.
 */
const SCHEDULE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** A time as the vendor writes it: `yyyy-MM-dd HH:mm:ss` in China time (UTC+8). */
export function toChinaTime(date: Date): string {
	return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The text of a schedule value: a string, or an n8n date (a Luxon DateTime or a Date from an expression). */
function scheduleText(value: unknown): string | Date {
	if (value instanceof Date) return value;
	const luxon = value as { toISO?: () => string | null } | null;
	if (luxon && typeof luxon === 'object' && typeof luxon.toISO === 'function') return luxon.toISO() ?? '';
	return String(value ?? '').trim();
}

/**
 * `scheduleSendTime` is `yyyy-MM-dd HH:mm:ss` ("格式为:2018-01-01 18:00:00"); the document names no time
 * zone, and this package reads it as China time (UTC+8), the vendor's own. An n8n date with an offset
 * (what `{{ $now.plus(…) }}` gives) is converted to China time; one without an offset (the date
 * picker's value) is taken as China time already. Returns the vendor's form, or a problem for the
 * error message.
 */
export function parseScheduleTime(value: unknown, now: Date): { time?: string; problem?: string } {
	const given = scheduleText(value);
	let time: string;
	if (given instanceof Date) {
		if (Number.isNaN(given.getTime())) return { problem: 'is not a real date and time' };
		time = toChinaTime(given);
	} else {
		const match = SCHEDULE.exec(given);
		if (!match) {
			return { problem: 'is not in the form yyyy-MM-dd HH:mm:ss (China time), such as 2026-01-01 18:00:00, nor an n8n date' };
		}
		const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part)));
		const asUtc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
		const roundTrips =
			asUtc.getUTCFullYear() === year && asUtc.getUTCMonth() === month - 1 && asUtc.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
		if (!roundTrips) return { problem: 'is not a real date and time' };
		const offset = match[7];
		if (offset === undefined) {
			time = toChinaTime(new Date(asUtc.getTime() - CHINA_OFFSET_MS));
		} else {
			const [, sign, hours, minutes] = /^([+-])(\d{2}):?(\d{2})$/.exec(offset) ?? ['', '+', '00', '00'];
			const offsetMs = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
			time = toChinaTime(new Date(asUtc.getTime() - offsetMs));
		}
	}
	// Both strings are China time in the same fixed-width form: they compare as text.
	if (time < toChinaTime(now)) return { problem: `is in the past (it is now ${toChinaTime(now)} in China)` };
	return { time };
}

/**
 * A sender ID shown to the recipient. The vendor states no rule; the GSM rule for an originating
 * address is at most 11 letters and digits, or a number of up to 15 digits.
 */
export function senderIdProblem(value: string): string | undefined {
	if (/^\d{1,15}$/.test(value) || /^[A-Za-z0-9 ]{1,11}$/.test(value)) return undefined;
	return 'is not allowed: use up to 11 letters, digits or spaces, or a number of up to 15 digits';
}

/**
 * Java's `URLEncoder.encode(s, "UTF-8")`, which the vendor sample applies to `content` and `data`
 * before putting them in the form: letters, digits and `.-*_` stay, a space becomes `+`, every other
 * byte `%XX`.
 */
export function javaUrlEncode(value: string): string {
	return encodeURIComponent(value)
		.replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

/**
 * Numbers are sent as country code + number (`8613900000001`); they come out of the node and the
 * trigger as every vendor of this package gives them: a mainland number without its 86.
 */
export function outputPhone(phone: string): string {
	const cleaned = phone.trim().replace(/^(?:\+|00)/, '');
	return normalizeMainlandMobile(cleaned) ?? cleaned;
}

export interface SendItem {
	itemIndex: number;
	/** International form, from parseInternationalPhones. */
	phones: string[];
	templateId: string;
	sign?: string;
	variables: string[];
	scheduleSendTime?: string;
	senderId?: string;
}

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

/** One item's values, checked: template, variables, schedule, sender ID and international numbers. */
export function readItem(parameters: ItemParameters): SendItem {
	const { itemIndex } = parameters;
	const templateId = parameters.text('templateId');
	if (templateId === '') throw new InputError(`Template ID is empty on item ${itemIndex}`);
	const sign = parameters.text('sign') || undefined;
	const variables = variableList(parameters.get('variables', []));
	variables.forEach((value, i) => {
		const problem = variableProblem(value);
		if (problem) throw new InputError(`Variable ${i + 1} on item ${itemIndex} (${JSON.stringify(value)}) ${problem}`);
	});
	let scheduleSendTime: string | undefined;
	// A string, or an n8n date when an expression returns one.
	const schedule = parameters.option('scheduleSendTime');
	const scheduleString = String(schedule ?? '').trim();
	if (scheduleString !== '') {
		const { time, problem } = parseScheduleTime(schedule, new Date());
		if (problem) throw new InputError(`Schedule send time ${scheduleString} on item ${itemIndex} ${problem}`);
		scheduleSendTime = time;
	}
	const senderId = String(parameters.option('senderId') ?? '').trim() || undefined;
	const senderProblem = senderId && senderIdProblem(senderId);
	if (senderProblem) throw new InputError(`Sender ID ${senderId} on item ${itemIndex} ${senderProblem}`);
	const phones = parseInternationalPhones(parameters.get('phones'), itemIndex);
	return { itemIndex, phones, templateId, sign, variables, scheduleSendTime, senderId };
}

interface Recipient {
	itemIndex: number;
	phone: string;
	content: string;
}


/**
 * Slices in which no number appears twice (the shared distinctSlices): `data` is a JSON object keyed by
 * number, so a number can only be in it once, and a bulk call is kept to the same rule so that nobody
 * gets a message twice from one call.
 */
const slicesOfUniqueNumbers = distinctSlices<Recipient>;

/** `data`: the JSON object written out by hand, so numbers keep their order (JS sorts integer-like keys). */
function personalizedJson(recipients: Recipient[]): string {
	return `{${recipients.map((r) => `${JSON.stringify(r.phone)}:${JSON.stringify(r.content)}`).join(',')}}`;
}

function callFor(first: SendItem, recipients: Recipient[]): PlannedCall {
	const form: IDataObject = { templateId: first.templateId };
	if (first.sign) form.sign = first.sign;
	const contents = new Set(recipients.map((r) => r.content));
	// The vendor sample URL-encodes `content` and `data` before the form encoding encodes them again, and
	// the server decodes twice. Sent only once-encoded, a `+` or `%` in a variable would be corrupted by
	// the second decoding; encoding as the sample does keeps every character (docs/vendors/chonry.md#double-encoding).
	if (contents.size === 1) {
		form.mobile = recipients.map((r) => r.phone).join(',');
		const [content] = contents;
		if (content !== '') form.content = javaUrlEncode(content);
	} else {
		form.data = javaUrlEncode(personalizedJson(recipients));
	}
	if (first.scheduleSendTime) form.scheduleSendTime = first.scheduleSendTime;
	if (first.senderId) form.senderId = first.senderId;
	const request: VendorRequest = { method: 'POST', path: PATHS.send, baseUrlField: 'intlBaseUrl', form };
	return {
		request,
		recipients: recipients.map((r) => ({ itemIndex: r.itemIndex, phone: outputPhone(r.phone) })),
	};
}

/**
 * Items with the same template, signature, schedule and sender ID share calls. Numbers that get the
 * same variables go out as `mobile` + `content` (up to 50,000 a call); numbers whose variables differ
 * go together in personalized calls through `data` (up to 10,000 a call). A group of one set of
 * variables bigger than a personalized call is sent in bulk on its own; a personalized slice whose
 * numbers all have the same variables is sent as a bulk call, which the vendor documents first.
 */
export function planSend(items: SendItem[]): PlannedCall[] {
	const groups = groupBy(items, (item) => JSON.stringify([item.templateId, item.sign ?? '', item.scheduleSendTime ?? '', item.senderId ?? '']));
	return groups.flatMap((group) => {
		const bulk: Recipient[][] = [];
		const personalized: Recipient[] = [];
		for (const sameVariables of groupBy(group, (item) => item.variables.join(VARIABLE_SEPARATOR))) {
			const recipients = sameVariables.flatMap((item) =>
				item.phones.map((phone) => ({ itemIndex: item.itemIndex, phone, content: item.variables.join(VARIABLE_SEPARATOR) })),
			);
			if (recipients.length > MAX_PERSONALIZED_PHONES) bulk.push(...slicesOfUniqueNumbers(recipients, MAX_BULK_PHONES));
			else personalized.push(...recipients);
		}
		const slices = [...bulk, ...slicesOfUniqueNumbers(personalized, MAX_PERSONALIZED_PHONES)].filter((slice) => slice.length > 0);
		return slices.map((slice) => callFor(group[0], slice));
	});
}

/** `{"code":"0","msg":"SUCCESS","batchId":"…"}`: accepted. The sample's batchId is empty, so it may be. */
export function batchIdOf(body: unknown): string {
	return body && typeof body === 'object' ? textOf((body as IDataObject).batchId) : '';
}

/** Accepted means accepted for sending; delivery is told later by a delivery report. */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const code = textOf((response.body as IDataObject).code);
	const batchId = batchIdOf(response.body);
	return call.recipients.map((recipient) => ({
		phone: recipient.phone,
		accepted: true,
		status: code,
		...(batchId ? { batchId } : {}),
	}));
}


/**
 * `{"code":"0","msg":"SUCCESS","data":{"国际短信":".00",…}}`: Chinese product names, values numbers or
 * strings such as ".00" (money for international SMS).
 */
export function readBalance(body: unknown): number {
	const data = (body as IDataObject | undefined)?.data as IDataObject | undefined;
	const value = data && typeof data === 'object' ? data[INTL_PRODUCT] : undefined;
	const balance = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	if (!Number.isFinite(balance)) {
		throw new Error(`Chonry returned no international SMS balance (data["${INTL_PRODUCT}"]): ${JSON.stringify(body).slice(0, 200)}`);
	}
	return balance;
}

/**
 * The operator's delivery status: `DELIVRD` means delivered; anything else is the failure code
 * (`REJECT` in a third-party sample; the others are the SMPP message states operators report).
 */
const DELIVERED = 'DELIVRD';
export const DELIVER_RESULTS: Record<string, string> = {
	UNDELIV: 'The operator could not deliver the message',
	EXPIRED: 'The message expired before it could be delivered',
	REJECT: 'The operator rejected the message',
	REJECTD: 'The operator rejected the message',
	DELETED: 'The message was deleted',
	UNKNOWN: 'The operator did not report the outcome',
};

function deliveryItem(record: IDataObject): PushItem {
	const mobile = textOf(record.mobile);
	const result = textOf(record.deliverResult);
	if (!mobile || !result) throw new PushError('a delivery report needs mobile and deliverResult');
	const delivered = result.toUpperCase() === DELIVERED;
	return {
		vendor: VENDOR,
		event: 'delivery',
		phone: outputPhone(mobile),
		messageId: textOf(record.smUuid),
		batchId: textOf(record.batchId),
		delivered,
		status: result,
		statusText: delivered ? 'Delivered' : DELIVER_RESULTS[result.toUpperCase()] ?? `Not delivered (operator status ${result})`,
		receivedAt: chinaTimeToIso(textOf(record.deliverTime)) ?? null,
		raw: record,
	};
}

function replyItem(record: IDataObject): PushItem {
	const mobile = textOf(record.mobile);
	if (!mobile) throw new PushError('a reply needs mobile');
	return {
		vendor: VENDOR,
		event: 'reply',
		phone: outputPhone(mobile),
		// Not trimmed: the text is what the person wrote.
		content: typeof record.content === 'string' ? record.content : textOf(record.content),
		extension: textOf(record.extNo),
		receivedAt: chinaTimeToIso(textOf(record.receiveTime)) ?? null,
		raw: record,
	};
}

function recordItem(record: unknown): PushItem {
	if (!record || typeof record !== 'object' || Array.isArray(record)) throw new PushError('a record is not an object');
	const fields = record as IDataObject;
	if ('deliverResult' in fields || 'smUuid' in fields) return deliveryItem(fields);
	if ('content' in fields) return replyItem(fields);
	throw new PushError('the push is neither a delivery report (smUuid, deliverResult) nor a reply (mobile, content)');
}

/**
 * Delivery reports (`smUuid, mobile, batchId, deliverResult, deliverTime`) and replies (`mobile,
 * content, receiveTime, extNo`) come form-encoded, one record a push (chonry.com statusCallback page;
 * field names from third-party receivers, docs/vendors/chonry.md#push-fields). The format is only partly documented and
 * older receivers parsed JSON, so a JSON object or array of records is accepted too.
 */
export function parsePush(data: IDataObject | IDataObject[], format: PushFormat): PushItem[] {
	if (format === 'xml') throw new PushError('Chonry pushes a form (or JSON), not XML');
	const records = Array.isArray(data) ? data : [data];
	if (records.length === 0) throw new PushError('the JSON array holds no record');
	return records.map(recordItem);
}

/** Send: bulk and personalized calls through the international API. */
export const SEND: SendAdapter<SendItem> = { readItem, plan: planSend, readAnswer };

/** Get Balance: the account call lists every product; `balance` is the international SMS one, `raw` keeps all. */
export const BALANCE: BalanceOperation = {
	request: () => ({ method: 'POST', path: PATHS.account, form: {} }),
	read: (body) => ({ balance: readBalance(body), unit: 'CNY' }),
};

export const ADAPTER: VendorAdapter = { api: API, sends: { send: SEND }, balance: BALANCE, parsePush };
