/**
 * Tencent Cloud SMS (API 3.0, version 2021-01-11), sms.tencentcloudapi.com: everything that is particular
 * to this vendor, as pure functions in the shape of every vendor module (nodes/shared/adapter.ts), the
 * TC3-HMAC-SHA256 signer included (Node's crypto only; the credential calls it with the current time).
 * What the package reads of Tencent's documentation, and why: docs/vendors/tencent-cloud.md.
 */
import { createHash, createHmac } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	InputError,
	PlanError,
	PushError,
	groupBy,
	notTheApi,
	refusal,
	textOf,
	type BalanceOperation,
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
import { parseInternationalPhones } from '../shared/phones';
import { chinaTimeToIso } from '../shared/time';

export const VENDOR = 'tencentCloudSms';
export const DISPLAY_NAME = 'Tencent Cloud SMS';
export const CREDENTIAL_TYPE = 'tencentCloudSmsApi';

/** Pinned: the 2019-07-11 version names its fields differently (docs/vendors/tencent-cloud.md#api-version). */
export const API_VERSION = '2021-01-11';
/** The signature's service: the first label of sms.tencentcloudapi.com, whatever host a proxy has (docs/vendors/tencent-cloud.md#service-name). */
export const SERVICE = 'sms';
/** Sent and signed byte for byte (docs/vendors/tencent-cloud.md#content-type). */
export const CONTENT_TYPE = 'application/json';
/** Every call is a POST to the root; the action is a header. */
export const PATH = '/';

export const ACTIONS = {
	send: 'SendSms',
	getBalance: 'SmsPackagesStatistics',
	getStatusReports: 'PullSmsSendStatus',
	getReplies: 'PullSmsReplyStatus',
} as const;

/** SendSms: "单次请求最多支持200个手机号" (LimitExceeded.PhoneNumberCountLimit past that). */
export const MAX_PHONES_PER_CALL = 200;
/** PullSmsSendStatus / PullSmsReplyStatus: Limit at most 100. */
export const MAX_PULL_LIMIT = 100;
/** SmsPackagesStatistics: Limit at most 500. */
export const MAX_PACKAGES_PER_PAGE = 500;
/** SessionContext: "长度不超过512字节". */
export const MAX_SESSION_CONTEXT_BYTES = 512;

/** A template ID is the console's number. */
export const TEMPLATE_ID_PATTERN = /^\d{1,20}$/;

// ---------------------------------------------------------------------------------------------------
// Signing (docs/vendors/tencent-cloud.md#authentication)
// ---------------------------------------------------------------------------------------------------

export interface SignInput {
	secretId: string;
	secretKey: string;
	/** Unix seconds: X-TC-Timestamp, and the UTC date of the credential scope. */
	timestamp: number;
	/** The Host the request goes to, without a port (the official SDK signs the URL's hostname). */
	host: string;
	/** The Content-Type header exactly as it is sent. */
	contentType: string;
	/** The exact body bytes. */
	body: string | Buffer;
	method?: string;
	path?: string;
	query?: string;
	service?: string;
}

