/**
 * A retry texts nobody twice: real workflow executions (n8n-core's WorkflowExecute, real HTTP to the
 * simulator on 127.0.0.1); a retry runs on the failed execution's saved data (a JSON copy), as n8n's
 * retry does; counted at the simulator. The real-n8n proof, with n8n's retry API, is in
 * scripts/e2e/scenarios/retry.js.
 */
import type { IDataObject, INodeExecutionData, IRun, WorkflowExecuteMode } from 'n8n-workflow';

import { VeesingApi } from '../credentials/VeesingApi.credentials';
import { ZhuanxinyunApi } from '../credentials/ZhuanxinyunApi.credentials';
import { Veesing } from '../nodes/Veesing/Veesing.node';
import { Zhuanxinyun } from '../nodes/Zhuanxinyun/Zhuanxinyun.node';
import { HASH_LENGTH, MAX_REMEMBERED, RETAIN_DAYS, indexTries, itemDigest, recipientHash, updateTries, type RetryMemoryState } from '../nodes/shared/retry-memory';
import { credentialsFor, useSimulator } from './helpers/simulator';
import { runWorkflow, type RunWorkflowOptions } from './helpers/workflow';

const sim = useSimulator();
const CONTENT = '【云锋网络】您的订单已发货';
const phonesFrom = (start: number, count: number) => Array.from({ length: count }, (_, i) => `139${String(start + i).padStart(8, '0')}`);

/** Numbers the simulator took (accepted) per number, for one vendor. */
function acceptedCounts(vendor: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of sim().requests) {
		if (request.vendor !== vendor || !request.accepted) continue;
		if (vendor === 'zhuanxinyun' && !/^000000/.test(JSON.parse(request.response.body).errorCode)) continue;
		if (vendor === 'veesing' && JSON.parse(request.response.body).returnStatus.trim() !== '1') continue;
		const phones: string[] = vendor === 'zhuanxinyun' ? request.params.phones.split(',') : [request.params.phone];
		for (const phone of phones) counts.set(phone, (counts.get(phone) ?? 0) + 1);
	}
	return counts;
}

/** One execution of Items -> the node ("Send SMS"); with `retryOf`, a retry of that failed execution. */
async function execute(
	vendor: 'zhuanxinyun' | 'veesing',
	{ mode, executionId, parameters, items, retryOnFail, retryOf, continueOnFail }: { mode: WorkflowExecuteMode; executionId: string; parameters: IDataObject; items: INodeExecutionData[]; retryOnFail?: RunWorkflowOptions['node']['retryOnFail']; retryOf?: IRun; continueOnFail?: boolean },
) {
	const node = vendor === 'zhuanxinyun' ? new Zhuanxinyun() : new Veesing();
	const credential = vendor === 'zhuanxinyun' ? new ZhuanxinyunApi() : new VeesingApi();
	return await runWorkflow({
		nodeTypes: { [`n8n-nodes-cn-sms.${vendor}`]: node },
		credentialTypes: { [credential.name]: credential },
		credentials: { [credential.name]: credentialsFor(vendor, sim().url) },
		items,
		node: { type: `n8n-nodes-cn-sms.${vendor}`, name: 'Send SMS', parameters: parameters as never, retryOnFail, continueOnFail },
		mode,
		executionId,
		retryOf,
	});
}

const memoryOf = (result: { run: IRun }) =>
	(result.run.data.executionData?.contextData?.['node:Send SMS'] as IDataObject | undefined)?.retryMemory as RetryMemoryState | undefined;
const remembered = (result: { run: IRun }) => indexTries(memoryOf(result) ?? {}).size;

/**
 * Restores Zhuanxinyun's balance once the vendor refused a call for it (100009), before n8n's next try
 * (1 s later). Returns what stops watching.
 */
function topUpAfterRefusal(): () => void {
	const timer = setInterval(() => {
		if (sim().requests.some((r) => r.response?.body?.includes('100009'))) {
			sim().configure({ zhuanxinyun: { balance: 100000 } });
			clearInterval(timer);
		}
	}, 20);
	return () => clearInterval(timer);
}

