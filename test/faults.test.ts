/**
 * Fault injection through n8n's engine: rate limits, dropped connections, server errors, timeouts,
 * bad input and secrets. Counts what matters: records lost, writes doubled, requests sent.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ALL_SCOPES, DEFAULT_API_KEY, DEFAULT_CLIENT } from './coupa-simulator';
import { ENGINE_NAMES_WORKFLOW_ISSUES } from './harness/compat';
import type { NodeRun } from './harness/engine';
import { COUPA_NODE, credentialsWith, runNode } from './harness/engine';
import { jsonOf, oauthCredential, useCoupa } from './support/setup';

const bed = useCoupa();
/** Every error text and output the suite saw, scanned for secrets at the end. */
const seen: string[] = [];
const fast = { maxRetries: 6, maxRetryWaitSeconds: 30 };

function remember(run: NodeRun): NodeRun {
	seen.push(
		JSON.stringify(run.items),
		String(run.error?.message),
		String(run.error?.description),
		JSON.stringify(run.error ?? {}),
	);
	return run;
}

const run = async (parameters: INodeParameters, options?: Parameters<typeof bed.run>[1]) =>
	remember(await bed.run(parameters, options));
const posts = () => bed.coupa.apiRequests().filter((r) => r.method === 'POST');

beforeEach(() => {
	bed.coupa.clearFaults();
	bed.coupa.clearLog();
	bed.coupa.seed('purchase_orders', 137);
	bed.coupa.seed('suppliers', 12);
});

