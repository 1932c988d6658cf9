/**
 * Get Many's paging: 50 records a call, in Coupa's order, until a short page or the limit.
 *
 * The first pages are read one by one, so a small listing costs exactly one call per page and
 * never a wasted one. A listing that keeps going then reads a few offsets ahead at once (Coupa's
 * latency, not its rate limit, is what a sequential loop waits on), stopping at the first short
 * page: at most `concurrency - 1` calls beyond the end are wasted.
 */
export const PAGE_SIZE = 50;

export interface PagingOptions {
	/** Most records to return (Infinity for Return All). */
	limit: number;
	/** Pages read one by one before reading ahead. */
	sequentialPages?: number;
	/** Pages in flight at once after that. */
	concurrency?: number;
}

/** Reads `size` records at `offset`. */
export type PageReader<T> = (offset: number, size: number) => Promise<T[]>;

export async function readRecords<T>(read: PageReader<T>, options: PagingOptions): Promise<T[]> {
	const { limit, sequentialPages = 3, concurrency = 4 } = options;
	const sizeOf = (index: number) => Math.min(PAGE_SIZE, limit - index * PAGE_SIZE);
	const pages: T[][] = [];

	for (let index = 0; index < sequentialPages; index++) {
		if (sizeOf(index) <= 0) return flatten(pages);
		const page = await read(index * PAGE_SIZE, sizeOf(index));
		pages.push(page);
		if (page.length < sizeOf(index)) return flatten(pages);
	}

	const ahead = new Map<number, T[]>();
	const inFlight = new Set<Promise<void>>();
	let shortPage = Infinity;
	let next = sequentialPages;
	let failure: { error: unknown } | undefined;
	const launch = (index: number) => {
		const size = sizeOf(index);
		const call: Promise<void> = read(index * PAGE_SIZE, size)
			.then((page) => {
				ahead.set(index, page);
				if (page.length < size) shortPage = Math.min(shortPage, index);
			})
			.catch((error: unknown) => {
				failure ??= { error };
			})
			.finally(() => inFlight.delete(call));
		inFlight.add(call);
	};
	for (;;) {
		while (!failure && inFlight.size < concurrency && next < shortPage && sizeOf(next) > 0) launch(next++);
		if (inFlight.size === 0) break;
		await Promise.race(inFlight);
		if (failure) {
			await Promise.allSettled(inFlight);
			throw failure.error;
		}
	}
	for (let index = sequentialPages; index <= Math.min(shortPage, next - 1); index++) {
		pages.push(ahead.get(index) ?? []);
	}
	return flatten(pages);
}

/** One copy at the end, not one per page: memory stays linear in the records read. */
function flatten<T>(pages: T[][]): T[] {
	const records: T[] = [];
	for (const page of pages) for (const record of page) records.push(record);
	return records;
}
