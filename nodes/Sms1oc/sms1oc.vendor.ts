/**
 * 1oc SMS, sms.1oc.cn: everything that is particular to this vendor, as pure functions in the shape of
 * every vendor module (nodes/shared/adapter.ts). What the package reads of the vendor's document, and
 * why: docs/vendors/sms1oc.md.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError, notTheApi, PushError, refusal, textOf, type ItemParameters, type PlannedCall, type PushFormat, type PushItem, type RecipientResult, type SendAdapter, type VendorAdapter, type VendorApi, type VendorErrorEntry, type VendorFailure, type VendorResponse } from '../shared/adapter';
import { parseMainlandPhones } from '../shared/phones';

export const VENDOR = 'sms1oc';

/**
 * The only API call: `GET /?module=sms&file=send&action=send&mobphone=&code=&smstemplate=`, the
 * secret in the `Authorization` header (added by the credential), no body.
 */
export const SEND_PATH = '/';
const SEND_ROUTE = { module: 'sms', file: 'send', action: 'send' } as const;

/** The response `code` is a number in the body, "并非http状态码" (not the HTTP status). */
const OK = '200';

/**
 * The document names one failure, `{"code":400,"msg":"校验失败"}`, and no other code: the meaning
 * is in `msg`. Known texts get English; any other text reaches the user as the vendor wrote it.
 */
export const MESSAGES: Record<string, Omit<VendorErrorEntry, 'zh'>> = {
	校验失败: {
		en: 'Verification failed',
		hint: '1oc says no more than this. Check the App Secret in the credential (1oc wants it exactly as its staff gave it), the Template and the Code.',
	},
	// The wording of the delivery report table (MA:0015); the send answer for it is not documented.
	余额不足: { en: 'The account balance is too low', hint: 'Top up the 1oc account.' },
};

/**
 * Every `stat` of the document's delivery report table, in English. Only `DELIVRD` means
 * delivered (docs/vendors/sms1oc.md#stat-table).
 */
export const STAT_TEXT: Record<string, string> = {
	DELIVRD: 'Delivered',
	EXPIRED: 'Not delivered: the message expired before it reached the phone',
	DELETED: 'Not delivered: the message was deleted',
	REJECTED: 'Not delivered: the message was rejected',
	'MA:0001': 'Not delivered: the number is on the global blacklist',
	'MA:0002': 'Not delivered: the content is not allowed',
	'MA:0003': 'Not delivered: no route to the next gateway was found',
	'MA:0004': 'Not delivered: the content length is wrong',
	'MA:0005': 'Not delivered: the destination number has a wrong format',
	'MA:0006': 'Not delivered: refused by the system',
	'MA:0009': 'Not delivered: undefined error',
	'MA:0011': 'Not delivered: unknown internal system error',
	'MA:0015': 'Not delivered: the account balance is too low',
	'MA:0017': 'Not delivered: the signature is not valid',
	'MA:0021': 'Not delivered: the number has a wrong format',
	'MA:0022': 'Not delivered: the sending limit for this number was reached',
	'MA:0023': "Not delivered: the number is on the customer's blacklist",
	'MA:0024': 'Not delivered: the content was not registered with the carrier',
	'MA:0025': 'Not delivered: this kind of message is not supported',
	'MA:0026': "Not delivered: a long message's parts timed out while being joined",
	'MA:0027': "Not delivered: the number is on the channel's blacklist",
	'MA:0028': 'Not delivered: the number range is on the global blacklist',
	'MA:0029': "Not delivered: the number range is on the channel's blacklist",
	'MA:0030': 'Not delivered: rejected directly',
	'MA:0033': "Not delivered: blocked for the recipient's region",
	'MA:0044': 'Not delivered: blocked for the number range',
	// The table writes `MO:200` with three digits next to `MO:0254`; kept literally. `MO:0200`, if it
	// ever comes, falls to the upstream-gateway family below.
	'MO:200': 'Not delivered: long (multi-part) messages are not supported',
	'MO:0254': 'Not delivered: forwarding to the upstream gateway timed out',
	'MO:0255': 'Not delivered: the connection dropped while forwarding to the upstream gateway',
};
export const DELIVERED = 'DELIVRD';

/** A refusal whose text the document does not name: shown as it came. */
const UNKNOWN_REFUSAL = { en: 'The send was refused', hint: '1oc documents no other failure than 校验失败; its message is shown as it came.' };

