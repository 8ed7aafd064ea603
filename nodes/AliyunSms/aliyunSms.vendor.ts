/**
 * Alibaba Cloud SMS (Aliyun, Dysmsapi 2017-05-25), dysmsapi.aliyuncs.com: everything that is particular
 * to this vendor, as pure functions in the shape of every vendor module (nodes/shared/adapter.ts),
 * the V3 request signature included. What the package reads of Alibaba's documentation and SDK, and
 * why: docs/vendors/aliyun.md.
 */
import { createHash, createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import {
	InputError,
	PushError,
	distinctSlices,
	groupBy,
	notTheApi,
	refusal,
	textOf,
	type ItemParameters,
	type PlannedCall,
	type PullOperation,
	type PushFormat,
	type PushItem,
	type RecipientResult,
	type SendAdapter,
	type VendorAdapter,
	type VendorApi,
	type VendorErrorEntry,
	type VendorFailure,
	type VendorRequest,
	type VendorResponse,
} from '../shared/adapter';
import { normalizeInternational, normalizeMainlandMobile, splitPhones } from '../shared/phones';
import { chinaDate, chinaTimeToIso } from '../shared/time';

export const VENDOR = 'aliyunSms';
export const DISPLAY_NAME = 'Alibaba Cloud SMS';
export const API_VERSION = '2017-05-25';

/** Every call is an RPC call on `/`, told apart by the `x-acs-action` header (docs/vendors/aliyun.md#calls). */
export const PATH = '/';
export const ACTIONS = {
	sendSms: 'SendSms',
	sendBatchSms: 'SendBatchSms',
	querySendDetails: 'QuerySendDetails',
} as const;

/** SendSms `PhoneNumbers`: "上限为1000个手机号码". */
export const MAX_PHONES_PER_SEND_SMS = 1000;
/** SendBatchSms: at most 100 numbers a call. */
export const MAX_PHONES_PER_BATCH = 100;
/** QuerySendDetails `PageSize`: 1 to 50. */
export const PAGE_SIZE = 50;
/** A day's records of one number cannot be more; a guard against an answer whose TotalCount never ends. */
export const MAX_PAGES = 200;
/** QuerySendDetails `SendDate`: "支持查询最近30天的记录". */
export const QUERY_DAYS = 30;

/** The endpoints Alibaba documents (docs/vendors/aliyun.md#endpoints); the credential offers them. */
export const ENDPOINTS: Array<{ name: string; value: string }> = [
	{ name: 'Global (Mainland China, Hong Kong): dysmsapi.aliyuncs.com', value: 'https://dysmsapi.aliyuncs.com' },
	{ name: 'Singapore: dysmsapi.ap-southeast-1.aliyuncs.com', value: 'https://dysmsapi.ap-southeast-1.aliyuncs.com' },
	{ name: 'Jakarta: dysmsapi.ap-southeast-5.aliyuncs.com', value: 'https://dysmsapi.ap-southeast-5.aliyuncs.com' },
	{ name: 'Frankfurt: dysmsapi.eu-central-1.aliyuncs.com', value: 'https://dysmsapi.eu-central-1.aliyuncs.com' },
];

// ---------------------------------------------------------------------------------------------------
// V3 signature (ACS3-HMAC-SHA256), docs/vendors/aliyun.md#authentication

export const SIGNATURE_ALGORITHM = 'ACS3-HMAC-SHA256';
/** SHA-256 of an empty body, hex. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * RFC 3986: `A-Z a-z 0-9 - _ . ~` stay, everything else is `%XY` of its UTF-8 bytes. encodeURIComponent
 * leaves `! ' ( ) *` as they are; left raw, they break the signature (a public client's fix).
 */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical query string: names sorted, names and values percent-encoded, an empty value as `k=`. */
export function canonicalQuery(query: Record<string, string>): string {
	return Object.keys(query)
		.sort()
		.map((name) => `${percentEncode(name)}=${percentEncode(query[name] ?? '')}`)
		.join('&');
}

/**
 * A form body as bytes go on the wire, fields in the order given. Encoded as Alibaba's SDK encodes it
 * (Node's querystring: encodeURIComponent), so that the same request hashes to the same value.
 */
export function formBody(fields: Record<string, string>): string {
	return Object.entries(fields)
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
}

/** `x-acs-date`: UTC, `yyyy-MM-ddTHH:mm:ssZ`, no milliseconds. */
export function acsDate(now: Date): string {
	return `${now.toISOString().slice(0, 19)}Z`;
}

export interface SignInput {
	method: string;
	/** The Host header as it goes on the wire (with the port when it is not the scheme's). */
	host: string;
	path?: string;
	query: Record<string, string>;
	/** Headers besides host, the x-acs-date/nonce/content-sha256 that signing adds: x-acs-action, x-acs-version, content-type. */
	headers: Record<string, string>;
	/** The body exactly as sent ('' for none). */
	body: string;
	accessKeyId: string;
	accessKeySecret: string;
	/** `x-acs-date`, from acsDate(). */
	date: string;
	/** `x-acs-signature-nonce`: unique per request. */
	nonce: string;
}

export interface Signed {
	/** Every header to send: the signed ones (lower-case) and Authorization. */
	headers: Record<string, string>;
	canonicalRequest: string;
	stringToSign: string;
	signature: string;
	signedHeaders: string;
}

/**
 * Signs one request (Alibaba's V3 signature, "ACS3-HMAC-SHA256"): the canonical request is
 * `METHOD \n / \n query \n headers \n signed header names \n hex(SHA-256(body))`; the string to sign is
 * the algorithm and the hex SHA-256 of that; the signature the hex HMAC-SHA256 of it under the secret.
 * Signed headers: host, content-type and every x-acs-* header, lower-cased, values trimmed, sorted.
 */
export function signRequest(input: SignInput): Signed {
	const hashedBody = createHash('sha256').update(input.body, 'utf8').digest('hex');
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = String(value).trim();
	headers.host = input.host.trim();
	headers['x-acs-date'] = input.date;
	headers['x-acs-signature-nonce'] = input.nonce;
	headers['x-acs-content-sha256'] = hashedBody;
	const names = Object.keys(headers)
		.filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
		.sort();
	const signedHeaders = names.join(';');
	const canonicalRequest = [
		input.method.toUpperCase(),
		input.path ?? PATH,
		canonicalQuery(input.query),
		names.map((name) => `${name}:${headers[name]}\n`).join(''),
		signedHeaders,
		hashedBody,
	].join('\n');
	const stringToSign = `${SIGNATURE_ALGORITHM}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
	const signature = createHmac('sha256', input.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
	return {
		headers: {
			...headers,
			Authorization: `${SIGNATURE_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
		},
		canonicalRequest,
		stringToSign,
		signature,
		signedHeaders,
	};
}

