/**
 * Get Many's paging: 50 records a call (Coupa's cap), ending for certain and skipping nothing.
 *
 * Keyset paging (`readByKey`) when the listing is in id order, Coupa's default: each call asks for
 * ids after the last one read (`id[gt]=<last>&order_by=id`), so a record deleted, inserted or
 * leaving the filter between two calls shifts nothing, unlike an offset. To read at Coupa's rate
 * limit whatever the latency and the spread of ids, several keyset calls are in flight at once:
 *   1. the first page alone, at any latency: a listing of one page costs one call;
 *   2. Return All (`readRest`): then the last page alone (`order_by=id&dir=desc`, ids above the
 *      first page's), so a listing of up to three pages costs what a sequential reader's does. The
 *      ids between are a gap read from both ends (upward from below, downward from above), so each
 *      call lands on records however the ids are spread (sparse, clustered, a few old stragglers);
 *      free calls open the other end of a gap, or cut the gap expected to hold the most records
 *      into parts, each read from its cut. Where a gap's ends meet, at most one page is short;
 *   3. a Limit (`readUpTo`): reads on from the first page, ranges ahead sized from the density of
 *      ids seen, up to where the Limit is expected to end, a few more where the latency is high.
 *   A range ends on a short page, or on a page reaching its bound (densely numbered records cost
 *   one call per 50).
 *
 * Offset paging (`readByOffset`) when the user orders by another field: Coupa has no keyset on
 * arbitrary fields. Records read twice (the order shifted) are dropped; a page of nothing new
 * (Coupa ignoring the offset) stops with an error. A record moving earlier in the order between
 * two calls can still be missed there: docs/coupa-node.md says so and advises id order for exports.
 *
 * Both stop with the caller's error (`refuse`) on a page longer than asked, records out of the
 * order or range asked, and past `maxRecords`: a misbehaving server never makes a listing run
 * forever.
 */
export const PAGE_SIZE = 50;

/** Return All's ceiling unless the user raises it: a listing this long is probably a mistake. */
export const DEFAULT_MAX_RECORDS = 100_000;

/** Offset paging reads at most this many pages ahead: up to this many minus one calls past the end. */
const OFFSET_READ_AHEAD = 4;

export interface PagingLimits {
	/** Records wanted: a whole number, or Infinity for Return All. */
	limit: number;
	/** Reading more records than this stops with an error (Return All's safety ceiling). */
	maxRecords: number;
	/** Pages to keep in flight now; asked before each launch, so it follows the measured latency. */
	concurrency: () => number;
	/** A Limit's ranges read ahead of the chain after its first page (each may be wasted on a short listing). */
	speculation?: () => number;
	/** The error that stops a listing the server breaks; the message says what it did. */
	refuse: (message: string) => Error;
}

/** One keyset call: records with `after < key < before`, ascending; `fromTop` asks for the highest keys, descending. */
export interface KeyRange {
	after: number;
	before: number;
	size: number;
	fromTop?: boolean;
}

export type KeyedReader<T> = (range: KeyRange) => Promise<T[]>;

/** A record's position on the key axis (a whole number), or undefined when it has none. */
export type KeyOf<T> = (record: T) => number | undefined;

interface Segment<T> {
	/** Exclusive bounds: the keys this range still has to read. */
	after: number;
	before: number;
	records: T[];
	reading: boolean;
	done: boolean;
}

/** Records per key, from every page read: sizes ranges so that one holds about a page. */
class Density {
	private records = 0;
	private span = 0;

	add(records: number, span: number): void {
		if (span > 0 && Number.isFinite(span)) {
			this.records += records;
			this.span += span;
		}
	}

	/** Keys a page of records is expected to cover (at least 1). */
	get pageWidth(): number {
		if (this.records === 0) return PAGE_SIZE;
		return Math.max(1, Math.round((PAGE_SIZE * this.span) / this.records));
	}
}