/**
 * Success is `code` 200 in the body. Errors come in HTTP 200 bodies (the document does not say
 * which HTTP status a failure has, so JSON error bodies of 4xx/5xx are read the same way).
 */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const body = response.body as IDataObject | string;
	if (body && typeof body === 'object' && !Array.isArray(body) && 'code' in body) {
		const code = textOf(body.code);
		if (code === OK) return undefined;
		const vendorMessage = textOf(body.msg);
		return refusal('1oc', code, MESSAGES[vendorMessage] ?? UNKNOWN_REFUSAL, vendorMessage);
	}
	return notTheApi('1oc', response, 'Check the Base URL in the credential: it is the address 1oc gave you, such as https://sms.1oc.cn, without a path.');
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: '1oc SMS',
	credentialType: 'sms1ocApi',
	findFailure,
};

export interface SendItem {
	itemIndex: number;
	phones: string[];
	template: string;
	code: string;
}

/** One item's values, checked: a template, mainland numbers; the code is the template's to judge. */
export function readItem(parameters: ItemParameters): SendItem {
	const { itemIndex } = parameters;
	const template = parameters.text('template');
	if (template === '') {
		throw new InputError(`Template is empty on item ${itemIndex}`, 'Give the template 1oc set up for your account. Nothing was sent.');
	}
	return { itemIndex, phones: parseMainlandPhones(parameters.get('phones'), itemIndex), template, code: parameters.text('code') };
}

/**
 * One call per number (the API has one `mobphone`), in input order. Nothing is combined: the
 * vendor has no batch call and no idempotency key, so no call is ever repeated after a lost answer.
 */
export function planSend(items: SendItem[]): PlannedCall[] {
	return items.flatMap((item) =>
		item.phones.map((phone) => ({
			request: {
				method: 'GET' as const,
				path: SEND_PATH,
				// The document's order; n8n encodes every value as UTF-8 percent-encoding.
				qs: { ...SEND_ROUTE, mobphone: phone, code: item.code, smstemplate: item.template },
			},
			recipients: [{ itemIndex: item.itemIndex, phone }],
		})),
	);
}

/** `{"code":200,"msg":"ok","mid":"1151894566D2EDD9"}`: `mid` is what the delivery report carries back. */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const body = response.body as IDataObject;
	const mid = textOf(body.mid);
	return call.recipients.map((recipient) => ({
		phone: recipient.phone,
		accepted: true,
		...(mid ? { messageId: mid } : {}),
		status: textOf(body.code),
	}));
}

/** English for a `stat`; codes not in the table are kept and named as they are. */
export function statusText(stat: string): string {
	const known = STAT_TEXT[stat.toUpperCase()];
	if (known) return known;
	const upstream = /^MO:(\d+)$/i.exec(stat);
	if (upstream) {
		return `Not delivered: the upstream gateway answered ${upstream[1]} (its meaning is defined by that gateway)`;
	}
	return `Not delivered (status ${stat})`;
}

function deliveryItem(record: unknown): PushItem {
	if (!record || typeof record !== 'object' || Array.isArray(record)) throw new PushError('a report is not a JSON object');
	const { mid: rawMid, stat: rawStat } = record as IDataObject;
	const mid = textOf(rawMid);
	const stat = textOf(rawStat);
	if (!mid || !stat) throw new PushError('a report needs "mid" and "stat"');
	const item = {
		vendor: VENDOR,
		event: 'delivery' as const,
		// The report holds only mid and stat: the number is known from the send whose messageId is mid.
		phone: null,
		messageId: mid,
		delivered: stat.toUpperCase() === DELIVERED,
		status: stat,
		statusText: statusText(stat),
		// No time in the report either.
		receivedAt: null,
		raw: record as IDataObject,
	};
	// The shared PushItem types phone as a string; 1oc's reports carry no number, so it is null here.
	return item as unknown as PushItem;
}

/**
 * `{"mid":"1151894566D2EDD9","stat":"DELIVRD"}`, POSTed to the report address (returnurl). The
 * document shows JSON and one report per push; a list of such objects, or the same two fields as
 * a form, are taken too, since the document does not state the Content-Type.
 */
export function parsePush(data: IDataObject | IDataObject[], format: PushFormat): PushItem[] {
	if (format === 'xml') throw new PushError('1oc pushes JSON such as {"mid":"…","stat":"DELIVRD"}');
	const records = Array.isArray(data) ? data : [data];
	if (records.length === 0) throw new PushError('the list holds no report');
	return records.map(deliveryItem);
}

/** Send: one vendor call per number. */
export const SEND: SendAdapter<SendItem> = { readItem, plan: planSend, readAnswer, oneNumberPerCall: true };

export const ADAPTER: VendorAdapter = { api: API, sends: { send: SEND }, parsePush };
