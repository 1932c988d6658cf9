/** Create, Update, Delete, Mark Exported, every action, attachments and the custom call, through n8n's engine. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FIRST_RESOURCES, RESOURCES } from '../nodes/shared/schema/catalog';

/** The first release's objects, which the simulator seeds; every other object is covered by every-resource tests. */
const FIRST = RESOURCES.filter((r) => FIRST_RESOURCES.includes(r.value));
import { DEFAULT_CLIENT, SIM_TYPES } from './coupa-simulator';
import { STATE_RULES } from './coupa-simulator/rules';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => {
	for (const resource of FIRST)
		bed.coupa.seed(resource.path, resource.path === 'purchase_orders' ? 137 : 12);
	bed.coupa.clearLog();
});

/** A body each object accepts (the simulator enforces Coupa's required fields). */
const SAMPLE_BODIES: Record<string, IDataObject> = {
	expenseReport: { title: 'Trip to Reno' },
	// References by name must name records Coupa has (the seeded account types and lookups).
	account: { code: 'ACC-9000', name: 'Travel', 'account-type': { name: 'Account Type 1' } },
	// Compass (Invoices API): the invoice date is a date, no time stamp.
	invoice: { 'invoice-number': 'INV-NEW-1', supplier: { id: 3 }, 'invoice-date': '2025-01-31' },
	lookupValue: { name: 'CC-900', lookup: { name: 'Lookup 1' } },
	purchaseOrder: { 'po-number': 'EXT-1', supplier: { id: 2 } },
	requisition: { 'requisition-lines': [{ description: 'Laptop', quantity: 1 }] },
	supplier: { name: 'Brand New Supplier', number: 'SUP-NEW' },
	user: { login: 'newuser', email: 'newuser@example.com', firstname: 'New' },
};
/** What the spec requires of a new record (the simulator's sample), with the fields above on top. */
const bodyFor = (resource: string, path: string): IDataObject => ({
	...(bed.coupa.sampleBody(path) as IDataObject),
	...(SAMPLE_BODIES[resource] ?? {}),
});

/** A field of the object the API may write (Compass's In column, as the simulator takes it), and a new value for it: text where it has some. */
function change(path: string): [string, string] {
	const fields = SIM_TYPES.find((t) => t.resource.path === path)!.fields.filter(
		(f) => !f.readOnly && !f.enum && !f.allowed && f.name !== 'status',
	);
	const text = fields.find((f) => f.type === 'string');
	return text
		? [text.name, 'changed by n8n']
		: [fields.find((f) => f.type === 'number')!.name, '1.2345'];
}

const withOperation = (operation: string) =>
	FIRST.filter((r) => r.operations.includes(operation)).map((r) => [r.value, r.path] as const);

describe.each(withOperation('create'))('%s Create', (resource, path) => {
	test('POSTs the JSON Body and returns the record Coupa created', async () => {
		const before = bed.coupa.records(path).length;
		const body = bodyFor(resource, path);
		const run = await bed.run({ resource, operation: 'create', jsonBody: JSON.stringify(body) });
		expect(run.error).toBeUndefined();
		const [request] = bed.coupa.apiRequests();
		expect([request.method, request.path]).toEqual(['POST', `/api/${path}`]);
		expect(request.headers['content-type']).toContain('application/json');
		// An empty body (nothing Compass requires that the spec's schema has) may be sent as none.
		expect(request.body === '' ? {} : JSON.parse(request.body)).toMatchObject(body);
		const [created] = jsonOf(run);
		expect(bed.coupa.records(path)).toHaveLength(before + 1);
		expect(created).toEqual(bed.coupa.record(path, Number(created.id)));
	});
});

describe.each(withOperation('update'))('%s Update', (resource, path) => {
	test('PUTs the changes to the record and returns it', async () => {
		const [field, value] = change(path);
		const run = await bed.run({
			resource,
			operation: 'update',
			id: '2',
			jsonBody: JSON.stringify({ [field]: value }),
		});
		expect(run.error).toBeUndefined();
		const [request] = bed.coupa.apiRequests();
		expect([request.method, request.path, JSON.parse(request.body)]).toEqual([
			'PUT',
			`/api/${path}/2`,
			{ [field]: value },
		]);
		expect(jsonOf(run)).toEqual([bed.coupa.record(path, 2)]);
		expect(bed.coupa.record(path, 2)?.[field]).toBe(value);
	});
});

