/**
 * How a person knows a Coupa record: the fields that name it (record picker), the field its search
 * text is matched against, its key fields (Simplify) and its page in Coupa's web UI. The overlay
 * says it for the main objects; every other object gets the same from its schema.
 */
import type { CoupaResource } from './catalog';
import { recordFields } from './catalog';

/** A field list in Coupa's `fields` syntax: `["id", {"supplier": ["id", "name"]}]`. */
export type FieldList = Array<string | { [field: string]: FieldList }>;

/** Fields that usually name a record, best first, for objects the overlay says nothing about. */
const NAMING_FIELDS = [
	'name',
	'display-name',
	'title',
	'number',
	'code',
	'login',
	'email',
	'description',
	'subject',
	'file-file-name',
	'po-number',
	'invoice-number',
	'item-number',
	'external-ref-num',
	'status',
];

/** Fields worth keeping in a simplified record when the schema has them. */
const KEY_FIELDS = ['status', 'active', 'exported', 'created-at', 'updated-at'];

function stringFieldNames(resource: CoupaResource): Set<string> {
	return new Set(
		recordFields(resource)
			.filter((f) => f.type === 'string')
			.map((f) => f.name),
	);
}

/** Fields shown for a record in the picker, dotted for a nested one (`supplier.name`). */
export function titleFields(resource: CoupaResource): string[] {
	if (resource.overlay.title?.length) return resource.overlay.title;
	const names = stringFieldNames(resource);
	const found = NAMING_FIELDS.filter((field) => names.has(field)).slice(0, 2);
	return found.length ? found : ['id'];
}

/** The field the picker's search text is matched against with `[contains]`; none when only ids name the record. */
export function searchField(resource: CoupaResource): string | undefined {
	return titleFields(resource).find((field) => field !== 'id');
}

/** The record's key fields, asked of Coupa through `fields` when Simplify is on. */
export function simplifyFields(resource: CoupaResource): FieldList {
	if (resource.overlay.simplify?.length) return resource.overlay.simplify as FieldList;
	const names = new Set(recordFields(resource).map((f) => f.name));
	const plain = titleFields(resource).filter((field) => !field.includes('.'));
	return [...new Set(['id', ...plain, ...KEY_FIELDS.filter((field) => names.has(field))])];
}

/** `supplier.name` → `{ supplier: ['name'] }`, the shape `fields` takes for a nested field. */
function fieldListEntry(field: string): FieldList[number] {
	const [head, ...rest] = field.split('.');
	return rest.length ? { [head]: [fieldListEntry(rest.join('.'))] } : head;
}

/** What the picker asks Coupa for: the id and the title fields only, so a page of 50 stays small. */
export function titleFieldList(resource: CoupaResource): FieldList {
	return [...new Set(['id', ...titleFields(resource)])].map(fieldListEntry);
}

/** The value at a dotted path of a record, as text ('' when absent). */
function valueAt(record: Record<string, unknown>, field: string): string {
	let value: unknown = record;
	for (const part of field.split('.')) {
		value =
			value !== null && typeof value === 'object'
				? (value as Record<string, unknown>)[part]
				: undefined;
	}
	return value === null || value === undefined || typeof value === 'object'
		? ''
		: String(value).trim();
}

/** "PO-00012 · Acme Supply 3": the record as a person reads it; `#1005` when no field names it. */
export function recordName(resource: CoupaResource, record: Record<string, unknown>): string {
	const fields = titleFields(resource);
	const parts = fields.map((field) => valueAt(record, field)).filter(Boolean);
	if (fields[0] === 'id' && parts.length) parts[0] = `#${parts[0]}`;
	return parts.length ? parts.join(' · ') : `#${String(record.id)}`;
}

/** The record's page in Coupa's web UI, where the overlay knows it. */
export function recordPageUrl(
	instance: string,
	resource: CoupaResource,
	id: string | number,
): string | undefined {
	return resource.overlay.uiPath ? `${instance}/${resource.overlay.uiPath}/${id}` : undefined;
}
