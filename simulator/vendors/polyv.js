// @ts-check
'use strict';
// Polyv 保利威 SMS (docs/vendors/polyv.md).
// Everything the document leaves open is marked GUESS here and listed in simulator/README.md (Polyv, "Where the simulator guesses").

const crypto = require('node:crypto');

const POLYV_ACCOUNT = Object.freeze({
	appId: 'simpolyv01',
	appSecret: 'sim-polyv-secret',
});

const PATH = '/live/v4/user/sms/send';
const MAX_PHONES = 200; // "手机号,长度11位,最大200个"
const TIMESTAMP_VALID_MS = 3 * 60 * 1000; // "当前13位毫秒级时间戳,3分钟内有效"
const DAILY_LIMIT_PER_NUMBER = 10; // "单个手机号每日发送上限10条"
// "使用前账号需要配置阿里云短信模板": the account has one Aliyun template; the API names none.
// GUESS: its text (Aliyun's ${name} variables).
const DEFAULT_TEMPLATE = '【保利威】您的验证码是${code}，5分钟内有效。';

const STATUS = { LIMIT: -1, INVALID: -2, ALIYUN_FAILED: 11, ACCEPTED: 12 };

/** @typedef {{ clockSkewMs: number, template: string, sentToday: Map<string, number>, serial: number }} State */

/** @returns {State} */
function createState() {
	return { clockSkewMs: 0, template: DEFAULT_TEMPLATE, sentToday: new Map(), serial: 0 };
}

/**
 * `clockSkewMs`: the simulator's clock runs this far ahead of the machine's, as a Polyv server would
 * for an n8n host whose clock is behind (expired timestamps). `template`: the account's template.
 * @param {State} state @param {{ clockSkewMs?: number, template?: string } | undefined} cfg
 */
function configure(state, cfg) {
	if (!cfg) return;
	for (const key of Object.keys(cfg)) {
		if (key !== 'clockSkewMs' && key !== 'template') throw new Error(`polyv: unknown config key "${key}"`);
	}
	if (cfg.clockSkewMs !== undefined) state.clockSkewMs = Number(cfg.clockSkewMs) || 0;
	if (cfg.template !== undefined) state.template = String(cfg.template);
}

/** @param {string} path */
function route(path) {
	return path === PATH ? { operation: 'send' } : null;
}

/** Polyv's signature (buildsign page; LiveSignUtil): blanks dropped, ASCII order, secret on both sides, MD5 upper-case. */
function polyvSign(/** @type {Record<string, string>} */ params, /** @type {string} */ secret) {
	const concat = Object.keys(params)
		.filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && String(params[k]).trim() !== '')
		.sort()
		.map((k) => k + params[k])
		.join('');
	return crypto.createHash('md5').update(secret + concat + secret, 'utf8').digest('hex').toUpperCase();
}

class Refusal extends Error {
	/** @param {number} httpStatus @param {number} code @param {string} desc @param {string} reason */
	constructor(httpStatus, code, desc, reason) {
		super(reason);
		this.httpStatus = httpStatus;
		this.code = code;
		this.desc = desc;
	}
}
/** @param {number} httpStatus @param {number} code @param {string} desc @param {string} reason @returns {never} */
function refuse(httpStatus, code, desc, reason) {
	throw new Refusal(httpStatus, code, desc, reason);
}

/**
 * @param {{ method: string, query: Record<string, string>, headers: Record<string, any>, body: string, json?: any }} call
 * @param {State} state
 * @param {Date} now
 */
function handle(call, state, now) {
	try {
		// GUESS: only POST is documented; Spring answers other methods 405 in Polyv's error shape.
		if (call.method !== 'POST') refuse(405, 405, 'request method not supported', 'only POST');
		checkSignature(call.query, now.getTime() + state.clockSkewMs);
		const body = readBody(call);
		return accept(body, state, new Date(now.getTime() + state.clockSkewMs));
	} catch (err) {
		if (!(err instanceof Refusal)) throw err;
		// "code 状态码,与 http 状态码相同"; 400 = status "error", 500 = status "fail" (global error page).
		const fields = {
			code: err.httpStatus,
			status: err.httpStatus >= 500 ? 'fail' : 'error',
			requestId: crypto.randomUUID().replace(/-/g, ''),
			error: { code: err.code, desc: err.desc },
			success: false,
		};
		return { status: err.httpStatus, contentType: 'application/json;charset=UTF-8', body: JSON.stringify(fields), detail: { reason: err.message } };
	}
}

/**
 * GUESS: the order of the checks (app, then signature, then time, then the body). What the document
 * does say: appId, timestamp and sign travel in the URL, only appId and timestamp are signed, and the
 * body is not ("请求体参数不参与签名").
 * @param {Record<string, string>} query @param {number} nowMs
 */
function checkSignature(query, nowMs) {
	// The only v4 error code the document shows: 20001 "application not found.".
	if (!query.appId || query.appId !== POLYV_ACCOUNT.appId) refuse(400, 20001, 'application not found.', `unknown appId ${query.appId || '(none)'}`);
	if (!query.sign) refuse(400, 10002, 'param should not be empty: sign', 'no sign'); // GUESS: code
	if (!query.timestamp) refuse(400, 10002, 'param should not be empty: timestamp', 'no timestamp'); // GUESS: code
	// Every query parameter but sign is signed, as the buildsign page says; here that is appId and timestamp.
	const expected = polyvSign(query, POLYV_ACCOUNT.appSecret);
	// GUESS: code 20002; the text "invalid signature." is the global error page's example.
	if (query.sign !== expected) refuse(400, 20002, 'invalid signature.', `sign ${query.sign} is not ${expected}`);
	const timestamp = Number(query.timestamp);
	if (!/^\d{13}$/.test(query.timestamp) || Math.abs(nowMs - timestamp) > TIMESTAMP_VALID_MS) {
		// GUESS: code and text; the document says only that a timestamp is valid for 3 minutes.
		refuse(400, 20003, 'timestamp expired.', `timestamp ${query.timestamp} is ${Math.round((nowMs - timestamp) / 1000)} s from the server's time`);
	}
}