describe('reads survive transient faults', () => {
	test('a 429 storm during a 1,000-record Return All: every record once, in order', async () => {
		bed.coupa.seed('purchase_orders', 1000);
		bed.coupa.injectFault({
			method: 'GET',
			path: '/api/purchase_orders',
			kind: 'status',
			status: 429,
			after: 2,
			times: 3,
		});
		bed.coupa.injectFault({
			method: 'GET',
			path: '/api/purchase_orders',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			after: 10,
			times: 4,
		});
		const result = await run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
			options: fast,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((r) => r.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
		const statuses = bed.coupa.apiRequests().map((r) => r.status);
		expect(statuses.filter((s) => s === 429)).toHaveLength(7);
		// 20 full pages (paged by id, a range ends on its last id: no empty page), at most 3 wasted.
		expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
		expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(23);
	});

	test('503s and dropped connections on GETs are retried', async () => {
		bed.coupa.injectFault({ method: 'GET', kind: 'status', status: 503, times: 2 });
		bed.coupa.injectFault({ method: 'GET', kind: 'reset', after: 2, times: 1 });
		const result = await run({
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
			options: fast,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toHaveLength(137);
		// Each failure sent again until answered; the pages read in parallel make the order vary.
		const statuses = bed.coupa.apiRequests().map((r) => r.status);
		expect(statuses.filter((s) => s === 503)).toHaveLength(2);
		expect(statuses.filter((s) => s === -1)).toHaveLength(1);
		expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3 + 2);
	});

	test('a GET that keeps failing stops after Max Retries with a clear message', async () => {
		bed.coupa.injectFault({
			method: 'GET',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			times: 50,
		});
		const result = await run({
			resource: 'supplier',
			operation: 'get',
			id: '1',
			options: { maxRetries: 2 },
		});
		expect(bed.coupa.apiRequests()).toHaveLength(3);
		expect(result.error?.message).toContain('429');
		expect(result.error?.description).toContain('25 requests per second');
	});

	test('a token that expires mid-pagination is renewed once, nothing lost or repeated', async () => {
		bed.coupa.injectFault({
			method: 'GET',
			path: '/api/purchase_orders',
			kind: 'expireTokens',
			after: 2,
		});
		const result = await run({ resource: 'purchaseOrder', operation: 'getAll', returnAll: true });
		expect(jsonOf(result).map((r) => r.id)).toEqual(Array.from({ length: 137 }, (_, i) => i + 1));
		expect(bed.coupa.apiRequests().map((r) => r.status)).toEqual([200, 200, 401, 200]);
	});

	test('a malformed JSON answer is an error, not data', async () => {
		bed.coupa.injectFault({ method: 'GET', kind: 'malformed' });
		const result = await run({ resource: 'purchaseOrder', operation: 'getAll', limit: 5 });
		expect(result.error).toBeDefined();
		expect(result.items).toHaveLength(0);
	});

	test("Coupa's XML error body reaches the user", async () => {
		bed.coupa.injectFault({
			method: 'GET',
			kind: 'status',
			status: 422,
			body: '<?xml version="1.0"?><errors><error>Supplier is not active &amp; cannot be used</error></errors>',
			headers: { 'Content-Type': 'application/xml' },
		});
		const result = await run({ resource: 'supplier', operation: 'get', id: '1' });
		expect(result.error?.message).toBe(
			'Coupa answered 422: Supplier is not active & cannot be used',
		);
	});
});

describe('writes are never sent twice', () => {
	const create = (options: INodeParameters = {}) =>
		run({
			resource: 'supplier',
			operation: 'create',
			jsonBody: JSON.stringify({ ...bed.coupa.sampleBody('suppliers'), name: 'Once Only Ltd' }),
			options: { ...fast, ...options },
		});

	test('a 500 on a POST: sent once, the error says it may or may not exist', async () => {
		bed.coupa.injectFault({ method: 'POST', kind: 'status', status: 500, applyFirst: true });
		const result = await create();
		expect(posts()).toHaveLength(1);
		expect(result.error?.message).toContain('may or may not have been applied');
		expect(result.error?.description).toMatch(/not sent again/);
		expect(bed.coupa.records('suppliers').filter((r) => r.name === 'Once Only Ltd')).toHaveLength(
			1,
		);
	});

	test('a reset after the POST was sent: sent once', async () => {
		bed.coupa.injectFault({ method: 'POST', kind: 'reset', applyFirst: true });
		const result = await create();
		expect(posts()).toHaveLength(1);
		expect(result.error?.message).toContain('may or may not have been applied');
		expect(bed.coupa.records('suppliers').filter((r) => r.name === 'Once Only Ltd')).toHaveLength(
			1,
		);
	});

	test('a timeout on a POST: sent once', async () => {
		bed.coupa.injectFault({ method: 'POST', kind: 'hang' });
		const result = await remember(
			await runNode(bed.credentials, COUPA_NODE, {
				resource: 'supplier',
				operation: 'create',
				jsonBody: '{"name": "Slow Supplier"}',
				requestOptions: { timeout: 400 },
			}),
		);
		expect(posts()).toHaveLength(1);
		expect(result.error?.message).toContain('may or may not have been applied');
	});

	test('an action PUT that fails with 502 is not repeated', async () => {
		bed.coupa.record('purchase_orders', 4)!.status = 'draft';
		bed.coupa.injectFault({ method: 'PUT', kind: 'status', status: 502, applyFirst: true });
		const result = await run({
			resource: 'purchaseOrder',
			operation: 'issue',
			id: '4',
			options: fast,
		});
		expect(bed.coupa.apiRequests().filter((r) => r.method === 'PUT')).toHaveLength(1);
		expect(result.error?.message).toContain('may or may not have been applied');
	});

	test('a 429 on a POST proves Coupa did not take it: retried, created once', async () => {
		bed.coupa.injectFault({
			method: 'POST',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			times: 2,
		});
		const result = await create();
		expect(result.error).toBeUndefined();
		expect(posts().map((r) => r.status)).toEqual([429, 429, 201]);
		expect(bed.coupa.records('suppliers').filter((r) => r.name === 'Once Only Ltd')).toHaveLength(
			1,
		);
	});
});

describe('bad input is refused before any request', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		[
			'an empty id',
			{ resource: 'invoice', operation: 'get', id: '' },
			ENGINE_NAMES_WORKFLOW_ISSUES ? /"Invoice" is required/ : /workflow has issues/,
		],
		[
			'a non-numeric id',
			{ resource: 'invoice', operation: 'get', id: 'INV-12' },
			/Invoice ID "INV-12" is not a Coupa record ID/,
		],
		[
			'an id with a path in it',
			{ resource: 'invoice', operation: 'update', id: '12/void', jsonBody: '{}' },
			/not a Coupa record ID/,
		],
		[
			'JSON Body that is not JSON',
			{ resource: 'supplier', operation: 'create', jsonBody: '{name: Acme' },
			/JSON Body parameter is not valid JSON/,
		],
		[
			'JSON Body that is a list',
			{ resource: 'supplier', operation: 'create', jsonBody: '[{"name": "Acme"}]' },
			/JSON Body parameter must be a JSON object/,
		],
		[
			'a filter with an unknown operator',
			{
				resource: 'invoice',
				operation: 'getAll',
				filters: { conditions: [{ field: 'status', operator: 'like', value: 'x' }] },
			},
			/unknown operator "like"/,
		],
		[
			'a filter with an empty field',
			{
				resource: 'invoice',
				operation: 'getAll',
				filters: { conditions: [{ field: ' ', operator: 'eq', value: 'x' }] },
			},
			/Condition 1 has an empty or malformed field/,
		],
		[
			'a Limit below 1',
			{ resource: 'invoice', operation: 'getAll', limit: 0 },
			/Limit parameter must be a whole number of at least 1/,
		],
		[
			'a custom path outside the API',
			{ resource: 'custom', operation: 'apiCall', method: 'GET', path: '../admin' },
			/Path parameter/,
		],
	];

	test.each(cases)('%s', async (_label, parameters, message) => {
		const result = await run(parameters);
		expect(result.error?.message).toMatch(message);
		expect(bed.coupa.log).toHaveLength(0);
	});

	test.each([
		['an instance URL that cannot be one', { url: 'acme coupahost' }, /URL/],
		['an http:// instance URL for a real host', { url: 'http://acme.coupahost.com' }, /https/],
		[
			'an http:// Access Token URL for a real host',
			{ accessTokenUrl: 'http://evil.example.com/oauth2/token' },
			/Access Token URL must use https/,
		],
	])('%s', async (_label, credential, message) => {
		const result = remember(
			await runNode(credentialsWith(oauthCredential(bed.coupa, credential)), COUPA_NODE, {
				resource: 'invoice',
				operation: 'getAll',
				limit: 1,
			}),
		);
		expect(`${result.error?.message}`).toMatch(message);
		expect(bed.coupa.log).toHaveLength(0);
	});
});

