/**
 * Coupa's R39 spec digest reconciled with Compass, Coupa's own documentation (the generated
 * `compass-facts.json`). Where the two disagree on a field that can be written (required, read-only,
 * type, reference or plain value, allowed values), a named rule or an overlay entry that names its
 * evidence decides; the mapper and the record body take the decided field. The report
 * (docs/compass-reconciliation.md) is written from the same decisions.
 */
import factsJson from './compass-facts.json';
import type { DigestField, DigestResource } from './digest';
import { DIGEST, schemaFields } from './digest';
import type { ResourceOverlay } from './overlay';

export interface CompassField {
	name: string;
	required?: true | 'conditional';
	requiredIf?: string;
	unique?: true;
	uniqueWithin?: string[];
	in?: boolean;
	out?: boolean;
	type?: string;
	length?: number | 'max';
	ref?: string;
	refs?: string[];
	refPage?: string;
	allowed?: string[];
	range?: [number, number];
	dateOnly?: true;
}

export interface CompassObject {
	page: string;
	section: string;
	kind: 'api' | 'flatFile' | 'other';
	title: string;
	paths?: string[];
	endpoints?: string[];
	keys?: string[][];
	fields: CompassField[];
}

export const COMPASS = factsJson as unknown as {
	objects: CompassObject[];
	/** Keys Compass's example calls name referenced records by: field → key → pages. */
	referenceKeys: Record<string, Record<string, string[]>>;
	/** Fields the example calls' request bodies write: root element → field → pages. */
	exampleWrites: Record<string, Record<string, string[]>>;
	/** The bodies of the example calls titled as creating a record: root element → bodies. */
	exampleCreates: Record<string, Array<{ page: string; fields: string[] }>>;
};

/** `OrderHeader` → `order-header`, the root element of its XML. */
const elementOf = (schema: string) => schema.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();

/** The example bodies of a schema's record, whatever root spelling the page used (`budget-line`, `budget_lines`). */
function examplesOf<T>(byRoot: Record<string, T>, schema: string | undefined): T | undefined {
	if (!schema) return undefined;
	const element = elementOf(schema);
	const snake = element.replace(/-/g, '_');
	return [element, snake, `${element}s`, `${snake}s`]
		.map((root) => byRoot[root])
		.find((found) => found !== undefined);
}

/** A create example of the schema's record that leaves the field out: Coupa created the record without it. */
function createWithout(schema: string | undefined, field: string): string | undefined {
	const examples = examplesOf(COMPASS.exampleCreates, schema) ?? [];
	return examples.find((example) => !example.fields.some((f) => f.replace(/_/g, '-') === field))
		?.page;
}

/** The Compass pages whose example request body writes this field of a schema's record. */
function exampleWritesOf(schema: string | undefined, field: string): string[] | undefined {
	const writes = examplesOf(COMPASS.exampleWrites, schema) ?? {};
	return writes[field] ?? writes[field.replace(/-/g, '_')];
}

/** The keys Compass's examples name a field's record by (`supplier` → name, number), besides its id. */
export function exampleKeysOf(field: string): string[] {
	return Object.keys(COMPASS.referenceKeys[field] ?? {});
}

/** Compass's API object documented for a collection path (`lookup_values`). */
const BY_PATH = new Map<string, CompassObject>();
for (const object of COMPASS.objects)
	for (const path of object.paths ?? []) if (!BY_PATH.has(path)) BY_PATH.set(path, object);

/** A schema's Compass object, through the first collection of that schema Compass documents. */
const BY_SCHEMA = new Map<string, CompassObject>();
for (const resource of DIGEST.resources) {
	const object = BY_PATH.get(resource.path);
	if (object && resource.schema && !BY_SCHEMA.has(resource.schema))
		BY_SCHEMA.set(resource.schema, object);
}

/** Compass's object for a digest resource: its own collection's page, else its schema's. */
export function compassObjectOf(
	resource: Pick<DigestResource, 'path' | 'schema'>,
): CompassObject | undefined {
	const path = resource.path.replace(/\{parentId\}/, '{}');
	return BY_PATH.get(path) ?? (resource.schema ? BY_SCHEMA.get(resource.schema) : undefined);
}

/** Compass spells some element names with underscores; Coupa reads both as one. */
const fieldKey = (name: string) => name.trim().toLowerCase().replace(/_/g, '-');

export function compassFieldsOf(object: CompassObject | undefined): Map<string, CompassField> {
	return new Map((object?.fields ?? []).map((f) => [fieldKey(f.name), f]));
}

export type DisagreementKind = 'required' | 'readOnly' | 'type' | 'reference' | 'enum';

