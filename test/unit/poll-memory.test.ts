import { MAX_REMEMBERED, RETAIN_DAYS, takeNew, type PollMemory } from '../../nodes/shared/poll-memory';
import { daysToPoll, recordIdentity } from '../../nodes/Zhuanxinyun/zhuanxinyun.vendor';

const now = new Date('2026-11-22T04:00:00Z'); // 12:00 in China
const report = (id: string, time = '2026-11-22T10:00:00+08:00') => ({ event: 'delivery', messageId: id, phone: '13800138000', status: 'DELIVRD', receivedAt: time });
const ids = (records: Array<{ messageId?: unknown }>) => records.map((r) => r.messageId);

describe('poll memory', () => {
	it('emits a record once, whatever the answers repeat', () => {
		let memory: PollMemory = {};
		const first = takeNew(memory, [report('a'), report('b')], recordIdentity, now);
		expect(ids(first.fresh)).toEqual(['a', 'b']);
		memory = first.memory;
		const second = takeNew(memory, [report('a'), report('b'), report('c')], recordIdentity, now);
		expect(ids(second.fresh)).toEqual(['c']);
		expect(takeNew(second.memory, [report('c'), report('a')], recordIdentity, now).fresh).toEqual([]);
		// JSON, as n8n saves static data: the memory survives it.
		const reloaded = JSON.parse(JSON.stringify(second.memory)) as PollMemory;
		expect(takeNew(reloaded, [report('a'), report('d')], recordIdentity, now).fresh.map((r) => r.messageId)).toEqual(['d']);
	});

	it('tells a changed record from the one before (a report whose status changed is a new report)', () => {
		const { memory } = takeNew({}, [report('a')], recordIdentity, now);
		expect(takeNew(memory, [{ ...report('a'), status: 'MK:0001' }], recordIdentity, now).fresh).toHaveLength(1);
	});

	it('forgets days older than the retention', () => {
		const old = report('old', '2026-11-10T10:00:00+08:00');
		const { memory } = takeNew({}, [old, report('a')], recordIdentity, now);
		expect(Object.keys(memory.seen!)).toEqual(['20261122']);
		expect(RETAIN_DAYS).toBe(7);
	});

	it(`keeps at most ${MAX_REMEMBERED} records, and never emits a forgotten one again`, () => {
		const minute = (i: number) => {
			const t = new Date(Date.UTC(2026, 10, 22, 0, 0, 0) + i * 1000).toISOString().slice(11, 19);
			return `2026-11-22T${t}+08:00`;
		};
		const many = Array.from({ length: MAX_REMEMBERED + 500 }, (_, i) => report(`m${i}`, minute(i)));
		const { fresh, memory } = takeNew({}, many, recordIdentity, now);
		expect(fresh).toHaveLength(MAX_REMEMBERED + 500);
		const remembered = Object.values(memory.seen!).flat();
		expect(remembered).toHaveLength(MAX_REMEMBERED);
		// The 500 oldest are forgotten, and the floor is the newest of them.
		expect(memory.floor).toBe(`20261122${minute(499).slice(11, 19).replace(/:/g, '')}`);
		const again = takeNew(memory, [...many, report('late', minute(10)), report('next', minute(MAX_REMEMBERED + 600))], recordIdentity, now);
		expect(ids(again.fresh)).toEqual(['next']);
		// The saved size of that memory, as n8n stores it with the workflow.
		expect(JSON.stringify(memory).length).toBeLessThan(230_000);
	});
});

describe('days a poll asks for', () => {
	const at = (iso: string) => new Date(iso);

	it('asks for today only the first time', () => {
		expect(daysToPoll(undefined, now)).toEqual(['2026-11-22']);
	});

	it('asks for yesterday too in the first hours of a day', () => {
		expect(daysToPoll('2026-11-22', at('2026-11-21T17:30:00Z'))).toEqual(['2026-11-21', '2026-11-22']); // 01:30 in China
		expect(daysToPoll('2026-11-22', at('2026-11-21T18:30:00Z'))).toEqual(['2026-11-22']); // 02:30
		expect(daysToPoll('2026-11-22', now)).toEqual(['2026-11-22']);
	});

	it('catches up on the days since the last poll, a week at most', () => {
		expect(daysToPoll('2026-11-20', now)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
		expect(daysToPoll('2026-10-01', now)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
	});
});