export interface Signature {
	authorization: string;
	signature: string;
	date: string;
	canonicalRequest: string;
	stringToSign: string;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The UTC date of a Unix time, as the scope wants it: China's date breaks requests made between 00:00 and 08:00. */
export function utcDate(timestamp: number): string {
	return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * TC3-HMAC-SHA256 over the headers `content-type;host`, as Tencent's signature v3 document, its SMS demo
 * and the official SDKs have it. Pure: the time is an input.
 */
export function tc3Sign(input: SignInput): Signature {
	const service = input.service ?? SERVICE;
	const date = utcDate(input.timestamp);
	const canonicalHeaders = `content-type:${input.contentType.trim().toLowerCase()}\nhost:${input.host.trim().toLowerCase()}\n`;
	const signedHeaders = 'content-type;host';
	const canonicalRequest = [
		(input.method ?? 'POST').toUpperCase(),
		input.path ?? '/',
		input.query ?? '',
		canonicalHeaders,
		signedHeaders,
		sha256Hex(input.body),
	].join('\n');
	const scope = `${date}/${service}/tc3_request`;
	const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
	const kDate = hmac(`TC3${input.secretKey}`, date);
	const kService = hmac(kDate, service);
	const kSigning = hmac(kService, 'tc3_request');
	const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
	return {
		authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
		signature,
		date,
		canonicalRequest,
		stringToSign,
	};
}

/** The credential's values the signer reads. */
export interface SigningCredentials {
	secretId: string;
	secretKey: string;
	sdkAppId: string;
	region: string;
}

/** The parts of an outgoing request the signer reads and may change (n8n's request options have these). */
export interface OutgoingRequest {
	url?: string;
	baseURL?: string;
	method?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
	qs?: Record<string, unknown>;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	return key === undefined || headers[key] === undefined ? undefined : String(headers[key]);
}

/**
 * Everything that makes a vendor call Tencent's, added where the secrets are (the credential's
 * authenticate, at the time of each attempt): the SMS application's id in the body, the region,
 * version, timestamp and Authorization headers. The body is returned as the exact text that was
 * signed; the Content-Type signed is the one the request carries (set to CONTENT_TYPE when absent).
 */
export function signRequest<R extends OutgoingRequest>(credentials: SigningCredentials, request: R, timestamp: number): R & { body: string; headers: Record<string, unknown> } {
	const headers: Record<string, unknown> = { ...(request.headers ?? {}) };
	let contentType = headerValue(headers, 'content-type');
	if (contentType === undefined) {
		contentType = CONTENT_TYPE;
		headers['Content-Type'] = contentType;
	}
	let json: IDataObject = {};
	if (typeof request.body === 'string' && request.body.trim() !== '') json = JSON.parse(request.body) as IDataObject;
	else if (Buffer.isBuffer(request.body)) json = JSON.parse(request.body.toString('utf8')) as IDataObject;
	else if (request.body && typeof request.body === 'object') json = { ...(request.body as IDataObject) };
	// Every SMS action names the application; the credential holds it.
	if (credentials.sdkAppId !== '' && (json.SmsSdkAppId === undefined || json.SmsSdkAppId === '')) json.SmsSdkAppId = credentials.sdkAppId;
	const body = JSON.stringify(json);

	const url = new URL(request.url ?? '/', request.baseURL || undefined);
	const query = new URLSearchParams(url.search);
	for (const [key, value] of Object.entries(request.qs ?? {})) if (value !== undefined) query.append(key, String(value));
	const timestampText = String(Math.floor(timestamp));
	const signature = tc3Sign({
		secretId: credentials.secretId,
		secretKey: credentials.secretKey,
		timestamp: Math.floor(timestamp),
		host: url.hostname,
		contentType,
		body,
		method: request.method ?? 'POST',
		path: url.pathname || '/',
		query: query.toString(),
	});
	headers['X-TC-Version'] ??= API_VERSION;
	if (credentials.region !== '') headers['X-TC-Region'] = credentials.region;
	headers['X-TC-Timestamp'] = timestampText;
	headers.Authorization = signature.authorization;
	return { ...request, headers, body };
}

// ---------------------------------------------------------------------------------------------------
// Errors (docs/vendors/tencent-cloud.md#error-codes)
// ---------------------------------------------------------------------------------------------------

export interface TencentErrorEntry extends Omit<VendorErrorEntry, 'zh'> {
	zh?: string;
	/** An internal error or a timeout at Tencent: the message may have gone out (outcome `unknown`). */
	mayHaveSent?: boolean;
}

const KEY_HINT = 'Check the SecretId and SecretKey in the credential (Tencent Cloud console, CAM > API keys).';
const CLOCK_HINT = "Tencent takes a request for 5 minutes after its timestamp: set this n8n host's clock right (NTP).";
const NUMBER_CAP_HINT = 'The per-number caps are set in the SMS console (安全设置 / frequency limits); this number can be sent to again later.';
const INTERNAL_HINT = 'Tencent failed inside and did not say whether it sent the message: check the SMS console (发送记录) before sending again.';

/** Tencent's error codes, common and SMS-specific, with English. Codes are matched whole, then by their first part. */
export const ERRORS: Record<string, TencentErrorEntry> = {
	'AuthFailure.SecretIdNotFound': { en: 'The SecretId does not exist or is disabled', hint: KEY_HINT, credential: true },
	'AuthFailure.SignatureFailure': { en: 'The signature is wrong: the SecretKey does not belong to the SecretId', hint: KEY_HINT, credential: true },
	'AuthFailure.SignatureExpire': { en: 'The signature has expired: the request time is more than 5 minutes off', hint: CLOCK_HINT, credential: true },
	'AuthFailure.InvalidSecretId': { en: 'The SecretId is not a valid API key', hint: KEY_HINT, credential: true },
	'AuthFailure.InvalidAuthorization': { en: 'The Authorization header is malformed', hint: KEY_HINT, credential: true },
	'AuthFailure.TokenFailure': { en: 'The temporary credential token is wrong', hint: KEY_HINT, credential: true },
	'AuthFailure.MFAFailure': { en: 'Multi-factor authentication failed', hint: KEY_HINT, credential: true },
	'AuthFailure.UnauthorizedOperation': {
		en: 'The key is not allowed to do this (CAM permission)',
		hint: 'Grant the key’s user the SMS permissions (QcloudSMSFullAccess) in the CAM console.',
		credential: true,
	},
	AuthFailure: { en: 'Authentication failed', hint: KEY_HINT, credential: true },
	RequestLimitExceeded: { en: 'Too many requests; try again later', hint: 'Lower the Max Concurrent Calls option.', throttled: true },
	IpInBlacklist: { en: "This n8n host's IP address is on the key's blacklist", credential: true },
	IpNotInWhitelist: { en: "This n8n host's IP address is not on the key's whitelist", hint: "Add this n8n host's public IP address to the key's IP whitelist.", credential: true },
	InvalidAction: { en: 'Tencent does not know this action', hint: 'Check the base URL: it must be an SMS endpoint such as https://sms.tencentcloudapi.com.' },
	NoSuchVersion: { en: 'Tencent does not know this API version' },
	'InvalidParameterValue.SdkAppIdNotExist': {
		en: 'The SMS application (SdkAppId) does not exist',
		hint: 'Check the SDK App ID in the credential: SMS console, Application Management (应用管理) > Application List (应用列表).',
		credential: true,
	},
	'UnauthorizedOperation.SmsSdkAppIdVerifyFail': {
		en: "The SMS application (SdkAppId) does not belong to this key's account",
		hint: 'Check the SDK App ID in the credential, and that the key belongs to the same Tencent Cloud account.',
		credential: true,
	},
	'InvalidParameter.AppidAndBizId': { en: 'The account and the SMS application do not match', hint: 'Check the SDK App ID in the credential.', credential: true },
	'UnauthorizedOperation.RequestIpNotInWhitelist': {
		en: "This n8n host's IP address is not on the SMS application's whitelist",
		hint: "Add this n8n host's public IP address in the SMS console.",
		credential: true,
	},
	'UnauthorizedOperation.RequestPermissionDeny': { en: 'The request is not permitted', credential: true },
	'UnauthorizedOperation.SdkAppIdIsDisabled': { en: 'The SMS application is disabled', hint: 'Enable it in the SMS console.', credential: true },
	'UnauthorizedOperation.SerivceSuspendDueToArrears': { en: 'The SMS service is suspended: the account is in arrears', hint: 'Top up the Tencent Cloud account.', credential: true },
	'UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny': {
		en: 'Individual accounts may not send marketing SMS',
		hint: 'Use a notification template, or verify the account as a company.',
	},
	'FailedOperation.InsufficientBalanceInSmsPackage': {
		en: 'The SMS packages are used up',
		hint: 'Buy an SMS package in the SMS console (套餐包管理).',
	},
	'LimitExceeded.PhoneNumberThirtySecondLimit': { en: 'This number was sent to within the last 30 seconds', hint: NUMBER_CAP_HINT, aboutMessage: true },
	'LimitExceeded.PhoneNumberOneHourLimit': { en: 'This number reached its hourly cap', hint: NUMBER_CAP_HINT, aboutMessage: true },
	'LimitExceeded.PhoneNumberDailyLimit': { en: 'This number reached its daily cap', hint: NUMBER_CAP_HINT, aboutMessage: true },
	'LimitExceeded.PhoneNumberSameContentDailyLimit': { en: 'This number got the same content as often as allowed today', hint: NUMBER_CAP_HINT, aboutMessage: true },
	'LimitExceeded.DeliveryFrequencyLimit': { en: 'This number hit a sending-frequency rule', hint: NUMBER_CAP_HINT, aboutMessage: true },
	'LimitExceeded.AppDailyLimit': { en: "The SMS application's daily cap is reached", hint: 'Raise the application’s daily cap in the SMS console, or send tomorrow.' },
	'LimitExceeded.DailyLimit': { en: 'The daily cap for international SMS is reached', hint: 'Raise it in the SMS console, or send tomorrow.' },
	'LimitExceeded.PhoneNumberCountLimit': { en: 'More than 200 numbers in one call' },
	'FailedOperation.SignatureIncorrectOrUnapproved': {
		en: 'The signature (SignName) is not approved or has a wrong format',
		hint: 'Give the approved signature text exactly as the SMS console shows it (not its ID).',
		aboutMessage: true,
	},
	'FailedOperation.TemplateIncorrectOrUnapproved': {
		en: 'The template is not approved, or the message does not match it',
		hint: 'Check the Template ID, and that numbers outside the mainland get an international template.',
		aboutMessage: true,
	},
	'FailedOperation.ContainSensitiveWord': { en: 'The message contains sensitive words', aboutMessage: true },
	'InvalidParameter.DirtyWordFound': { en: 'The message contains sensitive words', aboutMessage: true },
	'FailedOperation.PhoneNumberInBlacklist': { en: 'The number is on the unsubscribe or do-not-disturb list', aboutMessage: true },
	'FailedOperation.PhoneNumberOnBlacklist': { en: 'The number is on the unsubscribe or do-not-disturb list', aboutMessage: true },
	'FailedOperation.MarketingSendTimeConstraint': { en: 'Marketing SMS may be sent only from 08:00 to 22:00 (China time)', aboutMessage: true },
	'FailedOperation.FailResolvePacket': { en: 'Tencent could not read the request body' },
	'FailedOperation.JsonParseFail': { en: 'Tencent could not read the request body' },
	'InternalError.JsonParseFail': { en: 'Tencent could not read the request body' },
	'InvalidParameterValue.IncorrectPhoneNumber': { en: 'The phone number has a wrong format', aboutMessage: true },
	'InvalidParameterValue.ContentLengthLimit': { en: 'The message is too long', aboutMessage: true },
	'InvalidParameterValue.TemplateParameterFormatError': {
		en: 'A template value has a wrong format (a verification code is 0 to 6 digits)',
		aboutMessage: true,
	},
	'InvalidParameterValue.TemplateParameterLengthLimit': { en: 'A template value is longer than 12 characters (individual accounts)', aboutMessage: true },
	'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter': { en: 'A template value may not contain a URL', aboutMessage: true },
	'MissingParameter.EmptyPhoneNumberSet': { en: 'The call named no phone number' },
	'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber': { en: 'Mainland and international numbers were mixed in one call' },
	'UnsupportedOperation.UnsuportedRegion': { en: "Tencent does not send to this number's country or region", aboutMessage: true },
	'InternalError.RequestTimeException': { en: "This n8n host's clock is more than 10 minutes off", hint: CLOCK_HINT, credential: true },
	'InternalError.Timeout': { en: 'Tencent timed out inside', hint: INTERNAL_HINT, mayHaveSent: true },
	'InternalError.SendAndRecvFail': { en: 'Tencent failed to pass the request on inside', hint: INTERNAL_HINT, mayHaveSent: true },
	'InternalError.OtherError': { en: 'Tencent failed inside', hint: INTERNAL_HINT, mayHaveSent: true },
	'InternalError.UnknownError': { en: 'Tencent failed inside for an unknown reason', hint: INTERNAL_HINT, mayHaveSent: true },
	InternalError: { en: 'Tencent failed inside', hint: INTERNAL_HINT, mayHaveSent: true },
	'FailedOperation.OtherError': { en: 'Tencent refused the message for another reason', aboutMessage: true },
	'FailedOperation.ParametersOtherError': { en: 'A parameter is wrong' },
	InvalidParameter: { en: 'A parameter is wrong' },
	InvalidParameterValue: { en: 'A parameter value is wrong' },
	MissingParameter: { en: 'A parameter is missing' },
	UnsupportedOperation: { en: 'The operation is not supported' },
	UnauthorizedOperation: { en: 'The operation is not allowed', credential: true },
	LimitExceeded: { en: 'A sending limit is reached' },
};

/** The table's entry for a code: the code itself, else its first part (`RequestLimitExceeded.IPLimitExceeded` → `RequestLimitExceeded`). */
export function errorEntry(code: string): TencentErrorEntry | undefined {
	return ERRORS[code] ?? ERRORS[code.split('.')[0]];
}

/** A code and message of Tencent's in the package's words. */
export function tencentFailure(code: string, message: string): VendorFailure {
	const entry = errorEntry(code);
	return { ...refusal(DISPLAY_NAME, code, entry, message), ...(entry?.mayHaveSent && { unreadable: true }) };
}

function responseOf(body: unknown): IDataObject | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const response = (body as IDataObject).Response;
	return response && typeof response === 'object' && !Array.isArray(response) ? (response as IDataObject) : undefined;
}

/**
 * Every answer is `{"Response": {…, "RequestId"}}`, HTTP 200 on API errors too; a whole-call error is
 * `Response.Error {Code, Message}` (docs/vendors/tencent-cloud.md#two-kinds-of-error). Per-number codes
 * are read by the send's readAnswer. An internal error or timeout is marked unreadable: whether the
 * message went out is unknown.
 */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const inner = responseOf(response.body);
	if (!inner) return notTheApi(DISPLAY_NAME, response);
	const error = inner.Error;
	if (error && typeof error === 'object' && !Array.isArray(error)) {
		const { Code, Message } = error as IDataObject;
		return tencentFailure(textOf(Code) || 'UnknownError', textOf(Message));
	}
	return undefined;
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: DISPLAY_NAME,
	credentialType: CREDENTIAL_TYPE,
	findFailure,
};

