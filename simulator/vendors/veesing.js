// @ts-check
'use strict';
// Veesing / 10658 (中昱维信), cloud.10658.com.cn, as docs/vendors/veesing.md describes it: a
// verification code to one number per call, the balance of the verification-code product, and receipts
// and replies pushed as forms. Every guess is marked GUESS and listed in simulator/README.md (Veesing, "Where the simulator guesses").

const VEESING_ACCOUNT = {
	appId: 'sim-veesing-app-id',
	appKey: 'sim-veesing-app-key',
	/** Answers every call with 您的账户已被锁定,请联系您的专属客服. */
	lockedAppId: 'sim-veesing-locked',
	/** Answers every call with IP受限, as for a caller outside the account's IP whitelist. */
	ipLimitedAppId: 'sim-veesing-ip-limited',
};

const START_BALANCE = 1000;
// The doc's sample taskId; each accepted send takes the next one.
const FIRST_TASK_ID = 3313746;
// "相同手机号码一分钟之内只可发送一次"
const SAME_NUMBER_WINDOW_MS = 60_000;

/** Approved verification-code templates. GUESS: the texts (the doc shows only the id 540). */
const TEMPLATES = {
	540: '【中昱维信】您的验证码是{code}，5分钟内有效，请勿泄露。',
	541: '【测试签名】验证码{code}，用于登录，10分钟内有效。',
};

/** The doc's status messages (returnStatus "0" for every failure), by what they mean. */
const MESSAGES = {
	wrongAccount: '账号或密码错误',
	missing: '缺少参数',
	badParameter: '参数错误', // the doc's failure sample; GUESS: answered for a code that is not 2 to 8 digits
	noTemplate: '模板不存在或者未通过',
	badTemplateId: '模板id格式不正确',
	locked: '您的账户已被锁定,请联系您的专属客服',
	noBalance: '余额不足',
	badPhone: '手机号码格式不正确',
	numberDailyCap: '该号码今日发送次数已达上限',
	sameNumberInAMinute: '相同手机号码一分钟之内只可发送一次',
	accountDailyCap: '当日发送量已超出最大发送限制',
	unknown: '未知原因,请联系客服',
	ipLimited: 'IP受限',
};

/**
 * @typedef {{ balance: number, nextTaskId: number, dailyLimit: number, sentToday: number,
 *   lastSentAt: Map<string, number>, balanceReads: 'form' | 'query' }} State
 * @typedef {{ kind: string, records: Record<string, any>[] }} PushEvent
 */

class Rejection extends Error {
	/** @param {keyof typeof MESSAGES} message @param {string} reason */
	constructor(message, reason) {
		super(reason);
		this.vendorMessage = MESSAGES[message];
	}
}
/** @param {keyof typeof MESSAGES} message @param {string} reason @returns {never} */
function reject(message, reason) {
	throw new Rejection(message, reason);
}

/** @returns {State} */
function createState() {
	return { balance: START_BALANCE, nextTaskId: FIRST_TASK_ID, dailyLimit: Infinity, sentToday: 0, lastSentAt: new Map(), balanceReads: 'form' };
}

/** @param {State} state @param {{ balance?: number, dailyLimit?: number | null, balanceReads?: 'form' | 'query' } | undefined} cfg */
function configure(state, cfg) {
	if (!cfg) return;
	for (const key of Object.keys(cfg)) {
		if (!['balance', 'dailyLimit', 'balanceReads'].includes(key)) throw new Error(`veesing: unknown config key "${key}"; known: balance, dailyLimit, balanceReads`);
	}
	if (cfg.balanceReads !== undefined) {
		if (cfg.balanceReads !== 'form' && cfg.balanceReads !== 'query') throw new Error('veesing: balanceReads is "form" or "query"');
		state.balanceReads = cfg.balanceReads;
	}
	if (cfg.balance !== undefined) state.balance = Number(cfg.balance);
	if (cfg.dailyLimit !== undefined) state.dailyLimit = cfg.dailyLimit === null ? Infinity : Number(cfg.dailyLimit);
}

