/**
 * Veesing / 10658 (中昱维信), cloud.10658.com.cn: everything that is particular to this vendor, as pure
 * functions in the shape of every vendor module (nodes/shared/adapter.ts). What the package reads of
 * the vendor's document, and why: docs/vendors/veesing.md.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError, notTheApi, PlanError, PushError, refusal, textOf, type BalanceOperation, type ItemParameters, type PlannedCall, type PushFormat, type PushItem, type RecipientResult, type SendAdapter, type VendorAdapter, type VendorApi, type VendorErrorEntry, type VendorFailure, type VendorResponse } from '../shared/adapter';
import { normalizeMainlandMobile, parseMainlandPhones } from '../shared/phones';
import { chinaTimeToIso } from '../shared/time';

export const VENDOR = 'veesing';

/** The doc's "/getBalance" lives under the verification-code product: balances are per product. */
export const PATHS = {
	send: '/smsApi/verifyCode',
	getBalance: '/smsApi/verifyCode/getBalance',
} as const;

/** `variables`: "支持2-8位纯数字". */
export const CODE_PATTERN = /^\d{2,8}$/;

/**
 * Template IDs are the console's numbers (the doc's sample is `540`); the vendor has an error of its
 * own for any other shape (模板id格式不正确), so it is caught before anything is sent.
 */
export const TEMPLATE_ID_PATTERN = /^\d{1,18}$/;

/** `"returnStatus": "1 "` carries a trailing space in the doc's samples: always compared trimmed. */
const OK = '1';

/**
 * Every failure is `returnStatus "0"`, told apart only by its Chinese `message` (the doc's two tables,
 * plus `参数错误`, the text of the doc's own failure sample, which its tables do not list).
 */
export const MESSAGES: Record<string, Omit<VendorErrorEntry, 'zh'>> = {
	账号或密码错误: {
		en: 'The App ID or App Key is wrong',
		hint: 'Check the App ID and App Key in the credential: both are in the account information on the 10658 console home page.',
		credential: true,
	},
	缺少参数: { en: 'A parameter is missing', credential: true },
	参数错误: { en: 'A parameter is wrong', hint: 'The code must be 2 to 8 digits, and the template an approved one.' },
	模板不存在或者未通过: {
		en: 'The template does not exist or is not approved',
		hint: 'Check the Template ID: it must be a verification-code template approved in the 10658 console.',
		aboutMessage: true,
	},
	模板id格式不正确: { en: 'The template ID has a wrong format', hint: 'Give the number of the template, such as 540.', aboutMessage: true },
	'您的账户已被锁定,请联系您的专属客服': {
		en: 'The account is locked; contact your Veesing account manager',
		hint: 'Call Veesing (中昱维信) on 400-68-10658.',
		credential: true,
	},
	余额不足: { en: 'The account balance is too low', hint: 'Top up the verification-code product in the 10658 console.' },
	手机号码格式不正确: { en: 'The phone number has a wrong format', aboutMessage: true },
	该号码今日发送次数已达上限: {
		en: 'This number has had as many codes today as Veesing allows',
		hint: 'Veesing caps the codes one number may get a day; try this number again tomorrow.',
		aboutMessage: true,
	},
	相同手机号码一分钟之内只可发送一次: {
		en: 'This number already got a code less than a minute ago; Veesing sends one a minute per number',
		hint: 'Wait a minute before sending this number another code.',
		aboutMessage: true,
	},
	当日发送量已超出最大发送限制: {
		en: "The account's daily sending limit is reached",
		hint: 'Veesing caps what an account sends a day; ask your account manager to raise it, or try again tomorrow.',
	},
	'未知原因,请联系客服': { en: 'Unknown reason; contact Veesing support', hint: 'Call Veesing (中昱维信) on 400-68-10658.', credential: true },
	IP受限: {
		en: "This n8n host's IP address is not allowed",
		hint: "Add this n8n host's public IP address to the IP whitelist of the account in the 10658 console.",
		credential: true,
	},
};

/** The doc writes ASCII commas; a live server may answer with full-width ones or a final 。/!. */
function normalizeMessage(message: string): string {
	return message.replace(/，/g, ',').replace(/[\s。.!！]+$/, '').trim();
}

