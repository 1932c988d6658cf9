/**
 * Records shaped by Coupa's schemas (the digest of the R39 specs): every field of the schema,
 * hyphenated as Coupa spells it, typed as the spec says, references as nested objects, timestamps
 * as Coupa writes them. Deterministic: record `i` of a schema is always the same.
 */
import type { DigestField } from '../../nodes/shared/schema/digest';
import { DIGEST } from '../../nodes/shared/schema/digest';

export type SimRecord = Record<string, unknown> & { id: number };

export const BASE_TIME = Date.parse('2024-01-01T00:00:00Z');

/** The nth Sunday (1-based) of a month, as a day of the month. */
function nthSunday(year: number, month: number, n: number): number {
	const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
	return 1 + ((7 - firstWeekday) % 7) + (n - 1) * 7;
}

/**
 * A timestamp as Coupa writes one: whole seconds in the instance's time zone with its offset
 * (`2024-03-25T11:38:00-07:00`). The simulated instance runs on US Pacific time, daylight saving
 * included, as Compass's examples do (`-08:00` in February, `-07:00` in April).
 */
const summers = new Map<number, [number, number]>();

export function coupaTime(ms: number): string {
	const seconds = Math.floor(ms / 1000) * 1000;
	const year = new Date(seconds).getUTCFullYear();
	let summer = summers.get(year);
	if (!summer) {
		summer = [
			Date.UTC(year, 2, nthSunday(year, 2, 2), 10),
			Date.UTC(year, 10, nthSunday(year, 10, 1), 9),
		];
		summers.set(year, summer);
	}
	const offsetHours = seconds >= summer[0] && seconds < summer[1] ? -7 : -8;
	return `${new Date(seconds + offsetHours * 3_600_000).toISOString().slice(0, 19)}-0${-offsetHours}:00`;
}

/** Minutes after BASE_TIME as a Coupa timestamp. */
const times = new Map<number, string>();
export const at = (minutes: number): string => {
	let time = times.get(minutes);
	if (time === undefined) {
		time = coupaTime(BASE_TIME + minutes * 60_000);
		times.set(minutes, time);
	}
	return time;
};

const hashes = new Map<string, number>();
const hashOf = (text: string): number => {
	let hash = hashes.get(text);
	if (hash === undefined) {
		hash = 7;
		for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) % 1_000_003;
		hashes.set(text, hash);
	}
	return hash;
};

