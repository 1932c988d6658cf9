/**
 * Get Many against servers that misbehave and data that changes while it is read: every listing
 * ends, no record still matching is skipped, none is returned twice, and a server that breaks the
 * paging stops it with an error instead of a loop.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { SimRecord } from './coupa-simulator/resources';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();
const COUNT = 237;
const all = (n = COUNT) => Array.from({ length: n }, (_, i) => i + 1);
const idsOf = (run: { items: Array<{ json: { id?: unknown } }> }) =>
	run.items.map((item) => item.json.id);
const lists = () =>
	bed.coupa.apiRequests().filter((r) => r.method === 'GET' && r.path === '/api/purchase_orders');

beforeEach(() => {
	bed.coupa.seed('purchase_orders', COUNT);
	bed.coupa.onRequest = undefined;
	bed.coupa.rewriteList = undefined;
	bed.coupa.clearLog();
});

const getMany = async (parameters: INodeParameters = {}) =>
	await bed.run({ resource: 'purchaseOrder', operation: 'getAll', returnAll: true, ...parameters });

/**
 * Runs `change` once, when the first call past the first page arrives (before it is answered):
 * asking for ids after the first page, or (offset paging) for offset 50.
 */
function changeBetweenPages(change: () => void): void {
	let done = false;
	bed.coupa.onRequest = (request) => {
		const pastFirst =
			request.query['id[gt]'] !== undefined ||
			request.query['id[lt]'] !== undefined ||
			request.query.offset === '50';
		if (request.path === '/api/purchase_orders' && pastFirst && !done) {
			done = true;
			change();
		}
	};
}

describe('Return All in id order pages by id, so changes between calls skip nothing', () => {
	test('asks by id, never by offset: every record once, in order, one call per 50 records', async () => {
		const run = await getMany();
		expect(idsOf(run)).toEqual(all());
		for (const call of lists()) {
			expect(call.query.offset).toBeUndefined();
			expect(call.query.order_by).toBe('id');
		}
		expect(lists()).toHaveLength(Math.ceil(COUNT / 50));
	});

	test('a record of an earlier page deleted meanwhile shifts nothing', async () => {
		changeBetweenPages(() => bed.coupa.records('purchase_orders').splice(9, 1));
		const run = await getMany();
		// Record 10 was read before it went; with offsets, record 51 would now be skipped.
		expect(idsOf(run)).toEqual(all());
	});

	test('records leaving an exported=false filter between calls skip nothing', async () => {
		for (const record of bed.coupa.records('purchase_orders')) record.exported = false;
		changeBetweenPages(() => {
			for (const record of bed.coupa.records('purchase_orders').slice(0, 5)) record.exported = true;
		});
		const run = await getMany({
			filters: { conditions: [{ field: 'exported', operator: 'eq', value: 'false' }] },
		});
		expect(idsOf(run)).toEqual(all());
	});

	test('records inserted meanwhile: none repeated, none of the others missing, still in order', async () => {
		changeBetweenPages(() => {
			for (let i = 0; i < 3; i++)
				bed.coupa.insert('purchase_orders', { status: 'draft', exported: false });
		});
		const ids = idsOf(await getMany()) as number[];
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.slice(0, COUNT)).toEqual(all());
		expect([...ids].sort((a, b) => a - b)).toEqual(ids);
	});

	test("the user's own id conditions are kept and combined with the paging's", async () => {
		const run = await getMany({
			filters: {
				conditions: [
					{ field: 'id', operator: 'gt', value: '100' },
					{ field: 'id', operator: 'lt_or_eq', value: '200' },
				],
			},
		});
		expect(idsOf(run)).toEqual(all(200).slice(100));
		// Each call sends the user's condition as written, or the range's stricter bound.
		for (const call of lists()) {
			expect(Number(call.query['id[gt]'])).toBeGreaterThanOrEqual(100);
			const upper =
				call.query['id[lt]'] !== undefined
					? Number(call.query['id[lt]']) - 1
					: Number(call.query['id[lt_or_eq]']);
			expect(upper).toBeLessThanOrEqual(200);
		}
	});

	test('descending ids (Direction only) are paged by id too', async () => {
		changeBetweenPages(() => bed.coupa.records('purchase_orders').splice(COUNT - 10, 1));
		const run = await getMany({ options: { dir: 'desc' } });
		expect(idsOf(run)).toEqual(all().reverse());
		for (const call of lists()) expect(call.query.offset).toBeUndefined();
	});

	test('a Fields list without id: paged by id all the same, and the id is not added to the output', async () => {
		const run = await getMany({ options: { fields: '["po-number"]' } });
		expect(jsonOf(run)).toEqual(
			all().map((i) => ({ 'po-number': `PO-${String(i).padStart(5, '0')}` })),
		);
	});

	test('Limit returns exactly the first N ids, asking only for what is missing', async () => {
		const run = await getMany({ returnAll: false, limit: 120 });
		expect(idsOf(run)).toEqual(all(120));
		expect(lists().map((call) => call.query.limit)).toEqual(['50', '50', '20']);
	});
});

