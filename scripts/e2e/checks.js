// @ts-check
'use strict';
// The checks every vendor's scenario makes, written once: the credential's Test button, bad input,
// Continue On Fail, a vendor error for a wrong secret, the trigger's webhook (pushes, secret token,
// events filter, malformed bodies) and the shipped examples. A scenario file builds its checks here and
// states only what is particular to its vendor: parameters, the expected wire request and outputs, push
// records and answers. One implementation means a fix or a stricter assertion reaches every vendor.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { loadExample, prepareExample } = require('./examples');

/**
 * @typedef {import('./harness').Harness} Harness
 * @typedef {import('./harness').Check} Check
 * @typedef {Record<string, { id: string, name: string }>} CredentialRef  a node's `credentials` entry
 * @typedef {'delivery' | 'reply'} PushKind
 * @typedef {{ items?: Record<string, any>[], onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput', credentials?: CredentialRef }} RunMore
 */

/** The messageId of a push whose execution the answer-mode check makes fail. */
const FAIL_ME = 'FAIL_ME';

/** A reply text, and its bytes in GBK (GB18030 writes these characters the same way). */
const GBK_TEXT = '你好，收到';
const GBK_BYTES = Buffer.from('c4e3bac3a3accad5b5bd', 'hex');
if (new TextDecoder('gbk').decode(GBK_BYTES) !== GBK_TEXT) throw new Error('GBK_BYTES do not spell GBK_TEXT');

/**
 * POSTs bytes as given, with a Content-Type as given; the whole answer.
 * @param {string} url @param {{ body: string | Buffer, contentType: string }} push
 */
async function postAs(url, push) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': push.contentType }, body: typeof push.body === 'string' ? push.body : new Uint8Array(push.body), signal: AbortSignal.timeout(30000) });
	return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

/** Trigger checks wait for pushes and executions; the default 90 s is for the action node's checks. */
const TRIGGER_TIMEOUT_MS = 60000;

/** An ISO 8601 time with the China offset, whole seconds (what the triggers emit as receivedAt). */
const CHINA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

/** @param {any} run a result of h.runNode */
function assertSucceeded(run) {
	assert.equal(run.status, 'success', `execution ${run.executionId} ended ${run.status}: ${run.error && run.error.message}`);
}

/**
 * Vendors' texts are asserted either whole (a string: the exact wording users see) or in part (a
 * RegExp: a code or a phrase); one helper so that each check can take either.
 * @param {unknown} actual @param {string | RegExp} expected @param {string} [message]
 */
function assertText(actual, expected, message) {
	if (expected instanceof RegExp) assert.match(String(actual), expected, message);
	else assert.equal(String(actual), expected, message);
}

/**
 * How many items each node of a workflow emitted over several executions: the examples route pushes
 * to nodes named for what happened ("Delivered", "Reply received"), so the counts prove the routing.
 * @param {any[]} executions @returns {Record<string, number>}
 */
function routedItems(executions) {
	/** @type {Record<string, number>} */
	const routed = {};
	for (const e of executions) {
		for (const [nodeName, runs] of Object.entries(e.data.resultData.runData)) {
			const items = (runs[0].data && runs[0].data.main && runs[0].data.main[0]) || [];
			routed[nodeName] = (routed[nodeName] || 0) + items.length;
		}
	}
	return routed;
}

/**
 * Imports a prepared example workflow and runs it from its Manual Trigger, as a user would after
 * importing it; the execution must succeed.
 * @param {Harness} h @param {any} workflow from prepareExample
 */
async function runExampleWorkflow(h, workflow) {
	const created = await h.api.createWorkflow(workflow);
	const start = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
	const executionId = await h.api.runWorkflow(created.id, start.name);
	const execution = await h.api.waitForExecution(executionId, 45000);
	assert.equal(execution.status, 'success', JSON.stringify(execution.data && execution.data.resultData && execution.data.resultData.error));
	return execution;
}

/**
 * @typedef {object} Kit  what every check builder and helper below takes: the vendor it checks
 * @property {string} vendor the simulator's and the node's name (`zhuanxinyun`)
 * @property {string} triggerType `<vendor>Trigger`
 * @property {string} credentialType `zhuanxinyunApi`
 * @property {string} wrongSecret the secret of the context's wrongCredentials: it must never show
 * @property {string[]} [sendOperations] the simulator's operation names of a send; without, every call of the vendor is one
 */

/**
 * Runs the action node, with the context's good credential unless told otherwise.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {Harness} h @param {any} ctx @param {Record<string, any>} parameters @param {RunMore} [more]
 */