function keysOf<T>(page: T[], keyOf: KeyOf<T>, refuse: PagingLimits['refuse']): number[] {
	return page.map((record, index) => {
		const key = keyOf(record);
		if (key === undefined || !Number.isSafeInteger(key)) {
			throw refuse(
				`Record ${index + 1} of a page has no whole-number id: the listing cannot be paged safely`,
			);
		}
		return key;
	});
}

function checkSize(length: number, size: number, refuse: PagingLimits['refuse']): void {
	if (length > size) {
		throw refuse(
			`Coupa sent ${length} records for a page of ${size}: the paging would repeat or skip records`,
		);
	}
}

/** A keyset page must hold only keys in the range asked, strictly ascending (descending from the top). */
function checkKeys(keys: number[], range: KeyRange, refuse: PagingLimits['refuse']): void {
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index];
		if (key <= range.after || key >= range.before) {
			throw refuse(
				`Coupa sent record id ${key} for ids after ${range.after}${Number.isFinite(range.before) ? ` and before ${range.before}` : ''}: it ignored the id condition`,
			);
		}
		if (index > 0 && (range.fromTop ? key >= keys[index - 1] : key <= keys[index - 1])) {
			throw refuse(
				'Coupa sent a page out of id order: it ignored order_by=id, so the listing cannot be paged safely',
			);
		}
	}
}

function checkCeiling(count: number, { maxRecords, refuse }: PagingLimits): void {
	if (count > maxRecords) {
		throw refuse(
			`Stopped after ${maxRecords} records: the listing goes on beyond the Max Records option. Raise it if this many records are expected, or narrow the filters.`,
		);
	}
}

/** Runs page calls concurrently; the first failure stops new launches and is thrown once all have settled. */
class Calls {
	private readonly inFlight = new Set<Promise<void>>();
	failure: { error: unknown } | undefined;

	get size(): number {
		return this.inFlight.size;
	}

	launch(call: () => Promise<void>): void {
		const running: Promise<void> = call()
			.catch((error: unknown) => {
				this.failure ??= { error };
			})
			.finally(() => this.inFlight.delete(running));
		this.inFlight.add(running);
	}

	async next(): Promise<void> {
		if (this.inFlight.size) await Promise.race(this.inFlight);
	}

	/** Waits for every call (none is left running after the listing returns), then throws a failure. */
	async settle(): Promise<void> {
		await Promise.allSettled([...this.inFlight]);
		if (this.failure) throw this.failure.error;
	}
}

/** Keyset paging in key order; see the file's comment. `read` receives bounds, never an offset. */
export async function readByKey<T>(
	read: KeyedReader<T>,
	keyOf: KeyOf<T>,
	limits: PagingLimits,
): Promise<T[]> {
	const { limit } = limits;
	// The first page alone, at any latency: a listing of one page costs one call.
	const firstRange: KeyRange = {
		after: -Infinity,
		before: Infinity,
		size: Math.min(PAGE_SIZE, limit),
	};
	const first = await read(firstRange);
	checkSize(first.length, firstRange.size, limits.refuse);
	const firstKeys = keysOf(first, keyOf, limits.refuse);
	checkKeys(firstKeys, firstRange, limits.refuse);
	if (first.length < firstRange.size || first.length >= limit) return first;
	if (limit === Infinity) return await readRest(read, keyOf, limits, first, firstKeys);
	return await readUpTo(read, keyOf, limits, first, firstKeys);
}

