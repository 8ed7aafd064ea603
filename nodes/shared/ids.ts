import { randomBytes } from 'crypto';

/**
 * A new id of 28 letters and digits (the time, then 64 random bits): unique across processes and
 * machines, so queue-mode workers never collide, and within the 32 characters vendors allow.
 */
export function newBatchId(): string {
	return `n8n${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
}
