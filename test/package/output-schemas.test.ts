/**
 * The output schemas in nodes/<Vendor>/__schema__/v1.0.0/<operation>.json, which n8n's editor asks
 * for (`/schemas/n8n-nodes-cn-sms.<node>/1.0.0/<operation>.json`, resolved by n8n-core's
 * output-schema-resolver next to the node file) to show a node's fields before it runs. Each one
 * must describe what the node really outputs: every operation is run here through the real
 * execution engine against the simulator on 127.0.0.1 and its items are checked against the schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ICredentialDataDecryptedObject, ICredentialType, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';

import { ADAPTERS, credentialsOf } from '../helpers/vendors';
import { serveTrigger } from '../helpers/webhook';
import { runWorkflow } from '../helpers/workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator');

interface Schema {
	type?: string | string[];
	enum?: unknown[];
	properties?: Record<string, Schema>;
	required?: string[];
	items?: Schema;
	description?: string;
}

/** The JSON Schema keywords these files use (type, enum, properties, required, items): the problems found. */
export function validate(value: unknown, schema: Schema, at = '$'): string[] {
	const problems: string[] = [];
	const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
	if (schema.type) {
		const actual = typeOf(value);
		const types = Array.isArray(schema.type) ? schema.type : [schema.type];
		const ok = types.some((type) => (type === 'integer' ? Number.isInteger(value) : actual === type));
		if (!ok) return [`${at} is ${actual}, the schema says ${types.join(' or ')}`];
	}
	if (schema.enum && !schema.enum.includes(value)) problems.push(`${at} is ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`);
	if (schema.properties && typeOf(value) === 'object') {
		const object = value as Record<string, unknown>;
		for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}.${key} is required but missing`);
		for (const [key, sub] of Object.entries(schema.properties)) {
			if (key in object && object[key] !== undefined) problems.push(...validate(object[key], sub, `${at}.${key}`));
		}
	}
	if (schema.items && Array.isArray(value)) value.forEach((entry, i) => problems.push(...validate(entry, schema.items as Schema, `${at}[${i}]`)));
	return problems;
}

interface Case {
	folder: string;
	node: string;
	nodeType: new () => INodeType;
	credential: new () => ICredentialType;
	credentials: (url: string) => ICredentialDataDecryptedObject;
	runs: Record<string, INodeParameters>;
}

/** One case per vendor of the one test table (test/helpers/vendors.ts). */
const CASES: Case[] = ADAPTERS.map((adapter) => ({
	folder: adapter.folder,
	node: adapter.node,
	nodeType: adapter.nodeType,
	credential: adapter.credentialType,
	credentials: (url: string) => credentialsOf(adapter, url),
	runs: adapter.schemaRuns,
}));

const schemaDir = (folder: string) => path.join(__dirname, '..', '..', 'nodes', folder, '__schema__', 'v1.0.0');
const readSchema = (folder: string, operation: string) => JSON.parse(fs.readFileSync(path.join(schemaDir(folder), `${operation}.json`), 'utf8')) as Schema;

let sim: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});

describe.each(CASES)('$node output schemas', (c) => {
	const operations = (new c.nodeType().description.properties.find((p) => p.name === 'operation') as INodeProperties).options as Array<{ value: string }>;

	test('every send and balance operation has a schema, and every schema an operation', () => {
		const shipped = fs
			.readdirSync(schemaDir(c.folder))
			.map((file) => file.replace(/\.json$/, ''))
			.sort();
		const wanted = operations.map((o) => o.value).filter((value) => /^send|^getBalance$/.test(value)).sort();
		expect(shipped).toEqual(wanted);
		expect(Object.keys(c.runs).sort()).toEqual(wanted);
	});

	test.each(Object.keys(c.runs))('%s: what the node outputs matches the schema', async (operation) => {
		const type = `n8n-nodes-cn-sms.${c.node}`;
		const credential = new c.credential();
		const { output, error } = await runWorkflow({
			nodeTypes: { [type]: new c.nodeType() },
			credentialTypes: { [credential.name]: credential },
			credentials: { [credential.name]: c.credentials(sim.url) },
			items: [{ json: {} }],
			node: { type, parameters: c.runs[operation] },
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(validate(output[0].json, readSchema(c.folder, operation))).toEqual([]);
	});
});

/** Pushes as the simulator sends them (the records of the contract battery), delivery reports and replies. */
const TRIGGERS: Array<{ vendor: string; folder: string; node: string; nodeType: new () => INodeType; pushes: Array<{ kind: 'delivery' | 'reply'; records: object[] }> }> =
	ADAPTERS.flatMap(({ vendor, folder, trigger }) =>
		trigger
			? [
					{
						vendor,
						folder,
						node: trigger.name,
						nodeType: trigger.nodeType,
						pushes: [
							{ kind: 'delivery' as const, records: trigger.delivery.map((entry) => entry.record) },
							...(trigger.reply ? [{ kind: 'reply' as const, records: [trigger.reply.record] }] : []),
						],
					},
				]
			: [],
	);

describe.each(TRIGGERS)('$node output schema (__schema__/v1.0.0.json, asked for without an operation)', (t) => {
	test('every item a push starts the workflow with matches the schema', async () => {
		const schema = JSON.parse(fs.readFileSync(path.join(schemaDir(t.folder), '..', 'v1.0.0.json'), 'utf8')) as Schema;
		const server = await serveTrigger({ type: `n8n-nodes-cn-sms.${t.node}`, nodeType: new t.nodeType() });
		try {
			for (const push of t.pushes) {
				const answer = await sim.push({ vendor: t.vendor, url: server.url, kind: push.kind, records: push.records });
				expect(answer.status).toBe(200);
			}
			const items = server.executions.flat();
			expect(items.length).toBe(t.pushes.reduce((n, p) => n + p.records.length, 0));
			expect(new Set(items.map((item) => item.json.event))).toEqual(new Set(t.pushes.map((p) => p.kind)));
			for (const item of items) expect(validate(item.json, schema)).toEqual([]);
		} finally {
			await server.close();
		}
	});
});

test('the validator finds what does not match (a wrong type, a missing field, an unknown enum value)', () => {
	const schema = readSchema('Chonry', 'send');
	expect(validate({ vendor: 'chonry', operation: 'send', success: 'yes', recipients: [{ phone: '1', accepted: true, outcome: 'maybe' }] }, schema)).toEqual([
		'$.raw is required but missing',
		'$.success is string, the schema says boolean',
		'$.recipients[0].outcome is "maybe", not one of ["accepted","refused","notSent","unknown"]',
	]);
});
