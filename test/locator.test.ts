/**
 * Picking records (list search, By ID, By URL), the filter field list, Simplify and the editor
 * details, through n8n's engine and n8n-core's own load-options context against the simulator.
 */
import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { RESOURCES, RESOURCES_BY_VALUE } from '../nodes/shared/schema/catalog';
import { searchField, simplifyFields, titleFields } from '../nodes/shared/schema/recordKeys';
import { schemaFields } from '../nodes/shared/schema/digest';
import { displaysParameter, ENGINE_NAMES_WORKFLOW_ISSUES } from './harness/compat';
import { COUPA_NODE, COUPA_TRIGGER_NODE, loadPackage } from './harness/engine';
import { listSearch, loadOptions } from './support/editorMethods';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => bed.coupa.clearLog());

const byList = (value: string) => ({ __rl: true, mode: 'list', value });
const byId = (value: string | number) => ({ __rl: true, mode: 'id', value });
const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });

describe('record picker (From List)', () => {
	test('pages through every purchase order, 50 a call, named by PO number and supplier', async () => {
		const parameters = { resource: 'purchaseOrder', operation: 'get', id: byList('') };
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await listSearch(bed.credentials, 'searchRecords', parameters, undefined, token);
			seen.push(...page.results.map((r) => String(r.value)));
			token = page.paginationToken;
			pages++;
		} while (token && pages < 10);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(137);
		const calls = bed.coupa.apiRequests();
		expect(calls).toHaveLength(3);
		expect(calls.map((c) => [c.path, c.query.limit, c.query.offset])).toEqual([
			['/api/purchase_orders', '50', '0'],
			['/api/purchase_orders', '50', '50'],
			['/api/purchase_orders', '50', '100'],
		]);
		// Newest first, and only what names a record.
		expect(calls[0].query.order_by).toBe('id');
		expect(calls[0].query.dir).toBe('desc');
		expect(JSON.parse(calls[0].query.fields)).toEqual(['id', 'po-number', { supplier: ['name'] }]);
	});

	test('a result reads as a person knows the record and links to its page', async () => {
		const page = await listSearch(bed.credentials, 'searchRecords', {
			resource: 'purchaseOrder',
			operation: 'get',
		});
		const po = bed.coupa.record('purchase_orders', 137)!;
		expect(page.results[0]).toEqual({
			name: `${po['po-number']} · ${(po.supplier as { name: string }).name}`,
			value: '137',
			url: `${bed.coupa.url}/order_headers/137`,
		});
	});

	test('the search text goes to Coupa as a [contains] filter on the naming field', async () => {
		const page = await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource: 'purchaseOrder', operation: 'get' },
			'PO-0012',
		);
		const want = bed.coupa
			.records('purchase_orders')
			.filter((r) => String(r['po-number']).includes('PO-0012'))
			.map((r) => String(r.id))
			.reverse();
		expect(want.length).toBeGreaterThan(1);
		expect(page.results.map((r) => r.value)).toEqual(want);
		expect(page.paginationToken).toBeUndefined();
		const [call, ...more] = bed.coupa.apiRequests();
		expect(more).toHaveLength(0);
		expect(call.query['po-number[contains]']).toBe('PO-0012');
	});

	test.each([
		[
			'supplier',
			'name[contains]',
			'Acme Supply 1',
			(r: Record<string, unknown>) => String(r.name).includes('Acme Supply 1'),
		],
		[
			'invoice',
			'invoice-number[contains]',
			'INV-0000',
			(r: Record<string, unknown>) => String(r['invoice-number']).includes('INV-0000'),
		],
		[
			'user',
			'login[contains]',
			'user1',
			(r: Record<string, unknown>) => String(r.login).includes('user1'),
		],
	])('%s: searched by %s', async (resource, key, text, matches) => {
		const { path } = RESOURCES_BY_VALUE.get(resource)!;
		const page = await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource, operation: 'get' },
			text,
		);
		expect(bed.coupa.apiRequests()[0].query[key]).toBe(text);
		expect(page.results.map((r) => r.value).sort()).toEqual(
			bed.coupa
				.records(path)
				.filter(matches)
				.map((r) => String(r.id))
				.sort(),
		);
	});

	test('a number finds a record by id where the id names it (approvals), other text its naming field', async () => {
		const page = await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource: 'approval', operation: 'get' },
			'7',
		);
		expect(page.results.map((r) => r.value)).toEqual(['7']);
		expect(bed.coupa.apiRequests()[0].query.id).toBe('7');
		bed.coupa.clearLog();
		await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource: 'approval', operation: 'get' },
			'pending',
		);
		expect(bed.coupa.apiRequests()[0].query['status[contains]']).toBe('pending');
	});

	test('text that cannot match a record only its id names asks nothing of Coupa', async () => {
		const idOnly = RESOURCES.find(
			(r) => !searchField(r) && r.endpoints.some((e) => e.value === 'getAll') && !r.parent,
		);
		expect(idOnly).toBeDefined();
		const none = await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource: idOnly!.value, operation: 'get' },
			'pending',
		);
		expect(none).toEqual({ results: [] });
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});

	test('a pasted wall of text is cut to a search-box length', async () => {
		await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource: 'supplier', operation: 'get' },
			'A'.repeat(5000),
		);
		expect(bed.coupa.apiRequests()[0].query['name[contains]']).toHaveLength(200);
	});

	test('a page token that is not a page offset starts from the first page', async () => {
		await listSearch(
			bed.credentials,
			'searchRecords',
			{ resource: 'supplier', operation: 'get' },
			undefined,
			'1e9; drop',
		);
		expect(bed.coupa.apiRequests()[0].query.offset).toBe('0');
	});

	test('the parent picker of a nested collection lists the parent object', async () => {
		const page = await listSearch(
			bed.credentials,
			'searchParents',
			{ resource: 'remitToAddress', operation: 'getAll' },
			'Acme Supply 3',
		);
		expect(bed.coupa.apiRequests()[0].path).toBe('/api/suppliers');
		expect(page.results.map((r) => r.name)).toEqual(['Acme Supply 3 · SUP-3']);
		expect(page.results[0].url).toBe(`${bed.coupa.url}/suppliers/show/3`);
	});

	test("a nested collection's records need the parent first: a clear error and no request", async () => {
		await expect(
			listSearch(bed.credentials, 'searchRecords', {
				resource: 'remitToAddress',
				operation: 'get',
			}),
		).rejects.toThrow(/Choose the supplier first/);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});
});

