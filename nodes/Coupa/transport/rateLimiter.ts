import { sleep } from 'n8n-workflow';

/**
 * A token bucket per Coupa instance, shared by every node and execution in this n8n process, so
 * concurrent pages and parallel workflows stay under Coupa's limit (25 requests per second, burst
 * of 20) instead of provoking 429s. Slightly below Coupa's figures: other clients share the limit.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 24;
const BURST = 18;

interface Bucket {
	tokens: number;
	updatedAt: number;
	/** Callers waiting, in arrival order, so no request starves. */
	queue: Promise<void>;
}

const buckets = new Map<string, Bucket>();

/** Waits until one more request to `instance` fits under `perSecond` (0 = no limit). */
export async function acquireRequestSlot(instance: string, perSecond = DEFAULT_REQUESTS_PER_SECOND): Promise<void> {
	if (!(perSecond > 0)) return;
	let bucket = buckets.get(instance);
	if (!bucket) {
		bucket = { tokens: Math.min(BURST, perSecond), updatedAt: Date.now(), queue: Promise.resolve() };
		buckets.set(instance, bucket);
	}
	const current = bucket;
	const turn = current.queue.then(async () => {
		for (;;) {
			const now = Date.now();
			current.tokens = Math.min(BURST, current.tokens + ((now - current.updatedAt) / 1000) * perSecond);
			current.updatedAt = now;
			if (current.tokens >= 1) {
				current.tokens -= 1;
				return;
			}
			await sleep(Math.ceil(((1 - current.tokens) / perSecond) * 1000));
		}
	});
	current.queue = turn;
	await turn;
}