function run(kit, h, ctx, parameters, more = {}) {
	const { vendor } = kit;
	return h.runNode({ type: vendor, parameters, credentials: more.credentials || ctx.credentials, items: more.items, onError: more.onError });
}

/** The send calls the simulator received. @param {Kit} kit @param {Harness} h @returns {any[]} */
function sends(kit, h) {
	const { vendor, sendOperations } = kit;
	const calls = h.simRequests(vendor);
	return sendOperations ? calls.filter((r) => sendOperations.includes(r.operation)) : calls;
}

/**
 * Publishes a workflow with the vendor's trigger, runs `fn` with it, and unpublishes it whatever
 * happens, so that a failed check leaves no webhook behind for the next one.
 * @template T
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {Harness} h @param {Record<string, any>} parameters @param {(trigger: { workflowId: string, url: string }) => Promise<T>} fn
 */
async function withTrigger(kit, h, parameters, fn) {
	const { triggerType } = kit;
	const trigger = await h.deployTrigger({ type: triggerType, parameters });
	try {
		return await fn(trigger);
	} finally {
		await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
	}
}

/**
 * Lets the simulator push by itself (after each send) to `url` while `fn` runs, then stops it so
 * that later checks get no stray pushes. Replies are only pushed when asked for.
 * @template T
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {Harness} h @param {string} url @param {PushKind[]} kinds @param {() => Promise<T>} fn
 */
async function withAutoPush(kit, h, url, kinds, fn) {
	const { vendor } = kit;
	const replies = kinds.includes('reply');
	h.sim.configure({ autoPush: { [vendor]: Object.fromEntries(kinds.map((k) => [k, url])) }, ...(replies ? { autoReply: true } : {}), pushDelayMs: 100 });
	try {
		return await fn();
	} finally {
		h.sim.configure({ autoPush: { [vendor]: Object.fromEntries(kinds.map((k) => [k, null])) }, ...(replies ? { autoReply: false } : {}) });
	}
}

/**
 * POSTs one push to a trigger's URL the way the vendor would.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {Harness} h @param {string} url @param {PushKind} kind
 * @param {{ records?: Record<string, any>[], raw?: string, contentType?: string }} body
 * @returns {Promise<{ status: number, body: string, error?: string }>}
 */
function push(kit, h, url, kind, body) {
	const { vendor } = kit;
	return h.sim.push({ vendor, url, kind, ...body });
}

/**
 * n8n's Test button: the good credential passes; the wrong one fails in the vendor's words, which
 * must not echo the wrong secret.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} spec.name
 * @param {RegExp} spec.wrongMessage the vendor's code or text in the failed test's message
 * @param {{ operation: string, count: number, atLeast?: boolean, each?: (call: any) => void }} [spec.calls]
 *   the simulator's record of the tests' calls: how many (exactly, or at least), and what each must be
 * @param {(h: Harness, ctx: any) => Promise<void>} [spec.more] the vendor's further checks, after these
 * @returns {Check}
 */
function credentialTest(kit, spec) {
	const { vendor, credentialType, wrongSecret } = kit;
	return {
		name: spec.name,
		async run(h, ctx) {
			h.sim.reset();
			const good = await h.api.testCredential(ctx.credentials[credentialType].id);
			assert.equal(good.status, 'OK', `test of the good credential: ${JSON.stringify(good)}`);
			const bad = await h.api.testCredential(ctx.wrongCredentials[credentialType].id);
			assert.equal(bad.status, 'Error', `test of the wrong credential: ${JSON.stringify(bad)}`);
			assert.match(bad.message, spec.wrongMessage);
			assert.ok(!bad.message.includes(wrongSecret), 'the wrong secret appears in the message');
			if (spec.calls) {
				const { operation, count, atLeast, each } = spec.calls;
				const calls = h.simRequests(vendor).filter((r) => r.operation === operation);
				const seen = `the simulator saw ${calls.length} ${operation} calls`;
				if (atLeast) assert.ok(calls.length >= count, seen);
				else assert.equal(calls.length, count, seen);
				if (each) calls.forEach(each);
			}
			if (spec.more) await spec.more(h, ctx);
		},
	};
}

/**
 * Input the node can tell is wrong fails the node (a NodeOperationError naming the value) before
 * anything reaches the vendor.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {{ name: string, parameters: Record<string, any>, items?: Record<string, any>[], error: string | RegExp }} spec
 * @returns {Check}
 */
function badInput(kit, spec) {
	const { vendor } = kit;
	return {
		name: spec.name,
		async run(h, ctx) {
			h.sim.reset();
			const result = await run(kit, h, ctx, spec.parameters, { items: spec.items });
			assert.equal(result.status, 'error');
			assert.ok(result.error, 'no error in the execution');
			assert.equal(result.error.name, 'NodeOperationError');
			assertText(result.error.message, spec.error);
			assert.equal(h.simRequests(vendor).length, 0, 'the simulator received a request');
		},
	};
}

