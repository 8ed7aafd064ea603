// @ts-check
'use strict';
// What a vendor's scenario file gets to work with: the running n8n, its API, the simulator, and a few
// verbs that hide n8n's plumbing (build a workflow around one node, run it, read what it produced;
// publish a trigger workflow and wait for its executions).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { nodeResult, executionError, sleep, PACKAGE_PREFIX } = require('./n8n');
const { CREDENTIAL_TYPES, credentialsFor } = require('../../simulator');

/**
 * @typedef {object} Check
 * @property {string} name what is proven, in a user's words
 * @property {(h: Harness, context: any) => Promise<void>} run throws (assert) when it fails
 * @property {number} [timeoutMs]
 * @property {boolean} [queue] false: the check proves nothing about queue mode (item handling, the
 *   examples) and the queue-mode suite leaves it out
 *
 * @typedef {object} Scenario
 * @property {string} vendor
 * @property {string[]} nodeTypes node names without the package prefix; the scenario runs only when the package lists them all
 * @property {(h: Harness) => Promise<any>} setup creates what the checks share (credentials); returns it as context
 * @property {Check[]} checks
 *
 * @typedef {ReturnType<typeof createHarness>} Harness
 */

/**
 * @param {{ n8n: import('./n8n').N8nInstance, api: import('./n8n').N8nClient, sim: any, log: (line: string) => void, verbose?: boolean, webhooks?: import('./n8n').N8nInstance, queue?: boolean }} deps
 *   webhooks: the process that serves production webhooks (queue mode's webhook process; default n8n
 *   itself); queue: the instance runs in queue mode
 */
