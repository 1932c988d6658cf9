/** The `columns` resource mapper: its fields from Coupa's schema, and the bodies built from it, through n8n's engine. */
import type { IDataObject, INodeParameters, ResourceMapperField } from 'n8n-workflow';

import { COUPA_NODE } from './harness/engine';
import { loadResourceMapping } from './support/editorMethods';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => {
	for (const path of [
		'suppliers',
		'purchase_orders',
		'invoices',
		'requisitions',
		'users',
		'accounts',
	])
		bed.coupa.seed(path, 12);
	bed.coupa.clearLog();
});

const fieldsOf = async (resource: string, operation: string) =>
	(await loadResourceMapping(bed.credentials, COUPA_NODE, { resource, operation })).fields;

const byId = (fields: ResourceMapperField[]) => new Map(fields.map((f) => [f.id, f]));

/** Create with fields in the mapper ("Map Each Field Below"). */
const mapped = (value: IDataObject, extra: INodeParameters = {}): INodeParameters => ({
	columns: {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: [],
	} as unknown as INodeParameters,
	...extra,
});

const sentBodies = () => bed.coupa.apiRequests().map((r) => JSON.parse(r.body) as IDataObject);

describe('the fields the mapper offers', () => {
	test('supplier create: required first, read-only left out, enums as options, references by their key', async () => {
		const fields = await fieldsOf('supplier', 'create');
		const field = byId(fields);
		// Compass marks both required, and each of its supplier creates sends both.
		expect(fields.filter((f) => f.required).map((f) => f.id)).toEqual([
			'invoice-matching-level',
			'name',
		]);
		expect(field.get('name')).toMatchObject({
			displayName: 'Name',
			type: 'string',
			required: true,
			display: true,
		});
		for (const readOnly of [
			'id',
			'created-at',
			'updated-at',
			'coupa-connect-secret',
			'remit-to-requirement',
			'type',
			'created-by',
		]) {
			expect(field.has(readOnly)).toBe(false);
		}
		expect(field.get('po-method')).toMatchObject({ type: 'options', displayName: 'PO Method' });
		expect(field.get('po-method')?.options?.map((o) => o.value)).toEqual([
			'cxml',
			'xml',
			'email',
			'prompt',
			'mark_as_sent',
			'buy_online',
		]);
		expect(field.get('invoice-matching-level')?.options?.map((o) => o.value)).toEqual([
			'2-way',
			'3-way',
			'3-way-direct',
			'none',
		]);
		expect(field.get('payment-term')).toMatchObject({
			displayName: 'Payment Term Code',
			type: 'string',
		});
		expect(field.get('parent')).toMatchObject({ displayName: 'Parent ID', type: 'number' });
		expect(field.get('on-hold')).toMatchObject({ type: 'boolean', canBeUsedToMatch: false });
		expect(field.get('savings-pct')).toMatchObject({ type: 'number' });
		// Arrays (contacts, addresses, lines) are not columns; the JSON Body carries them.
		expect(field.has('remit-to-addresses')).toBe(false);
		// A spec enum of [""] is no list: the field stays free text.
		expect(field.get('confirm-by-hrs')).toMatchObject({ type: 'number' });
		expect(field.get('confirm-by-hrs')?.options).toBeUndefined();
	});

	test("purchase order: status and exported are Coupa's, supplier by ID, ship-to user by login, currency by code", async () => {
		const field = byId(await fieldsOf('purchaseOrder', 'create'));
		for (const readOnly of ['status', 'exported', 'order-lines', 'transmission-status'])
			expect(field.has(readOnly)).toBe(false);
		// Supplier by ID, or by the number or name Compass's examples use: none of the three required alone.
		expect(field.get('supplier')).toMatchObject({
			displayName: 'Supplier ID',
			type: 'number',
			required: false,
		});
		expect(field.get('supplier[number]')).toMatchObject({
			displayName: 'Supplier Number',
			type: 'string',
			required: false,
		});
		expect(field.get('ship-to-user')).toMatchObject({
			displayName: 'Ship To User Login',
			type: 'string',
			required: true,
		});
		expect(field.get('currency')).toMatchObject({
			displayName: 'Currency Code',
			type: 'string',
			required: false,
		});
		expect(field.get('po-number')).toMatchObject({ displayName: 'PO Number', required: true });
	});

	test('the read-only traps of issue 16 are never offered', async () => {
		expect(byId(await fieldsOf('invoice', 'create')).has('document-type')).toBe(false);
		expect(byId(await fieldsOf('invoice', 'create')).get('is-credit-note')).toMatchObject({
			type: 'boolean',
		});
		expect(byId(await fieldsOf('requisition', 'create')).has('currency')).toBe(false);
		expect(byId(await fieldsOf('account', 'create')).has('code')).toBe(false);
		expect(byId(await fieldsOf('account', 'create')).get('account-type')).toMatchObject({
			displayName: 'Account Type Name',
			required: true,
		});
		const lookupValue = byId(await fieldsOf('lookupValue', 'create'));
		expect(lookupValue.has('external-ref-code')).toBe(false);
		expect(lookupValue.get('external-ref-num')).toMatchObject({ type: 'string' });
	});

	test('invoice create needs its number, date and supplier; dates are dateTime', async () => {
		const fields = await fieldsOf('invoice', 'create');
		// The supplier is required too, by any of its keys: the record check asks for it (test/compass-writes.test.ts).
		expect(
			fields
				.filter((f) => f.required)
				.map((f) => f.id)
				.sort(),
		).toEqual(['invoice-date', 'invoice-number']);
		expect(byId(fields).get('invoice-date')).toMatchObject({
			type: 'dateTime',
			displayName: 'Invoice Date',
		});
	});

	test('update requires nothing; create or update proposes the default matching columns', async () => {
		expect((await fieldsOf('supplier', 'update')).filter((f) => f.required)).toEqual([]);
		const upsert = await fieldsOf('supplier', 'upsert');
		expect(upsert.filter((f) => f.defaultMatch).map((f) => f.id)).toEqual(['number']);
		const invoice = await fieldsOf('invoice', 'upsert');
		expect(
			invoice
				.filter((f) => f.defaultMatch)
				.map((f) => f.id)
				.sort(),
		).toEqual(['invoice-number', 'supplier']);
	});
});