describe('Continue on fail', () => {
	test('each failed item becomes an output item with its error; the others go on', async () => {
		const result = await run(
			{ resource: 'invoice', operation: 'get', id: '={{ $json.invoiceId }}' },
			{
				input: [
					{ invoiceId: '1' },
					{ invoiceId: 'oops' },
					{ invoiceId: '99999' },
					{ invoiceId: '3' },
				],
				continueOnFail: true,
			},
		);
		expect(result.error).toBeUndefined();
		const items = result.items as INodeExecutionData[];
		expect(items).toHaveLength(4);
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json.id).toBe(1);
		expect(String(items[1].json.error)).toMatch(/not a Coupa record ID/);
		expect(String(items[2].json.error)).toMatch(/404/);
		expect(items[3].json.id).toBe(3);
		expect(bed.coupa.apiRequests()).toHaveLength(3);
	});
});

describe('a missing scope is named in the 403 hint', () => {
	/** A credential for a client granted every scope but `lacking`, asking for exactly what it has. */
	function clientWithout(lacking: string[]) {
		const id = `client-without-${lacking.join('-')}`;
		const scopes = ALL_SCOPES.filter((scope) => !lacking.includes(scope));
		bed.coupa.addClient(id, 'narrow-secret', scopes);
		return credentialsWith(
			oauthCredential(bed.coupa, {
				clientId: id,
				clientSecret: 'narrow-secret',
				scope: scopes.join(' '),
			}),
		);
	}

	test('invoice Get without core.invoice.read: 403 naming it; with Continue on fail, an error item', async () => {
		const credentials = clientWithout(['core.invoice.read']);
		const parameters = { resource: 'invoice', operation: 'get', id: '2' };
		const failed = remember(await runNode(credentials, COUPA_NODE, parameters));
		expect(failed.error?.message).toContain('403');
		expect(failed.error?.httpCode).toBe('403');
		expect(failed.error?.description).toContain('the scope core.invoice.read.');
		const continued = remember(
			await runNode(credentials, COUPA_NODE, parameters, { continueOnFail: true }),
		);
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(1);
		expect(String(continued.items[0].json.error)).toContain('403');
		expect(String(continued.items[0].error?.description)).toContain('core.invoice.read');
	});

	const cases: Array<[string, INodeParameters, string[], string]> = [
		[
			'invoice Delete',
			{ resource: 'invoice', operation: 'delete', id: '4' },
			['core.invoice.delete'],
			'the scope core.invoice.delete.',
		],
		[
			'invoice Bypass Approvals',
			{ resource: 'invoice', operation: 'bypassApprovals', id: '2' },
			['core.invoice.approval.bypass'],
			'the scope core.invoice.approval.bypass.',
		],
		[
			'invoice Restart Approvals',
			{ resource: 'invoice', operation: 'restartApprovals', id: '2' },
			['core.invoice.approval.write'],
			'the scope core.invoice.approval.write.',
		],
		[
			'invoice Create',
			{
				resource: 'invoice',
				operation: 'create',
				jsonBody: '{"invoice-number": "INV-403", "invoice-date": "2025-01-31"}',
			},
			['core.invoice.create', 'core.invoice.write'],
			'any one of core.invoice.create, core.invoice.write.',
		],
		[
			'invoice Update',
			{ resource: 'invoice', operation: 'update', id: '2', jsonBody: '{"comments": "x"}' },
			['core.invoice.write'],
			'the scope core.invoice.write.',
		],
	];

	test.each(cases)(
		'%s names the scope Coupa documents for it',
		async (_label, parameters, lacking, named) => {
			const before = JSON.stringify(bed.coupa.records('invoices'));
			const result = remember(await runNode(clientWithout(lacking), COUPA_NODE, parameters));
			expect(result.error?.httpCode).toBe('403');
			expect(result.error?.description).toContain(named);
			expect(JSON.stringify(bed.coupa.records('invoices'))).toBe(before);
		},
	);
});

afterAll(() => {
	// Runs last: nothing the suite saw may contain a secret or a token Coupa issued.
	const tokens = bed.coupa.log
		.map((r) => /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1])
		.filter((t): t is string => Boolean(t));
	const secrets = [DEFAULT_CLIENT.secret, DEFAULT_API_KEY, ...new Set(tokens)];
	const text = seen.join('\n');
	expect(seen.length).toBeGreaterThan(20);
	for (const secret of secrets) expect(text.includes(secret)).toBe(false);
});
