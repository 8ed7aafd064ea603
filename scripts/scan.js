#!/usr/bin/env node
// @ts-check
'use strict';
// `npm run scan`: n8n's community-package scan, run here before publishing. The real scanner
// (`npx @n8n/scan-community-package <name>`) only takes a package already on npm, with provenance; its
// analysis is the same code, run here on what it would see:
//   - the source: package.json and nodes/, credentials/ (scanner.mjs SOURCE_FILE_PATTERNS), as in the
//     attested source checkout;
//   - the tarball: `npm pack` of the built package, unpacked, its JS and package.json.
// Both with the scanner's own ESLint config (buildScanConfig), inline disables ignored, as it runs it.
//
//   node scripts/scan.js [--skip-build] [--json <file>]
//
// Prints every finding (warnings too), then `scan: <leg> <errors> errors, <warnings> warnings` per leg.
// Exits 1 on any error: like n8n's scanner, it has no list of excused findings.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(REPO, '.tmp', 'scan');
const args = process.argv.slice(2);
const SKIP_BUILD = args.includes('--skip-build');
const jsonAt = args.indexOf('--json');
const JSON_OUT = jsonAt >= 0 ? args[jsonAt + 1] : undefined;

const SCANNER_DIR = path.join(REPO, 'node_modules', '@n8n', 'scan-community-package');
const scannerRequire = require('node:module').createRequire(path.join(SCANNER_DIR, 'scanner', 'scanner.mjs'));

/** @param {string} cmd @param {string[]} argv @param {string} cwd */
const run = (cmd, argv, cwd) => execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** Builds (unless told not to), packs and unpacks the package; returns the unpacked folder. */
function packAndUnpack() {
	fs.rmSync(WORK, { recursive: true, force: true });
	fs.mkdirSync(WORK, { recursive: true });
	if (!SKIP_BUILD) run('npm', ['run', 'build', '--silent'], REPO);
	// The project's .npmrc sets ignore-scripts, so prepack does not build: the build above does.
	const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', WORK], REPO));
	const tgz = path.join(WORK, packed[0].filename);
	const dir = path.join(WORK, 'package');
	fs.mkdirSync(dir);
	run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1'], WORK);
	return dir;
}

/**
 * The source module a line of a bundle came from: esbuild writes `// nodes/shared/push.ts` before
 * each module it inlines (the build does not minify).
 * @param {string} file @param {number} line
 */
function bundledFrom(file, line) {
	if (!file.endsWith('.js')) return undefined;
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
		const m = /^\/\/ ((?:nodes|credentials|node_modules)\/\S+)$/.exec(lines[i]);
		if (m) return m[1];
	}
	return undefined;
}

/**
 * The scanner's analyzePackage (scanner.mjs), keeping every message instead of only a formatted
 * text of the files with errors.
 * @param {string} dir @param {string[]} patterns
 */
async function analyze(dir, patterns) {
	const scanner = await import(pathToFileURL(path.join(SCANNER_DIR, 'scanner', 'scanner.mjs')).href);
	const { ESLint } = scannerRequire('eslint');
	const glob = scannerRequire('fast-glob');
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	if (files.length === 0) throw new Error(`no files to analyze in ${dir}`);
	const results = await eslint.lintFiles(files);
	return { files: files.length, results, patterns };
}

/**
 * @typedef {{ leg: string, file: string, from?: string, line: number, column: number, severity: 'error' | 'warning', rule: string, message: string }} Finding
 */

async function main() {
	const scanner = await import(pathToFileURL(path.join(SCANNER_DIR, 'scanner', 'scanner.mjs')).href);
	const scannerVersion = require(path.join(SCANNER_DIR, 'package.json')).version;
	const packageDir = packAndUnpack();

	const legs = [
		{ name: 'source', dir: REPO, patterns: scanner.SOURCE_FILE_PATTERNS },
		{ name: 'tarball', dir: packageDir, patterns: ['**/*.js', 'package.json'] },
	];
	console.log(`scan: @n8n/scan-community-package ${scannerVersion} rules, inline disables ignored`);

	/** @type {Finding[]} */
	const findings = [];
	const summary = [];
	for (const leg of legs) {
		const { files, results } = await analyze(leg.dir, leg.patterns);
		for (const result of results) {
			const file = path.relative(leg.dir, result.filePath);
			for (const m of result.messages) {
				findings.push({
					leg: leg.name,
					file,
					from: leg.name === 'tarball' ? bundledFrom(result.filePath, m.line) : undefined,
					line: m.line,
					column: m.column,
					severity: m.severity === 2 ? 'error' : 'warning',
					rule: m.ruleId ?? '(parser)',
					message: m.message,
				});
			}
		}
		summary.push({ leg: leg.name, files });
	}

	const order = { error: 0, warning: 1 };
	for (const f of [...findings].sort((a, b) => a.leg.localeCompare(b.leg) || order[a.severity] - order[b.severity] || a.file.localeCompare(b.file) || a.line - b.line)) {
		const where = `${f.leg}: ${f.file}:${f.line}:${f.column}${f.from ? ` (from ${f.from})` : ''}`;
		console.log(`  ${f.severity.padEnd(7)} ${where}  ${f.rule}  ${f.message}`);
	}

	let failed = 0;
	for (const { leg, files } of summary) {
		const of = findings.filter((f) => f.leg === leg);
		const errors = of.filter((f) => f.severity === 'error').length;
		const warnings = of.filter((f) => f.severity === 'warning').length;
		failed += errors;
		console.log(`scan: ${leg} ${errors} errors, ${warnings} warnings (${files} files)`);
	}
	if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify({ summary, findings }, null, 2));
	if (failed > 0) {
		console.log(`scan: FAILED with ${failed} error(s)`);
		process.exitCode = 1;
	} else {
		console.log('scan: passed');
	}
}

module.exports = { bundledFrom };

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
