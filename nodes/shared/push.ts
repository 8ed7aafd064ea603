import { createHash, timingSafeEqual } from 'crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PushError, type PushFormat, type PushItem } from './adapter';

// The push types vendor modules use live in the pure adapter.ts; kept importable from here.
export { PushError };
export type { PushFormat, PushItem };

/** The webhook's response, as n8n hands it to the node (a Node.js ServerResponse). */
type ServerResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

/**
 * How deep XML may nest. Zhuanxinyun's deepest record is 5 levels (xml > body > records > record >
 * field); a body nested thousands deep would exhaust the parser's stack, so it is refused unread.
 */
export const MAX_XML_DEPTH = 32;

const xmlParser = new XMLParser({
	// A DOCTYPE is refused before parsing, so only XML's predefined entities (&lt; &amp; …) and
	// character references are decoded: nothing can expand or be read from outside.
	processEntities: true,
	// Numeric character references (&#20013;) are decoded too; vendors may escape Chinese that way.
	htmlEntities: true,
	ignoreAttributes: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	parseTagValue: false,
	trimValues: true,
});

/**
 * Parses a push body by its content, whatever its Content-Type says (vendors leave it unstated):
 * XML, JSON, or a form. Throws PushError for anything malformed.
 */
export function parsePushBody(text: string): { format: PushFormat; data: IDataObject | IDataObject[] } {
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') throw new PushError('the body is empty');
	if (trimmed.startsWith('<')) {
		if (/<!DOCTYPE|<!ENTITY/i.test(trimmed)) throw new PushError('XML with a DOCTYPE is not accepted');
		assertXmlDepth(trimmed);
		const valid = XMLValidator.validate(trimmed);
		if (valid !== true) throw new PushError(`the XML is malformed (${valid.err.msg})`);
		return { format: 'xml', data: xmlParser.parse(trimmed) as IDataObject };
	}
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return { format: 'json', data: JSON.parse(trimmed) as IDataObject };
		} catch (error) {
			throw new PushError(`the JSON is malformed (${(error as Error).message})`);
		}
	}
	if (!trimmed.includes('=')) throw new PushError('the body is neither XML, JSON nor a form');
	const data: IDataObject = {};
	for (const [key, value] of new URLSearchParams(trimmed)) data[key] = value;
	return { format: 'form', data };
}

/**
 * Refuses XML that nests deeper than MAX_XML_DEPTH, by one pass over its tags before any parser
 * sees it (each step jumps to the end of what it read, so the pass is linear whatever the body).
 * Comments, CDATA and processing instructions do not nest; a tag that is never closed counts as
 * open, which only makes the bound stricter.
 */
function assertXmlDepth(xml: string): void {
	const skips: Array<[string, string]> = [
		['<!--', '-->'],
		['<![CDATA[', ']]>'],
		['<?', '?>'],
	];
	let depth = 0;
	for (let at = xml.indexOf('<'); at >= 0; at = xml.indexOf('<', at + 1)) {
		const skip = skips.find(([open]) => xml.startsWith(open, at));
		const end = skip ? xml.indexOf(skip[1], at + skip[0].length) : xml.indexOf('>', at);
		// Unterminated: nothing after it is a tag; the validator says what is wrong.
		if (end < 0) return;
		if (!skip) {
			if (xml[at + 1] === '/') depth--;
			else if (xml[end - 1] !== '/' && ++depth > MAX_XML_DEPTH) {
				throw new PushError(`the XML nests deeper than ${MAX_XML_DEPTH} levels`);
			}
		}
		at = end;
	}
}

/**
 * The charset a push is written in: the Content-Type's `charset`, else an XML declaration's
 * `encoding`, else UTF-8. Chinese vendors' servers often send GBK or GB18030 and say so in one of
 * the two.
 */
export function pushCharset(raw: Buffer, contentType?: string): string {
	const declared = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
	if (declared) return declared[1].toLowerCase();
	// The declaration is ASCII in every charset a vendor uses, so its first bytes can be read as latin1.
	const head = raw.subarray(0, 200).toString('latin1').replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').trimStart();
	const xmlDeclaration = /^<\?xml[^>]*\sencoding\s*=\s*["']([^"']+)["']/i.exec(head);
	return xmlDeclaration ? xmlDeclaration[1].toLowerCase() : 'utf-8';
}

