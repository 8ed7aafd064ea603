/**
 * 1oc SMS, sms.1oc.cn: everything that is particular to this vendor, as pure functions.
 * Source: vendor-docs/000-1oc-sms.txt and vendor-notes.md sections 1, 6 and 7.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PlannedCall, RecipientResult } from '../shared/execute';
import { PushError, type PushFormat, type PushItem } from '../shared/push';
import { notTheApi, type VendorApi, type VendorFailure, type VendorResponse } from '../shared/transport';

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
export const MESSAGES: Record<string, { en: string; hint?: string }> = {
	校验失败: {
		en: 'Verification failed',
		hint: '1oc says no more than this. Check the App Secret in the credential (1oc wants it exactly as its staff gave it), the Template and the Code.',
	},
	// The wording of the delivery report table (MA:0015); the send answer for it is not documented.
	余额不足: { en: 'The account balance is too low', hint: 'Top up the 1oc account.' },
};

/**
 * Every `stat` of the document's delivery report table, in English. Only `DELIVRD` means
 * delivered (vendor-notes 7, item 5).
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

function textOf(value: unknown): string {
	if (value === undefined || value === null || typeof value === 'object') return '';
	return String(value).trim();
}

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
		const known = MESSAGES[vendorMessage];
		return {
			code,
			vendorMessage,
			english: `1oc error ${code || '(none)'}: ${known?.en ?? 'The send was refused'} (${vendorMessage || 'no message'})`,
			hint: known?.hint ?? '1oc documents no other failure than 校验失败; its message is shown as it came.',
		};
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
export function readSubmit(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const body = response.body as IDataObject;
	const mid = textOf(body.mid);
	return call.recipients.map((recipient) => ({
		phone: recipient.phone,
		accepted: true,
		...(mid ? { messageId: mid } : {}),
		status: textOf(body.code),
	}));
}

/**
 * The item's `messageId`: the `mid` of its one number, or the `mid`s of its numbers joined with
 * commas (each number is its own message at 1oc; there is no batch id).
 */
export function summarize(recipients: RecipientResult[]): IDataObject {
	const mids = recipients.map((recipient) => recipient.messageId).filter((mid): mid is string => Boolean(mid));
	return mids.length === 0 ? {} : { messageId: mids.join(',') };
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
