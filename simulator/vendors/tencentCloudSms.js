// @ts-check
'use strict';
// Tencent Cloud SMS, API 3.0 version 2021-01-11 (docs/vendors/tencent-cloud.md): every call a POST to `/`
// with the action in X-TC-Action, signed with TC3-HMAC-SHA256, answered {"Response": {…}} with HTTP 200,
// errors included. The signature is checked here with this file's own code, written from Tencent's
// signature v3 document (not the package's signer), so that a test against it can fail.
// Everything the documents leave open is marked GUESS here and listed in simulator/README.md.

const crypto = require('node:crypto');

const TENCENT_ACCOUNT = Object.freeze({
	secretId: 'AKIDsimTencentCloudSms00000000000000',
	secretKey: 'sim-tencent-secret-key-000000000',
	sdkAppId: '1400000001',
	region: 'ap-guangzhou',
	/** An application of another account: UnauthorizedOperation.SmsSdkAppIdVerifyFail. */
	foreignSdkAppId: '1400000002',
	/** A disabled application: UnauthorizedOperation.SdkAppIdIsDisabled. */
	disabledSdkAppId: '1400000003',
});

const VERSION = '2021-01-11';
const MAX_PHONES = 200; // "单次请求最多支持200个手机号"
const MAX_PULL = 100;
const MAX_PACKAGES_PAGE = 500;
const MAX_RECORDS_PER_PUSH = 100; // the status callback: "一次最多推送100条"
const SKEW_SECONDS = 300; // AuthFailure.SignatureExpire past 5 minutes
/** Regions named in Tencent's endpoint list. GUESS: that the SMS API answers UnsupportedRegion for others. */
const REGIONS = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-nanjing', 'ap-hongkong', 'ap-singapore', 'ap-bangkok', 'ap-mumbai', 'ap-seoul', 'ap-tokyo', 'na-ashburn', 'na-siliconvalley', 'eu-frankfurt'];
const ACTIONS = { SendSms: 'send', SmsPackagesStatistics: 'getBalance', PullSmsSendStatus: 'getStatusReports', PullSmsReplyStatus: 'getReplies' };

/** Approved signatures (SignName is the text, not an id). */
const SIGNATURES = ['腾讯云', '测试签名'];
/** Approved templates: text with {1}, {2}…; `international` ones go to numbers outside the mainland only. */
const TEMPLATES = {
	'1110': { text: '您的验证码是{1}，{2}分钟内有效。', international: false },
	'1111': { text: '您的订单{1}已发货。', international: false },
	'2220': { text: 'Your verification code is {1}.', international: true },
};
const START_PACKAGES = () => [
	// GUESS: field values; the shape is SmsPackagesStatisticsSet's.
	{ PackageId: 101, PackageType: 1, PackageAmount: 100000, CurrentUsage: 0, PackageCreateTime: 1704067200, PackageEffectiveTime: 1704067200, PackageExpiredTime: 4102444800 },
	{ PackageId: 102, PackageType: 0, PackageAmount: 100, CurrentUsage: 100, PackageCreateTime: 1704067200, PackageEffectiveTime: 1704067200, PackageExpiredTime: 4102444800 },
	{ PackageId: 103, PackageType: 1, PackageAmount: 5000, CurrentUsage: 10, PackageCreateTime: 1609459200, PackageEffectiveTime: 1609459200, PackageExpiredTime: 1640995200 },
];

/**
 * @typedef {{ PackageId: number, PackageType: number, PackageAmount: number, CurrentUsage: number, PackageCreateTime: number, PackageEffectiveTime: number, PackageExpiredTime: number }} Package
 * @typedef {{ packages: Package[], nextSerial: number, statusQueue: Record<string, any>[], replyQueue: Record<string, any>[],
 *   checkSignature: boolean, pullEnabled: boolean }} State
 */

class ApiError extends Error {
	/** @param {string} code @param {string} message */
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}
/** @param {string} code @param {string} message @returns {never} */
function fail(code, message) {
	throw new ApiError(code, message);
}

/** @returns {State} */
function createState() {
	return { packages: START_PACKAGES(), nextSerial: 1, statusQueue: [], replyQueue: [], checkSignature: true, pullEnabled: true };
}