function decoderFor(charset: string): InstanceType<typeof TextDecoder> {
	try {
		return new TextDecoder(charset);
	} catch {
		throw new PushError(`the charset "${charset.slice(0, 40)}" is not supported; send UTF-8, GBK or GB18030`);
	}
}

/** Percent-decodes a form field to bytes, then decodes those in the push's charset. */
function decodeFormField(text: string, decoder: InstanceType<typeof TextDecoder>): string {
	const bytes: number[] = [];
	const plain = Buffer.from(text.replace(/\+/g, ' '), 'latin1');
	for (let i = 0; i < plain.length; i++) {
		const hex = plain[i] === 0x25 ? plain.subarray(i + 1, i + 3).toString('latin1') : '';
		if (/^[0-9a-f]{2}$/i.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else bytes.push(plain[i]);
	}
	return decoder.decode(Buffer.from(bytes));
}

/**
 * Decodes and parses a push's raw bytes in the charset it states (pushCharset). A form's
 * percent-escapes stand for bytes of that charset too, so a form in GBK is decoded field by field.
 */
export function parsePushBytes(raw: Buffer, contentType?: string): { format: PushFormat; data: IDataObject | IDataObject[] } {
	const decoder = decoderFor(pushCharset(raw, contentType));
	if (decoder.encoding === 'utf-8') return parsePushBody(raw.toString('utf8'));
	const text = decoder.decode(raw);
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed.startsWith('<') || trimmed.startsWith('{') || trimmed.startsWith('[') || !trimmed.includes('=')) {
		return parsePushBody(text);
	}
	// The form's own bytes: separators and escapes are ASCII in GBK and GB18030 alike.
	const form = raw.toString('latin1').trim();
	const data: IDataObject = {};
	for (const pair of form.split('&')) {
		if (pair === '') continue;
		const at = pair.indexOf('=');
		const key = decodeFormField(at < 0 ? pair : pair.slice(0, at), decoder);
		data[key] = at < 0 ? '' : decodeFormField(pair.slice(at + 1), decoder);
	}
	return { format: 'form', data };
}

/** Constant-time comparison of the `token` query parameter with the trigger's secret token. */
export function tokenMatches(expected: string, given: unknown): boolean {
	if (typeof given !== 'string') return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(expected), digest(given));
}

export interface PushOptions {
	/** Turns the parsed body into records; throws PushError for a push of the wrong shape. */
	parse: (data: IDataObject | IDataObject[], format: PushFormat) => PushItem[];
	/** The answer the vendor takes as success. */
	successBody: string;
	/** Its content type; plain text unless the vendor expects something else. */
	successContentType?: string;
}

/** The trigger option "Answer the Vendor": at once (the default), or after the workflow ran. */
export type AnswerMode = 'atOnce' | 'afterRun';

/**
 * The webhook's `responseMode`, from that option. n8n answers a `lastNode` webhook only once the
 * execution has finished (in queue mode: once a worker finished it): 500 "Error in workflow" when it
 * failed, else what its `responseData` says (set to `noData` by the triggers). answerAfterRun() then
 * turns that answer into the vendor's own.
 */
export const ANSWER_MODE_EXPRESSION = '={{$parameter["settings"]["answerMode"] === "afterRun" ? "lastNode" : "onReceived"}}';

type PushRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
};

/** The body's bytes, read as n8n's raw-body middleware reads them. */
async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer> {
	const req = ctx.getRequestObject() as PushRequest;
	if (!req.rawBody && typeof req.readRawBody === 'function') {
		try {
			await req.readRawBody();
		} catch (error) {
			// n8n's body limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default) is enforced while reading.
			const { status, statusCode, type } = error as { status?: number; statusCode?: number; type?: string };
			if (status === 413 || statusCode === 413 || type === 'entity.too.large') {
				throw new PushError('the push is larger than this n8n accepts', 413);
			}
			throw new PushError('the body could not be read');
		}
	}
	if (req.rawBody) return req.rawBody;
	// n8n parsed the body itself (it does so for node versions above 1): take what it made.
	if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
	if (req.body && typeof req.body === 'object') return Buffer.from(JSON.stringify(req.body), 'utf8');
	return Buffer.alloc(0);
}