/**
 * Continue On Fail with regular output: every item gets an output item in order; the bad one carries
 * its error, the others are sent.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} [spec.name]
 * @param {Record<string, any>} spec.parameters
 * @param {Record<string, any>[]} spec.items
 * @param {number} [spec.bad] index of the bad item (default 1)
 * @param {string | RegExp} spec.error the bad item's error
 * @param {(h: Harness) => unknown} spec.sent what reached the vendor, in a comparable form
 * @param {unknown} spec.expectSent
 * @returns {Check}
 */
function continueRegularOutput(kit, spec) {
	const bad = spec.bad === undefined ? 1 : spec.bad;
	return {
		name: spec.name || 'continueOnFail (continue, regular output): the bad item carries its error, the others are sent',
		queue: false,
		async run(h, ctx) {
			h.sim.reset();
			const result = await run(kit, h, ctx, spec.parameters, { items: spec.items, onError: 'continueRegularOutput' });
			assertSucceeded(result);
			assert.equal(result.output.length, spec.items.length);
			spec.items.forEach((_, i) => {
				if (i === bad) assertText(result.output[i].error, spec.error);
				else assert.equal(result.output[i].success, true, `item ${i}: ${JSON.stringify(result.output[i])}`);
			});
			assert.deepEqual(spec.sent(h), spec.expectSent);
		},
	};
}

/**
 * Continue On Fail with error output: of one good and one bad item, the good one comes out of the
 * success branch and the bad one, with its error, out of the error branch.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} [spec.name]
 * @param {Record<string, any>} spec.parameters
 * @param {Record<string, any>[]} spec.items
 * @param {string | RegExp} spec.error the bad item's error
 * @param {(out: any) => void} spec.good asserts the success branch's item
 * @returns {Check}
 */
function continueErrorOutput(kit, spec) {
	return {
		name: spec.name || 'continueOnFail (error output): the bad item goes to the error branch',
		queue: false,
		async run(h, ctx) {
			h.sim.reset();
			const result = await run(kit, h, ctx, spec.parameters, { items: spec.items, onError: 'continueErrorOutput' });
			assertSucceeded(result);
			if (h.api.legacy) {
				// n8n 1.x routes to the error output only an item whose json is `error` (and `message`)
				// alone; the bad item's `{ error, details }` stays in the success branch, in its place
				// (README, "Compatibility").
				const bad = result.outputs[0].filter((/** @type {any} */ item) => item.error !== undefined && Object.keys(item).sort().join() === 'details,error');
				assert.equal(bad.length, 1, `success branch on n8n 1.x: ${JSON.stringify(result.outputs[0])}`);
				assertText(bad[0].error, spec.error);
				spec.good(result.outputs[0].find((/** @type {any} */ item) => item.error === undefined));
				assert.equal((result.outputs[1] || []).length, 0, `error branch: ${JSON.stringify(result.outputs[1])}`);
				return;
			}
			assert.equal(result.outputs[0].length, 1, `success branch: ${JSON.stringify(result.outputs[0])}`);
			spec.good(result.outputs[0][0]);
			assert.equal((result.outputs[1] || []).length, 1, `error branch: ${JSON.stringify(result.outputs[1])}`);
			assertText(result.outputs[1][0].error, spec.error);
		},
	};
}

/**
 * A send with the wrong secret reaches the vendor once and fails with the vendor's code kept; the
 * wrong secret shows nowhere in the execution (its error included).
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} spec.name
 * @param {Record<string, any>} spec.parameters
 * @param {string | RegExp} [spec.message] the error's message
 * @param {RegExp} [spec.text] the error's message and description together
 * @param {RegExp} [spec.description]
 * @param {(h: Harness, result: any) => void} [spec.more] the vendor's further checks
 * @returns {Check}
 */
function wrongSecretFails(kit, spec) {
	const { wrongSecret } = kit;
	return {
		name: spec.name,
		async run(h, ctx) {
			h.sim.reset();
			const result = await run(kit, h, ctx, spec.parameters, { credentials: ctx.wrongCredentials });
			assert.equal(result.status, 'error');
			if (spec.message !== undefined) assertText(result.error.message, spec.message);
			if (spec.text) assert.match(String(result.error.message) + String(result.error.description), spec.text);
			if (spec.description) assert.match(String(result.error.description), spec.description);
			assert.ok(!JSON.stringify(result.error).includes(wrongSecret), 'the wrong secret is in the error');
			assert.ok(!JSON.stringify(result.execution).includes(wrongSecret), 'the wrong secret is in the execution data');
			assert.equal(sends(kit, h).length, 1);
			if (spec.more) spec.more(h, result);
		},
	};
}