/** @param {State} state @param {Record<string, any> | undefined} cfg */
function configure(state, cfg) {
	if (!cfg) return;
	const known = ['balance', 'packages', 'checkSignature', 'pullEnabled', 'statusQueue', 'replyQueue'];
	for (const key of Object.keys(cfg)) if (!known.includes(key)) throw new Error(`tencentCloudSms: unknown config key "${key}"; known: ${known.join(', ')}`);
	if (cfg.packages !== undefined) state.packages = cfg.packages.map((/** @type {Package} */ p) => ({ ...p }));
	// One purchased package with this many messages left.
	if (cfg.balance !== undefined) state.packages = [{ ...START_PACKAGES()[0], PackageAmount: Number(cfg.balance), CurrentUsage: 0 }];
	if (cfg.checkSignature !== undefined) state.checkSignature = Boolean(cfg.checkSignature);
	if (cfg.pullEnabled !== undefined) state.pullEnabled = Boolean(cfg.pullEnabled);
	if (cfg.statusQueue !== undefined) state.statusQueue = [...cfg.statusQueue];
	if (cfg.replyQueue !== undefined) state.replyQueue = [...cfg.replyQueue];
}

/**
 * Every action is a POST to `/`, named by X-TC-Action; a root request without the header is no call of Tencent's.
 * @param {string} path @param {Record<string, string>} _query @param {import('node:http').IncomingHttpHeaders} [headers]
 */
function route(path, _query, headers = {}) {
	if (path !== '/') return null;
	const action = headers['x-tc-action'];
	if (typeof action !== 'string' || action === '') return null;
	return { operation: /** @type {Record<string, string>} */ (ACTIONS)[action] ?? 'unknownAction' };
}

/** @param {string} data */
const sha256Hex = (data) => crypto.createHash('sha256').update(data, 'utf8').digest('hex');
/** @param {crypto.BinaryLike} key @param {string} data */
const hmacSha256 = (key, data) => crypto.createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * Checks the Authorization header as Tencent's signature v3 document describes it: the canonical request
 * from the headers as received (names and values lowercased and trimmed, the host without a port, as the
 * official SDK signs it), the UTC date of X-TC-Timestamp in the scope, the key chain TC3+key > date >
 * service > tc3_request.
 * @param {{ headers: import('node:http').IncomingHttpHeaders, body: string, method: string }} call
 * @param {Date} now
 */