/** A Limit after its first page: ranges above it, sized from the density of ids, up to where the Limit is expected to end. */
async function readUpTo<T>(
	read: KeyedReader<T>,
	keyOf: KeyOf<T>,
	limits: PagingLimits,
	first: T[],
	firstKeys: number[],
): Promise<T[]> {
	const { limit } = limits;
	const density = new Density();
	const firstLast = firstKeys[firstKeys.length - 1];
	density.add(first.length, firstLast - firstKeys[0] + 1);

	const segments: Array<Segment<T>> = [
		{ after: firstLast, before: Infinity, records: [], reading: false, done: false },
	];
	const calls = new Calls();

	/**
	 * Records read without a gap from the lowest key: what a Limit can return. A range's records
	 * always run without a gap from its start, so the first unfinished range still counts.
	 */
	const completePrefix = () => {
		let total = first.length;
		for (const segment of segments) {
			total += segment.records.length;
			if (!segment.done) break;
		}
		return total;
	};

	/** The key a Limit's last record is expected at, from the density of keys seen. */
	const limitEnd = () =>
		firstLast + Math.ceil(((limit - first.length) * density.pageWidth) / PAGE_SIZE);

	const sizeFor = (segment: Segment<T>) => {
		let below = first.length;
		for (const other of segments) {
			if (other === segment) break;
			if (!other.done) {
				// The range open above asks only for the keys up to where the Limit is expected to end.
				return Number.isFinite(segment.before)
					? PAGE_SIZE
					: Math.max(1, Math.min(PAGE_SIZE, limitEnd() - segment.after));
			}
			below += other.records.length;
		}
		// The lowest open range asks for exactly what the Limit still misses.
		return Math.max(1, Math.min(PAGE_SIZE, limit - below - segment.records.length));
	};

	/** The range open above, past where the Limit is expected to end: read only if the ranges below fall short. */
	const parked = (segment: Segment<T>) =>
		!Number.isFinite(segment.before) &&
		segment.after >= limitEnd() &&
		segments.some((other) => other !== segment && !other.done);

	const readSegment = async (segment: Segment<T>) => {
		const range: KeyRange = {
			after: segment.after,
			before: segment.before,
			size: sizeFor(segment),
		};
		segment.reading = true;
		let page: T[];
		try {
			page = await read(range);
		} finally {
			segment.reading = false;
		}
		checkSize(page.length, range.size, limits.refuse);
		const keys = keysOf(page, keyOf, limits.refuse);
		checkKeys(keys, range, limits.refuse);
		if (segment.done) return;
		const last = keys.length ? keys[keys.length - 1] : undefined;
		density.add(
			page.length,
			page.length === range.size && last !== undefined
				? last - range.after
				: range.before - range.after - 1,
		);
		// The range may have been split while the call was out: keep what is still ours.
		for (let index = 0; index < page.length && keys[index] < segment.before; index++)
			segment.records.push(page[index]);
		if (page.length < range.size || last === undefined || last >= segment.before - 1)
			segment.done = true;
		else segment.after = last;
	};

	/**
	 * Cuts a range being read so another call can start on its upper part. The part expected from
	 * the call in flight stays; the rest is halved at a multiple of a page's width, so ranges of
	 * densely numbered records end exactly on full pages.
	 */
	const split = (): boolean => {
		const width = density.pageWidth;
		let best: { segment: Segment<T>; at: number; pages: number } | undefined;
		for (const segment of segments) {
			if (segment.done || !segment.reading) continue;
			const start = segment.after + width;
			const end = Number.isFinite(segment.before) ? segment.before - 1 : limitEnd();
			const pages = (end - start) / width;
			if (pages < 1 || (best && best.pages >= pages)) continue;
			best = { segment, at: Math.floor(start + width * Math.floor(pages / 2)), pages };
		}
		if (!best) return false;
		const { segment, at } = best;
		segments.splice(segments.indexOf(segment) + 1, 0, {
			after: at,
			before: segment.before,
			records: [],
			reading: false,
			done: false,
		});
		segment.before = at + 1;
		return true;
	};

	const finished = () => segments.every((s) => s.done) || completePrefix() >= limit;

	while (!calls.failure && !finished()) {
		while (!calls.failure && calls.size < Math.max(1, limits.concurrency())) {
			// Ranges past the chain after the first page may be wasted on a short listing: few of them.
			const reading = segments.filter((s) => s.reading).length;
			if (reading >= 1 + (limits.speculation?.() ?? 0)) break;
			const idle = segments.find((s) => !s.done && !s.reading && !parked(s));
			if (idle) calls.launch(async () => await readSegment(idle));
			else if (!split()) break;
		}
		if (calls.size === 0) break;
		await calls.next();
	}
	await calls.settle();

	const records = [...first];
	for (const segment of segments) for (const record of segment.records) records.push(record);
	return records.slice(0, limit);
}

