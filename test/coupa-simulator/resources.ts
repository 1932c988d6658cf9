/**
 * The simulated Coupa objects: every collection of the digest of Coupa's R39 specs, with its
 * schema, parents, XML element and scope family, the routes of every operation the spec lists and
 * those Compass's action tables add (spec-facts.json). Required fields, unique keys, read-only
 * fields and scopes come from facts.ts: the specs and Compass, never the node's overlay or
 * catalog. Hand-written here only the values that make seed records read like real ones.
 */
import type { DigestOperation, DigestResource, HttpMethod } from '../../nodes/shared/schema/digest';
import { DIGEST } from '../../nodes/shared/schema/digest';
import type { SimField, UniqueKey } from './facts';
import { SPEC_FACTS, requiredFor, scopeFamilyOf, scopeOf, simFields, uniqueKeysFor } from './facts';
import { money, reference } from './records';
import { CALL_SCOPES } from './rules';

export type { SimRecord } from './records';

export interface SimType {
	/** The digest's row: collection path template, parents, operations. */
	resource: DigestResource;
	schema: string;
	/** XML element of one record (`order-header`); the list's is its plural. */
	element: string;
	/** The model name Coupa keys validation errors by (`order_header`). */
	model: string;
	/** Template of the parent record's collection (`suppliers` for `suppliers/{supplier_id}/addresses`). */
	parentCollection?: string;
	/** Scope family: reads need `<scope>.read`, writes `<scope>.write`. */
	scope: string;
	/** The schema's fields as Coupa takes them (Compass's types, read-only and date-only fields). */
	fields: SimField[];
	/** The fields a create needs. */
	required: SimField[];
	/** Fields whose values must not repeat, and within what. */
	unique: UniqueKey[];
}

export interface Route {
	method: HttpMethod;
	segments: string[];
	type: SimType;
	operation: DigestOperation;
}

const hyphenated = (schema: string) =>
	schema
		.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
		.replace(/-+/g, '-')
		.toLowerCase();

/** `{supplier_id}` and `{id}` both become `{}`: the shape of a path, whatever its parameters are called. */
export const shapeOf = (template: string) => template.replace(/\{[^}]+\}/g, '{}');

function typeOf(resource: DigestResource & { family?: string }): SimType {
	const schema = resource.schema ?? 'Unknown';
	const parent = resource.parents[resource.parents.length - 1];
	return {
		resource,
		schema,
		element: hyphenated(schema),
		model: hyphenated(schema).replace(/-/g, '_'),
		...(parent
			? { parentCollection: resource.path.slice(0, resource.path.indexOf(`/{${parent}}`)) }
			: {}),
		scope: resource.family ?? scopeFamilyOf(resource),
		fields: simFields(resource),
		required: requiredFor(resource),
		unique: uniqueKeysFor(resource),
	};
}

/**
 * The digest's collections plus the operations Compass documents beyond the specs
 * (spec-facts.json): `POST /invoices`, and attachments of records the specs give none (expense
 * reports, users), in the scope family of the record they belong to.
 */
function allResources(): Array<DigestResource & { family?: string }> {
	const resources: Array<DigestResource & { family?: string }> = DIGEST.resources.map((r) => ({
		...r,
		operations: [...r.operations],
	}));
	for (const route of SPEC_FACTS.routes) {
		const owner = resources.find((r) => shapeOf(r.path) === shapeOf(route.path));
		if (owner) {
			owner.operations.push({
				value: route.method === 'GET' ? 'getAll' : 'create',
				method: route.method,
				path: owner.path,
				kind: 'collection',
				...(route.method === 'GET' ? { list: true } : {}),
			});
			continue;
		}
		const nested = /^(.+)\/\{(\w+)\}\/attachments$/.exec(route.path);
		const parent = nested && resources.find((r) => shapeOf(r.path) === shapeOf(nested[1]));
		if (!nested || !parent) continue;
		let sub = resources.find((r) => r.path === route.path);
		if (!sub) {
			sub = {
				value: `${parent.value}Attachment`,
				tag: 'Attachment',
				module: parent.module,
				path: route.path,
				parents: [...parent.parents, nested[2]],
				schema: 'Attachment',
				operations: [],
				family: scopeFamilyOf(parent),
			};
			resources.push(sub);
		}
		sub.operations.push(
			route.method === 'GET'
				? { value: 'getAll', method: 'GET', path: route.path, kind: 'collection', list: true }
				: {
						value: 'create',
						method: route.method,
						path: route.path,
						kind: 'collection',
						form: ['attachment[file]', 'attachment[type]', 'attachment[intent]'],
					},
		);
	}
	return resources;
}

