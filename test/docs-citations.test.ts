/**
 * The repository explains itself: code comments cite docs/vendors/<vendor>.md#<heading>, never a file
 * outside the repository, and every heading they cite exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const SOURCES = ['nodes', 'credentials', 'simulator', 'test', 'scripts'];

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : filesUnder(path);
		return /\.(ts|js)$/.test(name) ? [path] : [];
	});
}

/** GitHub's anchor of a Markdown heading. */
const slug = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');

const anchorsOf = (file: string) =>
	new Set(
		readFileSync(join(ROOT, file), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) => slug(line.replace(/^#+ /, ''))),
	);

const files = SOURCES.flatMap((dir) => filesUnder(join(ROOT, dir))).filter((path) => !path.endsWith('docs-citations.test.ts'));

describe('citations', () => {
	it('no comment cites the vendor documents or notes outside the repository', () => {
		const outside = files.filter((path) => /vendor-docs|vendor-notes|README-[a-z0-9]+\.md/.test(readFileSync(path, 'utf8')));
		expect(outside.map((path) => relative(ROOT, path))).toEqual([]);
	});

	it('every docs/vendors/<page>.md#<heading> cited in the code exists', () => {
		const cited = files.flatMap((path) =>
			[...readFileSync(path, 'utf8').matchAll(/docs\/vendors\/([a-z0-9]+\.md)(?:#([a-z0-9-]+))?/g)].map((m) => ({ from: relative(ROOT, path), page: m[1], anchor: m[2] })),
		);
		expect(cited.length).toBeGreaterThan(10);
		const missing = cited.filter(({ page, anchor }) => {
			try {
				return anchor !== undefined && !anchorsOf(join('docs', 'vendors', page)).has(anchor);
			} catch {
				return true;
			}
		});
		expect(missing).toEqual([]);
	});
});