/** The header the vendor's call names, whatever its case. */
function headerValue(headers: IDataObject | undefined, name: string): { key?: string; value?: string } {
	const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? {} : { key, value: String(headers![key]) };
}

/** What the credential's authenticate hands over: n8n's request options, in the few fields signing reads. */
export interface OutgoingRequest {
	method?: string;
	url: string;
	baseURL?: string;
	qs?: IDataObject;
	headers?: IDataObject;
	body?: unknown;
}

/**
 * Turns n8n's request options into the exact request that is signed and sent: the query string and the
 * form body written out here, byte for byte what is hashed (so that nothing after this re-encodes them),
 * and the signed headers added. Called by the credential for every attempt, with a fresh date and nonce.
 */
export function signOutgoing(
	request: OutgoingRequest,
	keys: { accessKeyId: string; accessKeySecret: string },
	date: string,
	nonce: string,
): { url: string; headers: IDataObject; body?: string } {
	const base = request.baseURL ? `${request.baseURL.replace(/\/+$/, '')}/${request.url.replace(/^\/+/, '')}` : request.url;
	const url = new URL(base);
	const query: Record<string, string> = {};
	for (const [name, value] of url.searchParams) query[name] = value;
	for (const [name, value] of Object.entries(request.qs ?? {})) {
		if (value !== undefined && value !== null) query[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
	const headers: IDataObject = { ...(request.headers ?? {}) };
	let body = '';
	if (typeof request.body === 'string') body = request.body;
	else if (request.body && typeof request.body === 'object' && Object.keys(request.body).length > 0) {
		const fields: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.body as IDataObject)) {
			if (value !== undefined && value !== null) fields[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
		}
		body = formBody(fields);
	}
	const contentType = headerValue(headers, 'content-type');
	if (body === '' && contentType.key !== undefined) delete headers[contentType.key];
	if (body !== '' && contentType.key === undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
	const toSign: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (lower === 'content-type' || lower.startsWith('x-acs-')) toSign[lower] = String(value);
		if (lower === 'content-type' || lower.startsWith('x-acs-') || lower === 'host' || lower === 'authorization') delete headers[name];
	}
	const signed = signRequest({
		method: request.method ?? 'GET',
		host: url.host,
		path: url.pathname || PATH,
		query,
		headers: toSign,
		body,
		accessKeyId: keys.accessKeyId,
		accessKeySecret: keys.accessKeySecret,
		date,
		nonce,
	});
	const queryString = canonicalQuery(query);
	const { host: _host, ...sent } = signed.headers;
	return {
		url: `${url.origin}${url.pathname}${queryString ? `?${queryString}` : ''}`,
		headers: { ...headers, ...sent },
		...(body === '' ? {} : { body }),
	};
}

// ---------------------------------------------------------------------------------------------------
// Errors, docs/vendors/aliyun.md#error-codes

export type AliyunErrorEntry = Omit<VendorErrorEntry, 'zh'> & {
	zh?: string;
	/** The platform failed and did not say whether it took the call: the recipients' outcome is unknown. */
	outcomeUnknown?: boolean;
};

const CHECK_KEY = 'Check the AccessKey ID and AccessKey Secret in the credential (Alibaba Cloud console, AccessKey management).';

/** Codes by class: credential, throttled, about the message, about the account, outcome unknown. */
export const ERRORS: Record<string, AliyunErrorEntry> = {
	// Credential, signing and permission
	SignatureDoesNotMatch: { en: 'The signature does not match: the AccessKey Secret is wrong', hint: CHECK_KEY, credential: true },
	'InvalidAccessKeyId.NotFound': { en: 'Alibaba Cloud does not know this AccessKey ID', hint: CHECK_KEY, credential: true },
	'InvalidAccessKeyId.Inactive': { en: 'This AccessKey is disabled', hint: 'Enable the AccessKey in the Alibaba Cloud console, or use another one.', credential: true },
	InvalidAccessKeyId: { en: 'The AccessKey ID is not valid', hint: CHECK_KEY, credential: true },
	'InvalidTimeStamp.Expired': {
		en: "The request's time is more than 15 minutes off Alibaba Cloud's",
		hint: "Set this n8n host's clock right (NTP): the signature covers the time.",
		credential: true,
	},
	SignatureNonceUsed: { en: "The request's nonce was used before", hint: 'Run the node again: every request gets a new nonce.', credential: true },
	'isp.RAM_PERMISSION_DENY': {
		en: 'This AccessKey (a RAM user) has no permission for SMS',
		hint: 'Grant the RAM user the AliyunDysmsFullAccess policy (or a policy with dysms:SendSms and dysms:QuerySendDetails).',
		credential: true,
	},
	'isv.ACCOUNT_NOT_EXISTS': { en: 'The account does not exist', hint: CHECK_KEY, credential: true },
	// Throttled: nothing was sent, the call is made again later
	'Throttling.User': { en: 'Too many requests for this account (Alibaba Cloud API rate limit)', hint: 'Lower the Max Concurrent Calls option.', throttled: true },
	// About one message or number
	'isv.BUSINESS_LIMIT_CONTROL': {
		en: 'This number got as many messages as Alibaba Cloud allows for now (per-number limit)',
		hint: 'Verification codes with one signature reach a number at most once a minute, 5 times an hour and 10 times a day: try this number again later.',
		aboutMessage: true,
	},
	'isv.MOBILE_NUMBER_ILLEGAL': { en: 'A phone number is not valid', aboutMessage: true },
	'isv.MOBILE_COUNT_OVER_LIMIT': { en: 'Too many phone numbers in one call', aboutMessage: true },
	'isv.TEMPLATE_MISSING_PARAMETERS': {
		en: 'A template variable has no value',
		hint: 'Add a Template Parameter for every ${variable} of the template.',
		aboutMessage: true,
	},
	'isv.TEMPLATE_PARAMS_ILLEGAL': { en: "A template parameter does not match its variable's type", aboutMessage: true },
	'isv.INVALID_JSON_PARAM': { en: 'The template parameters are not valid JSON', aboutMessage: true },
	'isv.INVALID_PARAMETERS': { en: 'A parameter is not valid', aboutMessage: true },
	'isv.PARAM_LENGTH_LIMIT': { en: 'A template parameter is too long', aboutMessage: true },
	'isv.PARAM_NOT_SUPPORT_URL': { en: 'A template parameter may not hold a URL', aboutMessage: true },
	'isv.BLACK_KEY_CONTROL_LIMIT': { en: 'The message holds a blocked keyword', aboutMessage: true },
	'isv.SMS_CONTENT_ILLEGAL': { en: 'The message holds forbidden content', aboutMessage: true },
	'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': { en: 'An international template cannot be sent to a mainland number', aboutMessage: true },
	'isv.EXTEND_CODE_ERROR': { en: 'One extension code is used for several signatures', aboutMessage: true },
	// About the account or its configuration
	'isv.DAY_LIMIT_CONTROL': { en: "The account's daily sending limit is reached", hint: 'Raise the limit in the SMS console (国内消息 > 通用设置) or try again tomorrow.' },
	'isv.MONTH_LIMIT_CONTROL': { en: "The account's monthly sending limit is reached", hint: 'Raise the limit in the SMS console.' },
	'isv.SMS_SIGNATURE_ILLEGAL': {
		en: 'The signature is not found under this account, not approved, or garbled',
		hint: 'Check the Sign Name: exactly as approved in the SMS console, without 【】.',
	},
	'isv.SMS_SIGN_ILLEGAL': { en: 'The signature is banned' },
	'isv.SIGN_STATE_ILLEGAL': { en: 'The signature is not available' },
	'isv.SMS_SIGNATURE_SCENE_ILLEGAL': { en: "The signature's type does not fit the template" },
	'isv.SMS_TEMPLATE_ILLEGAL': {
		en: 'The template is wrong, not approved, or of another account',
		hint: 'Check the Template Code (SMS_…) in the SMS console.',
	},
	'isv.SMS_TEST_NUMBER_LIMIT': { en: 'A test template can only go to the bound test numbers' },
	'isv.AMOUNT_NOT_ENOUGH': { en: 'The account balance is too low', hint: 'Top up the Alibaba Cloud account or buy an SMS package.' },
	'isv.OUT_OF_SERVICE': { en: 'The service is stopped (balance too low)', hint: 'Top up the Alibaba Cloud account.' },
	'isv.PRODUCT_UN_SUBSCRIPT': { en: 'SMS is not activated on this account', hint: 'Activate Short Message Service in the Alibaba Cloud console.' },
	'isv.PRODUCT_UNSUBSCRIBE': { en: 'SMS is not activated on this account', hint: 'Activate Short Message Service in the Alibaba Cloud console.' },
	'isv.ACCOUNT_ABNORMAL': { en: 'The account is flagged as abnormal', hint: 'Contact Alibaba Cloud support.' },
	'isv.DENY_IP_RANGE': { en: 'Mainland SMS cannot be sent from an IP address outside the mainland', hint: 'Send from an n8n host in mainland China, or use the international endpoint and templates.' },
	PORT_NOT_REGISTERED: { en: "The sending port's real-name filing is not finished", hint: 'Finish the filing in the SMS console.' },
	// The platform failed: the call may have been taken
	'isp.SYSTEM_ERROR': {
		en: 'Alibaba Cloud had a system error',
		hint: 'Look the numbers up with Get Send Details (or the SMS console) before sending again: SendSms is not idempotent.',
		outcomeUnknown: true,
	},
};

/** A code the table does not hold, by its family (docs/vendors/aliyun.md#unlisted-codes). */
export function explainCode(code: string, statusCode: number): AliyunErrorEntry | undefined {
	if (ERRORS[code]) return ERRORS[code];
	if (/^Throttling/.test(code)) return { en: 'Too many requests (Alibaba Cloud rate limit)', hint: 'Lower the Max Concurrent Calls option.', throttled: true };
	if (/^InvalidAccessKeyId/.test(code)) return ERRORS.InvalidAccessKeyId;
	if (/^isp\./.test(code) || statusCode >= 500) {
		return { en: 'Alibaba Cloud failed', hint: ERRORS['isp.SYSTEM_ERROR'].hint, outcomeUnknown: true };
	}
	return undefined;
}

/**
 * Refusals come both as HTTP 200 with `Code` other than `OK` (the `isv.*` codes) and as HTTP 4xx
 * bodies with `Code` (SignatureDoesNotMatch is HTTP 400): the body is read in both cases. A 5xx, an
 * `isp.*` code or a body without `Code` leaves the outcome unknown (`unreadable`, in the transport's
 * words): SendSms is not idempotent, so nothing is sent again.
 */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const body = response.body as IDataObject | string;
	if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.Code === 'string') {
		const code = textOf(body.Code);
		if (code === 'OK' && response.statusCode >= 200 && response.statusCode < 300) return undefined;
		const entry = explainCode(code, response.statusCode);
		const failure = refusal(DISPLAY_NAME, code, entry, textOf(body.Message));
		return entry?.outcomeUnknown ? { ...failure, unreadable: true } : failure;
	}
	if (response.statusCode >= 500) return undefined;
	return notTheApi(DISPLAY_NAME, response, 'Check the endpoint (base URL) in the credential.');
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: DISPLAY_NAME,
	credentialType: 'aliyunSmsApi',
	findFailure,
};

