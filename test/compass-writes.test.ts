/**
 * Writes as Compass documents them, through n8n's engine against the simulator: an external PO's
 * type, flags that the spec made records, date-only fields, and Create or Update matching on
 * Compass's unique keys scoped as Compass scopes them.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { COUPA_NODE } from './harness/engine';
import { listSearch, loadResourceMapping } from './support/editorMethods';
import { useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => {
	for (const path of ['suppliers', 'invoices', 'lookup_values', 'accounts', 'budget_lines'])
		bed.coupa.seed(path, 6);
	bed.coupa.clearLog();
});

const write = (
	resource: string,
	operation: string,
	value: IDataObject,
	matchingColumns: string[] = [],
): INodeParameters => ({
	resource,
	operation,
	columns: {
		mappingMode: 'defineBelow',
		value,
		matchingColumns,
		schema: [],
	} as unknown as INodeParameters,
});
const requests = () => bed.coupa.apiRequests();
const fieldsOf = async (resource: string, operation: string) =>
	new Map(
		(await loadResourceMapping(bed.credentials, COUPA_NODE, { resource, operation })).fields.map(
			(f) => [f.id, f],
		),
	);

test('purchase order Create sends an external PO (type ExternalOrderHeader), and hide-price as a flag', async () => {
	const fields = await fieldsOf('purchaseOrder', 'create');
	expect(fields.get('hide-price')).toMatchObject({ type: 'boolean', displayName: 'Hide Price' });
	const run = await bed.run({
		...write('purchaseOrder', 'create', {
			'po-number': 'EXT-1',
			supplier: 2,
			'ship-to-user': 'user1',
			'hide-price': true,
		}),
		lines: JSON.stringify([{ description: 'Laptop', quantity: 1, price: 999 }]),
	});
	// The body is what Compass documents; the simulator's answer follows the facts it is given (issue 22, item 5).
	expect(run.error?.message ?? '').not.toMatch(/^Coupa needs/);
	expect(JSON.parse(requests()[0].body)).toMatchObject({
		'po-number': 'EXT-1',
		'hide-price': true,
		type: 'ExternalOrderHeader',
	});
});

test('requisition hide-price is a flag too', async () => {
	expect((await fieldsOf('requisition', 'create')).get('hide-price')).toMatchObject({
		type: 'boolean',
	});
});

test('invoice-date is sent as the date written, without its time or zone', async () => {
	const run = await bed.run({
		...write('invoice', 'create', {
			'invoice-number': 'INV-D1',
			'invoice-date': '2025-01-31T23:30:00-05:00',
			supplier: 2,
		}),
		// Compass's invoice create also needs these (its Invoices API table and example).
		jsonBody:
			'{"account-type": {"name": "Account Type 1"}, "bill-to-address": {"id": 1}, "line-level-taxation": false}',
	});
	expect(run.error).toBeUndefined();
	expect(JSON.parse(requests()[0].body)['invoice-date']).toBe('2025-01-31');
});

test('lookup value Create or Update matches its number within its lookup', async () => {
	const fields = await fieldsOf('lookupValue', 'upsert');
	expect(
		[...fields.values()]
			.filter((f) => f.defaultMatch)
			.map((f) => f.id)
			.sort(),
	).toEqual(['external-ref-num', 'lookup']);
	await bed.run(
		write('lookupValue', 'upsert', { lookup: 'Colors', 'external-ref-num': 'R1', name: 'Red' }),
	);
	expect(requests()[0].method).toBe('GET');
	expect(requests()[0].query).toMatchObject({ 'lookup[name]': 'Colors', 'external-ref-num': 'R1' });
});

test('account Create or Update matches its chart and its code made of all its segments', async () => {
	await bed.run(
		write('account', 'upsert', {
			'account-type': 'Ace Corporate',
			'segment-1': 'SF',
			'segment-2': 'Marketing',
			active: true,
		}),
	);
	expect(requests()[0].query).toMatchObject({
		'account-type[name]': 'Ace Corporate',
		code: 'SF-Marketing',
	});
	expect(requests()[0].query['segment-3']).toBeUndefined();
});

test("a budget line's amount is offered: Compass's create example writes it, though its table leaves In blank", async () => {
	expect((await fieldsOf('budgetLine', 'create')).get('amount')).toMatchObject({ type: 'number' });
});

test('budget line Create or Update matches its period and segments', async () => {
	await bed.run(
		write('budgetLine', 'upsert', {
			period: 3,
			'segment-1': 'SF',
			'segment-2': 'IT',
			amount: 1000,
		}),
	);
	expect(requests()[0].query).toMatchObject({
		'period[id]': '3',
		'segment-1': 'SF',
		'segment-2': 'IT',
	});
});

test('expense line external-src-ref is its default key', async () => {
	const fields = await fieldsOf('expenseLine', 'upsert');
	expect([...fields.values()].filter((f) => f.defaultMatch).map((f) => f.id)).toEqual([
		'external-src-ref',
	]);
});

describe('references by the key a person holds', () => {
	test('Supplier offers its number and name beside its ID, from Compass example calls', async () => {
		const fields = await fieldsOf('invoice', 'create');
		expect(fields.get('supplier[number]')).toMatchObject({
			displayName: 'Supplier Number',
			type: 'string',
			required: false,
		});
		expect(fields.get('supplier[name]')).toMatchObject({
			displayName: 'Supplier Name',
			type: 'string',
		});
		// Either key names the supplier: the ID is no longer required on its own.
		expect(fields.get('supplier')).toMatchObject({ displayName: 'Supplier ID', required: false });
	});

	test('the supplier number is sent in the shape Compass shows', async () => {
		const run = await bed.run(
			write('invoice', 'create', {
				'invoice-number': 'INV-K1',
				'invoice-date': '2025-02-01',
				'supplier[number]': 'S-1',
			}),
		);
		expect(run.error?.message ?? '').not.toMatch(/^Coupa needs/);
		expect(JSON.parse(requests()[0].body)).toMatchObject({ supplier: { number: 'S-1' } });
		expect(JSON.parse(requests()[0].body)['supplier[number]']).toBeUndefined();
	});

	test('a required reference given by no key at all is still refused before sending', async () => {
		const run = await bed.run(
			write('invoice', 'create', { 'invoice-number': 'INV-K2', 'invoice-date': '2025-02-01' }),
		);
		expect(run.error?.message).toMatch(/^Coupa needs .*\(supplier\) to create an invoice$/);
		expect(requests()).toEqual([]);
	});

	test('requisition requester by login, ship-to address by name; Create or Update matches a supplier number', async () => {
		const fields = await fieldsOf('requisition', 'create');
		expect(fields.get('ship-to-address[name]')).toMatchObject({
			displayName: 'Ship To Address Name',
		});
		await bed.run(
			write(
				'invoice',
				'upsert',
				{ 'invoice-number': 'INV-00002', 'supplier[number]': 'S-9', comments: 'x' },
				['invoice-number', 'supplier[number]'],
			),
		);
		expect(requests()[0].query).toMatchObject({
			'invoice-number': 'INV-00002',
			'supplier[number]': 'S-9',
		});
	});
});

test("required fields follow Compass: a contract's renewal fields are not, a supplier site's PO method is", async () => {
	const contract = [...(await fieldsOf('contract', 'create')).values()]
		.filter((f) => f.required)
		.map((f) => f.id);
	// Compass's create example (Contract API Example Calls) makes a contract without renewal terms.
	expect(contract).not.toContain('renewal-length-unit');
	expect(contract).not.toContain('no-of-renewals');
	expect(contract).toEqual(expect.arrayContaining(['name', 'number']));
	const site = [...(await fieldsOf('supplierSite', 'create')).values()]
		.filter((f) => f.required)
		.map((f) => f.id)
		.sort();
	expect(site).toEqual(['code', 'name', 'po-change-method', 'po-method']);
	// The purchase order's ship-to address: Compass's table does not require it (nor an external PO).
	expect((await fieldsOf('purchaseOrder', 'create')).get('ship-to-address')?.required).toBe(false);
	expect((await fieldsOf('paymentTerm', 'create')).get('discount-due-day')?.required).toBe(false);
});

test('the Account picker searches the code people know an account by (Compass: the name is an optional nickname)', async () => {
	const page = await listSearch(
		bed.credentials,
		'searchRecords',
		{ resource: 'account', operation: 'get' },
		'SF-Mark',
	);
	expect(requests()[0].query['code[contains]']).toBe('SF-Mark');
	expect(requests()[0].query['name[contains]']).toBeUndefined();
	expect(Array.isArray(page.results)).toBe(true);
});
