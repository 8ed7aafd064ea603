// @ts-check
'use strict';
// The HTTP side of a running n8n: owner setup, API key, the public API, the editor's own run endpoint.

const crypto = require('node:crypto');

const { sleep } = require('./shell');

/**
 * @typedef {{ status: number, body: any, text: string, headers: Headers }} HttpResult
 */

/** The HTTP side: the editor's REST API (cookie) and the public API (API key). */
class N8nClient {
	/** @param {string} baseUrl */
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.cookie = '';
		this.apiKey = '';
		this.browserId = crypto.randomUUID();
	}

	/**
	 * @param {string} method @param {string} urlPath
	 * @param {{ body?: any, headers?: Record<string, string>, timeoutMs?: number }} [opts]
	 * @returns {Promise<HttpResult>}
	 */
	async request(method, urlPath, opts = {}) {
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json', 'browser-id': this.browserId, ...(opts.headers || {}) };
		if (this.cookie) headers.cookie = this.cookie;
		if (this.apiKey && urlPath.startsWith('/api/')) headers['x-n8n-api-key'] = this.apiKey;
		let body;
		if (opts.body !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(opts.body);
		}
		const send = () =>
			fetch(this.baseUrl + urlPath, { method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs || 30000) });
		// A read is asked again when the connection failed under it ("fetch failed": seen on a loaded machine
		// when n8n closed a kept-alive socket as it was reused); a write is never repeated.
		let res;
		for (let attempt = 1; ; attempt++) {
			try {
				res = await send();
				break;
			} catch (error) {
				const connectionFailed = error instanceof TypeError && error.message === 'fetch failed';
				if (method !== 'GET' || !connectionFailed || attempt === 3) throw error;
				await sleep(500 * attempt);
			}
		}
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) {
			const match = /n8n-auth=([^;]+)/.exec(setCookie);
			if (match) this.cookie = `n8n-auth=${match[1]}`;
		}
		const text = await res.text();
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = undefined;
		}
		return { status: res.status, body: parsed, text, headers: res.headers };
	}

	/**
	 * Like request, but throws unless the status is 2xx.
	 * @param {string} method @param {string} urlPath @param {any} [body]
	 */
	async ok(method, urlPath, body) {
		const res = await this.request(method, urlPath, { body });
		if (res.status < 200 || res.status > 299) {
			throw new Error(`${method} ${urlPath} -> HTTP ${res.status}: ${res.text.slice(0, 500)}`);
		}
		return res.body;
	}

	/**
	 * Creates the instance owner (first start only) and keeps its login cookie.
	 * @param {{ email: string, password: string, firstName?: string, lastName?: string }} owner
	 */
	async setupOwner(owner) {
		await this.ok('POST', '/rest/owner/setup', {
			email: owner.email,
			password: owner.password,
			firstName: owner.firstName || 'Demo',
			lastName: owner.lastName || 'Owner',
		});
		if (!this.cookie) throw new Error('owner setup returned no n8n-auth cookie');
	}

	/** Creates an API key with every scope the owner may grant; the public API is then usable. */
	async createApiKey(label = 'e2e') {
		const scopes = await this.ok('GET', '/rest/api-keys/scopes');
		const list = Array.isArray(scopes) ? scopes : scopes.data;
		const created = await this.ok('POST', '/rest/api-keys', { label, expiresAt: null, scopes: list });
		const key = (created.data || created).rawApiKey;
		if (!key) throw new Error('POST /rest/api-keys returned no rawApiKey');
		this.apiKey = key;
		return key;
	}

	/** Node types the instance loaded, as the editor gets them. */
	async nodeTypes() {
		const res = await this.request('GET', '/types/nodes.json');
		if (res.status !== 200 || !Array.isArray(res.body)) throw new Error(`GET /types/nodes.json -> ${res.status}`);
		return /** @type {Array<{ name: string, version: number | number[], displayName: string }>} */ (res.body);
	}

	/** Credential types the instance loaded. */
	async credentialTypes() {
		const res = await this.request('GET', '/types/credentials.json');
		if (res.status !== 200 || !Array.isArray(res.body)) throw new Error(`GET /types/credentials.json -> ${res.status}`);
		return /** @type {Array<{ name: string, displayName: string }>} */ (res.body);
	}

	/**
	 * @param {{ name: string, type: string, data: Record<string, unknown> }} credential
	 * @returns {Promise<{ id: string, name: string, type: string }>}
	 */
	async createCredential(credential) {
		return this.ok('POST', '/api/v1/credentials', credential);
	}

	/**
	 * n8n's own credential test (the button in the credential dialog).
	 * @param {string} id
	 * @returns {Promise<{ status: string, message: string }>}
	 */
	async testCredential(id) {
		return this.ok('POST', `/api/v1/credentials/${id}/test`);
	}

	/**
	 * @param {{ name: string, nodes: any[], connections: any, settings?: any, pinData?: any }} workflow
	 * @returns {Promise<{ id: string, name: string, nodes: any[] }>}
	 */
	async createWorkflow(workflow) {
		return this.ok('POST', '/api/v1/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings || { executionOrder: 'v1' },
			...(workflow.pinData ? { pinData: workflow.pinData } : {}),
		});
	}

	/** @param {string} id */
	async deleteWorkflow(id) {
		return this.ok('DELETE', `/api/v1/workflows/${id}`);
	}

	/**
	 * Publishes (in n8n 1.x terms: activates) a workflow; its production webhooks then answer.
	 * @param {string} id
	 */
	async publishWorkflow(id) {
		return this.ok('POST', `/api/v1/workflows/${id}/publish`, {});
	}

	/** @param {string} id */
	async unpublishWorkflow(id) {
		return this.ok('POST', `/api/v1/workflows/${id}/unpublish`);
	}

	/**
	 * Runs a saved workflow the way the editor's "Execute workflow" button does, from the named trigger.
	 * @param {string} id @param {string} triggerName
	 * @returns {Promise<string>} the execution id
	 */
	async runWorkflow(id, triggerName) {
		const res = await this.ok('POST', `/rest/workflows/${id}/run`, { triggerToStartFrom: { name: triggerName } });
		const data = res && (res.data || res);
		if (!data || !data.executionId) throw new Error(`run of workflow ${id} returned no executionId: ${JSON.stringify(res)}`);
		return String(data.executionId);
	}

	/**
	 * One execution with its data, or null while n8n has not saved it yet.
	 * @param {string} id
	 */
	async getExecution(id) {
		const res = await this.request('GET', `/api/v1/executions/${id}?includeData=true`);
		if (res.status === 404) return null;
		if (res.status !== 200) throw new Error(`GET execution ${id} -> ${res.status}: ${res.text.slice(0, 300)}`);
		return res.body;
	}

	/**
	 * Waits (bounded) until the execution has finished.
	 * @param {string} id @param {number} [timeoutMs]
	 */
	async waitForExecution(id, timeoutMs = 30000) {
		const deadline = Date.now() + timeoutMs;
		let last = null;
		while (Date.now() < deadline) {
			last = await this.getExecution(id);
			if (last && last.finished !== undefined && last.stoppedAt) return last;
			if (last && ['success', 'error', 'crashed', 'canceled'].includes(last.status) && last.stoppedAt) return last;
			await sleep(200);
		}
		throw new Error(`execution ${id} did not finish within ${timeoutMs} ms (last: ${last ? last.status : 'none'})`);
	}

	/**
	 * Retries a failed execution through the public API, as the executions list's Retry does; n8n
	 * answers once the retry has finished. `loadWorkflow`: the currently saved workflow instead of the
	 * one the execution ran ("Retry with currently saved workflow").
	 * @param {string} id @param {{ loadWorkflow?: boolean }} [options]
	 * @returns {Promise<any>} the new execution (its id, status, mode, retryOf)
	 */
	async retryExecution(id, { loadWorkflow = false } = {}) {
		return this.ok('POST', `/api/v1/executions/${id}/retry`, { loadWorkflow });
	}

	/**
	 * Executions of one workflow, newest first, with their data.
	 * @param {string} workflowId
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId) {
		const body = await this.ok('GET', `/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=100`);
		return body.data || [];
	}
}

module.exports = { N8nClient };