/** The headers of every call: which action, which version. */
function actionHeaders(action: string): IDataObject {
	return { 'x-acs-action': action, 'x-acs-version': API_VERSION };
}

// ---------------------------------------------------------------------------------------------------
// Send, docs/vendors/aliyun.md#calls

export interface SendItem {
	itemIndex: number;
	phones: string[];
	signName: string;
	templateCode: string;
	/** The template parameters as sent: a JSON object of string values ('' when there are none). */
	templateParam: string;
}

/**
 * Mainland mobiles as 11 digits (a +86/86/0086 prefix removed); numbers abroad written with `+` or
 * `00`, sent as country code + number, as Alibaba's samples write them (docs/vendors/aliyun.md#number-format).
 */
export function parsePhones(value: unknown, itemIndex: number): string[] {
	const tokens = splitPhones(value);
	if (tokens.length === 0) {
		throw new InputError(
			`Phones is empty on item ${itemIndex}`,
			'Give one or more mobile numbers, separated by commas, semicolons, spaces or new lines. Nothing was sent.',
		);
	}
	const phones: string[] = [];
	for (const token of tokens) {
		const mainland = normalizeMainlandMobile(token);
		const cleaned = token.replace(/[-()（） ]/g, '');
		const abroad = mainland === undefined && /^(?:\+|00)/.test(cleaned) ? normalizeInternational(cleaned) : undefined;
		const phone = mainland ?? abroad;
		if (phone === undefined) {
			throw new InputError(
				`Phone ${token} on item ${itemIndex} is not a mainland mobile number (11 digits starting with 1) or a number abroad with its country code (+852…, 00852…)`,
				'A +86, 86 or 0086 prefix is removed from mainland numbers. Write numbers abroad with + or 00 and their country code. Nothing was sent.',
			);
		}
		if (!phones.includes(phone)) phones.push(phone);
	}
	return phones;
}