describe('By ID and By URL', () => {
	const getBy = async (resource: string, id: unknown) =>
		await bed.run({ resource, operation: 'get', id: id as INodeParameters[string] });

	test.each([
		['list mode', byList('5')],
		['id mode', byId('5')],
		['id mode, a number', byId(5)],
		['a plain string id (workflows saved before the picker)', '5'],
		['an expression', byId('={{ 2 + 3 }}')],
		['leading zeros', byId('005')],
	])('%s reads record 5', async (_, id) => {
		const run = await getBy('purchaseOrder', id);
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests().map((r) => r.path)).toEqual(['/api/purchase_orders/5']);
	});

	const pages: Array<[string, string, string]> = [
		['purchaseOrder', '/order_headers/5', '/api/purchase_orders/5'],
		['purchaseOrder', '/order_headers/5/edit?tab=lines#top', '/api/purchase_orders/5'],
		['purchaseOrder', '/api/purchase_orders/5', '/api/purchase_orders/5'],
		['invoice', '/invoices/5/show_for_approval', '/api/invoices/5'],
		['requisition', '/requisition_headers/5', '/api/requisitions/5'],
		['supplier', '/suppliers/show/5', '/api/suppliers/5'],
		['supplier', '/suppliers/5', '/api/suppliers/5'],
		['contract', '/contracts/5/edit', '/api/contracts/5'],
		['expenseReport', '/expense_reports/5', '/api/expense_reports/5'],
		['user', '/users/5', '/api/users/5'],
		['item', '/items/5', '/api/items/5'],
	];
	test.each(pages)('%s page %s reads %s', async (resource, page, api) => {
		const run = await getBy(resource, byUrl(`${bed.coupa.url}${page}`));
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests().map((r) => r.path)).toEqual([api]);
	});

	test('a URL without https:// and a plain URL from an older workflow both work', async () => {
		const host = new URL(bed.coupa.url).host;
		expect((await getBy('invoice', byUrl(`${host}/invoices/7`))).error).toBeUndefined();
		expect((await getBy('invoice', `${bed.coupa.url}/invoices/8`)).error).toBeUndefined();
		expect(bed.coupa.apiRequests().map((r) => r.path)).toEqual([
			'/api/invoices/7',
			'/api/invoices/8',
		]);
	});

	test('every object with a web page takes its page URL', async () => {
		for (const resource of RESOURCES.filter(
			(r) => r.overlay.uiPath && r.endpoints.some((e) => e.value === 'get'),
		)) {
			const run = await getBy(
				resource.value,
				byUrl(`https://${new URL(bed.coupa.url).host}/${resource.overlay.uiPath}/9`),
			);
			// The simulator knows the first objects only; the request path is what counts.
			expect(run.error?.message ?? '').not.toMatch(/URL|ID/);
		}
		const paths = bed.coupa.apiRequests().map((r) => r.path);
		expect(paths).toEqual(
			RESOURCES.filter((r) => r.overlay.uiPath && r.endpoints.some((e) => e.value === 'get')).map(
				(r) => `/api/${r.endpoints.find((e) => e.value === 'get')!.path.replace('{id}', '9')}`,
			),
		);
	});

	test.each([
		[
			'another instance',
			byUrl('https://other.coupahost.com/order_headers/5'),
			/on other\.coupahost\.com, not on the credential's Coupa instance/,
		],
		[
			'a lookalike host',
			(url: string) => byUrl(url.replace('127.0.0.1', '127.0.0.1.evil.example')),
			/not on the credential's Coupa instance/,
		],
		[
			'the page of another object',
			(url: string) => byUrl(`${url}/invoices/5`),
			/is the page of an invoice, not of a purchase order/,
		],
		[
			'a page without a record',
			(url: string) => byUrl(`${url}/order_headers`),
			/is not the page of a purchase order/,
		],
		['not a URL', byUrl('={{ "order five" }}'), /is not a URL/],
		// The By URL mode has no editor pattern (the description's size): the run refuses it.
		['not a URL, typed in', byUrl('order five'), /is not a URL/],
		['letters', byId('={{ "abc" }}'), /"abc" is not a Coupa record ID/],
		['a decimal', byId('={{ "12.5" }}'), /"12.5" is not a Coupa record ID/],
		['a negative number', byId('={{ -3 }}'), /"-3" is not a Coupa record ID/],
		['zero', '0', /"0" is not a Coupa record ID/],
		['an empty expression result', byId('={{ "" }}'), /is empty/],
		['a huge number', byId('={{ "1234567890123456789012" }}'), /is not a Coupa record ID/],
	])('%s is refused before any request', async (_, id, message) => {
		const value = typeof id === 'function' ? id(bed.coupa.url) : id;
		const run = await getBy('purchaseOrder', value);
		expect(run.error?.message).toMatch(message);
		expect(run.items).toHaveLength(0);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});

	test.each([[byId('PO-5'), 'A Coupa record ID is a whole number such as 1234']])(
		"a value typed in that cannot be one is flagged by the editor's check and stops the run before any request",
		async (id, message) => {
			const run = await getBy('purchaseOrder', id);
			expect(run.error?.message).toContain(
				ENGINE_NAMES_WORKFLOW_ISSUES ? message : 'The workflow has issues',
			);
			expect(bed.coupa.apiRequests()).toHaveLength(0);
		},
	);

	test('a write acts on the record the URL names', async () => {
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'issue',
			id: byUrl(`${bed.coupa.url}/order_headers/12`),
		});
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
			'PUT /api/purchase_orders/12/issue',
		]);
	});

	test('the parent record of a nested collection is resolved the same way', async () => {
		await bed.run({
			resource: 'remitToAddress',
			operation: 'get',
			parentId: byUrl(`${bed.coupa.url}/suppliers/show/3`),
			id: byId('4'),
		});
		expect(bed.coupa.apiRequests().map((r) => r.path)).toEqual(['/api/suppliers/3/addresses/4']);
		bed.coupa.clearLog();
		const run = await bed.run({
			resource: 'remitToAddress',
			operation: 'get',
			parentId: byUrl(`${bed.coupa.url}/invoices/3`),
			id: byId('4'),
		});
		expect(run.error?.message).toMatch(
			/Supplier ID URL is the page of an invoice, not of a supplier/,
		);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});
});

