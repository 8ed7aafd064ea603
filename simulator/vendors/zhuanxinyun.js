// @ts-check
'use strict';
// Zhuanxinyun 转信云 (docs/vendors/zhuanxinyun.md).
// Everything the document leaves open is marked GUESS here and listed in simulator/README.md.

const crypto = require('node:crypto');

const ZHUANXINYUN_ACCOUNT = Object.freeze({
	appKey: 'sim-zhuanxinyun-key',
	appSecret: 'sim-zhuanxinyun-secret',
	blockedAppKey: 'sim-zhuanxinyun-blocked',
});

const START_BALANCE = 100000;
const MAX_PHONES = 1000; // "单次最大提交1000个号码"
const MAX_RECORDS_PER_PUSH = 100; // GUESS: the doc shows a <records> list but no limit
const REPLY_PORT = '1069012345'; // GUESS: the doc's sample dest_id is 410001123; extraNum is appended
const SIGNATURES = ['云锋网络', '测试签名'];
const TEMPLATES = {
	'27': '【云锋网络】您好,这是测试{code}',
	'1001': '【测试签名】您的订单{order}已发货,运单号{waybill}',
};
const DELIVERED = ['0', 'DELIVRD'];

// Simplified Chinese texts as the live API is expected to send them (docs/vendors/zhuanxinyun.md#simplified-texts).
const ERRORS = {
	'100001': '参数格式错误',
	'100002': '账户不存在或状态异常',
	'100003': 'appSecret错误',
	'100004': '请求IP不在白名单内(请在API设置页面添加白名单或与管理员联系)',
	'100005': '单次最大提交可1000条短信',
	'100006': 'missionNum数量必须与手机号数量一致',
	'100007': '有号码格式错误',
	'100008': '有号码在一定时间段内请求频次过多',
	'100009': '账户余额不足',
	'100010': '日流量限制',
	'100011': '找不到模板',
	'100012': '短信条数需与手机号一致',
	'100013': '短信内容与模板不匹配',
	'100014': '访问频率过高,请稍后再试',
	'999999': '系统错误',
};
const OK = '000000';

const ROUTE = /^\/api\/v2\/(sendSms|sendTplSms|querySmsCount|queryMoRecord|queryStatusReport)\.(json|xml)$/;

/** @typedef {keyof typeof ERRORS} ErrorCode */
/** @typedef {{ missionNum: string, phone: string, batchNum: string, realStatus: string | null, statTime: string }} Report */
/** @typedef {{ src_id: string, content: string, dest_id: string, recv_time: string }} Reply */
/** @typedef {{ balance: number, batchNums: Set<string>, reports: Report[], replies: Reply[] }} State */
/** @typedef {{ kind: string, records: Record<string, any>[] }} PushEvent */
/** @typedef {{ fields: { errorCode: string, errorMsg: string } & Record<string, unknown>, detail?: Record<string, unknown>, events?: PushEvent[] }} Outcome */

class Rejection extends Error {
	/** @param {ErrorCode} code @param {string} reason @param {string} [msgSuffix] */
	constructor(code, reason, msgSuffix = '') {
		super(reason);
		this.code = code;
		this.msgSuffix = msgSuffix;
	}
}
/** @param {ErrorCode} code @param {string} reason @param {string} [msgSuffix] @returns {never} */
function reject(code, reason, msgSuffix) {
	throw new Rejection(code, reason, msgSuffix);
}

/** @returns {State} */
function createState() {
	return { balance: START_BALANCE, batchNums: new Set(), reports: [], replies: [] };
}

/**
 * `reports` and `replies` put records where the pull APIs find them, as if the vendor had them from
 * earlier sends (in the simulator's own words: `{ phone, missionNum?, batchNum?, realStatus?, statTime? }`,
 * `{ phone, content, destId?, time? }`). `realStatus: null` leaves receive_real_status out of the record (receive_status is then SUCCESS).
 * @param {State} state
 * @param {{ balance?: number, reports?: Record<string, any>[], replies?: Record<string, any>[] } | undefined} cfg
 * @param {Date} [now]
 */