describe('bodies built from the mapper', () => {
	test('supplier create: typed values, references nested under their key', async () => {
		const run = await bed.run({
			resource: 'supplier',
			operation: 'create',
			...mapped({
				name: 'Fresh Supplies Ltd',
				number: 'SUP-77',
				'invoice-matching-level': '3-way',
				'po-method': 'email',
				'payment-term': 'Net 30',
				parent: '5',
				'on-hold': 'false',
				'savings-pct': '2.5',
			}),
		});
		expect(run.error).toBeUndefined();
		expect(sentBodies()).toEqual([
			{
				name: 'Fresh Supplies Ltd',
				number: 'SUP-77',
				'invoice-matching-level': '3-way',
				'po-method': 'email',
				'payment-term': { code: 'Net 30' },
				parent: { id: 5 },
				'on-hold': false,
				'savings-pct': 2.5,
			},
		]);
		expect(jsonOf(run)[0]).toMatchObject({ name: 'Fresh Supplies Ltd', number: 'SUP-77' });
	});

	test('expressions map input fields, e.g. {{ $json.supplier_id }}', async () => {
		const run = await bed.run(
			{
				resource: 'invoice',
				operation: 'create',
				...mapped(
					{
						'invoice-number': '={{ $json.number }}',
						'invoice-date': '={{ $json.date }}',
						supplier: '={{ $json.supplier_id }}',
						currency: '={{ $json.currency }}',
					},
					{
						// Compass's invoice create also needs these (its Invoices API table and example).
						jsonBody:
							'{"account-type": {"name": "Account Type 1"}, "bill-to-address": {"id": 1}, "line-level-taxation": false}',
					},
				),
			},
			{ input: [{ number: 'INV-2025-001', date: '2025-03-04', supplier_id: 3, currency: 'EUR' }] },
		);
		expect(run.error).toBeUndefined();
		// A bare date goes as written: Compass asks for invoice dates without a time.
		expect(sentBodies()).toEqual([
			{
				'invoice-number': 'INV-2025-001',
				'invoice-date': '2025-03-04',
				supplier: { id: 3 },
				currency: { code: 'EUR' },
				'account-type': { name: 'Account Type 1' },
				'bill-to-address': { id: 1 },
				'line-level-taxation': false,
			},
		]);
	});

	test('the JSON Body fills in; a mapped field wins, whatever its spelling there', async () => {
		await bed.run({
			resource: 'supplier',
			operation: 'create',
			...mapped(
				{
					name: 'Acme',
					number: 'SUP-78',
					'invoice-matching-level': '3-way',
					'payment-term': 'Net 30',
				},
				{
					jsonBody:
						'{"number": "overridden", "tax_id": "DE123", "payment_term": {"id": 4}, "primary-contact": {"email": "a@acme.test"}}',
				},
			),
		});
		expect(sentBodies()).toEqual([
			{
				name: 'Acme',
				number: 'SUP-78',
				'invoice-matching-level': '3-way',
				'payment-term': { code: 'Net 30' },
				tax_id: 'DE123',
				'primary-contact': { email: 'a@acme.test' },
			},
		]);
	});

	test('Map Automatically takes the input keys that name a field, in hyphens or underscores', async () => {
		const run = await bed.run(
			{
				resource: 'supplier',
				operation: 'create',
				columns: { mappingMode: 'autoMapInputData', value: null } as unknown as INodeParameters,
			},
			{
				input: [
					{
						name: 'Auto One',
						invoice_matching_level: '3-way',
						po_method: 'email',
						'tax-id': 'T1',
						id: 99,
						'created-at': '2024-01-01T00:00:00Z',
						note: 'not a field',
					},
					{ Name: 'Auto Two', 'Invoice-Matching-Level': '2-way', PARENT: 4 },
				],
			},
		);
		expect(run.error).toBeUndefined();
		expect(sentBodies()).toEqual([
			{ name: 'Auto One', 'invoice-matching-level': '3-way', 'po-method': 'email', 'tax-id': 'T1' },
			{ name: 'Auto Two', 'invoice-matching-level': '2-way', parent: { id: 4 } },
		]);
	});

	test('custom fields go under custom-fields, legacy ones at the root', async () => {
		await bed.run({
			resource: 'supplier',
			operation: 'update',
			id: '2',
			...mapped(
				{ 'display-name': 'Acme Two' },
				{
					jsonBody: '{"custom_fields": {"region": "EMEA", "tier": "gold"}}',
					customFields: {
						field: [
							{ name: 'tier', value: 'platinum' },
							{ name: 'erp-code', value: 'E-9', legacy: true },
							{ name: 'skip-me', value: '' },
						],
					},
				},
			),
		});
		expect(sentBodies()).toEqual([
			{
				'display-name': 'Acme Two',
				'erp-code': 'E-9',
				'custom-fields': { region: 'EMEA', tier: 'platinum' },
			},
		]);
	});

	test('lines from the Lines parameter, mapped from the input item, replace the JSON Body lines', async () => {
		const lines = [
			{ description: 'Laptop', quantity: 2, price: 999, account: { code: 'ACC-1001' } },
			{ description: 'Dock', quantity: 2, price: 150 },
		];
		const run = await bed.run(
			{
				resource: 'purchaseOrder',
				operation: 'create',
				...mapped(
					{ 'po-number': 'EXT-9', supplier: 2, 'ship-to-address': 1, 'ship-to-user': 'user1' },
					{ lines: '={{ $json.lines }}', jsonBody: '{"order_lines": [{"description": "old"}]}' },
				),
			},
			{ input: [{ lines }] },
		);
		expect(run.error).toBeUndefined();
		expect(sentBodies()).toEqual([
			// Create of a purchase order is Compass's external PO: its type is sent.
			{
				'po-number': 'EXT-9',
				supplier: { id: 2 },
				'ship-to-address': { id: 1 },
				'ship-to-user': { login: 'user1' },
				'order-lines': lines,
				type: 'ExternalOrderHeader',
			},
		]);
	});

	test('a workflow with only a JSON Body works as before, without the mapper', async () => {
		// What Coupa requires of an order (the spec, Compass's Purchase Orders API): lines, ship-to, supplier.
		const body = {
			'po-number': 'EXT-1',
			supplier: { id: 2 },
			'ship-to-address': { id: 1 },
			'ship-to-user': { login: 'user1' },
			'order-lines': [{ description: 'Dock', quantity: 1, price: 150 }],
		};
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'create',
			jsonBody: JSON.stringify(body),
		});
		expect(run.error).toBeUndefined();
		expect(sentBodies()).toEqual([{ ...body, type: 'ExternalOrderHeader' }]);
	});
});

