// @ts-check
'use strict';
// Alibaba Cloud SMS (Aliyun, Dysmsapi 2017-05-25), as docs/vendors/aliyun.md describes it: RPC calls on
// `/` told apart by `x-acs-action`, each checked against its V3 signature (ACS3-HMAC-SHA256) by this
// module's own code (written from Alibaba's description, not from the package's), SendSms, SendBatchSms
// and QuerySendDetails, the per-number limits of verification codes, and SmsReport / SmsUp pushed as
// JSON arrays. Every guess is marked GUESS and listed in simulator/README.md (Alibaba Cloud SMS,
// "Where the simulator guesses").

const crypto = require('node:crypto');

const ALIYUN_ACCOUNT = {
	accessKeyId: 'sim-aliyun-access-key-id',
	accessKeySecret: 'sim-aliyun-access-key-secret',
	/** Answers every call with InvalidAccessKeyId.Inactive (a disabled key), same secret. */
	inactiveKeyId: 'sim-aliyun-inactive-key-id',
	/** A RAM user's key without SMS permission: isp.RAM_PERMISSION_DENY, same secret. */
	noPermissionKeyId: 'sim-aliyun-no-sms-key-id',
};

const VERSION = '2017-05-25';
const ACTIONS = { SendSms: 'sendSms', SendBatchSms: 'sendBatchSms', QuerySendDetails: 'querySendDetails' };
/** "x-acs-date … at most 15 min" off. */
const MAX_SKEW_MS = 15 * 60_000;

/** The account's approved signatures. GUESS: any names; the first is Alibaba's own test signature. */
const SIGNATURES = ['阿里云短信测试', '测试签名'];

/**
 * Approved templates. `code`: a verification-code template (the per-number limits of codes apply);
 * `notice`: a notification (50 a day per number and template). GUESS: the codes and texts.
 */
const TEMPLATES = {
	SMS_154950909: { kind: 'code', text: '您的验证码为：${code}，请勿泄露于他人！', variables: ['code'] },
	SMS_100000001: { kind: 'notice', text: '尊敬的${name}，您的订单${order}已发货。', variables: ['name', 'order'] },
	SMS_100000002: { kind: 'notice', text: '您的预约已确认。', variables: [] },
};

/** "验证码…同一个签名，对同一个手机号码发送验证码，支持1条/分钟，5条/小时，累计10条/天"; notifications 50 a day. */
const LIMITS = { perMinute: 1, perHour: 5, perDay: 10, noticePerDay: 50 };

/**
 * @typedef {{ phone: string, bizId: string, sendStatus: number, errCode: string, templateCode: string, content: string,
 *   sendDate: string, receiveDate: string, outId?: string, day: string }} Detail
 * @typedef {{ nextBizId: bigint, nonces: Set<string>, sends: Map<string, number[]>, details: Detail[],
 *   limits: boolean, amountNotEnough: boolean, nextError: { code: string, message: string, status?: number } | null }} State
 */

class Refusal extends Error {
	/** @param {string} code @param {string} message @param {number} [status] @param {string} [reason] */
	constructor(code, message, status = 200, reason = message) {
		super(reason);
		this.code = code;
		this.vendorMessage = message;
		this.status = status;
	}
}
/** @param {string} code @param {string} message @param {number} [status] @param {string} [reason] @returns {never} */
function refuse(code, message, status, reason) {
	throw new Refusal(code, message, status, reason);
}

/** @returns {State} */
function createState() {
	return { nextBizId: 900619746936498400n, nonces: new Set(), sends: new Map(), details: [], limits: true, amountNotEnough: false, nextError: null };
}

/**
 * @param {State} state
 * @param {{ limits?: boolean, amountNotEnough?: boolean, details?: Array<Partial<Detail> & { phone: string }>,
 *   nextError?: { code: string, message: string, status?: number } | null } | undefined} cfg
 */
