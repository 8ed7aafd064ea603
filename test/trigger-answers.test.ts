/**
 * What every trigger shares in nodes/shared/push.ts, for each of the four, over real HTTP: the
 * "Answer the Vendor" option (at once, or after the workflow ran), pushes too large or nested too
 * deep (answered, not crashed on), and pushes written in GBK or GB18030.
 */
import type { INodeType } from 'n8n-workflow';

import { MAX_XML_DEPTH } from '../nodes/shared/push';
import { useTriggers } from './helpers/triggers';
import { ADAPTERS, zhuanxinyunReport } from './helpers/vendors';
import { N8N_BODY_LIMIT } from './helpers/webhook';

interface Vendor {
	name: string;
	type: string;
	nodeType: new () => INodeType;
	contentType: string;
	/** A valid push, and the answer the vendor takes as success. */
	valid: string;
	success: { body: string; contentType: string };
	/** Whether the trigger has the events filter (1oc pushes delivery reports only). */
	events: boolean;
}

/** Every trigger of the one test table (test/helpers/vendors.ts). */
const VENDORS: Vendor[] = ADAPTERS.flatMap(({ vendor, trigger }) =>
	trigger
		? [
				{
					name: vendor,
					type: `n8n-nodes-cn-sms.${trigger.name}`,
					nodeType: trigger.nodeType,
					contentType: trigger.contentType,
					valid: trigger.valid,
					success: { body: trigger.answer, contentType: trigger.answerContentType },
					events: trigger.events,
				},
			]
		: [],
);
const byName = (name: string) => VENDORS.find((vendor) => vendor.name === name)!;

