/**
 * The Coupa objects this package speaks: the generated digest of Coupa's specs (`api/digest.json`)
 * joined with the hand-written overlay (`api/overlay.ts`). Every property of the `coupa` node, every
 * resource of the trigger, the simulator and the tables of docs/ are built from these rows.
 *
 * Path templates use `{id}` for the record, `{parentId}` for the parent record of a nested
 * collection, `{subId}` for an attachment or comment of the record, and the spec's own name for
 * any other path parameter.
 */
import type { DigestField, DigestOperation, DigestResource, HttpMethod } from './digest';
import { DIGEST, schemaFields } from './digest';
import type { DecidedField } from './compass';
import { reconcile } from './compass';
import type { ExtraOperation, ResourceOverlay } from './overlay';
import { OPERATION_WORDING, OVERLAY, RESOURCE_NAMES, SCOPE_RULES } from './overlay';
import {
	aRecord,
	camelWords,
	childName,
	lowerName,
	nestedName,
	operationWording,
	plural,
	titleCase,
} from './wording';

export { aRecord, childName, lowerName, plural };
import undocumentedJson from './undocumented-operations.json';

/** Operations whose request Coupa does not document (scripts/generate-undocumented-operations.mjs). */
const UNDOCUMENTED = undocumentedJson as Record<string, Record<string, 'fileLoad' | 'body'>>;
const UNDOCUMENTED_NOTE = {
	fileLoad:
		'Coupa documents no file or body for this call: the node sends the record fields you give, and what Coupa does with them is not documented. Follow a load with Get (docs/undocumented-operations.md)',
	body: "Coupa's docs mark no field of this record writable: what it does with the fields you send is undocumented",
};

export type OperationKind =
	| 'getAll'
	| 'get'
	| 'create'
	| 'update'
	| 'delete'
	| 'upsert'
	| 'markExported'
	| 'action'
	| 'file'
	| 'upload';

export interface CoupaOperation {
	/** `operation` parameter value (DESIGN.md). */
	value: string;
	/** Option name in the Operation list (Title Case). */
	name: string;
	/** The actions panel's sentence ("Create a supplier"). */
	action: string;
	description: string;
	kind: OperationKind;
	method: HttpMethod;
	/** Path template under `/api/` (see the file comment). */
	path: string;
	/** The record's id is in the path. */
	needsId: boolean;
	/** The path has the parent's id. */
	needsParent: boolean;
	/** Sends `jsonBody` / `columns` (create, update, actions). */
	body: boolean;
	/** Multipart form fields of an upload. */
	form?: string[];
	/** The sub-record (attachment, comment) whose id is `{subId}`. */
	sub?: 'attachment' | 'comment';
	/** Other path parameters, each a string parameter of the node. */
	params?: string[];
	/** Scopes any one of which grants the operation. */
	scopes: string[];
	/** Where Compass, not the spec, documents it. */
	compass?: string;
}

export interface CoupaResource {
	/** `resource` parameter value: camelCase singular of the collection path (DESIGN.md). */
	value: string;
	name: string;
	description: string;
	/** Coupa's module (the spec file): "Core Platform", "Purchasing", ... */
	module: string;
	/** The spec's tag (resource group). */
	tag: string;
	/** Collection path template under `/api/`, `{parentId}` for a nested one. */
	path: string;
	/** Display name of the parent record of a nested collection. */
	parent?: { name: string; param: string; resource?: string };
	/** The record's schema in the digest. */
	schema?: string;
	/** Scope family, e.g. `core.purchase_order`. */
	scope: string;
	/** Operation values, in the order the editor lists them. */
	operations: string[];
	endpoints: CoupaOperation[];
	/** The record carries Coupa's `exported` flag, so Mark Exported applies. */
	exported: boolean;
	overlay: ResourceOverlay;
	/** The record's fields as the node writes them: the digest's, reconciled with Compass. */
	writeFields: DecidedField[];
}

/** The 21 resources of the first release: their values, operations and behaviour are fixed. */
export const FIRST_RESOURCES = [
	'account',
	'address',
	'approval',
	'budgetLine',
	'contract',
	'currency',
	'exchangeRate',
	'expenseLine',
	'expenseReport',
	'inventoryTransaction',
	'invoice',
	'item',
	'lookupValue',
	'purchaseOrder',
	'purchaseOrderChange',
	'purchaseOrderLine',
	'quoteRequest',
	'requisition',
	'supplier',
	'user',
	'userGroup',
];

