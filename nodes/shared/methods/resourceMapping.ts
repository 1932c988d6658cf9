/**
 * The `columns` resource mapper in the editor: the chosen object's writable fields
 * (schema/columns), as n8n's mapper fields.
 */
import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { RESOURCES_BY_VALUE } from '../schema/catalog';
import type { Column } from '../schema/columns';
import { columnsOf, defaultMatch } from '../schema/columns';

/** The editor's field for a column; required only where n8n enforces it (Create). */
export function mapperField(
	column: Column,
	operation: string,
	matches: string[],
): ResourceMapperField {
	const required = column.required && operation !== 'update';
	return {
		id: column.id,
		displayName: column.displayName,
		type: column.type,
		required,
		defaultMatch: matches.includes(column.id),
		// A flag cannot tell one record from another.
		canBeUsedToMatch: column.type !== 'boolean',
		display: true,
		...(column.options ? { options: column.options.map((value) => ({ name: value, value })) } : {}),
	};
}

/** `resourceMapping.getColumns`: the chosen object's writable fields, for Create, Update and Create or Update. */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const resource = RESOURCES_BY_VALUE.get(this.getNodeParameter('resource', '') as string);
	const operation = this.getNodeParameter('operation', '') as string;
	if (!resource) return { fields: [] };
	const matches = operation === 'upsert' ? defaultMatch(resource) : [];
	const fields = columnsOf(resource).map((column) => mapperField(column, operation, matches));
	return {
		fields,
		...(fields.length
			? {}
			: {
					emptyFieldsNotice: `Coupa's spec lists no writable fields for ${resource.name}: use the JSON Body`,
				}),
	};
}
