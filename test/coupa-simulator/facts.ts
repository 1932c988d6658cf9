/**
 * What the simulator knows of each object, from Coupa's own sources only: the digest of the R39
 * specs (generated), Compass's element and flat-file tables (`compass-facts.json`, generated) and
 * the spec files' declared scopes (`spec-facts.json`, generated). The node's overlay and catalog
 * are never read here, so a mistake in them shows up as a failing test, not as agreement.
 *
 * Where Compass and the spec disagree, Compass wins: a field Compass marks In=no is read-only, a
 * field Compass types as a plain value (`hide-price`: boolean) is a value and not a reference,
 * Compass's Req'd column says what a create needs, its Unique column what must not repeat (and
 * within what, from the object's flat-file import table).
 */
import compassJson from '../../nodes/shared/schema/compass-facts.json';
import type { DigestField, DigestResource } from '../../nodes/shared/schema/digest';
import { DIGEST, schemaFields } from '../../nodes/shared/schema/digest';
import { CREATED_WITH, FAMILY_OVERRIDES } from './rules';
import specFactsJson from './spec-facts.json';

interface CompassField {
	name: string;
	required?: true | 'conditional';
	unique?: true;
	uniqueWithin?: string[];
	in?: boolean;
	type?: string;
	ref?: string;
	allowed?: string[];
	dateOnly?: true;
}

interface CompassObject {
	page: string;
	section: string;
	kind: 'api' | 'flatFile' | 'other';
	title: string;
	paths?: string[];
	fields: CompassField[];
}

export interface SpecFacts {
	release: string;
	scopes: Record<string, string[]>;
	families: Record<string, string>;
	/** Scopes of a right the family lacks (items read with `core.catalog.read`). */
	grants: Record<string, { read?: string; write?: string }>;
	routes: Array<{ method: 'GET' | 'POST'; path: string; kind: 'collection'; page: string }>;
}

const COMPASS_FACTS = compassJson as unknown as {
	objects: CompassObject[];
	/** Bodies of Compass's example calls that create a record, by root element (`supplier`). */
	exampleCreates: Record<string, Array<{ page: string; fields: string[] }>>;
};
const COMPASS = COMPASS_FACTS.objects;
export const SPEC_FACTS = specFactsJson as unknown as SpecFacts;

/** A field as the simulator takes it: the spec's, with Compass's word on type, writability and dates. */
export interface SimField extends DigestField {
	dateOnly?: boolean;
	/** Compass's allowable values of a writable field. */
	allowed?: string[];
}

/** A field whose value must not repeat, among records sharing the `within` fields' values. */
export interface UniqueKey {
	field: string;
	within: string[];
	page: string;
}

const shapeOf = (template: string) => template.replace(/\{[^}]+\}/g, '{}');
/** Compass writes element names with hyphens or underscores, flat-file names as labels ("External Ref Num"). */
const keyOf = (name: string) =>
	name
		.trim()
		.toLowerCase()
		.replace(/[_\s]+/g, '-');

const API_BY_PATH = new Map<string, CompassObject>();
for (const object of COMPASS) {
	if (object.kind !== 'api') continue;
	for (const path of object.paths ?? [])
		if (!API_BY_PATH.has(shapeOf(path))) API_BY_PATH.set(shapeOf(path), object);
}
const API_BY_SCHEMA = new Map<string, CompassObject>();
for (const resource of DIGEST.resources) {
	const object = API_BY_PATH.get(shapeOf(resource.path));
	if (object && resource.schema && !API_BY_SCHEMA.has(resource.schema))
		API_BY_SCHEMA.set(resource.schema, object);
}

/** Compass's API page for a collection: its own, else the page of another collection of its schema. */
export function compassObject(
	resource: Pick<DigestResource, 'path' | 'schema'>,
): CompassObject | undefined {
	return (
		API_BY_PATH.get(shapeOf(resource.path)) ??
		(resource.schema ? API_BY_SCHEMA.get(resource.schema) : undefined)
	);
}