function configure(state, cfg) {
	if (!cfg) return;
	for (const key of Object.keys(cfg)) {
		if (!['limits', 'amountNotEnough', 'details', 'nextError'].includes(key)) throw new Error(`aliyunSms: unknown config key "${key}"; known: limits, amountNotEnough, details, nextError`);
	}
	// The next send (after its signature is checked) answers this error instead; the message is not taken.
	if (cfg.nextError !== undefined) state.nextError = cfg.nextError;
	if (cfg.limits !== undefined) state.limits = Boolean(cfg.limits);
	if (cfg.amountNotEnough !== undefined) state.amountNotEnough = Boolean(cfg.amountNotEnough);
	for (const d of cfg.details ?? []) {
		if (!d.phone) throw new Error('an aliyunSms detail record needs phone');
		const sendDate = d.sendDate ?? chinaTime(new Date());
		state.details.push({
			phone: d.phone,
			bizId: d.bizId ?? nextBizId(state),
			sendStatus: d.sendStatus ?? 3,
			errCode: d.errCode ?? 'DELIVERED',
			templateCode: d.templateCode ?? 'SMS_154950909',
			content: d.content ?? '【阿里云短信测试】您的验证码为：1234，请勿泄露于他人！',
			sendDate,
			receiveDate: d.receiveDate ?? sendDate,
			...(d.outId !== undefined && { outId: d.outId }),
			day: d.day ?? sendDate.slice(0, 10).replace(/-/g, ''),
		});
	}
}

/**
 * Every call is a POST (or GET) on `/` naming its action in `x-acs-action` (V3). A call at `/` without
 * that header is not this vendor's (1oc's API also lives on `/`).
 * @param {string} path @param {Record<string, string>} _query @param {Record<string, string | string[] | undefined>} [headers]
 */
function route(path, _query, headers = {}) {
	const action = headers['x-acs-action'];
	if (path !== '/' || typeof action !== 'string') return null;
	return { operation: ACTIONS[/** @type {keyof typeof ACTIONS} */ (action)] ?? 'unknownAction' };
}