function configure(state, cfg, now = new Date()) {
	if (!cfg) return;
	for (const key of Object.keys(cfg)) {
		if (!['balance', 'reports', 'replies'].includes(key)) throw new Error(`zhuanxinyun: unknown config key "${key}"; known: balance, reports, replies`);
	}
	if (cfg.balance !== undefined) state.balance = Number(cfg.balance);
	for (const r of cfg.reports || []) {
		if (!r.phone) throw new Error('zhuanxinyun: a report needs phone');
		state.reports.push({
			missionNum: r.missionNum || '',
			phone: r.phone,
			batchNum: r.batchNum || '',
			realStatus: r.realStatus === undefined ? 'DELIVRD' : r.realStatus,
			statTime: r.statTime || chinaTime(now),
		});
	}
	for (const r of cfg.replies || []) {
		if (!r.phone || r.content === undefined) throw new Error('zhuanxinyun: a reply needs phone and content');
		state.replies.push({
			src_id: /^86\d{11}$/.test(r.phone) ? r.phone : `86${r.phone}`,
			content: String(r.content),
			dest_id: r.destId || REPLY_PORT,
			recv_time: r.time || chinaTime(now),
		});
	}
}

/** @param {string} path */
function route(path) {
	const m = ROUTE.exec(path);
	return m ? { operation: m[1], format: m[2] } : null;
}

/**
 * @param {{ method: string, operation: string, format?: string, params: Record<string, string> }} call
 * @param {State} state
 * @param {Date} now
 */
function handle(call, state, now) {
	const format = call.format || 'json';
	// GUESS: only GET and POST are documented; a Java backend answers anything else with 405.
	if (call.method !== 'GET' && call.method !== 'POST') {
		return { status: 405, contentType: 'text/plain;charset=UTF-8', body: 'Method Not Allowed', detail: { reason: 'only GET and POST' } };
	}
	try {
		authenticate(call.params);
		const result = OPERATIONS[/** @type {keyof typeof OPERATIONS} */ (call.operation)](call.params, state, now);
		return { ...respond(format, result.fields), detail: result.detail, events: result.events };
	} catch (err) {
		if (!(err instanceof Rejection)) throw err;
		const fields = { errorCode: err.code, errorMsg: ERRORS[err.code] + err.msgSuffix };
		return { ...respond(format, fields), detail: { reason: err.message } };
	}
}

/** @param {Record<string, string>} p */
function authenticate(p) {
	if (!p.appKey || !p.appSecret) reject('100001', 'appKey and appSecret are required');
	const known = /** @type {string[]} */ ([ZHUANXINYUN_ACCOUNT.appKey, ZHUANXINYUN_ACCOUNT.blockedAppKey]);
	if (!known.includes(p.appKey)) reject('100002', `unknown appKey ${p.appKey}`);
	if (p.appSecret !== ZHUANXINYUN_ACCOUNT.appSecret) reject('100003', 'wrong appSecret');
	if (p.appKey === ZHUANXINYUN_ACCOUNT.blockedAppKey) reject('100004', 'this account simulates a caller outside the IP whitelist');
}

