// @ts-check
'use strict';
// Readers of n8n executions (as getExecution returns them): what a node produced, what stopped a run.

/**
 * What a node produced in an execution: its items (json only) per output, and its error if it failed.
 * @param {any} execution from getExecution
 * @param {string} nodeName
 * @returns {{ ran: boolean, outputs: any[][], error: any }}
 */
function nodeResult(execution, nodeName) {
	const runData = execution && execution.data && execution.data.resultData && execution.data.resultData.runData;
	const runs = runData && runData[nodeName];
	if (!runs || !runs.length) return { ran: false, outputs: [], error: null };
	const last = runs[runs.length - 1];
	const main = (last.data && last.data.main) || [];
	return {
		ran: true,
		outputs: main.map((/** @type {any[] | null} */ items) => (items || []).map((item) => item.json)),
		error: last.error || null,
	};
}

/**
 * The error that stopped an execution, if any (resultData.error).
 * @param {any} execution
 */
function executionError(execution) {
	return (execution && execution.data && execution.data.resultData && execution.data.resultData.error) || null;
}

module.exports = { nodeResult, executionError };