describe('retry memory, Zhuanxinyun (1,000 numbers a call)', () => {
	const items = [{ json: { phones: phonesFrom(0, 3000).join(','), campaign: 'c1' } }];
	const parameters = { operation: 'send', phones: '={{ $json.phones }}', content: CONTENT };

	it('a retried execution sends only to the numbers the failed one did not reach', async () => {
		sim().configure({ zhuanxinyun: { balance: 2000 } });
		const failed = await execute('zhuanxinyun', { mode: 'webhook', executionId: '101', parameters, items });
		expect(failed.error?.message).toMatch(/100009/);
		expect(failed.error && (failed.error as { description?: string }).description).toMatch(/retrying this execution .* does not send to them again/);
		expect([...acceptedCounts('zhuanxinyun').values()].reduce((a, b) => a + b, 0)).toBe(2000);
		expect(remembered(failed)).toBe(2000);

		sim().configure({ zhuanxinyun: { balance: 100000 } });
		const callsBefore = sim().requests.length;
		const retried = await execute('zhuanxinyun', { mode: 'retry', executionId: '102', parameters, items, retryOf: failed.run });
		expect(retried.error).toBeUndefined();
		expect(sim().requests.length - callsBefore).toBe(1);

		const counts = acceptedCounts('zhuanxinyun');
		expect(counts.size).toBe(3000);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);

		const out = retried.output[0].json;
		expect(out.success).toBe(true);
		const recipients = out.recipients as IDataObject[];
		expect(recipients.map((r) => r.phone)).toEqual(phonesFrom(0, 3000));
		expect(recipients.every((r) => r.accepted === true && r.outcome === 'accepted')).toBe(true);
		const skipped = recipients.filter((r) => r.alreadySent === true);
		expect(skipped).toHaveLength(2000);
		expect(skipped.every((r) => typeof r.acceptedAt === 'string' && !Number.isNaN(Date.parse(r.acceptedAt as string)))).toBe(true);
		// The retry went through: what it used is forgotten.
		expect(remembered(retried)).toBe(0);
	});

	it('outside a retry the same items reach the vendor every time, even after a failure', async () => {
		sim().configure({ zhuanxinyun: { balance: 2000 } });
		const failed = await execute('zhuanxinyun', { mode: 'webhook', executionId: '201', parameters, items });
		expect(remembered(failed)).toBe(2000);
		sim().configure({ zhuanxinyun: { balance: 100000 } });
		const again = await execute('zhuanxinyun', { mode: 'webhook', executionId: '202', parameters, items });
		expect(again.error).toBeUndefined();
		const thrice = await execute('zhuanxinyun', { mode: 'trigger', executionId: '203', parameters, items });
		expect(thrice.error).toBeUndefined();
		const counts = acceptedCounts('zhuanxinyun');
		expect(counts.size).toBe(3000);
		// 2,000 reached by the failed run, then everyone twice more.
		expect([...counts.values()].filter((count) => count === 3)).toHaveLength(2000);
		expect([...counts.values()].filter((count) => count === 2)).toHaveLength(1000);
		expect((thrice.output[0].json.recipients as IDataObject[]).some((r) => r.alreadySent)).toBe(false);
	});

	it.each(['webhook', 'manual'] as const)('Retry On Fail re-runs the node without texting twice (%s execution)', async (mode) => {
		sim().configure({ zhuanxinyun: { balance: 2000 } });
		const stopTopUp = topUpAfterRefusal();
		const run = await execute('zhuanxinyun', {
			mode,
			executionId: '301',
			parameters,
			items,
			retryOnFail: { maxTries: 2, waitBetweenTries: 1000 },
		}).finally(stopTopUp);
		// The first try threw; n8n's second try went through.
		expect(run.runData['Send SMS'][0].error).toBeUndefined();
		expect(sim().requests.map((r) => JSON.parse(r.response.body).errorCode).sort()).toEqual(['000000', '000000', '000000', '100009']);
		const counts = acceptedCounts('zhuanxinyun');
		expect(counts.size).toBe(3000);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect((run.output[0].json.recipients as IDataObject[]).filter((r) => r.alreadySent)).toHaveLength(2000);
		expect(remembered(run)).toBe(0);
	});

	it('Retry On Fail with Continue On Fail (n8n re-runs the node when its first item carries an error) texts nobody twice', async () => {
		sim().configure({ zhuanxinyun: { balance: 2000 } });
		const stopTopUp = topUpAfterRefusal();
		const run = await execute('zhuanxinyun', {
			mode: 'webhook',
			executionId: '351',
			parameters,
			items,
			continueOnFail: true,
			retryOnFail: { maxTries: 2, waitBetweenTries: 1000 },
		}).finally(stopTopUp);
		const counts = acceptedCounts('zhuanxinyun');
		expect(counts.size).toBe(3000);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect(run.output[0].json.success).toBe(true);
		expect(run.output[0].json.error).toBeUndefined();
	});

	it('with the option off, a retry sends to everyone again', async () => {
		const off = { ...parameters, options: { retrySkipsSent: false } };
		sim().configure({ zhuanxinyun: { balance: 2000 } });
		const failed = await execute('zhuanxinyun', { mode: 'webhook', executionId: '401', parameters: off, items });
		expect(memoryOf(failed)).toBeUndefined();
		sim().configure({ zhuanxinyun: { balance: 100000 } });
		await execute('zhuanxinyun', { mode: 'retry', executionId: '402', parameters: off, items, retryOf: failed.run });
		expect([...acceptedCounts('zhuanxinyun').values()].filter((count) => count === 2)).toHaveLength(2000);
	});

	it('keeps Mission Numbers with their phones when some phones are left out', async () => {
		const phones = phonesFrom(0, 1500);
		const missions = phones.map((_, i) => `m${i}`);
		const withMissions = { ...parameters, options: { missionNums: missions.join(',') } };
		const one = [{ json: { phones: phones.join(',') } }];
		sim().configure({ zhuanxinyun: { balance: 1000 } });
		const failed = await execute('zhuanxinyun', { mode: 'webhook', executionId: '501', parameters: withMissions, items: one });
		sim().configure({ zhuanxinyun: { balance: 100000 } });
		await execute('zhuanxinyun', { mode: 'retry', executionId: '502', parameters: withMissions, items: one, retryOf: failed.run });
		const sent = sim()
			.requests.filter((r) => r.accepted && JSON.parse(r.response.body).errorCode === '000000')
			.flatMap((r) => (r.params.phones as string).split(',').map((phone, i): [string, string] => [phone, (r.params.missionNums as string).split(',')[i]]));
		expect(sent).toHaveLength(1500);
		expect(new Map(sent)).toEqual(new Map(phones.map((phone, i) => [phone, `m${i}`])));
	});
});

