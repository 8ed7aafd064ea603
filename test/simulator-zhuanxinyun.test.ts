// The vendor simulator, exercised over real HTTP as our nodes and end-to-end tests use it.
import { readAnswer, useReceivers, waitFor, type Answer } from './helpers/http';
import { useSimulator, ZHUANXINYUN_ACCOUNT } from './helpers/simulator';

const { appKey, appSecret, blockedAppKey } = ZHUANXINYUN_ACCOUNT as Record<string, string>;
// Short push and retry delays: the push tests wait for pushes and their retries.
const sim = useSimulator({ pushDelayMs: 20, configure: { retryDelayMs: 20 } });
/** A webhook receiver like the one our trigger nodes expose: answers `SUCCESS`, with the status statusFor picks. */
const startReceiver = useReceivers({ body: 'SUCCESS' });

async function call(operation: string, params: Record<string, string>, format = 'json'): Promise<Answer> {
	const res = await fetch(`${sim().url}/api/v2/${operation}.${format}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
		body: new URLSearchParams({ appKey, appSecret, ...params }).toString(),
	});
	return readAnswer(res);
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
	const res = await fetch(`${sim().url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: res.status, json: await res.json() };
}

/** Java's URLEncoder.encode(s, "UTF-8"): a space becomes `+`. */
const javaEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
const phonesFrom = (start: number, n: number) => Array.from({ length: n }, (_, i) => String(13800000001 + start + i)).join(',');
const chinaDate = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

describe('zhuanxinyun: accounts', () => {
	test.each([
		['wrong secret', { appSecret: 'nope' }, '100003', 'appSecret错误'],
		['unknown appKey', { appKey: 'who' }, '100002', '账户不存在或状态异常'],
		['blocked (IP whitelist)', { appKey: blockedAppKey }, '100004', '请求IP不在白名单内(请在API设置页面添加白名单或与管理员联系)'],
		['missing secret', { appSecret: '' }, '100001', '参数格式错误'],
	])('%s', async (_name, creds, errorCode, errorMsg) => {
		const res = await call('querySmsCount', creds);
		expect(res.status).toBe(200);
		expect(res.contentType).toBe('application/json;charset=UTF-8');
		expect(res.json).toEqual({ errorCode, errorMsg });
	});

	test('XML format answers the same error in the XML shape', async () => {
		const res = await call('sendSms', { appSecret: 'nope', phones: '13800138000', content: '【云锋网络】hi' }, 'xml');
		expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xml><errorCode>100003</errorCode><errorMsg>appSecret错误</errorMsg></xml>');
		expect(sim().requests[0]).toMatchObject({ operation: 'sendSms', response: { status: 200, body: res.text } });
	});
});

describe('zhuanxinyun: sendSms', () => {
	test('accepts, decrements the balance and records the request', async () => {
		expect((await call('querySmsCount', {})).json).toEqual({ count: 100000, errorCode: '000000', errorMsg: '获取成功' });
		const sent = await call('sendSms', { phones: '13800138000,13900139000,13700137000', missionNums: 'a1,a2,a3', content: '【云锋网络】验证码123456', batchNum: 'b1' });
		expect(sent.json).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
		expect((await call('querySmsCount', {})).json.count).toBe(99997);
		expect(sim().requests[1]).toMatchObject({
			vendor: 'zhuanxinyun',
			operation: 'sendSms',
			method: 'POST',
			path: '/api/v2/sendSms.json',
			params: { phones: '13800138000,13900139000,13700137000', content: '【云锋网络】验证码123456' },
		});
	});

	test('1001 numbers -> 100005', async () => {
		const res = await call('sendSms', { phones: phonesFrom(0, 1001), content: '【云锋网络】hi' });
		expect(res.json).toEqual({ errorCode: '100005', errorMsg: '单次最大提交可1000条短信' });
	});

	test('missionNums count differs from phones -> 100006', async () => {
		const res = await call('sendSms', { phones: '13800138000,13900139000', missionNums: 'm1', content: '【云锋网络】hi' });
		expect(res.json).toEqual({ errorCode: '100006', errorMsg: 'missionNum数量必须与手机号数量一致' });
	});

	test.each([
		['a bad number -> 100007', { phones: '13800138000,1380013800' }, '100007'],
		['no signature -> 100001', { content: 'hi' }, '100001'],
		['missionNum with a hyphen -> 100001', { missionNums: 'mission-001' }, '100001'],
		// The doc's samples use mission_001: underscores are taken.
		['missionNum with an underscore -> 000000', { missionNums: 'mission_001' }, '000000'],
	])('%s', async (_name, override, errorCode) => {
		const res = await call('sendSms', { phones: '13800138000', content: '【云锋网络】hi', ...override });
		expect(res.json.errorCode).toBe(errorCode);
	});

	test('a repeated batchNum is refused and the balance is short -> 100009', async () => {
		await call('sendSms', { phones: '13800138000', content: '【云锋网络】hi', batchNum: 'b1' });
		const again = await call('sendSms', { phones: '13800138000', content: '【云锋网络】hi', batchNum: 'b1' });
		expect(again.json).toEqual({ errorCode: '100001', errorMsg: '参数格式错误(batchNum重复)' });
		sim().configure({ zhuanxinyun: { balance: 1 } });
		const poor = await call('sendSms', { phones: '13800138000,13900139000', content: '【云锋网络】hi' });
		expect(poor.json).toEqual({ errorCode: '100009', errorMsg: '账户余额不足' });
	});

	test('GET with a query string is accepted, as in the vendor sample', async () => {
		const query = new URLSearchParams({ appKey, appSecret, phones: '13800138000', content: '【云锋网络】hi' });
		const res = await fetch(`${sim().url}/api/v2/sendSms.json?${query}`);
		expect(await res.json()).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
	});
});

describe('zhuanxinyun: sendTplSms', () => {
	// Comma, plus and spaces inside a message: only per-message encoding keeps them apart.
	const first = '【测试签名】您的订单A+1, B 2已发货,运单号SF 100+2';
	const second = '【测试签名】您的订单X,Y已发货,运单号 Z';

	test('decodes each message once more (Java + and %20 both mean a space)', async () => {
		const content = `${javaEncode(first)},${encodeURIComponent(second)}`;
		const res = await call('sendTplSms', { phones: '13800138000,13900139000', templateId: '1001', content });
		expect(res.json).toEqual({ errorCode: '000000', errorMsg: '提交成功' });
		expect(sim().requests[0].params.content).toBe(content);
		expect(sim().requests[0].detail.messages.map((m: any) => m.content)).toEqual([first, second]);
	});

	test('messages not encoded on their own split wrongly -> 100012', async () => {
		const res = await call('sendTplSms', { phones: '13800138000,13900139000', templateId: '1001', content: `${first},${second}` });
		expect(res.json).toEqual({ errorCode: '100012', errorMsg: '短信条数需与手机号一致' });
	});

	test('template mismatch -> 100013, unknown template -> 100011', async () => {
		const mismatch = await call('sendTplSms', { phones: '13800138000', templateId: '27', content: javaEncode('【云锋网络】你好,这是测试1234') });
		expect(mismatch.json).toEqual({ errorCode: '100013', errorMsg: '短信内容与模板不匹配' });
		const unknown = await call('sendTplSms', { phones: '13800138000', templateId: '999', content: javaEncode('【云锋网络】hi') });
		expect(unknown.json).toEqual({ errorCode: '100011', errorMsg: '找不到模板' });
	});
});

describe('zhuanxinyun: pushes and pull APIs', () => {
	test('auto push: delivery reports (retried after a 500) and a reply, then the pull APIs', async () => {
		let refused = false;
		const receiver = await startReceiver((body) => (!refused && body.includes('<records>') ? ((refused = true), 500) : 200));
		sim().configure({ autoPush: { zhuanxinyun: { delivery: receiver.url, reply: receiver.url } }, autoReply: true });
		const sent = await call('sendSms', {
			phones: '13900139000,13800000000,13700137000',
			missionNums: 'm1,m2,m3',
			content: '【云锋网络】验证码123456',
			batchNum: 'batch7',
			extraNum: '12',
		});
		expect(sent.json.errorCode).toBe('000000');
		await waitFor(() => sim().pushes.length >= 3 || undefined, 'two delivery attempts and a reply');

		const deliveries = receiver.received.filter((r) => r.body.includes('<records>'));
		expect(deliveries).toHaveLength(2); // refused once with 500, then retried
		expect(deliveries[1].body).toBe(deliveries[0].body);
		const xml = deliveries[1].body;
		expect(deliveries[1].contentType).toBe('text/xml;charset=UTF-8');
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<xml>\n<head>\n<app_key>sim-zhuanxinyun-key<\/app_key>\n<time_stamp>\d{14}<\/time_stamp>\n<nonce_str>\w+<\/nonce_str>\n<sign>[0-9a-f]{32}<\/sign>\n<\/head>\n<body>\n<records>\n<record>\n/);
		expect(xml.match(/<record>/g)).toHaveLength(3);
		expect(xml).toContain('<mission_num>m1</mission_num>\n<dest_id>13900139000</dest_id>\n<send_status>SUCCESS</send_status>\n<receive_status>SUCCESS</receive_status>\n<receive_real_status>DELIVRD</receive_real_status>\n<batch_num>batch7</batch_num>');
		expect(xml).toContain('<mission_num>m2</mission_num>\n<dest_id>13800000000</dest_id>\n<send_status>SUCCESS</send_status>\n<receive_status>FAIL</receive_status>\n<receive_real_status>MK:0001</receive_real_status>');
		expect(xml).toMatch(/<stat_time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d<\/stat_time>\n<\/record>\n<\/records>\n<\/body>\n<\/xml>$/);

		const reply = receiver.received.find((r) => r.body.includes('<dest>'));
		expect(reply?.body).toContain('<body>\n<dest>\n<src_id>8613900139000</src_id>\n<content>收到</content>\n<dest_id>106901234512</dest_id>\n</dest>\n</body>');
		expect(sim().pushes.map((p: any) => [p.kind, p.status])).toEqual(expect.arrayContaining([['delivery', 500], ['delivery', 200], ['reply', 200]]));

		const mo = await call('queryMoRecord', {});
		expect(mo.json).toMatchObject({ errorCode: '000000', data: [{ src_id: '8613900139000', content: '收到', dest_id: '106901234512' }] });
		expect((await call('queryMoRecord', {})).json.data).toEqual([]); // handed out once

		const reports = await call('queryStatusReport', { time: chinaDate() });
		expect(reports.json.data).toHaveLength(3);
		expect(reports.json.data[1]).toMatchObject({ mission_num: 'm2', dest_id: '13800000000', receive_status: 'FAIL', receive_real_status: 'MK:0001', batch_num: 'batch7' });
		expect((await call('queryStatusReport', {})).json.errorCode).toBe('100001');
	});

	test('configure() puts reports and replies where the pull APIs give them out', async () => {
		sim().configure({
			zhuanxinyun: {
				reports: [
					{ phone: '13800138000', missionNum: 'r1', batchNum: 'b', statTime: '2026-11-07 10:00:00' },
					{ phone: '13900139000', missionNum: 'r2', realStatus: null, statTime: '2026-11-07 10:00:01' },
				],
				replies: [{ phone: '13800138000', content: '好的', time: '2026-11-07 10:00:02' }],
			},
		});
		const reports = (await call('queryStatusReport', { time: '2026-11-07' })).json.data;
		expect(reports).toEqual([
			{ mission_num: 'r1', dest_id: '13800138000', receive_status: 'SUCCESS', receive_real_status: 'DELIVRD', batch_num: 'b', stat_time: '2026-11-07 10:00:00' },
			// The record the document implies: SUCCESS without the gateway's code.
			{ mission_num: 'r2', dest_id: '13900139000', receive_status: 'SUCCESS', batch_num: '', stat_time: '2026-11-07 10:00:01' },
		]);
		expect((await call('queryStatusReport', { time: '2026-11-08' })).json.data).toEqual([]);
		expect((await call('queryMoRecord', {})).json.data).toEqual([{ src_id: '8613800138000', content: '好的', dest_id: '1069012345', recv_time: '2026-11-07 10:00:02' }]);
		expect(() => sim().configure({ zhuanxinyun: { report: [] } })).toThrow('unknown config key "report"');
	});

	test('auto push splits 150 reports into pushes of at most 100; unregistered signature -> YF:11', async () => {
		const receiver = await startReceiver();
		sim().configure({ autoPush: { zhuanxinyun: { delivery: receiver.url } } });
		await call('sendSms', { phones: phonesFrom(0, 150), content: '【别人的签名】hi' });
		await waitFor(() => sim().pushes.length >= 2 || undefined, 'two delivery pushes');
		expect(receiver.received.map((r) => r.body.match(/<record>/g)?.length)).toEqual([100, 50]);
		expect(receiver.received[0].body).toContain('<receive_real_status>YF:11</receive_real_status>');
	});
});

