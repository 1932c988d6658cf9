/**
 * Every resource and every operation of the node, generated from the catalog (the digest of
 * Coupa's R39 specs and its overlay), run through n8n's engine against the simulator: each sends
 * its verb and path once, with the right record and parent ids, and answers what Coupa has.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DIGEST } from '../nodes/shared/schema/digest';
import type { CoupaOperation, CoupaResource } from '../nodes/shared/schema/catalog';
import { RESOURCES } from '../nodes/shared/schema/catalog';
import { COLLECTIONS } from './coupa-simulator/resources';
import { STATE_RULES } from './coupa-simulator/rules';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => bed.coupa.clearLog());

/** The parameter that fills a path placeholder, as the node names it. */
function parameterFor(placeholder: string, endpoint: CoupaOperation): string {
	if (placeholder === 'id' || placeholder === 'parentId') return placeholder;
	if (placeholder === 'subId') return endpoint.sub === 'comment' ? 'commentId' : 'attachmentId';
	return placeholder.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

interface Call {
	parameters: INodeParameters;
	/** The path the request must have, under /api/. */
	path: string;
	/** The collection of the record acted on, and the record. */
	collection?: string;
	id?: number;
}

/**
 * Fills an endpoint's path with ids of records the simulator has: each placeholder takes the first
 * record of the collection before it (`suppliers/{parentId}/addresses/{id}` → `suppliers/1/addresses/101`).
 */
function callFor(resource: CoupaResource, endpoint: CoupaOperation): Call {
	const parameters: INodeParameters = { resource: resource.value, operation: endpoint.value };
	let path = '';
	let collection: string | undefined;
	let id: number | undefined;
	for (const segment of endpoint.path.split('/')) {
		const placeholder = /^\{(\w+)\}$/.exec(segment)?.[1];
		if (!placeholder) {
			path += path ? `/${segment}` : segment;
			continue;
		}
		// A parent outside the specs' collections (`charges`), or a path parameter (an attendee), is 1.
		const value = COLLECTIONS.match(path) ? (bed.coupa.records(path)[0]?.id ?? 1) : 1;
		collection = path;
		id = value;
		parameters[parameterFor(placeholder, endpoint)] = String(value);
		path += `/${value}`;
	}
	return { parameters, path, collection, id };
}

const cases = RESOURCES.flatMap((resource) =>
	resource.endpoints
		// Create or Update looks the record up first: its own tests follow its two steps.
		.filter((endpoint) => endpoint.kind !== 'upsert')
		.map((endpoint) => [`${resource.value} ${endpoint.value}`, resource, endpoint] as const),
);

describe.each(cases)('%s', (_label, resource, endpoint) => {
	test(`sends ${endpoint.method} ${endpoint.path} once and answers`, async () => {
		const { parameters, path, collection, id } = callFor(resource, endpoint);
		const input: IDataObject[] = [];
		// A create, or an action that creates (`requisitions/create_as_cart`), sends what Coupa requires.
		const creates =
			endpoint.kind === 'create' ||
			(endpoint.kind === 'action' && endpoint.method === 'POST' && !endpoint.needsId);
		if (creates)
			parameters.jsonBody = JSON.stringify(
				bed.coupa.sampleBody(endpoint.kind === 'create' ? path : path.replace(/\/\w+$/, '')),
			);
		if (endpoint.kind === 'getAll') parameters.limit = 50;
		if (endpoint.kind === 'upload') {
			input.push({
				$binary: {
					data: { text: 'scanned receipt', fileName: 'receipt.pdf', mimeType: 'application/pdf' },
				},
			});
		}
		const action = endpoint.kind === 'action' ? endpoint.path.split('/').pop() : undefined;
		const rule = collection && action ? STATE_RULES[collection]?.[action] : undefined;
		const record =
			collection && id !== undefined && COLLECTIONS.match(collection)
				? bed.coupa.record(collection, id)
				: undefined;
		if (rule?.from && record) record.status = rule.from[0];
		if (endpoint.kind === 'delete' && collection === 'invoices' && record) record.status = 'new';
		if (endpoint.kind === 'markExported' && record) record.exported = false;

		const run = await bed.run(parameters, input.length ? { input } : {});

		expect(run.error).toBeUndefined();
		const requests = bed.coupa.apiRequests();
		expect(requests.map((r) => [r.method, r.path])).toEqual([[endpoint.method, `/api/${path}`]]);
		expect(requests[0].status).toBeLessThan(300);
		switch (endpoint.kind) {
			case 'get':
				expect(jsonOf(run)).toEqual([bed.coupa.record(collection!, id!)]);
				break;
			case 'getAll':
				expect(jsonOf(run)).toEqual(bed.coupa.records(path).slice(0, 50));
				break;
			case 'create':
				expect(jsonOf(run)[0]).toEqual(bed.coupa.record(path, Number(jsonOf(run)[0].id)));
				break;
			case 'delete':
				expect(bed.coupa.record(collection!, id!)).toBeUndefined();
				break;
			case 'markExported':
				expect(requests[0].query.exported).toBe('true');
				expect(bed.coupa.record(collection!, id!)?.exported).toBe(true);
				break;
			case 'file':
				expect(run.items[0].binary?.data).toBeDefined();
				break;
			default:
				if (rule?.to) expect(bed.coupa.record(collection!, id!)?.status).toBe(rule.to);
		}
	});
});

describe('a nested collection asked for under a parent Coupa does not have', () => {
	const nested = RESOURCES.filter((r) => r.parent && r.operations.includes('getAll'));

	test.each(nested.map((r) => [r.value, r] as const))(
		'%s: 404, nothing invented',
		async (_value, resource) => {
			const run = await bed.run({
				resource: resource.value,
				operation: 'getAll',
				parentId: '987654',
				limit: 5,
			});
			expect(run.error?.message).toContain('404');
			expect(bed.coupa.apiRequests()).toHaveLength(1);
			expect(bed.coupa.apiRequests()[0].path).toBe(
				`/api/${resource.path.replace('{parentId}', '987654')}`,
			);
		},
	);
});

describe('Delete is offered exactly where the spec has DELETE', () => {
	const specDeletes = new Set(
		DIGEST.resources.flatMap((r) =>
			r.operations
				.filter((o) => o.method === 'DELETE' && o.kind === 'member')
				.map((o) => o.path.replace(/\{[^}]+\}/g, '{}')),
		),
	);

	test.each(RESOURCES.map((r) => [r.value, r] as const))('%s', (_value, resource) => {
		const memberPath = `${resource.path}/{id}`.replace(/\{[^}]+\}/g, '{}');
		expect(resource.operations.includes('delete')).toBe(specDeletes.has(memberPath));
	});
});