/**
 * A send makes the simulator push (delivery reports, replies) to the published trigger: every push
 * is answered as the vendor expects and becomes a successful execution.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} spec.name
 * @param {PushKind[]} spec.kinds what the simulator pushes after the send
 * @param {Record<string, any>} spec.send the send's parameters
 * @param {number} spec.executions how many executions the pushes start
 * @param {{ count: number, answer: string, contentType?: string, body?: RegExp }} spec.pushes what each push looked like and got back
 * @param {(h: Harness, got: { sent: any, executions: any[], items: any[] }) => void} spec.verify the vendor's normalized items
 * @returns {Check}
 */
function triggerReceivesPushes(kit, spec) {
	const { vendor } = kit;
	return {
		name: spec.name,
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h, ctx) {
			h.sim.reset();
			await withTrigger(kit, h, {}, (trigger) =>
				withAutoPush(kit, h, trigger.url, spec.kinds, async () => {
					const sent = await run(kit, h, ctx, spec.send);
					assertSucceeded(sent);
					const executions = await h.waitForExecutions(trigger.workflowId, spec.executions);
					assert.ok(executions.every((e) => e.status === 'success'), 'a trigger execution did not succeed');
					const items = executions.flatMap((e) => h.triggerItems(e));
					spec.verify(h, { sent, executions, items });

					const pushes = (h.sim.pushes || []).filter((/** @type {any} */ p) => p.vendor === vendor);
					assert.equal(pushes.length, spec.pushes.count, JSON.stringify(pushes.map((/** @type {any} */ p) => [p.kind, p.status, p.answer])));
					for (const p of pushes) {
						assert.equal(p.status, 200);
						assert.equal(p.answer, spec.pushes.answer);
						if (spec.pushes.contentType) assert.equal(p.contentType, spec.pushes.contentType);
						if (spec.pushes.body) assert.match(p.body, spec.pushes.body);
					}
				}),
			);
		},
	};
}

/**
 * With a secret token set, a push without it or with a wrong one gets 401 and starts nothing; the
 * right one gets the configured answer and starts exactly one execution.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} [spec.name]
 * @param {string} [spec.token]
 * @param {string} [spec.answer] the configured response body
 * @param {Record<string, any>[]} spec.records one delivery push
 * @param {(items: any[]) => void} spec.verify the execution's items (there is one)
 * @returns {Check}
 */
function triggerSecretToken(kit, spec) {
	const { triggerType } = kit;
	const token = spec.token || 'e2e-token-123';
	const answer = spec.answer || 'OK-FROM-N8N';
	return {
		name: spec.name || 'trigger: a secret token is required (401 and no execution without it), and the answer is configurable',
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			// Saved where the editor puts the option, whatever the collection is called in this node.
			const settings = await h.collectionHolding(triggerType, 'secretToken');
			await withTrigger(kit, h, { [settings]: { secretToken: token, responseBody: answer } }, async (trigger) => {
				const records = spec.records;
				const none = await push(kit, h, trigger.url, 'delivery', { records });
				assert.equal(none.status, 401, `no token: ${JSON.stringify(none)}`);
				const wrong = await push(kit, h, `${trigger.url}?token=${token.slice(0, -1)}`, 'delivery', { records });
				assert.equal(wrong.status, 401, `wrong token: ${JSON.stringify(wrong)}`);
				const right = await push(kit, h, `${trigger.url}?token=${token}`, 'delivery', { records });
				assert.deepEqual(right, { status: 200, body: answer }, `right token: ${JSON.stringify(right)}`);
				const executions = await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(1000); // a 401 that started an execution anyway would show up by now
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1, `${all.length} executions, expected only the authorised push's`);
				const items = h.triggerItems(executions[0]);
				assert.equal(items.length, 1);
				spec.verify(items);
			});
		},
	};
}

/**
 * With the events filter set to one kind, a push of the other kind is still answered as the vendor
 * expects (else it would retry) but starts nothing; a push of the kept kind starts one execution.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} spec.name
 * @param {{ kind: PushKind, records: Record<string, any>[] }} spec.ignored pushed first
 * @param {{ kind: PushKind, records: Record<string, any>[] }} spec.kept pushed second; the filter keeps only its kind
 * @param {string} spec.answer the vendor's success answer, for both
 * @param {(items: any[]) => void} [spec.verify] the execution's items
 * @returns {Check}
 */
