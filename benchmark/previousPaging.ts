/**
 * The previous release's keyset paging for Return All (commit 53eab62), kept for the benchmark
 * only: `npm run bench` runs it beside the current paging on the same ids, latency and limiter.
 * Ranges were sized from the density of the first and last pages, so ids not evenly spread
 * (stragglers, clusters) were read by one chain. Not shipped: nothing under nodes/ imports it.
 */
import type {
	KeyedReader,
	KeyOf,
	KeyRange,
	PagingLimits,
} from '../nodes/shared/transport/pagination';

const PAGE_SIZE = 50;

/** The previous limits: Return All asked for its last page with its first where the latency was high or not measured. */
export interface PreviousLimits extends PagingLimits {
	lastPageFirst?: () => boolean;
}

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
export async function previousReadByKey<T>(
	read: KeyedReader<T>,
	keyOf: KeyOf<T>,
	limits: PreviousLimits,
): Promise<T[]> {
	const { limit } = limits;
	const returnAll = limit === Infinity;
	const density = new Density();

	const firstRange: KeyRange = {
		after: -Infinity,
		before: Infinity,
		size: Math.min(PAGE_SIZE, limit),
	};
	const topRange: KeyRange = { after: -Infinity, before: Infinity, size: PAGE_SIZE, fromTop: true };
	const eagerTop = returnAll && limits.lastPageFirst?.() ? read(topRange) : undefined;
	eagerTop?.catch(() => undefined);
	const first = await read(firstRange);
	checkSize(first.length, firstRange.size, limits.refuse);
	const firstKeys = keysOf(first, keyOf, limits.refuse);
	checkKeys(firstKeys, firstRange, limits.refuse);
	if (first.length < firstRange.size || first.length >= limit) {
		await eagerTop?.catch(() => undefined); // not needed: the first page holds the whole listing
		return first;
	}
	const firstLast = firstKeys[firstKeys.length - 1];
	density.add(first.length, firstLast - firstKeys[0] + 1);

	const segments: Array<Segment<T>> = [
		{ after: firstLast, before: Infinity, records: [], reading: false, done: false },
	];
	let top: T[] | undefined;
	let topLaunched = !returnAll;
	const calls = new Calls();
	const count = () =>
		first.length + segments.reduce((sum, s) => sum + s.records.length, 0) + (top?.length ?? 0);

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

	/** Everything at or above `bound` came with the last page: the ranges stop below it. */
	const closeAt = (bound: number) => {
		for (const segment of segments) {
			segment.records = segment.records.filter((record) => (keyOf(record) as number) < bound);
			segment.before = Math.min(segment.before, bound);
			if (segment.after >= segment.before - 1) segment.done = true;
		}
	};

	const readTop = async () => {
		const page = await (eagerTop ?? read(topRange));
		checkSize(page.length, topRange.size, limits.refuse);
		const keys = keysOf(page, keyOf, limits.refuse);
		checkKeys(keys, topRange, limits.refuse);
		// A short last page holds every record after the first page: nothing is left between.
		const bound = page.length === PAGE_SIZE ? keys[keys.length - 1] : -Infinity;
		if (page.length === PAGE_SIZE) density.add(page.length, keys[0] - bound + 1);
		top = page.filter((_, index) => keys[index] > firstLast).reverse();
		closeAt(Math.max(bound, firstLast + 1));
		checkCeiling(count(), limits);
	};

	/** The key a Limit's last record is expected at, from the density of keys seen. */
	const limitEnd = () =>
		firstLast + Math.ceil(((limit - first.length) * density.pageWidth) / PAGE_SIZE);

	const sizeFor = (segment: Segment<T>) => {
		if (returnAll) return PAGE_SIZE;
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

	/** A Limit's range open above, past where the Limit is expected to end: read only if the ranges below fall short. */
	const parked = (segment: Segment<T>) =>
		!returnAll &&
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
		if (segment.done) return; // closed by the last page meanwhile: those records came with it
		const last = keys.length ? keys[keys.length - 1] : undefined;
		density.add(
			page.length,
			page.length === range.size && last !== undefined
				? last - range.after
				: range.before - range.after - 1,
		);
		// The range may have been split or closed while the call was out: keep what is still ours.
		for (let index = 0; index < page.length && keys[index] < segment.before; index++)
			segment.records.push(page[index]);
		if (page.length < range.size || last === undefined || last >= segment.before - 1)
			segment.done = true;
		else segment.after = last;
		checkCeiling(count(), limits);
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
			let end: number;
			if (Number.isFinite(segment.before)) end = segment.before - 1;
			else if (!returnAll) end = limitEnd();
			else end = start + width; // before the last page is known: one page at a time
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

	const finished = () => {
		if (returnAll) return top !== undefined && segments.every((s) => s.done);
		return segments.every((s) => s.done) || completePrefix() >= limit;
	};

	while (!calls.failure && !finished()) {
		while (!calls.failure && calls.size < Math.max(1, limits.concurrency())) {
			if (!topLaunched) {
				topLaunched = true;
				calls.launch(readTop);
				continue;
			}
			// Until the last page bounds the ids (a Limit never asks for it), ranges past the chain
			// after the first page are speculative: few, so a short listing wastes few calls.
			const reading = segments.filter((s) => s.reading).length;
			if (!top && reading >= (returnAll ? 0 : 1) + (limits.speculation?.() ?? 0)) break;
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
	for (const record of top ?? []) records.push(record);
	return returnAll ? records : records.slice(0, limit);
}