function verifySignature(call, now) {
	const header = String(call.headers.authorization || '');
	const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header);
	if (!match) fail('AuthFailure.InvalidAuthorization', 'Authorization header is invalid.');
	const [, secretId, date, service, signedHeaders, signature] = /** @type {string[]} */ (match);
	if (secretId !== TENCENT_ACCOUNT.secretId) fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
	const timestamp = Number(call.headers['x-tc-timestamp']);
	if (!Number.isInteger(timestamp)) fail('MissingParameter', 'The request is missing a required parameter `Timestamp`.');
	if (Math.abs(now.getTime() / 1000 - timestamp) > SKEW_SECONDS) fail('AuthFailure.SignatureExpire', 'Signature expired. Timestamp is too far from the current time.');
	const utcDate = new Date(timestamp * 1000).toISOString().slice(0, 10);
	if (date !== utcDate) fail('AuthFailure.SignatureFailure', `The credential date ${date} is not the UTC date of the timestamp.`);
	// The service is the first label of the API's host: `sms`; an SDK pointed at another host takes that host's first label.
	const hostname = String(call.headers.host || '').replace(/:\d+$/, '').toLowerCase();
	if (service !== 'sms' && service !== hostname.split('.')[0]) fail('AuthFailure.SignatureFailure', `The service ${service} is not sms.`);
	const names = signedHeaders.split(';');
	if (!names.includes('content-type') || !names.includes('host')) fail('AuthFailure.SignatureFailure', 'SignedHeaders must include content-type and host.');
	const canonicalHeaders = names
		.map((name) => {
			const value = name === 'host' ? hostname : String(call.headers[name] ?? '').trim().toLowerCase();
			return `${name}:${value}\n`;
		})
		.join('');
	const canonicalRequest = [call.method, '/', '', canonicalHeaders, signedHeaders, sha256Hex(call.body)].join('\n');
	const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256Hex(canonicalRequest)}`;
	const key = hmacSha256(hmacSha256(hmacSha256(`TC3${TENCENT_ACCOUNT.secretKey}`, date), service), 'tc3_request');
	const expected = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
	if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
		fail('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
	}
}

/** @param {Record<string, any>} response */
function answer(response) {
	return { status: 200, contentType: 'application/json', body: JSON.stringify({ Response: { ...response, RequestId: crypto.randomUUID() } }) };
}

/**
 * @param {{ method: string, operation: string, headers: import('node:http').IncomingHttpHeaders, body: string, json?: any }} call
 * @param {State} state @param {Date} now
 */
function handle(call, state, now) {
	try {
		// GUESS: Tencent's answer to a GET or another content type; signature v3 POSTs take application/json.
		if (call.method !== 'POST') fail('InvalidParameter', 'Only POST is supported with application/json.');
		if (!/^application\/json(\s*;\s*charset=utf-8)?$/i.test(String(call.headers['content-type'] || ''))) {
			fail('InvalidParameter', `Content-Type ${call.headers['content-type']} is not supported.`);
		}
		if (state.checkSignature) verifySignature(call, now);
		if (call.headers['x-tc-version'] !== VERSION) fail('NoSuchVersion', `The API version \`${call.headers['x-tc-version']}\` does not exist.`);
		if (call.operation === 'unknownAction') fail('InvalidAction', `The action \`${call.headers['x-tc-action']}\` is not found.`);
		const region = String(call.headers['x-tc-region'] || '');
		if (region === '') fail('MissingParameter', 'The request is missing a required parameter `Region`.');
		if (!REGIONS.includes(region)) fail('UnsupportedRegion', `The region \`${region}\` is not supported.`);
		const params = call.json;
		if (!params || typeof params !== 'object' || Array.isArray(params)) fail('FailedOperation.JsonParseFail', 'The body is not a JSON object.');
		checkApp(params.SmsSdkAppId);
		switch (call.operation) {
			case 'send':
				return send(params, state, now);
			case 'getBalance':
				return packages(params, state, now);
			default:
				return pull(call.operation, params, state);
		}
	} catch (err) {
		if (!(err instanceof ApiError)) throw err;
		return { ...answer({ Error: { Code: err.code, Message: err.message } }), detail: { error: err.code } };
	}
}

/** @param {unknown} id */
function checkApp(id) {
	if (id === undefined || id === '') fail('MissingParameter', 'The request is missing a required parameter `SmsSdkAppId`.');
	if (id === TENCENT_ACCOUNT.foreignSdkAppId) fail('UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verify failed.');
	if (id === TENCENT_ACCOUNT.disabledSdkAppId) fail('UnauthorizedOperation.SdkAppIdIsDisabled', 'This SmsSdkAppId is disabled.');
	if (id !== TENCENT_ACCOUNT.sdkAppId) fail('InvalidParameterValue.SdkAppIdNotExist', 'SdkAppId not exist.');
}

/** @param {string} text  70 characters in one SMS, 67 a part beyond (docs/vendors/tencent-cloud.md#limits) */
function segments(text) {
	const length = [...text].length;
	return length <= 70 ? 1 : Math.ceil(length / 67);
}

/** @param {State} state */
function remaining(state) {
	return state.packages.reduce((sum, p) => sum + Math.max(0, p.PackageAmount - p.CurrentUsage), 0);
}

/** @param {State} state @param {number} count */
function charge(state, count) {
	let left = count;
	for (const p of state.packages) {
		const take = Math.min(left, Math.max(0, p.PackageAmount - p.CurrentUsage));
		p.CurrentUsage += take;
		left -= take;
	}
}

