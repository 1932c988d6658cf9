/** Get and Get Many on every resource, paging, filters and read options, through n8n's engine. */
import { FIRST_RESOURCES, RESOURCES } from '../nodes/shared/schema/catalog';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => bed.coupa.clearLog());

describe.each(
	RESOURCES.filter((r) => FIRST_RESOURCES.includes(r.value)).map((r) => [r.value, r.path] as const),
)('%s', (resource, path) => {
	test('Get returns the record Coupa has', async () => {
		const run = await bed.run({ resource, operation: 'get', id: '3' });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run)).toEqual([bed.coupa.record(path, 3)]);
		const [request] = bed.coupa.apiRequests();
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/api/${path}/3`);
		expect(request.headers.accept).toContain('application/json');
	});

	test('Get Many returns every record with Return All', async () => {
		const run = await bed.run({ resource, operation: 'getAll', returnAll: true });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run).map((r) => r.id)).toEqual(bed.coupa.records(path).map((r) => r.id));
		for (const request of bed.coupa.apiRequests()) {
			expect(request.path).toBe(`/api/${path}`);
			expect(Number(request.query.limit)).toBeLessThanOrEqual(50);
		}
	});
});

describe('paging', () => {
	test.each([0, 1, 50, 51, 137])(
		'Return All over %i records: every record once, paged by id, no call wasted',
		async (count) => {
			bed.coupa.seed('suppliers', count);
			bed.coupa.clearLog();
			const run = await bed.run({ resource: 'supplier', operation: 'getAll', returnAll: true });
			const ids = jsonOf(run).map((r) => r.id);
			expect(ids).toEqual(Array.from({ length: count }, (_, i) => i + 1));
			const calls = bed.coupa.apiRequests();
			expect(calls).toHaveLength(Math.floor(count / 50) + 1);
			for (const call of calls) {
				expect([call.query.limit, call.query.order_by, call.query.offset]).toEqual([
					'50',
					'id',
					undefined,
				]);
			}
		},
	);

	test.each([
		[1, ['1']],
		[50, ['50']],
		[120, ['50', '50', '20']],
	])('Limit %i over 137 records asks exactly for what is missing', async (limit, limits) => {
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: false,
			limit,
		});
		expect(jsonOf(run)).toHaveLength(limit);
		expect(jsonOf(run).map((r) => r.id)).toEqual(Array.from({ length: limit }, (_, i) => i + 1));
		expect(bed.coupa.apiRequests().map((c) => c.query.limit)).toEqual(limits);
	});

	test('Limit above the records available stops on the short page', async () => {
		const run = await bed.run({ resource: 'purchaseOrder', operation: 'getAll', limit: 500 });
		expect(jsonOf(run).map((r) => r.id)).toEqual(Array.from({ length: 137 }, (_, i) => i + 1));
		// Three pages; where the latency is high, at most two ranges read ahead past the end.
		expect(bed.coupa.apiRequests().length).toBeGreaterThanOrEqual(3);
		expect(bed.coupa.apiRequests().length).toBeLessThanOrEqual(5);
	});
});

describe('filters', () => {
	const getMany = async (conditions: Array<{ field: string; operator: string; value: string }>) =>
		await bed.run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
			filters: { conditions },
		});

	test.each([
		['eq', 'status', 'issued', 'status', (r: Record<string, unknown>) => r.status === 'issued'],
		[
			'not_eq',
			'status',
			'issued',
			'status[not_eq]',
			(r: Record<string, unknown>) => r.status !== 'issued',
		],
		[
			'contains',
			'po-number',
			'0001',
			'po-number[contains]',
			(r: Record<string, unknown>) => String(r['po-number']).includes('0001'),
		],
		[
			'starts_with',
			'po-number',
			'PO-0012',
			'po-number[starts_with]',
			(r: Record<string, unknown>) => String(r['po-number']).startsWith('PO-0012'),
		],
		[
			'ends_with',
			'po-number',
			'7',
			'po-number[ends_with]',
			(r: Record<string, unknown>) => String(r['po-number']).endsWith('7'),
		],
		['gt', 'id', '130', 'id[gt]', (r: Record<string, unknown>) => Number(r.id) > 130],
		['lt', 'id', '3', 'id[lt]', (r: Record<string, unknown>) => Number(r.id) < 3],
		[
			'gt_or_eq',
			'created-at',
			'2024-01-01T02:00:00Z',
			'created-at[gt_or_eq]',
			(r: Record<string, unknown>) =>
				Date.parse(String(r['created-at'])) >= Date.parse('2024-01-01T02:00:00Z'),
		],
		[
			'lt_or_eq',
			'confirm-by-hrs',
			'50',
			'confirm-by-hrs[lt_or_eq]',
			(r: Record<string, unknown>) => Number(r['confirm-by-hrs']) <= 50,
		],
		[
			'in',
			'status',
			'draft,closed',
			'status[in]',
			(r: Record<string, unknown>) => ['draft', 'closed'].includes(String(r.status)),
		],
		[
			'not_in',
			'status',
			'draft,closed',
			'status[not_in]',
			(r: Record<string, unknown>) => !['draft', 'closed'].includes(String(r.status)),
		],
		[
			'blank',
			'status',
			'false',
			'status[blank]',
			(r: Record<string, unknown>) => r.status !== undefined,
		],
	])(
		'%s is sent as Coupa expects and selects the matching records',
		async (operator, field, value, key, expected) => {
			const run = await getMany([{ field, operator, value }]);
			expect(run.error).toBeUndefined();
			const want = bed.coupa
				.records('purchase_orders')
				.filter(expected)
				.map((r) => r.id);
			expect(want.length).toBeGreaterThan(0);
			expect(jsonOf(run).map((r) => r.id)).toEqual(want);
			expect(bed.coupa.apiRequests()[0].query[key]).toBe(value);
		},
	);

	test.each(['supplier.name', 'supplier[name]'])(
		'nested field %s becomes supplier[name]',
		async (field) => {
			const run = await getMany([{ field, operator: 'eq', value: 'Acme Supply 3' }]);
			const want = bed.coupa
				.records('purchase_orders')
				.filter((r) => (r.supplier as { name: string }).name === 'Acme Supply 3');
			expect(jsonOf(run).map((r) => r.id)).toEqual(want.map((r) => r.id));
			expect(bed.coupa.apiRequests()[0].query['supplier[name]']).toBe('Acme Supply 3');
		},
	);

	test('a deeper nested filter with an operator', async () => {
		const run = await getMany([
			{ field: 'order-lines.account.code', operator: 'ends_with', value: '1002' },
		]);
		expect(bed.coupa.apiRequests()[0].query['order-lines[account][code][ends_with]']).toBe('1002');
		expect(jsonOf(run).length).toBeGreaterThan(0);
		for (const record of jsonOf(run)) {
			expect(JSON.stringify(record['order-lines'])).toContain('ACC-1002');
		}
	});

	test.each([
		['contains', 'created-at', '2024-01'],
		['starts_with', 'updated_at', '2024'],
		['ends_with', 'created-at', 'Z'],
	])("%s on the date %s: Coupa's 400 reaches the user", async (operator, field, value) => {
		const run = await getMany([{ field, operator, value }]);
		expect(run.error?.message).toBe(
			`Coupa answered 400: The ${operator} operator cannot be used on the date field ${field}`,
		);
		expect(run.error?.description).toMatch(/Fix the fields/);
		expect(run.items).toHaveLength(0);
	});

	test('several conditions all apply', async () => {
		const run = await getMany([
			{ field: 'status', operator: 'eq', value: 'issued' },
			{ field: 'exported', operator: 'eq', value: 'false' },
		]);
		const want = bed.coupa
			.records('purchase_orders')
			.filter((r) => r.status === 'issued' && r.exported === false);
		expect(jsonOf(run).map((r) => r.id)).toEqual(want.map((r) => r.id));
	});
});

describe('read options', () => {
	test('orderBy and dir', async () => {
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			limit: 5,
			options: { orderBy: 'id', dir: 'desc' },
		});
		expect(jsonOf(run).map((r) => r.id)).toEqual([137, 136, 135, 134, 133]);
		expect(bed.coupa.apiRequests()[0].query).toMatchObject({ order_by: 'id', dir: 'desc' });
	});

	test('fields picks what comes back', async () => {
		const fields = '["id","status",{"supplier":["name"]}]';
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'get',
			id: '2',
			options: { fields },
		});
		const record = bed.coupa.record('purchase_orders', 2)!;
		expect(jsonOf(run)).toEqual([
			{
				id: 2,
				status: record.status,
				supplier: { name: (record.supplier as { name: string }).name },
			},
		]);
		expect(bed.coupa.apiRequests()[0].query.fields).toBe(fields);
	});

	test('returnObject limited returns ids only', async () => {
		const run = await bed.run({
			resource: 'invoice',
			operation: 'getAll',
			limit: 3,
			options: { returnObject: 'limited' },
		});
		expect(jsonOf(run)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
		expect(bed.coupa.apiRequests()[0].query.return_object).toBe('limited');
	});

	test('returnObject shallow reduces associations to their ids and natural keys (Compass, "API Return Formats")', async () => {
		const run = await bed.run({
			resource: 'invoice',
			operation: 'get',
			id: '1',
			options: { returnObject: 'shallow' },
		});
		const supplier = bed.coupa.record('invoices', 1)!.supplier as Record<string, unknown>;
		expect(jsonOf(run)[0].supplier).toEqual({
			id: supplier.id,
			name: supplier.name,
			number: supplier.number,
			'display-name': supplier['display-name'],
		});
	});
});

describe('read errors', () => {
	test('an unknown id answers with Coupa 404 text and the id', async () => {
		const run = await bed.run({ resource: 'invoice', operation: 'get', id: '99999' });
		expect(run.error?.message).toContain('404');
		expect(run.error?.message).toContain('Record not found');
		expect(run.error?.description).toContain('99999');
	});
});

describe('reading ahead on long listings', () => {
	test('Return All over 1,000 records: Coupa order kept, one call per 50 records, at most 3 more', async () => {
		bed.coupa.seed('requisitions', 1000);
		bed.coupa.clearLog();
		const run = await bed.run({ resource: 'requisition', operation: 'getAll', returnAll: true });
		expect(jsonOf(run).map((r) => r.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
		expect(bed.coupa.apiRequests().length).toBeGreaterThanOrEqual(20);
		expect(bed.coupa.apiRequests().length).toBeLessThanOrEqual(23);
	});

	test('a Limit of 480 asks for exactly 480 records, never past the limit', async () => {
		bed.coupa.seed('requisitions', 1000);
		bed.coupa.clearLog();
		const run = await bed.run({ resource: 'requisition', operation: 'getAll', limit: 480 });
		expect(jsonOf(run).map((r) => r.id)).toEqual(Array.from({ length: 480 }, (_, i) => i + 1));
		const calls = bed.coupa
			.apiRequests()
			.map((r) => [Number(r.query['id[gt]'] ?? 0), Number(r.query.limit)]);
		expect(calls.sort((a, b) => a[0] - b[0])).toEqual(
			Array.from({ length: 10 }, (_, i) => [i * 50, i === 9 ? 30 : 50]),
		);
	});
});
