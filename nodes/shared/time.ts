/**
 * Vendor times here are China time (UTC+8, no daylight saving) without an offset, such as
 * `2017-04-21 22:42:22` or `20160823143033`. Returns ISO 8601 with `+08:00`, or undefined when the
 * value is not such a time.
 */
export function chinaTimeToIso(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	const match =
		/^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text) ??
		/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second = '00'] = match;
	const pad = (part: string) => part.padStart(2, '0');
	return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}+08:00`;
}

/** The current time in China as `yyyy-MM-dd`, for date defaults. */
export function chinaDate(now = new Date()): string {
	return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
