/** Coupa's list query language: filters, order, paging, `fields` and `return_object`. */
import type { SimRecord } from './records';
import { isNaturalKey } from './records';

export const OPERATORS = [
	'contains',
	'starts_with',
	'ends_with',
	'gt',
	'lt',
	'gt_or_eq',
	'lt_or_eq',
	'not_eq',
	'in',
	'not_in',
	'blank',
] as const;

const RESERVED = new Set([
	'limit',
	'offset',
	'order_by',
	'dir',
	'return_object',
	'fields',
	'filter',
]);

export class QueryError extends Error {}

/** Coupa accepts hyphens or underscores in names: compare them as one. */
const canonical = (name: string) => name.replace(/-/g, '_');

function valuesAt(record: unknown, path: string[]): unknown[] {
	if (path.length === 0) return [record];
	if (Array.isArray(record)) return record.flatMap((element) => valuesAt(element, path));
	if (record === null || typeof record !== 'object') return [undefined];
	const key = Object.keys(record).find((k) => canonical(k) === canonical(path[0]));
	return valuesAt(
		key === undefined ? undefined : (record as Record<string, unknown>)[key],
		path.slice(1),
	);
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s));

function compare(actual: unknown, expected: string): number {
	const a = String(actual);
	if (isDate(a) && isDate(expected)) return Date.parse(a) - Date.parse(expected);
	const na = Number(a);
	const nb = Number(expected);
	if (a !== '' && expected !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
	return a.localeCompare(expected);
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

function matches(actual: unknown, operator: string, expected: string): boolean {
	const text = String(actual ?? '').toLowerCase();
	const wanted = expected.toLowerCase();
	switch (operator) {
		case 'eq':
			return !isBlank(actual) && String(actual).toLowerCase() === wanted;
		case 'not_eq':
			return String(actual ?? '').toLowerCase() !== wanted;
		case 'contains':
			return text.includes(wanted);
		case 'starts_with':
			return text.startsWith(wanted);
		case 'ends_with':
			return text.endsWith(wanted);
		case 'gt':
			return !isBlank(actual) && compare(actual, expected) > 0;
		case 'lt':
			return !isBlank(actual) && compare(actual, expected) < 0;
		case 'gt_or_eq':
			return !isBlank(actual) && compare(actual, expected) >= 0;
		case 'lt_or_eq':
			return !isBlank(actual) && compare(actual, expected) <= 0;
		case 'in':
			return expected
				.split(',')
				.map((v) => v.trim().toLowerCase())
				.includes(text);
		case 'not_in':
			return !expected
				.split(',')
				.map((v) => v.trim().toLowerCase())
				.includes(text);
		case 'blank':
			return isBlank(actual) === (wanted === 'true');
		default:
			throw new QueryError(`Unknown filter operator ${operator}`);
	}
}

interface Condition {
	path: string[];
	operator: string;
	value: string;
}

/** `supplier[name][contains]=Ac` → path [supplier, name], operator contains. */
export function parseConditions(query: Record<string, string>): Condition[] {
	const conditions: Condition[] = [];
	for (const [key, value] of Object.entries(query)) {
		if (RESERVED.has(key)) continue;
		const match = /^([^[\]]+)((?:\[[^[\]]+\])*)$/.exec(key);
		if (!match) throw new QueryError(`Malformed filter ${key}`);
		const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1])];
		let operator = 'eq';
		const last = path[path.length - 1];
		if (path.length > 1 && (OPERATORS as readonly string[]).includes(last)) {
			operator = last;
			path.pop();
		} else if (
			path.length > 1 &&
			/^(eq|neq|like|gte|lte|greater_than|less_than|between)$/.test(last)
		) {
			throw new QueryError(`Unknown filter operator ${last}`);
		}
		conditions.push({ path, operator, value });
	}
	return conditions;
}

/** Coupa's text operators, which it does not take on dates (COUPA-API.md). */
const TEXT_OPERATORS = new Set(['contains', 'starts_with', 'ends_with']);

/** A date field: named so (`created-at`, `invoice-date`) or holding dates. */
function isDateField(records: SimRecord[], path: string[]): boolean {
	if (/(^|_)(at|date)$/.test(canonical(path[path.length - 1]))) return true;
	return records.some((record) =>
		valuesAt(record, path).some((value) => typeof value === 'string' && isDate(value)),
	);
}