function triggerEventsFilter(kit, spec) {
	return {
		name: spec.name,
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			await withTrigger(kit, h, { events: [spec.kept.kind] }, async (trigger) => {
				const ignored = await push(kit, h, trigger.url, spec.ignored.kind, { records: spec.ignored.records });
				assert.deepEqual(ignored, { status: 200, body: spec.answer }, `${spec.ignored.kind} (filtered out)`);
				const kept = await push(kit, h, trigger.url, spec.kept.kind, { records: spec.kept.records });
				assert.deepEqual(kept, { status: 200, body: spec.answer }, spec.kept.kind);
				const executions = await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(500); // an execution for the filtered push would show up by now
				const all = await h.api.listExecutions(trigger.workflowId);
				assert.equal(all.length, 1, `${all.length} executions, expected 1 (the ${spec.kept.kind})`);
				const items = h.triggerItems(executions[0]);
				assert.equal(items[0].event, spec.kept.kind);
				if (spec.verify) spec.verify(items);
			});
		},
	};
}

/**
 * Bodies the trigger cannot read get 400 (so the vendor sees the failure) and start nothing; a good
 * push afterwards is answered and starts the only execution.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} spec.name
 * @param {Array<string | { raw: string, contentType: string }>} spec.bodies pushed as delivery reports; a string goes with the vendor's content type
 * @param {Record<string, any>[]} spec.valid the records of the good delivery push
 * @param {string} spec.answer the vendor's success answer
 * @param {(items: any[]) => void} [spec.verify] the good push's items
 * @returns {Check}
 */
function triggerRejectsMalformed(kit, spec) {
	return {
		name: spec.name,
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			await withTrigger(kit, h, {}, async (trigger) => {
				for (const body of spec.bodies) {
					const answer = await push(kit, h, trigger.url, 'delivery', typeof body === 'string' ? { raw: body } : body);
					assert.equal(answer.status, 400, `${JSON.stringify(body)} -> ${JSON.stringify(answer)}`);
				}
				const ok = await push(kit, h, trigger.url, 'delivery', { records: spec.valid });
				assert.deepEqual(ok, { status: 200, body: spec.answer });
				const [execution] = await h.waitForExecutions(trigger.workflowId, 1);
				assert.equal((await h.api.listExecutions(trigger.workflowId)).length, 1);
				if (spec.verify) spec.verify(h.triggerItems(execution));
			});
		},
	};
}

/**
 * The shipped examples, imported with the simulator's credential: the send workflow runs; with a
 * trigger example, that one is published first and the pushes the sends cause are routed by it.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} spec.name
 * @param {string} spec.send the send example's file in examples/
 * @param {(h: Harness, execution: any) => void} [spec.verifySend]
 * @param {{ file: string, kinds: PushKind[], executions: number, routed: Record<string, number> }} [spec.trigger]
 *   the trigger example's file, what the simulator pushes to it, how many executions that starts,
 *   and how many items each of its nodes must get
 * @returns {Check}
 */
function examples(kit, spec) {
	const { trigger } = spec;
	return {
		name: spec.name,
		queue: false,
		...(trigger ? { timeoutMs: TRIGGER_TIMEOUT_MS } : {}),
		async run(h, ctx) {
			h.sim.reset();
			const sendExample = prepareExample(loadExample(spec.send), { credentials: ctx.credentials });
			if (!trigger) {
				const execution = await runExampleWorkflow(h, sendExample.workflow);
				if (spec.verifySend) spec.verifySend(h, execution);
				return;
			}
			const triggerExample = prepareExample(loadExample(trigger.file), { credentials: ctx.credentials });
			const triggerWf = await h.api.createWorkflow(triggerExample.workflow);
			try {
				await h.api.publishWorkflow(triggerWf.id);
				const [url] = triggerExample.webhookIds.map((id) => h.webhookUrl(id));
				await h.waitForWebhook(url);
				await withAutoPush(kit, h, url, trigger.kinds, async () => {
					const execution = await runExampleWorkflow(h, sendExample.workflow);
					if (spec.verifySend) spec.verifySend(h, execution);
					const received = await h.waitForExecutions(triggerWf.id, trigger.executions);
					assert.ok(received.every((e) => e.status === 'success'), 'an execution of the trigger example failed');
					const routed = routedItems(received);
					for (const [nodeName, count] of Object.entries(trigger.routed)) {
						assert.equal(routed[nodeName], count, `${nodeName}: ${JSON.stringify(routed)}`);
					}
				});
			} finally {
				await h.api.unpublishWorkflow(triggerWf.id).catch(() => {});
			}
		},
	};
}

