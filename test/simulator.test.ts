/**
 * The simulator speaks Coupa as Compass and the R39 specs document it, checked over plain HTTP:
 * every path of the digest, records shaped by their schemas, Coupa's formats and special rules.
 * The node's own tests trust it, so its mistakes would hide the node's.
 */
import { DIGEST, schemaFields } from '../nodes/shared/schema/digest';
import { CoupaSimulator, DEFAULT_API_KEY, DEFAULT_CLIENT, SIM_TYPES } from './coupa-simulator';
import { COLLECTIONS } from './coupa-simulator/resources';

let coupa: CoupaSimulator;
beforeAll(async () => {
	coupa = await CoupaSimulator.start();
});
afterAll(async () => {
	await coupa.stop();
});

const JSON_HEADERS = { accept: 'application/json', 'x-coupa-api-key': DEFAULT_API_KEY };

async function call(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
) {
	const response = await fetch(`${coupa.url}/api/${path}`, {
		method,
		headers: {
			...JSON_HEADERS,
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {
		status: response.status,
		text,
		json: json as Record<string, unknown> & Array<Record<string, unknown>>,
		headers: response.headers,
	};
}

/** A concrete path for a template: each parent id the first record of the parent collection has. */
function concrete(template: string): string {
	let path = '';
	for (const segment of template.split('/')) {
		if (segment.startsWith('{') && segment !== '{id}') {
			// A parent outside the specs' collections (`charges`) exists for the first ids.
			path += `/${known(path) ? coupa.records(path)[0].id : 1}`;
		} else {
			path += path ? `/${segment}` : segment;
		}
	}
	return path;
}

const known = (path: string) => COLLECTIONS.match(path) !== undefined;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe.each(
	SIM_TYPES.filter((t) =>
		t.resource.operations.some((o) => o.kind === 'collection' && o.method === 'GET'),
	).map((t) => [t.resource.path, t] as const),
)('%s', (template, type) => {
	test('index and show answer records with the fields of the schema, hyphenated as Coupa spells them', async () => {
		const path = concrete(template);
		const list = await call('GET', path);
		expect(list.status).toBe(200);
		expect(Array.isArray(list.json)).toBe(true);
		expect(list.json.length).toBeGreaterThan(0);
		const names = schemaFields(type.schema).map((f) => f.name);
		const first = list.json[0];
		for (const name of names) expect(first).toHaveProperty([name]);
		// Beyond the schema only customer-defined fields: the namespace, and suppliers' legacy one.
		const extra = Object.keys(first).filter((key) => !names.includes(key));
		for (const key of extra)
			expect(['custom-fields', ...(template === 'suppliers' ? ['supplier-tier'] : [])]).toContain(
				key,
			);
		for (const field of schemaFields(type.schema)) {
			const value = first[field.name];
			if (value === null || value === undefined) continue;
			if (field.type === 'dateTime') expect(value).toMatch(TIMESTAMP);
			if (field.type === 'integer') expect(Number.isInteger(value)).toBe(true);
			if (field.type === 'boolean') expect(typeof value).toBe('boolean');
			if (field.type === 'object')
				expect(value).toEqual(expect.objectContaining({ id: expect.any(Number) }));
			if (field.type === 'array') expect(Array.isArray(value)).toBe(true);
		}
		if (type.resource.operations.some((o) => o.kind === 'member' && o.method === 'GET')) {
			const one = await call('GET', `${path}/${String(first.id)}`);
			expect(one.status).toBe(200);
			expect(one.json).toEqual(first);
			expect((await call('GET', `${path}/987654`)).status).toBe(404);
		}
	});
});

describe('nested collections check their parents', () => {
	test.each(
		SIM_TYPES.filter((t) => t.parentCollection && t.resource.parents.length === 1).map(
			(t) => [t.resource.path] as const,
		),
	)('%s: an unknown parent is a 404', async (template) => {
		const path = template.replace(/\{[^}]+\}/, '987654');
		expect((await call('GET', path)).status).toBe(404);
	});

	test('an address asked for under another supplier is not found', async () => {
		const [address] = coupa.records('suppliers/3/addresses');
		expect((await call('GET', `suppliers/3/addresses/${address.id}`)).status).toBe(200);
		expect((await call('GET', `suppliers/4/addresses/${address.id}`)).status).toBe(404);
	});
});

describe('every operation of the spec has a route, and only those', () => {
	const operations = DIGEST.resources.flatMap((r) =>
		r.operations.map((o) => [`${o.method} ${o.path}`, o] as const),
	);

	test.each(operations)('%s', async (_label, operation) => {
		const recordPath = concrete(operation.path.replace(/\/\{id\}.*$/, ''));
		const id = operation.path.includes('{id}') ? String(coupa.records(recordPath)[0]?.id ?? 1) : '';
		const parents = recordPath.split('/');
		let path = operation.path.replace('{id}', id);
		for (const [i, segment] of operation.path.split('/').entries())
			if (segment.startsWith('{') && segment !== '{id}')
				path = path.replace(segment, parents[i] ?? '1');
		const answer = await call(
			operation.method,
			path,
			operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {},
		);
		expect(answer.text).not.toContain('No route matches');
		expect(answer.status).not.toBe(404);
	});

	test.each(
		SIM_TYPES.filter(
			(t) => !t.resource.operations.some((o) => o.method === 'DELETE' && o.kind === 'member'),
		).map((t) => [t.resource.path] as const),
	)('%s: no DELETE where the spec has none', async (template) => {
		const path = concrete(template);
		const [first] = coupa.records(path);
		const answer = await call('DELETE', `${path}/${first.id}`);
		expect(answer.status).toBe(404);
		expect(coupa.record(path, first.id)).toBeDefined();
	});
});

describe("Coupa's formats", () => {
	test('timestamps are whole seconds with the instance offset, summer and winter', async () => {
		const { json } = await call('GET', 'invoices/1');
		expect(json['created-at']).toBe('2023-12-31T16:01:00-08:00');
		coupa.setNow(new Date('2024-07-01T12:00:00.789Z'));
		const created = await call('POST', 'lookups', coupa.sampleBody('lookups'));
		expect(created.json['created-at']).toBe('2024-07-01T05:00:00-07:00');
	});

	test('currencies carry no timestamps', async () => {
		const { json } = await call('GET', 'currencies/2');
		expect(json).not.toHaveProperty(['created-at']);
		expect(json).not.toHaveProperty(['updated-at']);
		expect(json.code).toBe('EUR');
	});

	test('no invented keys: invoice total, requisition description, approval amount', async () => {
		expect((await call('GET', 'invoices/1')).json).not.toHaveProperty(['total']);
		expect((await call('GET', 'requisitions/1')).json).not.toHaveProperty([
			'requisition-description',
		]);
		expect((await call('GET', 'approvals/1')).json).not.toHaveProperty(['amount']);
	});

	test('custom fields sit under custom-fields, and a legacy one at the root of suppliers', async () => {
		const supplier = (await call('GET', 'suppliers/2')).json;
		expect(supplier['custom-fields']).toEqual(
			expect.objectContaining({
				'project-code': 'PRJ-102',
				'cost-center': expect.objectContaining({ id: expect.any(Number) }),
			}),
		);
		expect(supplier['supplier-tier']).toEqual(expect.any(String));
		expect((await call('GET', 'purchase_orders/2')).json['custom-fields']).toBeDefined();
	});

	test('main records are as large and deep as real ones', async () => {
		const supplier = await call('GET', 'suppliers/3');
		expect(supplier.text.length).toBeGreaterThan(15_000);
		expect(supplier.text.length).toBeLessThan(30_000);
		// supplier → commodity, payment terms, content groups... → their creators: users written out three levels down.
		const nested = Object.values(supplier.json).filter(
			(v): v is Record<string, unknown> =>
				v !== null && typeof v === 'object' && !Array.isArray(v) && 'created-by' in v,
		);
		expect(nested.length).toBeGreaterThan(5);
		for (const object of nested)
			expect(object['created-by']).toEqual(
				expect.objectContaining({ login: expect.any(String), email: expect.any(String) }),
			);
		expect(supplier.json['created-by']).toEqual(
			expect.objectContaining({ login: expect.any(String) }),
		);
		const order = (await call('GET', 'purchase_orders/3')).json;
		expect(order['order-lines']).toHaveLength(2);
		expect((order['order-lines'] as Array<Record<string, unknown>>)[0]).toEqual(
			expect.objectContaining({
				account: expect.objectContaining({ code: expect.stringMatching(/^ACC-/) }),
			}),
		);
	});

	test('a reference names the record it points at', async () => {
		const order = (await call('GET', 'purchase_orders/5')).json;
		const supplier = order.supplier as { id: number; name: string };
		expect(supplier.name).toBe(coupa.record('suppliers', supplier.id)?.name);
	});

	test('attachments carry file-file-name, file-file-size and file-url', async () => {
		const form = new FormData();
		form.append('attachment[file]', new Blob(['scanned receipt']), 'receipt.txt');
		form.append('attachment[type]', 'file');
		form.append('attachment[intent]', 'Supplier');
		const response = await fetch(`${coupa.url}/api/invoices/2/attachments`, {
			method: 'POST',
			headers: JSON_HEADERS,
			body: form,
		});
		const attachment = (await response.json()) as Record<string, unknown>;
		expect(response.status).toBe(201);
		expect(attachment).toMatchObject({
			type: 'file',
			intent: 'Supplier',
			'file-file-name': 'receipt.txt',
			'file-file-size': '15',
			'file-url': expect.stringContaining('receipt.txt'),
		});
		expect(attachment).not.toHaveProperty(['file-name']);
		expect((await call('GET', 'invoices/2/attachments')).json).toContainEqual(attachment);
	});

	test('XML by default, JSON only when asked', async () => {
		const xml = await call('GET', 'suppliers/2', undefined, { accept: '*/*' });
		expect(xml.headers.get('content-type')).toContain('application/xml');
		expect(xml.text).toContain('<supplier>');
		expect(xml.text).toContain('<name>Acme Supply 2</name>');
		const invalid = await call(
			'POST',
			'users',
			{ login: 'someone' },
			{ accept: 'application/xml' },
		);
		expect(invalid.status).toBe(400);
		expect(invalid.text).toContain("<errors><error>Email can't be blank</error>");
	});
});

describe('reading', () => {
	test('50 rows a page at most, limit and offset', async () => {
		const page = await call('GET', 'purchase_orders?limit=100&offset=120');
		expect(page.json.map((r) => r.id)).toEqual(Array.from({ length: 17 }, (_, i) => 121 + i));
		expect((await call('GET', 'purchase_orders?limit=100')).json).toHaveLength(50);
	});

	test('nested filters, operators, order_by with underscores; hyphens refused', async () => {
		const byName = await call(
			'GET',
			'purchase_orders?supplier[name]=Acme%20Supply%203&fields=["id"]',
		);
		expect(byName.json.map((r) => r.id)).toEqual(
			coupa
				.records('purchase_orders')
				.filter((r) => (r.supplier as { name: string }).name === 'Acme Supply 3')
				.map((r) => r.id),
		);
		const ordered = await call(
			'GET',
			'purchase_orders?order_by=updated_at&dir=desc&limit=3&fields=["id","updated-at"]',
		);
		expect(ordered.status).toBe(200);
		const times = ordered.json.map((r) => Date.parse(String(r['updated-at'])));
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect((await call('GET', 'purchase_orders?order_by=updated-at')).status).toBe(400);
		expect((await call('GET', 'purchase_orders?id[gt]=130&fields=["id"]')).json).toHaveLength(7);
	});

	test('return_object: limited, shallow (ids and natural keys), none refused on reads', async () => {
		expect((await call('GET', 'invoices?limit=2&return_object=limited')).json).toEqual([
			{ id: 1 },
			{ id: 2 },
		]);
		const shallow = (await call('GET', 'invoices/1?return_object=shallow')).json;
		expect(shallow.supplier).toEqual({
			id: 2,
			name: 'Acme Supply 2',
			number: 'SUP-2',
			'display-name': 'Acme Supply 2',
		});
		expect((await call('GET', 'invoices/1?return_object=none')).status).toBe(400);
	});

	test('named response filters and the admin default filter', async () => {
		coupa.addResponseFilter('slim', ['id', 'status']);
		expect((await call('GET', 'invoices/1?filter=slim')).json).toEqual({
			id: 1,
			status: coupa.record('invoices', 1)?.status,
		});
		expect((await call('GET', 'invoices/1?filter=unknown')).status).toBe(400);
		coupa.setDefaultFilter('invoices', ['id', 'invoice-number']);
		try {
			expect((await call('GET', 'invoices?limit=1')).json).toEqual([
				{ id: 1, 'invoice-number': 'INV-00001' },
			]);
		} finally {
			coupa.setDefaultFilter('invoices');
		}
	});
});

describe('writing', () => {
	test("a create missing required fields: 400 naming each, keyed by Coupa's model", async () => {
		const answer = await call('POST', 'users', { login: 'someone' });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			errors: {
				user: expect.arrayContaining(["Email can't be blank", "Firstname can't be blank"]),
			},
		});
		const orders = await call('POST', 'purchase_orders', { type: 'ExternalOrderHeader' });
		expect(orders.json).toEqual({
			errors: {
				order_header: expect.arrayContaining([
					"Supplier can't be blank",
					"Order lines can't be blank",
				]),
			},
		});
	});

	test('Compass (Purchase Orders API): POST /purchase_orders makes external orders only, type ExternalOrderHeader', async () => {
		const body = coupa.sampleBody('purchase_orders');
		expect(body.type).toBe('ExternalOrderHeader');
		expect((await call('POST', 'purchase_orders', body)).status).toBe(201);
		const plain = await call('POST', 'purchase_orders', { ...body, type: undefined });
		expect(plain.status).toBe(400);
		expect(JSON.stringify(plain.json)).toContain('ExternalOrderHeader');
	});

	test('Compass (Lookup Import): external-ref-num and name are unique per lookup and parent, not across lookups', async () => {
		const values = coupa.records('lookup_values');
		const taken = values[0];
		const other = values.find(
			(v) => (v.lookup as { id: number }).id !== (taken.lookup as { id: number }).id,
		)!;
		const lookupOf = (v: typeof taken) => ({ id: (v.lookup as { id: number }).id });
		const sameLookup = await call('POST', 'lookup_values', {
			name: 'Fresh',
			lookup: lookupOf(taken),
			parent: taken.parent ?? null,
			'external-ref-num': taken['external-ref-num'],
		});
		expect(sameLookup.status).toBe(400);
		expect(JSON.stringify(sameLookup.json)).toContain('External ref num has already been taken');
		const otherLookup = await call('POST', 'lookup_values', {
			name: 'Fresh',
			lookup: lookupOf(other),
			'external-ref-num': taken['external-ref-num'],
		});
		expect(otherLookup.status).toBe(201);
	});

	test("Compass's types over the spec's: hide-price is true or false, invoice-date a date without a time", async () => {
		expect(
			(await call('PUT', 'purchase_orders/3', { 'hide-price': true })).json['hide-price'],
		).toBe(true);
		expect((await call('PUT', 'purchase_orders/3', { 'hide-price': { id: 1 } })).json).toEqual({
			errors: { order_header: ['Hide price must be true or false'] },
		});
		expect(
			(await call('PUT', 'invoices/1', { 'invoice-date': '2024-03-01' })).json['invoice-date'],
		).toBe('2024-03-01');
		expect(
			(await call('PUT', 'invoices/1', { 'invoice-date': '2024-03-01T00:00:00Z' })).json,
		).toEqual({
			errors: { invoice_header: ['Invoice date must be a date (YYYY-MM-DD) without a time'] },
		});
	});

	test("references by the keys Compass's examples use: supplier by name or number, account by code and type, currency by code, user by login", async () => {
		const byNumber = await call('PUT', 'purchase_orders/3', { supplier: { number: 'SUP-5' } });
		expect(byNumber.json.supplier).toMatchObject({ id: 5, name: 'Acme Supply 5' });
		expect(
			(await call('PUT', 'purchase_orders/3', { supplier: { name: 'Acme Supply 6' } })).json
				.supplier,
		).toMatchObject({ id: 6 });
		expect((await call('PUT', 'purchase_orders/3', { supplier: { number: 'NOPE' } })).json).toEqual(
			{ errors: { order_header: ['Supplier with number NOPE was not found'] } },
		);
		expect(
			(await call('PUT', 'purchase_orders/3', { currency: { code: 'EUR' } })).json.currency,
		).toMatchObject({ code: 'EUR' });
		expect(
			(await call('PUT', 'purchase_orders/3', { 'ship-to-user': { login: 'user4' } })).json[
				'ship-to-user'
			],
		).toMatchObject({ id: 4 });
		const account = coupa.record('accounts', 2)!;
		const type = account['account-type'] as { id: number; name: string };
		const lines = [
			{
				description: 'Cleaning',
				account: { code: account.code, 'account-type': { name: type.name } },
			},
			{ description: 'Laptop', item: { 'item-number': 'ITM-00004' } },
			{ description: 'Desk', item: { name: 'Item 5' } },
		];
		const requisition = await call('PUT', 'requisitions/3', { 'requisition-lines': lines });
		expect(requisition.json['requisition-lines']).toEqual([
			expect.objectContaining({ account: expect.objectContaining({ id: 2, code: account.code }) }),
			expect.objectContaining({ item: expect.objectContaining({ id: 4 }) }),
			expect.objectContaining({ item: expect.objectContaining({ id: 5 }) }),
		]);
		const unknown = await call('PUT', 'requisitions/3', {
			'requisition-lines': [{ item: { 'item-number': 'NOPE' } }],
		});
		expect(unknown.json).toEqual({
			errors: { requisition_header: ['Item with item-number NOPE was not found'] },
		});
	});

	test('sampleBody is accepted; read-only fields in a body are ignored', async () => {
		const answer = await call('POST', 'suppliers', {
			...coupa.sampleBody('suppliers'),
			name: 'Brand New Ltd',
			exported: true,
			id: 5,
			'created-at': '2001-01-01T00:00:00Z',
		});
		expect(answer.status).toBe(201);
		expect(answer.json.name).toBe('Brand New Ltd');
		expect(answer.json.id).toBe(coupa.records('suppliers').length);
		expect(answer.json['created-at']).not.toBe('2001-01-01T00:00:00Z');
		expect(
			(await call('POST', 'suppliers', { ...coupa.sampleBody('suppliers'), name: 'brand new ltd' }))
				.json,
		).toEqual({ errors: { supplier: ['Name has already been taken'] } });
	});

	test('references: an object naming a record Coupa has, answered with its natural keys', async () => {
		const answer = await call('PUT', 'purchase_orders/3', { supplier: { id: 4 } });
		expect(answer.json.supplier).toEqual({
			id: 4,
			name: 'Acme Supply 4',
			number: 'SUP-4',
			'display-name': 'Acme Supply 4',
		});
		expect((await call('PUT', 'purchase_orders/3', { supplier: { id: 987654 } })).json).toEqual({
			errors: { order_header: ['Supplier with id 987654 was not found'] },
		});
		expect((await call('PUT', 'purchase_orders/3', { supplier: 4 })).json).toEqual({
			errors: { order_header: ['Supplier must be an object such as {"id": 1}'] },
		});
		expect(coupa.record('purchase_orders', 3)?.supplier).toMatchObject({ id: 4 });
	});

	test('a nested create lands under its parent', async () => {
		const answer = await call(
			'POST',
			'suppliers/5/addresses',
			coupa.sampleBody('suppliers/5/addresses'),
		);
		expect(answer.status).toBe(201);
		expect(coupa.record('suppliers/5/addresses', Number(answer.json.id))).toBeDefined();
		expect(
			(await call('POST', 'suppliers/987654/addresses', coupa.sampleBody('suppliers/5/addresses')))
				.status,
		).toBe(404);
	});

	test('a body not declared as JSON is refused with 415', async () => {
		expect(
			(await call('PUT', 'suppliers/2', undefined, { 'content-type': 'text/plain' })).status,
		).toBe(200);
		const response = await fetch(`${coupa.url}/api/suppliers/2`, {
			method: 'PUT',
			headers: { ...JSON_HEADERS, 'content-type': 'text/plain' },
			body: '{"name":"Undeclared"}',
		});
		expect(response.status).toBe(415);
		expect(coupa.record('suppliers', 2)?.name).not.toBe('Undeclared');
	});

	test('PATCH answers where the spec folded it into PUT', async () => {
		const answer = await call('PATCH', 'accounts/3', { name: 'Patched account' });
		expect(answer.status).toBe(200);
		expect(coupa.record('accounts', 3)?.name).toBe('Patched account');
	});

	test('delete where the spec has DELETE; only a new invoice', async () => {
		const line = coupa.records('purchase_order_lines')[0];
		expect((await call('DELETE', `purchase_order_lines/${line.id}`)).status).toBe(200);
		expect(coupa.record('purchase_order_lines', line.id)).toBeUndefined();
		coupa.record('invoices', 2)!.status = 'approved';
		expect((await call('DELETE', 'invoices/2')).json).toEqual({
			errors: { invoice_header: ['Only a new invoice can be deleted; this one is approved'] },
		});
	});
});

