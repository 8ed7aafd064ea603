// @ts-check
'use strict';
// Chonry 创瑞云 / 1cloudsp international SMS (docs/vendors/chonry.md).
// Everything the document leaves open is marked GUESS here and listed in simulator/README.md (Chonry, "Where the simulator guesses").

const crypto = require('node:crypto');

const CHONRY_ACCOUNT = Object.freeze({
	accessKey: 'sim-chonry-key',
	secret: 'sim-chonry-secret',
	blockedAccessKey: 'sim-chonry-blocked',
});

const START_BALANCE_CENTS = 500000; // 5000.00 CNY
const PRICE_CENTS = 5; // GUESS: 0.05 CNY per message, whatever the country and length
const MAX_MOBILES = 50000; // "最大支持5万"
const MAX_DATA = 10000; // "最大支持1万"
const SIGNATURES = { '123': 'Chonry', '456': 'SimShop' }; // id -> text; the sample's sign is "123"
const TEMPLATES = {
	'100': '{1}您好,您的订单于{2}已通过{3}发货,运单号{4}', // the document's sample template
	'200': 'Your verification code is {1}, valid for {2} minutes.',
	'300': 'SimShop: your parcel is on its way.',
};
const DELIVERED = 'DELIVRD';

// The platform's codes as third-party callers list them (the document refers to a list it does not include).
const ERRORS = {
	'9002': '参数未赋值',
	'9003': '手机号码格式不正确',
	'9006': '用户accessKey不正确',
	'9007': 'IP白名单限制',
	'9009': '短信内容参数不正确',
	'9010': '用户短信余额不足',
	'9012': '日期时间格式不正确',
	'9014': '超出了最大手机号数量',
	'9016': '无效的签名或者签名ID',
	'9017': '无效的模板ID',
	'9022': '手机号码不能为空',
	'10003': '错误的定时时间',
	'10006': '模版和内容不匹配',
};

/** @typedef {keyof typeof ERRORS} ErrorCode */
/** @typedef {{ smUuid: string, phone: string, batchId: string, deliverResult: string, deliverTime: string }} Report */
/** @typedef {{ balanceCents: number, emptyBatchId: boolean, seq: number, reports: Report[] }} State */
/** @typedef {{ kind: string, records: Record<string, any>[] }} PushEvent */

class Rejection extends Error {
	/** @param {ErrorCode} code @param {string} reason */
	constructor(code, reason) {
		super(reason);
		this.code = code;
	}
}
/** @param {ErrorCode} code @param {string} reason @returns {never} */
function reject(code, reason) {
	throw new Rejection(code, reason);
}

/** @returns {State} */
function createState() {
	return { balanceCents: START_BALANCE_CENTS, emptyBatchId: false, seq: 10000, reports: [] };
}

/** @param {State} state @param {{ balance?: number, emptyBatchId?: boolean } | undefined} cfg */
function configure(state, cfg) {
	if (!cfg) return;
	if (cfg.balance !== undefined) state.balanceCents = Math.round(Number(cfg.balance) * 100);
	if (cfg.emptyBatchId !== undefined) state.emptyBatchId = Boolean(cfg.emptyBatchId);
}

/** @param {string} path */
function route(path) {
	if (path === '/intl/api/v2/send') return { operation: 'send' };
	if (path === '/query/account') return { operation: 'queryAccount' };
	return null;
}

/**
 * @param {{ method: string, operation: string, params: Record<string, string> }} call
 * @param {State} state
 * @param {Date} now
 */
function handle(call, state, now) {
	// "POST 或 GET"; GUESS: anything else gets 405, as from a Java servlet.
	if (call.method !== 'GET' && call.method !== 'POST') {
		return { status: 405, contentType: 'text/plain;charset=UTF-8', body: 'Method Not Allowed', detail: { reason: 'only GET and POST' } };
	}
	try {
		authenticate(call.params);
		const result = call.operation === 'send' ? send(call.params, state, now) : queryAccount(state);
		return { ...json(result.fields), detail: result.detail, events: result.events };
	} catch (err) {
		if (!(err instanceof Rejection)) throw err;
		// GUESS: a refusal carries code and msg only.
		return { ...json({ code: err.code, msg: ERRORS[err.code] }), detail: { reason: err.message } };
	}
}