/** @param {Record<string, any>} p @param {State} state @param {Date} now */
function send(p, state, now) {
	const numbers = p.PhoneNumberSet;
	if (!Array.isArray(numbers) || numbers.length === 0) fail('MissingParameter.EmptyPhoneNumberSet', 'PhoneNumberSet is empty.');
	if (numbers.length > MAX_PHONES) fail('LimitExceeded.PhoneNumberCountLimit', `PhoneNumberSet has ${numbers.length} numbers; at most ${MAX_PHONES}.`);
	// For mainland sends, 0086…, 86… and bare 11-digit numbers are taken as +86.
	const normalized = numbers.map((n) => {
		const text = String(n);
		if (/^1[3-9]\d{9}$/.test(text)) return `+86${text}`;
		if (/^(0086|86)1[3-9]\d{9}$/.test(text)) return `+86${text.replace(/^(0086|86)/, '')}`;
		return text;
	});
	const mainland = normalized.map((n) => n.startsWith('+86'));
	if (mainland.includes(true) && mainland.includes(false)) {
		fail('UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber', 'Mainland and international numbers cannot be sent in one request.');
	}
	const isMainland = mainland[0];
	const templateId = String(p.TemplateId ?? '');
	const template = /** @type {Record<string, { text: string, international: boolean }>} */ (TEMPLATES)[templateId];
	if (!template || template.international === isMainland) {
		fail('FailedOperation.TemplateIncorrectOrUnapproved', `Template ${templateId} is not approved${template ? ` for ${isMainland ? 'mainland' : 'international'} numbers` : ''}.`);
	}
	if (isMainland && !SIGNATURES.includes(String(p.SignName ?? ''))) fail('FailedOperation.SignatureIncorrectOrUnapproved', `SignName "${p.SignName ?? ''}" is not approved.`);
	const params = p.TemplateParamSet ?? [];
	const variables = template.text.match(/\{\d+\}/g) ?? [];
	if (!Array.isArray(params) || params.length !== variables.length || params.some((v) => typeof v !== 'string')) {
		fail('FailedOperation.TemplateIncorrectOrUnapproved', `Template ${templateId} takes ${variables.length} string values in TemplateParamSet.`);
	}
	if (p.SessionContext !== undefined && Buffer.byteLength(String(p.SessionContext)) >= 512) fail('InvalidParameterValue', 'SessionContext is too long.');
	if (remaining(state) === 0) fail('FailedOperation.InsufficientBalanceInSmsPackage', 'Insufficient balance in SMS package.');

	const text = (isMainland ? `【${p.SignName}】` : '') + template.text.replace(/\{(\d+)\}/g, (_, n) => params[Number(n) - 1]);
	const fee = segments(text);
	/** @type {Record<string, any>[]} */
	const set = [];
	/** @type {{ phone: string, serialNo: string, status: string, code: string, sessionContext: string }[]} */
	const delivery = [];
	normalized.forEach((phone) => {
		const entry = { SerialNo: '', PhoneNumber: phone, Fee: 0, SessionContext: String(p.SessionContext ?? ''), Code: 'Ok', Message: 'send success', IsoCode: isMainland ? 'CN' : 'DEF' };
		const national = isMainland ? phone.slice(3) : phone.replace(/^\+/, '');
		if (!/^\+[1-9]\d{6,14}$/.test(phone) || (isMainland && !/^1[3-9]\d{9}$/.test(national))) {
			set.push({ ...entry, Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'incorrect phone number' });
			return;
		}
		if (phone.endsWith('9999')) {
			set.push({ ...entry, Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'the number reached its daily limit' });
			return;
		}
		if (phone.endsWith('4444')) {
			// GUESS: an internal failure reported for one number.
			set.push({ ...entry, Code: 'InternalError.UnknownError', Message: 'unknown error' });
			return;
		}
		if (remaining(state) < fee) {
			// GUESS: a package that runs out during a call refuses the remaining numbers one by one.
			set.push({ ...entry, Code: 'FailedOperation.InsufficientBalanceInSmsPackage', Message: 'insufficient balance in sms package' });
			return;
		}
		charge(state, fee);
		const serial = `5000:${String(1045710669157053657849499619n + BigInt(state.nextSerial++))}`;
		set.push({ ...entry, SerialNo: serial, Fee: fee, IsoCode: isMainland ? 'CN' : isoOf(phone) });
		const failed = phone.endsWith('0000');
		delivery.push({ phone, serialNo: serial, status: failed ? 'FAIL' : 'SUCCESS', code: failed ? 'MK:0001' : 'DELIVRD', sessionContext: String(p.SessionContext ?? '') });
	});
	for (const d of delivery) state.statusQueue.push(pullStatusRecord(d, now));
	const replies = delivery.filter((d) => d.status === 'SUCCESS').map((d) => ({ phone: d.phone, text: '收到', sign: p.SignName ?? '' }));
	return {
		...answer({ SendStatusSet: set }),
		detail: { numbers: normalized, templateId, text, fee },
		events: [
			...(delivery.length > 0 ? [{ kind: 'delivery', records: delivery }] : []),
			...(replies.length > 0 ? [{ kind: 'reply', records: replies }] : []),
		],
	};
}

