import { InputError } from './adapter';

/** Numbers in one `phones` value may be separated by commas, semicolons, white space or new lines. */
const SEPARATORS = /[\s,;，；、]+/;

/**
 * A mainland mobile number (1, then 3 to 9, then 9 digits), with an optional country prefix that
 * every vendor here does not want. 11 digits beginning 10, 11 or 12 are not mainland mobiles: written
 * as Chonry's table writes numbers, `12125550123` is the US number +1 212 555 0123.
 */
const MAINLAND_MOBILE = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/;

/**
 * Splits a `phones` value (a string, a number, or an array of them from an expression) into trimmed
 * tokens. Empty tokens are dropped.
 */
export function splitPhones(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.flatMap((entry) => splitPhones(entry));
	if (typeof value === 'number') return [String(value)];
	if (typeof value !== 'string') return [String(value)];
	return value.split(SEPARATORS).filter((token) => token !== '');
}

/** Returns the 11-digit form of a mainland mobile number, or undefined when it is not one. */
export function normalizeMainlandMobile(token: string): string | undefined {
	const cleaned = token.replace(/[-()（）]/g, '');
	const match = MAINLAND_MOBILE.exec(cleaned);
	return match ? match[1] : undefined;
}

function describeProblem(token: string): string {
	const digits = token.replace(/\D/g, '');
	if (/[^\d+\-()（） ]/.test(token)) return 'contains characters that are not digits';
	if (digits.length !== 11 && !/^(?:86|0086)/.test(digits)) return `has ${digits.length} digits`;
	return 'is not a mainland mobile number (those start with 13 to 19)';
}

/**
 * Validates and normalizes the numbers of one item. Throws an InputError naming the item, the
 * number and the rule, so that nothing is sent for a list with a typo in it. Duplicates within the
 * item are dropped: one item never texts the same person twice.
 */
export function parseMainlandPhones(value: unknown, itemIndex: number, field = 'Phones'): string[] {
	const tokens = splitPhones(value);
	if (tokens.length === 0) {
		throw new InputError(
			`${field} is empty on item ${itemIndex}`,
			'Give one or more mainland mobile numbers, separated by commas, semicolons, spaces or new lines.',
		);
	}
	const phones: string[] = [];
	const seen = new Set<string>();
	for (const token of tokens) {
		const phone = normalizeMainlandMobile(token);
		if (phone === undefined) {
			throw new InputError(
				`Phone ${token} on item ${itemIndex} ${describeProblem(token)}; a mainland mobile number has 11 digits and starts with 1`,
				'A +86, 86 or 0086 prefix is removed automatically. Separate several numbers with commas, semicolons, spaces or new lines. Nothing was sent.',
			);
		}
		if (!seen.has(phone)) {
			seen.add(phone);
			phones.push(phone);
		}
	}
	return phones;
}

/** E.164 allows at most 15 digits, country code included; no real number has fewer than 7. */
const INTERNATIONAL = /^[1-9]\d{6,14}$/;

/**
 * Normalizes a number for vendors that take international numbers as country code + national
 * number, without `+` or `00` (`8613900000001`). A bare 11-digit mainland mobile gets `86`.
 */
export function normalizeInternational(token: string): string | undefined {
	const cleaned = token.replace(/[-()（） ]/g, '');
	const mainland = /^1[3-9]\d{9}$/.test(cleaned) ? `86${cleaned}` : undefined;
	const digits = mainland ?? cleaned.replace(/^(?:\+|00)/, '');
	if (!INTERNATIONAL.test(digits)) return undefined;
	// Two plans whose lengths are fixed, and where a slip is likeliest: country code 1 (North America)
	// is always followed by 10 digits, so a mainland mobile missing a digit (1380013800) is not taken
	// for +1 380013800; and a mainland mobile after 86 has 11 digits and begins 13 to 19.
	if (digits.startsWith('1') && digits.length !== 11) return undefined;
	if (/^861/.test(digits) && !/^861[3-9]\d{9}$/.test(digits)) return undefined;
	return digits;
}

/** Like parseMainlandPhones, for vendors that send abroad. */
export function parseInternationalPhones(value: unknown, itemIndex: number, field = 'Phones'): string[] {
	const tokens = splitPhones(value);
	if (tokens.length === 0) {
		throw new InputError(
			`${field} is empty on item ${itemIndex}`,
			'Give one or more numbers with their country code (+44 20 7946 0958 as +442079460958), separated by commas, semicolons, spaces or new lines.',
		);
	}
	const phones = new Set<string>();
	for (const token of tokens) {
		const phone = normalizeInternational(token);
		if (phone === undefined) {
			throw new InputError(
				`Phone ${token} on item ${itemIndex} is not an international number; give the country code and number, 7 to 15 digits in all, such as +8613800138000`,
				'A leading + or 00 is removed; an 11-digit mainland mobile gets 86. Nothing was sent.',
			);
		}
		phones.add(phone);
	}
	return [...phones];
}