/** @param {Record<string, string>} p */
function authenticate(p) {
	if (!p.accesskey || !p.secret) reject('9002', 'accesskey and secret are required');
	const known = /** @type {string[]} */ ([CHONRY_ACCOUNT.accessKey, CHONRY_ACCOUNT.blockedAccessKey]);
	// GUESS: a wrong secret gets the same 9006 as an unknown key (no other code is known for it).
	if (!known.includes(p.accesskey) || p.secret !== CHONRY_ACCOUNT.secret) reject('9006', 'unknown accesskey or wrong secret');
	if (p.accesskey === CHONRY_ACCOUNT.blockedAccessKey) reject('9007', 'this account simulates a caller outside the IP whitelist');
}

/**
 * @param {Record<string, string>} p
 * @param {State} state
 * @param {Date} now
 */
function send(p, state, now) {
	// GUESS: templateId is required; the table omits it but the personalised sample sends it.
	if (!p.templateId) reject('9002', 'templateId is required');
	const template = Object.prototype.hasOwnProperty.call(TEMPLATES, p.templateId)
		? TEMPLATES[/** @type {keyof typeof TEMPLATES} */ (p.templateId)]
		: reject('9017', `no template ${p.templateId}; known: ${Object.keys(TEMPLATES).join(', ')}`);
	// GUESS: sign is optional for international SMS; when given, an ID or its text (with or without 【】).
	if (p.sign && !signatureKnown(p.sign)) reject('9016', `unknown signature ${p.sign}`);

	// content and data were URL-encoded by the caller before the form encoding (the document's sample):
	// the form has been decoded once already, so they are decoded once more here.
	/** @type {{ phone: string, content: string }[]} */
	let messages;
	let mode;
	if (p.data) {
		mode = 'personalized';
		let map;
		try {
			map = JSON.parse(javaUrlDecode(p.data));
		} catch {
			return reject('9009', 'data is not URL-encoded JSON');
		}
		if (!map || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
			reject('9009', 'data must be a JSON object of number -> variables');
		}
		messages = Object.entries(map).map(([phone, content]) => ({ phone, content }));
		if (messages.length > MAX_DATA) reject('9014', `${messages.length} numbers in data, at most ${MAX_DATA}`);
	} else {
		mode = 'bulk';
		const phones = (p.mobile || '').split(',').filter((n) => n !== '');
		if (phones.length === 0) reject('9022', 'mobile is empty');
		if (phones.length > MAX_MOBILES) reject('9014', `${phones.length} numbers in mobile, at most ${MAX_MOBILES}`);
		const content = p.content ? javaUrlDecode(p.content) : '';
		messages = phones.map((phone) => ({ phone, content }));
	}
	if (messages.length === 0) reject('9022', 'data holds no number');
	const bad = messages.filter((m) => !/^[1-9]\d{6,14}$/.test(m.phone)).map((m) => m.phone);
	if (bad.length) reject('9003', `not country code + number: ${bad.slice(0, 5).join(', ')}`);

	const placeholders = (template.match(/\{\d+\}/g) || []).length;
	const texts = messages.map((m) => {
		const variables = m.content === '' ? [] : m.content.split(/##|\$\$/);
		if (variables.length !== placeholders) {
			reject('10006', `${variables.length} variables for ${m.phone}, template ${p.templateId} has ${placeholders}`);
		}
		return template.replace(/\{(\d+)\}/g, (_, n) => variables[Number(n) - 1]);
	});

	if (p.scheduleSendTime) {
		if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(p.scheduleSendTime)) reject('9012', 'scheduleSendTime is not yyyy-MM-dd HH:mm:ss');
		if (p.scheduleSendTime < chinaTime(now)) reject('10003', 'scheduleSendTime is in the past');
	}
	const cost = messages.length * PRICE_CENTS;
	if (state.balanceCents < cost) reject('9010', `balance ${state.balanceCents} cents < ${cost}`);
	state.balanceCents -= cost;

	const batchId = state.emptyBatchId ? '' : randomId(7);
	const deliverTime = chinaTime(now);
	/** @type {Report[]} */
	const reports = messages.map((m) => ({
		smUuid: `${++state.seq}_1_0_${m.phone}_1_${randomId(7)}_1`, // shaped like the platform's sample
		phone: m.phone,
		batchId,
		deliverResult: m.phone.endsWith('0000') ? 'REJECT' : DELIVERED,
		deliverTime,
	}));
	state.reports.push(...reports);
	/** @type {PushEvent[]} */
	const events = [];
	// GUESS: a scheduled send is reported when it goes out; the simulator does not wait, it reports nothing.
	if (!p.scheduleSendTime) {
		events.push({ kind: 'delivery', records: reports });
		const replier = reports.find((r) => r.deliverResult === DELIVERED);
		if (replier) events.push({ kind: 'reply', records: [{ phone: replier.phone, content: '收到, thanks' }] });
	}
	return {
		fields: { code: '0', msg: 'SUCCESS', batchId },
		detail: {
			mode,
			batchId,
			messages: messages.map((m, i) => ({ ...m, text: texts[i], smUuid: reports[i].smUuid, deliverResult: reports[i].deliverResult })),
		},
		events,
	};
}

