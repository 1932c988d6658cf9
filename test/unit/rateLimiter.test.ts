/** The limiter's arithmetic under a fake clock: bursts, pacing and the back-off after a 429. */
import { RateLimiter } from '../../nodes/shared/transport/rateLimiter';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** Asks for `count` slots at once; returns when each was granted, in ms after the asking. */
async function grants(
	limiter: RateLimiter,
	perSecond: number,
	count: number,
	forMs: number,
): Promise<number[]> {
	const start = Date.now();
	const times: number[] = [];
	for (let i = 0; i < count; i++)
		void limiter.acquire(perSecond).then(() => times.push(Date.now() - start));
	await jest.advanceTimersByTimeAsync(forMs);
	return times;
}

test('a fresh limiter at 12 per second grants half its burst of 9 at once, then one every 1/12 s', async () => {
	const times = await grants(new RateLimiter(12), 12, 20, 3000);
	expect(times).toHaveLength(20);
	expect(times.filter((t) => t === 0)).toHaveLength(4);
	// The fifth waits for the half token left (1/24 s), each later one for a whole token (1/12 s).
	expect(times[4]).toBeGreaterThanOrEqual(Math.floor(1000 / 24));
	const gaps = times.slice(5).map((t, i) => t - times[4 + i]);
	for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(Math.floor(1000 / 12) - 1);
});

test('an idle limiter at 24 per second refills to its burst of 18, no more', async () => {
	const limiter = new RateLimiter(24);
	await grants(limiter, 24, 9, 0);
	await jest.advanceTimersByTimeAsync(60_000);
	const times = await grants(limiter, 24, 30, 0);
	expect(times).toHaveLength(18);
});

test('the first 429 halves the rate and ends the burst', async () => {
	const limiter = new RateLimiter(24);
	const slot = await limiter.acquire(24);
	slot.release({ status: 429 });
	expect(limiter.rate()).toBeCloseTo(12, 5);
	const times = await grants(limiter, 24, 5, 0);
	expect(times.length).toBeLessThanOrEqual(1);
});

test('a limiter turned off (0 per second) never waits', async () => {
	const times = await grants(new RateLimiter(24), 0, 100, 0);
	expect(times).toHaveLength(100);
});