/** GUESS: an IsoCode from the country code, for the few the tests use. @param {string} phone */
function isoOf(phone) {
	if (phone.startsWith('+1')) return 'US';
	if (phone.startsWith('+44')) return 'GB';
	if (phone.startsWith('+852')) return 'HK';
	return 'DEF';
}

/** @param {string} phone */
function split(phone) {
	const digits = phone.replace(/^\+/, '');
	for (const length of [1, 2, 3]) {
		const code = digits.slice(0, length);
		if (['1', '7', '44', '86', '852', '853', '886', '65', '81', '82'].includes(code)) return { countryCode: code, national: digits.slice(length) };
	}
	return { countryCode: digits.slice(0, 2), national: digits.slice(2) };
}

/** @param {{ phone: string, serialNo: string, status: string, code: string, sessionContext?: string }} d @param {Date} now */
function pullStatusRecord(d, now) {
	const { countryCode, national } = split(d.phone);
	return {
		UserReceiveTime: Math.floor(now.getTime() / 1000),
		CountryCode: countryCode,
		SubscriberNumber: national,
		PhoneNumber: d.phone,
		SerialNo: d.serialNo,
		ReportStatus: d.status,
		Description: d.code,
		SessionContext: d.sessionContext ?? '',
	};
}

/** SmsPackagesStatistics: packages created in [BeginTime, EndTime], paged. @param {Record<string, any>} p @param {State} state @param {Date} now */
function packages(p, state, now) {
	const hour = /^\d{10}$/;
	if (!hour.test(String(p.BeginTime ?? '')) || !hour.test(String(p.EndTime ?? ''))) fail('InvalidParameterValue', 'BeginTime and EndTime are yyyymmddhh.');
	const toSeconds = (/** @type {string} */ t) => Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10)) / 1000 - 8 * 3600;
	const begin = toSeconds(String(p.BeginTime));
	const end = toSeconds(String(p.EndTime));
	if (end < begin) fail('InvalidParameterValue', 'EndTime must be after BeginTime.');
	// GUESS: "before now" allows the current hour.
	if (end > now.getTime() / 1000) fail('InvalidParameterValue', 'EndTime must not be in the future.');
	const limit = Number(p.Limit);
	const offset = Number(p.Offset ?? 0);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PACKAGES_PAGE) fail('InvalidParameterValue', `Limit is 1 to ${MAX_PACKAGES_PAGE}.`);
	if (!Number.isInteger(offset) || offset < 0) fail('InvalidParameterValue', 'Offset is a whole number.');
	const inWindow = state.packages.filter((pk) => pk.PackageCreateTime >= begin && pk.PackageCreateTime <= end + 3599);
	return { ...answer({ SmsPackagesStatisticsSet: inWindow.slice(offset, offset + limit) }), detail: { packages: inWindow.length } };
}

/** PullSmsSendStatus / PullSmsReplyStatus: a queue; every record is given once. @param {string} operation @param {Record<string, any>} p @param {State} state */
function pull(operation, p, state) {
	const limit = Number(p.Limit);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL) fail('InvalidParameterValue', `Limit is 1 to ${MAX_PULL}.`);
	// GUESS: the code for an application whose pull API SMS helper has not enabled.
	if (!state.pullEnabled) fail('FailedOperation.ParametersOtherError', 'Pulling is not enabled for this application.');
	const queue = operation === 'getStatusReports' ? state.statusQueue : state.replyQueue;
	const records = queue.splice(0, limit);
	const name = operation === 'getStatusReports' ? 'PullSmsSendStatusSet' : 'PullSmsReplyStatusSet';
	return { ...answer({ [name]: records }), detail: { pulled: records.length, left: queue.length } };
}