export function applyFilters(records: SimRecord[], query: Record<string, string>): SimRecord[] {
	const conditions = parseConditions(query);
	if (conditions.length === 0) return records;
	for (const { path, operator } of conditions) {
		if (TEXT_OPERATORS.has(operator) && isDateField(records, path)) {
			throw new QueryError(
				`The ${operator} operator cannot be used on the date field ${path.join('.')}`,
			);
		}
	}
	return records.filter((record) =>
		conditions.every((c) => {
			const values = valuesAt(record, c.path);
			// Negative operators must hold for every nested value, the others for any.
			return c.operator === 'not_eq' || c.operator === 'not_in'
				? values.every((v) => matches(v, c.operator, c.value))
				: values.some((v) => matches(v, c.operator, c.value));
		}),
	);
}

export function applyOrder(records: SimRecord[], query: Record<string, string>): SimRecord[] {
	// COUPA-API.md: query parameter names take underscores (`order_by=updated_at`); hyphens are
	// proven only in filter keys, so the simulator takes the stricter reading and refuses them.
	if (query.order_by?.includes('-'))
		throw new QueryError(`order_by takes field names with underscores, not ${query.order_by}`);
	if (query.dir !== undefined && !['asc', 'desc'].includes(query.dir))
		throw new QueryError('dir must be asc or desc');
	// Records are stored in id order: id order needs no sort (keeps big listings fast).
	if (query.order_by === undefined || query.order_by === 'id') {
		return query.dir === 'desc' ? [...records].reverse() : records;
	}
	const field = query.order_by ?? 'id';
	const direction = query.dir === 'desc' ? -1 : 1;
	return [...records].sort((a, b) => {
		const byField = compare(valuesAt(a, [field])[0] ?? '', String(valuesAt(b, [field])[0] ?? ''));
		return (byField !== 0 ? byField : a.id - b.id) * direction;
	});
}

/** Coupa's 50-row cap: `limit` above 50 is 50; `offset` skips. */
export function applyPaging(records: SimRecord[], query: Record<string, string>): SimRecord[] {
	const limit = Math.min(50, Math.max(0, Number(query.limit ?? 50) || 50));
	const offset = Math.max(0, Number(query.offset ?? 0) || 0);
	return records.slice(offset, offset + limit);
}

/** Coupa's `fields` syntax: `["id","status",{"supplier":["id","name"]}]`. */
export type FieldSpec = Array<string | Record<string, FieldSpec>>;

export function parseFields(text: string): FieldSpec {
	let spec: unknown;
	try {
		spec = JSON.parse(text);
	} catch {
		throw new QueryError('fields must be a JSON array');
	}
	if (!Array.isArray(spec)) throw new QueryError('fields must be a JSON array');
	return spec as FieldSpec;
}

export function pickFields(record: unknown, spec: FieldSpec): unknown {
	if (Array.isArray(record)) return record.map((r) => pickFields(r, spec));
	if (record === null || typeof record !== 'object') return record;
	const source = record as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	const find = (name: string) => Object.keys(source).find((k) => canonical(k) === canonical(name));
	for (const entry of spec) {
		if (typeof entry === 'string') {
			const key = find(entry);
			if (key) out[key] = source[key];
		} else {
			for (const [name, nested] of Object.entries(entry)) {
				const key = find(name);
				if (key) out[key] = pickFields(source[key], nested);
			}
		}
	}
	return out;
}

/** An association as `return_object=shallow` gives it: its id and natural keys (Compass, "API Return Formats"). */
function shallow(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).filter(([key]) => key === 'id' || isNaturalKey(key)),
	);
}

/** Trims one record as `return_object` asks: `limited` is the id, `shallow` associations as ids and natural keys. */
export function shapeRecord(record: SimRecord, query: Record<string, string>): unknown {
	if (query.return_object === 'limited') return { id: record.id };
	if (query.return_object === 'shallow') {
		return Object.fromEntries(
			Object.entries(record).map(([key, value]) => [
				key,
				Array.isArray(value) ? value.map(shallow) : shallow(value),
			]),
		);
	}
	return record;
}