/** The rules that decide a disagreement without a hand-written entry. */
export const RULES = {
	exampleWrites: "Compass's example call writes the field => writable (its table's In is blank)",
	inNo: 'Compass In=no => read-only',
	idValue: 'a field named *-id holds an id => a value, not a reference',
	inYes: 'Compass In=yes => writable',
	requiredIn: "Compass Req'd=yes with In=no => writable (Coupa takes what it requires)",
	coupaFills: "ids, timestamps and audit users are Coupa's own => read-only",
	requiredYes: "Compass Req'd=yes on a writable field => required",
	requiredBlank: "Compass Req'd blank => not required",
	requiredConditional: "Compass Req'd only under a condition => not required (Coupa tells when)",
	requiredNotWritable: 'required but not writable => Coupa fills it, not required',
	createExample: "Compass's create example leaves the field out => not required",
	scalar: 'Compass plain type => a value, not a reference',
	selfReference: 'spec refers a field to its own record => Compass type decides',
	reference: 'Compass record type => a reference',
	plainType: "Compass plain type => the column's type",
	dateOnly: 'Compass date only => the date as written, no time or zone',
	enumCompass: "Compass allowable values => the field's options",
	enumYesNo: 'Compass yes/no values => a flag, no options',
} as const;
export type RuleName = keyof typeof RULES;

export interface Disagreement {
	resource: string;
	field: string;
	kind: DisagreementKind;
	spec: string;
	compass: string;
	page: string;
	/** What decided it: a rule, or an overlay entry with its evidence; neither means open. */
	rule?: RuleName;
	overlay?: string;
	/** What the node does. */
	outcome: string;
}

/** A field as the node writes it: the digest's, with what the reconciliation decided. */
export interface DecidedField extends DigestField {
	dateOnly?: boolean;
	/** Compass marks the field unique: a key of Create or Update. */
	unique?: boolean;
}

const COUPA_FILLS = /^(id|created-at|updated-at|created-by|updated-by|last-exported-at)$/;
const PLAIN: Record<string, DigestField['type']> = {
	string: 'string',
	text: 'string',
	integer: 'integer',
	decimal: 'number',
	boolean: 'boolean',
	datetime: 'dateTime',
	date: 'date',
};
const YES_NO = /^(yes|no|true|false)$/i;

const specType = (f: DigestField) =>
	f.type === 'object' || f.type === 'array' ? `${f.type} ${f.ref ?? '?'}` : f.type;
const compassType = (c: CompassField) =>
	c.ref || c.refs ? `${c.type} ${c.ref ?? c.refs?.join('|')}` : String(c.type);

/** The overlay entry that keeps the spec's side of a disagreement, with its evidence. */
function overlayEvidence(
	overlay: ResourceOverlay | undefined,
	field: string,
	kind: DisagreementKind,
): string | undefined {
	if (kind === 'required' && overlay?.required)
		return overlay.requiredEvidence ?? 'overlay required list';
	return overlay?.compass?.[`${field}:${kind}`];
}

/**
 * Every field of a resource as the node writes it, and the disagreements met on the way.
 * `overlay.compass` entries keep the spec's side of one disagreement (`field:kind` → evidence);
 * `overlay.required` (with `requiredEvidence`) decides the resource's required fields.
 */