describe('refused before any request, naming the field', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		[
			'a required field left empty',
			{
				resource: 'supplier',
				operation: 'create',
				...mapped({ number: 'SUP-1', name: '', 'invoice-matching-level': '3-way' }),
			},
			/Coupa needs Name \(name\) to create a supplier/,
		],
		[
			'required lines missing',
			{ resource: 'requisition', operation: 'create', ...mapped({ justification: 'x' }) },
			/Coupa needs requisition-lines to create a requisition/,
		],
		[
			'a number that is not one',
			{ resource: 'supplier', operation: 'update', id: '2', ...mapped({ 'savings-pct': 'lots' }) },
			/Savings Pct field \(savings-pct\) must be a number, not "lots"/,
		],
		[
			'a whole number that is not whole',
			{
				resource: 'user',
				operation: 'update',
				id: '2',
				...mapped({ 'account-security-type': '1.5' }),
			},
			/Account Security Type field \(account-security-type\) must be a whole number, not "1.5"/,
		],
		[
			'a custom field name that is none',
			{
				resource: 'supplier',
				operation: 'update',
				id: '2',
				customFields: { field: [{ name: '__proto__', value: 'x' }] },
			},
			/Custom Fields > row 1: "__proto__" is not a Coupa field name/,
		],
		[
			'a reference ID that is not one',
			{ resource: 'supplier', operation: 'update', id: '2', ...mapped({ parent: '4.5' }) },
			/Parent ID field \(parent\) must be a Coupa record ID/,
		],
		[
			'a date that is not ISO 8601',
			{
				resource: 'invoice',
				operation: 'create',
				...mapped({ 'invoice-number': 'I-1', supplier: 3, 'invoice-date': '31/01/2025' }),
			},
			/Invoice Date field \(invoice-date\) "31\/01\/2025" is not an ISO 8601 date/,
		],
		[
			'a date not on the calendar',
			{
				resource: 'invoice',
				operation: 'update',
				id: '2',
				...mapped({ 'invoice-date': '2025-02-30' }),
			},
			/"2025-02-30" is not an ISO 8601 date/,
		],
		[
			'an unknown enum value',
			{ resource: 'supplier', operation: 'update', id: '2', ...mapped({ 'po-method': 'fax' }) },
			/PO Method field \(po-method\) cannot be "fax"/,
		],
		[
			'a flag that is not one',
			{ resource: 'supplier', operation: 'update', id: '2', ...mapped({ 'on-hold': 'maybe' }) },
			/On Hold field \(on-hold\) must be true or false/,
		],
		[
			'lines that are not a list',
			{ resource: 'purchaseOrder', operation: 'update', id: '2', lines: '{"description": "x"}' },
			/Lines parameter must be a JSON list/,
		],
		[
			'a custom field without a name',
			{
				resource: 'supplier',
				operation: 'update',
				id: '2',
				customFields: { field: [{ name: ' ', value: 'x' }] },
			},
			/Custom Fields > row 1 has no field name/,
		],
	];

	test.each(cases)('%s', async (_label, parameters, message) => {
		const run = await bed.run(parameters);
		expect(run.error?.message).toMatch(message);
		expect(bed.coupa.log).toHaveLength(0);
	});

	test('an unknown enum value lists what Coupa accepts', async () => {
		const run = await bed.run({
			resource: 'supplier',
			operation: 'update',
			id: '2',
			...mapped({ 'po-method': 'fax' }),
		});
		expect(run.error?.description).toBe(
			'Coupa accepts: cxml, xml, email, prompt, mark_as_sent, buy_online.',
		);
	});

	test('an enum value in other case is sent as Coupa spells it', async () => {
		await bed.run({
			resource: 'supplier',
			operation: 'update',
			id: '2',
			...mapped({ 'po-method': 'EMAIL' }),
		});
		expect(sentBodies()).toEqual([{ 'po-method': 'email' }]);
	});
});