/** RFC 3986 percent-encoding, as the V3 signature wants it. @param {string} value */
function rfc3986(value) {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** @param {string} text */
const sha256 = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Checks the V3 signature of a call as Alibaba describes it: Authorization names the key, the signed
 * headers and the signature; the canonical request is rebuilt from what arrived.
 * @param {{ method: string, query: Record<string, string>, headers: Record<string, any>, body: string }} call
 * @param {State} state @param {Date} now
 * @returns {string} the AccessKey ID
 */
function verifySignature(call, state, now) {
	const authorization = String(call.headers.authorization || '');
	const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(authorization);
	if (!match) refuse('IncompleteSignature', 'The request signature does not conform to Aliyun standards.', 400, `Authorization "${authorization.slice(0, 40)}" is not ACS3-HMAC-SHA256`);
	const [, keyId, signedList, signature] = match;
	const known = [ALIYUN_ACCOUNT.accessKeyId, ALIYUN_ACCOUNT.inactiveKeyId, ALIYUN_ACCOUNT.noPermissionKeyId];
	// GUESS: the HTTP status of an unknown key (404) and of a disabled one (400).
	if (!known.includes(keyId)) refuse('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404, `unknown AccessKey ID ${keyId}`);
	if (keyId === ALIYUN_ACCOUNT.inactiveKeyId) refuse('InvalidAccessKeyId.Inactive', 'Specified access key is disabled.', 400, 'this key simulates a disabled one');
	const signed = signedList.split(';');
	for (const name of ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']) {
		if (!signed.includes(name)) refuse('IncompleteSignature', `The header ${name} must be signed.`, 400);
	}
	// Every x-acs-* header sent must be signed, and content-type when there is a body.
	for (const name of Object.keys(call.headers)) {
		if (name.startsWith('x-acs-') && !signed.includes(name)) refuse('IncompleteSignature', `The header ${name} must be signed.`, 400);
	}
	if (call.body !== '' && !signed.includes('content-type')) refuse('IncompleteSignature', 'The header content-type must be signed.', 400);
	if ([...signed].sort().join(';') !== signedList) refuse('IncompleteSignature', 'SignedHeaders must be sorted.', 400);
	if (call.headers['x-acs-content-sha256'] !== sha256(call.body)) {
		refuse('SignatureDoesNotMatch', 'Specified signature does not match our calculation.', 400, 'x-acs-content-sha256 is not the SHA-256 of the body');
	}
	const date = String(call.headers['x-acs-date'] || '');
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) || Math.abs(now.getTime() - Date.parse(date)) > MAX_SKEW_MS) {
		refuse('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 400, `x-acs-date ${date} is more than 15 minutes off`);
	}
	const canonicalHeaders = signed.map((name) => `${name}:${String(call.headers[name] ?? '').trim()}\n`).join('');
	const canonicalQuery = Object.keys(call.query)
		.sort()
		.map((name) => `${rfc3986(name)}=${rfc3986(call.query[name])}`)
		.join('&');
	const canonicalRequest = [call.method, '/', canonicalQuery, canonicalHeaders, signedList, sha256(call.body)].join('\n');
	const stringToSign = `ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`;
	const expected = crypto.createHmac('sha256', ALIYUN_ACCOUNT.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
	if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
		refuse('SignatureDoesNotMatch', `Specified signature does not match our calculation. server string to sign is:${stringToSign}`, 400, 'signature mismatch');
	}
	const nonce = String(call.headers['x-acs-signature-nonce'] || '');
	if (state.nonces.has(nonce)) refuse('SignatureNonceUsed', 'Specified signature nonce was used already.', 400, `nonce ${nonce} was used before`);
	state.nonces.add(nonce);
	if (call.headers['x-acs-version'] !== VERSION) refuse('InvalidVersion', `Specified parameter Version is not valid.`, 400);
	if (keyId === ALIYUN_ACCOUNT.noPermissionKeyId) refuse('isp.RAM_PERMISSION_DENY', 'RAM权限DENY', 200, 'this key simulates a RAM user without SMS permission');
	return keyId;
}

/**
 * @param {{ method: string, operation: string, params: Record<string, string>, query: Record<string, string>, headers: Record<string, any>, body: string }} call
 * @param {State} state @param {Date} now
 */
function handle(call, state, now) {
	const requestId = crypto.randomUUID().toUpperCase();
	try {
		verifySignature(call, state, now);
		if (state.nextError && call.operation !== 'querySendDetails') {
			const { code, message, status = 200 } = state.nextError;
			state.nextError = null;
			refuse(code, message, status, 'configured: nextError');
		}
		if (call.operation === 'sendSms') return sendSms(call.query, state, now, requestId);
		if (call.operation === 'sendBatchSms') return sendBatchSms(call.params, state, now, requestId);
		if (call.operation === 'querySendDetails') return querySendDetails(call.query, state, requestId, now);
		return refuse('InvalidAction.NotFound', `Specified api is not found, please check your url and method.`, 404);
	} catch (err) {
		if (!(err instanceof Refusal)) throw err;
		return { ...respond(err.status, { RequestId: requestId, Message: err.vendorMessage, Code: err.code }), detail: { reason: err.message, code: err.code } };
	}
}

/** @param {number} status @param {Record<string, unknown>} fields */
function respond(status, fields) {
	return { status, contentType: 'application/json;charset=utf-8', body: JSON.stringify(fields) };
}

/**
 * A number as Alibaba takes it: mainland bare or with +86/86/0086 (kept as 11 digits), abroad as
 * country code + number, `00` accepted.
 * @param {string} raw
 */
function numberOf(raw) {
	const text = String(raw).trim();
	const mainland = /^(?:\+86|0086|86)?(1\d{10})$/.exec(text);
	if (mainland) return mainland[1];
	const abroad = /^(?:00)?([1-9]\d{6,14})$/.exec(text);
	if (abroad) return abroad[1];
	return refuse('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号', 200, `"${text}" is not a phone number`);
}

/** @param {string} name */
function checkSignName(name) {
	if (!name) refuse('MissingSignName', 'SignName is mandatory for this action.', 400);
	if (!SIGNATURES.includes(name)) refuse('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名', 200, `signature "${name}" is not approved; known: ${SIGNATURES.join(', ')}`);
}

/** @param {string} code */
function templateOf(code) {
	if (!code) refuse('MissingTemplateCode', 'TemplateCode is mandatory for this action.', 400);
	const template = TEMPLATES[/** @type {keyof typeof TEMPLATES} */ (code)];
	if (!template) refuse('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板', 200, `template ${code} is not approved; known: ${Object.keys(TEMPLATES).join(', ')}`);
	return template;
}

/**
 * The text a template gives with these values: every variable set, every value a string.
 * @param {{ kind: string, text: string, variables: string[] }} template @param {unknown} values
 */
function render(template, values) {
	if (template.variables.length === 0) return template.text;
	if (values === undefined) refuse('isv.TEMPLATE_MISSING_PARAMETERS', '模板变量缺少对应参数值', 200, 'TemplateParam is missing');
	if (values === null || typeof values !== 'object' || Array.isArray(values)) refuse('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值', 200, 'TemplateParam is not an object');
	const object = /** @type {Record<string, unknown>} */ (values);
	for (const [name, value] of Object.entries(object)) {
		// "只接受字符串值": a number is refused.
		if (typeof value !== 'string') refuse('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值', 200, `${name} is a ${typeof value}, not a string`);
	}
	for (const name of template.variables) {
		if (object[name] === undefined) refuse('isv.TEMPLATE_MISSING_PARAMETERS', '模板变量缺少对应参数值', 200, `no value for \${${name}}`);
	}
	// GUESS: a code variable holds 4 to 8 letters or digits.
	if (template.kind === 'code' && !/^[A-Za-z0-9]{4,8}$/.test(String(object.code))) {
		refuse('isv.TEMPLATE_PARAMS_ILLEGAL', '模板变量里包含非法关键字', 200, `code "${object.code}" is not 4 to 8 letters or digits`);
	}
	return template.text.replace(/\$\{(\w+)\}/g, (_, name) => String(object[name]));
}

/** @param {string} text @param {string} what */
function parseJson(text, what) {
	try {
		return JSON.parse(text);
	} catch {
		return refuse('isv.INVALID_JSON_PARAM', 'JSON参数不合法', 200, `${what} is not JSON`);
	}
}

/**
 * The per-number limits: verification codes with one signature 1 a minute, 5 an hour (calendar
 * windows; UTC+8 is whole hours, so they are UTC's), 10 in the 24 h before; a notification 50 a day per
 * template. A send counts once submitted.
 * @param {State} state @param {{ phone: string, signName: string, templateCode: string, kind: string }[]} messages @param {Date} now
 */
function checkLimits(state, messages, now) {
	if (!state.limits) return;
	const t = now.getTime();
	// Counted as the call goes, so that a number twice in one call counts twice.
	/** @type {Map<string, number[]>} */
	const pending = new Map();
	for (const m of messages) {
		const key = m.kind === 'code' ? `code|${m.phone}|${m.signName}` : `notice|${m.phone}|${m.signName}|${m.templateCode}`;
		const times = [...(state.sends.get(key) ?? []), ...(pending.get(key) ?? [])];
		const inDay = times.filter((s) => t - s < 86_400_000).length;
		if (m.kind === 'code') {
			if (times.filter((s) => Math.floor(s / 60_000) === Math.floor(t / 60_000)).length >= LIMITS.perMinute) {
				refuse('isv.BUSINESS_LIMIT_CONTROL', `触发分钟级流控Permits:${LIMITS.perMinute}`, 200, `${m.phone} got a code this minute`);
			}
			if (times.filter((s) => Math.floor(s / 3_600_000) === Math.floor(t / 3_600_000)).length >= LIMITS.perHour) {
				refuse('isv.BUSINESS_LIMIT_CONTROL', `触发小时级流控Permits:${LIMITS.perHour}`, 200, `${m.phone} got ${LIMITS.perHour} codes this hour`);
			}
			if (inDay >= LIMITS.perDay) refuse('isv.BUSINESS_LIMIT_CONTROL', `触发天级流控Permits:${LIMITS.perDay}`, 200, `${m.phone} got ${LIMITS.perDay} codes in 24 h`);
		} else if (inDay >= LIMITS.noticePerDay) {
			refuse('isv.BUSINESS_LIMIT_CONTROL', `触发天级流控Permits:${LIMITS.noticePerDay}`, 200, `${m.phone} got ${LIMITS.noticePerDay} notifications in 24 h`);
		}
		pending.set(key, [...(pending.get(key) ?? []), t]);
	}
	for (const [key, times] of pending) state.sends.set(key, [...(state.sends.get(key) ?? []), ...times]);
}

/** @param {State} state */
function nextBizId(state) {
	state.nextBizId += 1n;
	return `${state.nextBizId}^0`;
}

/**
 * Takes the messages of an accepted call: one BizId for the call, a detail record each, a report each
 * (numbers ending in 0000 are not delivered, GUESS: their carrier code), a reply from the first delivered.
 * @param {State} state @param {{ phone: string, signName: string, templateCode: string, text: string }[]} messages
 * @param {Date} now @param {string} requestId @param {string | undefined} outId
 */
function accept(state, messages, now, requestId, outId) {
	if (state.amountNotEnough) refuse('isv.AMOUNT_NOT_ENOUGH', '账户余额不足', 200, 'configured: amountNotEnough');
	const bizId = nextBizId(state);
	const time = chinaTime(now);
	const reports = messages.map((m) => {
		const delivered = !m.phone.endsWith('0000');
		state.details.push({
			phone: m.phone,
			bizId,
			sendStatus: delivered ? 3 : 2,
			errCode: delivered ? 'DELIVERED' : 'MK:0001',
			templateCode: m.templateCode,
			content: `【${m.signName}】${m.text}`,
			sendDate: time,
			receiveDate: time,
			...(outId && { outId }),
			day: time.slice(0, 10).replace(/-/g, ''),
		});
		return { phone: m.phone, bizId, success: delivered, errCode: delivered ? 'DELIVERED' : 'MK:0001', errMsg: delivered ? '用户接收成功' : '用户关机', sendTime: time, reportTime: time, outId, smsSize: '1' };
	});
	const firstDelivered = reports.find((r) => r.success);
	/** @type {{ kind: string, records: Record<string, any>[] }[]} */
	const events = [{ kind: 'delivery', records: reports }];
	if (firstDelivered) events.push({ kind: 'reply', records: [{ phone: firstDelivered.phone, content: '收到', signName: messages[0].signName }] });
	return {
		...respond(200, { Message: 'OK', RequestId: requestId, Code: 'OK', BizId: bizId }),
		detail: { bizId, messages: messages.map((m, i) => ({ ...m, delivered: reports[i].success })) },
		events,
	};
}

/** SendSms: every business parameter in the query string. @param {Record<string, string>} q @param {State} state @param {Date} now @param {string} requestId */
function sendSms(q, state, now, requestId) {
	if (!q.PhoneNumbers) refuse('MissingPhoneNumbers', 'PhoneNumbers is mandatory for this action.', 400);
	const raw = q.PhoneNumbers.split(',');
	if (raw.length > 1000) refuse('isv.MOBILE_COUNT_OVER_LIMIT', '手机号码数量超过限制', 200, `${raw.length} numbers; at most 1000`);
	const phones = raw.map(numberOf);
	checkSignName(q.SignName);
	const template = templateOf(q.TemplateCode);
	const text = render(template, q.TemplateParam === undefined ? undefined : parseJson(q.TemplateParam, 'TemplateParam'));
	const messages = phones.map((phone) => ({ phone, signName: q.SignName, templateCode: q.TemplateCode, kind: template.kind, text }));
	checkLimits(state, messages, now);
	return accept(state, messages, now, requestId, q.OutId);
}

/**
 * SendBatchSms: TemplateCode (and OutId) in the query, the *Json fields in the form body, matched by index.
 * @param {Record<string, string>} p @param {State} state @param {Date} now @param {string} requestId
 */
function sendBatchSms(p, state, now, requestId) {
	if (!p.PhoneNumberJson) refuse('MissingPhoneNumberJson', 'PhoneNumberJson is mandatory for this action.', 400);
	if (!p.SignNameJson) refuse('MissingSignNameJson', 'SignNameJson is mandatory for this action.', 400);
	const phonesJson = parseJson(p.PhoneNumberJson, 'PhoneNumberJson');
	const signsJson = parseJson(p.SignNameJson, 'SignNameJson');
	if (!Array.isArray(phonesJson) || !Array.isArray(signsJson) || phonesJson.length !== signsJson.length) {
		refuse('isv.INVALID_PARAMETERS', '参数异常', 200, 'PhoneNumberJson and SignNameJson must be arrays of the same length');
	}
	if (phonesJson.length > 100) refuse('isv.MOBILE_COUNT_OVER_LIMIT', '手机号码数量超过限制', 200, `${phonesJson.length} numbers; at most 100`);
	const template = templateOf(p.TemplateCode);
	const params = p.TemplateParamJson === undefined ? undefined : parseJson(p.TemplateParamJson, 'TemplateParamJson');
	if (params !== undefined && (!Array.isArray(params) || params.length !== phonesJson.length)) {
		refuse('isv.INVALID_PARAMETERS', '参数异常', 200, 'TemplateParamJson must be an array as long as PhoneNumberJson');
	}
	const messages = phonesJson.map((phone, i) => {
		checkSignName(String(signsJson[i]));
		return {
			phone: numberOf(String(phone)),
			signName: String(signsJson[i]),
			templateCode: p.TemplateCode,
			kind: template.kind,
			text: render(template, params === undefined ? undefined : params[i]),
		};
	});
	checkLimits(state, messages, now);
	return accept(state, messages, now, requestId, p.OutId);
}

/**
 * QuerySendDetails: one number, one day (yyyyMMdd, within 30 days), optionally one BizId, a page at a time.
 * @param {Record<string, string>} q @param {State} state @param {string} requestId @param {Date} now
 */
function querySendDetails(q, state, requestId, now) {
	for (const name of ['PhoneNumber', 'SendDate', 'PageSize', 'CurrentPage']) {
		if (!q[name]) refuse(`Missing${name}`, `${name} is mandatory for this action.`, 400);
	}
	const phone = numberOf(q.PhoneNumber);
	if (!/^\d{8}$/.test(q.SendDate)) refuse('isv.INVALID_PARAMETERS', '参数异常', 200, `SendDate ${q.SendDate} is not yyyyMMdd`);
	const day = Date.UTC(Number(q.SendDate.slice(0, 4)), Number(q.SendDate.slice(4, 6)) - 1, Number(q.SendDate.slice(6, 8)));
	const todayChina = Date.parse(`${chinaTime(now).slice(0, 10)}T00:00:00Z`);
	// GUESS: the code for a date outside the last 30 days.
	if (todayChina - day >= 30 * 86_400_000 || day > todayChina) refuse('isv.INVALID_PARAMETERS', '参数异常', 200, `SendDate ${q.SendDate} is not within the last 30 days`);
	const pageSize = Number(q.PageSize);
	const page = Number(q.CurrentPage);
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) refuse('isv.INVALID_PARAMETERS', '参数异常', 200, `PageSize ${q.PageSize} is not 1 to 50`);
	if (!Number.isInteger(page) || page < 1) refuse('isv.INVALID_PARAMETERS', '参数异常', 200, `CurrentPage ${q.CurrentPage} is not 1 or more`);
	const all = state.details.filter((d) => d.phone === phone && d.day === q.SendDate && (!q.BizId || d.bizId === q.BizId));
	const records = all.slice((page - 1) * pageSize, page * pageSize).map((d) => ({
		PhoneNum: d.phone,
		SendStatus: d.sendStatus,
		ErrCode: d.errCode,
		TemplateCode: d.templateCode,
		Content: d.content,
		SendDate: d.sendDate,
		ReceiveDate: d.receiveDate,
		...(d.outId !== undefined && { OutId: d.outId }),
	}));
	return {
		...respond(200, { TotalCount: String(all.length), Message: 'OK', RequestId: requestId, SmsSendDetailDTOs: { SmsSendDetailDTO: records }, Code: 'OK' }),
		detail: { phone, day: q.SendDate, bizId: q.BizId, page, returned: records.length, total: all.length },
	};
}

