/**
 * Polyv (保利威), api.polyv.net: SMS through the Aliyun template configured on the Polyv account, as
 * pure functions in the shape of every vendor module (nodes/shared/adapter.ts). What the package reads
 * of the vendor's document, and why: docs/vendors/polyv.md.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { distinctSlices, groupBy, InputError, notTheApi, refusal, textOf, type ItemParameters, type PlannedCall, type RecipientResult, type SendAdapter, type VendorAdapter, type VendorApi, type VendorFailure, type VendorResponse } from '../shared/adapter';
import { parseMainlandPhones } from '../shared/phones';

export const VENDOR = 'polyv';

export const SEND_PATH = '/live/v4/user/sms/send';

/** "手机号,长度11位,最大200个". */
export const MAX_PHONES_PER_CALL = 200;
/** "单个用户、IP每日短信发送上限2000,单个手机号每日发送上限10条". */
export const DAILY_LIMIT_PER_ACCOUNT = 2000;
export const DAILY_LIMIT_PER_NUMBER = 10;
/** "当前13位毫秒级时间戳,3分钟内有效". */
export const TIMESTAMP_VALID_MS = 3 * 60 * 1000;

/**
 * Polyv's signature (https://polyv.gitbook.io/document/docs/live/api/buildsign; the official Java
 * SDK's LiveSignUtil): parameters with an empty value are dropped (Polyv's JS util would sign
 * `"null"`, the Java SDK skips blanks; we follow the Java SDK), the rest sorted by key in ASCII order
 * and concatenated as key1value1key2value2, wrapped in the secret on both sides, MD5, upper-case hex.
 */
export function sign(params: Record<string, string | number | null | undefined>, appSecret: string): string {
	const concatenated = Object.keys(params)
		.filter((key) => key !== 'sign')
		.filter((key) => params[key] !== undefined && params[key] !== null && String(params[key]).trim() !== '')
		.sort()
		.map((key) => `${key}${String(params[key])}`)
		.join('');
	return createHash('md5').update(`${appSecret}${concatenated}${appSecret}`, 'utf8').digest('hex').toUpperCase();
}

/**
 * The query string of every call: only appId and timestamp are signed ("(timestamp, appId)参与sign
 * 签名…请求体参数不参与签名"), and the secret itself never travels. The timestamp is valid for 3 minutes,
 * so each attempt is signed anew.
 */
export function signedQuery(appId: string, appSecret: string, now = Date.now()): { appId: string; timestamp: string; sign: string } {
	const timestamp = String(now);
	return { appId, timestamp, sign: sign({ appId, timestamp }, appSecret) };
}

/** `data[].status`, per number. Only 12 means Aliyun took the message (not that it reached the phone). */
export const ACCEPTED_STATUS = 12;
export const STATUS: Record<string, { zh: string; en: string }> = {
	'-1': { zh: '发送失败,手机号超过每日发送频次限制', en: `Not sent: the number has reached its daily limit (${DAILY_LIMIT_PER_NUMBER} messages a day)` },
	'-2': { zh: '发送失败,手机号不合法(非数字、长度错误)', en: 'Not sent: Polyv refused the number as invalid' },
	'11': { zh: '发送失败(调用阿里云短信接口失败)', en: 'Not sent: the call to Aliyun SMS failed' },
	'12': { zh: '发送成功(调用阿里云短信接口成功,进入短信发送队列等待发送,并非成功发送到手机)', en: 'Accepted: queued by Aliyun SMS (not yet delivered)' },
};

/**
 * `error.desc` texts Polyv documents (the SMS document and its global error page,
 * https://polyv.gitbook.io/document/docs/live/api/errorinfo), in English with what to do. Polyv's
 * `error.code` values are documented only for 20001, so the text is what is matched.
 */
