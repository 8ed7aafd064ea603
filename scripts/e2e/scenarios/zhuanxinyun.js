// @ts-check
'use strict';
// Zhuanxinyun (转信云) in a real n8n: every operation of the action node, bad input, Continue On Fail,
// a vendor error, and the trigger receiving the simulator's XML pushes at its production URL.

const assert = require('node:assert/strict');
const { vendorKit, assertSucceeded, FAIL_ME, GBK_BYTES } = require('../checks');

const VENDOR = 'zhuanxinyun';
const ACCOUNT = { appKey: 'sim-zhuanxinyun-key', appSecret: 'sim-zhuanxinyun-secret' };
const WRONG_SECRET = 'not-the-secret-4711';
const SIGNED = '【云锋网络】您的验证码是123456，5分钟内有效。';
const GOOD = '13800138000';
const GOOD2 = '13900139000';
const UNKNOWN_NUMBER = '13800000000'; // the simulator reports MK:0001 for numbers ending in 0000
const INVALID = '1380013800'; // 10 digits
const SEND = { operation: 'send', content: SIGNED };

const kit = vendorKit({ vendor: VENDOR, credentialType: 'zhuanxinyunApi', wrongSecret: WRONG_SECRET, sendOperations: ['sendSms', 'sendTplSms'] });

/** @param {import('../harness').Harness} h */
async function setup(h) {
	return {
		credentials: await kit.credential(h, 'Zhuanxinyun (simulator)', { ...ACCOUNT, baseUrl: h.sim.url }),
		wrongCredentials: await kit.credential(h, 'Zhuanxinyun (wrong secret)', { appKey: ACCOUNT.appKey, appSecret: WRONG_SECRET, baseUrl: h.sim.url }),
	};
}