/** GUESS: Alibaba's own throttle answer (HTTP 400, Throttling.User), with the flow-control text. */
function throttled() {
	return respond(400, { RequestId: crypto.randomUUID().toUpperCase(), Message: 'Request was denied due to user flow control.', Code: 'Throttling.User' });
}

/** China time (UTC+8) whatever the machine's zone: 'yyyy-MM-dd HH:mm:ss'. @param {Date} date */
function chinaTime(date) {
	return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * HTTP batch pushes: a JSON array per push, at most 100 items (GUESS: the size of a batch).
 * delivery records: { phone, bizId, success (true), errCode, errMsg, sendTime, reportTime, outId?, smsSize }
 * reply records: { phone, content, sendTime, destCode, sequenceId, signName? }
 * @param {State} _state @param {string} kind @param {Record<string, any>[]} records @param {Date} now
 */
function pushBodies(_state, kind, records, now) {
	if (kind !== 'delivery' && kind !== 'reply') throw new Error(`aliyunSms pushes are "delivery" or "reply", not "${kind}"`);
	const time = chinaTime(now);
	const items = records.map((r, index) => {
		if (!r.phone) throw new Error(`an aliyunSms ${kind} record needs phone`);
		if (kind === 'delivery') {
			const success = r.success === undefined ? true : Boolean(r.success);
			return {
				phone_number: r.phone,
				send_time: r.sendTime || time,
				report_time: r.reportTime || time,
				success,
				err_code: r.errCode || (success ? 'DELIVERED' : 'MK:0001'),
				err_msg: r.errMsg || (success ? '用户接收成功' : '用户关机'),
				sms_size: r.smsSize || '1',
				biz_id: r.bizId || '',
				...(r.outId && { out_id: r.outId }),
			};
		}
		if (r.content === undefined) throw new Error('an aliyunSms reply record needs content');
		return {
			phone_number: r.phone,
			content: String(r.content),
			send_time: r.sendTime || time,
			dest_code: r.destCode || '1234',
			sequence_id: r.sequenceId ?? Number(`${Date.now()}`.slice(-9)) + index,
			...(r.signName && { sign_name: r.signName }),
		};
	});
	const bodies = [];
	for (let start = 0; start < items.length; start += 100) bodies.push(JSON.stringify(items.slice(start, start + 100)));
	return bodies;
}

/**
 * The data of an `aliyunSmsApi` credential for the simulator's account, its endpoint set to `baseUrl`.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({ accessKeyId: ALIYUN_ACCOUNT.accessKeyId, accessKeySecret: ALIYUN_ACCOUNT.accessKeySecret, baseUrl });

module.exports = {
	name: 'aliyunSms',
	credentialType: 'aliyunSmsApi',
	credentials,
	account: { accessKeyId: ALIYUN_ACCOUNT.accessKeyId, accessKeySecret: ALIYUN_ACCOUNT.accessKeySecret },
	operations: ['sendSms', 'sendBatchSms', 'querySendDetails'],
	pushContentType: 'application/json;charset=utf-8',
	createState,
	configure,
	route,
	handle,
	throttled,
	pushBodies,
	ALIYUN_ACCOUNT,
	TEMPLATES,
	SIGNATURES,
	LIMITS,
};