const KNOWN_ERRORS: Array<{ match: RegExp; en: string; hint?: string }> = [
	{
		match: /^application not found/i,
		en: 'Polyv does not know this App ID',
		hint: 'Check the App ID in the credential (Polyv console, 开发设置 / API settings).',
	},
	{
		match: /signature/i,
		en: 'Polyv refused the signature: the App Secret does not belong to this App ID',
		hint: "Check the App Secret in the credential. If it is right, check this n8n host's clock: the signature covers the time.",
	},
	{
		match: /timestamp/i,
		en: "The request's time is outside Polyv's 3-minute window",
		hint: "Set this n8n host's clock right (NTP): Polyv takes a signed request only within 3 minutes of its timestamp.",
	},
	{
		match: /qps|number of calls/i,
		en: 'Too many calls to Polyv',
		hint: 'Lower the Concurrency option. Polyv blocks an IP for 5 minutes after 1,500 calls in 10 seconds.',
	},
	{ match: /^param should not be empty/i, en: 'Polyv says a required parameter is empty' },
	{ match: /^param validate error/i, en: 'Polyv refused a parameter' },
	{ match: /json format error/i, en: 'Polyv could not read the request body as JSON' },
	{
		match: /illegal operation|access forbidden/i,
		en: 'Polyv refused the operation for this account',
		hint: 'Check that SMS is enabled on the Polyv account and that its Aliyun SMS template is configured.',
	},
];

/** English for a Polyv refusal, keeping its code and text: `Polyv error 20001: … (application not found.)`. */
export function describeError(code: string, desc: string): VendorFailure {
	return refusal('Polyv', code, KNOWN_ERRORS.find((entry) => entry.match.test(desc)), desc);
}

/**
 * Polyv answers a refusal with HTTP 400 (status "error") or 500 (status "fail") and a JSON body whose
 * `error.desc` says why; `code` repeats the HTTP status ("与 http 状态码相同"). The shared transport
 * calls this before it looks at the HTTP status, so the user gets `desc` and not just "HTTP 400".
 * A top-level success can still hold failed numbers: those are read per number by readSend.
 */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const body = response.body;
	const ok = response.statusCode >= 200 && response.statusCode < 300;
	if (body && typeof body === 'object' && !Array.isArray(body) && ('success' in body || 'error' in body)) {
		const answer = body as IDataObject;
		if (answer.success === true && ok) return undefined;
		const error = (answer.error && typeof answer.error === 'object' ? answer.error : {}) as IDataObject;
		const code = textOf(error.code) || textOf(answer.code) || String(response.statusCode);
		const desc = textOf(error.desc) || textOf(answer.message) || textOf(answer.status);
		return describeError(code, desc);
	}
	return notTheApi('Polyv', response);
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: 'Polyv',
	credentialType: 'polyvApi',
	findFailure,
};

export interface TemplateParam {
	name: string;
	value: string;
}

/**
 * Reads the `templateParams` entries of one item. Returns the parameters, or what is wrong with
 * them (the caller names the item). Values travel as JSON strings: the document's sample shows
 * numbers, its Java sample strings, and an Aliyun template variable is text (docs/vendors/polyv.md#string-values).
 */
export function readTemplateParams(entries: unknown): TemplateParam[] | string {
	if (entries === undefined || entries === null) return [];
	if (!Array.isArray(entries)) return 'Template parameters must be a list of name/value pairs';
	const params: TemplateParam[] = [];
	for (const [position, entry] of entries.entries()) {
		const { name, value } = (entry ?? {}) as IDataObject;
		const trimmed = textOf(name);
		if (trimmed === '') return `Template parameter ${position + 1} has no name`;
		if (params.some((param) => param.name === trimmed)) return `Template parameter ${trimmed} is given twice`;
		if (value !== undefined && value !== null && typeof value === 'object') {
			return `Template parameter ${trimmed} has ${Array.isArray(value) ? 'a list' : 'an object'} as its value; give text or a number`;
		}
		params.push({ name: trimmed, value: value === undefined || value === null ? '' : String(value) });
	}
	return params;
}