describe.each(withOperation('delete'))('%s Delete', (resource, path) => {
	test('DELETEs the record', async () => {
		const id = path === 'invoices' ? 4 : 1; // only a "new" invoice can be deleted
		const run = await bed.run({ resource, operation: 'delete', id: String(id) });
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests().map((r) => [r.method, r.path])).toEqual([
			['DELETE', `/api/${path}/${id}`],
		]);
		expect(bed.coupa.record(path, id)).toBeUndefined();
		expect(jsonOf(run)[0].id).toBe(id);
	});
});

test('Delete is offered only where Coupa allows it', () => {
	expect(
		withOperation('delete')
			.map(([value]) => value)
			.sort(),
	).toEqual(
		[
			'budgetLine',
			'expenseLine',
			'expenseReport',
			'invoice',
			'purchaseOrderLine',
			'requisition',
		].sort(),
	);
});

describe.each(FIRST.filter((r) => r.exported).map((r) => [r.value, r.path] as const))(
	'%s Mark Exported',
	(resource, path) => {
		test('sets exported=true, and exported=false when asked, as a query parameter of its own request (Compass)', async () => {
			bed.coupa.record(path, 2)!.exported = false;
			const marked = await bed.run({ resource, operation: 'markExported', id: '2' });
			expect(marked.error).toBeUndefined();
			expect(
				bed.coupa.apiRequests().map((r) => [r.method, r.path, r.query.exported, r.body]),
			).toEqual([['PUT', `/api/${path}/2`, 'true', '']]);
			expect(bed.coupa.record(path, 2)?.exported).toBe(true);
			const unmarked = await bed.run({
				resource,
				operation: 'markExported',
				id: '2',
				exported: false,
			});
			expect(jsonOf(unmarked)[0].exported).toBe(false);
		});
	},
);

/** The first release's actions (the overlay describes each); the others are covered by every-resource tests. */
const actionCases = FIRST.flatMap((resource) =>
	resource.endpoints
		.filter(
			(endpoint) => endpoint.kind === 'action' && resource.overlay.operations?.[endpoint.value],
		)
		.map((endpoint) => [`${resource.value} ${endpoint.value}`, resource, endpoint] as const),
);

describe.each(actionCases)('%s', (_label, resource, endpoint) => {
	test('is sent as Coupa specifies and changes the record', async () => {
		const action = endpoint.path.split('/').pop()!;
		const rule = STATE_RULES[resource.path]?.[action];
		if (!endpoint.needsId) {
			const run = await bed.run({
				resource: resource.value,
				operation: endpoint.value,
				jsonBody: JSON.stringify(bodyFor(resource.value, resource.path)),
			});
			expect(run.error).toBeUndefined();
			expect(bed.coupa.apiRequests().map((r) => [r.method, r.path])).toEqual([
				[endpoint.method, `/api/${endpoint.path}`],
			]);
			expect(jsonOf(run)[0]).toEqual(bed.coupa.record(resource.path, Number(jsonOf(run)[0].id)));
			return;
		}
		const record = bed.coupa.record(resource.path, 5)!;
		if (rule?.from) record.status = rule.from[0];
		const parameters: INodeParameters = {
			resource: resource.value,
			operation: endpoint.value,
			id: '5',
		};
		if (endpoint.value === 'reject') parameters.reason = 'Reason from n8n';
		const run = await bed.run(parameters);
		expect(run.error).toBeUndefined();
		const [request] = bed.coupa.apiRequests();
		expect([request.method, request.path]).toEqual([
			endpoint.method,
			`/api/${endpoint.path.replace('{id}', '5')}`,
		]);
		// Compass (Approvals API): the rejection's reason is a query parameter.
		if (endpoint.value === 'reject') expect(request.query.reason).toBe('Reason from n8n');
		if (rule?.to) expect(jsonOf(run)[0].status).toBe(rule.to);
		expect(jsonOf(run)[0]).toEqual(bed.coupa.record(resource.path, 5));
	});
});