/** "Lookup Values API (/lookup_values)" → "lookup value": the name the flat-file tables' sections use. */
const objectName = (title: string) =>
	title
		.replace(/\s*\(.*$/, '')
		.replace(/\s+API$/i, '')
		.toLowerCase()
		.replace(/ies$/, 'y')
		.replace(/s$/, '');

const PLAIN: Record<string, DigestField['type']> = {
	string: 'string',
	text: 'string',
	integer: 'integer',
	decimal: 'number',
	boolean: 'boolean',
	datetime: 'dateTime',
	date: 'date',
};
const COUPA_FILLS = new Set(['id', 'created-at', 'updated-at', 'created-by', 'updated-by']);

const fieldCache = new Map<string, SimField[]>();

/** The schema's fields with Compass's corrections: plain types over references, In=no read-only, dates. */
export function simFields(resource: Pick<DigestResource, 'path' | 'schema'>): SimField[] {
	const key = `${resource.path}|${resource.schema ?? ''}`;
	let fields = fieldCache.get(key);
	if (fields) return fields;
	const compass = new Map((compassObject(resource)?.fields ?? []).map((f) => [keyOf(f.name), f]));
	fields = schemaFields(resource.schema).map((field): SimField => {
		const c = compass.get(field.name);
		if (!c) return field;
		const out: SimField = { ...field };
		const plain = c.type ? PLAIN[c.type.toLowerCase()] : undefined;
		if (plain && (field.type === 'object' || field.type === 'array') && !c.ref) {
			out.type = plain;
			delete out.ref;
		}
		if (c.in === false || COUPA_FILLS.has(field.name)) out.readOnly = true;
		else if (c.in === true) delete out.readOnly;
		if (c.dateOnly) {
			out.dateOnly = true;
			out.type = 'date';
		}
		if (c.allowed?.length && c.in !== false) out.allowed = c.allowed;
		return out;
	});
	fieldCache.set(key, fields);
	return fields;
}

/** `OrderHeader` → `order-header`: the root element Compass's example bodies are filed under. */
const elementOf = (schema: string) => schema.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();

/** The bodies Compass's examples create the record with: generated, plus rules.ts's where the generator finds none. */
function createExamples(resource: Pick<DigestResource, 'path' | 'schema'>): string[][] {
	const generated = resource.schema
		? (COMPASS_FACTS.exampleCreates[elementOf(resource.schema)] ?? [])
		: [];
	const written = CREATED_WITH[resource.path];
	return [...generated.map((e) => e.fields.map(keyOf)), ...(written ? [written.fields] : [])];
}

/**
 * The fields a create needs: Compass's Req'd column on a writable field (an unconditional yes)
 * that every create example of Compass sends (an example that leaves a field out shows Coupa
 * creates the record without it); the spec's `required` where Compass documents no object.
 */
export function requiredFor(resource: Pick<DigestResource, 'path' | 'schema'>): SimField[] {
	const fields = simFields(resource);
	const object = compassObject(resource);
	const examples = createExamples(resource);
	const inExamples = (f: SimField) => examples.every((example) => example.includes(f.name));
	if (!object) return fields.filter((f) => f.required && !f.readOnly && inExamples(f));
	const required = new Set(
		object.fields.filter((f) => f.required === true && f.in !== false).map((f) => keyOf(f.name)),
	);
	return fields.filter((f) => required.has(f.name) && !f.readOnly && inExamples(f));
}

/**
 * Compass's unique fields that hold a value (a reference's "unique" would make two users with
 * one default currency clash), each scoped as the object's flat-file import scopes it ("unique
 * per lookup and parent"); unscoped where no import table says.
 */
export function uniqueKeysFor(resource: Pick<DigestResource, 'path' | 'schema'>): UniqueKey[] {
	const object = compassObject(resource);
	if (!object) return [];
	const values = new Set(
		simFields(resource)
			.filter((f) => f.type !== 'object' && f.type !== 'array')
			.map((f) => f.name),
	);
	const name = objectName(object.title);
	const imports = COMPASS.filter((o) => o.kind === 'flatFile' && o.section.toLowerCase() === name);
	return object.fields
		.filter((f) => f.unique && values.has(keyOf(f.name)))
		.map((f) => {
			const scoped = imports
				.flatMap((o) => o.fields)
				.find((g) => keyOf(g.name) === keyOf(f.name) && g.uniqueWithin);
			return {
				field: keyOf(f.name),
				within: (scoped?.uniqueWithin ?? []).map(keyOf),
				page: scoped ? imports[0].page : object.page,
			};
		});
}

/**
 * A collection's scope family: the one its spec file's declared scopes name it by
 * (scripts/generate-simulator-facts.mjs), unless Coupa's scope table says otherwise (rules.ts).
 */
/** The scope a right on a collection needs: its family's, unless the spec files grant it otherwise. */
export function scopeOf(
	resource: Pick<DigestResource, 'path'>,
	right: 'read' | 'write',
	family: string,
): string {
	if (FAMILY_OVERRIDES[resource.path.split('/{')[0]]) return `${family}.${right}`;
	return SPEC_FACTS.grants[resource.path]?.[right] ?? `${family}.${right}`;
}

export function scopeFamilyOf(resource: Pick<DigestResource, 'path'>): string {
	const top = resource.path.split('/{')[0];
	return FAMILY_OVERRIDES[top] ?? SPEC_FACTS.families[resource.path] ?? 'core.common';
}