/** POSTs bytes as given, with a Content-Type as given. */
async function postBytes(url: string, body: Buffer | string, contentType: string) {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
	return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

describe.each(VENDORS)('$name trigger: when the vendor is answered', (vendor) => {
	const { trigger, post } = useTriggers({ type: vendor.type, nodeType: vendor.nodeType, contentType: vendor.contentType });
	const exactly = { status: 200, contentType: vendor.success.contentType, body: vendor.success.body };

	it('at once by default: the success answer, whatever the workflow then does', async () => {
		const server = await trigger({}, 'error');
		expect(await post(server.url, vendor.valid)).toEqual(exactly);
		expect(server.executions).toHaveLength(1);
	});

	it('after the workflow ran: exactly the success answer, not what the last node output', async () => {
		const server = await trigger({ settings: { answerMode: 'afterRun' } }, 'success');
		expect(await post(server.url, vendor.valid)).toEqual(exactly);
		expect(server.executions).toHaveLength(1);
	});

	it('after the workflow ran: a failed execution gets an error status and no success body, so the vendor pushes again', async () => {
		const server = await trigger({ settings: { answerMode: 'afterRun' } }, 'error');
		const answer = await post(server.url, vendor.valid);
		expect(answer.status).toBe(500);
		expect(answer.body).not.toContain(vendor.success.body);
		expect(answer.body).toMatch(/did not finish/);
		expect(server.executions).toHaveLength(1);
	});

	it('after the workflow ran: an execution n8n lost track of is not taken for a success', async () => {
		const server = await trigger({ settings: { answerMode: 'afterRun' } }, 'lost');
		const answer = await post(server.url, vendor.valid);
		expect(answer.status).toBe(500);
		expect(answer.body).not.toContain(vendor.success.body);
	});

	it('after the workflow ran: the user-set response body is what the vendor gets', async () => {
		const server = await trigger({ settings: { answerMode: 'afterRun', responseBody: 'RECEIVED' } }, 'success');
		expect(await post(server.url, vendor.valid)).toMatchObject({ status: 200, body: 'RECEIVED' });
	});

	it('after the workflow ran: a wrong token and a malformed push are still answered at once', async () => {
		const server = await trigger({ settings: { answerMode: 'afterRun', secretToken: 's3cret' } }, 'error');
		expect((await post(server.url, vendor.valid)).status).toBe(401);
		expect((await post(`${server.url}?token=s3cret`, '')).status).toBe(400);
		expect(server.executions).toHaveLength(0);
	});

	if (vendor.events) it('after the workflow ran: a push the events filter drops gets the success answer at once', async () => {
		const server = await trigger({ events: [], settings: { answerMode: 'afterRun' } }, 'error');
		expect(await post(server.url, vendor.valid)).toEqual(exactly);
		expect(server.executions).toHaveLength(0);
	});

	it('a body over n8n\'s 16 MB limit gets 413 with a short text and starts nothing; the next push works', async () => {
		const server = await trigger();
		const huge = Buffer.alloc(N8N_BODY_LIMIT + 4 * 1024 * 1024, 'a');
		const answer = await postBytes(server.url, huge, vendor.contentType);
		expect(answer.status).toBe(413);
		expect(answer.body.length).toBeLessThan(200);
		expect(answer.body).not.toMatch(/\/|\bat\b/);
		expect(server.executions).toHaveLength(0);
		expect(await post(server.url, vendor.valid)).toEqual(exactly);
	});
});

describe('hostile XML', () => {
	const { trigger, post } = useTriggers(byName('zhuanxinyun'));

	it('a record nested 100,000 deep gets 400 naming the bound, starts nothing, and the webhook keeps working', async () => {
		const server = await trigger();
		const deep = `<xml><body><records><record>${'<a>'.repeat(100000)}x${'</a>'.repeat(100000)}</record></records></body></xml>`;
		const answer = await post(server.url, deep);
		expect(answer).toEqual({ status: 400, contentType: 'text/plain; charset=utf-8', body: `Malformed push: the XML nests deeper than ${MAX_XML_DEPTH} levels` });
		expect(server.executions).toHaveLength(0);
		expect((await post(server.url, zhuanxinyunReport('m2'))).status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('nesting at the bound is parsed; one level more is refused', async () => {
		const server = await trigger();
		// xml > body > records > record > mission_num is 5 levels; pad the head up to the bound.
		const nested = (levels: number) =>
			zhuanxinyunReport('m3').replace('<head>', `<head>${'<p>'.repeat(levels)}${'</p>'.repeat(levels)}`);
		expect((await post(server.url, nested(MAX_XML_DEPTH - 2))).status).toBe(200);
		expect((await post(server.url, nested(MAX_XML_DEPTH - 1))).status).toBe(400);
	});

	it('the depth bound reads any body in linear time: a megabyte of unterminated openers is answered at once', async () => {
		const server = await trigger();
		for (const opener of ['<?', '<!--', '<![CDATA[', '<a']) {
			const started = Date.now();
			const answer = await post(server.url, `<xml>${opener.repeat(Math.floor(1_000_000 / opener.length))}`);
			expect(answer.status).toBe(400);
			// Quadratic scanning of this body takes minutes; linear takes milliseconds.
			expect(Date.now() - started).toBeLessThan(5000);
		}
		expect(server.executions).toHaveLength(0);
	});

	it('comments, CDATA and the declaration do not count as nesting', async () => {
		const server = await trigger();
		const body = zhuanxinyunReport('m4').replace('<head>', `<head><!-- ${'<a>'.repeat(100)} --><![CDATA[${'<b>'.repeat(100)}]]>`);
		expect((await post(server.url, body)).status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({ messageId: 'm4' });
	});
});

describe('pushes in GBK and GB18030', () => {
	const gbk = (text: string) => Buffer.from(new TextEncoderGbk().encode(text));

	const zhuanxinyun = useTriggers(byName('zhuanxinyun'));
	const veesing = useTriggers(byName('veesing'));
	const chonry = useTriggers(byName('chonry'));

	const replyXml = (declaration: string) =>
		`<?xml version="1.0" encoding="${declaration}"?><xml><head><app_key>k</app_key></head><body><dest><src_id>8613800138000</src_id><content>收到，谢谢！退订</content><dest_id>410001</dest_id></dest></body></xml>`;

	it('a Zhuanxinyun reply in GBK, said so by its XML declaration, keeps its Chinese', async () => {
		const server = await zhuanxinyun.trigger();
		const answer = await postBytes(server.url, gbk(replyXml('GBK')), 'text/xml');
		expect(answer.status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({ event: 'reply', phone: '13800138000', content: '收到，谢谢！退订' });
	});

	it('a Zhuanxinyun reply in GB18030, said so by the Content-Type, keeps its Chinese (a character outside GBK too)', async () => {
		const server = await zhuanxinyun.trigger();
		const body = replyXml('GB18030').replace('退订', '退订𠀀');
		const answer = await postBytes(server.url, gbk(body), 'text/xml; charset=GB18030');
		expect(answer.status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({ content: '收到，谢谢！退订𠀀' });
	});

	it('the Content-Type charset wins over the declaration; UTF-8 stays the default', async () => {
		const server = await zhuanxinyun.trigger();
		await postBytes(server.url, gbk(replyXml('UTF-8')), 'text/xml;charset=gbk');
		await postBytes(server.url, Buffer.from(replyXml('UTF-8'), 'utf8'), 'text/xml');
		expect(server.executions.map((e) => e[0].json.content)).toEqual(['收到，谢谢！退订', '收到，谢谢！退订']);
	});

	it('a Veesing reply form in GBK: percent-escapes are GBK bytes, and raw GBK bytes too', async () => {
		const server = await veesing.trigger();
		const escaped = `mobile=13800138000&taskid=7&content=${percentBytes(gbk('好的 收到'))}`;
		expect((await postBytes(server.url, escaped, 'application/x-www-form-urlencoded; charset=GBK')).status).toBe(200);
		const raw = Buffer.concat([Buffer.from('mobile=13800138000&taskid=8&content='), gbk('好的')]);
		expect((await postBytes(server.url, raw, 'application/x-www-form-urlencoded;charset=gb18030')).status).toBe(200);
		expect(server.executions.map((e) => e[0].json.content)).toEqual(['好的 收到', '好的']);
	});

	it('a Chonry reply form in GBK keeps its Chinese', async () => {
		const server = await chonry.trigger();
		const body = `mobile=8613800138000&content=${percentBytes(gbk('你好'))}&receiveTime=2024-05-06+07%3A08%3A09`;
		expect((await postBytes(server.url, body, 'application/x-www-form-urlencoded; charset="GBK"')).status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({ event: 'reply', content: '你好' });
	});

	it('a charset nobody knows gets 400 naming it, and starts nothing', async () => {
		const server = await veesing.trigger();
		const answer = await postBytes(server.url, 'mobile=13800138000&status=1', 'application/x-www-form-urlencoded; charset=klingon-8');
		expect(answer.status).toBe(400);
		expect(answer.body).toMatch(/klingon-8/);
		expect(server.executions).toHaveLength(0);
	});
});

/** Form escapes of every byte, as a GBK server writes them (%C4%E3…); spaces as `+`. */
function percentBytes(bytes: Buffer): string {
	return [...bytes].map((b) => (b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/**
 * GB18030 encoding for the tests (GBK is its two-byte part). Node has GBK/GB18030 decoders but no
 * encoder, so one is built from the decoder: every two-byte code is decoded once into a table. Four-
 * byte codes (characters outside GBK) are computed from the Unicode offset for the supplementary planes.
 */
class TextEncoderGbk {
	private static table: Map<string, number[]> | undefined;

	encode(text: string): Uint8Array {
		const table = TextEncoderGbk.build();
		const out: number[] = [];
		for (const char of text) {
			const code = char.codePointAt(0)!;
			if (code < 0x80) out.push(code);
			else if (table.has(char)) out.push(...table.get(char)!);
			else if (code >= 0x10000) {
				// GB18030 four-byte codes for U+10000 and up start at 0x90 0x30 0x81 0x30.
				let n = code - 0x10000;
				const b4 = 0x30 + (n % 10);
				n = Math.floor(n / 10);
				const b3 = 0x81 + (n % 126);
				n = Math.floor(n / 126);
				const b2 = 0x30 + (n % 10);
				const b1 = 0x90 + Math.floor(n / 10);
				out.push(b1, b2, b3, b4);
			} else throw new Error(`no GBK code for ${char}`);
		}
		return Uint8Array.from(out);
	}

	private static build(): Map<string, number[]> {
		if (this.table) return this.table;
		const decoder = new TextDecoder('gb18030');
		const table = new Map<string, number[]>();
		for (let lead = 0x81; lead <= 0xfe; lead++) {
			for (let trail = 0x40; trail <= 0xfe; trail++) {
				if (trail === 0x7f) continue;
				const char = decoder.decode(Uint8Array.from([lead, trail]));
				if (char.length >= 1 && char !== '\uFFFD' && !table.has(char)) table.set(char, [lead, trail]);
			}
		}
		this.table = table;
		return table;
	}
}