/**
 * The fault battery in a real n8n (the in-process one is test/faults.test.ts): for each of the
 * simulator's faults, one send of one number reaches the vendor once, its recipient's outcome is
 * "unknown", the error says the message may be out, and no credential value shows in the execution
 * or in n8n's log, even when the answer echoes the request. Then a vendor whose address refuses the
 * connection: "notSent", "nothing was sent". Then a throttled vendor: every message accepted, none twice.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {Record<string, any>} spec.parameters a valid send of one number (phones included)
 * @param {string} spec.sendOperation the simulator's operation name of that send
 * @param {string[]} spec.secrets the good credential's secret values
 * @param {{ parameters: Record<string, any>, items: Record<string, any>[] }} spec.many a send of several calls at once
 * @returns {Check}
 */
function faultBattery(kit, spec) {
	const { vendor } = kit;
	const faults = [
		{ mode: 'hang', vendorAccepts: true, error: /No answer from .+; the message may have been sent/ },
		{ mode: 'html5xx', status: 502, vendorAccepts: false, error: /answered HTTP 502; the message may have been sent/ },
		{ mode: 'html200', vendorAccepts: false, error: /not its API response; the message may have been sent/ },
		{ mode: 'reset', vendorAccepts: true, error: /the message may have been sent/ },
		{ mode: 'truncated', vendorAccepts: true, error: /the message may have been sent/ },
		{ mode: 'drip', durationMs: 4000, vendorAccepts: true, error: /within the timeout\); the message may have been sent/ },
	];
	return {
		name: 'faults: a vendor that hangs, fails with HTML, resets, truncates or drips is called once, every recipient "unknown", no secret shown; one that refuses the connection: "notSent"; a throttled vendor gets every message once',
		timeoutMs: 120000,
		// What the transport does with a fault does not depend on where the execution runs.
		queue: false,
		async run(h, ctx) {
			const logStart = fs.statSync(h.n8n.logFile).size;
			for (const { mode, vendorAccepts, error, ...fault } of faults) {
				h.sim.reset();
				h.sim.configure({ faults: { [vendor]: { [spec.sendOperation]: { mode, ...fault } } } });
				const result = await run(kit, h, ctx, { ...spec.parameters, options: { ...(spec.parameters.options || {}), timeout: 1500 } }, { onError: 'continueRegularOutput' });
				assertSucceeded(result);
				const out = result.output[0];
				const calls = sends(kit, h);
				assert.equal(calls.length, 1, `${mode}: the vendor got ${calls.length} requests`);
				assert.equal(calls[0].accepted, vendorAccepts, `${mode}: accepted`);
				assert.deepEqual(out.recipients.map((/** @type {any} */ r) => r.outcome), ['unknown'], `${mode}: ${JSON.stringify(out.recipients)}`);
				assert.match(String(out.error), error, mode);
				assert.match(String(out.details), /may have received the message/, mode);
				for (const secret of spec.secrets) assert.ok(!JSON.stringify(result.execution).includes(secret), `${mode}: a secret is in the execution data`);
			}
			// A vendor whose address refuses the connection: nothing reached it, so the call is tried again
			// and the recipient is "notSent", whatever shape this n8n gives the network error.
			const { freePort } = require('./processes');
			const { credentialsFor } = require('../../simulator');
			const refusing = await h.simulatorCredential(vendor, `${vendor} (connection refused)`, credentialsFor(vendor, `http://127.0.0.1:${await freePort()}`));
			{
				const result = await run(kit, h, ctx, spec.parameters, { onError: 'continueRegularOutput', credentials: refusing });
				assertSucceeded(result);
				const out = result.output[0];
				assert.deepEqual(out.recipients.map((/** @type {any} */ r) => r.outcome), ['notSent'], `refused: ${JSON.stringify(out.recipients)}`);
				assert.match(String(out.error), /\(connection refused\); nothing was sent/, 'refused');
				assert.match(String(out.details), /surely got nothing/, 'refused');
			}
			h.sim.reset();
			h.sim.configure({ throttle: { [vendor]: { maxInFlight: 2 } }, responseDelayMs: 50 });
			try {
				const result = await run(kit, h, ctx, spec.many.parameters, { items: spec.many.items });
				assertSucceeded(result);
				assert.ok(result.output.every((/** @type {any} */ o) => o.success === true), JSON.stringify(result.output.map((/** @type {any} */ o) => o.error)));
				assert.ok(h.sim.stats().throttled[vendor] > 0, 'the simulator throttled nothing: the check proves nothing');
				const taken = sends(kit, h).filter((c) => !c.throttled);
				assert.equal(taken.length, spec.many.items.length);
			} finally {
				h.sim.configure({ throttle: { [vendor]: null }, responseDelayMs: 0 });
			}
			const log = fs.readFileSync(h.n8n.logFile, 'utf8').slice(logStart);
			for (const secret of spec.secrets) assert.ok(!log.includes(secret), "a secret is in n8n's log");
		},
	};
}

