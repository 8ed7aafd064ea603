/**
 * Benchmarks: what the package saves against the baseline a user would otherwise get, measured in
 * one run and printed side by side. Not a test: nothing here passes or fails on time.
 *
 *   npm run bench
 *
 * Sends run the real node in real n8n workflow executions (n8n-core) against the simulator over
 * HTTP on 127.0.0.1; pushes go over HTTP to the trigger served through n8n-core's WebhookContext.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-cn-sms-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
// The jest helpers register an afterAll when they make their own folder; outside jest they must not.
(globalThis as { afterAll?: unknown }).afterAll ??= () => undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
const { runWorkflow } = require('../helpers/workflow') as typeof import('../helpers/workflow');
const { serveTrigger } = require('../helpers/webhook') as typeof import('../helpers/webhook');
const { Zhuanxinyun } = require('../../nodes/Zhuanxinyun/Zhuanxinyun.node') as typeof import('../../nodes/Zhuanxinyun/Zhuanxinyun.node');
const { ZhuanxinyunTrigger } = require('../../nodes/Zhuanxinyun/ZhuanxinyunTrigger.node') as typeof import('../../nodes/Zhuanxinyun/ZhuanxinyunTrigger.node');
const { ZhuanxinyunApi } = require('../../credentials/ZhuanxinyunApi.credentials') as typeof import('../../credentials/ZhuanxinyunApi.credentials');
// Plain JS beside the sources: loaded from the project root, where npm runs this.
const { startSimulator, ZHUANXINYUN_ACCOUNT } = require(join(process.cwd(), 'simulator'));
/* eslint-enable @typescript-eslint/no-require-imports */

type Row = { name: string; recipients: number; calls: number; ms: number };

const RECIPIENTS = 10_000;
const phone = (i: number) => `139${String(i).padStart(8, '0')}`;

async function main() {
	const sim = await startSimulator({ port: 0 });
	sim.configure({ zhuanxinyun: { balance: 10_000_000 } });
	const run = (parameters: Record<string, unknown>, items: Array<{ json: Record<string, unknown> }>) =>
		runWorkflow({
			nodeTypes: { 'n8n-nodes-cn-sms.zhuanxinyun': new Zhuanxinyun() },
			credentialTypes: { zhuanxinyunApi: new ZhuanxinyunApi() },
			credentials: { zhuanxinyunApi: { ...ZHUANXINYUN_ACCOUNT, baseUrl: sim.url } },
			items: items as never,
			node: { type: 'n8n-nodes-cn-sms.zhuanxinyun', parameters: parameters as never },
		});
	const measure = async (name: string, recipients: number, body: () => Promise<void>): Promise<Row> => {
		sim.reset();
		const start = performance.now();
		await body();
		const ms = performance.now() - start;
		return { name, recipients, calls: sim.requests.length, ms };
	};

	// 1. One notice to a list: 100 items of 100 numbers, the same text.
	const listItems = Array.from({ length: 100 }, (_, i) => ({
		json: { phones: Array.from({ length: 100 }, (_, j) => phone(i * 100 + j)).join(',') },
	}));
	const notice = { operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】系统将于今晚维护' };
	const listOurs = await measure('this package: items combined', RECIPIENTS, async () => {
		const { error } = await run(notice, listItems);
		if (error) throw error;
	});
	const listBaseline = await measure('baseline: one call per item', RECIPIENTS, async () => {
		for (const item of listItems) {
			const { error } = await run(notice, [item]);
			if (error) throw error;
		}
	});

	// 2. A personalised message per person: 10,000 items of one number each.
	const people = Array.from({ length: RECIPIENTS }, (_, i) => ({ json: { phone: phone(i), code: String(100000 + i) } }));
	const personalOurs = await measure('this package: sendTemplate', RECIPIENTS, async () => {
		const { error } = await run(
			{ operation: 'sendTemplate', templateId: '27', phones: '={{ $json.phone }}', content: '=【云锋网络】您好,这是测试{{ $json.code }}' },
			people,
		);
		if (error) throw error;
	});
	const personalBaseline = await measure('baseline: one send per message', RECIPIENTS, async () => {
		const { error } = await run({ operation: 'send', phones: '={{ $json.phone }}', content: '=【云锋网络】您好,这是测试{{ $json.code }}' }, people);
		if (error) throw error;
	});
	await sim.close();

	// 3. Pushes: status reports posted to the trigger, one record each, one connection at a time.
	const trigger = await serveTrigger({ type: 'n8n-nodes-cn-sms.zhuanxinyunTrigger', nodeType: new ZhuanxinyunTrigger() });
	const bare = await startBareServer();
	const body = (i: number) =>
		`<?xml version="1.0" encoding="UTF-8"?><xml><head><app_key>k</app_key></head><body><records><record><mission_num>m${i}</mission_num><dest_id>${phone(i)}</dest_id><send_status>SUCCESS</send_status><receive_status>SUCCESS</receive_status><receive_real_status>DELIVRD</receive_real_status><batch_num>b1</batch_num><stat_time>2026-11-22 10:00:00</stat_time></record></records></body></xml>`;
	const PUSHES = 2000;
	const pushRate = async (url: string) => {
		const start = performance.now();
		for (let i = 0; i < PUSHES; i++) {
			const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: body(i) });
			if (response.status !== 200) throw new Error(`push ${i} answered ${response.status}`);
			await response.text();
		}
		return PUSHES / ((performance.now() - start) / 1000);
	};
	const bareRate = await pushRate(bare.url);
	const triggerRate = await pushRate(trigger.url);
	const items = trigger.executions.reduce((sum, execution) => sum + execution.length, 0);
	await trigger.close();
	await bare.close();

	const per10k = (row: Row) => Math.round((row.calls * 10_000) / row.recipients);
	const line = (row: Row) =>
		`  ${row.name.padEnd(34)} ${String(per10k(row)).padStart(8)} calls / 10,000 recipients ${(row.ms / 1000).toFixed(2).padStart(8)} s`;
	console.log('Zhuanxinyun sends, 10,000 recipients, simulator on 127.0.0.1');
	console.log(' A notice to a list (100 items x 100 numbers, same text):');
	console.log(line(listOurs));
	console.log(line(listBaseline));
	console.log(' A personalised message per person (10,000 items x 1 number):');
	console.log(line(personalOurs));
	console.log(line(personalBaseline));
	console.log(`Zhuanxinyun Trigger, ${PUSHES} status-report pushes of 1 record, sequential, over HTTP:`);
	console.log(`  ${'this package: trigger'.padEnd(34)} ${triggerRate.toFixed(0).padStart(8)} pushes / s (${items} items emitted)`);
	console.log(`  ${'baseline: bare HTTP server, no parse'.padEnd(34)} ${bareRate.toFixed(0).padStart(8)} pushes / s`);
}

async function startBareServer() {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const http = require('node:http') as typeof import('node:http');
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => res.end('SUCCESS'));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}/`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => rmSync(userFolder, { recursive: true, force: true }));