const OPERATIONS = {
	/** @param {Record<string, string>} p @param {State} state @param {Date} now @returns {Outcome} */
	sendSms(p, state, now) {
		required(p, 'phones', 'content');
		const phones = phoneList(p.phones);
		const missionNums = p.missionNums ? javaSplit(p.missionNums) : [];
		if (p.missionNums && missionNums.length !== phones.length) {
			reject('100006', `${missionNums.length} missionNums for ${phones.length} phones`);
		}
		// The doc's table allows letters and digits, its samples use mission_001 and arthur_001.
		for (const missionNum of missionNums) checkId('missionNums', missionNum, /^[A-Za-z0-9_]{1,32}$/);
		checkBatch(p, state);
		if (!signatureOf(p.content)) reject('100001', 'content must start with a 【signature】');
		const messages = phones.map((phone, i) => ({ phone, missionNum: missionNums[i] || '', content: p.content }));
		return accept(p, state, messages, now);
	},

	/** @param {Record<string, string>} p @param {State} state @param {Date} now @returns {Outcome} */
	sendTplSms(p, state, now) {
		required(p, 'phones', 'content', 'templateId');
		const phones = phoneList(p.phones);
		const template = Object.prototype.hasOwnProperty.call(TEMPLATES, p.templateId)
			? TEMPLATES[/** @type {keyof typeof TEMPLATES} */ (p.templateId)]
			: reject('100011', `no template ${p.templateId}; known: ${Object.keys(TEMPLATES).join(', ')}`);
		// Each message was URL-encoded on its own (Java URLEncoder) before the form encoding, so the
		// commas inside a message survive the split.
		const contents = javaSplit(p.content).map(javaUrlDecode);
		if (contents.length !== phones.length) {
			reject('100012', `${contents.length} messages for ${phones.length} phones`);
		}
		const pattern = templatePattern(template);
		const bad = contents.findIndex((c) => !pattern.test(c));
		if (bad >= 0) reject('100013', `message ${bad + 1} "${contents[bad]}" does not match template ${p.templateId} "${template}"`);
		checkBatch(p, state);
		const messages = phones.map((phone, i) => ({ phone, missionNum: '', content: contents[i] }));
		return accept(p, state, messages, now);
	},

	/** @param {Record<string, string>} _p @param {State} state @returns {Outcome} */
	querySmsCount(_p, state) {
		return { fields: { count: state.balance, errorCode: OK, errorMsg: '获取成功' } };
	},

	// GUESS: response shape undocumented. Replies are handed out once, then forgotten.
	/** @param {Record<string, string>} _p @param {State} state @returns {Outcome} */
	queryMoRecord(_p, state) {
		const data = state.replies.splice(0);
		return { fields: { errorCode: OK, errorMsg: '获取成功', data } };
	},

	// GUESS: response shape undocumented; `time` (yyyy-MM-dd) is only seen in the C# sample.
	/** @param {Record<string, string>} p @param {State} state @returns {Outcome} */
	queryStatusReport(p, state) {
		if (!/^\d{4}-\d{2}-\d{2}$/.test(p.time || '')) reject('100001', 'time (yyyy-MM-dd) is required');
		const data = state.reports
			.filter((r) => r.statTime.startsWith(p.time))
			.map((r) => ({
				mission_num: r.missionNum,
				dest_id: r.phone,
				receive_status: r.realStatus === null ? 'SUCCESS' : receiveStatus(r.realStatus),
				...(r.realStatus === null ? {} : { receive_real_status: r.realStatus }),
				batch_num: r.batchNum,
				stat_time: r.statTime,
			}));
		return { fields: { errorCode: OK, errorMsg: '获取成功', data } };
	},
};

/**
 * @param {Record<string, string>} p
 * @param {State} state
 * @param {{ phone: string, missionNum: string, content: string }[]} messages
 * @param {Date} now
 * @returns {Outcome}
 */
function accept(p, state, messages, now) {
	// GUESS: one message is charged per phone, however long the content.
	if (state.balance < messages.length) reject('100009', `balance ${state.balance} < ${messages.length} messages`);
	state.balance -= messages.length;
	if (p.batchNum) state.batchNums.add(p.batchNum);
	const statTime = chinaTime(now);
	/** @type {Report[]} */
	const reports = messages.map((m) => ({
		missionNum: m.missionNum,
		phone: m.phone,
		batchNum: p.batchNum || '',
		realStatus: outcome(m.phone, m.content),
		statTime,
	}));
	state.reports.push(...reports);
	/** @type {PushEvent[]} */
	const events = [{ kind: 'delivery', records: reports }];
	const replier = reports.find((r) => r.realStatus === 'DELIVRD');
	if (replier) events.push({ kind: 'reply', records: [{ phone: replier.phone, content: '收到', destId: REPLY_PORT + (p.extraNum || '') }] });
	return {
		fields: { errorCode: OK, errorMsg: '提交成功' },
		detail: { messages: messages.map((m, i) => ({ ...m, realStatus: reports[i].realStatus })) },
		events,
	};
}

/** @param {string} phone @param {string} content */
function outcome(phone, content) {
	if (phone.endsWith('0000')) return 'MK:0001'; // 被叫用户是空号
	if (!SIGNATURES.includes(signatureOf(content) || '')) return 'YF:11'; // 非法短信签名
	return 'DELIVRD';
}