describe('retry memory, equal items', () => {
	it('tells equal items with the same numbers apart by their order', async () => {
		const phones = phonesFrom(700, 600);
		// Two equal items: one content, 1,200 messages, so two calls (1,000 and 200); the balance covers one.
		const items = [{ json: { phones: phones.join(',') } }, { json: { phones: phones.join(',') } }];
		const parameters = { operation: 'send', phones: '={{ $json.phones }}', content: CONTENT };
		sim().configure({ zhuanxinyun: { balance: 1000 } });
		const failed = await execute('zhuanxinyun', { mode: 'webhook', executionId: '701', parameters, items });
		expect(failed.error?.message).toMatch(/100009/);
		const before = [...acceptedCounts('zhuanxinyun').values()].reduce((x, y) => x + y, 0);
		expect([200, 1000]).toContain(before);
		sim().configure({ zhuanxinyun: { balance: 100000 } });
		const retried = await execute('zhuanxinyun', { mode: 'retry', executionId: '702', parameters, items, retryOf: failed.run });
		expect(retried.error).toBeUndefined();
		// Each item's message reached each number once: twice in all, as the two items ask.
		const counts = acceptedCounts('zhuanxinyun');
		expect(counts.size).toBe(600);
		expect([...counts.values()].every((count) => count === 2)).toBe(true);
		const skipped = retried.output.map((item) => (item.json.recipients as IDataObject[]).filter((r) => r.alreadySent).length);
		expect(skipped[0] + skipped[1]).toBe(before);
	});
});