const FILE_ACTION = /^(retrieve_|image$|download$)/;

function scopeFamily(value: string, overlay: ResourceOverlay): string {
	return overlay.scope ?? SCOPE_RULES.find(([rule]) => rule.test(value))![1];
}

/** `{supplier_id}` → `{parentId}`, `{id}` stays, other parameters keep their name. */
function template(path: string, parents: string[], sub?: string): string {
	let result = path;
	if (sub) result = result.replace(/\{id\}/, '{subId}');
	const parent = parents[parents.length - 1];
	if (parent) result = result.replace(`{${parent}}`, sub ? '{id}' : '{parentId}');
	return result;
}

interface Draft {
	value: string;
	kind: OperationKind;
	method: HttpMethod;
	path: string;
	form?: string[];
	params?: string[];
	sub?: 'attachment' | 'comment';
	compass?: string;
	specAction?: string;
}

function kindOf(op: DigestOperation | ExtraOperation): OperationKind {
	if (op.kind === 'collection')
		return op.method === 'POST' ? 'create' : op.method === 'GET' ? 'getAll' : 'action';
	if (op.kind === 'member') {
		return (
			(
				{ GET: 'get', PUT: 'update', PATCH: 'update', DELETE: 'delete' } as Record<
					string,
					OperationKind
				>
			)[op.method] ?? 'action'
		);
	}
	if (op.method === 'GET' && op.action && FILE_ACTION.test(op.action)) return 'file';
	if (op.form?.length) return 'upload';
	return 'action';
}

const SUB_OPERATIONS: Record<'attachment' | 'comment', Record<string, string>> = {
	attachment: {
		getAll: 'getAttachments',
		create: 'uploadAttachment',
		get: 'getAttachment',
		delete: 'deleteAttachment',
	},
	comment: { getAll: 'getComments', create: 'addComment', get: 'getComment' },
};

function describe(
	resource: CoupaResource,
	draft: Draft,
	overlay: ResourceOverlay,
): Pick<CoupaOperation, 'name' | 'action' | 'description'> {
	const one = aRecord(resource.name);
	const many = plural(resource.name);
	const own = overlay.operations?.[draft.value];
	const fixed: Record<string, [string, string]> = {
		get: ['Get', `Get ${one}`],
		getAll: ['Get Many', `Get many ${many}`],
		create: ['Create', `Create ${one}`],
		update: ['Update', `Update ${one}`],
		delete: ['Delete', `Delete ${one}`],
		upsert: ['Create or Update', `Create or update ${one}`],
		markExported: ['Mark Exported', `Mark ${one} as exported`],
		getAttachments: ['Get Attachments', `Get the attachments of ${one}`],
		uploadAttachment: ['Upload Attachment', `Attach a file, URL or text to ${one}`],
		getAttachment: ['Get Attachment', `Get an attachment of ${one}`],
		deleteAttachment: ['Delete Attachment', `Delete an attachment of ${one}`],
		getComments: ['Get Comments', `Get the comments on ${one}`],
		addComment: ['Add Comment', `Add a comment to ${one}`],
		getComment: ['Get Comment', `Get a comment on ${one}`],
	};
	if (fixed[draft.value]) {
		const [name, action] = fixed[draft.value];
		const description =
			own ??
			(
				{
					get: `Get ${one} by ID`,
					getAll: `Get many ${many}, with filters`,
					update: `Update ${one} by ID`,
					delete: `Delete ${one} by ID`,
					upsert: 'Update the record that matches, or create it',
				} as Record<string, string>
			)[draft.value] ??
			action;
		return { name, action: own ?? action, description };
	}
	const words = camelWords(draft.value);
	const worded = OPERATION_WORDING[resource.value]?.[draft.value];
	const rule = operationWording(draft.value, {
		name: resource.name,
		parent: resource.parent?.name,
		member: draft.path.includes('{id}'),
		method: draft.method,
		file: draft.kind === 'file',
	});
	const name = worded?.name ?? rule?.name ?? titleCase(words);
	// Without a rule or an entry, the words of the path: test/wording.test.ts fails on these.
	const fallback = `${titleCase(words)} (${lowerName(resource.name)})`;
	const action = own ?? worded?.action ?? rule?.action ?? fallback;
	return { name, action, description: own ?? action };
}

