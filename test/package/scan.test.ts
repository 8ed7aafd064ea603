/**
 * `npm run scan` (scripts/scan.js): how it treats the findings that scripts/scan-pending.js lists, and
 * how it names the source module of a finding inside a bundle. The scan itself runs in `npm test`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundledFrom, markPending } = require('../../scripts/scan.js');

interface Finding {
	leg: string;
	file: string;
	from?: string;
	line: number;
	column: number;
	severity: 'error' | 'warning';
	rule: string;
	message: string;
	pending?: boolean;
}

const RULE = '@n8n/community-nodes/require-node-api-error';
const finding = (extra: Partial<Finding>): Finding => ({ leg: 'source', file: 'nodes/shared/push.ts', line: 1, column: 1, severity: 'error', rule: RULE, message: 'm', ...extra });
const pending = [{ file: 'nodes/shared/push.ts', rule: RULE, count: 2 }];

test('listed findings, as many as listed, are pending and nothing is wrong', () => {
	const findings = [finding({ line: 1 }), finding({ line: 2 })];
	expect(markPending(findings, pending)).toEqual([]);
	expect(findings.every((f) => f.pending)).toBe(true);
});

test('one more finding than listed is an error: a new one', () => {
	const problems: string[] = markPending([finding({ line: 1 }), finding({ line: 2 }), finding({ line: 3 })], pending);
	expect(problems).toHaveLength(1);
	expect(problems[0]).toMatch(/lists 2 .* finds 3: a new finding, fix it/);
});

test('fewer findings than listed is an error too: the list must shrink with the fixes', () => {
	const problems: string[] = markPending([finding({ line: 1 })], pending);
	expect(problems[0]).toMatch(/lists 2 .* finds 1: lower the count/);
});

test('another file or another rule is not pending', () => {
	const other = [finding({ file: 'nodes/Chonry/Chonry.node.ts' }), finding({ rule: '@n8n/community-nodes/no-restricted-globals' })];
	markPending([...other, finding({ line: 1 }), finding({ line: 2 })], pending);
	expect(other.map((f) => f.pending)).toEqual([undefined, undefined]);
});

test("a tarball finding is pending when the bundle's source module and rule are listed", () => {
	const inBundle = finding({ leg: 'tarball', file: 'dist/nodes/Chonry/Chonry.node.js', from: 'nodes/shared/push.ts' });
	const ownCode = finding({ leg: 'tarball', file: 'dist/nodes/Chonry/Chonry.node.js', from: 'nodes/Chonry/Chonry.node.ts' });
	markPending([inBundle, ownCode, finding({ line: 1 }), finding({ line: 2 })], pending);
	expect([inBundle.pending, ownCode.pending]).toEqual([true, undefined]);
});

test('a line of a bundle is traced to the module esbuild wrote before it', () => {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cn-sms-scan-')), 'X.node.js');
	fs.writeFileSync(file, ['"use strict";', '', '// nodes/X/X.node.ts', 'var a = 1;', '', '// nodes/shared/push.ts', 'var b = 2;', '// a comment', 'var c = 3;'].join('\n'));
	expect([1, 4, 7, 9].map((line) => bundledFrom(file, line))).toEqual([undefined, 'nodes/X/X.node.ts', 'nodes/shared/push.ts', 'nodes/shared/push.ts']);
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