describe('control API over HTTP', () => {
	test('requests, config, push, reset', async () => {
		await call('sendSms', { phones: '13800138000', content: '【云锋网络】hi' });
		const listed = await control('GET', '/_sim/requests?vendor=zhuanxinyun');
		expect(listed.json).toHaveLength(1);
		expect(listed.json[0]).toMatchObject({ id: 1, operation: 'sendSms', response: { status: 200 } });
		expect((await control('GET', '/_sim/requests?vendor=other')).json).toEqual([]);

		expect((await control('POST', '/_sim/config', { zhuanxinyun: { balance: 7 } })).status).toBe(200);
		expect((await call('querySmsCount', {})).json.count).toBe(7);
		expect((await control('POST', '/_sim/config', { autopush: {} })).status).toBe(400);

		const receiver = await startReceiver();
		const pushed = await control('POST', '/_sim/push', {
			vendor: 'zhuanxinyun',
			url: receiver.url,
			kind: 'delivery',
			records: [{ missionNum: 'x1', phone: '13800138000', batchNum: 'b', realStatus: 'YF:03', statTime: '2024-05-06 07:08:09' }],
		});
		expect(pushed.json).toEqual({ status: 200, body: 'SUCCESS' });
		expect(receiver.received[0].body).toContain('<receive_status>FAIL</receive_status>\n<receive_real_status>YF:03</receive_real_status>\n<batch_num>b</batch_num>\n<stat_time>2024-05-06 07:08:09</stat_time>');
		const raw = await control('POST', '/_sim/push', { vendor: 'zhuanxinyun', url: receiver.url, kind: 'delivery', raw: '<xml><oops', contentType: 'application/xml' });
		expect(raw.json.status).toBe(200);
		expect(receiver.received[1]).toEqual({ contentType: 'application/xml', body: '<xml><oops' });
		const pushes = (await control('GET', '/_sim/pushes')).json;
		expect(pushes).toHaveLength(2);
		expect(pushes[0]).toMatchObject({ vendor: 'zhuanxinyun', kind: 'delivery', contentType: 'text/xml;charset=UTF-8', status: 200, answer: 'SUCCESS' });

		expect((await control('DELETE', '/_sim/requests')).status).toBe(200);
		expect((await control('GET', '/_sim/requests')).json).toEqual([]);
		expect((await control('GET', '/_sim/pushes')).json).toEqual([]);
		expect((await call('querySmsCount', {})).json.count).toBe(100000);
	});
});