function operationOf(
	resource: CoupaResource,
	draft: Draft,
	overlay: ResourceOverlay,
): CoupaOperation {
	const write = `${resource.scope}.write`;
	const read = `${resource.scope}.read`;
	const scopes = overlay.operationScopes?.[draft.value] ?? [draft.method === 'GET' ? read : write];
	const needsId = draft.path.includes('{id}');
	const described = describe(resource, draft, overlay);
	const undocumented = UNDOCUMENTED[resource.value]?.[draft.value];
	if (undocumented)
		described.description = `${described.description}. ${UNDOCUMENTED_NOTE[undocumented]}`;
	return {
		value: draft.value,
		...described,
		kind: draft.kind,
		method: draft.method,
		path: draft.path,
		needsId,
		needsParent: draft.path.includes('{parentId}'),
		body:
			['create', 'update', 'upsert', 'action'].includes(draft.kind) &&
			draft.method !== 'GET' &&
			draft.method !== 'DELETE' &&
			!draft.sub,
		...(draft.form ? { form: draft.form } : {}),
		...(draft.sub ? { sub: draft.sub } : {}),
		...(draft.params?.length ? { params: draft.params } : {}),
		scopes,
		...(draft.compass ? { compass: draft.compass } : {}),
	};
}

/** The parent resource a nested collection hangs under (`invoices/{invoice_id}/comments` → invoice). */
function parentCollection(resource: DigestResource): string | undefined {
	const parent = resource.parents[resource.parents.length - 1];
	if (!parent) return undefined;
	return resource.path.slice(0, resource.path.indexOf(`/{${parent}}`));
}

function build(): CoupaResource[] {
	const byPath = new Map(DIGEST.resources.map((r) => [r.path, r]));
	// Attachments and comments of a record that is itself a resource become that resource's operations.
	const subsOf = new Map<
		string,
		Array<{ sub: 'attachment' | 'comment'; resource: DigestResource }>
	>();
	const folded = new Set<string>();
	for (const r of DIGEST.resources) {
		const sub = r.tag === 'Attachment' ? 'attachment' : r.tag === 'Comment' ? 'comment' : undefined;
		const parentPath = parentCollection(r);
		if (sub && parentPath && r.parents.length === 1 && byPath.has(parentPath)) {
			subsOf.set(parentPath, [...(subsOf.get(parentPath) ?? []), { sub, resource: r }]);
			folded.add(r.value);
		}
	}

	const resources: CoupaResource[] = [];
	for (const r of DIGEST.resources) {
		// Collections two records deep (an expense line's artifacts under its report) have a one-level twin.
		if (folded.has(r.value) || r.parents.length > 1) continue;
		const overlay = OVERLAY[r.value] ?? {};
		const parentPath = parentCollection(r);
		const parentResource = parentPath ? byPath.get(parentPath) : undefined;
		const parentName = parentResource
			? (OVERLAY[parentResource.value]?.name ?? titleCase(camelWords(parentResource.value)))
			: r.parents.length
				? titleCase(r.parents[0].replace(/_id$/, '').split('_'))
				: undefined;
		const name = overlay.name ?? RESOURCE_NAMES[r.value] ?? nestedName(r.value, parentName);
		const fields = schemaFields(r.schema);
		const resource: CoupaResource = {
			value: r.value,
			name,
			description:
				overlay.description ?? `${r.module.startsWith('Coupa ') ? '' : 'Coupa '}${r.module}`,
			module: r.module,
			tag: r.tag,
			path: template(r.path, r.parents),
			...(r.parents.length
				? {
						parent: {
							name: parentName!,
							param: r.parents[0],
							...(parentResource ? { resource: parentResource.value } : {}),
						},
					}
				: {}),
			...(r.schema ? { schema: r.schema } : {}),
			scope: scopeFamily(r.value, overlay),
			operations: [],
			endpoints: [],
			exported: fields.some((f) => f.name === 'exported'),
			overlay,
			writeFields: reconcile(r, overlay).fields,
		};

		const drafts: Draft[] = [];
		for (const op of r.operations) {
			if (overlay.omit?.[op.value]) continue;
			drafts.push({
				value: overlay.rename?.[op.value] ?? op.value,
				kind: kindOf(op),
				method: op.method,
				path: template(op.path, r.parents),
				form: op.form,
				params: op.params,
				specAction: op.action,
			});
		}
		for (const extra of overlay.extra ?? []) {
			drafts.push({
				value: extra.value,
				kind: kindOf(extra),
				method: extra.method,
				path: extra.path,
				form: extra.form,
				compass: extra.source,
			});
		}
		for (const { sub, resource: nested } of subsOf.get(r.path) ?? []) {
			for (const op of nested.operations) {
				const value = SUB_OPERATIONS[sub][op.value];
				if (!value || drafts.some((d) => d.value === value)) continue;
				drafts.push({
					value,
					kind: op.form?.length ? 'upload' : 'action',
					method: op.method,
					path: template(op.path, nested.parents, sub),
					form: op.form,
					sub: op.value === 'get' || op.value === 'delete' ? sub : undefined,
				});
			}
		}
		for (const draft of drafts) if (overlay.files?.includes(draft.value)) draft.kind = 'file';
		const has = (value: string) => drafts.some((d) => d.value === value);
		const update = drafts.find((d) => d.value === 'update');
		if (resource.exported && update && !has('markExported')) {
			drafts.push({
				value: 'markExported',
				kind: 'markExported',
				method: 'PUT',
				path: update.path,
			});
		}
		const create = drafts.find((d) => d.value === 'create');
		if (create && update) {
			// Create or Update starts from the collection: it searches there, then PUTs to the match or POSTs.
			drafts.push({ value: 'upsert', kind: 'upsert', method: 'PUT', path: create.path });
		}
		resource.endpoints = drafts.map((d) => operationOf(resource, d, overlay));
		resource.endpoints.sort((a, b) => a.name.localeCompare(b.name));
		resource.operations = resource.endpoints.map((e) => e.value);
		resources.push(resource);
	}
	return resources.sort((a, b) => a.name.localeCompare(b.name));
}

