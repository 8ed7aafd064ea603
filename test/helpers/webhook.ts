/**
 * Serves a trigger node's `webhook()` on 127.0.0.1 through n8n-core's real WebhookContext, so tests
 * can post real pushes (real bytes, real headers, a real socket) and read the answer and what the
 * node would start a workflow with. What n8n itself adds to the request before a version-1 trigger
 * with `options.binaryData` sees it is reproduced here: `query`, and `readRawBody()` (n8n's
 * raw-body middleware, with its 16 MB limit and raw-body's 413 error); the body is left unread, as
 * n8n leaves it for such a trigger. A trigger that returns workflowData without answering (its
 * "After the Workflow Ran" mode) is answered as n8n answers a `lastNode` webhook once the execution
 * ended: `runOutcome` says how that execution ended.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	NodeHelpers,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import './workflow'; // sets N8N_USER_FOLDER and the log level before n8n-core loads
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebhookContext } = require('n8n-core') as typeof import('n8n-core');

export interface TriggerServer {
	/** The URL a vendor would be given, like n8n's production URL. */
	url: string;
	/** What each accepted push would start a workflow with; one entry per push that started one. */
	executions: INodeExecutionData[][];
	close(): Promise<void>;
}

/** n8n's default N8N_PAYLOAD_SIZE_MAX, 16 MB. */
export const N8N_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * How the execution a push started ended, for a trigger that waits for it. What n8n 2.41 then writes
 * (webhook-helpers.js): `success` 200 with the last node's data (here a JSON that is not the
 * vendor's answer); `error` 500 {"message":"Error in workflow"}; `lost` 200 {"message":"Workflow
 * executed successfully but no data was returned"}, n8n's answer when it has no run data.
 */
export type RunOutcome = 'success' | 'error' | 'lost';

const N8N_ANSWERS: Record<RunOutcome, { status: number; body: string }> = {
	success: { status: 200, body: JSON.stringify([{ unrelated: 'what the last node output' }]) },
	error: { status: 500, body: JSON.stringify({ message: 'Error in workflow' }) },
	lost: { status: 200, body: JSON.stringify({ message: 'Workflow executed successfully but no data was returned' }) },
};

export async function serveTrigger(options: {
	type: string;
	nodeType: INodeType;
	parameters?: IDataObject;
	runOutcome?: RunOutcome;
}): Promise<TriggerServer> {
	const node: INode = {
		id: 'trigger',
		name: 'Trigger',
		type: options.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: (options.parameters ?? {}) as INode['parameters'],
		webhookId: 'test-webhook-id',
	};
	const nodeTypes: INodeTypes = {
		getByName: () => options.nodeType,
		getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(options.nodeType, version),
		getKnownTypes: () => ({}),
	};
	// The Workflow constructor fills in parameter defaults, as it does in n8n.
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes });
	const description = options.nodeType.description.webhooks![0];
	const executions: INodeExecutionData[][] = [];

	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const request = req as IncomingMessage & IDataObject;
		request.query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
		request.body = {};
		request.readRawBody = async () => {
			const tooLarge = () => Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
			if (Number(req.headers['content-length'] ?? 0) > N8N_BODY_LIMIT) throw tooLarge();
			const chunks: Buffer[] = [];
			let size = 0;
			for await (const chunk of req) {
				size += (chunk as Buffer).length;
				if (size > N8N_BODY_LIMIT) throw tooLarge();
				chunks.push(chunk as Buffer);
			}
			request.rawBody = Buffer.concat(chunks);
		};
		const additionalData = { httpRequest: req, httpResponse: res } as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: 'webhook',
			webhookDescription: description,
			workflowId: 'wf',
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const ctx = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		options.nodeType
			.webhook!.call(ctx)
			.then((result) => {
				if (result.workflowData) executions.push(result.workflowData[0]);
				if (!res.writableEnded && result.workflowData && !result.noWebhookResponse) {
					const { status, body } = N8N_ANSWERS[options.runOutcome ?? 'success'];
					res.statusCode = status;
					res.setHeader('Content-Type', 'application/json; charset=utf-8');
					res.setHeader('Content-Length', Buffer.byteLength(body));
					res.end(body);
				}
				if (!res.writableEnded) {
					res.statusCode = 500;
					res.end('the node did not answer');
				}
			})
			.catch((error: Error) => {
				res.statusCode = 500;
				res.end(`webhook() threw: ${error.message}`);
			});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/test-webhook-id/webhook`,
		executions,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