/** A vendor call of an action: the credential adds the application id, the region and the signature. */
export function actionRequest(action: string, json: IDataObject): VendorRequest {
	return { method: 'POST', path: PATH, headers: { 'X-TC-Action': action, 'X-TC-Version': API_VERSION }, json };
}

// ---------------------------------------------------------------------------------------------------
// SendSms (docs/vendors/tencent-cloud.md#calls)
// ---------------------------------------------------------------------------------------------------

export interface SendItem {
	itemIndex: number;
	/** Country code + number, digits only (8613800138000). */
	phones: string[];
	signName: string;
	templateId: string;
	templateParams: string[];
	senderId: string;
	extendCode: string;
	sessionContext: string;
}

/** Mainland numbers (+86) never share a call with others: Tencent refuses the mix (docs/vendors/tencent-cloud.md#mainland-and-international). */
export function isMainland(digits: string): boolean {
	return digits.startsWith('86');
}

/** E.164, as SendSms wants every number. */
export function toE164(digits: string): string {
	return `+${digits}`;
}

/** A number as output items show it: 11 digits for the mainland (as every vendor here), country code + number otherwise. */
export function displayPhone(digits: string): string {
	return isMainland(digits) && /^861[3-9]\d{9}$/.test(digits) ? digits.slice(2) : digits;
}