export const RESOURCES: CoupaResource[] = build();

export const RESOURCES_BY_VALUE: ReadonlyMap<string, CoupaResource> = new Map(
	RESOURCES.map((r) => [r.value, r]),
);

export function endpointOf(
	resource: CoupaResource | undefined,
	operation: string,
): CoupaOperation | undefined {
	return resource?.endpoints.find((e) => e.value === operation);
}

/** The fields of a resource's records, from Coupa's schema. */
export function recordFields(resource: CoupaResource): DigestField[] {
	return schemaFields(resource.schema);
}

export function readScope(resource: CoupaResource): string {
	return `${resource.scope}.read`;
}

export function writeScope(resource: CoupaResource): string {
	return `${resource.scope}.write`;
}

/** The scopes that grant an operation: those Coupa documents for it, else the family's read or write. */
export function operationScopes(
	resource: CoupaResource,
	operation: string,
	method: string,
): string[] {
	return (
		endpointOf(resource, operation)?.scopes ?? [
			method === 'GET' ? readScope(resource) : writeScope(resource),
		]
	);
}

/**
 * The scope `coupaApi` asks for by default: Coupa's base read scope and the first resources' read
 * scopes. The credentials hold it as a constant (schema/defaultScope), so loading a credential does
 * not load the digest; a test holds the two equal.
 */
export const DEFAULT_SCOPE_OF_CATALOG = [
	'core.common.read',
	...new Set(
		FIRST_RESOURCES.map((value) => readScope(RESOURCES_BY_VALUE.get(value)!)).filter(
			(scope) => scope !== 'core.common.read',
		),
	),
].join(' ');

/** How a call's errors name its subject and the scopes a 403 should point at. */
export function callSubject(
	resource: CoupaResource | undefined,
	operation: string,
	method: string,
): { what?: string; scopes?: string[] } {
	if (!resource) return {};
	return { what: lowerName(resource.name), scopes: operationScopes(resource, operation, method) };
}
