import { createHash, timingSafeEqual } from 'crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** One normalized record of a push, as the contract shapes trigger output. */
export interface PushItem extends IDataObject {
	vendor: string;
	event: 'delivery' | 'reply';
	/** Null where the vendor's push names no number (1oc's reports carry only the message id). */
	phone: string | null;
}

/** A push the vendor's format does not allow: answered 400, and no execution starts. */
export class PushError extends Error {}

export type PushFormat = 'json' | 'form' | 'xml';

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

async function rawBodyOf(ctx: IWebhookFunctions): Promise<string> {
	const req = ctx.getRequestObject() as ReturnType<IWebhookFunctions['getRequestObject']> & {
		rawBody?: Buffer;
		readRawBody?: () => Promise<void>;
	};
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	if (req.rawBody) return req.rawBody.toString('utf8');
	// n8n parsed the body itself (it does so for node versions above 1): take what it made.
	if (typeof req.body === 'string') return req.body;
	if (req.body && typeof req.body === 'object') return JSON.stringify(req.body);
	return '';
}

/**
 * The webhook side every trigger shares: token check, raw body, parse, answer the vendor at once,
 * event filter, one item per record. The node answers through the response object itself: n8n 2.41
 * ignores a webhookResponse returned with workflowData under responseMode onReceived.
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
		const { format, data } = parsePushBody(await rawBodyOf(ctx));
		items = options.parse(data, format);
	} catch (error) {
		if (error instanceof PushError) return answer(400, `Malformed push: ${error.message}`);
		throw error;
	}

	const events = ctx.getNodeParameter('events', ['delivery', 'reply']) as string[];
	const selected = items.filter((item) => events.includes(item.event));
	const successBody = String(settings.responseBody ?? '') || options.successBody;
	answer(200, successBody, options.successContentType ?? 'text/plain; charset=utf-8');
	if (selected.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [ctx.helpers.returnJsonArray(selected)] };
}