/** The country code + number of a number as output items show it (displayPhone's inverse). */
export function fullPhone(phone: string): string {
	return /^1[3-9]\d{9}$/.test(phone) ? `86${phone}` : phone;
}

/** The values of the `templateParams` fixedCollection (`{ value: [{ value }] }`) or a list from an expression. */
export function readTemplateParams(raw: unknown, itemIndex: number): string[] {
	let entries: unknown[];
	if (raw === undefined || raw === null || raw === '') entries = [];
	else if (Array.isArray(raw)) entries = raw;
	else if (typeof raw === 'object' && Array.isArray((raw as IDataObject).value)) entries = (raw as IDataObject).value as unknown[];
	else if (typeof raw === 'object' && Object.keys(raw as object).length === 0) entries = [];
	else throw new InputError(`Template Parameters on item ${itemIndex} must be a list of values, in the template's order`);
	return entries.map((entry, position) => {
		const value = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as IDataObject).value : entry;
		if (value === undefined || value === null || typeof value === 'object') {
			throw new InputError(`Template parameter ${position + 1} on item ${itemIndex} has no value`, 'Each template parameter is one value of text, in the order of the template’s {1}, {2}, …. Nothing was sent.');
		}
		return String(value);
	});
}

/** One item's values, checked before anything is sent. */
export function readItem(parameters: ItemParameters): SendItem {
	const { itemIndex } = parameters;
	const templateId = parameters.text('templateId');
	if (templateId === '') throw new InputError(`Template ID is empty on item ${itemIndex}`);
	if (!TEMPLATE_ID_PATTERN.test(templateId)) {
		throw new InputError(`Template ID ${templateId} on item ${itemIndex} is not allowed: Tencent template IDs are numbers, such as 1110`);
	}
	const phones = parseInternationalPhones(parameters.get('phones'), itemIndex);
	const signName = parameters.text('signName');
	if (signName === '' && phones.some(isMainland)) {
		throw new InputError(
			`Sign Name is empty on item ${itemIndex}; Tencent requires the approved signature for mainland numbers`,
			'Give the signature text as the SMS console shows it (without 【】). Nothing was sent.',
		);
	}
	const sessionContext = textOf(parameters.option('sessionContext'));
	if (Buffer.byteLength(sessionContext, 'utf8') >= MAX_SESSION_CONTEXT_BYTES) {
		throw new InputError(`Session Context on item ${itemIndex} has ${Buffer.byteLength(sessionContext, 'utf8')} bytes; Tencent takes less than ${MAX_SESSION_CONTEXT_BYTES}`);
	}
	return {
		itemIndex,
		phones,
		signName: signName.replace(/^【(.*)】$/, '$1'),
		templateId,
		templateParams: readTemplateParams(parameters.get('templateParams', {}), itemIndex),
		senderId: textOf(parameters.option('senderId')),
		extendCode: textOf(parameters.option('extendCode')),
		sessionContext,
	};
}