describe('filter fields', () => {
	test('the Field list holds the schema fields, readable and hyphenated, and nested names', async () => {
		const options = await loadOptions(
			bed.credentials,
			'getFilterFields',
			{ resource: 'purchaseOrder', operation: 'getAll' },
			'parameters.filters.conditions[0].field',
		);
		expect(options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'PO Number', value: 'po-number' }),
				expect.objectContaining({ name: 'Updated At', value: 'updated-at' }),
				expect.objectContaining({ name: 'Supplier › Name', value: 'supplier[name]' }),
			]),
		);
		const values = options.map((o) => o.value);
		expect(new Set(values).size).toBe(values.length);
		expect(values.every((v) => /^[a-z0-9-]+(\[[a-z0-9-]+\])?$/.test(String(v)))).toBe(true);
		// Every plain field of the schema is offered.
		const plain = schemaFields('OrderHeader').filter(
			(f) => f.type !== 'object' && f.type !== 'array' && !f.name.endsWith('?'),
		);
		expect(values).toEqual(expect.arrayContaining(plain.map((f) => f.name)));
	});

	test('a field from the list filters Get Many as typed text does', async () => {
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
			filters: {
				conditions: [{ field: 'supplier[name]', operator: 'eq', value: 'Acme Supply 3' }],
			},
		});
		expect(jsonOf(run).length).toBeGreaterThan(0);
		expect(bed.coupa.apiRequests()[0].query['supplier[name]']).toBe('Acme Supply 3');
	});

	test('the trigger offers the same list', async () => {
		const options = await loadOptions(
			bed.credentials,
			'getFilterFields',
			{ resource: 'invoice', event: 'updated' },
			'parameters.filters.conditions[0].field',
			COUPA_TRIGGER_NODE,
		);
		expect(options.map((o) => o.value)).toContain('invoice-number');
	});
});

