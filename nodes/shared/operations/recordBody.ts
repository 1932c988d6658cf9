/**
 * The body of Create, Update and Create or Update: the `columns` mapper (or the input item, when
 * the user maps automatically), the JSON Body, the custom fields and the lines, merged into one
 * Coupa record and checked field by field before anything is sent.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ResourceMapperValue,
} from 'n8n-workflow';

import type { CoupaResource } from '../schema/catalog';
import { aRecord, RESOURCES_BY_VALUE } from '../schema/catalog';
import type { Column } from '../schema/columns';
import { columnsOf, requiredFields } from '../schema/columns';
import type { Refusal } from './input';
import { parseJsonBody, refuse } from './input';

/** One row of the Custom Fields parameter. */
export interface CustomFieldRow {
	name?: string;
	value?: unknown;
	/** Sent at the record's root, Coupa's legacy "API global namespace", instead of under `custom-fields`. */
	legacy?: boolean;
}

export interface RecordInput {
	resource: CoupaResource;
	operation: string;
	/** The `columns` parameter; absent in workflows saved before it existed. */
	columns?: Partial<ResourceMapperValue>;
	/** The input item's JSON, mapped when `columns.mappingMode` is `autoMapInputData`. */
	item: IDataObject;
	jsonBody: IDataObject;
	customFields: CustomFieldRow[];
	/** The Lines parameter: a JSON array of line objects, as text or as an array. */
	lines?: unknown;
}

/** Coupa reads hyphens and underscores in names as one: `po_number` is `po-number`. */
export const canonicalName = (name: string) => name.trim().toLowerCase().replace(/_/g, '-');

/** How Coupa names fields; anything else (`__proto__`, spaces, dots) is no field of a record. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

const shown = (value: unknown) => {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** ISO 8601 as Coupa reads it: a date, optionally a time and a zone. */
const ISO_8601 =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A calendar date (2025-02-30 is not one) with a time of day that exists. */
function isIsoDate(text: string): boolean {
	const match = ISO_8601.exec(text);
	if (!match) return false;
	const [year, month, day, hour = 0, minute = 0, second = 0] = match
		.slice(1)
		.map((part) => Number(part ?? 0));
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		hour < 24 &&
		minute < 60 &&
		second < 60
	);
}

/** A date as text: n8n hands dates from expressions as Luxon DateTime or JS Date objects. */
function dateText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	const luxon = value as { toISO?: () => string | null } | null;
	if (luxon && typeof luxon === 'object' && typeof luxon.toISO === 'function')
		return luxon.toISO() ?? undefined;
	return undefined;
}

/** The calendar date of a date value as the user wrote it: its own zone's day, not UTC's. */
function dateOnlyText(value: unknown, text: string): string {
	const luxon = value as { toISODate?: () => string | null } | null;
	if (luxon && typeof luxon === 'object' && typeof luxon.toISODate === 'function')
		return luxon.toISODate() ?? text.slice(0, 10);
	return text.slice(0, 10);
}

/** The value as Coupa's field takes it; what cannot be that type is refused, naming the field. */
function typedValue(column: Column, value: unknown, refuseField: Refusal): unknown {
	const label = `The ${column.displayName} field (${column.id})`;
	if (column.reference && typeof value === 'object' && value !== null && !Array.isArray(value)) {
		// A reference copied whole from another Coupa record ({"id": 3, "name": ...}) is sent as it is.
		return value;
	}
	switch (column.type) {
		case 'number': {
			const number =
				typeof value === 'number'
					? value
					: typeof value === 'string' && value.trim() !== ''
						? Number(value.trim())
						: NaN;
			if (!Number.isFinite(number)) {
				refuseField(
					`${label} must be a number, not "${shown(value)}"`,
					column.reference
						? `Map the Coupa ID of the ${column.reference.schema} record, e.g. 3.`
						: 'Give a number such as 12 or 12.5.',
				);
			}
			if (column.integer && !Number.isInteger(number)) {
				refuseField(`${label} must be a whole number, not "${shown(value)}"`);
			}
			if (column.reference && !(Number.isInteger(number) && number > 0)) {
				refuseField(
					`${label} must be a Coupa record ID, not "${shown(value)}"`,
					'Coupa record IDs are whole numbers such as 3.',
				);
			}
			return column.reference ? { [column.reference.key]: number } : number;
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			const text = String(value).trim().toLowerCase();
			if (text === 'true' || text === 'false') return text === 'true';
			return refuseField(`${label} must be true or false, not "${shown(value)}"`);
		}
		case 'dateTime': {
			const text = dateText(value);
			if (text === undefined || !isIsoDate(text)) {
				refuseField(
					`${label} "${shown(value)}" is not an ISO 8601 date`,
					'Give a date as YYYY-MM-DD, optionally with a time and zone, e.g. 2025-01-31 or 2025-01-31T09:30:00Z.',
				);
			}
			// Sent as written: Coupa reads a bare date itself. A date-only field (Compass: invoice-date)
			// takes the calendar date as written, never converted through a time zone.
			return column.dateOnly ? dateOnlyText(value, text!) : text;
		}
		case 'options': {
			const text = String(value).trim();
			const allowed = column.options ?? [];
			const known =
				allowed.find((option) => option === text) ??
				allowed.find((option) => option.toLowerCase() === text.toLowerCase());
			if (known === undefined) {
				refuseField(
					`${label} cannot be "${shown(value)}"`,
					`Coupa accepts: ${allowed.join(', ')}.`,
				);
			}
			return known;
		}
		default: {
			if (typeof value === 'object')
				refuseField(
					`${label} must be text, not ${Array.isArray(value) ? 'a list' : 'an object'}`,
					'Map a single value.',
				);
			const text = String(value);
			return column.reference ? { [column.reference.key]: text } : text;
		}
	}
}