/**
 * Items with the same sign, template, values and options share calls of up to 200 numbers; mainland and
 * other numbers go in separate calls. A number repeated across items of one group moves to a later
 * call, so each call's per-number answer can be told apart.
 */
export function planSend(items: SendItem[]): PlannedCall[] {
	const key = (item: SendItem) => JSON.stringify([item.signName, item.templateId, item.templateParams, item.senderId, item.extendCode, item.sessionContext]);
	const calls: PlannedCall[] = [];
	for (const group of groupBy(items, key)) {
		const first = group[0];
		for (const mainland of [true, false]) {
			const recipients = group.flatMap((item) => item.phones.filter((phone) => isMainland(phone) === mainland).map((phone) => ({ itemIndex: item.itemIndex, phone })));
			for (const slice of slicesOf(recipients)) {
				const json: IDataObject = {
					PhoneNumberSet: slice.map((recipient) => toE164(recipient.phone)),
					TemplateId: first.templateId,
					TemplateParamSet: first.templateParams,
				};
				if (first.signName !== '') json.SignName = first.signName;
				if (first.extendCode !== '') json.ExtendCode = first.extendCode;
				if (first.sessionContext !== '') json.SessionContext = first.sessionContext;
				if (first.senderId !== '') {
					if (mainland) throw new PlanError(`Sender ID is for numbers outside the mainland only; item ${first.itemIndex} has mainland numbers`, first.itemIndex);
					json.SenderId = first.senderId;
				}
				// Recipients carry the number as output items show it, so that a whole-call error names it so too.
				calls.push({ request: actionRequest(ACTIONS.send, json), recipients: slice.map((recipient) => ({ ...recipient, phone: displayPhone(recipient.phone) })) });
			}
		}
	}
	return calls;
}

