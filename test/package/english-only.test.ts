/**
 * English only in what a user of the package reads: every node's and credential's description as n8n
 * loads it (names, descriptions, hints, options, notices, placeholders: every string in it), the codex
 * search aliases, and the README (n8n's verification guidelines ask for English in the node interface
 * and its docs).
 *
 * The exception is narrow, and it is what users search with:
 *   - in the interface, Chinese stands only inside a parenthesis that directly follows the English
 *     thing it names: a vendor's own name beside its English one ("Veesing / 10658 (中昱维信)") or the
 *     vendor console's label for the field just named ("the reply address (上行/回复URL)"); a codex
 *     alias in Chinese must be such a vendor name, shown so in that node's description;
 *   - in the README, the same, plus the vendor's own words kept literally: in code (`余额不足`, a JSON
 *     answer) or in a quotation of its document ("最大支持5万").
 * Error messages the nodes throw keep the vendor's code and text the same way: `... (余额不足)`.
 */
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

/**
 * Han ideographs. CJK punctuation is not language: Zhuanxinyun's signature must stand in 【】, and the
 * interface says so.
 */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
const CJK_ALL = new RegExp(CJK.source, 'gu');

/**
 * The text left once every allowed parenthesis is taken out: one that directly follows a name (a
 * letter, digit, backtick or closing bracket, then at most one space) and holds no nested parenthesis.
 */
function outsideNamingParentheses(text: string): string {
	return text.replace(/([A-Za-z0-9`\])] ?)\(([^()]*)\)/g, (_all, before: string, inside: string) => `${before}(${inside.replace(/[^\n]/g, ' ')})`);
}

/**
 * A credential test rule's `value` is matched against the vendor's answer (its literal Chinese error
 * text) and never shown; the rule's `message` is what the user reads.
 */
const MATCHED_NOT_SHOWN = /\.test\.rules\[\d+\]\.properties\.value$/;

/**
 * A default that is a JSON body is what the node sends on the wire, in the vendor's words (Aliyun's
 * push answer `{"code":0,"msg":"接收成功"}`, which the contract fixes), not interface text.
 */
function isWireBody(at: string, text: string): boolean {
	if (!at.endsWith('.default')) return false;
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null;
	} catch {
		return false;
	}
}

/** Strings, with the path where each stands in the object. */
function stringsOf(value: unknown, at: string, out: Array<{ at: string; text: string }> = []) {
	if (typeof value === 'string') {
		if (!MATCHED_NOT_SHOWN.test(at) && !isWireBody(at, value)) out.push({ at, text: value });
	}
	else if (Array.isArray(value)) value.forEach((v, i) => stringsOf(v, `${at}[${i}]`, out));
	else if (value && typeof value === 'object') {
		for (const [key, v] of Object.entries(value)) if (typeof v !== 'function') stringsOf(v, `${at}.${key}`, out);
	}
	return out;
}

/** The source module of a dist file package.json lists. */
const sourceOf = (distFile: string) => path.join(REPO, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

function loadListed(distFile: string): { name: string; description: object } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(sourceOf(distFile));
	const Class = Object.values(mod).find((v) => typeof v === 'function') as new () => { description?: object; name: string };
	const instance = new Class();
	return { name: path.basename(distFile), description: instance.description ?? instance };
}

const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[];

describe('the exception rule itself', () => {
	it.each([
		['Veesing / 10658 (中昱维信)', false],
		['the reply address (上行/回复URL), then publish', false],
		['`App Key` (公钥)', false],
		['Zhuanxinyun 转信云', true],
		['(转信云) alone', true],
		['a sentence 中文 inside', true],
		['for example 【Signature】 first', false],
		['for example 【云锋网络】 first', true],
		['天瑞云 (tinree)', true],
	])('%s: Chinese outside the rule = %s', (text, expected) => {
		expect(CJK.test(outsideNamingParentheses(text))).toBe(expected);
	});
});

describe('every node and credential description is English, but for vendor names and console labels beside their English', () => {
	it.each(listed)('%s', (distFile) => {
		const { description } = loadListed(distFile);
		const strings = stringsOf(description, 'description');
		expect(strings.length).toBeGreaterThan(3);
		const offending = strings.filter(({ text }) => CJK.test(outsideNamingParentheses(text)));
		expect(offending).toEqual([]);
	});
});

describe("codex aliases in Chinese are only a vendor's own name, as its node's description shows it", () => {
	it.each(pkg.n8n.nodes as string[])('%s', (distFile) => {
		const codex = JSON.parse(fs.readFileSync(sourceOf(distFile).replace(/\.ts$/, '.json'), 'utf8'));
		const { description } = loadListed(distFile);
		const shown = stringsOf(description, 'description').map(({ text }) => text);
		const chinese = (codex.alias as string[]).filter((alias) => CJK.test(alias));
		// Each part of a naming parenthesis: "Chonry (创瑞云, 1cloudsp)" names 创瑞云.
		const named = shown.flatMap((text) => [...text.matchAll(/\(([^()]*)\)/g)].flatMap((m) => m[1].split(/,\s*/)));
		const notAName = chinese.filter((alias) => !named.includes(alias));
		expect(notAName).toEqual([]);
	});
});

describe('the README is English, but for vendor names, console labels and the vendor words it quotes', () => {
	it('has no Chinese outside naming parentheses, code and quotations', () => {
		const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
		// Blanked out, keeping every line break so that line numbers stay: code blocks, code spans and
		// quotations (none of them spans a blank line), then the naming parentheses.
		const blank = (text: string) => text.replace(/[^\n]/g, ' ');
		const rest = outsideNamingParentheses(
			readme
				.replace(/^\s*```[\s\S]*?^\s*```/gm, blank)
				.replace(/`(?:[^`\n]|\n(?!\s*\n))*`/g, (span) => `\`${blank(span.slice(1, -1))}\``)
				.replace(/"(?:[^"\n]|\n(?!\s*\n))*"/g, blank),
		);
		const offending = rest
			.split('\n')
			.map((line, i) => ({ line, i }))
			.filter(({ line }) => CJK.test(line))
			.map(({ line, i }) => `README.md:${i + 1}: ${(line.match(CJK_ALL) ?? []).join('')} in ${readme.split('\n')[i].trim().slice(0, 120)}`);
		expect(offending).toEqual([]);
	});
});
