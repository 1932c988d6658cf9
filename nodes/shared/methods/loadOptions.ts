/**
 * Lists the editor fills from Coupa's schema (the digest), without asking Coupa: the filter
 * condition's Field list.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { DigestField } from '../schema/digest';
import { schemaFields } from '../schema/digest';
import { RESOURCES_BY_VALUE, recordFields } from '../schema/catalog';

/** Words people write in capitals. */
const ACRONYMS = new Set([
	'id',
	'po',
	'uom',
	'url',
	'erp',
	'vat',
	'asn',
	'duns',
	'cxml',
	'sso',
	'api',
	'rfq',
	'csp',
	'tz',
	'qr',
	'clm',
	'aic',
]);

/** `po-number` → "PO Number", `active?` → "Active". */
export function readableField(name: string): string {
	return name
		.replace(/\?$/, '')
		.split(/[-_]/)
		.filter(Boolean)
		.map((word) =>
			ACRONYMS.has(word) ? word.toUpperCase() : word[0].toUpperCase() + word.slice(1),
		)
		.join(' ');
}

const DATE_TYPES = new Set(['dateTime', 'date']);

function describe(field: DigestField): string {
	if (DATE_TYPES.has(field.type))
		return 'A date: compare with Greater Than or Less Than (ISO 8601), not Contains';
	if (field.type === 'boolean') return 'True or false';
	if (field.enum?.length) return `One of: ${field.enum.slice(0, 8).join(', ')}`;
	return field.type === 'string' ? 'Text' : `A ${field.type.replace('integer', 'whole number')}`;
}

/** Fields of a referenced record worth filtering on, in their Coupa names. */
const NESTED_KEYS = [
	'id',
	'name',
	'login',
	'email',
	'code',
	'number',
	'po-number',
	'invoice-number',
];

/**
 * The object's fields as filter options: every plain field by its hyphenated name, and for each
 * referenced record (`supplier`) its id and naming fields in Coupa's bracket syntax (`supplier[name]`).
 */
export function filterFieldOptions(resourceValue: string): INodePropertyOptions[] {
	const resource = RESOURCES_BY_VALUE.get(resourceValue);
	if (!resource) return [];
	const options: INodePropertyOptions[] = [];
	for (const field of recordFields(resource)) {
		if (field.name.endsWith('?')) continue;
		if (field.type !== 'object' && field.type !== 'array') {
			options.push({
				name: readableField(field.name),
				value: field.name,
				description: describe(field),
			});
			continue;
		}
		const nested = schemaFields(field.ref).filter((f) => NESTED_KEYS.includes(f.name));
		for (const key of nested) {
			options.push({
				name: `${readableField(field.name)} › ${readableField(key.name)}`,
				value: `${field.name}[${key.name}]`,
				description: describe(key),
			});
		}
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}

/** The Field list of a filter condition, for the chosen resource. */
export async function getFilterFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return filterFieldOptions(this.getCurrentNodeParameter('resource') as string);
}
