import { sleep } from 'n8n-workflow';

/**
 * Client-side rate limit per Coupa instance (Coupa allows 25 requests per second, burst of 20).
 *
 * One limiter per instance URL in this n8n process, shared by every node, execution and item, at
 * the credential's Requests per Second. It adapts, so that several n8n processes (queue-mode
 * workers), which cannot see each other, together stay under Coupa's limit with no setting beyond
 * that rate: a 429 lowers the local rate (AIMD, as TCP shares a link), which then climbs back
 * slowly while Coupa accepts, and the burst is given up for ten minutes (calls paced evenly, so
 * workers waking up together do not overrun Coupa's burst). A fresh limiter starts with half of the
 * burst, so workers starting together stay within it.
 *
 * A node's own Requests per Second option (older workflows) adds a second bucket for that node
 * only: it can lower the node's rate, never raise the instance's or slow other workflows.
 *
 * The limiter also measures Coupa's latency (from the slot granted to the answer), which sets how
 * many pages a listing keeps in flight: enough to reach the rate, and no more.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 24;
/** Coupa's own rate. */
const COUPA_RATE = 25;
/**
 * The burst: what the rate carries in 0.75 s, at most 18 of Coupa's 20 (two less, as calls sent
 * evenly can reach Coupa bunched). Proportional, so processes that share the instance at 24/n per
 * second each also share its burst.
 */
const BURST_SECONDS = 0.75;
const MAX_BURST = 18;
/** After a 429, no burst for ten minutes: calls are paced evenly while others share the limit. */
const SHARED_FOR_MS = 600_000;
/**
 * The first 429 halves the rate: two processes that started together at full rate then share it
 * in one step. Later ones (the share being probed) take 30 % off.
 */
const FIRST_DECREASE = 0.5;
const DECREASE = 0.7;
/**
 * Recovery, as TCP's CUBIC: quickly (2/s each second) back to 90 % of the rate that met the 429,
 * then slowly (0.1/s each second) beyond it, so processes sharing Coupa probe it gently and meet
 * a 429 rarely.
 */
const PLATEAU = 0.9;
const FAST_RECOVERY = 2;
const SLOW_RECOVERY = 0.1;
const MIN_RATE = 1;
/** Most pages in flight for one listing, whatever the latency. */
const MAX_PAGES_IN_FLIGHT = 16;

export interface RequestOutcome {
	/** The HTTP status of the answer, when there was one. */
	status?: number;
}

/** A granted request: tell the limiter how it ended, so it learns the latency and backs off on 429. */
export interface RequestSlot {
	release(outcome: RequestOutcome): void;
}

export class RateLimiter {
	/** Average latency of successful calls (ms), once one was measured. */
	latencyMs: number | undefined;
	lastUsedAt = Date.now();

	private ceiling: number;
	/** While recovering from a 429: the rate it dropped to, the rate recovered quickly, and when. */
	private reducedTo: number | undefined;
	private plateau = 0;
	private reducedAt = -Infinity;
	private tokens: number;
	private updatedAt = Date.now();
	/** Callers waiting, in arrival order, so no request starves. */
	private queue: Promise<void> = Promise.resolve();

	constructor(
		perSecond: number,
		private readonly adaptive = true,
	) {
		this.ceiling = perSecond;
		// A fresh limiter holds half its burst: processes starting together stay within Coupa's.
		this.tokens = adaptive ? this.burst() / 2 : this.burst();
	}

	/** The rate now: the ceiling, or less while recovering from a 429. */
	rate(now = Date.now()): number {
		if (this.reducedTo === undefined) return this.ceiling;
		const seconds = (now - this.reducedAt) / 1000;
		const fastFor = Math.max(0, (this.plateau - this.reducedTo) / FAST_RECOVERY);
		const rate =
			seconds <= fastFor
				? this.reducedTo + FAST_RECOVERY * seconds
				: Math.max(this.reducedTo, this.plateau) + SLOW_RECOVERY * (seconds - fastFor);
		if (rate < this.ceiling) return rate;
		this.reducedTo = undefined;
		return this.ceiling;
	}

	/** Within ten minutes of a 429: others share Coupa's limit. */
	private sharing(now: number): boolean {
		return now - this.reducedAt < SHARED_FOR_MS;
	}

	/** The burst: none (even pacing) while sharing. */
	private burst(now = Date.now()): number {
		if (this.sharing(now)) return 1;
		return Math.max(1, Math.min(MAX_BURST, Math.round(this.ceiling * BURST_SECONDS)));
	}