describe('Mark Exported as Compass documents it', () => {
	beforeEach(() => coupa.seed('purchase_orders', 137));

	test('PUT ?exported=true sets the flag, ?exported=false clears it; the body is ignored', async () => {
		coupa.record('purchase_orders', 4)!.exported = false;
		const marked = await call('PUT', 'purchase_orders/4?exported=true', {
			'ship-to-attention': 'ignored',
		});
		expect(marked.json).toMatchObject({ id: 4, exported: true });
		expect(coupa.record('purchase_orders', 4)?.['ship-to-attention']).not.toBe('ignored');
		expect(coupa.record('purchase_orders', 4)?.['last-exported-at']).toMatch(TIMESTAMP);
		expect((await call('PUT', 'purchase_orders/4?exported=false')).json.exported).toBe(false);
	});

	test('exported in a body is ignored: it is read-only', async () => {
		coupa.record('invoices', 3)!.exported = false;
		const answer = await call('PUT', 'invoices/3', { exported: true });
		expect(answer.status).toBe(200);
		expect(coupa.record('invoices', 3)?.exported).toBe(false);
	});

	test('the flag resets on a new PO version only, not on any edit', async () => {
		expect(coupa.record('purchase_orders', 5)?.status).toBe('issued');
		await call('PUT', 'purchase_orders/5?exported=true');
		await call('PUT', 'purchase_orders/5', { 'custom-fields': { 'project-code': 'X' } });
		expect(coupa.record('purchase_orders', 5)).toMatchObject({ exported: true, version: 1 });
		await call('PUT', 'purchase_orders/5', { 'order-lines': [{ id: 51, quantity: '3.0' }] });
		expect(coupa.record('purchase_orders', 5)).toMatchObject({ exported: false, version: 2 });
		// Custom fields merge: the untouched ones stay.
		expect(coupa.record('purchase_orders', 5)?.['custom-fields']).toMatchObject({
			'project-code': 'X',
			'capex-flag': expect.any(Boolean),
		});
	});
});

