/**
 * `npm run scan` (scripts/scan.js): how it names the source module of a finding inside a bundle, and that
 * it keeps no list of excused findings (n8n's scanner has none). The scan itself runs in `npm test`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundledFrom } = require('../../scripts/scan.js');

test('a line of a bundle is traced to the module esbuild wrote before it', () => {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cn-sms-scan-')), 'X.node.js');
	fs.writeFileSync(file, ['"use strict";', '', '// nodes/X/X.node.ts', 'var a = 1;', '', '// nodes/shared/push.ts', 'var b = 2;', '// a comment', 'var c = 3;'].join('\n'));
	expect([1, 4, 7, 9].map((line) => bundledFrom(file, line))).toEqual([undefined, 'nodes/X/X.node.ts', 'nodes/shared/push.ts', 'nodes/shared/push.ts']);
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('no finding is excused: no exception list, in the scan or in the lint set-up', () => {
	const repo = path.join(__dirname, '..', '..');
	expect(fs.existsSync(path.join(repo, 'scripts', 'scan-pending.js'))).toBe(false);
	for (const file of ['scripts/scan.js', 'eslint.config.mjs']) {
		expect(fs.readFileSync(path.join(repo, file), 'utf8')).not.toMatch(/pending|'warn'|"warn"/i);
	}
});