/** @param {string} path */
function route(path) {
	if (path === '/smsApi/verifyCode') return { operation: 'send' };
	if (path === '/smsApi/verifyCode/getBalance') return { operation: 'getBalance' };
	return null;
}

/**
 * @param {{ method: string, operation: string, params: Record<string, string>, query: Record<string, string> }} call
 * @param {State} state
 * @param {Date} now
 */
function handle(call, state, now) {
	// GUESS: only POST is documented; a Java backend answers anything else with 405.
	if (call.method !== 'POST') {
		return { status: 405, contentType: 'text/plain;charset=UTF-8', body: 'Method Not Allowed', detail: { reason: 'only POST' } };
	}
	try {
		// The balance table is headed 请求参数(Query) and its sample sends the query string with an empty
		// body: with balanceReads 'query', the balance call reads the query string only, as such a server would.
		authenticate(call.operation === 'getBalance' && state.balanceReads === 'query' ? call.query : call.params);
		if (call.operation === 'getBalance') {
			return respond({ returnStatus: '1 ', message: '成功', remainPoint: String(state.balance), taskId: null, successCounts: null });
		}
		return send(call.params, state, now);
	} catch (err) {
		if (!(err instanceof Rejection)) throw err;
		const result = respond({ returnStatus: '0', message: err.vendorMessage, remainPoint: null, taskId: null, successCounts: null });
		return { ...result, detail: { reason: err.message } };
	}
}

/**
 * Parameters are read like a servlet's getParameter: from the form body or the query string (the doc's
 * send sample posts a form, its balance sample a query string with an empty text/plain body).
 * @param {Record<string, string>} p
 */
function authenticate(p) {
	if (!p.appId || !p.appKey) reject('missing', 'appId and appKey are required');
	const known = [VEESING_ACCOUNT.appId, VEESING_ACCOUNT.lockedAppId, VEESING_ACCOUNT.ipLimitedAppId];
	if (!known.includes(p.appId) || p.appKey !== VEESING_ACCOUNT.appKey) reject('wrongAccount', 'unknown appId or wrong appKey');
	if (p.appId === VEESING_ACCOUNT.lockedAppId) reject('locked', 'this account simulates a locked account');
	// GUESS: the doc lists IP受限 for the balance call only; a whitelist is taken to guard the send too.
	if (p.appId === VEESING_ACCOUNT.ipLimitedAppId) reject('ipLimited', 'this account simulates a caller outside the IP whitelist');
}