describe('a server breaking the paging stops it with an error, within a few calls', () => {
	test('ignoring id[gt]: the first page again is refused', async () => {
		bed.coupa.rewriteList = (_, query, path) =>
			bed.coupa.select(path, { limit: query.limit, order_by: query.order_by, dir: query.dir });
		const run = await getMany();
		expect(run.error?.message).toContain('ignored the id condition');
		expect(run.items).toHaveLength(0);
		expect(lists().length).toBeLessThanOrEqual(4);
	});

	test('a page of 51 is refused, not read as 50 plus a duplicate', async () => {
		bed.coupa.rewriteList = (answer, query, path) =>
			answer.length === 50
				? bed.coupa
						.select(path, { ...query, limit: '50' })
						.concat(bed.coupa.records(path).slice(-1))
				: answer;
		const run = await getMany();
		expect(run.error?.message).toContain('51 records for a page of 50');
		expect(run.items).toHaveLength(0);
	});

	test('never a short page: stops at Max Records', async () => {
		// Invents a full page after whatever id is asked (before it, from the top, with a last page far away).
		bed.coupa.rewriteList = (_, query) => {
			const above = Number(query['id[gt]'] ?? 0);
			const below = Math.min(Number(query['id[lt]'] ?? Infinity), 1_000_001);
			const size = Number(query.limit);
			const ids =
				query.dir === 'desc'
					? Array.from({ length: size }, (__, i) => below - 1 - i)
					: Array.from({ length: size }, (__, i) => above + 1 + i);
			return ids.filter((id) => id > above && id < below).map((id): SimRecord => ({ id }));
		};
		const run = await getMany({ options: { maxRecords: 1000 } });
		expect(run.error?.message).toContain('Stopped after 1000 records');
		expect(run.items).toHaveLength(0);
		expect(lists().length).toBeLessThanOrEqual(1000 / 50 + 20);
	});

	test('in a user order, a server ignoring the offset is refused on its second page', async () => {
		bed.coupa.rewriteList = (_, query, path) => bed.coupa.select(path, { ...query, offset: '0' });
		const run = await getMany({ options: { orderBy: 'po_number' } });
		expect(run.error?.message).toContain('same page twice');
		expect(lists().length).toBeLessThanOrEqual(5);
	});

	test('in a user order, a page of nothing new (records repeated) is refused', async () => {
		let calls = 0;
		bed.coupa.rewriteList = (answer, query, path) =>
			++calls === 2
				? bed.coupa.select(path, { ...query, offset: '0', limit: '50' }).reverse()
				: answer;
		const run = await getMany({ options: { orderBy: 'po_number' } });
		expect(run.error?.message).toContain('already read');
	});

	test('in a user order, never a short page: stops at Max Records', async () => {
		bed.coupa.rewriteList = (_, query) =>
			Array.from({ length: 50 }, (__, i) => ({ id: Number(query.offset) + i + 1 }));
		const run = await getMany({ options: { orderBy: 'po_number', maxRecords: 500 } });
		expect(run.error?.message).toContain('Stopped after 500 records');
		expect(lists().length).toBeLessThanOrEqual(500 / 50 + 4);
	});
});

describe("in the user's own order (offset paging)", () => {
	test('a record moving into an earlier page meanwhile is returned once', async () => {
		// A new record sorts first: every later record moves one place down the order.
		changeBetweenPages(() =>
			bed.coupa.insert('purchase_orders', { 'po-number': 'PO-00000', status: 'draft' }),
		);
		const ids = idsOf(await getMany({ options: { orderBy: 'po_number' } })) as number[];
		expect(new Set(ids).size).toBe(ids.length);
		expect([...ids].filter((id) => id <= COUNT).sort((a, b) => a - b)).toEqual(all());
	});

	test('Limit returns exactly the first N in that order', async () => {
		const run = await getMany({
			returnAll: false,
			limit: 120,
			options: { orderBy: 'po_number', dir: 'desc' },
		});
		expect(idsOf(run)).toEqual(all().reverse().slice(0, 120));
	});
});