const words = (name: string) => name.replace(/[-_]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
const pad = (n: number) => String(n).padStart(5, '0');
export const money = (n: number): string => ((n * 137.45) % 10000).toFixed(2);

/** How people name records of a schema, where its own name reads badly. */
const LABELS: Record<string, string> = {
	Supplier: 'Acme Supply',
	OrderHeader: 'Order',
	InvoiceHeader: 'Invoice',
	RequisitionHeader: 'Requisition',
};
const label = (schema: string) => LABELS[schema] ?? words(schema).replace(/^(\w+) /, (w) => w);
const initials = (schema: string) =>
	words(schema)
		.split(' ')
		.map((w) => w[0].toUpperCase())
		.join('');
const CURRENCIES = [
	'USD',
	'EUR',
	'GBP',
	'JPY',
	'CHF',
	'CAD',
	'AUD',
	'SEK',
	'NOK',
	'DKK',
	'PLN',
	'INR',
];

/**
 * Natural keys: the fields that name a record. A reference to record `n` of a schema carries the
 * same values as record `n` itself, so `supplier[name]=Acme Supply 3` finds what supplier 3 is called.
 */
const NATURAL_KEYS: Record<string, (schema: string, n: number) => unknown> = {
	name: (schema, n) =>
		schema === 'Currency'
			? `${CURRENCIES[(n - 1) % CURRENCIES.length]} currency`
			: `${label(schema)} ${n}`,
	// Payment terms as Compass's examples name them (`Net 30`).
	code: (schema, n) =>
		schema === 'Currency'
			? CURRENCIES[(n - 1) % CURRENCIES.length]
			: schema === 'Account'
				? `ACC-${1000 + n}`
				: schema === 'PaymentTerm'
					? `Net ${n * 15}`
					: `${initials(schema)}-${n}`,
	login: (_schema, n) => `user${n}`,
	email: (schema, n) =>
		/User/.test(schema)
			? `user${n}@example.com`
			: `${words(schema).replace(/ /g, '.').toLowerCase()}${n}@example.com`,
	firstname: (_schema, n) => `First${n}`,
	lastname: (_schema, n) => `Last${n}`,
	fullname: (_schema, n) => `First${n} Last${n}`,
	'employee-number': (_schema, n) => `E${1000 + n}`,
	number: (schema, n) => (schema === 'Supplier' ? `SUP-${n}` : `${initials(schema)}-${pad(n)}`),
	'po-number': (_schema, n) => `PO-${pad(n)}`,
	'invoice-number': (_schema, n) => `INV-${pad(n)}`,
	'display-name': (schema, n) => `${label(schema)} ${n}`,
	'external-ref-num': (_schema, n) => `EXT-${n}`,
	'item-number': (_schema, n) => `ITM-${pad(n)}`,
	'location-code': (_schema, n) => `LOC-${n}`,
	'remit-to-code': (_schema, n) => `RT-${n}`,
	title: (schema, n) => `${label(schema)} ${n}`,
};

export const isNaturalKey = (name: string): boolean => name in NATURAL_KEYS;

/** Schemas whose references are written out in full one level down: Coupa's large main objects. */
const MAIN_SCHEMAS = new Set([
	'Supplier',
	'OrderHeader',
	'InvoiceHeader',
	'RequisitionHeader',
	'Contract',
	'ExpenseReport',
]);

/** Arrays of owned lines, written out in full on their document. */
const isLines = (field: DigestField) =>
	/^((order|invoice|requisition|expense)-)?lines$/.test(field.name);

const fieldsOf = (schema: string): DigestField[] => DIGEST.schemas[schema] ?? [];

/** A schema small and flat enough to nest whole wherever it is referenced (users, currencies). */
const small = new Map<string, boolean>();
function isSmall(schema: string): boolean {
	let result = small.get(schema);
	if (result === undefined) {
		const fields = fieldsOf(schema);
		result =
			fields.length > 0 &&
			fields.length <= 12 &&
			fields.every((f) => f.type !== 'object' && f.type !== 'array');
		small.set(schema, result);
	}
	return result;
}

/** The id a field's reference points at: one of the first 12 records of the referenced schema. */
const refId = (i: number, field: string) => ((i + hashOf(field)) % 12) + 1;

type Value = (i: number) => unknown;

/** How a scalar field's value follows from the record's number: decided once per schema field. */
function scalarOf(schema: string, field: DigestField): Value {
	const hash = hashOf(field.name);
	const key = NATURAL_KEYS[field.name];
	if (field.name === 'id') return (i) => i;
	if (field.name === 'created-at') return (i) => at(i);
	if (field.name === 'updated-at') return (i) => at(i + (i % 3));
	switch (field.type) {
		case 'integer':
			if (field.name === 'version') return () => 1;
			return field.name.endsWith('-id')
				? (i) => refId(i, field.name)
				: (i) => (i * ((hash % 7) + 1)) % 100;
		case 'number':
			return field.format === 'float'
				? (i) => (i * ((hash % 7) + 1)) / 4
				: (i) => money(i + (hash % 13));
		case 'boolean':
			if (field.name === 'active') return (i) => i % 5 !== 0;
			if (field.name === 'exported') return (i) => i % 2 === 1;
			return (i) => (i + hash) % 2 === 0;
		case 'dateTime':
			return hash % 3 === 0 ? () => null : (i) => at(i * 60 + (hash % 600));
		case 'date':
			return (i) => at(i * 1440 + (hash % 60) * 1440).slice(0, 10);
		default: {
			const choices = field.enum?.filter((value) => value !== '');
			if (choices?.length) return (i) => choices[(i + hash) % choices.length];
			if (key) return (i) => key(schema, i);
			if (field.name === 'status') return () => 'active';
			const text = words(field.name);
			if (field.name === 'description') return (i) => `${label(schema)} ${i}: ${text}`;
			if (/url$/.test(field.name)) return (i) => `https://example.com/${field.name}/${i}`;
			// Real records leave many text fields empty.
			return hash % 3 === 0 ? () => null : (i) => `${text} ${i}`;
		}
	}
}

const frozen = <T>(value: T): T => {
	if (value !== null && typeof value === 'object') {
		for (const inner of Object.values(value)) frozen(inner);
		Object.freeze(value);
	}
	return value;
};

/** References repeat across records (the same 12 users, currencies, suppliers): made once, shared, frozen. */
const references = new Map<string, SimRecord[]>();

/** A reference as Coupa nests it: the id and the natural keys of the referenced record (small objects whole). */
export function reference(schema: string, n: number): SimRecord {
	let made = references.get(schema);
	if (!made) {
		made = [];
		references.set(schema, made);
	}
	let out = made[n];
	if (!out) {
		if (isSmall(schema)) {
			out = record(schema, n, 3);
		} else {
			out = { id: n };
			for (const field of fieldsOf(schema)) {
				const natural = NATURAL_KEYS[field.name];
				if (natural) out[field.name] = natural(schema, n);
			}
		}
		made[n] = frozen(out);
	}
	return out;
}

/** A referenced object written out whole inside a main object: shared and frozen as references are. */
const details = new Map<string, SimRecord>();
function detail(schema: string, n: number, root: string): SimRecord {
	const key = `${schema}#${n}`;
	let out = details.get(key);
	if (!out) {
		out = frozen(record(schema, n, 1, root));
		details.set(key, out);
	}
	return out;
}

/**
 * Record `i` of `schema`. `depth` 0 is the record itself. A main object (supplier, order,
 * invoice...) carries its references written out in full, themselves with references as id and
 * natural keys and users whole: a supplier's payment term, commodity and content groups with
 * their creators, three or four levels deep, about 18 KB of JSON as real ones. Its lines are whole.
 */
export function record(schema: string, i: number, depth = 0, root = schema): SimRecord {
	return build(schema, i, depth, root, true);
}

/**
 * Record `i` of `schema` with every field but nothing written out: references as id and natural
 * keys, lists empty. A few hundred bytes to a few KB, for listings of tens of thousands of records.
 */
export function compactRecord(schema: string, i: number): SimRecord {
	return build(schema, i, 0, '', false);
}

/** Compiled generators, one per schema and place in a record: the decisions are taken once. */
const plans = new Map<string, Plan>();

interface Plan {
	/** Every key in order, so each record is a copy of one object shape (fast to make and read). */
	shape: SimRecord;
	values: Array<[string, Value]>;
}

function planOf(schema: string, depth: number, root: string, full: boolean): Plan {
	const key = `${schema}|${depth}|${root}|${full}`;
	let plan = plans.get(key);
	if (plan) return plan;
	const main = full && depth === 0 && MAIN_SCHEMAS.has(root);
	const values = fieldsOf(schema).map((field): [string, Value] => {
		const ref = field.ref;
		const n = (i: number) => refId(i, field.name);
		const written = main && ref !== undefined && !MAIN_SCHEMAS.has(ref) && ref !== schema;
		if (field.type === 'object') {
			if (!ref || depth >= 3) return [field.name, () => null];
			if (isSmall(ref)) return [field.name, (i) => reference(ref, n(i))];
			if (written && hashOf(field.name) % 3 !== 0)
				return [field.name, (i) => detail(ref, n(i), root)];
			return [field.name, (i) => reference(ref, n(i))];
		}
		if (field.type === 'array') {
			if (!ref || depth >= 2) return [field.name, () => []];
			if (full && depth === 0 && isLines(field))
				return [field.name, (i) => [1, 2].map((k) => record(ref, i * 10 + k, 1, root))];
			// Real records leave many of their lists empty.
			if (written && hashOf(field.name) % 2 === 0)
				return [field.name, (i) => [detail(ref, n(i), root)]];
			return [field.name, () => []];
		}
		return [field.name, scalarOf(schema, field)];
	});
	const shape: SimRecord = { id: 0 };
	for (const [name] of values) shape[name] = null;
	plan = { shape, values };
	plans.set(key, plan);
	return plan;
}

function build(schema: string, i: number, depth: number, root: string, full: boolean): SimRecord {
	const plan = planOf(schema, depth, root, full);
	const out = { ...plan.shape };
	for (const [name, value] of plan.values) out[name] = value(i);
	out.id = i;
	return out;
}

/** A record Coupa has just made from a request: every field of the schema, empty, before the body. */
export function blankRecord(schema: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const field of fieldsOf(schema))
		out[field.name] =
			field.type === 'array'
				? []
				: field.type === 'boolean' && field.name === 'exported'
					? false
					: null;
	return out;
}

/** A value of the field's type, for bodies built from the schema (required fields of a create). */
export function sampleValue(schema: string, field: DigestField, i: number): unknown {
	if (field.type === 'object') return field.ref ? { id: refId(i, field.name) } : {};
	if (field.type === 'array') return field.ref ? [{ id: refId(i, field.name) }] : [];
	return scalarOf(schema, field)(i) ?? `${words(field.name)} ${i}`;
}