/** @param {State} state */
function queryAccount(state) {
	// The public page's sample, with the international SMS figure from the simulated balance.
	const data = {
		营销短信: 0,
		语音验证码: 0,
		国际短信: money(state.balanceCents),
		语音通知: '98.00',
		接口短信: 0,
		私密通话: '.00',
		国际语音验证码: '99.26',
	};
	return { fields: { code: '0', msg: 'SUCCESS', data }, detail: undefined, events: undefined };
}

/** Java's DecimalFormat("#.00"), which the sample's ".00" suggests: no leading zero. @param {number} cents */
function money(cents) {
	const whole = Math.floor(cents / 100);
	return `${whole === 0 ? '' : whole}.${String(cents % 100).padStart(2, '0')}`;
}

/** @param {string} sign */
function signatureKnown(sign) {
	const text = sign.replace(/^【(.*)】$/, '$1');
	return Object.prototype.hasOwnProperty.call(SIGNATURES, sign) || Object.values(SIGNATURES).includes(text);
}

/** Java's URLDecoder.decode(s, "UTF-8"): `+` is a space; a broken `%` sequence is an error. @param {string} s */
function javaUrlDecode(s) {
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		return reject('9009', `"${s.slice(0, 40)}" is not valid URL encoding`);
	}
}

/** @param {number} n */
function randomId(n) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(crypto.randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
}

/** China time (UTC+8) whatever the machine's zone: 'yyyy-MM-dd HH:mm:ss'. @param {Date} date */
function chinaTime(date) {
	return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

/** @param {Record<string, unknown>} fields */
function json(fields) {
	return { status: 200, contentType: 'application/json;charset=UTF-8', body: JSON.stringify(fields) };
}

/**
 * Push bodies, one form-encoded record per HTTP push ("每产生一条…" in the platform's receivers).
 * @param {State} _state
 * @param {string} kind
 * @param {Record<string, any>[]} records
 * @param {Date} now
 */
function pushBodies(_state, kind, records, now) {
	if (kind === 'delivery') {
		return records.map((r) => {
			if (!r.phone) throw new Error('a delivery record needs phone');
			return new URLSearchParams({
				smUuid: r.smUuid || `${Date.now()}_1_0_${r.phone}_1_${randomId(7)}_1`,
				mobile: r.phone,
				batchId: r.batchId || '',
				deliverResult: r.deliverResult || DELIVERED,
				deliverTime: r.deliverTime || chinaTime(now),
			}).toString();
		});
	}
	if (kind === 'reply') {
		return records.map((r) => {
			if (!r.phone || r.content === undefined) throw new Error('a reply record needs phone and content');
			return new URLSearchParams({
				mobile: r.phone,
				content: String(r.content),
				receiveTime: r.receiveTime || chinaTime(now),
				extNo: r.extNo || '',
			}).toString();
		});
	}
	throw new Error(`chonry pushes are "delivery" or "reply", not "${kind}"`);
}

/**
 * The data of a `chonryApi` credential for the simulator's account, every base URL set to `baseUrl`
 * (the simulator answers every vendor on one port). Tests, e2e scenarios and the demo take it from here.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({ accessKey: CHONRY_ACCOUNT.accessKey, secret: CHONRY_ACCOUNT.secret, baseUrl, intlBaseUrl: baseUrl });

module.exports = {
	name: 'chonry',
	credentialType: 'chonryApi',
	credentials,
	account: CHONRY_ACCOUNT,
	operations: ['send', 'queryAccount'],
	// The statusCallback page: "Content-Type:application/x-www-form-urlencoded;charset=utf-8".
	pushContentType: 'application/x-www-form-urlencoded;charset=utf-8',
	createState,
	configure,
	route,
	handle,
	pushBodies,
	CHONRY_ACCOUNT,
	TEMPLATES,
	SIGNATURES,
};
