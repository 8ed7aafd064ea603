/**
 * The package as npm publishes it: built, packed with `npm pack`, unpacked outside the repository
 * (so nothing resolves from its node_modules), then read file by file. What n8n's verification asks
 * of it: no runtime dependency (the JS requires only n8n-workflow and Node's built-ins), no source
 * maps or type declarations, a codex file beside each node linking its README section, icons that
 * exist, and the output schemas the editor asks for.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const REPO = path.join(__dirname, '..', '..');
const repoPackage = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

let work: string;
let dir: string;
let files: string[];

beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-sms-tarball-'));
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'pipe' });
	const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8' }));
	dir = path.join(work, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', path.join(work, packed[0].filename), '-C', dir, '--strip-components=1']);
	files = execFileSync('find', ['.', '-type', 'f'], { cwd: dir, encoding: 'utf8' })
		.split('\n')
		.filter(Boolean)
		.map((file) => file.replace(/^\.\//, ''))
		.sort();
}, 120000);

afterAll(() => {
	fs.rmSync(work, { recursive: true, force: true });
});

const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const pkg = () => JSON.parse(read('package.json'));

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen. */
const slug = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
const readmeAnchors = () =>
	new Set(
		fs
			.readFileSync(path.join(REPO, 'README.md'), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) => slug(line.replace(/^#+ /, ''))),
	);
const docsBase = () => String(repoPackage.homepage).replace(/#.*$/, '');

/** Whether a documentation URL goes to a section of this package's README. */
function readmeSection(url: string): string | undefined {
	const [base, anchor] = url.split('#');
	if (base !== docsBase() || !anchor) return undefined;
	const section = decodeURIComponent(anchor);
	return readmeAnchors().has(section) ? section : undefined;
}

test('the tarball holds package.json, README, LICENSE and the built nodes and credentials, nothing else', () => {
	const other = files.filter((file) => !/^dist\/(nodes|credentials)\//.test(file));
	expect(other).toEqual(['LICENSE', 'README.md', 'package.json']);
	const kinds = files.filter((file) => file.startsWith('dist/')).map((file) => (/\.(?:node\.json|js|svg|png)$/.test(file) ? 'ok' : /__schema__\/v\d+\.\d+\.\d+(\/\w+)?\.json$/.test(file) ? 'ok' : file));
	expect(kinds.filter((kind) => kind !== 'ok')).toEqual([]);
	expect(files.filter((file) => /\.map$|\.d\.ts$|\.ts$|tsbuildinfo/.test(file))).toEqual([]);
});

test('every node and credential that package.json lists is in the tarball, each node with its codex file', () => {
	const listed: string[] = [...pkg().n8n.nodes, ...pkg().n8n.credentials];
	expect(listed.length).toBeGreaterThanOrEqual(14);
	expect(listed.filter((file) => !files.includes(file))).toEqual([]);
	expect(pkg().n8n.nodes.filter((file: string) => !files.includes(file.replace(/\.js$/, '.json')))).toEqual([]);
	// And nothing built that n8n would not load.
	expect(files.filter((file) => file.endsWith('.js') && !listed.includes(file))).toEqual([]);
});

test('package.json has no runtime dependency; n8n-workflow is the only peer', () => {
	const manifest = pkg();
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		expect(Object.keys(manifest[field] ?? {})).toEqual([]);
	}
	expect(Object.keys(manifest.peerDependencies)).toEqual(['n8n-workflow']);
	expect(manifest.main).toBeUndefined();
});

/** Every require() and import() in a file, read by TypeScript's parser (comments and strings are not calls). */
function moduleCalls(code: string): string[] {
	const source = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
	const found: string[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isCallExpression(node)) {
			const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
			const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
			if (isRequire || isImport) {
				const [arg] = node.arguments;
				const name = arg && ts.isStringLiteralLike(arg) ? arg.text : `(not a literal: ${arg?.getText(source)})`;
				found.push(isImport ? `import(${name})` : name);
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

test('the JS requires nothing but n8n-workflow and Node built-ins', () => {
	const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
	const required = new Set<string>();
	for (const file of files.filter((f) => f.endsWith('.js'))) for (const name of moduleCalls(read(file))) required.add(name);
	expect([...required].filter((name) => name !== 'n8n-workflow' && !builtins.has(name))).toEqual([]);
	expect(required.has('n8n-workflow')).toBe(true);
	// The XML parser is inside the trigger bundles, not required from outside.
	expect(read('dist/nodes/Zhuanxinyun/ZhuanxinyunTrigger.node.js')).toContain('XMLParser');
	// The check itself sees a require of a package, and ignores one in a comment.
	expect(moduleCalls('const x = require("fast-xml-parser"); // require("lodash")\n/** import("./a.js") */')).toEqual(['fast-xml-parser']);
});

test('each bundle loads with only n8n-workflow resolvable, and describes the node its file names', () => {
	// NODE_PATH holds n8n-workflow alone; the unpacked package sits outside the repository.
	const only = path.join(work, 'only-n8n-workflow');
	fs.mkdirSync(only, { recursive: true });
	if (!fs.existsSync(path.join(only, 'n8n-workflow'))) fs.symlinkSync(path.join(REPO, 'node_modules', 'n8n-workflow'), path.join(only, 'n8n-workflow'));
	const script = `
		const path = require('path');
		const out = [];
		for (const file of JSON.parse(process.argv[1])) {
			const className = path.basename(file).replace(/\\.(node|credentials)\\.js$/, '');
			const Type = require(path.resolve(file))[className];
			const instance = new Type();
			out.push([file, instance.description ? instance.description.name : instance.name]);
		}
		console.log(JSON.stringify(out));`;
	const listed: string[] = [...pkg().n8n.nodes, ...pkg().n8n.credentials];
	const loaded: Array<[string, string]> = JSON.parse(
		execFileSync(process.execPath, ['-e', script, JSON.stringify(listed)], {
			cwd: dir,
			env: { PATH: process.env.PATH, NODE_PATH: only },
			encoding: 'utf8',
		}),
	);
	expect(loaded).toHaveLength(listed.length);
	for (const [file, name] of loaded) {
		const base = path.basename(file).replace(/\.(node|credentials)\.js$/, '');
		expect(name.toLowerCase()).toBe(base.toLowerCase());
	}
});

test('every icon a node or credential names is in the tarball, light and dark, as different files', () => {
	const missing: string[] = [];
	for (const file of files.filter((f) => /\.(node|credentials)\.js$/.test(f))) {
		const icons = [...read(file).matchAll(/(light|dark): "file:([^"]+)"/g)];
		expect(icons.map((m) => m[1]).sort()).toEqual(['dark', 'light']);
		expect(new Set(icons.map((m) => m[2])).size).toBe(2);
		for (const [, , icon] of icons) {
			const iconPath = path.join(path.dirname(file), icon);
			if (!files.includes(path.normalize(iconPath))) missing.push(`${file}: ${icon}`);
		}
	}
	expect(missing).toEqual([]);
});

test("each codex file names its node and links the node's and its credential's README sections", () => {
	const problems: string[] = [];
	for (const nodeFile of pkg().n8n.nodes as string[]) {
		const codex = JSON.parse(read(nodeFile.replace(/\.js$/, '.json')));
		const name = path.basename(nodeFile, '.node.js');
		if (codex.node.toLowerCase() !== `${pkg().name}.${name}`.toLowerCase()) problems.push(`${nodeFile}: codex node ${codex.node}`);
		for (const kind of ['primaryDocumentation', 'credentialDocumentation']) {
			for (const { url } of codex.resources[kind] ?? [{ url: '(none)' }]) {
				if (!readmeSection(url)) problems.push(`${nodeFile}: ${kind} ${url} is no README section`);
			}
		}
		const aliases = (codex.alias as string[]).map((alias) => alias.toLowerCase());
		if (!aliases.includes('sms') || !aliases.includes('text message')) problems.push(`${nodeFile}: aliases ${aliases.join(', ')}`);
		if (!name.endsWith('Trigger') && !aliases.includes('otp')) problems.push(`${nodeFile}: no OTP alias`);
	}
	expect(problems).toEqual([]);
});

test("each credential's documentation URL is its README section", () => {
	const problems: string[] = [];
	for (const file of pkg().n8n.credentials as string[]) {
		const url = /documentationUrl = "([^"]+)"/.exec(read(file))?.[1] ?? '(none)';
		if (!readmeSection(url)) problems.push(`${file}: ${url}`);
	}
	expect(problems).toEqual([]);
});

test('the output schemas of the source are shipped where n8n looks for them', () => {
	const source = execFileSync('find', ['nodes', '-path', '*__schema__*', '-name', '*.json'], { cwd: REPO, encoding: 'utf8' })
		.split('\n')
		.filter(Boolean)
		.map((file) => `dist/${file}`)
		.sort();
	expect(source.length).toBeGreaterThanOrEqual(9);
	expect(source.filter((file) => !files.includes(file))).toEqual([]);
	expect(read('dist/nodes/Zhuanxinyun/__schema__/v1.0.0/send.json')).toContain('"recipients"');
});