export const SIM_TYPES: SimType[] = allResources().map(typeOf);

/** Top-level collection paths, e.g. `purchase_orders`. */
export const RESOURCE_PATHS = SIM_TYPES.filter((t) => !t.parentCollection).map(
	(t) => t.resource.path,
);

/**
 * Picks, among path templates, the one a concrete path matches most specifically: a literal
 * segment beats a parameter (`accounts/favorites` is not account "favorites").
 */
export class PathTable<T> {
	private readonly byFirst = new Map<string, Array<{ segments: string[]; value: T }>>();

	add(template: string, value: T): void {
		const segments = template.split('/');
		const list = this.byFirst.get(segments[0]) ?? [];
		list.push({ segments, value });
		this.byFirst.set(segments[0], list);
	}

	match(
		path: string,
		accept: (value: T) => boolean = () => true,
	): { value: T; params: Record<string, string> } | undefined {
		const parts = path.split('/');
		let best: { value: T; params: Record<string, string>; score: string } | undefined;
		for (const candidate of this.byFirst.get(parts[0]) ?? []) {
			if (candidate.segments.length !== parts.length || !accept(candidate.value)) continue;
			const params: Record<string, string> = {};
			let score = '';
			let ok = true;
			for (let i = 0; i < parts.length && ok; i++) {
				const segment = candidate.segments[i];
				if (segment.startsWith('{')) {
					params[segment.slice(1, -1)] = decodeURIComponent(parts[i]);
					score += '0';
				} else {
					ok = segment === parts[i];
					score += '1';
				}
			}
			if (ok && (!best || score > best.score)) best = { value: candidate.value, params, score };
		}
		return best && { value: best.value, params: best.params };
	}
}

/** Every operation of every collection, by path; PATCH answers where the spec folded it into PUT. */
export const ROUTES = new PathTable<Route>();
/** Collection templates, to find which collection a concrete path (`suppliers/3/addresses`) is. */
export const COLLECTIONS = new PathTable<SimType>();
for (const type of SIM_TYPES) {
	COLLECTIONS.add(type.resource.path, type);
	for (const operation of type.resource.operations) {
		ROUTES.add(operation.path, {
			method: operation.method,
			segments: operation.path.split('/'),
			type,
			operation,
		});
		if (operation.method === 'PUT' && operation.kind === 'member') {
			ROUTES.add(operation.path, {
				method: 'PATCH',
				segments: operation.path.split('/'),
				type,
				operation,
			});
		}
	}
}

/**
 * Scopes any one of which grants a call: Coupa's special cases (rules.ts), else the family's read
 * or write scope.
 */
export function scopesFor(method: string, route: Route): string[] {
	const verb = method === 'PATCH' ? 'PUT' : method;
	return (
		CALL_SCOPES[`${verb} ${shapeOf(route.operation.path)}`] ?? [
			scopeOf(route.type.resource, verb === 'GET' ? 'read' : 'write', route.type.scope),
		]
	);
}

export const BASE_SCOPES = [
	'login',
	'email',
	'offline_access',
	'openid',
	'profile',
	'core.common.read',
];

export const ALL_SCOPES = [
	...new Set([
		...BASE_SCOPES,
		// The family's scopes stay grantable to a client (a client's list is what an admin ticks); a
		// call the spec files grant otherwise needs that scope (`core.catalog.read` for items).
		...SIM_TYPES.flatMap((t) => [
			`${t.scope}.read`,
			`${t.scope}.write`,
			scopeOf(t.resource, 'read', t.scope),
			scopeOf(t.resource, 'write', t.scope),
		]),
		...Object.values(CALL_SCOPES).flat(),
	]),
];