export interface SendItem {
	itemIndex: number;
	phones: string[];
	params: TemplateParam[];
}

/** One item's values, checked: its template parameters and mainland numbers. */
export function readItem(parameters: ItemParameters): SendItem {
	const { itemIndex } = parameters;
	const collection = parameters.get('templateParams', {}) as IDataObject;
	const params = readTemplateParams(collection?.parameters);
	if (typeof params === 'string') throw new InputError(`${params} on item ${itemIndex}`);
	return { itemIndex, phones: parseMainlandPhones(parameters.get('phones'), itemIndex), params };
}

/** Items whose template parameters are the same (in any order) may share a call. */
function paramsKey(params: TemplateParam[]): string {
	return JSON.stringify([...params].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => [p.name, p.value]));
}

/**
 * One POST per group of items with the same template parameters, up to 200 numbers a call. The
 * account's Aliyun template is the only template: Polyv's API takes no template id, only the
 * parameter names and values, in the same order.
 */
export function planSend(items: SendItem[]): PlannedCall[] {
	return groupBy(items, (item) => paramsKey(item.params)).flatMap((group) => {
		const { params } = group[0];
		const recipients = group.flatMap((item) => item.phones.map((phone) => ({ itemIndex: item.itemIndex, phone })));
		// Polyv answers per number (`data[].phoneNumber`): a number twice in one call could not be told apart.
		return distinctSlices(recipients, MAX_PHONES_PER_CALL).map((slice) => ({
			request: {
				method: 'POST' as const,
				path: SEND_PATH,
				json: {
					phoneNumbers: slice.map((recipient) => recipient.phone),
					templateParamNames: params.map((param) => param.name),
					templateParamValues: params.map((param) => param.value),
				},
			},
			recipients: slice,
			// Polyv has no idempotency key: a call whose answer was lost must not be repeated.
			repeatIsRejected: false,
		}));
	});
}

/** The English reason for a per-number status, with Polyv's code and text kept. */
export function statusError(status: string): string {
	const known = STATUS[status];
	return known ? `Polyv status ${status}: ${known.en} (${known.zh})` : `Polyv status ${status}: unknown status`;
}

/**
 * Reads `data[]` into one result per recipient of the call, matched by number: `success: true` only
 * means the request was taken, every number has its own status (-1, -2, 11 failed; 12 accepted).
 * Polyv's `serialNo` (Aliyun's receipt id) is the recipient's messageId.
 */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const data = (response.body as IDataObject).data;
	const byPhone = new Map<string, IDataObject>();
	for (const entry of Array.isArray(data) ? (data as IDataObject[]) : []) {
		const phone = textOf(entry?.phoneNumber);
		if (phone && !byPhone.has(phone)) byPhone.set(phone, entry);
	}
	return call.recipients.map(({ phone }) => {
		const entry = byPhone.get(phone);
		// Polyv took the call but said nothing of this number: it may have been sent.
		if (!entry) return { phone, accepted: false, outcome: 'unknown', error: 'Polyv returned no result for this number; the message may have been sent' };
		const status = textOf(entry.status);
		const accepted = Number(status) === ACCEPTED_STATUS;
		const result: RecipientResult = { phone, accepted, status };
		const serialNo = textOf(entry.serialNo);
		if (serialNo) result.messageId = serialNo;
		if (!accepted) result.error = statusError(status);
		// A number over its daily limit, or one Polyv finds invalid: another vendor will likely refuse it too.
		if (status === '-1' || status === '-2') result.aboutMessage = true;
		return result;
	});
}

/** Send: the account's Aliyun template, up to 200 numbers a call. */
export const SEND: SendAdapter<SendItem> = { readItem, plan: planSend, readAnswer };

export const ADAPTER: VendorAdapter = { api: API, sends: { send: SEND } };