/** The `templateParams` entries of one item as the JSON Aliyun takes: every value a string. */
export function readTemplateParams(collection: unknown, itemIndex: number): string {
	const entries = (collection as IDataObject | undefined)?.parameters;
	if (entries === undefined || entries === null) return '';
	if (!Array.isArray(entries)) throw new InputError(`Template Parameters on item ${itemIndex} must be a list of name/value pairs`);
	const params: Record<string, string> = {};
	for (const [position, entry] of entries.entries()) {
		const { name, value } = (entry ?? {}) as IDataObject;
		const key = textOf(name);
		if (key === '') throw new InputError(`Template parameter ${position + 1} on item ${itemIndex} has no name`);
		if (Object.prototype.hasOwnProperty.call(params, key)) throw new InputError(`Template parameter ${key} is given twice on item ${itemIndex}`);
		if (value !== null && typeof value === 'object') {
			throw new InputError(`Template parameter ${key} on item ${itemIndex} is not text`, 'Give a text or a number; it is sent as text. Nothing was sent.');
		}
		// A number would be refused (isv.INVALID_JSON_PARAM): values travel as strings (docs/vendors/aliyun.md#string-values).
		params[key] = value === undefined || value === null ? '' : String(value);
	}
	return Object.keys(params).length === 0 ? '' : JSON.stringify(params);
}