/** The English for a vendor message, matched exactly, or as the known text inside a longer one. */
export function explainMessage(message: string): Omit<VendorErrorEntry, 'zh'> | undefined {
	const normalized = normalizeMessage(message);
	if (MESSAGES[normalized]) return MESSAGES[normalized];
	const known = Object.keys(MESSAGES).find((text) => normalized.includes(text));
	return known ? MESSAGES[known] : undefined;
}

/** The vendor's answer to a call whose appId or appKey it did not find (缺少参数). */
export function isMissingParameter(failure: VendorFailure & { kind?: string }): boolean {
	return (failure.kind === undefined || failure.kind === 'vendor') && normalizeMessage(failure.vendorMessage) === '缺少参数';
}

/** Failures come back in HTTP 200 bodies: `{"returnStatus":"0","message":"余额不足",…}`. */
export function findFailure(response: VendorResponse): VendorFailure | undefined {
	const body = response.body as IDataObject | string;
	if (body && typeof body === 'object' && !Array.isArray(body) && 'returnStatus' in body) {
		const status = textOf(body.returnStatus);
		if (status === OK) return undefined;
		const message = textOf(body.message);
		return refusal('Veesing', status || 'none', explainMessage(message), message);
	}
	return notTheApi('Veesing', response);
}

export const API: VendorApi & { vendor: string } = {
	vendor: VENDOR,
	displayName: 'Veesing',
	credentialType: 'veesingApi',
	findFailure,
};

/** Why a code cannot be sent, or undefined when it can. */
export function codeProblem(code: string): string | undefined {
	if (CODE_PATTERN.test(code)) return undefined;
	if (/^\d+$/.test(code)) return `has ${code.length} digit${code.length === 1 ? '' : 's'}; Veesing sends codes of 2 to 8 digits`;
	return 'is not allowed; Veesing sends codes of 2 to 8 digits (0-9) and nothing else';
}

export interface SendItem {
	itemIndex: number;
	phones: string[];
	templateId: string;
	code: string;
}

/** One item's values, checked: a numeric template ID, a code of 2 to 8 digits, mainland numbers. */
export function readItem(parameters: ItemParameters): SendItem {
	const { itemIndex } = parameters;
	const templateId = parameters.text('templateId');
	if (templateId === '') throw new InputError(`Template ID is empty on item ${itemIndex}`);
	if (!TEMPLATE_ID_PATTERN.test(templateId)) {
		throw new InputError(`Template ID ${templateId} on item ${itemIndex} is not allowed: Veesing template IDs are numbers, such as 540`);
	}
	const code = parameters.text('code');
	if (code === '') throw new InputError(`Code is empty on item ${itemIndex}`);
	const problem = codeProblem(code);
	if (problem) throw new InputError(`Code ${code} on item ${itemIndex} ${problem}`);
	return { itemIndex, phones: parseMainlandPhones(parameters.get('phones'), itemIndex), templateId, code };
}

/**
 * The vendor takes one number a call ("只支持单个手机号"): one call per number, fanned out by the shared
 * loop. A number on two items would be refused by the vendor on its second call (one code a minute per
 * number), after the first was sent: that is caught here, before anything is sent.
 */
export function planSend(items: SendItem[]): PlannedCall[] {
	const firstItem = new Map<string, number>();
	const calls: PlannedCall[] = [];
	for (const item of items) {
		for (const phone of item.phones) {
			const earlier = firstItem.get(phone);
			if (earlier !== undefined) {
				throw new PlanError(
					`Phone ${phone} is on items ${earlier} and ${item.itemIndex}; Veesing sends a number at most one code a minute, so the second would be refused. Give each number once`,
					item.itemIndex,
				);
			}
			firstItem.set(phone, item.itemIndex);
			calls.push({
				request: {
					method: 'POST',
					path: PATHS.send,
					form: { phone, templateId: item.templateId, variables: item.code },
				},
				recipients: [{ itemIndex: item.itemIndex, phone }],
			});
		}
	}
	return calls;
}

function numberOf(value: unknown): number | undefined {
	const text = textOf(value);
	if (text === '') return undefined;
	const number = Number(text);
	return Number.isFinite(number) ? number : undefined;
}