/**
 * @param {{ headers: Record<string, any>, body: string, json?: any }} call
 * @returns {{ phones: unknown[], names: unknown[], values: unknown[] }}
 */
function readBody(call) {
	// "请设置请求头contentType:application/json" (the real header is Content-Type).
	// GUESS: anything else, or a body that is not JSON, gets "json format error".
	if (!/^application\/json/i.test(String(call.headers['content-type'] || ''))) refuse(400, 10001, 'json format error', `Content-Type ${call.headers['content-type']}`);
	const json = call.json;
	if (!json || typeof json !== 'object' || Array.isArray(json)) refuse(400, 10001, 'json format error', 'the body is not a JSON object');
	for (const name of ['phoneNumbers', 'templateParamNames', 'templateParamValues']) {
		if (!Array.isArray(json[name])) refuse(400, 10002, `param should not be empty: ${name}`, `${name} is not an array`);
	}
	if (json.phoneNumbers.length === 0) refuse(400, 10002, 'param should not be empty: phoneNumbers', 'no phone numbers');
	// GUESS: code and text for more than 200 numbers and for names and values that do not pair up.
	if (json.phoneNumbers.length > MAX_PHONES) refuse(400, 10001, 'param validate error', `${json.phoneNumbers.length} phone numbers, at most ${MAX_PHONES}`);
	if (json.templateParamNames.length !== json.templateParamValues.length) {
		refuse(400, 10001, 'param validate error', `${json.templateParamNames.length} names for ${json.templateParamValues.length} values`);
	}
	return { phones: json.phoneNumbers, names: json.templateParamNames, values: json.templateParamValues };
}

/** @param {{ phones: unknown[], names: unknown[], values: unknown[] }} body @param {State} state @param {Date} serverNow */
function accept(body, state, serverNow) {
	const vars = Object.fromEntries(body.names.map((name, i) => [String(name), String(body.values[i])]));
	const missing = [...state.template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).filter((name) => !(name in vars));
	const content = state.template.replace(/\$\{(\w+)\}/g, (whole, name) => (name in vars ? vars[name] : whole));
	const day = chinaDate(serverNow);
	const messages = body.phones.map((raw) => {
		const phone = String(raw);
		/** @type {number} */
		let status;
		const key = `${day} ${phone}`;
		const count = state.sentToday.get(key) || 0;
		if (!/^1\d{10}$/.test(phone)) status = STATUS.INVALID; // "手机号不合法(非数字、长度错误)", e.g. the doc's 1768909
		else if (phone.endsWith('1111') || count >= DAILY_LIMIT_PER_NUMBER) status = STATUS.LIMIT;
		// GUESS: Aliyun refuses a message whose template variables are missing, or a number it blocks.
		else if (missing.length > 0 || phone.endsWith('0000')) status = STATUS.ALIYUN_FAILED;
		else status = STATUS.ACCEPTED;
		if (status === STATUS.ACCEPTED) state.sentToday.set(key, count + 1);
		// Aliyun's BizId, as in the document's sample "605320356903663783^0".
		const serialNo = status === STATUS.ACCEPTED ? `605320356${String(++state.serial).padStart(9, '0')}^0` : null;
		return { serialNo, phoneNumber: phone, status, content };
	});
	// The document's success sample, field for field (code, status, requestId, data, success).
	const fields = {
		code: 200,
		status: 'success',
		requestId: crypto.randomUUID(),
		data: messages.map(({ serialNo, phoneNumber, status }) => ({ serialNo, phoneNumber, status })),
		success: true,
	};
	return {
		status: 200,
		contentType: 'application/json;charset=UTF-8',
		body: JSON.stringify(fields),
		detail: {
			messages,
			// Strings or numbers on the wire: the document's sample sends numbers, its Java sample strings.
			types: { phoneNumbers: typesOf(body.phones), templateParamValues: typesOf(body.values) },
			...(missing.length ? { missingVariables: missing } : {}),
		},
	};
}

/** @param {unknown[]} list */
function typesOf(list) {
	return [...new Set(list.map((v) => typeof v))];
}

/** China date (UTC+8) whatever the machine's zone: the per-number daily limit counts China days. */
function chinaDate(/** @type {Date} */ date) {
	return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
}

/** Polyv pushes nothing: no delivery reports, no replies. */
function pushBodies() {
	throw new Error('polyv pushes nothing: the SMS API has no delivery reports or replies');
}

/**
 * The data of a `polyvApi` credential for the simulator's account, every base URL set to `baseUrl`
 * (the simulator answers every vendor on one port). Tests, e2e scenarios and the demo take it from here.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({ appId: POLYV_ACCOUNT.appId, appSecret: POLYV_ACCOUNT.appSecret, baseUrl });

module.exports = {
	name: 'polyv',
	credentialType: 'polyvApi',
	credentials,
	account: POLYV_ACCOUNT,
	operations: ['send'],
	pushContentType: 'application/json',
	createState,
	configure,
	route,
	handle,
	pushBodies,
	POLYV_ACCOUNT,
	DEFAULT_TEMPLATE,
	polyvSign,
};