/**
 * "Answer the Vendor: After the Workflow Ran": the trigger's workflow goes on to a Code node whose
 * output is nothing like the vendor's answer, and which fails for one push. The push whose
 * execution succeeded gets exactly the vendor's success body and content type; the one whose
 * execution failed gets an error status and not that body, so the vendor pushes it again.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} [spec.name]
 * @param {PushKind} [spec.kind] the kind of both pushes (default delivery)
 * @param {Record<string, any>[]} spec.good records of the push whose execution succeeds
 * @param {Record<string, any>[]} spec.failing records of the push whose execution fails: their
 *   messageId (as the trigger emits it) is `FAIL_ME`
 * @param {{ body: string, contentType: string }} spec.answer the vendor's success answer
 * @returns {Check}
 */
function triggerAnswersAfterRun(kit, spec) {
	const { triggerType } = kit;
	return {
		name: spec.name || 'trigger, answering after the workflow ran: the vendor gets exactly its success answer when the run succeeded, an error status when it failed',
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			const settings = await h.collectionHolding(triggerType, 'answerMode');
			const then = {
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: [
						`if ($input.all().some((item) => item.json.messageId === '${FAIL_ME}')) throw new Error('this workflow fails on purpose');`,
						"return [{ json: { unrelated: 'what the last node output', items: $input.all().length } }];",
					].join('\n'),
				},
			};
			const trigger = await h.deployTrigger({ type: triggerType, parameters: { [settings]: { answerMode: 'afterRun' } }, then });
			try {
				const kind = spec.kind || 'delivery';
				const started = Date.now();
				const good = await postAs(trigger.url, await rawPush(kit, h, kind, spec.good));
				const goodMs = Date.now() - started;
				assert.deepEqual(good, { status: 200, contentType: spec.answer.contentType, body: spec.answer.body }, 'the push whose run succeeded');
				const failed = await postAs(trigger.url, await rawPush(kit, h, kind, spec.failing));
				assert.ok(failed.status >= 500, `the push whose run failed got ${failed.status} ${failed.body}`);
				assert.ok(!failed.body.includes(spec.answer.body), `the failed run's answer holds the success body: ${failed.body}`);
				assert.ok(!/\/(root|home|tmp|usr)\/|\bat .*\.js:\d+/.test(failed.body), `the answer shows server paths: ${failed.body}`);
				const executions = await h.waitForExecutions(trigger.workflowId, 2);
				assert.deepEqual(executions.map((e) => e.status), ['success', 'error']);
				h.log(`  answered after the run in ${goodMs} ms`);
			} finally {
				await h.api.unpublishWorkflow(trigger.workflowId).catch(() => {});
			}
		},
	};
}

/**
 * The bytes and Content-Type the simulator would push for these records, without pushing them.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {Harness} h @param {PushKind} kind @param {Record<string, any>[]} records
 */
async function rawPush(kit, h, kind, records) {
	const { vendor } = kit;
	// The simulator pushes to a URL of its own that records and answers; what it sent is the push.
	const sink = `${h.sim.url}/_sim/nowhere`;
	await h.sim.push({ vendor, url: sink, kind, records });
	const sent = (h.sim.pushes || []).filter((/** @type {any} */ p) => p.url === sink).pop();
	if (!sent) throw new Error('the simulator recorded no push');
	return { body: sent.body, contentType: sent.contentType };
}

/**
 * Pushes n8n cannot or must not take are answered, not crashed on: a body over n8n's 16 MB limit
 * gets 413 with a short text (no stack trace, no server path), the vendor's further hostile bodies
 * their status, and none starts an execution; a good push afterwards still works.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} [spec.name]
 * @param {Array<{ what: string, body: string | Buffer, contentType: string, status: number }>} [spec.bodies]
 * @param {Record<string, any>[]} spec.valid records of the good delivery push
 * @param {string} spec.answer the vendor's success answer
 * @returns {Check}
 */