/** The mapped values by Coupa field name: from `columns.value`, or from the item in "Map Automatically". */
function mappedValues(input: RecordInput, byName: Map<string, Column>): Array<[string, unknown]> {
	const columns = input.columns;
	if (!columns) return [];
	if (columns.mappingMode === 'autoMapInputData') {
		// The item's keys that name a writable field, in hyphens or underscores; others (ids, read-only fields) stay behind.
		return Object.entries(input.item)
			.map(([key, value]): [string, unknown] => [byName.get(canonicalName(key))?.id ?? '', value])
			.filter(([name]) => name !== '');
	}
	return Object.entries(columns.value ?? {});
}

/** Copies `base` without the keys that `top` names, in whatever spelling each uses. */
function without(base: IDataObject, names: Iterable<string>): IDataObject {
	const drop = new Set([...names].map(canonicalName));
	return Object.fromEntries(Object.entries(base).filter(([key]) => !drop.has(canonicalName(key))));
}

function customFieldsOf(
	rows: CustomFieldRow[],
	jsonBody: IDataObject,
	refuseField: Refusal,
): { nested: IDataObject; root: IDataObject } {
	const nested: IDataObject = {};
	const root: IDataObject = {};
	for (const [index, row] of rows.entries()) {
		const name = String(row.name ?? '').trim();
		if (!name)
			refuseField(
				`Custom Fields > row ${index + 1} has no field name`,
				"Give the custom field's API name as Coupa spells it, e.g. cost-center.",
			);
		if (!FIELD_NAME.test(name))
			refuseField(
				`Custom Fields > row ${index + 1}: "${shown(name)}" is not a Coupa field name`,
				'Coupa names fields with letters, digits, hyphens and underscores, e.g. cost-center.',
			);
		if (isEmpty(row.value)) continue;
		(row.legacy ? root : nested)[name] = row.value as IDataObject[string];
	}
	const fromBody = Object.entries(jsonBody).find(
		([key]) => canonicalName(key) === 'custom-fields',
	)?.[1];
	const existing =
		fromBody && typeof fromBody === 'object' && !Array.isArray(fromBody)
			? (fromBody as IDataObject)
			: {};
	return {
		nested: Object.keys(nested).length
			? { ...without(existing, Object.keys(nested)), ...nested }
			: {},
		root,
	};
}

function linesOf(raw: unknown, refuseField: Refusal): IDataObject[] | undefined {
	if (isEmpty(raw)) return undefined;
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '' || raw.trim() === '[]') return raw.trim() === '[]' ? [] : undefined;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			refuseField(
				`The Lines parameter is not valid JSON: ${(error as Error).message}`,
				'Write a JSON list of line objects, e.g. [{"description": "Laptop", "quantity": 1, "price": 999}].',
			);
		}
	}
	if (!Array.isArray(value))
		refuseField(
			'The Lines parameter must be a JSON list of lines',
			'Write [ {...}, {...} ], one object per line, or map a list such as {{ $json.lines }}.',
		);
	for (const [index, line] of value.entries()) {
		if (typeof line !== 'object' || line === null || Array.isArray(line)) {
			refuseField(
				`Lines > line ${index + 1} is not an object`,
				'Each line is one JSON object, e.g. {"description": "Laptop", "quantity": 1}.',
			);
		}
	}
	return value as IDataObject[];
}

/** True when the user works with the mapper (not a workflow that only has a JSON Body). */
const usesMapper = (columns: RecordInput['columns']) =>
	!!columns &&
	(columns.mappingMode === 'autoMapInputData' ||
		(typeof columns.value === 'object' && columns.value !== null));