/** Today in China (the simulator dates its reports in UTC+8). */
function chinaToday() {
	return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

/** The numbers of every send call, sorted: one call may carry several, comma-separated. @param {import('../harness').Harness} h */
const phonesSent = (h) => kit.sends(h).flatMap((c) => c.params.phones.split(',')).sort();

/** An ISO 8601 time with the China offset; Zhuanxinyun's reports may carry milliseconds. */
const CHINA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

/** @type {import('../harness').Check[]} */
const checks = [
	kit.credentialTest({
		name: "credential test (n8n's Test button) passes with the right secret, fails with the vendor's code for a wrong one",
		wrongMessage: /100003/,
		calls: { operation: 'querySmsCount', count: 2, atLeast: true },
	}),
	{
		name: 'send: one text to two numbers (with +86 and new-line separators) is one vendor call',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { ...SEND, phones: `+86${GOOD}\n${GOOD2}` });
			assertSucceeded(run);
			assert.equal(run.output.length, 1);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'send');
			assert.equal(out.success, true);
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => [r.phone, r.accepted, r.status]), [
				[GOOD, true, '000000'],
				[GOOD2, true, '000000'],
			]);
			assert.ok(out.recipients.every((/** @type {any} */ r) => typeof r.messageId === 'string' && r.messageId), 'every recipient has a messageId');
			assert.equal(out.raw.errorCode, '000000');

			const calls = kit.sends(h);
			assert.equal(calls.length, 1, `the simulator got ${calls.length} send calls`);
			const call = calls[0];
			assert.equal(call.operation, 'sendSms');
			assert.equal(call.method, 'POST');
			assert.equal(call.path, '/api/v2/sendSms.json');
			assert.equal(call.params.appKey, ACCOUNT.appKey);
			assert.equal(call.params.phones, `${GOOD},${GOOD2}`);
			assert.equal(call.params.content, SIGNED);
			assert.equal(call.params.missionNums, out.recipients.map((/** @type {any} */ r) => r.messageId).join(','));
			assert.equal(call.params.batchNum, out.messageId);
			assert.ok(!call.query.appSecret, 'the secret travelled in the URL');
			assert.equal(call.response.status, 200);
		},
	},
	{
		name: 'send: three items from an expression each get their own output item, in order',
		async run(h, ctx) {
			h.sim.reset();
			const items = [{ phone: GOOD, name: 'A' }, { phone: GOOD2, name: 'B' }, { phone: `86${UNKNOWN_NUMBER}`, name: 'C' }];
			const run = await kit.run(h, ctx, { ...SEND, phones: '={{ $json.phone }}' }, { items });
			assertSucceeded(run);
			assert.deepEqual(run.output.map((/** @type {any} */ o) => o.recipients.map((/** @type {any} */ r) => r.phone)), [[GOOD], [GOOD2], [UNKNOWN_NUMBER]]);
			assert.ok(run.output.every((/** @type {any} */ o) => o.success === true));
			assert.deepEqual(phonesSent(h), [GOOD, UNKNOWN_NUMBER, GOOD2].sort());
		},
	},
	{
		name: 'sendTemplate: template 27 with its variable filled in',
		async run(h, ctx) {
			h.sim.reset();
			const content = '【云锋网络】您好,这是测试4711';
			const run = await kit.run(h, ctx, { operation: 'sendTemplate', phones: `${GOOD}, ${GOOD2}`, templateId: '27', content });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'sendTemplate');
			assert.equal(out.success, true);
			assert.deepEqual(out.recipients.map((/** @type {any} */ r) => r.phone), [GOOD, GOOD2]);
			const calls = kit.sends(h);
			assert.equal(calls.length, 1);
			assert.equal(calls[0].operation, 'sendTplSms');
			assert.equal(calls[0].params.templateId, '27');
			assert.equal(calls[0].response.status, 200);
			assert.match(calls[0].response.body, /"errorCode":"000000"/);
			assert.deepEqual(calls[0].detail.messages.map((/** @type {any} */ m) => m.content), [content, content]);
		},
	},
	{
		name: 'sendTemplate: content that does not match the template fails with the vendor code 100013',
		async run(h, ctx) {
			h.sim.reset();
			const run = await kit.run(h, ctx, { operation: 'sendTemplate', phones: GOOD, templateId: '27', content: '【云锋网络】完全不同的内容' });
			assert.equal(run.status, 'error');
			assert.match(String(run.error && run.error.message), /100013/);
		},
	},
	{
		name: 'getBalance: the number of messages left, as the simulator counts it',
		async run(h, ctx) {
			h.sim.reset();
			await kit.run(h, ctx, { ...SEND, phones: GOOD });
			const run = await kit.run(h, ctx, { operation: 'getBalance' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.vendor, VENDOR);
			assert.equal(out.operation, 'getBalance');
			assert.equal(out.unit, 'messages');
			assert.equal(out.balance, 100000 - 1);
			assert.equal(h.simRequests(VENDOR).filter((r) => r.operation === 'querySmsCount').length, 1);
		},
	},
	{
		name: "getStatusReports: today's reports, normalized like pushed ones",
		async run(h, ctx) {
			h.sim.reset();
			const sent = await kit.run(h, ctx, { ...SEND, phones: `${GOOD},${UNKNOWN_NUMBER}` });
			assertSucceeded(sent);
			const run = await kit.run(h, ctx, { operation: 'getStatusReports', date: chinaToday() });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'getStatusReports');
			const call = h.simRequests(VENDOR).find((r) => r.operation === 'queryStatusReport');
			assert.ok(call, 'no queryStatusReport call');
			assert.equal(call.params.time, chinaToday());
			assert.ok(Array.isArray(out.records), 'records is not a list');
			const byPhone = Object.fromEntries(out.records.map((/** @type {any} */ r) => [r.phone, r]));
			assert.equal(byPhone[GOOD].delivered, true);
			assert.equal(byPhone[UNKNOWN_NUMBER].delivered, false);
			assert.equal(byPhone[UNKNOWN_NUMBER].status, 'MK:0001');
			const sentIds = Object.fromEntries(sent.output[0].recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
			assert.equal(byPhone[GOOD].messageId, sentIds[GOOD]);
		},
	},
	{
		name: 'getReplies: a reply the vendor holds comes out with a normalized phone',
		async run(h, ctx) {
			h.sim.reset();
			// The simulator keeps every reply it pushes for queryMoRecord; the push's target does not matter.
			await kit.push(h, `${h.sim.url}/_sim/nowhere`, 'reply', { records: [{ phone: GOOD, content: '好的，收到' }] });
			const run = await kit.run(h, ctx, { operation: 'getReplies' });
			assertSucceeded(run);
			const out = run.output[0];
			assert.equal(out.operation, 'getReplies');
			assert.equal(h.simRequests(VENDOR).filter((r) => r.operation === 'queryMoRecord').length, 1);
			assert.equal(out.records.length, 1, JSON.stringify(out.records));
			assert.equal(out.records[0].event, 'reply');
			assert.equal(out.records[0].phone, GOOD);
			assert.equal(out.records[0].content, '好的，收到');
		},
	},
	kit.badInput({
		name: `bad input: phone ${INVALID} fails the node with an error naming it, and nothing is sent`,
		parameters: { ...SEND, phones: `${GOOD}, ${INVALID}` },
		error: new RegExp(`\\b${INVALID}\\b`),
	}),
	kit.badInput({
		name: 'bad input: content without a 【signature】 fails before sending',
		parameters: { ...SEND, phones: GOOD, content: '您的验证码是123456' },
		error: /signature|【/i,
	}),
	kit.continueRegularOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: GOOD }, { phone: INVALID }, { phone: GOOD2 }],
		error: new RegExp(INVALID),
		sent: phonesSent,
		expectSent: [GOOD, GOOD2],
	}),
	kit.continueErrorOutput({
		parameters: { ...SEND, phones: '={{ $json.phone }}' },
		items: [{ phone: INVALID }, { phone: GOOD }],
		error: new RegExp(INVALID),
		good: (out) => assert.equal(out.recipients[0].phone, GOOD),
	}),
	kit.wrongSecretFails({
		name: "vendor error: a wrong App Secret fails with the vendor's code 100003, the secret not shown",
		parameters: { ...SEND, phones: GOOD },
		text: /100003/,
	}),
	kit.triggerReceivesPushes({
		name: 'trigger: delivery reports and a reply pushed by the vendor become executions with normalized items',
		kinds: ['delivery', 'reply'],
		send: { ...SEND, phones: `${GOOD},${UNKNOWN_NUMBER}` },
		// Both delivery reports come in one push.
		executions: 2,
		pushes: { count: 2, answer: 'SUCCESS' },
		verify(h, { sent, items }) {
			const delivery = items.filter((i) => i.event === 'delivery');
			const replies = items.filter((i) => i.event === 'reply');
			assert.equal(delivery.length, 2, JSON.stringify(items));
			assert.equal(replies.length, 1, JSON.stringify(items));

			const sentOut = sent.output[0];
			const ids = Object.fromEntries(sentOut.recipients.map((/** @type {any} */ r) => [r.phone, r.messageId]));
			const good = delivery.find((i) => i.phone === GOOD);
			const bad = delivery.find((i) => i.phone === UNKNOWN_NUMBER);
			assert.ok(good && bad, JSON.stringify(delivery));
			assert.equal(good.vendor, VENDOR);
			assert.equal(good.delivered, true);
			assert.equal(good.status, 'DELIVRD');
			assert.equal(good.messageId, ids[GOOD]);
			assert.equal(good.batchId, sentOut.messageId);
			assert.match(good.receivedAt, CHINA_ISO);
			assert.equal(bad.delivered, false);
			assert.equal(bad.status, 'MK:0001');
			assert.equal(bad.messageId, ids[UNKNOWN_NUMBER]);
			assert.equal(typeof bad.statusText, 'string');
			assert.ok(good.raw && typeof good.raw === 'object', 'raw is missing');

			assert.equal(replies[0].phone, GOOD);
			assert.equal(replies[0].content, '收到');
			assert.equal(replies[0].vendor, VENDOR);
		},
	}),
	kit.triggerSecretToken({
		records: [{ phone: GOOD, missionNum: 'm1', batchNum: 'b1' }],
		verify(items) {
			assert.equal(items[0].messageId, 'm1');
			assert.equal(items[0].batchId, 'b1');
		},
	}),
	kit.triggerEventsFilter({
		name: 'trigger: events filter (delivery only) still answers SUCCESS to a reply but starts nothing',
		ignored: { kind: 'reply', records: [{ phone: GOOD, content: 'TD' }] },
		kept: { kind: 'delivery', records: [{ phone: GOOD, missionNum: 'm2' }] },
		answer: 'SUCCESS',
	}),
	kit.triggerRejectsMalformed({
		name: 'trigger: malformed and DOCTYPE pushes get 400, and the webhook keeps working after them',
		bodies: [
			'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a8 "x">]><xml><body>&a8;</body></xml>',
			'<xml><body><records><record>',
			'not xml at all',
			'',
		],
		valid: [{ phone: GOOD, missionNum: 'm3' }],
		answer: 'SUCCESS',
	}),
	kit.triggerAnswersAfterRun({
		good: [{ phone: GOOD, missionNum: 'm-ok' }],
		failing: [{ phone: GOOD, missionNum: FAIL_ME }],
		answer: { body: 'SUCCESS', contentType: 'text/plain; charset=utf-8' },
	}),
	kit.triggerHostilePushes({
		name: 'trigger: a 20 MB push gets 413, XML nested 100,000 deep gets 400, each with a short text and no execution',
		bodies: [
			{
				what: 'XML nested 100,000 deep in a record',
				body: `<xml><body><records><record>${'<a>'.repeat(100000)}${'</a>'.repeat(100000)}</record></records></body></xml>`,
				contentType: 'text/xml;charset=UTF-8',
				status: 400,
			},
		],
		valid: [{ phone: GOOD, missionNum: 'm-after-hostile' }],
		answer: 'SUCCESS',
	}),
	kit.triggerDecodesCharset({
		pushes: ['GBK', 'GB18030'].map((charset) => ({
			what: `a reply in ${charset}, said in the XML declaration`,
			body: Buffer.concat([
				Buffer.from(`<?xml version="1.0" encoding="${charset}"?><xml><head><app_key>k</app_key></head><body><dest><src_id>86${GOOD}</src_id><content>`),
				GBK_BYTES,
				Buffer.from('</content><dest_id>410001</dest_id></dest></body></xml>'),
			]),
			contentType: 'text/xml',
		})),
		answer: 'SUCCESS',
	}),
	kit.examples({
		name: 'examples: the shipped send and trigger workflows import, run, and receive the delivery reports',
		send: `${VENDOR}-send-sms.json`,
		trigger: {
			file: `${VENDOR}-delivery-reports.json`,
			kinds: ['delivery', 'reply'],
			// Send SMS (2 numbers) and Send Template SMS (1 number): two pushes of delivery reports, and
			// a reply from the first delivered number of each send.
			executions: 4,
			routed: { Delivered: 2, 'Not delivered: check the number': 1, 'Reply received': 2 },
		},
	}),
];

/** @type {import('../harness').Scenario} */
module.exports = {
	vendor: VENDOR,
	nodeTypes: [VENDOR, kit.triggerType],
	setup,
	checks,
};