const pick = <T>(list: T[], i: number): T => list[i % list.length];

/** Customer-defined fields: under `custom-fields`, as Compass's "Custom Field Namespace" describes. */
const customFields = (i: number) => ({
	'custom-fields': {
		'cost-center': reference('LookupValue', (i % 12) + 1),
		'project-code': `PRJ-${100 + i}`,
		'capex-flag': i % 4 === 0,
	},
});

/**
 * What makes seed records read as real ones, beyond the schema: statuses a test can act on,
 * consistent references, custom fields, and one legacy custom field at the root of suppliers
 * ("API global namespace").
 */
export const SEED_OVERRIDES: Record<string, (i: number) => Record<string, unknown>> = {
	approvals: (i) => ({
		status: pick(['pending', 'approved', 'rejected'], i),
		'approvable-type': pick(['RequisitionHeader', 'InvoiceHeader'], i),
		// The requisition or invoice approved: one Coupa has.
		'approvable-id': ((i - 1) % 12) + 1,
		note: null,
	}),
	// Compass (DataFileSources API Example Calls): loads end Done with counts, or Failed with row errors.
	data_file_sources: (i) => ({
		type: 'BackgroundCsvFileLoad',
		'source-for': pick(['LookupValue', 'Supplier', 'Invoices', 'User'], i),
		'file-file-name': `load_${i}.csv`,
		'file-content-type': 'text/csv',
		...(i % 3 === 0
			? {
					status: 'Failed',
					'records-count': 3,
					'records-created': 0,
					'records-updated': 1,
					'result-text': '3 rows processed, creating 0 new rows and updating 1 rows.',
					'upload-errors': [2, 3].map((row) => ({
						id: i * 100 + row,
						type: 'UploadRowError',
						row,
						'first-column': `Value ${row}`,
						'field-with-error': 'parent_id',
						value: '1',
						'field-errors': ['Parent unable to find matching parent.'],
					})),
					'upload-errors-count': 2,
				}
			: {
					status: 'Done',
					'records-count': 11,
					'records-created': 4,
					'records-updated': 7,
					'result-text': '11 rows processed, creating 4 new rows and updating 7 rows.',
					'upload-errors': [],
					'upload-errors-count': 0,
				}),
	}),
	contracts: (i) => ({
		status: pick(['draft', 'pending_approval', 'published'], i),
		supplier: reference('Supplier', (i % 12) + 1),
		...customFields(i),
	}),
	expense_reports: (i) => ({
		status: pick(['draft', 'pending_approval', 'approved'], i),
		exported: i % 2 === 1,
		...customFields(i),
	}),
	inventory_transactions: (i) => ({
		type: pick(['ReceivingQuantityConsumption', 'InventoryReceipt'], i),
		status: 'created',
		exported: i % 2 === 1,
	}),
	receiving_transactions: (i) => ({
		type: pick(['ReceivingQuantityConsumption', 'ReceivingAmountConsumption'], i),
		status: 'created',
		exported: i % 2 === 1,
	}),
	invoices: (i) => ({
		status: pick(['new', 'pending_approval', 'approved', 'voided'], i),
		exported: i % 2 === 1,
		supplier: reference('Supplier', (i % 12) + 1),
		...customFields(i),
	}),
	purchase_orders: (i) => ({
		status: pick(['draft', 'issued', 'closed', 'cancelled'], i),
		exported: i % 3 === 0,
		version: 1,
		supplier: reference('Supplier', (i % 12) + 1),
		...customFields(i),
	}),
	purchase_order_changes: (i) => ({ status: pick(['draft', 'pending_approval', 'approved'], i) }),
	purchase_order_lines: (i) => ({ status: 'created', 'order-header-id': i, price: money(i) }),
	requisitions: (i) => ({
		status: pick(['draft', 'pending_approval', 'approved'], i),
		exported: i % 2 === 1,
		...customFields(i),
	}),
	suppliers: (i) => ({
		status: i % 6 === 0 ? 'inactive' : 'active',
		...customFields(i),
		'supplier-tier': pick(['strategic', 'preferred', 'approved'], i),
	}),
	users: (i) => ({ active: i % 7 !== 0, ...customFields(i) }),
};