/**
 * Keys not read yet: the whole numbers strictly between `after` and `before`, with the density of
 * records (per key) last seen at each end (NaN: not seen).
 */
interface Gap {
	after: number;
	before: number;
	low: number;
	high: number;
}

/** A call in flight on a gap's end: the keys it asked for, upward from `after` or downward from `before`. */
interface Front {
	up: boolean;
	after: number;
	before: number;
}

/**
 * Return All after its first full page. Every gap between the keys read is read from both ends
 * by keyset calls (upward from below, downward from above), so a call always lands on records
 * whatever the spread of ids: empty stretches of ids cost nothing, and where the two ends of a gap
 * meet at most one page is short. A free call goes, in turn, to a gap end nobody reads, to the
 * other end of a gap still holding two pages or more, or splits the gap holding the most records
 * (estimated from the density of ids seen at its two ends) in its middle, which opens two ends.
 * Records are kept by key: what two calls both read (a gap's ends meeting, a record moved) is
 * returned once, and the whole in key order.
 */
async function readRest<T>(
	read: KeyedReader<T>,
	keyOf: KeyOf<T>,
	limits: PagingLimits,
	first: T[],
	firstKeys: number[],
): Promise<T[]> {
	const records = new Map<number, T>();
	first.forEach((record, index) => records.set(firstKeys[index], record));
	const firstLast = firstKeys[firstKeys.length - 1];
	let gaps: Gap[] = [
		{
			after: firstLast,
			before: Infinity,
			low: first.length / (firstLast - firstKeys[0] + 1),
			high: NaN,
		},
	];
	const fronts: Front[] = [];
	const calls = new Calls();

	/**
	 * Whether a call in flight reads the gap's lower (upper) end: one that started there, or below it
	 * (above it) with every key between read meanwhile by others, whose page will reach the gap.
	 */
	const served = (gap: Gap, up: boolean) =>
		fronts.some((front) => {
			if (front.up !== up) return false;
			if (
				up
					? front.after > gap.after || front.before <= gap.after + 1
					: front.before < gap.before || front.after >= gap.before - 1
			)
				return false;
			// The keys the call passes before it reaches the gap: none may be left to read.
			const [lowest, highest] = up ? [front.after + 1, gap.after] : [gap.before, front.before - 1];
			return !gaps.some(
				(other) =>
					other !== gap && Math.max(lowest, other.after + 1) <= Math.min(highest, other.before - 1),
			);
		});
	const density = (gap: Gap) => {
		const known = [gap.low, gap.high].filter((value) => Number.isFinite(value));
		return known.length ? known.reduce((sum, value) => sum + value, 0) / known.length : 1;
	};
	/** Records a gap is expected to hold beyond what the calls in flight on it bring. */
	const unread = (gap: Gap) => {
		if (!Number.isFinite(gap.before)) return Infinity;
		const inFlight = (served(gap, true) ? 1 : 0) + (served(gap, false) ? 1 : 0);
		return (
			Math.min(gap.before - gap.after - 1, (gap.before - gap.after - 1) * density(gap)) -
			inFlight * PAGE_SIZE
		);
	};

	/** Keys strictly between `x` and `y` are read: the gaps lose them, and learn the density seen at the new ends. */
	const cover = (x: number, y: number, seen: number) => {
		const next: Gap[] = [];
		for (const gap of gaps) {
			if (Math.max(gap.after, x) + 1 > Math.min(gap.before, y) - 1) {
				next.push(gap);
				continue;
			}
			if (x >= gap.after + 1)
				next.push({ after: gap.after, before: x + 1, low: gap.low, high: seen });
			if (y <= gap.before - 1)
				next.push({ after: y - 1, before: gap.before, low: seen, high: gap.high });
		}
		gaps = next.filter((gap) => gap.before - gap.after > 1);
	};

	const readFront = async (gap: Gap, up: boolean) => {
		const range: KeyRange = { after: gap.after, before: gap.before, size: PAGE_SIZE, fromTop: !up };
		const front: Front = { up, after: gap.after, before: gap.before };
		fronts.push(front);
		let page: T[];
		try {
			page = await read(range);
		} finally {
			fronts.splice(fronts.indexOf(front), 1);
		}
		checkSize(page.length, range.size, limits.refuse);
		const keys = keysOf(page, keyOf, limits.refuse);
		checkKeys(keys, range, limits.refuse);
		page.forEach((record, index) => {
			if (!records.has(keys[index])) records.set(keys[index], record);
		});
		checkCeiling(records.size, limits);
		if (page.length < range.size) {
			cover(range.after, range.before, NaN);
			return;
		}
		const far = keys[keys.length - 1];
		const near = up ? range.after : range.before;
		const span = Number.isFinite(near) ? Math.abs(far - near) : Math.abs(far - keys[0]) + 1;
		const seen = page.length / span;
		if (up) cover(range.after, far + 1, seen);
		else cover(far - 1, range.before, seen);
	};

	/**
	 * Cuts the gap expected to hold the most records, both of its ends being read, into as many
	 * parts as the free calls can start on (two ends each), where equal shares of its unread records
	 * are expected: the calls in flight fill up in one round trip, not one doubling per round trip.
	 */
	const split = (free: number): boolean => {
		let best: { gap: Gap; records: number } | undefined;
		for (const gap of gaps) {
			// Both ends read and their densities seen: the cuts land past where the calls in flight reach.
			if (
				!Number.isFinite(gap.low) ||
				!Number.isFinite(gap.high) ||
				!served(gap, true) ||
				!served(gap, false)
			)
				continue;
			const records = unread(gap);
			if (records >= 2 * PAGE_SIZE && (!best || records > best.records)) best = { gap, records };
		}
		if (!best) return false;
		const { gap, records } = best;
		const { low, high } = gap;
		// The keys the calls in flight are expected to cover; the density between taken to go
		// linearly from one end's to the other's.
		const from = gap.after + PAGE_SIZE / low;
		const to = gap.before - PAGE_SIZE / high;
		if (to - from < 2) return false;
		const parts = Math.max(
			2,
			Math.min(1 + Math.floor(free / 2), Math.floor(records / (2 * PAGE_SIZE))),
		);
		// Where the density is even, whole pages above the lower end: densely numbered ranges end on a
		// full page reaching their bound; sparse ones, whose end only a short page proves, one record short of it.
		const even = Math.abs(high - low) <= 0.1 * Math.max(high, low);
		const width = PAGE_SIZE / low;
		const cuts: number[] = [];
		for (let part = 1; part < parts; part++) {
			const at = from + (to - from) * quantile(low, high, part / parts);
			const end = even
				? gap.after + 1 + width * (1 + Math.round((at - from) / width)) - (low < 0.99 ? 1 / low : 0)
				: at;
			const cut = Math.min(gap.before - 1, Math.max(gap.after + 2, Math.round(end)));
			if (cut > (cuts[cuts.length - 1] ?? gap.after + 1)) cuts.push(cut);
		}
		if (!cuts.length) return false;
		// Cut at c: keys below c on one side, from c on the other. The new inner ends have no density seen yet.
		const pieces: Gap[] = [...cuts, gap.before].map((before, index) => ({
			after: index ? cuts[index - 1] - 1 : gap.after,
			before,
			low: index ? NaN : gap.low,
			high: index === cuts.length ? gap.high : NaN,
		}));
		gaps.splice(gaps.indexOf(gap), 1, ...pieces);
		return true;
	};

	/** The next call, or undefined when none is worth making now. */
	const next = (free: number): { gap: Gap; up: boolean } | undefined => {
		const open = [...gaps].sort((a, b) => unread(b) - unread(a));
		for (const gap of open) {
			const up = served(gap, true);
			const down = served(gap, false);
			if (!up && !down) return { gap, up: Number.isFinite(gap.before) };
		}
		for (const gap of open) {
			if (!Number.isFinite(gap.before) || unread(gap) < PAGE_SIZE) continue;
			if (!served(gap, true)) return { gap, up: true };
			if (!served(gap, false)) return { gap, up: false };
		}
		return split(free) ? next(free) : undefined;
	};

	// The last page (from the top, above the first page's ids) alone: at any latency, a listing of
	// up to three pages costs exactly what a sequential reader's does (one call for two pages), and
	// once it is back every call lands on records whatever the spread of ids.
	calls.launch(async () => await readFront(gaps[0], false));

	while (!calls.failure && gaps.length) {
		while (!calls.failure && calls.size < Math.max(1, limits.concurrency())) {
			const call = next(Math.max(1, limits.concurrency()) - calls.size);
			if (!call) break;
			calls.launch(async () => await readFront(call.gap, call.up));
		}
		if (calls.size === 0) break;
		await calls.next();
	}
	await calls.settle();
	return [...records.keys()].sort((a, b) => a - b).map((key) => records.get(key) as T);
}

