/**
 * Hostile input through n8n's engine against the simulator: Custom API Call paths that try to
 * leave /api/, credential URLs with passwords or line breaks, header injection through a file's
 * MIME type, absurd ids and parameters of the wrong kind. Each is refused before any request, with
 * a message naming the parameter, and never echoes a secret or a huge value. Also the credential's
 * Scope: empty leaves it out, and a refused scope is named.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_CLIENT } from './coupa-simulator';
import { testCredential } from './harness/credentialTest';
import { COUPA_NODE, credentialsWith, runNode } from './harness/engine';
import { jsonOf, oauthCredential, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => {
	bed.coupa.clearLog();
	bed.coupa.clearFaults();
});

const custom = (path: unknown, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'custom',
	operation: 'apiCall',
	method: 'GET',
	path: path as string,
	...extra,
});

describe('Custom API Call stays under /api/', () => {
	test.each([
		'%2e%2e/oauth2/token',
		'invoices/%2E%2E/%2E%2E/admin/users',
		'invoices/%252e%252e/%252e%252e/oauth2/token',
		'..\\oauth2\\token',
		'invoices\\..\\..\\oauth2\\token',
		'invoices/..%2f..%2foauth2/token',
		'invoices/%2e/../../oauth2/token',
		'./invoices',
		'invoices//12',
		'//evil.example.com/api/invoices',
		'https://evil.example.com/api/invoices',
		'HTTPS:%2F%2Fevil.example.com',
		'javascript:alert(1)',
		'invoices/%00/12',
		'invoices/%0d%0aX-Injected: 1',
		'invoices/%E0%A4%A',
		'api/../oauth2/token',
	])('%s is refused before any request', async (path) => {
		const run = await bed.run(custom(path));
		expect(run.error?.message).toMatch(/^The Path parameter ".*" is not a path under \/api\/$/);
		expect(bed.coupa.log).toHaveLength(0);
	});

	test.each([
		['invoices', '/api/invoices'],
		['/api/suppliers/3', '/api/suppliers/3'],
		['api/suppliers', '/api/suppliers'],
		['suppliers?status=active', '/api/suppliers'],
		['suppliers/%33', '/api/suppliers/3'],
	])('%s is sent as %s', async (path, sent) => {
		const run = await bed.run(custom(path));
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests().map((r) => r.path)).toEqual([sent]);
	});

	test('a Path expression that gives an object is refused clearly', async () => {
		const run = await bed.run(custom('={{ { "path": "invoices" } }}'));
		expect(run.error?.message).toBe('The Path parameter must be text, not an object');
		expect(bed.coupa.log).toHaveLength(0);
	});

	test('a bad Query Parameters field is reported as Query Parameters', async () => {
		const run = await bed.run(custom('suppliers', { query: '{status: active' }));
		expect(run.error?.message).toMatch(/^The Query Parameters parameter is not valid JSON/);
		const list = await bed.run(custom('suppliers', { query: '["status"]' }));
		expect(list.error?.message).toBe('The Query Parameters parameter must be a JSON object');
		expect(bed.coupa.log).toHaveLength(0);
	});
});

describe('the credential URL', () => {
	const runWith = async (url: string) => {
		const run = await runNode(credentialsWith(oauthCredential(bed.coupa, { url })), COUPA_NODE, {
			resource: 'supplier',
			operation: 'getAll',
			limit: 2,
		});
		return run;
	};

	test.each([
		['https://integration:Pa55-w0rd-QX@acme.coupahost.com'],
		['acme.coupahost.com:Pa55-w0rd-QX@evil.example.com'],
		['http://integration:Pa55-w0rd-QX@127.0.0.1:9'],
	])(
		'a URL with a user name and password (%s) is refused, the password never shown',
		async (url) => {
			const run = await runWith(url);
			expect(run.error?.message).toMatch(/must not contain a user name or password/);
			expect(JSON.stringify(run.error)).not.toContain('Pa55-w0rd-QX');
			expect(bed.coupa.log).toHaveLength(0);
		},
	);

	test('a trailing newline (and spaces) are trimmed: the calls go to /api/', async () => {
		const run = await runWith(`  ${bed.coupa.url}/\n`);
		expect(run.error).toBeUndefined();
		expect(jsonOf(run)).toHaveLength(2);
		expect(bed.coupa.apiRequests().map((r) => r.path)).toEqual(['/api/suppliers']);
	});

	test('a line break inside the URL is refused, not read as part of the path', async () => {
		const run = await runWith(`${bed.coupa.url}\n/extra`);
		expect(run.error?.message).toMatch(/contains spaces or line breaks/);
		expect(bed.coupa.log).toHaveLength(0);
	});
});

describe('values that would break a request', () => {
	test('a MIME type with a line break is refused before the upload', async () => {
		const run = await bed.run(
			{
				resource: 'invoice',
				operation: 'uploadAttachment',
				id: '2',
				attachmentType: 'file',
				binaryPropertyName: 'data',
			},
			{
				input: [
					{
						$binary: {
							data: { text: 'hello', fileName: 'a.txt', mimeType: 'text/plain\r\nX-Injected: yes' },
						},
					},
				],
			},
		);
		expect(run.error?.message).toBe(
			'The file\'s MIME type "text/plain X-Injected: yes" is not a valid media type',
		);
		expect(bed.coupa.log).toHaveLength(0);
	});

	test('a normal MIME type with parameters still uploads', async () => {
		const run = await bed.run(
			{
				resource: 'invoice',
				operation: 'uploadAttachment',
				id: '2',
				attachmentType: 'file',
				binaryPropertyName: 'data',
			},
			{
				input: [
					{
						$binary: {
							data: { text: 'hello', fileName: 'a.txt', mimeType: 'text/plain; charset=utf-8' },
						},
					},
				],
			},
		);
		expect(run.error).toBeUndefined();
		expect(bed.coupa.apiRequests()).toHaveLength(1);
	});

	test('a 5,000-digit id is refused, and shown cut to 40 characters', async () => {
		const run = await bed.run({ resource: 'invoice', operation: 'get', id: '7'.repeat(5000) });
		expect(run.error?.message).toMatch(/^The Invoice ID "7{1,40}" is not a Coupa record ID$/);
		expect(`${run.error?.message} ${run.error?.description}`.includes('7'.repeat(60))).toBe(false);
		expect(bed.coupa.log).toHaveLength(0);
	});

	test('Return Object "None" on Get Many is refused clearly', async () => {
		const run = await bed.run({
			resource: 'supplier',
			operation: 'getAll',
			limit: 2,
			options: { returnObject: 'none' },
		});
		expect(run.error?.message).toBe('Return Object "None" applies to writes only');
		expect(bed.coupa.log).toHaveLength(0);
	});
});

describe('the credential Scope', () => {
	const tokenForms = () => bed.coupa.tokenRequests().map((r) => new URLSearchParams(r.body));

	test('empty: the token request leaves scope out, and the client gets what it is granted', async () => {
		const credentials = credentialsWith(oauthCredential(bed.coupa, { scope: '  ' }));
		const run = await runNode(credentials, COUPA_NODE, {
			resource: 'supplier',
			operation: 'getAll',
			limit: 2,
		});
		expect(run.error).toBeUndefined();
		const [form] = tokenForms();
		expect(form.has('scope')).toBe(false);
		expect(form.get('client_id')).toBe(DEFAULT_CLIENT.id);
	});

	test('invalid_scope: Test connection names each scope the client lacks, and only those', async () => {
		bed.coupa.addClient('scoped', 'scoped-secret', ['core.common.read', 'core.supplier.read']);
		const scope = 'core.common.read core.supplier.read core.invoice.write core.budget.read';
		const result = await testCredential(
			credentialsWith(
				oauthCredential(bed.coupa, { clientId: 'scoped', clientSecret: 'scoped-secret', scope }),
			),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Coupa refused these scopes core\.invoice\.write, core\.budget\.read \(invalid_scope\)/,
		);
		expect(result.message).toContain("Remove them from the credential's Scope field");
		expect(result.message).not.toContain('scoped-secret');
		// The failed request, then one per scope.
		expect(tokenForms().map((form) => form.get('scope'))).toEqual([scope, ...scope.split(' ')]);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});

	test('invalid_scope in a workflow names the refused scope too', async () => {
		bed.coupa.addClient('scoped-one', 'scoped-one-secret', ['core.common.read']);
		const credentials = credentialsWith(
			oauthCredential(bed.coupa, {
				clientId: 'scoped-one',
				clientSecret: 'scoped-one-secret',
				scope: 'core.common.read core.supplier.write',
			}),
		);
		const run = await runNode(credentials, COUPA_NODE, {
			resource: 'supplier',
			operation: 'getAll',
			limit: 2,
		});
		expect(run.error?.message).toMatch(
			/^Coupa refused the scope core\.supplier\.write \(invalid_scope\)/,
		);
	});
});

describe('all items are checked before any write', () => {
	const suppliersNamed = (prefix: string) =>
		bed.coupa.records('suppliers').filter((r) => String(r.name).startsWith(prefix));
	const items = (prefix: string, broken: number[]) =>
		Array.from({ length: 20 }, (_, i) => ({
			body: broken.includes(i)
				? `{"name": "${prefix} ${i + 1}"`
				: JSON.stringify({ name: `${prefix} ${i + 1}`, 'invoice-matching-level': '3-way' }),
		}));

	test('20 Creates where item 7 has broken JSON: nothing is created, the error names item 7', async () => {
		const run = await bed.run(
			{ resource: 'supplier', operation: 'create', jsonBody: '={{ $json.body }}' },
			{ input: items('Batch A', [6]) },
		);
		expect(run.error?.message).toMatch(
			/^Nothing was written: item 7 of 20 is invalid: The JSON Body parameter is not valid JSON/,
		);
		expect(run.error?.description).toMatch(/no item of this run reached Coupa/);
		expect(bed.coupa.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(0);
		expect(suppliersNamed('Batch A')).toHaveLength(0);
	});

	test('Updates where one item has an id that is no id: nothing is updated', async () => {
		const input = [{ id: '1' }, { id: '2' }, { id: 'SUP-3' }, { id: '4' }];
		const run = await bed.run(
			{
				resource: 'supplier',
				operation: 'update',
				id: '={{ $json.id }}',
				jsonBody: '{"display-name": "Checked"}',
			},
			{ input },
		);
		expect(run.error?.message).toMatch(
			/^Nothing was written: item 3 of 4 is invalid: The Supplier ID "SUP-3" is not a Coupa record ID/,
		);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});

	test('with Continue on fail, the valid items are written and the invalid one is an error item', async () => {
		const run = await bed.run(
			{ resource: 'supplier', operation: 'create', jsonBody: '={{ $json.body }}' },
			{ input: items('Batch B', [6]), continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(suppliersNamed('Batch B')).toHaveLength(19);
		expect(String(run.items[6].json.error)).toMatch(/JSON Body parameter is not valid JSON/);
	});

	test('20 valid Creates are all written, each once', async () => {
		const run = await bed.run(
			{ resource: 'supplier', operation: 'create', jsonBody: '={{ $json.body }}' },
			{ input: items('Batch C', []) },
		);
		expect(run.error).toBeUndefined();
		expect(suppliersNamed('Batch C')).toHaveLength(20);
		expect(bed.coupa.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(20);
	});

	test('uploads: an item without its file stops every upload', async () => {
		const file = { data: { text: 'hello', fileName: 'a.txt', mimeType: 'text/plain' } };
		const run = await bed.run(
			{
				resource: 'invoice',
				operation: 'uploadAttachment',
				id: '2',
				attachmentType: 'file',
				binaryPropertyName: 'data',
			},
			{ input: [{ $binary: file }, {}, { $binary: file }] },
		);
		expect(run.error?.message).toMatch(
			/^Nothing was written: item 2 of 3 is invalid: .*binary file 'data'/,
		);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});
});

describe('an operation the resource does not have (a workflow saved by hand or by another version)', () => {
	test('is refused before any request, naming the operation', async () => {
		const run = await bed.run({ resource: 'purchaseOrder', operation: 'approveEverything' });
		// n8n refuses the unknown option itself; the router refuses it too where an engine lets it through.
		expect(run.error?.message).toMatch(/has issues|approveEverything/i);
		expect(run.items).toHaveLength(0);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});
});