function slicesOf<R extends { phone: string }>(recipients: R[]): R[][] {
	const slices: R[][] = [];
	let pending = recipients;
	while (pending.length > 0) {
		const later: R[] = [];
		let current: R[] = [];
		let seen = new Set<string>();
		for (const recipient of pending) {
			if (seen.has(recipient.phone)) {
				later.push(recipient);
				continue;
			}
			if (current.length === MAX_PHONES_PER_CALL) {
				slices.push(current);
				current = [];
				seen = new Set();
			}
			current.push(recipient);
			seen.add(recipient.phone);
		}
		if (current.length > 0) slices.push(current);
		pending = later;
	}
	return slices;
}

/**
 * Each number's own result (`SendStatusSet`): `Code` "Ok" is accepted, with `SerialNo` as its message id
 * (the status reports' `sid`). A refusal keeps Tencent's code and text; an internal error or a number
 * missing from the answer stays `unknown` (docs/vendors/tencent-cloud.md#per-number-results).
 */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const inner = responseOf(response.body) ?? {};
	const set = Array.isArray(inner.SendStatusSet) ? (inner.SendStatusSet as IDataObject[]) : [];
	const byPhone = new Map<string, IDataObject>();
	for (const entry of set) if (entry && typeof entry === 'object') byPhone.set(textOf(entry.PhoneNumber).replace(/^\+/, ''), entry);
	return call.recipients.map((recipient, position): RecipientResult => {
		const phone = recipient.phone;
		const entry = byPhone.get(fullPhone(phone)) ?? (set.length === call.recipients.length && !textOf(set[position]?.PhoneNumber) ? set[position] : undefined);
		if (!entry) {
			return {
				phone,
				accepted: false,
				outcome: 'unknown',
				status: 'NO_RESULT',
				error: `${DISPLAY_NAME} gave no result for this number; the message may have been sent`,
			};
		}
		const code = textOf(entry.Code);
		const extra: IDataObject = {};
		if (entry.Fee !== undefined) extra.segments = Number(entry.Fee);
		if (textOf(entry.IsoCode)) extra.isoCode = textOf(entry.IsoCode);
		if (code.toLowerCase() === 'ok') {
			return { phone, accepted: true, outcome: 'accepted', messageId: textOf(entry.SerialNo) || undefined, status: code, ...extra };
		}
		const failure = tencentFailure(code || 'UnknownError', textOf(entry.Message));
		return {
			phone,
			accepted: false,
			outcome: failure.unreadable ? 'unknown' : 'refused',
			messageId: textOf(entry.SerialNo) || undefined,
			status: code,
			error: [failure.english, failure.hint].filter(Boolean).join('. '),
			...(failure.aboutMessage && { aboutMessage: true }),
			...extra,
		};
	});
}

/** An item's billed segments, where Tencent gave `Fee` for each number. */
export function summarizeSend(recipients: RecipientResult[]): IDataObject {
	const fees = recipients.map((recipient) => recipient.segments).filter((fee): fee is number => typeof fee === 'number' && Number.isFinite(fee));
	return fees.length > 0 ? { segments: fees.reduce((sum, fee) => sum + fee, 0) } : {};
}

export const SEND: SendAdapter<SendItem> = { readItem, plan: planSend, readAnswer, summarize: summarizeSend };

// ---------------------------------------------------------------------------------------------------
// Balance (docs/vendors/tencent-cloud.md#balance)
// ---------------------------------------------------------------------------------------------------

/** Packages bought before this hour are not asked for (Tencent's SMS API 3.0 dates from 2019). */
export const PACKAGES_SINCE = '2019010100';

/** `yyyymmddhh` in China time, as SmsPackagesStatistics takes it. */
export function chinaHour(now: Date): string {
	const china = new Date(now.getTime() + 8 * 3600e3).toISOString();
	return `${china.slice(0, 4)}${china.slice(5, 7)}${china.slice(8, 10)}${china.slice(11, 13)}`;
}

/** One page of SmsPackagesStatistics: every package created from PACKAGES_SINCE up to this hour. */
export function balanceRequest(now: Date, offset = 0): VendorRequest {
	return actionRequest(ACTIONS.getBalance, {
		BeginTime: PACKAGES_SINCE,
		EndTime: chinaHour(now),
		Limit: MAX_PACKAGES_PER_PAGE,
		Offset: offset,
	});
}

/** The packages of one page's answer. */
export function packagesOf(body: unknown): IDataObject[] {
	const set = responseOf(body)?.SmsPackagesStatisticsSet;
	if (!Array.isArray(set)) throw new Error(`${DISPLAY_NAME} returned no SmsPackagesStatisticsSet: ${JSON.stringify(body).slice(0, 200)}`);
	return set as IDataObject[];
}

