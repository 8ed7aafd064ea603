import { messageIdOf } from '../../nodes/shared/execute';

describe("an item's messageId, one rule for every vendor", () => {
	it('is the batch ids of its calls where the vendor gives them', () => {
		expect(messageIdOf(['B1'], [{ phone: 'a', accepted: true, messageId: 'M1' }])).toBe('B1');
		expect(messageIdOf(['B1', 'B2'], [])).toBe('B1,B2');
	});

	it("takes the batch ids a vendor gives in its answer, as its recipients' batchId (Chonry)", () => {
		const recipient = (batchId: string) => ({ phone: 'a', accepted: true, batchId });
		expect(messageIdOf([], [recipient('b1'), recipient(''), recipient('b2'), recipient('b1')])).toBe('b1,b2');
		expect(messageIdOf([], [recipient('')])).toBeUndefined();
	});

	it("is otherwise its recipients' message ids, joined, each once, and none when there is none", () => {
		expect(messageIdOf([], [{ phone: 'a', accepted: true, messageId: 'M1' }])).toBe('M1');
		expect(
			messageIdOf(
				[],
				[
					{ phone: 'a', accepted: true, messageId: 'M1' },
					{ phone: 'b', accepted: false, error: 'x' },
					{ phone: 'c', accepted: true, messageId: 'M3' },
					{ phone: 'd', accepted: true, messageId: 'M3' },
				],
			),
		).toBe('M1,M3');
		expect(messageIdOf([], [{ phone: 'a', accepted: false, error: 'x' }])).toBeUndefined();
	});
});