test('the simulator reads no body undeclared as JSON (415), so every write test here proves the node declares it', async () => {
	const token = JSON.parse(
		await (
			await fetch(`${bed.coupa.url}/oauth2/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: DEFAULT_CLIENT.id,
					client_secret: DEFAULT_CLIENT.secret,
				}),
			})
		).text(),
	).access_token as string;
	const put = async (headers: Record<string, string>) =>
		await fetch(`${bed.coupa.url}/api/suppliers/2`, {
			method: 'PUT',
			headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...headers },
			body: '{"name": "Undeclared"}',
		});
	expect((await put({ 'content-type': 'text/plain' })).status).toBe(415);
	expect((await put({ 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
	expect(bed.coupa.record('suppliers', 2)?.name).not.toBe('Undeclared');
	expect((await put({ 'content-type': 'application/json' })).status).toBe(200);
	expect(bed.coupa.record('suppliers', 2)?.name).toBe('Undeclared');
});

describe("Coupa's rules surface with Coupa's own words", () => {
	test('a supplier name that is taken: 400 with the message, nothing created', async () => {
		const before = bed.coupa.records('suppliers').length;
		const run = await bed.run({
			resource: 'supplier',
			operation: 'create',
			jsonBody: JSON.stringify({ ...bed.coupa.sampleBody('suppliers'), name: 'Acme Supply 3' }),
		});
		expect(run.error?.message).toBe('Coupa answered 400: Name has already been taken');
		expect(run.error?.description).toMatch(/Fix the fields/);
		expect(bed.coupa.records('suppliers')).toHaveLength(before);
		expect(bed.coupa.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	test('a missing required field: 400 with the message', async () => {
		const run = await bed.run({
			resource: 'user',
			operation: 'create',
			jsonBody: '{"login": "someone", "email": ""}',
		});
		expect(run.error?.message).toContain("Email can't be blank");
	});

	test('an approval that is not pending cannot be approved', async () => {
		bed.coupa.record('approvals', 2)!.status = 'approved';
		const run = await bed.run({ resource: 'approval', operation: 'approve', id: '2' });
		expect(run.error?.message).toMatch(
			/^Coupa answered 400: Cannot approve an approval that is approved/,
		);
	});

	test('a cancelled purchase order cannot be issued', async () => {
		bed.coupa.record('purchase_orders', 3)!.status = 'cancelled';
		const run = await bed.run({ resource: 'purchaseOrder', operation: 'issue', id: '3' });
		expect(run.error?.message).toContain('400');
		expect(run.error?.message).toContain('cancelled');
		expect(bed.coupa.record('purchase_orders', 3)?.status).toBe('cancelled');
	});

	test('only a new invoice can be deleted', async () => {
		bed.coupa.record('invoices', 2)!.status = 'approved';
		const run = await bed.run({ resource: 'invoice', operation: 'delete', id: '2' });
		expect(run.error?.message).toContain('Only a new invoice can be deleted');
		expect(bed.coupa.record('invoices', 2)).toBeDefined();
	});

	test('a new purchase order version must be exported again (Compass: an edit resent to the supplier)', async () => {
		bed.coupa.record('purchase_orders', 7)!.status = 'issued';
		await bed.run({ resource: 'purchaseOrder', operation: 'markExported', id: '7' });
		expect(bed.coupa.record('purchase_orders', 7)?.exported).toBe(true);
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'update',
			id: '7',
			jsonBody: '{"order-lines": [{"id": 71, "quantity": "4.0"}]}',
		});
		expect(jsonOf(run)[0]).toMatchObject({ exported: false, version: 2 });
	});
});

describe('Return Object "None" on a write', () => {
	const none = { options: { returnObject: 'none' } };

	test.each([
		[
			'Update',
			{ resource: 'supplier', operation: 'update', id: '5', jsonBody: '{"status": "inactive"}' },
			{ id: 5 },
		],
		['an action', { resource: 'approval', operation: 'approve', id: '3' }, { id: 3 }],
		['Mark Exported', { resource: 'invoice', operation: 'markExported', id: '6' }, { id: 6 }],
		[
			'Create (Coupa names no id)',
			{ resource: 'supplier', operation: 'create', jsonBody: 'quiet supplier' },
			{},
		],
	])(
		'%s: Coupa answers an empty body, the item names the record acted on',
		async (_label, parameters, expected) => {
			bed.coupa.record('approvals', 3)!.status = 'pending';
			const given = { ...parameters } as INodeParameters;
			if (given.jsonBody === 'quiet supplier')
				given.jsonBody = JSON.stringify({
					...bed.coupa.sampleBody('suppliers'),
					name: 'Quiet Supplier',
				});
			const run = await bed.run({ ...given, ...none });
			expect(run.error).toBeUndefined();
			const [request] = bed.coupa.apiRequests();
			expect([request.query.return_object, request.status < 300]).toEqual(['none', true]);
			expect(run.items.map((item) => item.json)).toEqual([expected]);
		},
	);
});

describe('attachments and files', () => {
	test('uploads a binary property as a file attachment, then lists it', async () => {
		const run = await bed.run(
			{ resource: 'invoice', operation: 'uploadAttachment', id: '2', attachmentIntent: 'Supplier' },
			{
				input: [
					{
						$binary: {
							data: { text: 'scanned receipt', fileName: 'receipt.txt', mimeType: 'text/plain' },
						},
					},
				],
			},
		);
		expect(run.error).toBeUndefined();
		const [request] = bed.coupa.apiRequests();
		expect([request.method, request.path]).toEqual(['POST', '/api/invoices/2/attachments']);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.body).toContain('name="attachment[file]"; filename="receipt.txt"');
		expect(request.body).toContain('scanned receipt');
		expect(jsonOf(run)[0]).toMatchObject({
			type: 'file',
			'file-file-name': 'receipt.txt',
			'file-file-size': '15',
			intent: 'Supplier',
		});
		const list = await bed.run({ resource: 'invoice', operation: 'getAttachments', id: '2' });
		expect(jsonOf(list)).toContainEqual(jsonOf(run)[0]);
	});

	test.each(['purchaseOrder', 'requisition', 'contract', 'expenseReport'])(
		'%s takes a URL attachment',
		async (resource) => {
			const run = await bed.run({
				resource,
				operation: 'uploadAttachment',
				id: '1',
				attachmentType: 'url',
				attachmentUrl: 'https://example.com/spec.pdf',
			});
			expect(run.error).toBeUndefined();
			expect(jsonOf(run)[0]).toMatchObject({ type: 'url', url: 'https://example.com/spec.pdf' });
		},
	);

	test('a text attachment', async () => {
		const run = await bed.run({
			resource: 'requisition',
			operation: 'uploadAttachment',
			id: '1',
			attachmentType: 'text',
			attachmentText: 'Deliver to dock 4',
		});
		expect(jsonOf(run)[0]).toMatchObject({ type: 'text', text: 'Deliver to dock 4' });
	});

	test.each([
		['downloadImageScan', 'retrieve_image_scan'],
		['downloadLegalPdf', 'retrieve_legal_invoice_pdf'],
	])('%s puts the invoice file into a binary property', async (operation, action) => {
		const run = await bed.run({
			resource: 'invoice',
			operation,
			id: '3',
			binaryPropertyName: 'pdf',
		});
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests()[0].path).toBe(`/api/invoices/3/${action}`);
		const file = run.items[0].binary?.pdf;
		expect(file?.mimeType).toBe('application/pdf');
		expect(Buffer.from(file!.data, 'base64').toString()).toContain(`${action} of invoice 3`);
	});
});

describe('custom API call', () => {
	test('GET any path under /api/ with query parameters', async () => {
		const run = await bed.run({
			resource: 'custom',
			operation: 'apiCall',
			method: 'GET',
			path: '/api/suppliers',
			query: '{"status": "inactive"}',
		});
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests()[0]).toMatchObject({
			method: 'GET',
			path: '/api/suppliers',
			query: { status: 'inactive' },
		});
		expect(jsonOf(run).map((r) => r.id)).toEqual(
			bed.coupa
				.records('suppliers')
				.filter((r) => r.status === 'inactive')
				.map((r) => r.id),
		);
	});

	test('PUT with a JSON body', async () => {
		const run = await bed.run({
			resource: 'custom',
			operation: 'apiCall',
			method: 'PUT',
			path: 'items/4',
			jsonBody: '{"description": "Refurbished"}',
		});
		expect(jsonOf(run)[0]).toMatchObject({ id: 4, description: 'Refurbished' });
	});

	test("PATCH with a JSON body, as Coupa's specs update many objects", async () => {
		const run = await bed.run({
			resource: 'custom',
			operation: 'apiCall',
			method: 'PATCH',
			path: 'accounts/3',
			jsonBody: '{"name": "Patched account"}',
		});
		expect(run.error).toBeUndefined();
		const [request] = bed.coupa.apiRequests();
		expect([
			request.method,
			request.path,
			request.headers['content-type'],
			JSON.parse(request.body),
		]).toEqual(['PATCH', '/api/accounts/3', 'application/json', { name: 'Patched account' }]);
		expect(jsonOf(run)[0]).toMatchObject({ id: 3, name: 'Patched account' });
		expect(bed.coupa.record('accounts', 3)?.name).toBe('Patched account');
	});

	test('a path outside /api/ is refused before any request', async () => {
		const run = await bed.run({
			resource: 'custom',
			operation: 'apiCall',
			method: 'GET',
			path: 'https://evil.example.com/x',
		});
		expect(run.error?.message).toContain('Path');
		expect(bed.coupa.log).toHaveLength(0);
	});
});