	/** Waits for a slot under `perSecond` (0: no wait, the latency is still measured). */
	async acquire(perSecond: number): Promise<RequestSlot> {
		this.lastUsedAt = Date.now();
		if (perSecond > 0) {
			this.ceiling = perSecond;
			const turn = this.queue.then(async () => {
				for (;;) {
					const now = Date.now();
					const rate = this.rate(now);
					this.tokens = Math.min(
						this.burst(now),
						this.tokens + ((now - this.updatedAt) / 1000) * rate,
					);
					this.updatedAt = now;
					if (this.tokens >= 1) {
						this.tokens -= 1;
						return;
					}
					await sleep(Math.ceil(((1 - this.tokens) / rate) * 1000));
				}
			});
			this.queue = turn;
			await turn;
		}
		const grantedAt = Date.now();
		return { release: (outcome) => this.learn(grantedAt, outcome) };
	}

	private learn(grantedAt: number, { status }: RequestOutcome): void {
		const now = Date.now();
		if (status === 429) {
			// Calls granted before the last decrease tell nothing about the rate since.
			if (!this.adaptive || grantedAt < this.reducedAt) return;
			const met = this.rate(now);
			this.reducedTo = Math.max(MIN_RATE, met * (this.sharing(now) ? DECREASE : FIRST_DECREASE));
			this.plateau = met * PLATEAU;
			this.reducedAt = now;
			this.tokens = Math.min(this.tokens, 0);
			return;
		}
		if (status !== undefined && status >= 200 && status < 300) {
			const sample = now - grantedAt;
			this.latencyMs = this.latencyMs === undefined ? sample : 0.7 * this.latencyMs + 0.3 * sample;
		}
	}
}

const instances = new Map<string, RateLimiter>();
const nodeLimiters = new Map<string, RateLimiter>();

/** The limiter of one Coupa instance in this process. */
export function instanceLimiter(
	instance: string,
	perSecond = DEFAULT_REQUESTS_PER_SECOND,
): RateLimiter {
	let limiter = instances.get(instance);
	if (!limiter) {
		limiter = new RateLimiter(perSecond);
		instances.set(instance, limiter);
	}
	return limiter;
}

/** A node's own cap (the node option), forgotten after ten idle minutes. */
function nodeLimiter(key: string, perSecond: number): RateLimiter {
	const now = Date.now();
	for (const [other, limiter] of nodeLimiters) {
		if (now - limiter.lastUsedAt > 600_000) nodeLimiters.delete(other);
	}
	let limiter = nodeLimiters.get(key);
	if (!limiter) {
		limiter = new RateLimiter(perSecond, false);
		nodeLimiters.set(key, limiter);
	}
	return limiter;
}

/** Who limits a call: the instance at the credential's rate, and optionally one node lower still. */
export interface RequestRates {
	instance: string;
	/** The credential's Requests per Second (0: the instance is not limited). */
	perSecond: number;
	/** A node's own, lower cap. */
	node?: { key: string; perSecond: number };
}

/** Waits for a slot under every limit that applies to the call. */
export async function acquireRequestSlot(rates: RequestRates): Promise<RequestSlot> {
	const { node } = rates;
	if (node && node.perSecond > 0 && (node.perSecond < rates.perSecond || !(rates.perSecond > 0))) {
		await nodeLimiter(node.key, node.perSecond).acquire(node.perSecond);
	}
	return await instanceLimiter(rates.instance, rates.perSecond).acquire(rates.perSecond);
}

/** The rate the calls of `rates` can reach now (Coupa's own when no limit is set). */
function reachableRate(rates: RequestRates): number {
	const limiter = instances.get(rates.instance);
	let rate = rates.perSecond > 0 ? (limiter?.rate() ?? rates.perSecond) : COUPA_RATE;
	if (rates.node && rates.node.perSecond > 0) rate = Math.min(rate, rates.node.perSecond);
	return rate;
}

/**
 * Pages a listing keeps in flight: the requests the reachable rate carries during one measured
 * round trip, plus two so the pipe never drains. Two before anything was measured.
 */
export function pagesInFlight(rates: RequestRates): number {
	const latency = instances.get(rates.instance)?.latencyMs;
	if (latency === undefined) return 2;
	return Math.min(MAX_PAGES_IN_FLIGHT, Math.ceil((reachableRate(rates) * latency) / 1000) + 2);
}

/**
 * Ranges read past the first page before the listing's end is known: worth it only where the
 * latency would otherwise idle the rate (a round trip carries more than four calls, about 170 ms
 * at 24 per second), and at most two (each may be wasted on a short listing).
 */
export function speculativePages(rates: RequestRates): number {
	return Math.max(0, Math.min(2, pagesInFlight(rates) - 6));
}