/** An approved template's code, as the console shows it (`SMS_123456789`). */
export const TEMPLATE_CODE_PATTERN = /^[A-Za-z0-9_]{1,64}$/;

export function readItem(parameters: ItemParameters): SendItem {
	const { itemIndex } = parameters;
	const signName = parameters.text('signName');
	if (signName === '') throw new InputError(`Sign Name is empty on item ${itemIndex}`, 'Give the signature exactly as approved in the SMS console, without 【】. Nothing was sent.');
	const templateCode = parameters.text('templateCode');
	if (templateCode === '') throw new InputError(`Template Code is empty on item ${itemIndex}`);
	if (!TEMPLATE_CODE_PATTERN.test(templateCode)) {
		throw new InputError(`Template Code ${templateCode} on item ${itemIndex} is not allowed: Aliyun template codes look like SMS_123456789`);
	}
	const templateParam = readTemplateParams(parameters.get('templateParams', {}), itemIndex);
	return { itemIndex, phones: parsePhones(parameters.get('phones'), itemIndex), signName, templateCode, templateParam };
}

type Recipient = { itemIndex: number; phone: string; item: SendItem };

function sendSmsCall(recipients: Recipient[]): PlannedCall {
	const { signName, templateCode, templateParam } = recipients[0].item;
	return {
		request: {
			method: 'POST',
			path: PATH,
			headers: actionHeaders(ACTIONS.sendSms),
			qs: {
				PhoneNumbers: recipients.map((recipient) => recipient.phone).join(','),
				SignName: signName,
				TemplateCode: templateCode,
				...(templateParam === '' ? {} : { TemplateParam: templateParam }),
			},
		},
		recipients: recipients.map(({ itemIndex, phone }) => ({ itemIndex, phone })),
	};
}