function triggerHostilePushes(kit, spec) {
	return {
		name: spec.name || 'trigger: a 20 MB push gets 413 with a short text and starts nothing; the webhook keeps working',
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			await withTrigger(kit, h, {}, async (trigger) => {
				const { contentType } = await rawPush(kit, h, 'delivery', spec.valid);
				const hostile = [{ what: '20 MB body', body: Buffer.alloc(20 * 1024 * 1024, 'a'), contentType, status: 413 }, ...(spec.bodies || [])];
				for (const body of hostile) {
					const answer = await postAs(trigger.url, body);
					assert.equal(answer.status, body.status, `${body.what}: ${answer.status} ${answer.body.slice(0, 300)}`);
					assert.ok(answer.body.length < 200, `${body.what}: a long answer: ${answer.body.slice(0, 300)}`);
					assert.ok(!/\/(root|home|tmp|usr)\/|\bat .*\.js:\d+|node_modules/.test(answer.body), `${body.what}: the answer shows server paths`);
				}
				const ok = await push(kit, h, trigger.url, 'delivery', { records: spec.valid });
				assert.deepEqual(ok, { status: 200, body: spec.answer });
				await h.waitForExecutions(trigger.workflowId, 1);
				await h.sleep(500);
				assert.equal((await h.api.listExecutions(trigger.workflowId)).length, 1, 'a hostile push started an execution');
			});
		},
	};
}

/**
 * A push written in GBK or GB18030 (as stated in its Content-Type or XML declaration) is decoded
 * as such: the Chinese of a reply comes out as written, not as U+FFFD.
 * @param {Kit} kit the vendor's state (vendorKit)
 * @param {object} spec
 * @param {string} [spec.name]
 * @param {Array<{ what: string, body: Buffer, contentType: string }>} spec.pushes each holds GBK_TEXT
 * @param {string} spec.answer
 * @returns {Check}
 */
function triggerDecodesCharset(kit, spec) {
	return {
		name: spec.name || `trigger: replies in GBK and GB18030 come out as written (${GBK_TEXT})`,
		timeoutMs: TRIGGER_TIMEOUT_MS,
		async run(h) {
			h.sim.reset();
			await withTrigger(kit, h, {}, async (trigger) => {
				for (const body of spec.pushes) {
					const answer = await postAs(trigger.url, body);
					assert.deepEqual([answer.status, answer.body], [200, spec.answer], body.what);
				}
				const executions = await h.waitForExecutions(trigger.workflowId, spec.pushes.length);
				const contents = executions.map((e) => h.triggerItems(e)[0].content);
				assert.deepEqual(contents, spec.pushes.map(() => GBK_TEXT));
			});
		},
	};
}

/**
 * `fn` with its first argument, the kit, given.
 * @template {any[]} A @template R
 * @param {Kit} kit @param {(kit: Kit, ...args: A) => R} fn
 * @returns {(...args: A) => R}
 */
const bindKit = (kit, fn) => (...args) => fn(kit, ...args);

/**
 * The helpers and check builders for one vendor, bound to it: `kit.credentialTest(spec)` is
 * `credentialTest(kit, spec)`.
 * @param {object} opts
 * @param {string} opts.vendor the simulator's and the node's name (`zhuanxinyun`); the trigger is `<vendor>Trigger`
 * @param {string} opts.credentialType `zhuanxinyunApi`
 * @param {string} opts.wrongSecret the secret of the context's wrongCredentials: it must never show
 * @param {string[]} [opts.sendOperations] the simulator's operation names of a send; without, every call of the vendor is one
 */
function vendorKit({ vendor, credentialType, wrongSecret, sendOperations }) {
	/** @type {Kit} */
	const kit = { vendor, triggerType: `${vendor}Trigger`, credentialType, wrongSecret, sendOperations };
	return {
		vendor,
		triggerType: kit.triggerType,
		run: bindKit(kit, run),
		sends: bindKit(kit, sends),
		withTrigger: bindKit(kit, withTrigger),
		withAutoPush: bindKit(kit, withAutoPush),
		push: bindKit(kit, push),
		credentialTest: bindKit(kit, credentialTest),
		badInput: bindKit(kit, badInput),
		continueRegularOutput: bindKit(kit, continueRegularOutput),
		continueErrorOutput: bindKit(kit, continueErrorOutput),
		wrongSecretFails: bindKit(kit, wrongSecretFails),
		triggerReceivesPushes: bindKit(kit, triggerReceivesPushes),
		triggerSecretToken: bindKit(kit, triggerSecretToken),
		triggerEventsFilter: bindKit(kit, triggerEventsFilter),
		triggerRejectsMalformed: bindKit(kit, triggerRejectsMalformed),
		examples: bindKit(kit, examples),
		faultBattery: bindKit(kit, faultBattery),
		triggerAnswersAfterRun: bindKit(kit, triggerAnswersAfterRun),
		rawPush: bindKit(kit, rawPush),
		triggerHostilePushes: bindKit(kit, triggerHostilePushes),
		triggerDecodesCharset: bindKit(kit, triggerDecodesCharset),
	};
}

module.exports = { vendorKit, assertSucceeded, assertText, routedItems, runExampleWorkflow, CHINA_ISO, TRIGGER_TIMEOUT_MS, FAIL_ME, GBK_TEXT, GBK_BYTES };