/**
 * Where, from 0 to 1 across a stretch whose density goes linearly from `low` to `high`, a share `q`
 * of its records lie below.
 */
export function quantile(low: number, high: number, q: number): number {
	if (!(low > 0) || !(high > 0) || Math.abs(high - low) < 1e-9 * (high + low)) return q;
	return (Math.sqrt(low * low + (high - low) * q * (low + high)) - low) / (high - low);
}

/** Reads `size` records at `offset` in the user's order. */
export type OffsetReader<T> = (offset: number, size: number) => Promise<T[]>;

/** Offset paging for a user-chosen order; see the file's comment. `idOf` tells records apart. */
export async function readByOffset<T>(
	read: OffsetReader<T>,
	idOf: KeyOf<T>,
	limits: PagingLimits,
): Promise<T[]> {
	const { limit } = limits;
	const records: T[] = [];
	const seen = new Set<number>();
	let dropped = 0;
	let previous: Array<number | undefined> | undefined;
	// Records read twice do not count toward the Limit: ask for that many more.
	const sizeOf = (index: number) => Math.min(PAGE_SIZE, limit + dropped - index * PAGE_SIZE);

	/** Adds one page in order; true when the listing ends with it. */
	const take = (page: T[], size: number): boolean => {
		checkSize(page.length, size, limits.refuse);
		const ids = page.map(idOf);
		if (
			page.length &&
			previous &&
			ids.length === previous.length &&
			ids.every((id, i) => id === previous?.[i])
		) {
			throw limits.refuse(
				'Coupa sent the same page twice: it seems to ignore the offset, so the listing would never end',
			);
		}
		previous = ids;
		let fresh = 0;
		page.forEach((record, index) => {
			const id = ids[index];
			if (id !== undefined && seen.has(id)) return;
			if (id !== undefined) seen.add(id);
			records.push(record);
			fresh++;
		});
		if (page.length && fresh === 0) {
			throw limits.refuse(
				'Coupa sent a page of records already read: it seems to ignore the offset, so the listing would never end',
			);
		}
		dropped += page.length - fresh;
		checkCeiling(records.length, limits);
		return page.length < size || records.length >= limit;
	};

	if (take(await read(0, sizeOf(0)), sizeOf(0))) return records.slice(0, limit);

	const pages = new Map<number, { page: T[]; size: number }>();
	const calls = new Calls();
	let next = 1;
	let assembled = 1;
	let ended = false;
	for (;;) {
		while (
			!ended &&
			!calls.failure &&
			calls.size < Math.min(OFFSET_READ_AHEAD, Math.max(1, limits.concurrency())) &&
			sizeOf(next) > 0
		) {
			const index = next++;
			const size = sizeOf(index);
			calls.launch(async () => {
				pages.set(index, { page: await read(index * PAGE_SIZE, size), size });
			});
		}
		if (calls.size === 0 && (ended || sizeOf(next) <= 0)) break;
		await calls.next();
		if (calls.failure) break;
		try {
			for (let ready = pages.get(assembled); !ended && ready; ready = pages.get(assembled)) {
				pages.delete(assembled++);
				ended = take(ready.page, ready.size);
			}
		} catch (error) {
			calls.failure = { error };
		}
		if (ended && calls.size === 0) break;
	}
	await calls.settle();
	return records.slice(0, limit);
}