function sendBatchCall(recipients: Recipient[]): PlannedCall {
	const { templateCode } = recipients[0].item;
	const form: IDataObject = {
		PhoneNumberJson: JSON.stringify(recipients.map((recipient) => recipient.phone)),
		SignNameJson: JSON.stringify(recipients.map((recipient) => recipient.item.signName)),
	};
	// TemplateParamJson holds one object per number, or is left out when no item has parameters.
	if (recipients.some((recipient) => recipient.item.templateParam !== '')) {
		form.TemplateParamJson = `[${recipients.map((recipient) => recipient.item.templateParam || '{}').join(',')}]`;
	}
	return {
		request: { method: 'POST', path: PATH, headers: actionHeaders(ACTIONS.sendBatchSms), qs: { TemplateCode: templateCode }, form },
		recipients: recipients.map(({ itemIndex, phone }) => ({ itemIndex, phone })),
	};
}

/**
 * Numbers that share a signature, template and parameters (of one item or of several) share SendSms
 * calls of up to 1,000 numbers; a number with values of its own (an item with its own code) travels
 * in SendBatchSms calls of up to 100 numbers, one template a call (docs/vendors/aliyun.md#which-call).
 * A number is never twice in one call: a repeat goes to a later one.
 */
export function planSend(items: SendItem[]): PlannedCall[] {
	const calls: PlannedCall[] = [];
	const pooled: Recipient[] = [];
	const groups = groupBy(items, (item) => JSON.stringify([item.signName, item.templateCode, item.templateParam]));
	for (const group of groups) {
		const recipients = group.flatMap((item) => item.phones.map((phone) => ({ itemIndex: item.itemIndex, phone, item })));
		if (recipients.length > 1) {
			for (const slice of distinctSlices(recipients, MAX_PHONES_PER_SEND_SMS)) calls.push(sendSmsCall(slice));
		} else pooled.push(...recipients);
	}
	for (const byTemplate of groupBy(pooled, (recipient) => recipient.item.templateCode)) {
		for (const slice of distinctSlices(byTemplate, MAX_PHONES_PER_BATCH)) {
			calls.push(slice.length === 1 ? sendSmsCall(slice) : sendBatchCall(slice));
		}
	}
	return calls;
}

/**
 * `Code: OK` means Aliyun took the call, not that it was delivered. One BizId covers every number of
 * the call: it is what reports carry back (`biz_id`), so with the phone it ties a report to its send.
 */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const body = response.body as IDataObject;
	const bizId = textOf(body.BizId);
	return call.recipients.map((recipient) => ({
		phone: recipient.phone,
		accepted: true,
		messageId: bizId || undefined,
		status: textOf(body.Code),
	}));
}

/** Send SMS: SendSms for shared values, SendBatchSms for an item's own values. */
export const SEND: SendAdapter<SendItem> = { readItem, plan: planSend, readAnswer };

// ---------------------------------------------------------------------------------------------------
// QuerySendDetails, docs/vendors/aliyun.md#send-details

/** `SendStatus`: 1 awaiting the receipt, 2 failed, 3 delivered. */
export const SEND_STATUS: Record<string, string> = {
	'1': 'Awaiting the carrier receipt',
	'2': 'Not delivered',
	'3': 'Delivered',
};

