// @ts-check
'use strict';
// 1oc SMS, sms.1oc.cn (docs/vendors/sms1oc.md).
// Everything the document leaves open is marked GUESS here and listed in simulator/README.md (1oc SMS, "Where the simulator guesses").

const crypto = require('node:crypto');

const SMS1OC_ACCOUNT = Object.freeze({ appSecret: 'sim-1oc-secret' });

const START_BALANCE = 100000;
// GUESS: templates are set up by 1oc staff per account; the document shows none. `{code}` is where
// the `code` parameter goes.
const TEMPLATES = {
	SMS_0001: '【1oc测试】您的验证码是{code}，5分钟内有效。',
	会员通知: '【1oc测试】尊敬的{code}，您的会员已开通。',
};
const VERIFY_FAILED = '校验失败'; // the document's only failure text, with code 400

/** @typedef {{ mid: string, phone: string, stat: string }} Report */
/** @typedef {{ balance: number, reports: Report[] }} State */

/** @returns {State} */
function createState() {
	return { balance: START_BALANCE, reports: [] };
}

/** @param {State} state @param {{ balance?: number } | undefined} cfg */
function configure(state, cfg) {
	for (const key of Object.keys(cfg || {})) {
		if (key !== 'balance') throw new Error(`sms1oc: unknown config key "${key}"; known: balance`);
	}
	if (cfg && cfg.balance !== undefined) state.balance = Number(cfg.balance);
}

/**
 * The API lives at the site's root: `/?module=sms&file=send&action=send&…`. The root without
 * `module` is the site itself (what the credential test requests): a fallback, so that another
 * vendor's call on `/` (Alibaba's and Tencent's name theirs in a header) goes to that vendor.
 * @param {string} path @param {Record<string, string>} query
 */
function route(path, query) {
	if (path !== '/') return null;
	if (query.module === 'sms' && query.file === 'send' && query.action === 'send') return { operation: 'send' };
	if (query.module === undefined) return { operation: 'home', fallback: true };
	return null;
}

/**
 * @param {{ method: string, operation: string, params: Record<string, string>, headers: import('node:http').IncomingHttpHeaders }} call
 * @param {State} state
 */
function handle(call, state) {
	if (call.operation === 'home') {
		// GUESS: the site's home page; its content is unknown and nothing should depend on it.
		return { status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><head><title>1oc SMS (simulator)</title></head><body>1oc SMS</body></html>' };
	}
	// GUESS: only GET is documented; other methods get 405.
	if (call.method !== 'GET') {
		return { status: 405, contentType: 'text/plain; charset=utf-8', body: 'Method Not Allowed', detail: { reason: 'only GET is documented' } };
	}
	const p = call.params;
	// The raw secret, no scheme: "Authorization:{AppSecret}".
	const authorization = call.headers.authorization;
	if (authorization !== SMS1OC_ACCOUNT.appSecret) {
		const reason = authorization === undefined ? 'no Authorization header' : /^(bearer|basic|appcode)\s/i.test(authorization) ? 'the Authorization header has a scheme; 1oc wants the raw secret' : 'wrong secret';
		return refuse(VERIFY_FAILED, reason);
	}
	// GUESS: the document names no other failure, so every bad parameter gets 400 校验失败.
	if (!p.mobphone) return refuse(VERIFY_FAILED, 'mobphone is missing');
	if (!/^1\d{10}$/.test(p.mobphone)) return refuse(VERIFY_FAILED, `mobphone "${p.mobphone}" is not one 11-digit mainland mobile number`);
	if (!p.smstemplate) return refuse(VERIFY_FAILED, 'smstemplate is missing');
	const template = Object.prototype.hasOwnProperty.call(TEMPLATES, p.smstemplate)
		? TEMPLATES[/** @type {keyof typeof TEMPLATES} */ (p.smstemplate)]
		: undefined;
	if (!template) return refuse(VERIFY_FAILED, `no template "${p.smstemplate}"; known: ${Object.keys(TEMPLATES).join(', ')}`);
	const code = p.code === undefined ? '' : p.code;
	if (template.includes('{code}') && code === '') return refuse(VERIFY_FAILED, `template "${p.smstemplate}" needs code`);
	// GUESS: an empty balance; the document has no such send answer (its report table has MA:0015 余额不足).
	if (state.balance < 1) return refuse('余额不足', `balance ${state.balance}`);
	state.balance -= 1;

	// GUESS: mid format, 16 upper-case hex digits as in the document's sample "1151894566D2EDD9".
	const mid = crypto.randomBytes(8).toString('hex').toUpperCase();
	const stat = outcome(p.mobphone);
	state.reports.push({ mid, phone: p.mobphone, stat });
	return {
		...answer({ code: 200, msg: 'ok', mid }),
		detail: { message: { phone: p.mobphone, template: p.smstemplate, code, content: template.replace('{code}', code), mid, stat } },
		events: [{ kind: 'delivery', records: [{ mid, stat }] }],
	};
}

/** The delivery outcome of a number. @param {string} phone */
function outcome(phone) {
	if (phone.endsWith('0000')) return 'MA:0001'; // 全局黑名单号码
	if (phone.endsWith('0001')) return 'EXPIRED';
	if (phone.endsWith('0254')) return 'MO:0254'; // 转发提交超时
	return 'DELIVRD';
}

/** @param {string} msg @param {string} reason */
function refuse(msg, reason) {
	// The document: `code` is a result code, "并非http状态码" (not the HTTP status). GUESS: HTTP 200.
	return { ...answer({ code: 400, msg, mid: '' }), detail: { reason } };
}

/** @param {{ code: number, msg: string, mid: string }} fields */
function answer(fields) {
	// GUESS: the Content-Type is not documented.
	return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(fields) };
}

/**
 * One push per report, exactly the document's body: `{"mid":"…","stat":"DELIVRD"}`.
 * @param {State} _state @param {string} kind @param {Record<string, any>[]} records
 */
function pushBodies(_state, kind, records) {
	if (kind !== 'delivery') throw new Error(`sms1oc pushes only "delivery" reports, not "${kind}"`);
	return records.map((r) => {
		if (!r.mid) throw new Error('a sms1oc delivery record needs mid');
		return JSON.stringify({ mid: String(r.mid), stat: r.stat === undefined ? 'DELIVRD' : String(r.stat) });
	});
}

/**
 * The data of a `sms1ocApi` credential for the simulator's account, every base URL set to `baseUrl`
 * (the simulator answers every vendor on one port). Tests, e2e scenarios and the demo take it from here.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({ appSecret: SMS1OC_ACCOUNT.appSecret, baseUrl });

module.exports = {
	name: 'sms1oc',
	credentialType: 'sms1ocApi',
	credentials,
	account: SMS1OC_ACCOUNT,
	operations: ['send', 'home'],
	// GUESS: the document does not name the push Content-Type; the body is JSON.
	pushContentType: 'application/json',
	createState,
	configure,
	route,
	handle,
	pushBodies,
	SMS1OC_ACCOUNT,
	TEMPLATES,
};