/**
 * n8n's own answer of a webhook that waited for its execution, as the vendor must see it: a success
 * becomes exactly the vendor's success body (whatever the workflow's last node produced, and n8n's
 * wording aside); anything else stays an error status with a short text, so that the vendor pushes
 * again. n8n writes that answer through this same response object (Express's send ends in `end`), on
 * the main process in regular mode and on the webhook process in queue mode.
 */
function answerAfterRun(res: ServerResponse, body: string, contentType: string): void {
	const end = res.end.bind(res) as (chunk?: string | Buffer) => ServerResponse;
	const seen: Buffer[] = [];
	res.write = ((chunk: string | Buffer) => {
		seen.push(Buffer.from(chunk));
		return true;
	}) as ServerResponse['write'];
	res.end = ((chunk?: unknown) => {
		if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) seen.push(Buffer.from(chunk));
		// n8n answers 200 "no data was returned" when it lost track of the run (a failed pre-execution
		// check): not a proof that the push was handled, so the vendor is told to push again.
		const unknownOutcome = /no data was returned/.test(Buffer.concat(seen).toString('utf8'));
		const ok = res.statusCode >= 200 && res.statusCode < 300 && !unknownOutcome;
		if (res.headersSent) return end();
		for (const name of res.getHeaderNames()) res.removeHeader(name);
		const text = ok ? body : 'The workflow did not finish; push this again later';
		res.statusCode = ok ? 200 : res.statusCode >= 400 ? res.statusCode : 500;
		res.setHeader('Content-Type', ok ? contentType : 'text/plain; charset=utf-8');
		res.setHeader('Content-Length', Buffer.byteLength(text));
		return end(text);
	}) as ServerResponse['end'];
}

/**
 * The webhook side every trigger shares: token check, raw body, parse, answer the vendor (at once,
 * or after the workflow ran), event filter, one item per record. At once, the node answers through
 * the response object itself: n8n 2.41 ignores a webhookResponse returned with workflowData under
 * responseMode onReceived.
 */
export async function receivePush(ctx: IWebhookFunctions, options: PushOptions): Promise<IWebhookResponseData> {
	const res = ctx.getResponseObject();
	const settings = ctx.getNodeParameter('settings', {}) as IDataObject;
	const secretToken = String(settings.secretToken ?? '');
	// Plain Node response calls: they work on n8n's Express response and on a bare http server alike.
	const answer = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): IWebhookResponseData => {
		res.statusCode = status;
		res.setHeader('Content-Type', contentType);
		res.end(body);
		return { noWebhookResponse: true };
	};

	if (secretToken !== '' && !tokenMatches(secretToken, (ctx.getQueryData() as IDataObject).token)) {
		return answer(401, 'Unauthorized: the token in this URL does not match the trigger\'s Secret Token');
	}

	let items: PushItem[];
	try {
		const req = ctx.getRequestObject();
		const { format, data } = parsePushBytes(await rawBodyOf(ctx), req.headers?.['content-type']);
		items = options.parse(data, format);
	} catch (error) {
		if (error instanceof PushError) {
			return answer(error.status, `${error.status === 413 ? 'Push too large' : 'Malformed push'}: ${error.message}`);
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}

	const events = ctx.getNodeParameter('events', ['delivery', 'reply']) as string[];
	const selected = items.filter((item) => events.includes(item.event));
	const successBody = String(settings.responseBody ?? '') || options.successBody;
	const successContentType = options.successContentType ?? 'text/plain; charset=utf-8';
	// A push the user filtered out starts nothing, so there is nothing to wait for.
	if (selected.length === 0) return answer(200, successBody, successContentType);
	const workflowData = [ctx.helpers.returnJsonArray(selected)];
	if (settings.answerMode === 'afterRun') {
		answerAfterRun(res as unknown as ServerResponse, successBody, successContentType);
		return { workflowData };
	}
	answer(200, successBody, successContentType);
	return { noWebhookResponse: true, workflowData };
}