describe('Simplify', () => {
	test('Get asks Coupa for the key fields only', async () => {
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'get',
			id: byId('5'),
			simplify: true,
		});
		expect(JSON.parse(bed.coupa.apiRequests()[0].query.fields)).toEqual(
			simplifyFields(RESOURCES_BY_VALUE.get('purchaseOrder')!),
		);
		const [record] = jsonOf(run);
		expect(Object.keys(record)).toEqual(
			expect.arrayContaining(['id', 'po-number', 'status', 'supplier']),
		);
		expect(record).not.toHaveProperty('order-lines');
	});

	test('Get Many too, on every page', async () => {
		const run = await bed.run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
			simplify: true,
		});
		expect(jsonOf(run)).toHaveLength(137);
		for (const call of bed.coupa.apiRequests()) expect(call.query.fields).toBeDefined();
	});

	test("the user's own Fields option wins", async () => {
		await bed.run({
			resource: 'purchaseOrder',
			operation: 'get',
			id: byId('5'),
			simplify: true,
			options: { fields: '["id"]' },
		});
		expect(bed.coupa.apiRequests()[0].query.fields).toBe('["id"]');
	});

	test('off by default: the whole record', async () => {
		await bed.run({ resource: 'purchaseOrder', operation: 'get', id: byId('5') });
		expect(bed.coupa.apiRequests()[0].query.fields).toBeUndefined();
	});

	test("every object's key fields and naming fields exist in its schema", () => {
		for (const resource of RESOURCES) {
			const names = new Set(schemaFields(resource.schema).map((f) => f.name));
			if (!names.size) continue;
			for (const entry of simplifyFields(resource)) {
				const name = typeof entry === 'string' ? entry : Object.keys(entry)[0];
				expect(`${resource.value}: ${name} ${names.has(name) ? 'exists' : 'missing'}`).toBe(
					`${resource.value}: ${name} exists`,
				);
			}
			for (const field of titleFields(resource)) {
				const name = field.split('.')[0];
				expect(`${resource.value}: ${name} ${names.has(name) ? 'exists' : 'missing'}`).toBe(
					`${resource.value}: ${name} exists`,
				);
			}
		}
	});
});