describe('retry memory, Veesing (one call a number)', () => {
	const items = [{ json: { phones: phonesFrom(100, 10).join(',') } }];
	const parameters = { operation: 'send', phones: '={{ $json.phones }}', templateId: '540', code: '1234' };

	it('a retried execution sends only to the numbers the failed one did not reach', async () => {
		sim().configure({ veesing: { balance: 4 } });
		const failed = await execute('veesing', { mode: 'webhook', executionId: '601', parameters, items });
		expect(failed.error).toBeDefined();
		expect([...acceptedCounts('veesing').values()].reduce((a, b) => a + b, 0)).toBe(4);
		sim().configure({ veesing: { balance: 1000 } });
		const retried = await execute('veesing', { mode: 'retry', executionId: '602', parameters, items, retryOf: failed.run });
		expect(retried.error).toBeUndefined();
		const counts = acceptedCounts('veesing');
		expect(counts.size).toBe(10);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect((retried.output[0].json.recipients as IDataObject[]).filter((r) => r.alreadySent)).toHaveLength(4);
		expect(retried.output[0].json.success).toBe(true);
	});
});

describe('retry memory, its bounds', () => {
	const now = new Date('2026-12-02T12:00:00Z');
	const entry = (at: string, count: number, seed: string) => ({
		execution: seed,
		run: 0,
		at,
		accepted: Array.from({ length: count }, (_, i) => recipientHash(itemDigest('n', { seed }), String(i), 1)).join(''),
		unknown: '',
	});

	it('knows a recipient by node, input item, number and occurrence, never by text', () => {
		const hash = (node: string, json: unknown, phone: string, occurrence: number) => recipientHash(itemDigest(node, json), phone, occurrence);
		const base = hash('Send SMS', { a: 1 }, '13800138000', 1);
		expect(base).toHaveLength(HASH_LENGTH);
		expect(hash('Send SMS', { a: 1 }, '13800138000', 1)).toBe(base);
		for (const other of [
			hash('Other', { a: 1 }, '13800138000', 1),
			hash('Send SMS', { a: 2 }, '13800138000', 1),
			hash('Send SMS', { a: 1 }, '13900139000', 1),
			hash('Send SMS', { a: 1 }, '13800138000', 2),
		])
			expect(other).not.toBe(base);
	});

	it(`forgets tries older than ${RETAIN_DAYS} days`, () => {
		const old = new Date(now.getTime() - (RETAIN_DAYS + 1) * 86400e3).toISOString();
		const state = updateTries({ tries: [entry(old, 3, 'old'), entry(now.toISOString(), 2, 'new')] }, { now });
		expect(state.tries!.map((t) => t.execution)).toEqual(['new']);
	});

	it(`keeps at most ${MAX_REMEMBERED} recipients, the oldest forgotten first, about 1 MB at the bound`, () => {
		const first = entry('2026-12-02T10:00:00.000Z', 60_000, 'a');
		const second = entry('2026-12-02T11:00:00.000Z', 60_000, 'b');
		const state = updateTries({}, { now, add: first });
		const both = updateTries(state, { now, add: second });
		expect(indexTries(both).size).toBe(MAX_REMEMBERED);
		expect(both.tries!.map((t) => t.accepted.length / HASH_LENGTH)).toEqual([40_000, 60_000]);
		const bytes = JSON.stringify(both).length;
		expect(bytes).toBeLessThan(1.01e6);
		expect(bytes).toBeGreaterThan(1e6);
	});
});