/** China time (UTC+8): 'yyyy-MM-dd HH:mm:ss'. @param {Date} date */
function chinaTime(date) {
	return new Date(date.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The status callback: a JSON array of up to 100 records a POST. The reply callback: one JSON object a POST.
 * A reply pushed is also kept for PullSmsReplyStatus (GUESS: that a reply is both pushed and pullable).
 * delivery records: { phone (E.164 or 11 digits), serialNo, status 'SUCCESS' | 'FAIL', code, description?, sessionContext?, receiveTime? ('yyyy-MM-dd HH:mm:ss') }
 * reply records: { phone, text, sign?, extend? }
 * @param {State} state @param {string} kind @param {Record<string, any>[]} records @param {Date} now
 */
function pushBodies(state, kind, records, now) {
	if (kind === 'delivery') {
		const items = records.map((r) => {
			if (!r.phone) throw new Error('a tencentCloudSms delivery record needs phone');
			const { countryCode, national } = split(/^1[3-9]\d{9}$/.test(r.phone) ? `+86${r.phone}` : r.phone);
			const status = r.status || 'SUCCESS';
			return {
				user_receive_time: r.receiveTime || chinaTime(now),
				nationcode: countryCode,
				mobile: national,
				report_status: status,
				errmsg: r.code || (status === 'SUCCESS' ? 'DELIVRD' : 'MK:0001'),
				description: r.description ?? (status === 'SUCCESS' ? '用户短信接收成功' : '用户短信接收失败'),
				sid: r.serialNo || '',
				ext: r.sessionContext ?? '',
			};
		});
		const bodies = [];
		for (let i = 0; i < items.length; i += MAX_RECORDS_PER_PUSH) bodies.push(JSON.stringify(items.slice(i, i + MAX_RECORDS_PER_PUSH)));
		return bodies;
	}
	if (kind === 'reply') {
		return records.map((r) => {
			if (!r.phone || r.text === undefined) throw new Error('a tencentCloudSms reply record needs phone and text');
			const { countryCode, national } = split(/^1[3-9]\d{9}$/.test(r.phone) ? `+86${r.phone}` : r.phone);
			const time = Math.floor(now.getTime() / 1000);
			state.replyQueue.push({
				ExtendCode: r.extend ?? '',
				CountryCode: countryCode,
				PhoneNumber: `+${countryCode}${national}`,
				SignName: r.sign ?? '',
				ReplyContent: String(r.text),
				ReplyTime: time,
				SubscriberNumber: national,
			});
			return JSON.stringify({ extend: r.extend ?? '', mobile: national, nationcode: countryCode, sign: r.sign ?? '', text: String(r.text), time });
		});
	}
	throw new Error(`tencentCloudSms pushes are "delivery" or "reply", not "${kind}"`);
}

/** Tencent's "too many requests": HTTP 200 and a whole-call error, as every API error. */
function throttled() {
	return answer({ Error: { Code: 'RequestLimitExceeded', Message: 'Your current request times equals to `3000` in a second, which exceeds the frequency limit `3000` for a second. Please reduce the frequency of calls.' } });
}

/**
 * The data of a `tencentCloudSmsApi` credential for the simulator's account, the base URL set to `baseUrl`.
 * @param {string} baseUrl
 */
const credentials = (baseUrl) => ({
	secretId: TENCENT_ACCOUNT.secretId,
	secretKey: TENCENT_ACCOUNT.secretKey,
	sdkAppId: TENCENT_ACCOUNT.sdkAppId,
	region: TENCENT_ACCOUNT.region,
	baseUrl,
});

module.exports = {
	name: 'tencentCloudSms',
	credentialType: 'tencentCloudSmsApi',
	credentials,
	account: { secretId: TENCENT_ACCOUNT.secretId, secretKey: TENCENT_ACCOUNT.secretKey, sdkAppId: TENCENT_ACCOUNT.sdkAppId, region: TENCENT_ACCOUNT.region },
	operations: ['send', 'getBalance', 'getStatusReports', 'getReplies', 'unknownAction'],
	// GUESS: the Content-Type of Tencent's callbacks is not documented.
	pushContentType: 'application/json',
	throttled,
	createState,
	configure,
	route,
	handle,
	pushBodies,
	TENCENT_ACCOUNT,
	TEMPLATES,
	SIGNATURES,
	chinaTime,
	remaining,
};