describe('actions', () => {
	test('approval reject takes its reason as a query parameter', async () => {
		coupa.record('approvals', 4)!.status = 'pending';
		const answer = await call('PUT', 'approvals/4/reject?reason=Over%20budget');
		expect(answer.json).toMatchObject({ id: 4, status: 'rejected', note: 'Over budget' });
		expect((await call('PUT', 'approvals/4/approve')).status).toBe(400);
	});

	test('a member action answers the record; a collection action that creates answers 201', async () => {
		coupa.record('purchase_orders', 1)!.status = 'draft';
		expect((await call('PUT', 'purchase_orders/1/issue')).json).toMatchObject({
			id: 1,
			status: 'issued',
		});
		const cart = await call(
			'POST',
			'requisitions/create_as_cart',
			coupa.sampleBody('requisitions'),
		);
		expect(cart.status).toBe(201);
		expect(cart.json.status).toBe('cart');
	});
});

describe('scopes', () => {
	async function tokenFor(scope: string): Promise<string> {
		const response = await fetch(`${coupa.url}/oauth2/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: DEFAULT_CLIENT.id,
				client_secret: DEFAULT_CLIENT.secret,
				scope,
			}),
		});
		return ((await response.json()) as { access_token: string }).access_token;
	}

	test('receipts need core.inventory.receiving, not core.inventory.transaction', async () => {
		const bearer = {
			authorization: `Bearer ${await tokenFor('core.inventory.receiving.read')}`,
			'x-coupa-api-key': '',
		};
		expect((await call('GET', 'inventory_transactions', undefined, bearer)).status).toBe(200);
		expect((await call('GET', 'receiving_transactions', undefined, bearer)).status).toBe(200);
		expect((await call('GET', 'invoices', undefined, bearer)).status).toBe(403);
	});

	test('invoice void and abandon need core.invoice.delete; write is not enough', async () => {
		coupa.record('invoices', 6)!.status = 'approved';
		const write = {
			authorization: `Bearer ${await tokenFor('core.invoice.write')}`,
			'x-coupa-api-key': '',
		};
		const refused = await call('PUT', 'invoices/6/void', undefined, write);
		expect(refused.status).toBe(403);
		expect(refused.text).toContain('core.invoice.delete');
		const remove = {
			authorization: `Bearer ${await tokenFor('core.invoice.delete')}`,
			'x-coupa-api-key': '',
		};
		expect((await call('PUT', 'invoices/6/void', undefined, remove)).json.status).toBe('voided');
	});
});

test('compact records keep every field of the schema, small enough for listings of tens of thousands', async () => {
	const compact = await CoupaSimulator.start({
		recordDetail: 'compact',
		seedCounts: { purchase_orders: 3 },
	});
	try {
		const [order] = compact.records('purchase_orders');
		expect(Object.keys(order)).toEqual(
			expect.arrayContaining(schemaFields('OrderHeader').map((f) => f.name)),
		);
		expect(order['order-lines']).toEqual([]);
		expect(JSON.stringify(order).length).toBeLessThan(5000);
		expect(compact.records('purchase_orders')).toHaveLength(3);
	} finally {
		await compact.stop();
	}
});