/**
 * `1` only means submitted (the balance call words the same code 提交成功); delivery comes later as a
 * receipt carrying `taskid`. `remainPoint` is the balance after this send.
 */
export function readAnswer(call: PlannedCall, response: VendorResponse): RecipientResult[] {
	const body = response.body as IDataObject;
	const balance = numberOf(body.remainPoint);
	return call.recipients.map((recipient) => ({
		phone: recipient.phone,
		accepted: true,
		messageId: textOf(body.taskId) || undefined,
		status: textOf(body.returnStatus),
		...(balance === undefined ? {} : { balance }),
	}));
}

/** An item's `balance` is the smallest remainPoint its answers gave: the latest, whatever order they came back in. */
export function summarizeSend(recipients: RecipientResult[]): IDataObject {
	const balances = recipients.map((recipient) => recipient.balance).filter((value): value is number => typeof value === 'number');
	return balances.length > 0 ? { balance: Math.min(...balances) } : {};
}

export function readBalance(body: IDataObject): number {
	const balance = numberOf(body.remainPoint);
	if (balance === undefined) throw new Error(`Veesing returned no balance: ${JSON.stringify(body).slice(0, 200)}`);
	return balance;
}

/**
 * The balance call: an empty form, to which the credential adds appId and appKey. Its table is
 * headed 请求参数(Query) and its sample sends the query string (docs/vendors/veesing.md#parameter-location):
 * a server that reads only that says a parameter is missing. A balance call sends nothing, so the
 * shared loop asks once more, with the keys in the query string as the sample has them.
 */
export const BALANCE: BalanceOperation = {
	request: () => ({ method: 'POST', path: PATHS.getBalance, form: {} }),
	read: (body) => ({ balance: readBalance(body as IDataObject), unit: 'messages' }),
	askAgain: {
		when: isMissingParameter,
		request: (first, { appId, appKey }) => ({ ...first, qs: { ...first.qs, appId, appKey } }),
	},
};

/** Receipt `status`: "1.发送成功 0.发送失败"; no reason is pushed for a failure. */
const RECEIPT_TEXT: Record<string, string> = {
	'1': 'Delivered',
	'0': 'Not delivered (Veesing gives no reason)',
};

/**
 * Receipts (`mobile, taskid, status, receivetime`) and replies (`mobile, taskid, content, receivetime`)
 * come to the same URL as forms, one record per push, with no type field: a `content` makes a reply, a
 * `status` a receipt. The send answer spells `taskId`, the pushes `taskid`; both are read.
 */
export function parsePush(data: IDataObject | IDataObject[], format: PushFormat): PushItem[] {
	if (format !== 'form' || Array.isArray(data)) throw new PushError('Veesing pushes a form (mobile=…&taskid=…&status=…)');
	const mobile = textOf(data.mobile);
	if (!mobile) throw new PushError('the push has no mobile');
	const phone = normalizeMainlandMobile(mobile) ?? mobile;
	const messageId = textOf(data.taskid ?? data.taskId);
	const receivedAt = chinaTimeToIso(textOf(data.receivetime ?? data.receiveTime)) ?? null;

	if (data.content !== undefined) {
		return [{ vendor: VENDOR, event: 'reply', phone, messageId, content: String(data.content), receivedAt, raw: data }];
	}
	if (data.status !== undefined) {
		const status = textOf(data.status);
		const delivered = status === '1';
		return [
			{
				vendor: VENDOR,
				event: 'delivery',
				phone,
				messageId,
				delivered,
				status,
				statusText: RECEIPT_TEXT[status] ?? `Not delivered (unknown receipt status ${status || 'empty'})`,
				receivedAt,
				raw: data,
			},
		];
	}
	throw new PushError('the push has neither status (a receipt) nor content (a reply)');
}

/** Send Verification Code: one vendor call per number. */
export const SEND: SendAdapter<SendItem> = { readItem, plan: planSend, readAnswer, summarize: summarizeSend, oneNumberPerCall: true };

export const ADAPTER: VendorAdapter = { api: API, sends: { send: SEND }, balance: BALANCE, parsePush };
