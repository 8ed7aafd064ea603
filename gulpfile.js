// @ts-check
// The build behind `npm run build` (after tsc has type-checked the sources without emitting).
//
// n8n's verified community packages may have no runtime dependency, so every node and credential that
// package.json's `n8n` section lists is bundled by esbuild into one CommonJS file at that same dist path,
// with its shared modules and fast-xml-parser inside. Only `n8n-workflow` (the instance provides it,
// a peer dependency) and Node's built-ins stay `require`d. No source maps (the tarball carries no
// sources to map to) and no type declarations (n8n loads none).
//
// Assets go next to the bundles: icons, the codex files (`<Node>.node.json`, read by n8n from beside
// `<Node>.node.js`) and each node folder's `__schema__` output schemas (served by the editor as
// `/schemas/<package>.<node>/<version>/<operation>.json`).
const fs = require('fs');
const path = require('path');
const { task, src, dest, series } = require('gulp');

const pkg = require('./package.json');

/** The bundles' entry points: dist/X.js from X.ts, for every file the n8n section lists. */
function entryPoints() {
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((distFile) => {
		const source = distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		if (!fs.existsSync(source)) throw new Error(`package.json lists ${distFile}, but ${source} does not exist`);
		return { in: source, out: distFile.replace(/\.js$/, '') };
	});
}

task('build:clean', async () => {
	// Files of an earlier build (maps, declarations, removed nodes) must not reach the tarball.
	fs.rmSync(path.resolve('dist'), { recursive: true, force: true });
});

task('build:bundle', async () => {
	const esbuild = require('esbuild');
	const result = await esbuild.build({
		entryPoints: entryPoints(),
		outdir: '.',
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['n8n-workflow'],
		sourcemap: false,
		minify: false,
		legalComments: 'inline',
		logLevel: 'warning',
		metafile: true,
	});
	fs.writeFileSync(path.resolve('.tmp', 'esbuild-meta.json'), JSON.stringify(result.metafile), { flag: 'w' });
});

task('build:assets', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'nodes/**/__schema__/**/*.json'], {
		encoding: false,
		base: 'nodes',
	}).pipe(dest(path.resolve('dist', 'nodes'))),
);

task('build', series('build:clean', 'build:bundle', 'build:assets'));