export function reconcile(
	resource: DigestResource,
	overlay: ResourceOverlay | undefined,
): { fields: DecidedField[]; disagreements: Disagreement[] } {
	const object = compassObjectOf(resource);
	const compass = compassFieldsOf(object);
	const disagreements: Disagreement[] = [];
	const fields: DecidedField[] = [];
	for (const spec of schemaFields(resource.schema)) {
		const c = compass.get(spec.name);
		const field: DecidedField = { ...spec };
		fields.push(field);
		if (!c || !object) continue;
		if (c.unique) field.unique = true;
		const note = (
			kind: DisagreementKind,
			specSide: string,
			compassSide: string,
			rule: RuleName | undefined,
			apply: () => string,
		) => {
			const evidence = overlayEvidence(overlay, spec.name, kind);
			const d: Disagreement = {
				resource: resource.value,
				field: spec.name,
				kind,
				spec: specSide,
				compass: compassSide,
				page: object.page,
				outcome: '',
			};
			if (evidence) {
				d.overlay = evidence;
				d.outcome = 'spec kept';
			} else if (rule) {
				d.rule = rule;
				d.outcome = apply();
			} else d.outcome = 'open';
			disagreements.push(d);
		};

		// Read-only.
		const specWritable = !spec.readOnly;
		if (c.in === false && specWritable) {
			// Open when the overlay relies on writing the field; kept when Compass also requires it.
			const relied = overlay?.required?.includes(spec.name) || overlay?.match?.includes(spec.name);
			const written = exampleWritesOf(resource.schema, spec.name);
			const rule: RuleName | undefined = COUPA_FILLS.test(spec.name)
				? 'coupaFills'
				: c.required === true
					? 'requiredIn'
					: written
						? 'exampleWrites'
						: relied
							? undefined
							: 'inNo';
			note(
				'readOnly',
				'writable',
				c.required === true
					? "In=no, Req'd=yes"
					: written
						? `In=no; written in ${written.join(', ')}`
						: 'In=no',
				rule,
				() => {
					if (rule === 'requiredIn' || rule === 'exampleWrites') return 'writable';
					field.readOnly = true;
					return 'read-only';
				},
			);
		} else if (c.in === true && !specWritable) {
			note(
				'readOnly',
				'read-only',
				'In=yes',
				COUPA_FILLS.test(spec.name) ? 'coupaFills' : 'inYes',
				() => {
					if (COUPA_FILLS.test(spec.name)) return 'read-only';
					field.readOnly = false;
					return 'writable';
				},
			);
		}

		// Reference or value, and the type. An overlay type decides first, naming its evidence.
		const typed = overlay?.fieldTypes?.[spec.name];
		const plain = c.type ? PLAIN[c.type] : undefined;
		const specIsRecord = spec.type === 'object' || spec.type === 'array';
		const compassIsRecord = c.type === 'object' || c.type === 'array';
		const compassRef = (c.ref ?? '').replace(/\s+/g, '');
		const yesNo = !!c.allowed?.length && c.allowed.every((v) => YES_NO.test(v));
		if (typed) {
			disagreements.push({
				resource: resource.value,
				field: spec.name,
				kind: 'type',
				spec: specType(spec),
				compass: compassType(c),
				page: object.page,
				overlay: typed.evidence,
				outcome: typed.type,
			});
			field.type = typed.type;
			delete field.ref;
		} else if (yesNo) {
			// Handled with the allowed values below.
		} else if (specIsRecord && plain) {
			note(
				'reference',
				specType(spec),
				compassType(c),
				spec.ref === resource.schema ? 'selfReference' : 'scalar',
				() => {
					field.type = plain;
					delete field.ref;
					return plain;
				},
			);
		} else if (
			specIsRecord &&
			compassIsRecord &&
			compassRef &&
			spec.ref === resource.schema &&
			compassRef !== spec.ref
		) {
			// The spec points a field at its own record (`currency` of ExpenseReport → ExpenseReport).
			note('reference', specType(spec), compassType(c), 'selfReference', () => {
				field.ref = compassRef;
				return `reference ${compassRef}`;
			});
		} else if (!specIsRecord && compassIsRecord && compassRef) {
			// A reference only to a record the specs describe; any other is for a person to decide.
			const idValue = /-id$/.test(spec.name);
			note(
				'reference',
				specType(spec),
				compassType(c),
				idValue ? 'idValue' : DIGEST.schemas[compassRef] ? 'reference' : undefined,
				() => {
					if (idValue) return spec.type;
					field.type = 'object';
					field.ref = compassRef;
					return `reference ${compassRef}`;
				},
			);
		} else if (
			!specIsRecord &&
			plain &&
			plain !== spec.type &&
			!(plain === 'dateTime' && spec.type === 'date')
		) {
			// A date said to be something else (or the reverse) is a slip of the table: for a person to decide.
			const isDate = (t: string) => t === 'date' || t === 'dateTime';
			note(
				'type',
				spec.type,
				String(c.type),
				isDate(spec.type) !== isDate(plain) ? undefined : 'plainType',
				() => {
					field.type = plain;
					return plain;
				},
			);
		}
		if (c.dateOnly && field.type !== 'date') {
			note('type', field.type, 'date only', 'dateOnly', () => {
				field.type = 'date';
				field.dateOnly = true;
				return 'date';
			});
		}

		// Allowed values.
		const specEnum = (spec.enum ?? []).filter((v) => v !== '');
		if (c.allowed?.length && !typed) {
			const same =
				specEnum.length === c.allowed.length && specEnum.every((v) => c.allowed!.includes(v));
			if (!same) {
				note(
					'enum',
					specEnum.join(', ') || 'none',
					c.allowed.join(', '),
					yesNo ? 'enumYesNo' : 'enumCompass',
					() => {
						if (yesNo) {
							delete field.enum;
							delete field.ref;
							field.type = 'boolean';
							return 'boolean';
						}
						field.enum = [...c.allowed!];
						return 'options';
					},
				);
			}
		}

		// Required, for fields the node writes.
		const specRequired = !!spec.required;
		const compassRequired = c.required === true;
		const without = createWithout(resource.schema, spec.name);
		if ((specRequired || compassRequired) && without && !field.readOnly) {
			note(
				'required',
				specRequired ? 'required' : 'optional',
				`${compassRequired ? 'required' : 'optional'}; created without it in ${without}`,
				'createExample',
				() => {
					field.required = false;
					return 'optional';
				},
			);
		} else if (specRequired !== compassRequired) {
			let rule: RuleName;
			if (field.readOnly) rule = 'requiredNotWritable';
			else if (c.required === 'conditional') rule = 'requiredConditional';
			else rule = compassRequired ? 'requiredYes' : 'requiredBlank';
			note(
				'required',
				specRequired ? 'required' : 'optional',
				c.required === 'conditional'
					? `conditional${c.requiredIf ? ` (${c.requiredIf})` : ''}`
					: compassRequired
						? 'required'
						: 'optional',
				rule,
				() => {
					field.required = rule === 'requiredYes';
					return field.required ? 'required' : 'optional';
				},
			);
		}
	}
	return { fields, disagreements };
}