/** The id bounds a user's filters may hold, folded into the paging's own. */
const ID_BOUNDS: Record<string, (value: number) => { above?: number; below?: number }> = {
	'id[gt]': (value) => ({ above: Math.floor(value) }),
	'id[gt_or_eq]': (value) => ({ above: Math.ceil(value) - 1 }),
	'id[lt]': (value) => ({ below: Math.ceil(value) }),
	'id[lt_or_eq]': (value) => ({ below: Math.floor(value) + 1 }),
};

/** How a Get Many query in id order is read by key: Coupa's parameters for one `KeyRange`. */
export interface KeysetPlan {
	/** The query without the user's id bounds: each call sends them merged with its range. */
	query: Record<string, unknown>;
	/** Descending ids: keys are negated ids, so the paging always reads keys upward. */
	descending: boolean;
	/** The user's own exclusive bounds on the id... */
	above: number;
	below: number;
	/** ...and the conditions that set them, sent as written unless a range's bound is stricter. */
	abovePair?: [string, unknown];
	belowPair?: [string, unknown];
}

/**
 * A keyset plan when the query reads in id order (no Order By, or Order By id), else undefined
 * (offset paging). A user's id bound that is not a number leaves the query to offset paging too:
 * Coupa judges it as sent.
 */
export function keysetPlan(query: Record<string, unknown>): KeysetPlan | undefined {
	const orderBy = query.order_by;
	if (orderBy !== undefined && orderBy !== '' && orderBy !== 'id') return undefined;
	const dir = query.dir ?? 'asc';
	if (dir !== 'asc' && dir !== 'desc') return undefined;
	const plan: KeysetPlan = {
		query: {},
		descending: dir === 'desc',
		above: -Infinity,
		below: Infinity,
	};
	for (const [key, value] of Object.entries(query)) {
		const bound = ID_BOUNDS[key];
		if (!bound) {
			// Own properties, whatever the name (a field may be called __proto__).
			if (key !== 'order_by' && key !== 'dir')
				Object.defineProperty(plan.query, key, {
					value,
					enumerable: true,
					writable: true,
					configurable: true,
				});
			continue;
		}
		const number =
			typeof value === 'number'
				? value
				: typeof value === 'string' && value.trim() !== ''
					? Number(value)
					: NaN;
		if (!Number.isFinite(number)) return undefined;
		const { above, below } = bound(number);
		if (above !== undefined && above > plan.above)
			[plan.above, plan.abovePair] = [above, [key, value]];
		if (below !== undefined && below < plan.below)
			[plan.below, plan.belowPair] = [below, [key, value]];
	}
	return plan;
}

