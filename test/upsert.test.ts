/** Create or Update through n8n's engine: one search, then one write or a refusal, with the requests counted. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => {
	for (const path of ['suppliers', 'invoices', 'users']) bed.coupa.seed(path, 12);
	bed.coupa.clearLog();
});

const upsert = (
	resource: string,
	value: IDataObject,
	matchingColumns: string[],
	extra: INodeParameters = {},
): INodeParameters => ({
	resource,
	operation: 'upsert',
	columns: {
		mappingMode: 'defineBelow',
		value,
		matchingColumns,
		schema: [],
	} as unknown as INodeParameters,
	...extra,
});

const requests = () => bed.coupa.apiRequests().map((r) => `${r.method} ${r.path}`);

test('one match: the record is updated, found by its number', async () => {
	const run = await bed.run(
		upsert('supplier', { number: 'SUP-3', name: 'Acme Renamed', 'po-method': 'email' }, ['number']),
	);
	expect(run.error).toBeUndefined();
	expect(requests()).toEqual(['GET /api/suppliers', 'PUT /api/suppliers/3']);
	const [search, write] = bed.coupa.apiRequests();
	expect(search.query).toMatchObject({ number: 'SUP-3', fields: '["id","number"]' });
	expect(JSON.parse(write.body)).toEqual({
		number: 'SUP-3',
		name: 'Acme Renamed',
		'po-method': 'email',
	});
	expect(bed.coupa.record('suppliers', 3)).toMatchObject({
		name: 'Acme Renamed',
		'po-method': 'email',
	});
	expect(jsonOf(run)).toEqual([bed.coupa.record('suppliers', 3)]);
});

test('no match: the record is created', async () => {
	const run = await bed.run(
		upsert(
			'supplier',
			{ number: 'SUP-NEW', name: 'Brand New Supplier', 'invoice-matching-level': '3-way' },
			['number'],
		),
	);
	expect(run.error).toBeUndefined();
	expect(requests()).toEqual(['GET /api/suppliers', 'POST /api/suppliers']);
	expect(bed.coupa.records('suppliers')).toHaveLength(13);
	expect(jsonOf(run)[0]).toMatchObject({ id: 13, number: 'SUP-NEW', name: 'Brand New Supplier' });
});

test('several matches: an error naming their ids, nothing written', async () => {
	const run = await bed.run(upsert('supplier', { status: 'active', name: 'Anyone' }, ['status']));
	expect(run.error?.message).toMatch(
		/^10 suppliers match status=active \(IDs 1, 2, 3, 4, 5, 7, 8, 9, 10, 11\): nothing was written$/,
	);
	expect(requests()).toEqual(['GET /api/suppliers']);
});

test('Return Object "None": the item names the record updated', async () => {
	const run = await bed.run(
		upsert('supplier', { number: 'SUP-4', name: 'Quiet' }, ['number'], {
			options: { returnObject: 'none' },
		}),
	);
	expect(run.error).toBeUndefined();
	expect(bed.coupa.apiRequests()[1].query.return_object).toBe('none');
	expect(bed.coupa.apiRequests()[0].query.return_object).toBeUndefined();
	expect(jsonOf(run)).toEqual([{ id: 4 }]);
});

test('a reference matches by its key: supplier[id]', async () => {
	const invoice = bed.coupa.record('invoices', 5)!;
	const run = await bed.run(
		upsert(
			'invoice',
			{
				'invoice-number': invoice['invoice-number'] as string,
				supplier: (invoice.supplier as IDataObject).id as number,
				comments: 'checked',
			},
			['invoice-number', 'supplier'],
		),
	);
	expect(run.error).toBeUndefined();
	expect(requests()).toEqual(['GET /api/invoices', 'PUT /api/invoices/5']);
	expect(bed.coupa.apiRequests()[0].query).toMatchObject({
		'invoice-number': 'INV-00005',
		'supplier[id]': '6',
	});
});

test('the default matching columns apply when none are chosen', async () => {
	const run = await bed.run(
		upsert(
			'user',
			{ login: 'user4', email: 'user4@example.com', firstname: 'Four', lastname: 'Changed' },
			[],
		),
	);
	expect(run.error).toBeUndefined();
	expect(requests()).toEqual(['GET /api/users', 'PUT /api/users/4']);
});

test('Map Automatically: the matching value comes from the input item', async () => {
	const run = await bed.run(
		{
			resource: 'supplier',
			operation: 'upsert',
			columns: {
				mappingMode: 'autoMapInputData',
				value: null,
				matchingColumns: ['number'],
			} as unknown as INodeParameters,
		},
		{
			input: [
				{ number: 'SUP-2', display_name: 'Two' },
				{ number: 'SUP-200', name: 'Two Hundred', invoice_matching_level: '3-way' },
			],
		},
	);
	expect(run.error).toBeUndefined();
	// n8n sends the items at once: only the set of requests is fixed, not their order.
	expect(requests().sort()).toEqual([
		'GET /api/suppliers',
		'GET /api/suppliers',
		'POST /api/suppliers',
		'PUT /api/suppliers/2',
	]);
});

test('two items with the same new values: the first creates the record, the second updates it', async () => {
	const run = await bed.run(
		{
			resource: 'supplier',
			operation: 'upsert',
			columns: {
				mappingMode: 'autoMapInputData',
				value: null,
				matchingColumns: ['number'],
			} as unknown as INodeParameters,
		},
		{
			input: [
				{ number: 'SUP-900', name: 'Twice', 'invoice-matching-level': '3-way' },
				{ number: 'sup-900', name: 'Twice', 'display-name': 'Twice Ltd' },
			],
		},
	);
	expect(run.error).toBeUndefined();
	expect(requests()).toEqual([
		'GET /api/suppliers',
		'POST /api/suppliers',
		'GET /api/suppliers',
		'PUT /api/suppliers/13',
	]);
	expect(bed.coupa.records('suppliers').filter((r) => r.name === 'Twice')).toHaveLength(1);
});

describe('refused before any write', () => {
	test('an empty matching value sends nothing', async () => {
		const run = await bed.run(upsert('supplier', { name: 'No Number' }, ['number']));
		expect(run.error?.message).toBe('The matching column Number (number) has no value');
		expect(bed.coupa.log).toHaveLength(0);
	});

	test('a bad value sends nothing', async () => {
		const run = await bed.run(
			upsert('supplier', { number: 'SUP-3', 'po-method': 'fax' }, ['number']),
		);
		expect(run.error?.message).toMatch(/PO Method field \(po-method\) cannot be "fax"/);
		expect(bed.coupa.log).toHaveLength(0);
	});

	test('no match and a required field missing: searched, not created', async () => {
		const run = await bed.run(upsert('supplier', { number: 'SUP-404' }, ['number']));
		expect(run.error?.message).toBe(
			'Coupa needs Name (name), Invoice Matching Level (invoice-matching-level) to create a supplier',
		);
		expect(requests()).toEqual(['GET /api/suppliers']);
	});

	test('Coupa ignoring the filter: records that do not match are never updated', async () => {
		bed.coupa.injectFault({
			method: 'GET',
			path: '/api/suppliers',
			kind: 'status',
			status: 200,
			body: JSON.stringify([{ id: 7, number: 'SUP-7' }]),
		});
		const run = await bed.run(upsert('supplier', { number: 'SUP-3', name: 'Acme' }, ['number']));
		expect(run.error?.message).toMatch(
			/Coupa did not filter suppliers on number=SUP-3 \(record 7 does not match\): nothing was written/,
		);
		expect(requests()).toEqual(['GET /api/suppliers']);
	});
});

describe('the same retry rules as every request', () => {
	test('the search is retried after a 503', async () => {
		bed.coupa.injectFault({
			method: 'GET',
			path: '/api/suppliers',
			kind: 'status',
			status: 503,
			headers: { 'Retry-After': '0' },
			times: 2,
		});
		const run = await bed.run(
			upsert('supplier', { number: 'SUP-3', name: 'Acme Again' }, ['number']),
		);
		expect(run.error).toBeUndefined();
		expect(requests()).toEqual([
			'GET /api/suppliers',
			'GET /api/suppliers',
			'GET /api/suppliers',
			'PUT /api/suppliers/3',
		]);
	});

	test('a write whose answer was lost is never sent twice', async () => {
		bed.coupa.injectFault({
			method: 'POST',
			path: '/api/suppliers',
			kind: 'reset',
			applyFirst: true,
		});
		const run = await bed.run(
			upsert(
				'supplier',
				{ number: 'SUP-NEW', name: 'Once Only', 'invoice-matching-level': '3-way' },
				['number'],
			),
		);
		expect(run.error).toBeDefined();
		expect(requests()).toEqual(['GET /api/suppliers', 'POST /api/suppliers']);
		expect(bed.coupa.records('suppliers').filter((r) => r.name === 'Once Only')).toHaveLength(1);
	});
});