/** @param {Record<string, string>} p @param {State} state @param {Date} now */
function send(p, state, now) {
	const missing = ['phone', 'templateId', 'variables'].filter((name) => !p[name]);
	if (missing.length) reject('missing', `missing ${missing.join(', ')}`);
	if (!/^\d{1,18}$/.test(p.templateId)) reject('badTemplateId', `templateId "${p.templateId}" is not a number`);
	const template = Object.prototype.hasOwnProperty.call(TEMPLATES, p.templateId)
		? TEMPLATES[/** @type {keyof typeof TEMPLATES} */ (Number(p.templateId))]
		: reject('noTemplate', `no approved template ${p.templateId}; known: ${Object.keys(TEMPLATES).join(', ')}`);
	// "只支持单个手机号": a list is no phone number at all.
	if (!/^1\d{10}$/.test(p.phone)) reject('badPhone', `"${p.phone}" is not one 11-digit mainland mobile number`);
	if (!/^\d{2,8}$/.test(p.variables)) reject('badParameter', `variables "${p.variables}" is not 2 to 8 digits`);
	const phone = p.phone;
	if (phone.endsWith('9999')) reject('numberDailyCap', 'numbers ending in 9999 have reached their daily cap');
	if (phone.endsWith('4444')) reject('unknown', 'numbers ending in 4444 fail for an unknown reason');
	const last = state.lastSentAt.get(phone);
	if (last !== undefined && now.getTime() - last < SAME_NUMBER_WINDOW_MS) {
		reject('sameNumberInAMinute', `${phone} got a code ${now.getTime() - last} ms ago`);
	}
	if (state.sentToday >= state.dailyLimit) reject('accountDailyCap', `the account's daily limit of ${state.dailyLimit} is reached`);
	if (state.balance < 1) reject('noBalance', `balance ${state.balance}`);

	state.balance -= 1;
	state.sentToday += 1;
	state.lastSentAt.set(phone, now.getTime());
	const taskId = String(state.nextTaskId++);
	const status = phone.endsWith('0000') ? '0' : '1';
	const receiveTime = chinaTime(now);
	/** @type {PushEvent[]} */
	const events = [{ kind: 'delivery', records: [{ phone, taskId, status, receiveTime }] }];
	if (status === '1') events.push({ kind: 'reply', records: [{ phone, taskId, content: '收到' }] });
	return {
		...respond({ returnStatus: '1 ', message: '成功', remainPoint: String(state.balance), taskId, successCounts: '1' }),
		detail: { phone, templateId: p.templateId, code: p.variables, text: template.replace('{code}', p.variables), taskId, receiptStatus: status },
		events,
	};
}

/** The doc's samples, byte for byte in key order: every value a string or null, "1 " with its space. */
function respond(/** @type {Record<string, string | null>} */ fields) {
	// GUESS: the Content-Type of the answers is not documented.
	return { status: 200, contentType: 'application/json;charset=UTF-8', body: JSON.stringify(fields) };
}

/** China time (UTC+8) whatever the machine's zone: 'yyyy-MM-dd HH:mm:ss'. */
function chinaTime(/** @type {Date} */ date) {
	return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One form per record ("每产生一条回执,则推送一条"), fields in the doc's order.
 * delivery records: { phone, taskId, status ('1' default, or '0'), receiveTime }
 * reply records: { phone, taskId, content, receiveTime }
 * @param {State} _state @param {string} kind @param {Record<string, any>[]} records @param {Date} now
 */
function pushBodies(_state, kind, records, now) {
	if (kind !== 'delivery' && kind !== 'reply') throw new Error(`veesing pushes are "delivery" or "reply", not "${kind}"`);
	return records.map((r) => {
		if (!r.phone) throw new Error(`a veesing ${kind} record needs phone`);
		if (kind === 'reply' && r.content === undefined) throw new Error('a veesing reply record needs content');
		const fields =
			kind === 'delivery'
				? { mobile: r.phone, taskid: r.taskId || '', status: r.status === undefined ? '1' : String(r.status), receivetime: r.receiveTime || chinaTime(now) }
				: { mobile: r.phone, taskid: r.taskId || '', content: String(r.content), receivetime: r.receiveTime || chinaTime(now) };
		// Java's form encoding, as URLSearchParams: UTF-8, a space as `+`.
		return new URLSearchParams(fields).toString();
	});
}

/**
 * The data of a `veesingApi` credential for the simulator's account, every base URL set to `baseUrl`
 * (the simulator answers every vendor on one port). Tests, e2e scenarios and the demo take it from here.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({ appId: VEESING_ACCOUNT.appId, appKey: VEESING_ACCOUNT.appKey, baseUrl });

module.exports = {
	name: 'veesing',
	credentialType: 'veesingApi',
	credentials,
	account: { appId: VEESING_ACCOUNT.appId, appKey: VEESING_ACCOUNT.appKey },
	operations: ['send', 'getBalance'],
	pushContentType: 'application/x-www-form-urlencoded;charset=utf-8',
	createState,
	configure,
	route,
	handle,
	pushBodies,
	VEESING_ACCOUNT,
	TEMPLATES,
	MESSAGES,
	START_BALANCE,
	FIRST_TASK_ID,
};
