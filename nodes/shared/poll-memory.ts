/**
 * What a polling trigger remembers between polls, so that a vendor's pull API, which answers with
 * everything it has (a whole day of status reports) or with what was not fetched yet, starts each
 * record's workflow once. Kept in the workflow's static data, which n8n saves with the workflow: it
 * lasts across polls and restarts. Pure functions over plain JSON.
 *
 * Each record is remembered as a short hash of what identifies it, under the China-time day of its
 * time, for RETAIN_DAYS days and at most MAX_REMEMBERED records. Past that bound the oldest are
 * forgotten, and `floor` keeps the newest time forgotten that way: a record not remembered whose time
 * is not after it is taken for one already emitted. So a record is never emitted twice; only a record
 * that arrives later than ten thousand newer ones could be missed, and only then.
 */
import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

export const MAX_REMEMBERED = 10_000;
export const RETAIN_DAYS = 7;

/** `seen`: per day (`yyyyMMdd`, or `` for records without a time), entries `HHmmss` + hash, oldest first. */
export interface PollMemory extends IDataObject {
	seen?: Record<string, string[]>;
	/** `yyyyMMddHHmmss` of the newest record forgotten because of MAX_REMEMBERED. */
	floor?: string;
}

/** A record's time as `yyyyMMddHHmmss` in China time, from ISO 8601 with the +08:00 offset. */
function compactTime(receivedAt: unknown): string {
	if (typeof receivedAt !== 'string') return '';
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(receivedAt);
	return match ? match.slice(1).join('') : '';
}

const hashOf = (identity: string) => createHash('sha256').update(identity, 'utf8').digest('base64url').slice(0, 12);

/** `yyyyMMdd` of the day `days` before the China date of `now`. */
function chinaDay(now: Date, days = 0): string {
	return new Date(now.getTime() + 8 * 3600e3 - days * 86400e3).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The records of `records` not emitted before, in their order; `memory` is returned updated (a new
 * object: n8n notices static data changes by assignment). Two equal records in one answer are two
 * records (a person may send the same reply twice in a second): each is told apart by its place among
 * its equals.
 */
export function takeNew<T extends IDataObject>(
	memory: PollMemory,
	records: T[],
	identity: (record: T) => string,
	now: Date,
): { fresh: T[]; memory: PollMemory } {
	const seen: Record<string, string[]> = {};
	for (const [day, entries] of Object.entries(memory.seen ?? {})) seen[day] = [...entries];
	let floor = memory.floor ?? '';
	const known = new Set(Object.values(seen).flatMap((entries) => entries.map((entry) => entry.slice(6))));
	const equals = new Map<string, number>();
	const fresh: T[] = [];

	for (const record of records) {
		const base = identity(record);
		const occurrence = (equals.get(base) ?? 0) + 1;
		equals.set(base, occurrence);
		const hash = hashOf(`${base}#${occurrence}`);
		if (known.has(hash)) continue;
		const time = compactTime(record.receivedAt);
		if (floor !== '' && time !== '' && time <= floor) continue;
		known.add(hash);
		fresh.push(record);
		const day = time.slice(0, 8);
		(seen[day] ??= []).push(`${time.slice(8) || '000000'}${hash}`);
	}

	// Forget days older than RETAIN_DAYS; no poll asks for them again.
	const oldest = chinaDay(now, RETAIN_DAYS);
	for (const day of Object.keys(seen)) if (day !== '' && day < oldest) delete seen[day];

	// Then the oldest records past MAX_REMEMBERED, raising the floor to the newest of them.
	const total = () => Object.values(seen).reduce((sum, entries) => sum + entries.length, 0);
	let excess = total() - MAX_REMEMBERED;
	for (const day of Object.keys(seen).sort()) {
		if (excess <= 0) break;
		seen[day].sort();
		const dropped = seen[day].splice(0, Math.min(excess, seen[day].length));
		excess -= dropped.length;
		if (day !== '' && dropped.length > 0) {
			const newest = `${day}${dropped[dropped.length - 1].slice(0, 6)}`;
			if (newest > floor) floor = newest;
		}
		if (seen[day].length === 0) delete seen[day];
	}

	return { fresh, memory: { ...memory, seen, ...(floor ? { floor } : {}) } };
}