/** The user's `yyyy-MM-dd` (today in China when empty) as QuerySendDetails' `yyyyMMdd`, within the last 30 days. */
export function sendDateOf(text: string, itemIndex: number, today: string): string {
	const day = text === '' ? today : text;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(day);
	const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
	if (!match || !date || date.getUTCDate() !== Number(match[3])) {
		throw new InputError(`Send Date ${day} on item ${itemIndex} is not a date; give yyyy-MM-dd, such as ${today}`);
	}
	const age = (Date.parse(`${today}T00:00:00Z`) - date.getTime()) / 86_400_000;
	if (age < 0 || age >= QUERY_DAYS) {
		throw new InputError(`Send Date ${day} on item ${itemIndex} is outside the last ${QUERY_DAYS} days, which is all Aliyun keeps (today in China is ${today})`);
	}
	return `${match[1]}${match[2]}${match[3]}`;
}

/** One QuerySendDetails record in the trigger's item shape. */
export function detailToItem(record: IDataObject): PushItem {
	const sendStatus = textOf(record.SendStatus);
	const errCode = textOf(record.ErrCode);
	const phone = textOf(record.PhoneNum);
	const outId = textOf(record.OutId);
	return {
		vendor: VENDOR,
		event: 'delivery',
		phone: normalizeMainlandMobile(phone) ?? phone,
		// The records carry no BizId (docs/vendors/aliyun.md#send-details).
		messageId: '',
		// Delivered is SendStatus 3: ErrCode is DELIVERED in some answers, DELIVRD in older ones.
		delivered: sendStatus === '3',
		...(sendStatus === '1' && { pending: true }),
		status: errCode || sendStatus,
		statusText: sendStatus === '2' && errCode ? `Not delivered (carrier code ${errCode})` : (SEND_STATUS[sendStatus] ?? `Unknown send status ${sendStatus || 'empty'}`),
		receivedAt: chinaTimeToIso(textOf(record.ReceiveDate)) ?? null,
		sentAt: chinaTimeToIso(textOf(record.SendDate)) ?? null,
		templateCode: textOf(record.TemplateCode),
		content: textOf(record.Content),
		...(outId && { outId }),
		raw: record,
	};
}

/** The records of one answer page, however the JSON nests them. */
export function detailRecords(body: IDataObject): IDataObject[] {
	const dtos = body.SmsSendDetailDTOs as IDataObject | IDataObject[] | undefined;
	const list = Array.isArray(dtos) ? dtos : (dtos?.SmsSendDetailDTO as IDataObject[] | IDataObject | undefined);
	if (list === undefined || list === null) return [];
	return Array.isArray(list) ? list : [list];
}

export interface DetailsQuery {
	phone: string;
	/** yyyyMMdd */
	sendDate: string;
	/** The BizId to narrow to, or ''. */
	bizId: string;
}

/** Reads the phone, send date (yyyy-MM-dd; today in China when empty) and optional BizId of one item. */
export function readDetailsQuery(parameters: ItemParameters, today: string): DetailsQuery {
	const { itemIndex } = parameters;
	const phones = parsePhones(parameters.get('phone'), itemIndex);
	if (phones.length > 1) throw new InputError(`Phone on item ${itemIndex} holds ${phones.length} numbers; Get Send Details looks up one number at a time`);
	// An item's messageId may list several BizIds (a send of several calls): Aliyun takes one.
	const bizId = parameters.text('messageId');
	if (/[,\s]/.test(bizId)) throw new InputError(`Message ID on item ${itemIndex} holds several IDs; give one BizId, or none for the whole day`);
	return { phone: phones[0], sendDate: sendDateOf(parameters.text('sendDate'), itemIndex, today), bizId };
}

/** A QuerySendDetails call for one page. */
export function detailsRequest(query: DetailsQuery, page: number): VendorRequest {
	return {
		method: 'POST',
		path: PATH,
		headers: actionHeaders(ACTIONS.querySendDetails),
		qs: {
			PhoneNumber: query.phone,
			SendDate: query.sendDate,
			PageSize: String(PAGE_SIZE),
			CurrentPage: String(page),
			// BizId is opaque and holds `^` (375420194646745909^0): kept as text, percent-encoded when signed.
			...(query.bizId === '' ? {} : { BizId: query.bizId }),
		},
	};
}

/**
 * The page after this answer, or undefined after the last one: a short page, or TotalCount reached
 * (a string in the answer), or MAX_PAGES as a guard against an answer that never ends.
 */
