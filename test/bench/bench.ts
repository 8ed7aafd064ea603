/**
 * Benchmarks: what the package saves against the baseline a user would otherwise get, measured in
 * one run and printed side by side. Not a test: nothing here passes or fails on time.
 *
 *   npm run bench
 *
 * Sends run the real nodes in real n8n workflow executions (n8n-core) against the simulator over
 * HTTP on 127.0.0.1; pushes go over HTTP to the triggers served through n8n-core's WebhookContext.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { ICredentialType, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

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
const { Polyv } = require('../../nodes/Polyv/Polyv.node') as typeof import('../../nodes/Polyv/Polyv.node');
const { PolyvApi } = require('../../credentials/PolyvApi.credentials') as typeof import('../../credentials/PolyvApi.credentials');
const { Chonry } = require('../../nodes/Chonry/Chonry.node') as typeof import('../../nodes/Chonry/Chonry.node');
const { ChonryApi } = require('../../credentials/ChonryApi.credentials') as typeof import('../../credentials/ChonryApi.credentials');
const { Veesing } = require('../../nodes/Veesing/Veesing.node') as typeof import('../../nodes/Veesing/Veesing.node');
const { VeesingApi } = require('../../credentials/VeesingApi.credentials') as typeof import('../../credentials/VeesingApi.credentials');
const { Sms1oc } = require('../../nodes/Sms1oc/Sms1oc.node') as typeof import('../../nodes/Sms1oc/Sms1oc.node');
const { Sms1ocApi } = require('../../credentials/Sms1ocApi.credentials') as typeof import('../../credentials/Sms1ocApi.credentials');
// Plain JS beside the sources: loaded from the project root, where npm runs this.
const { startSimulator, ACCOUNTS } = require(join(process.cwd(), 'simulator'));
/* eslint-enable @typescript-eslint/no-require-imports */

type Items = Array<{ json: IDataObject }>;
type Row = { name: string; recipients: number; calls: number; ms: number };
interface Vendor {
	vendor: string;
	node: INodeType;
	credentialType: string;
	credential: ICredentialType;
	credentials: (url: string) => IDataObject;
}

// Numbers no simulator treats specially (none ends in 0000, 1111, 4444, 9999 or 0001).
const phone = (i: number) => `139${String(i * 10 + 2).padStart(8, '0')}`;