/** @param {string} realStatus */
function receiveStatus(realStatus) {
	return DELIVERED.includes(realStatus) ? 'SUCCESS' : 'FAIL';
}

/** @param {Record<string, string>} p @param {string[]} names */
function required(p, ...names) {
	const missing = names.filter((n) => !p[n]);
	if (missing.length) reject('100001', `missing ${missing.join(', ')}`);
}

/** @param {string} value */
function phoneList(value) {
	const phones = javaSplit(value);
	if (!phones.length) reject('100001', 'phones is empty');
	if (phones.length > MAX_PHONES) reject('100005', `${phones.length} phones, at most ${MAX_PHONES}`);
	const bad = phones.filter((n) => !/^1\d{10}$/.test(n));
	if (bad.length) reject('100007', `not 11-digit mobile numbers: ${bad.slice(0, 5).join(', ')}`);
	return phones;
}

/** @param {string} name @param {string} value */
function checkId(name, value, pattern = /^[A-Za-z0-9]{1,32}$/) {
	if (!pattern.test(value)) reject('100001', `${name} "${value}" must be 1 to 32 ${pattern.source.includes('_') ? 'letters, digits or underscores' : 'letters or digits'}`);
}

/** @param {Record<string, string>} p @param {State} state */
function checkBatch(p, state) {
	if (p.batchNum) {
		checkId('batchNum', p.batchNum);
		// GUESS: "批次号都不允许重复" but no error code is documented for a repeat.
		if (state.batchNums.has(p.batchNum)) reject('100001', `batchNum ${p.batchNum} was used before`, '(batchNum重复)');
	}
	// GUESS: "支持接入号拓展,默认最大6位"; digits only.
	if (p.extraNum && !/^\d{1,6}$/.test(p.extraNum)) reject('100001', 'extraNum must be 1 to 6 digits');
}

/** @param {string} content */
function signatureOf(content) {
	const m = /^【([^【】]+)】/.exec(content);
	return m ? m[1] : null;
}