/**
 * The messages left: for every package in force at `now` (effective, not expired), PackageAmount −
 * CurrentUsage, never below 0, added up.
 */
export function messagesLeft(packages: IDataObject[], now: Date): number {
	const seconds = now.getTime() / 1000;
	let balance = 0;
	for (const entry of packages) {
		const effective = Number(entry.PackageEffectiveTime);
		const expires = Number(entry.PackageExpiredTime);
		if (Number.isFinite(effective) && effective > seconds) continue;
		if (Number.isFinite(expires) && expires > 0 && expires <= seconds) continue;
		const left = Number(entry.PackageAmount) - Number(entry.CurrentUsage);
		if (Number.isFinite(left) && left > 0) balance += left;
	}
	return balance;
}

/**
 * Get Balance through the shared loop (nodes/shared/operations.ts), which makes one call: one page of up
 * to 500 packages, Tencent's whole answer kept as `raw`. The packages in force are those of the moment the
 * answer is read (the shared read has no clock of its own). A full page may leave packages out: that is
 * an error rather than a figure too low (docs/vendors/tencent-cloud.md#balance).
 */
export const BALANCE: BalanceOperation = {
	request: (_parameters, now) => balanceRequest(now),
	read: (body) => {
		const packages = packagesOf(body);
		if (packages.length >= MAX_PACKAGES_PER_PAGE) {
			throw new Error(`${DISPLAY_NAME} listed ${packages.length} SMS packages, as many as one call gives: the balance would leave some out. Add them up from the SMS console (套餐包管理).`);
		}
		return { balance: messagesLeft(packages, new Date()), unit: 'messages' };
	},
};

// ---------------------------------------------------------------------------------------------------
// Pulls and pushes (docs/vendors/tencent-cloud.md#pulled-records, docs/vendors/tencent-cloud.md#pushes)
// ---------------------------------------------------------------------------------------------------

export type PullKind = 'getStatusReports' | 'getReplies';

/** One pull: up to `limit` records, each of which Tencent then no longer holds. */
export function pullRequest(kind: PullKind, limit = MAX_PULL_LIMIT): VendorRequest {
	const bounded = Math.max(1, Math.min(MAX_PULL_LIMIT, Math.floor(limit)));
	return actionRequest(ACTIONS[kind], { Limit: bounded });
}