/** Coupa's query for one range of a plan, or undefined when no id can fall in it (no call needed). */
export function keysetQuery(
	plan: KeysetPlan,
	range: KeyRange,
): Record<string, unknown> | undefined {
	const rangeAbove = plan.descending ? -range.before : range.after;
	const rangeBelow = plan.descending ? -range.after : range.before;
	const above = Math.max(plan.above, rangeAbove);
	const below = Math.min(plan.below, rangeBelow);
	if (above >= below - 1) return undefined;
	const upward = plan.descending === Boolean(range.fromTop);
	const lower: [string, unknown] | undefined =
		rangeAbove > plan.above ? ['id[gt]', above] : plan.abovePair;
	const upper: [string, unknown] | undefined =
		rangeBelow < plan.below ? ['id[lt]', below] : plan.belowPair;
	const query = { ...plan.query };
	for (const pair of [lower, upper]) if (pair) query[pair[0]] = pair[1];
	return { ...query, order_by: 'id', dir: upward ? 'asc' : 'desc', limit: range.size };
}

/** A record's Coupa id when it is a positive whole number. */
export function recordId(record: { id?: unknown }): number | undefined {
	const id =
		typeof record.id === 'string' && /^\d+$/.test(record.id) ? Number(record.id) : record.id;
	return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