function createHarness({ n8n, api, sim, log, verbose, webhooks = n8n, queue = false }) {
	let counter = 0;

	/**
	 * The production URL of a trigger node's webhook, on the process that serves webhooks.
	 * @param {string} webhookId @param {string} [webhookPath]
	 */
	function webhookUrl(webhookId, webhookPath = 'webhook') {
		return webhooks.webhookUrl(webhookId, webhookPath);
	}

	/**
	 * Builds, saves and runs (like the editor's "Execute workflow") a workflow:
	 * Manual Trigger (with the given items pinned as its output) -> the node under test.
	 * @param {object} spec
	 * @param {string} spec.type node name without the package prefix, or a full type name
	 * @param {number} [spec.typeVersion]
	 * @param {Record<string, any>} spec.parameters
	 * @param {Record<string, { id: string, name: string }>} [spec.credentials]
	 * @param {Array<Record<string, any>>} [spec.items] input items (json); default one empty item
	 * @param {'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput'} [spec.onError]
	 * @param {string} [spec.name] workflow name
	 * @param {number} [spec.timeoutMs]
	 */
	async function runNode(spec) {
		const type = spec.type.includes('.') ? spec.type : PACKAGE_PREFIX + spec.type;
		const node = {
			id: crypto.randomUUID(),
			name: 'SMS',
			type,
			typeVersion: spec.typeVersion || 1,
			position: [260, 0],
			parameters: spec.parameters,
			...(spec.credentials ? { credentials: spec.credentials } : {}),
			...(spec.onError ? { onError: spec.onError } : {}),
		};
		const workflow = await api.createWorkflow({
			name: spec.name || `e2e ${++counter}: ${spec.type} ${spec.parameters.operation || ''}`.trim(),
			nodes: [
				{ id: crypto.randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				node,
			],
			connections: { Start: { main: [[{ node: 'SMS', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
			...(spec.items ? { pinData: { Start: spec.items.map((json) => ({ json })) } } : {}),
		});
		const executionId = await api.runWorkflow(workflow.id, 'Start');
		const execution = await api.waitForExecution(executionId, spec.timeoutMs || 45000);
		const result = nodeResult(execution, 'SMS');
		const out = {
			workflowId: workflow.id,
			executionId,
			execution,
			status: /** @type {string} */ (execution.status),
			ran: result.ran,
			/** json of the node's first (regular) output */
			output: result.outputs[0] || [],
			/** json of every output (continueErrorOutput puts failures on the second) */
			outputs: result.outputs,
			/** the node's error, when it stopped the workflow */
			error: result.error || executionError(execution),
		};
		if (verbose) log(`runNode ${type} -> ${out.status} ${JSON.stringify(out.outputs).slice(0, 400)}`);
		return out;
	}

	/**
	 * Saves and publishes (activates) a workflow that starts with the given trigger node, then waits until
	 * its production webhook is registered.
	 * @param {object} spec
	 * @param {string} spec.type
	 * @param {number} [spec.typeVersion]
	 * @param {Record<string, any>} spec.parameters
	 * @param {Record<string, { id: string, name: string }>} [spec.credentials]
	 * @param {string} [spec.name]
	 * @param {string} [spec.webhookPath] the node's webhook path (default `webhook`)
	 * @param {string} [spec.fullPath] for nodes whose path is the whole URL path (n8n's own Webhook node)
	 * @param {{ type: string, typeVersion?: number, parameters: Record<string, any> }} [spec.then] the node
	 *   after the trigger (default: a No Operation node)
	 */
	async function deployTrigger(spec) {
		const type = spec.type.includes('.') ? spec.type : PACKAGE_PREFIX + spec.type;
		const webhookId = crypto.randomUUID();
		const workflow = await api.createWorkflow({
			name: spec.name || `e2e ${++counter}: ${spec.type}`,
			nodes: [
				{
					id: crypto.randomUUID(),
					name: 'Trigger',
					type,
					typeVersion: spec.typeVersion || 1,
					position: [0, 0],
					webhookId,
					parameters: spec.parameters,
					...(spec.credentials ? { credentials: spec.credentials } : {}),
				},
				{
					id: crypto.randomUUID(),
					name: 'Received',
					type: spec.then ? spec.then.type : 'n8n-nodes-base.noOp',
					typeVersion: spec.then ? spec.then.typeVersion || 1 : 1,
					position: [260, 0],
					parameters: spec.then ? spec.then.parameters : {},
				},
			],
			connections: { Trigger: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		await api.publishWorkflow(workflow.id);
		const url = spec.fullPath ? `${webhooks.url}/webhook/${spec.fullPath}` : webhookUrl(webhookId, spec.webhookPath || 'webhook');
		await waitForWebhook(url);
		return { workflowId: workflow.id, webhookId, url };
	}

	/**
	 * Waits (bounded) until n8n serves the production webhook: before that a GET is answered "not
	 * registered"; after, n8n says the path exists for POST only. Readiness comes before registration.
	 * @param {string} url @param {number} [timeoutMs]
	 */
	async function waitForWebhook(url, timeoutMs = 20000) {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(3000) }).catch(() => null);
			if (res) {
				last = `${res.status} ${await res.text()}`;
				if (res.status !== 404 || /POST/.test(last)) return;
			}
			await sleep(250);
		}
		throw new Error(`webhook ${url} not registered after ${timeoutMs} ms (last answer: ${last.slice(0, 200)})`);
	}

	/**
	 * Executions of a workflow once there are at least `count` finished ones (oldest first); bounded.
	 * @param {string} workflowId @param {number} count @param {number} [timeoutMs]
	 */
	async function waitForExecutions(workflowId, count, timeoutMs = 20000) {
		const deadline = Date.now() + timeoutMs;
		/** @type {any[]} */
		let finished = [];
		while (Date.now() < deadline) {
			const all = await api.listExecutions(workflowId);
			// With its data saved: n8n 1.x may list a finished execution before that.
			finished = all.filter((e) => e.stoppedAt && e.data && e.data.resultData);
			if (finished.length >= count) {
				return finished.sort((a, b) => Number(a.id) - Number(b.id));
			}
			await sleep(250);
		}
		throw new Error(`workflow ${workflowId}: ${finished.length} finished executions after ${timeoutMs} ms, expected ${count}`);
	}

	/**
	 * Items a trigger emitted in one execution (json of its first output).
	 * @param {any} execution @param {string} [nodeName]
	 */
	function triggerItems(execution, nodeName = 'Trigger') {
		const result = nodeResult(execution, nodeName);
		return result.outputs[0] || [];
	}

	/** @type {Map<string, any> | null} */
	let nodeTypeCache = null;
	/**
	 * A loaded node type's description, as the editor gets it.
	 * @param {string} type
	 */
	async function nodeType(type) {
		const name = type.includes('.') ? type : PACKAGE_PREFIX + type;
		if (!nodeTypeCache) nodeTypeCache = new Map((await api.nodeTypes()).map((t) => [t.name, t]));
		const found = nodeTypeCache.get(name);
		if (!found) throw new Error(`node type ${name} is not loaded`);
		return found;
	}

	/**
	 * The name of the collection parameter that holds a given option (for example the trigger option
	 * `secretToken`), read from the node's own description, so the checks save parameters exactly where
	 * the editor would put them.
	 * @param {string} type @param {string} optionName
	 */
	async function collectionHolding(type, optionName) {
		const description = await nodeType(type);
		const property = (description.properties || []).find(
			(/** @type {any} */ p) => p.type === 'collection' && (p.options || []).some((/** @type {any} */ o) => o.name === optionName),
		);
		if (!property) throw new Error(`${type} has no collection with the option ${optionName}`);
		return /** @type {string} */ (property.name);
	}

	/**
	 * Creates the vendor's credential for the simulator's account (the simulator's `credentialsFor`, every
	 * base URL at this simulator), with `changes` over its fields (a wrong secret, an unreachable URL);
	 * returns it as a node's `credentials` entry.
	 * @param {string} vendor @param {string} name @param {Record<string, string>} [changes]
	 * @returns {Promise<Record<string, { id: string, name: string }>>}
	 */
	async function simulatorCredential(vendor, name, changes = {}) {
		const type = CREDENTIAL_TYPES[vendor];
		const created = await api.createCredential({ name, type, data: { ...credentialsFor(vendor, sim.url), ...changes } });
		return { [type]: { id: created.id, name: created.name } };
	}

	/**
	 * What the simulator recorded, optionally for one vendor.
	 * @param {string} [vendor]
	 * @returns {any[]}
	 */
	function simRequests(vendor) {
		const all = (typeof sim.requests === 'function' ? sim.requests() : sim.requests) || [];
		return vendor ? all.filter((/** @type {any} */ r) => r.vendor === vendor) : all;
	}

	return {
		n8n,
		api,
		sim,
		log,
		queue,
		webhookUrl,
		runNode,
		deployTrigger,
		waitForWebhook,
		waitForExecutions,
		triggerItems,
		simRequests,
		simulatorCredential,
		nodeType,
		collectionHolding,
		sleep,
	};
}

/**
 * The scenario modules (scripts/e2e/scenarios), one per vendor, in file order; optionally one vendor's.
 * @param {string} [vendor]
 * @returns {Scenario[]}
 */
function loadScenarios(vendor) {
	const dir = path.join(__dirname, 'scenarios');
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.js'))
		.sort()
		.map((file) => /** @type {Scenario} */ (require(path.join(dir, file))))
		.filter((scenario) => !vendor || scenario.vendor === vendor);
}

module.exports = { createHarness, loadScenarios, PACKAGE_PREFIX };
