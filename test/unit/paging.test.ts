/**
 * The paging algorithm itself (nodes/shared/transport/pagination.ts), against an in-memory listing:
 * every id shape, how many calls, what changes meanwhile do. The engine-level behaviour is in
 * reads.test.ts and hostile-paging.test.ts.
 */
import type { KeyRange, PagingLimits } from '../../nodes/shared/transport/pagination';
import { PAGE_SIZE, quantile, readByKey } from '../../nodes/shared/transport/pagination';
import { ID_SHAPES, idsOf } from '../coupa-simulator/idShapes';

interface Listing {
	ids: number[];
	calls: KeyRange[];
	/** Called before each call is answered: lets a test change the listing between calls. */
	onCall?: (call: number, listing: Listing) => void;
}

/** A keyset reader over `listing.ids`, each answer a macrotask later, so calls overlap as over a network. */
function reader(listing: Listing) {
	return async (range: KeyRange): Promise<number[]> => {
		listing.calls.push(range);
		listing.onCall?.(listing.calls.length, listing);
		await new Promise((resolve) => setImmediate(resolve));
		const inside = listing.ids
			.filter((id) => id > range.after && id < range.before)
			.sort((a, b) => a - b);
		return range.fromTop ? inside.reverse().slice(0, range.size) : inside.slice(0, range.size);
	};
}

const limits = (overrides: Partial<PagingLimits> = {}): PagingLimits => ({
	limit: Infinity,
	maxRecords: 1_000_000,
	concurrency: () => 10,
	speculation: () => 0,
	refuse: (message) => new Error(message),
	...overrides,
});

async function returnAll(
	ids: number[],
	overrides: Partial<PagingLimits> = {},
	onCall?: Listing['onCall'],
) {
	const listing: Listing = { ids: [...ids], calls: [], onCall };
	const records = await readByKey(reader(listing), (id) => id, limits(overrides));
	return { records, calls: listing.calls, listing };
}

/** The calls a sequential keyset reader makes: one per 50 records, and one short page. */
const floorCalls = (count: number) => Math.floor(count / PAGE_SIZE) + 1;

describe('Return All over any shape of ids', () => {
	test.each(ID_SHAPES)(
		'%s: 10,000 records, each once, in order, within 1.1 x the floor of calls',
		async (shape) => {
			const ids = idsOf(shape, 10_000);
			const { records, calls } = await returnAll(ids);
			expect(records).toEqual(ids);
			if (process.env.PAGING_CALLS) console.log(shape, calls.length);
			expect(calls.length).toBeLessThanOrEqual(Math.ceil(floorCalls(10_000) * 1.1));
		},
	);

	test.each(ID_SHAPES)(
		'%s: keeps the calls in flight busy (10 of them after the first rounds)',
		async (shape) => {
			const ids = idsOf(shape, 10_000);
			const listing: Listing = { ids, calls: [] };
			let inFlight = 0;
			const busy: number[] = [];
			const read = reader(listing);
			await readByKey(
				async (range) => {
					inFlight++;
					busy.push(inFlight);
					try {
						return await read(range);
					} finally {
						inFlight--;
					}
				},
				(id) => id,
				limits(),
			);
			// Past the first three rounds (first page, last page, the gap between), all but the tail go 10 at a time.
			const middle = busy.slice(10, Math.floor(busy.length * 0.8));
			const average = middle.reduce((sum, n) => sum + n, 0) / middle.length;
			expect(average).toBeGreaterThanOrEqual(8);
		},
	);

	test.each([0, 1, 49, 50, 51, 99, 100, 137, 149, 150])(
		'a listing of %i dense records costs at most the floor of calls, at any concurrency',
		async (count) => {
			const ids = idsOf('dense', count);
			for (const concurrency of [1, 2, 5, 16]) {
				const { records, calls } = await returnAll(ids, { concurrency: () => concurrency });
				expect(records).toEqual(ids);
				expect(calls.length).toBeLessThanOrEqual(floorCalls(count));
			}
		},
	);

	test('a listing of one page costs one call, whatever the speculation', async () => {
		for (const count of [0, 1, 49]) {
			const { calls } = await returnAll(idsOf('sparse:7', count), {
				speculation: () => 2,
				concurrency: () => 16,
			});
			expect(calls).toHaveLength(1);
		}
	});

	test('137 records: the first page, then the last page, then the ids between: three calls, at any concurrency', async () => {
		for (const concurrency of [1, 2, 5, 16]) {
			const { calls } = await returnAll(idsOf('dense', 137), { concurrency: () => concurrency });
			expect(calls.map((c) => [c.after, c.before, Boolean(c.fromTop)])).toEqual([
				[-Infinity, Infinity, false],
				[50, Infinity, true],
				[50, 88, false],
			]);
		}
	});

	test('speculation (high latency) costs at most that many calls more on a short listing', async () => {
		const { records, calls } = await returnAll(idsOf('dense', 137), { speculation: () => 2 });
		expect(records).toHaveLength(137);
		expect(calls.length).toBeLessThanOrEqual(floorCalls(137) + 2);
	});
});

