// @ts-check
'use strict';
// The example workflows in examples/: what users import against their real accounts, and what the
// demo and the end-to-end tests import against the simulator. Loaded and adapted here once.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_PREFIX } = require('./shell');

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** @param {string} file a file name in examples/ */
function loadExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/** Every example file, sorted. */
function listExamples() {
	return fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
}

/**
 * Makes an example ready to import into one instance: every node's credential of a given type is
 * replaced by the instance's credential, and each node of the package that has none gets a fresh
 * webhookId (the editor does the same on import; without one a trigger has no production URL).
 * @param {any} example
 * @param {{ credentials?: Record<string, { id: string, name: string }>, name?: string }} opts
 * @returns {{ workflow: any, webhookIds: string[] }}
 */
function prepareExample(example, opts = {}) {
	const workflow = JSON.parse(JSON.stringify(example));
	/** @type {string[]} */
	const webhookIds = [];
	for (const node of workflow.nodes) {
		if (node.credentials && opts.credentials) {
			for (const type of Object.keys(node.credentials)) {
				if (opts.credentials[type]) node.credentials[type] = { ...opts.credentials[type] };
			}
		}
		if (node.type.startsWith(PACKAGE_PREFIX) && node.type.endsWith('Trigger')) {
			if (!node.webhookId) node.webhookId = crypto.randomUUID();
			webhookIds.push(node.webhookId);
		}
	}
	if (opts.name) workflow.name = opts.name;
	// The public API accepts only these fields.
	const { name, nodes, connections, settings, pinData } = workflow;
	return { workflow: { name, nodes, connections, settings: settings || { executionOrder: 'v1' }, pinData: pinData || {} }, webhookIds };
}

module.exports = { EXAMPLES_DIR, loadExample, listExamples, prepareExample };