/**
 * The fields Coupa needs for a new record that the record lacks. Checked only when the user works
 * with the mapper: a workflow that writes the whole record as JSON Body keeps Coupa's own answer.
 */
export function missingRequired(
	resource: CoupaResource,
	record: IDataObject,
	columns: RecordInput['columns'],
): string[] {
	if (!usesMapper(columns)) return [];
	const present = new Set(
		Object.entries(record)
			.filter(([, value]) => !isEmpty(value))
			.map(([key]) => canonicalName(key)),
	);
	return requiredFields(resource).filter((name) => !present.has(name));
}

export function refuseMissing(
	resource: CoupaResource,
	missing: string[],
	refuseField: Refusal,
): void {
	if (!missing.length) return;
	const byId = new Map(columnsOf(resource).map((c) => [c.id, c.displayName]));
	const names = missing.map((name) => (byId.has(name) ? `${byId.get(name)} (${name})` : name));
	refuseField(
		`Coupa needs ${names.join(', ')} to create ${aRecord(resource.name)}`,
		resource.overlay.lines && missing.includes(resource.overlay.lines)
			? `Map a value for each, or give the lines in the Lines parameter or the JSON Body.`
			: 'Map a value for each, or give it in the JSON Body.',
	);
}

/** The record with the fields Create sends unless given (an external PO's `type`). */
export function withCreateDefaults(resource: CoupaResource, record: IDataObject): IDataObject {
	const defaults = resource.overlay.createDefaults ?? {};
	return {
		...without(
			defaults,
			Object.keys(record).filter((key) => !isEmpty(record[key])),
		),
		...record,
	};
}

/** The record to send. Mapped columns win over the JSON Body, custom fields and lines over both. */
export function buildRecord(input: RecordInput, refuseField: Refusal): IDataObject {
	const columns = columnsOf(input.resource);
	const byName = new Map(columns.map((c) => [c.id, c]));
	const mapped: IDataObject = {};
	for (const [name, value] of mappedValues(input, byName)) {
		if (isEmpty(value)) continue;
		const column = byName.get(name);
		if (!column && !FIELD_NAME.test(name))
			refuseField(
				`"${shown(name)}" is not a Coupa field name`,
				'Remove it from the fields, or refresh the field list.',
			);
		// A mapped name the digest does not know (a schema refreshed since) is sent as the user mapped it.
		const typed = (column ? typedValue(column, value, refuseField) : value) as IDataObject[string];
		// Keys of one reference (Supplier ID, Supplier Number) make one object: `{"supplier": {"number": "S-1"}}`.
		const target = column?.reference?.field ?? name;
		const before = mapped[target];
		const isObject = (v: unknown): v is IDataObject =>
			typeof v === 'object' && v !== null && !Array.isArray(v);
		mapped[target] = isObject(before) && isObject(typed) ? { ...before, ...typed } : typed;
	}
	const custom = customFieldsOf(input.customFields, input.jsonBody, refuseField);
	const top: IDataObject = { ...mapped, ...custom.root };
	if (Object.keys(custom.nested).length) top['custom-fields'] = custom.nested;
	const linesField = input.resource.overlay.lines;
	const lines = linesField ? linesOf(input.lines, refuseField) : undefined;
	if (linesField && lines !== undefined) top[linesField] = lines;
	const merged = { ...without(input.jsonBody, Object.keys(top)), ...top };
	const record = input.operation === 'create' ? withCreateDefaults(input.resource, merged) : merged;
	if (input.operation === 'create')
		refuseMissing(
			input.resource,
			missingRequired(input.resource, record, input.columns),
			refuseField,
		);
	return record;
}

/** Reads the body's parameters of the current item and builds the record (see `buildRecord`). */
export function recordOf(ctx: IExecuteSingleFunctions): IDataObject {
	const resource = RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource') as string);
	const refuseField: Refusal = (message, description) => refuse(ctx, message, description);
	const jsonBody = parseJsonBody(ctx, ctx.getNodeParameter('jsonBody', '{}'));
	if (!resource) return jsonBody;
	return buildRecord(
		{
			resource,
			operation: ctx.getNodeParameter('operation') as string,
			columns: ctx.getNodeParameter('columns', undefined) as
				| Partial<ResourceMapperValue>
				| undefined,
			item: ctx.getInputData()?.json ?? {},
			jsonBody,
			customFields: (ctx.getNodeParameter('customFields.field', []) as CustomFieldRow[]) ?? [],
			lines: resource.overlay.lines ? ctx.getNodeParameter('lines', '') : undefined,
		},
		refuseField,
	);
}

/** preSend of Create, Update and Create or Update: the record, sent as JSON. */
export async function sendRecordBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return {
		...requestOptions,
		body: recordOf(this),
		json: true,
		headers: { ...requestOptions.headers, 'Content-Type': 'application/json' },
	};
}