describe('records changing while the listing is read', () => {
	test('records deleted or leaving the filter between calls: every record still there is returned once', async () => {
		const ids = idsOf('random:5', 3000);
		const removed = new Set<number>();
		const { records } = await returnAll(ids, {}, (call, listing) => {
			if (call % 3 === 0) {
				const gone = listing.ids.splice(Math.floor(listing.ids.length / 2) + call, 1)[0];
				if (gone !== undefined) removed.add(gone);
			}
		});
		expect(new Set(records).size).toBe(records.length);
		expect([...records].sort((a, b) => a - b)).toEqual(records);
		// Every record never removed is returned.
		for (const id of ids) if (!removed.has(id)) expect(records).toContain(id);
	});

	test('records inserted between calls: none repeated, none of the others missing, in order', async () => {
		const ids = idsOf('clusters:2', 3000);
		let next = 500_000;
		const { records } = await returnAll(ids, {}, (call, listing) => {
			if (call % 4 === 0) listing.ids.push((next += 7));
		});
		expect(new Set(records).size).toBe(records.length);
		expect([...records].sort((a, b) => a - b)).toEqual(records);
		for (const id of ids) expect(records).toContain(id);
	});
});

describe('safety', () => {
	test('Max Records stops the listing with the error', async () => {
		await expect(returnAll(idsOf('dense', 1000), { maxRecords: 300 })).rejects.toThrow(
			/Max Records/,
		);
	});

	test('a server ignoring the id bounds is refused', async () => {
		const listing: Listing = { ids: idsOf('dense', 500), calls: [] };
		const read = async (range: KeyRange) => {
			listing.calls.push(range);
			return listing.ids.slice(0, range.size);
		};
		await expect(readByKey(read, (id) => id, limits())).rejects.toThrow(
			/ignored the id condition|out of id order/,
		);
	});
});

describe('quantile', () => {
	test('a uniform stretch is cut evenly; a growing one nearer its dense end', () => {
		expect(quantile(1, 1, 0.5)).toBe(0.5);
		expect(quantile(1, 1, 0.25)).toBe(0.25);
		expect(quantile(0.1, 1, 0.5)).toBeGreaterThan(0.6);
		expect(quantile(1, 0.1, 0.5)).toBeLessThan(0.4);
		// Half of the records of a density growing from 0 to 1 lie below 1/sqrt(2) of the stretch.
		expect(quantile(1e-12, 1, 0.5)).toBeCloseTo(Math.SQRT1_2, 5);
		expect(quantile(0.3, 2, 0)).toBe(0);
		expect(quantile(0.3, 2, 1)).toBeCloseTo(1, 9);
	});
});