export function nextDetailsPage(request: VendorRequest, body: unknown): VendorRequest | undefined {
	const page = Number(request.qs?.CurrentPage ?? 1);
	const records = detailRecords(body as IDataObject);
	const total = Number(textOf((body as IDataObject)?.TotalCount));
	if (records.length < PAGE_SIZE || !Number.isFinite(total) || page * PAGE_SIZE >= total || page >= MAX_PAGES) return undefined;
	return { ...request, qs: { ...request.qs, CurrentPage: String(page + 1) } };
}

/**
 * Get Send Details (QuerySendDetails): every page, one item per record in the trigger's item shape
 * (docs/vendors/aliyun.md#send-details). Records carry no BizId: messageId is left empty.
 */
export const SEND_DETAILS: PullOperation = {
	request: (parameters, now) => detailsRequest(readDetailsQuery(parameters, chinaDate(now)), 1),
	read: (body) => detailRecords(body as IDataObject).map((record) => detailToItem(record)),
	nextPage: nextDetailsPage,
};

// ---------------------------------------------------------------------------------------------------
// Pushes, docs/vendors/aliyun.md#pushes

function isReply(record: IDataObject): boolean {
	return record.content !== undefined || record.dest_code !== undefined || record.sequence_id !== undefined;
}

function isReport(record: IDataObject): boolean {
	return record.success !== undefined || record.err_code !== undefined || record.report_time !== undefined || record.biz_id !== undefined;
}

/** `success` is a boolean in the documentation; a proxy may have turned it into text. */
function truthy(value: unknown): boolean {
	return value === true || value === 'true' || value === 1 || value === '1';
}

/**
 * HTTP batch pushes: a JSON array of SmsReport items (`phone_number, send_time, report_time, success,
 * err_code, err_msg, sms_size, biz_id, out_id`) or of SmsUp items (`phone_number, content, send_time,
 * dest_code, sequence_id, sign_name`), told apart by their fields, one PushItem each. Times are China
 * time. Delivered is `success: true`, not the spelling of err_code.
 */
export function parsePush(data: IDataObject | IDataObject[], format: PushFormat): PushItem[] {
	if (format !== 'json') throw new PushError('Alibaba Cloud pushes a JSON array of SmsReport or SmsUp items');
	const records = Array.isArray(data) ? data : [data];
	return records.map((record, position) => {
		if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new PushError(`item ${position + 1} of the push is not an object`);
		const number = textOf(record.phone_number);
		if (!number) throw new PushError(`item ${position + 1} of the push has no phone_number`);
		const phone = normalizeMainlandMobile(number) ?? number;
		if (isReply(record)) {
			const sequenceId = textOf(record.sequence_id);
			return {
				vendor: VENDOR,
				event: 'reply',
				phone,
				// A reply's own id: a repeated push of the same reply has the same one.
				messageId: sequenceId,
				content: String(record.content ?? ''),
				receivedAt: chinaTimeToIso(textOf(record.send_time)) ?? null,
				...(record.sign_name !== undefined && { signName: textOf(record.sign_name) }),
				destCode: textOf(record.dest_code),
				raw: record,
			};
		}
		if (isReport(record)) {
			const delivered = truthy(record.success);
			const errCode = textOf(record.err_code);
			const errMsg = textOf(record.err_msg);
			const parts = Number(textOf(record.sms_size));
			const outId = textOf(record.out_id);
			return {
				vendor: VENDOR,
				event: 'delivery',
				phone,
				messageId: textOf(record.biz_id),
				delivered,
				status: errCode,
				statusText: delivered ? 'Delivered' : `Not delivered (${[errCode, errMsg].filter(Boolean).join(': ') || 'no reason given'})`,
				receivedAt: chinaTimeToIso(textOf(record.report_time)) ?? null,
				sentAt: chinaTimeToIso(textOf(record.send_time)) ?? null,
				...(Number.isInteger(parts) && parts > 0 && { segments: parts }),
				...(outId && { outId }),
				raw: record,
			};
		}
		throw new PushError(`item ${position + 1} of the push is neither a SmsReport (success, err_code, biz_id) nor a SmsUp (content, sequence_id)`);
	});
}

/** The operations that pull records, by the node's `operation` value. */
export const PULLS: Record<string, PullOperation> = { getSendDetails: SEND_DETAILS };

export const ADAPTER: VendorAdapter = { api: API, sends: { send: SEND }, pulls: PULLS, parsePush };
