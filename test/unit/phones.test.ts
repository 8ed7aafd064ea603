import { InputError } from '../../nodes/shared/adapter';
import {
	normalizeInternational,
	normalizeMainlandMobile,
	parseInternationalPhones,
	parseMainlandPhones,
	splitPhones,
} from '../../nodes/shared/phones';

describe('phones', () => {
	it('splits on commas, semicolons, white space, new lines and full-width separators', () => {
		expect(splitPhones('13800138000,13900139000;13700137000 13600136000\n13500135000，13400134000')).toEqual([
			'13800138000',
			'13900139000',
			'13700137000',
			'13600136000',
			'13500135000',
			'13400134000',
		]);
	});

	it('flattens arrays and numbers from expressions', () => {
		expect(splitPhones([13800138000, ['13900139000, 13700137000']])).toEqual(['13800138000', '13900139000', '13700137000']);
	});

	it.each([
		['+8613800138000', '13800138000'],
		['8613800138000', '13800138000'],
		['008613800138000', '13800138000'],
		['138-0013-8000', '13800138000'],
		['13800138000', '13800138000'],
	])('normalizes %s to %s', (input, expected) => {
		expect(normalizeMainlandMobile(input)).toBe(expected);
	});

	it.each(['1380013800', '23800138000', '138001380001', '+1 4155550100', 'abc', '86138001380', '12125550123', '8612125550123', '10086100861'])(
		'rejects %s',
		(input) => {
			expect(normalizeMainlandMobile(input)).toBeUndefined();
		},
	);

	it('says that an 11-digit number outside 13 to 19 is not a mainland mobile', () => {
		expect(() => parseMainlandPhones('12125550123', 0)).toThrow(
			'Phone 12125550123 on item 0 is not a mainland mobile number (those start with 13 to 19)',
		);
	});

	it('names the item, the number and the rule in its error', () => {
		const call = () => parseMainlandPhones('13800138000, 1380013800', 3);
		expect(call).toThrow(InputError);
		expect(call).toThrow('Phone 1380013800 on item 3 has 10 digits; a mainland mobile number has 11 digits and starts with 1');
	});

	it('says when a number has letters in it', () => {
		expect(() => parseMainlandPhones('1380013800O', 0)).toThrow('contains characters that are not digits');
	});

	it('rejects an empty value', () => {
		expect(() => parseMainlandPhones(' , ', 2)).toThrow('Phones is empty on item 2');
	});

	it('drops duplicates within one item, keeping the first position', () => {
		expect(parseMainlandPhones('+8613800138000 13900139000 13800138000', 0)).toEqual(['13800138000', '13900139000']);
	});
});

describe('international phones', () => {
	it.each([
		['+8613900000001', '8613900000001'],
		['008613900000001', '8613900000001'],
		['13900000001', '8613900000001'],
		['+44 20 7946 0958'.replace(/ /g, ''), '442079460958'],
		['+1-415-555-0100', '14155550100'],
		// Chonry's table writes numbers as country code + number without a plus: this is +1, not +86.
		['12125550123', '12125550123'],
		['+12125550123', '12125550123'],
	])('normalizes %s to %s', (input, expected) => {
		expect(normalizeInternational(input)).toBe(expected);
	});

	it.each(['+0123456', '123', '+1234567890123456', 'abc', '1380013800', '+1380013800', '+86138001380', '+8613800138000000', '+8612125550123'])('rejects %s', (input) => {
		expect(normalizeInternational(input)).toBeUndefined();
	});

	it('keeps the order and drops repeats across tens of thousands of numbers', () => {
		const numbers = Array.from({ length: 30000 }, (_, i) => `44791${String(i).padStart(7, '0')}`);
		expect(parseInternationalPhones([...numbers, `+${numbers[5]}`, `00${numbers[7]}`].join('\n'), 0)).toEqual(numbers);
		expect(parseInternationalPhones('13800138000; 00447911123456\n+8613800138000', 0)).toEqual(['8613800138000', '447911123456']);
	});

	it('names the item and the number', () => {
		expect(() => parseInternationalPhones('+8613900000001, 12', 1)).toThrow('Phone 12 on item 1 is not an international number');
	});
});