/** Unix seconds as ISO 8601 in China time. */
export function unixToChinaIso(value: unknown): string | null {
	const seconds = Number(textOf(value));
	if (textOf(value) === '' || !Number.isFinite(seconds) || seconds <= 0) return null;
	return new Date(seconds * 1000 + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
}

/** A number from a country code and a national number, as output items show numbers. */
function phoneOf(countryCode: string, national: string, e164: string): string | null {
	const full = e164.replace(/^\+/, '') || (national ? `${countryCode.replace(/^\+/, '') || '86'}${national.replace(/^\+/, '')}` : '');
	if (!full) return null;
	if (national && !countryCode && !e164) return displayPhone(/^1[3-9]\d{9}$/.test(national) ? `86${national}` : national);
	return displayPhone(full);
}

const REPORT_TEXT: Record<string, string> = { SUCCESS: 'Delivered', FAIL: 'Not delivered' };

function deliveryItem(fields: {
	phone: string | null;
	messageId: string;
	reportStatus: string;
	code: string;
	description: string;
	receivedAt: string | null;
	sessionContext: unknown;
	raw: IDataObject;
}): PushItem {
	const delivered = fields.reportStatus.toUpperCase() === 'SUCCESS';
	const words = REPORT_TEXT[fields.reportStatus.toUpperCase()] ?? `No carrier report yet (${fields.reportStatus || 'empty'})`;
	return {
		vendor: VENDOR,
		event: 'delivery',
		phone: fields.phone,
		messageId: fields.messageId,
		delivered,
		status: fields.code || fields.reportStatus,
		statusText: fields.description && fields.description !== fields.code ? `${words}: ${fields.description}` : words,
		receivedAt: fields.receivedAt,
		...(fields.sessionContext !== undefined && fields.sessionContext !== '' && { sessionContext: fields.sessionContext as string }),
		raw: fields.raw,
	};
}

/** A status callback record (`sid`, `mobile`, `nationcode`, `report_status`, `errmsg`, `description`, `user_receive_time`, `ext`). */
export function statusPushItem(record: IDataObject): PushItem {
	const mobile = textOf(record.mobile);
	return deliveryItem({
		phone: mobile ? phoneOf(textOf(record.nationcode), mobile, '') : null,
		messageId: textOf(record.sid),
		reportStatus: textOf(record.report_status),
		code: textOf(record.errmsg),
		description: textOf(record.description),
		receivedAt: chinaTimeToIso(textOf(record.user_receive_time)) ?? unixToChinaIso(record.user_receive_time),
		sessionContext: record.ext,
		raw: record,
	});
}

/** A reply callback (`mobile`, `nationcode`, `sign`, `text`, `time` Unix seconds, `extend`). */
export function replyPushItem(record: IDataObject): PushItem {
	const mobile = textOf(record.mobile);
	return {
		vendor: VENDOR,
		event: 'reply',
		phone: mobile ? phoneOf(textOf(record.nationcode), mobile, '') : null,
		content: typeof record.text === 'string' ? record.text : textOf(record.text),
		signName: textOf(record.sign),
		extendCode: textOf(record.extend),
		receivedAt: unixToChinaIso(record.time) ?? chinaTimeToIso(textOf(record.time)) ?? null,
		raw: record,
	};
}

/**
 * The status callback is a JSON array (up to 100 records), the reply callback one JSON object; an array
 * of replies and a single status record are taken too (docs/vendors/tencent-cloud.md#push-shapes). A
 * record with `sid` or `report_status` is a status report, one with `text` a reply.
 */
export function parsePush(data: IDataObject | IDataObject[], format: PushFormat): PushItem[] {
	if (format !== 'json') throw new PushError('Tencent Cloud pushes JSON');
	const records = Array.isArray(data) ? data : [data];
	if (records.length === 0) throw new PushError('the push holds no record');
	return records.map((record, position) => {
		if (!record || typeof record !== 'object' || Array.isArray(record)) throw new PushError(`record ${position + 1} is not an object`);
		if (record.sid !== undefined || record.report_status !== undefined) return statusPushItem(record);
		if (record.text !== undefined) return replyPushItem(record);
		throw new PushError(`record ${position + 1} is neither a status report (sid, report_status) nor a reply (text)`);
	});
}

/** A pulled status record (`SerialNo`, `PhoneNumber`, `ReportStatus`, `Description`, `UserReceiveTime`, …), in the push's shape. */
export function pulledStatusItem(record: IDataObject): PushItem {
	return deliveryItem({
		phone: phoneOf(textOf(record.CountryCode), textOf(record.SubscriberNumber), textOf(record.PhoneNumber)),
		messageId: textOf(record.SerialNo),
		reportStatus: textOf(record.ReportStatus),
		code: textOf(record.Description),
		description: '',
		receivedAt: unixToChinaIso(record.UserReceiveTime),
		sessionContext: record.SessionContext,
		raw: record,
	});
}

/** A pulled reply record (`PhoneNumber`, `ReplyContent`, `ReplyTime`, `SignName`, `ExtendCode`, …), in the push's shape. */
export function pulledReplyItem(record: IDataObject): PushItem {
	return {
		vendor: VENDOR,
		event: 'reply',
		phone: phoneOf(textOf(record.CountryCode), textOf(record.SubscriberNumber), textOf(record.PhoneNumber)),
		content: typeof record.ReplyContent === 'string' ? record.ReplyContent : textOf(record.ReplyContent),
		signName: textOf(record.SignName),
		extendCode: textOf(record.ExtendCode),
		receivedAt: unixToChinaIso(record.ReplyTime),
		raw: record,
	};
}

/**
 * Every record of a pull's answer, one item each. A pulled record is gone at Tencent, so none is ever
 * dropped: an entry that is not an object still becomes an item, with what it has in `raw`.
 */
export function readPulled(kind: PullKind, body: unknown): PushItem[] {
	const inner = responseOf(body);
	const name = kind === 'getStatusReports' ? 'PullSmsSendStatusSet' : 'PullSmsReplyStatusSet';
	const set = inner?.[name];
	if (set === undefined || set === null) {
		if (inner) return [];
		throw new Error(`${DISPLAY_NAME} returned no ${name}: ${JSON.stringify(body).slice(0, 200)}`);
	}
	const records = Array.isArray(set) ? set : [set];
	return records.map((record): PushItem => {
		if (!record || typeof record !== 'object' || Array.isArray(record)) {
			return { vendor: VENDOR, event: kind === 'getStatusReports' ? 'delivery' : 'reply', phone: null, raw: { value: record as string } };
		}
		return kind === 'getStatusReports' ? pulledStatusItem(record as IDataObject) : pulledReplyItem(record as IDataObject);
	});
}

/**
 * The pulls: one call per input item, never a second page (a later page that failed would take the records
 * of the earlier ones with it; docs/vendors/tencent-cloud.md#pulled-records).
 */
export const PULLS: Record<PullKind, PullOperation> = {
	getStatusReports: {
		request: (parameters) => pullRequest('getStatusReports', Number(parameters.get('limit', MAX_PULL_LIMIT))),
		read: (body) => readPulled('getStatusReports', body),
	},
	getReplies: {
		request: (parameters) => pullRequest('getReplies', Number(parameters.get('limit', MAX_PULL_LIMIT))),
		read: (body) => readPulled('getReplies', body),
	},
};

export const ADAPTER: VendorAdapter = { api: API, sends: { send: SEND }, balance: BALANCE, pulls: PULLS, parsePush };
