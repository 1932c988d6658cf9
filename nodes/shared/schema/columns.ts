/**
 * The writable fields of a Coupa object ("columns"), from the digest of Coupa's specs and the
 * overlay. The same list serves the editor's resource mapper (methods/resourceMapping) and the
 * request body (operations/recordBody), so what a user can map is exactly what the node sends.
 */
import type { DecidedField } from './compass';
import { exampleKeysOf } from './compass';
import { AUDIT_FIELDS, EMBEDDED_SCHEMAS, REFERENCE_KEYS } from './overlay';
import type { CoupaResource } from './catalog';

export type ColumnType = 'string' | 'number' | 'boolean' | 'dateTime' | 'options';

export interface Column {
	/** Coupa's hyphenated field name: the key in the record and in `columns.value`. */
	id: string;
	displayName: string;
	type: ColumnType;
	/** The spec's allowed values of an `options` column. */
	options?: string[];
	/** Coupa needs it to create the record. */
	required: boolean;
	/** A number Coupa keeps whole (the spec's integer). */
	integer?: boolean;
	/** A date Coupa takes without a time (Compass: date only): sent as the date written. */
	dateOnly?: boolean;
	/**
	 * A reference to another record, written as `{ [key]: value }` under `field` (the column's id,
	 * or for a column of another key, `supplier[number]`, the field it names: `supplier`).
	 */
	reference?: { key: string; schema: string; field?: string };
}

/** Words whose usual spelling is not a capitalised word. */
const SPELLING: Record<string, string> = {
	api: 'API',
	asn: 'ASN',
	cxml: 'cXML',
	dd: 'DD',
	duns: 'DUNS',
	erp: 'ERP',
	id: 'ID',
	po: 'PO',
	pcard: 'PCard',
	rfid: 'RFID',
	scf: 'SCF',
	sso: 'SSO',
	uom: 'UOM',
	url: 'URL',
	vat: 'VAT',
	xml: 'XML',
};

/** `ship-to-user` → "Ship To User", `po-number` → "PO Number". */
export function readableName(field: string): string {
	return field
		.split(/[-_]/)
		.filter(Boolean)
		.map((word) => SPELLING[word] ?? word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

/** The spec writes `enum: [""]` where it has no list; such a field stays free text. */
const enumOf = (field: DecidedField) => field.enum?.filter((value) => value !== '');

function columnOf(field: DecidedField, required: boolean): Column[] {
	if (field.readOnly || field.name === 'id' || AUDIT_FIELDS.has(field.name)) return [];
	const name = readableName(field.name);
	if (field.type === 'object') {
		if (!field.ref || EMBEDDED_SCHEMAS.has(field.ref)) return [];
		const key = REFERENCE_KEYS[field.ref] ?? 'id';
		// The other keys Compass's examples name this record by (a supplier by number): one column each.
		const others = exampleKeysOf(field.name).filter((other) => other !== key);
		// Any one of the keys names the record: none is required in the editor, the record check asks for one.
		const oneOf = others.length > 0;
		return [
			{
				id: field.name,
				displayName: `${name} ${readableName(key)}`,
				type: key === 'id' ? 'number' : 'string',
				required: required && !oneOf,
				reference: { key, schema: field.ref },
			},
			...others.map(
				(other): Column => ({
					id: `${field.name}[${other}]`,
					displayName: `${name} ${readableName(other)}`,
					type: 'string',
					required: false,
					reference: { key: other, schema: field.ref!, field: field.name },
				}),
			),
		];
	}
	// Arrays are lines or lists of records: the Lines parameter and the JSON Body carry them.
	if (field.type === 'array') return [];
	const values = enumOf(field);
	if (values?.length)
		return [{ id: field.name, displayName: name, type: 'options', options: values, required }];
	const type: ColumnType =
		field.type === 'integer' || field.type === 'number'
			? 'number'
			: field.type === 'boolean'
				? 'boolean'
				: field.type === 'dateTime' || field.type === 'date'
					? 'dateTime'
					: 'string';
	return [
		{
			id: field.name,
			displayName: name,
			type,
			required,
			...(field.type === 'integer' ? { integer: true } : {}),
			...(field.dateOnly || field.type === 'date' ? { dateOnly: true } : {}),
		},
	];
}

/** The fields Coupa needs to create the record: the overlay's list where the spec's is wrong. */
export function requiredFields(resource: CoupaResource): string[] {
	return (
		resource.overlay.required ??
		resource.writeFields.filter((f) => f.required && !f.readOnly).map((f) => f.name)
	);
}

/** The columns a user can map for a resource, required ones first, then by name. */
export function columnsOf(resource: CoupaResource): Column[] {
	const required = new Set(requiredFields(resource));
	return resource.writeFields
		.flatMap((field) => columnOf(field, required.has(field.name)))
		.sort(
			(a, b) =>
				Number(b.required) - Number(a.required) || a.displayName.localeCompare(b.displayName),
		);
}

/**
 * The field Compass marks unique when it is the record's one writable unique field (not a date,
 * which names a day, not a record): the key of Create or Update where the overlay names none.
 */
export function compassKey(resource: CoupaResource): string | undefined {
	const ids = new Set(columnsOf(resource).map((c) => c.id));
	const keys = resource.writeFields.filter(
		(f) => f.unique && ids.has(f.name) && f.type !== 'date' && f.type !== 'dateTime',
	);
	return keys.length === 1 ? keys[0].name : undefined;
}

/** The default matching columns of Create or Update: the overlay's (Compass's keys with their scope), else Compass's one unique field. */
export function defaultMatch(resource: CoupaResource): string[] {
	const ids = new Set(columnsOf(resource).map((c) => c.id));
	const key = compassKey(resource);
	return (resource.overlay.match ?? (key ? [key] : [])).filter((id) => ids.has(id));
}

/** Matching keys the record's segments make: every `segment-N` given, or an account's `code` (segments joined by `-`). */
export const DERIVED_MATCH = new Set(['segments', 'code']);

/**
 * The matching keys of a search: the chosen columns, else the default ones; the keys the segments
 * make join whenever the default columns are all chosen (the editor cannot show them as columns).
 */
export function matchKeys(resource: CoupaResource, chosen: string[]): string[] {
	const ids = new Set(columnsOf(resource).map((c) => c.id));
	const defaults = defaultMatch(resource);
	const names = chosen.length ? chosen : defaults;
	const derived = (resource.overlay.match ?? []).filter(
		(key) => DERIVED_MATCH.has(key) && !ids.has(key),
	);
	return defaults.every((id) => names.includes(id))
		? [...names, ...derived.filter((key) => !names.includes(key))]
		: names;
}
