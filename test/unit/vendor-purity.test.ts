/**
 * A vendor module is pure (nodes/shared/adapter.ts): it imports no transport and nothing that calls
 * n8n's helpers, directly or through another module of ours. Type imports count too: a vendor module
 * that needs a type of the transport's shows the type is in the wrong place.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');
const NODES = join(ROOT, 'nodes');

/** What a module of ours that talks to n8n or the network looks like. */
const IMPURE = /\.helpers\b|httpRequest|IExecuteFunctions|IWebhookFunctions|IPollFunctions/;

function vendorModules(): string[] {
	return readdirSync(NODES, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
		.flatMap((dir) => readdirSync(join(NODES, dir.name)).filter((file) => file.endsWith('.vendor.ts')).map((file) => join(NODES, dir.name, file)));
}

function relativeImports(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const specifiers = [...source.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)].map((match) => match[1]);
	return specifiers.map((specifier) => resolve(dirname(file), specifier)).map((path) => (existsSync(`${path}.ts`) ? `${path}.ts` : join(path, 'index.ts')));
}

/** Every module of ours the file imports, transitively, with the chain that reaches it. */
function reachable(file: string): Map<string, string[]> {
	const chains = new Map<string, string[]>();
	const visit = (current: string, chain: string[]) => {
		for (const next of relativeImports(current)) {
			if (chains.has(next)) continue;
			chains.set(next, [...chain, next]);
			visit(next, [...chain, next]);
		}
	};
	visit(file, [file]);
	return chains;
}

describe('vendor modules are pure', () => {
	const modules = vendorModules();

	it('finds the vendor modules', () => {
		expect(modules.length).toBeGreaterThanOrEqual(5);
	});

	it.each(modules.map((file) => [relative(ROOT, file), file]))('%s imports no transport and nothing that calls n8n', (_name, file) => {
		const offending = [...reachable(file).entries()]
			.filter(([module]) => /[\\/]shared[\\/]transport\.ts$/.test(module) || IMPURE.test(readFileSync(module, 'utf8')))
			.map(([, chain]) => chain.map((path) => relative(ROOT, path)).join(' -> '));
		expect(offending).toEqual([]);
	});

	it('would see an import of the transport', () => {
		// The check itself can fail: the transport matches, and so does the module that calls n8n's helpers.
		expect(IMPURE.test(readFileSync(join(NODES, 'shared/transport.ts'), 'utf8'))).toBe(true);
		expect(IMPURE.test(readFileSync(join(NODES, 'shared/push.ts'), 'utf8'))).toBe(true);
		expect(IMPURE.test(readFileSync(join(NODES, 'shared/adapter.ts'), 'utf8'))).toBe(false);
	});
});