/** @param {string} template */
function templatePattern(template) {
	const parts = template.split(/\{[^{}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${parts.join('[\\s\\S]+')}$`);
}

/** Java's String.split(","): trailing empty strings are dropped. GUESS: the vendor runs Java. */
function javaSplit(/** @type {string} */ value) {
	const parts = value.split(',');
	while (parts.length && parts[parts.length - 1] === '') parts.pop();
	return parts;
}

/** Java's URLDecoder.decode(s, "UTF-8"): `+` is a space. */
function javaUrlDecode(/** @type {string} */ s) {
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		return reject('100001', `content part "${s}" is not valid URL encoding`);
	}
}

/** China time (UTC+8) whatever the machine's zone: 'yyyy-MM-dd HH:mm:ss'. */
function chinaTime(/** @type {Date} */ date) {
	return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------- responses and pushes

/** @param {string} format @param {Record<string, unknown> & { errorCode: string, errorMsg: string }} fields */
function respond(format, fields) {
	if (format === 'xml') {
		// The doc's XML sample puts errorCode and errorMsg first, then the payload (count).
		const { errorCode, errorMsg, ...rest } = fields;
		const body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xml>${toXml({ errorCode, errorMsg, ...rest })}</xml>`;
		return { status: 200, contentType: 'application/xml;charset=UTF-8', body };
	}
	return { status: 200, contentType: 'application/json;charset=UTF-8', body: JSON.stringify(fields) };
}

/** @param {Record<string, unknown>} fields @param {string} [sep] @returns {string} */
function toXml(fields, sep = '') {
	return Object.entries(fields)
		.map(([k, v]) => {
			const inner = Array.isArray(v)
				? v.map((item) => `<record>${toXml(item)}</record>`).join('') // GUESS: element name
				: escapeXml(String(v));
			return `<${k}>${inner}</${k}>`;
		})
		.join(sep);
}

/** @type {Record<string, string>} */
const XML_ENTITIES = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
/** @param {string} s */
function escapeXml(s) {
	return s.replace(/[<>&"']/g, (c) => XML_ENTITIES[c]);
}

/**
 * Push bodies (one string per HTTP push) for records given in the simulator's own words.
 * A reply push is also kept for queryMoRecord.
 * @param {State} state
 * @param {string} kind
 * @param {Record<string, any>[]} records
 * @param {Date} now
 */
function pushBodies(state, kind, records, now) {
	if (kind === 'delivery') {
		const xmlRecords = records.map((r) => {
			if (!r.phone) throw new Error('a delivery record needs phone');
			const realStatus = r.realStatus || 'DELIVRD';
			return {
				mission_num: r.missionNum || '',
				dest_id: r.phone,
				send_status: 'SUCCESS',
				receive_status: receiveStatus(realStatus),
				receive_real_status: realStatus,
				batch_num: r.batchNum || '',
				stat_time: r.statTime || chinaTime(now),
			};
		});
		const bodies = [];
		for (let i = 0; i < xmlRecords.length; i += MAX_RECORDS_PER_PUSH) {
			const chunk = xmlRecords.slice(i, i + MAX_RECORDS_PER_PUSH);
			bodies.push(envelope(now, ['<records>', ...chunk.map((r) => `<record>\n${toXml(r, '\n')}\n</record>`), '</records>']));
		}
		return bodies;
	}
	if (kind === 'reply') {
		// The doc's reply push carries one <dest> per body.
		return records.map((r) => {
			if (!r.phone || r.content === undefined) throw new Error('a reply record needs phone and content');
			/** @type {Reply} */
			const reply = {
				src_id: /^86\d{11}$/.test(r.phone) ? r.phone : `86${r.phone}`,
				content: String(r.content),
				dest_id: r.destId || REPLY_PORT,
				recv_time: chinaTime(now),
			};
			state.replies.push(reply);
			const { recv_time: _notPushed, ...dest } = reply;
			return envelope(now, ['<dest>', toXml(dest, '\n'), '</dest>']);
		});
	}
	throw new Error(`zhuanxinyun pushes are "delivery" or "reply", not "${kind}"`);
}

/** @param {Date} now @param {string[]} bodyLines */
function envelope(now, bodyLines) {
	const timeStamp = chinaTime(now).replace(/\D/g, '');
	const nonce = crypto.randomBytes(11).toString('hex');
	// GUESS: the sign algorithm is not public; this one is invented and nobody should verify it.
	const sign = crypto
		.createHash('md5')
		.update(`app_key=${ZHUANXINYUN_ACCOUNT.appKey}&nonce_str=${nonce}&time_stamp=${timeStamp}&key=${ZHUANXINYUN_ACCOUNT.appSecret}`)
		.digest('hex');
	const head = toXml({ app_key: ZHUANXINYUN_ACCOUNT.appKey, time_stamp: timeStamp, nonce_str: nonce, sign }, '\n');
	return ['<?xml version="1.0" encoding="UTF-8"?>', '<xml>', '<head>', head, '</head>', '<body>', ...bodyLines, '</body>', '</xml>'].join('\n');
}

/**
 * The data of a `zhuanxinyunApi` credential for the simulator's account, every base URL set to `baseUrl`
 * (the simulator answers every vendor on one port). Tests, e2e scenarios and the demo take it from here.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({ appKey: ZHUANXINYUN_ACCOUNT.appKey, appSecret: ZHUANXINYUN_ACCOUNT.appSecret, baseUrl });

module.exports = {
	name: 'zhuanxinyun',
	credentialType: 'zhuanxinyunApi',
	credentials,
	account: ZHUANXINYUN_ACCOUNT,
	operations: Object.keys(OPERATIONS),
	// The document's own code for a caller that is too frequent; the core answers it when a throttle refuses a call.
	throttled: (/** @type {{ format?: string }} */ route) => respond(route.format || 'json', { errorCode: '100014', errorMsg: ERRORS['100014'] }),
	// GUESS: the doc does not name the push Content-Type.
	pushContentType: 'text/xml;charset=UTF-8',
	createState,
	configure,
	route,
	handle,
	pushBodies,
	ZHUANXINYUN_ACCOUNT,
	TEMPLATES,
	SIGNATURES,
};