describe('read and write options', () => {
	test('Response Filter is sent as filter= on reads', async () => {
		await bed.run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			limit: 1,
			options: { filter: 'slim_orders' },
		});
		expect(bed.coupa.apiRequests()[0].query.filter).toBe('slim_orders');
	});

	const shown = (parameters: INodeParameters) => {
		const node = loadPackage().nodes.get(COUPA_NODE)!;
		const options = node.description.properties.find((p) => p.name === 'options')!;
		return (options.options as INodeProperties[])
			.filter((option) => option.name === 'returnObject')
			.filter((option) => displaysParameter(parameters, option, 'options', node.description))
			.flatMap((option) => (option.options as Array<{ value: string }>).map((o) => o.value));
	};

	test('Return Object offers None on writes only', () => {
		expect(shown({ resource: 'purchaseOrder', operation: 'get' }).sort()).toEqual([
			'limited',
			'shallow',
		]);
		expect(shown({ resource: 'purchaseOrder', operation: 'getAll' }).sort()).toEqual([
			'limited',
			'shallow',
		]);
		expect(shown({ resource: 'purchaseOrder', operation: 'update' }).sort()).toEqual([
			'limited',
			'none',
			'shallow',
		]);
		expect(shown({ resource: 'purchaseOrder', operation: 'issue' }).sort()).toEqual([
			'limited',
			'none',
			'shallow',
		]);
	});
});

describe('editor details', () => {
	const subtitle = (nodeType: string, parameters: INodeParameters) => {
		const { nodeTypes } = loadPackage();
		const node = {
			id: '1',
			name: 'Coupa',
			type: nodeType,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters,
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		const description = loadPackage().nodes.get(nodeType)!.description;
		return workflow.expression.getSimpleParameterValue(
			node,
			description.subtitle!,
			'internal',
			{},
			undefined,
		);
	};

	test.each([
		[{ resource: 'purchaseOrder', operation: 'getAll' }, 'Get Many: Purchase Order'],
		[{ resource: 'invoice', operation: 'withdrawDispute' }, 'Withdraw Dispute: Invoice'],
		[
			{ resource: 'purchaseOrder', operation: 'issueWithoutSend' },
			'Issue Without Send: Purchase Order',
		],
		[{ resource: 'uom', operation: 'upsert' }, 'Create or Update: UOM'],
		[{ resource: 'custom', operation: 'get' }, 'Get: Custom API Call'],
	])('subtitle of %j reads "%s"', (parameters, expected) => {
		expect(subtitle(COUPA_NODE, parameters)).toBe(expected);
	});

	test("the nodes panel's Coupa entry describes the actions too (n8n shows the trigger's description there)", () => {
		const trigger = loadPackage().nodes.get(COUPA_TRIGGER_NODE)!.description.description;
		expect(trigger).toMatch(/read, create, update/i);
		expect(trigger).toMatch(/created or updated/i);
	});

	test('codex aliases find the nodes by procurement words', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const codex = require('../dist/nodes/Coupa/Coupa.node.json') as { alias: string[] };
		expect(codex.alias).toEqual(
			expect.arrayContaining([
				'procurement',
				'purchase order',
				'invoice',
				'supplier',
				'requisition',
				'P2P',
			]),
		);
	});
});