async function main() {
	const sim = await startSimulator({ port: 0 });
	const vendors: Record<string, Vendor> = {
		zhuanxinyun: { vendor: 'zhuanxinyun', node: new Zhuanxinyun(), credentialType: 'zhuanxinyunApi', credential: new ZhuanxinyunApi(), credentials: (baseUrl) => ({ ...ACCOUNTS.zhuanxinyun, baseUrl }) },
		polyv: { vendor: 'polyv', node: new Polyv(), credentialType: 'polyvApi', credential: new PolyvApi(), credentials: (baseUrl) => ({ ...ACCOUNTS.polyv, baseUrl }) },
		chonry: { vendor: 'chonry', node: new Chonry(), credentialType: 'chonryApi', credential: new ChonryApi(), credentials: (url) => ({ ...ACCOUNTS.chonry, intlBaseUrl: url, baseUrl: url }) },
		veesing: { vendor: 'veesing', node: new Veesing(), credentialType: 'veesingApi', credential: new VeesingApi(), credentials: (baseUrl) => ({ ...ACCOUNTS.veesing, baseUrl }) },
		sms1oc: { vendor: 'sms1oc', node: new Sms1oc(), credentialType: 'sms1ocApi', credential: new Sms1ocApi(), credentials: (baseUrl) => ({ ...ACCOUNTS.sms1oc, baseUrl }) },
	};
	const run = async (vendor: Vendor, parameters: INodeParameters, items: Items) => {
		const type = `n8n-nodes-cn-sms.${vendor.vendor}`;
		const { error } = await runWorkflow({
			nodeTypes: { [type]: vendor.node },
			credentialTypes: { [vendor.credentialType]: vendor.credential },
			credentials: { [vendor.credentialType]: vendor.credentials(sim.url) as never },
			items: items as never,
			node: { type, parameters },
		});
		if (error) throw error;
	};
	const measure = async (vendor: string, name: string, recipients: number, body: () => Promise<void>): Promise<Row> => {
		sim.reset();
		sim.configure({ zhuanxinyun: { balance: 10_000_000 } });
		const start = performance.now();
		await body();
		const ms = performance.now() - start;
		return { name, recipients, calls: sim.requests.filter((r: { vendor: string }) => r.vendor === vendor).length, ms };
	};
	const perItem = (vendor: Vendor, parameters: INodeParameters, items: Items) => async () => {
		for (const item of items) await run(vendor, parameters, [item]);
	};
	const sections: Array<[string, Row[]]> = [];

	// A notice to a list: 100 items of 100 numbers, the same text or template values.
	const list: Items = Array.from({ length: 100 }, (_, i) => ({
		json: { phones: Array.from({ length: 100 }, (_, j) => phone(i * 100 + j)).join(',') },
	}));
	const notice = { operation: 'send', phones: '={{ $json.phones }}', content: '【云锋网络】系统将于今晚维护' };
	sections.push([
		'Zhuanxinyun, a notice to a list (100 items x 100 numbers, same text)',
		[
			await measure('zhuanxinyun', 'this package: items combined', 10_000, () => run(vendors.zhuanxinyun, notice, list)),
			await measure('zhuanxinyun', 'baseline: one call per item', 10_000, perItem(vendors.zhuanxinyun, notice, list)),
		],
	]);
	const polyvNotice = { operation: 'send', phones: '={{ $json.phones }}', templateParams: { parameters: [{ name: 'code', value: '2046' }] } };
	sections.push([
		'Polyv, the same code to a list (100 items x 100 numbers; 200 numbers a call)',
		[
			await measure('polyv', 'this package: items combined', 10_000, () => run(vendors.polyv, polyvNotice, list)),
			await measure('polyv', 'baseline: one call per item', 10_000, perItem(vendors.polyv, polyvNotice, list)),
		],
	]);

	// A personalised message per person: one item per number.
	const people: Items = Array.from({ length: 10_000 }, (_, i) => ({ json: { phone: phone(i), code: String(100000 + i) } }));
	sections.push([
		'Zhuanxinyun, a personalised message per person (10,000 items x 1 number)',
		[
			await measure('zhuanxinyun', 'this package: sendTemplate', 10_000, () =>
				run(vendors.zhuanxinyun, { operation: 'sendTemplate', templateId: '27', phones: '={{ $json.phone }}', content: '=【云锋网络】您好,这是测试{{ $json.code }}' }, people),
			),
			await measure('zhuanxinyun', 'baseline: one send per message', 10_000, () =>
				run(vendors.zhuanxinyun, { operation: 'send', phones: '={{ $json.phone }}', content: '=【云锋网络】您好,这是测试{{ $json.code }}' }, people),
			),
		],
	]);
	const chonryPersonal = { operation: 'send', templateId: '200', phones: '={{ $json.phone }}', variables: ['={{ $json.code }}', '5'] };
	const fewPeople = people.slice(0, 1000);
	sections.push([
		'Chonry, a personalised message per person (1,000 items x 1 number; data carries 10,000 a call)',
		[
			await measure('chonry', 'this package: one personalised call', 1000, () => run(vendors.chonry, chonryPersonal, fewPeople)),
			await measure('chonry', 'baseline: one call per item', 1000, perItem(vendors.chonry, chonryPersonal, fewPeople)),
		],
	]);

	// Vendors that take one number a call: concurrency against a vendor that answers in 20 ms.
	const codes: Items = [{ json: { phones: Array.from({ length: 500 }, (_, i) => phone(i)).join(',') } }];
	for (const [vendor, parameters] of [
		['veesing', { operation: 'send', templateId: '540', code: '2046' }],
		['sms1oc', { operation: 'send', template: 'SMS_0001', code: '2046' }],
	] as const) {
		const rows: Row[] = [];
		for (const [name, concurrency] of [
			['this package: Concurrency 4 (default)', 4],
			['baseline: one call at a time', 1],
		] as const) {
			rows.push(
				await measure(vendor, name, 500, async () => {
					sim.configure({ responseDelayMs: 20 });
					await run(vendors[vendor], { ...parameters, phones: '={{ $json.phones }}', options: { concurrency } }, codes);
					sim.configure({ responseDelayMs: 0 });
				}),
			);
		}
		sections.push([`${vendor === 'veesing' ? 'Veesing' : '1oc'}, a code to 500 numbers (one number a call; the simulator answers in 20 ms)`, rows]);
	}
	await sim.close();

	// Pushes: status reports posted to the trigger, one record each, one connection at a time.
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
	for (const [title, rows] of sections) {
		console.log(title);
		for (const row of rows) {
			console.log(
				`  ${row.name.padEnd(40)} ${String(per10k(row)).padStart(6)} calls / 10,000 recipients   ${(row.ms / 1000).toFixed(2).padStart(6)} s for ${row.recipients}`,
			);
		}
	}
	console.log(`Zhuanxinyun Trigger, ${PUSHES} status-report pushes of 1 record, sequential over HTTP`);
	console.log(`  ${'this package: trigger'.padEnd(40)} ${triggerRate.toFixed(0).padStart(6)} pushes / s (${items} items emitted)`);
	console.log(`  ${'baseline: bare HTTP server, no parsing'.padEnd(40)} ${bareRate.toFixed(0).padStart(6)} pushes / s`);
}

async function startBareServer() {
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => res.end('SUCCESS'));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
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
