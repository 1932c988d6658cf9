/**
 * The inputs of a record's fields on Create, Update and Create or Update: the `columns` resource
 * mapper (fields from Coupa's schema), Custom Fields by name, and Lines for the objects that have
 * them. `operations/recordBody.ts` turns them into the request body.
 */
import type { INodeProperties } from 'n8n-workflow';

import { lowerName, RESOURCES } from '../schema/catalog';

/** The operations that write a record's fields. */
export const RECORD_WRITES = ['create', 'update', 'upsert'] as const;

type RecordWrite = (typeof RECORD_WRITES)[number];

const writesOf = (operations: readonly string[]) =>
	RECORD_WRITES.filter((op) => operations.includes(op));

/** Per operation: the mapper's mode. Update picks the record by ID, so it maps fields without matching. */
const MAPPER_MODES: Record<RecordWrite, 'add' | 'map' | 'upsert'> = {
	create: 'add',
	update: 'map',
	upsert: 'upsert',
};

function columnsProperty(operation: RecordWrite, resources: string[]): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		typeOptions: {
			loadOptionsDependsOn: ['resource', 'operation'],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode: MAPPER_MODES[operation],
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: true,
				supportAutoMap: true,
				...(operation === 'upsert'
					? {
							matchingFieldsLabels: {
								title: 'Fields to Match On',
								description:
									'The record with these values is updated; without one, a record is created',
								hint: 'When several records match, nothing is written and the error names them',
							},
						}
					: {}),
			},
		},
		displayOptions: { show: { resource: resources, operation: [operation] } },
	};
}

/** The `columns` mapper for each write operation, shown for the resources that have it. */
export function columnsProperties(
	operationsByResource: ReadonlyMap<string, readonly string[]>,
): INodeProperties[] {
	return RECORD_WRITES.flatMap((operation) => {
		const resources = [...operationsByResource]
			.filter(([, operations]) => operations.includes(operation))
			.map(([value]) => value);
		return resources.length ? [columnsProperty(operation, resources)] : [];
	});
}

/** Fields an admin added to the instance: Coupa's spec cannot know them. */
export function customFieldsProperty(
	resources: string[],
	operations: RecordWrite[],
): INodeProperties {
	return {
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		placeholder: 'Add Custom Field',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Fields your Coupa admin added, sent under custom-fields; they win over the same names in the JSON Body',
		displayOptions: { show: { resource: resources, operation: operations } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'cost-center',
						description: "The custom field's API name as Coupa spells it (hyphens or underscores)",
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Empty values are not sent',
					},
					{
						displayName: 'Legacy Namespace (Record Root)',
						name: 'legacy',
						type: 'boolean',
						default: false,
						description:
							'Whether the field is an older one that Coupa reads at the record root instead of under custom-fields',
					},
				],
			},
		],
	};
}

/** Custom Fields for every resource, one property per set of write operations so each shows only where it applies. */
export function customFieldsProperties(
	operationsByResource: ReadonlyMap<string, readonly string[]>,
): INodeProperties[] {
	const bySet = new Map<string, string[]>();
	for (const [resource, operations] of operationsByResource) {
		const writes = writesOf(operations);
		if (writes.length)
			bySet.set(writes.join(','), [...(bySet.get(writes.join(',')) ?? []), resource]);
	}
	return [...bySet].map(([writes, resources]) =>
		customFieldsProperty(resources, writes.split(',') as RecordWrite[]),
	);
}

/** Lines of orders, invoices and requisitions: one JSON list, written or mapped from the input item. */
export function linesProperties(): INodeProperties[] {
	return RESOURCES.filter(
		(resource) => resource.overlay.lines && writesOf(resource.operations).length,
	).map(
		(resource): INodeProperties => ({
			displayName: 'Lines',
			name: 'lines',
			type: 'json',
			default: '',
			placeholder:
				'[{"description": "Laptop", "quantity": 1, "price": 999, "account": {"code": "IT-100"}}]',
			description: `The ${lowerName(resource.name)}'s ${resource.overlay.lines} as a JSON list, one object per line, or an expression giving the list held by the input item; replaces the lines of the JSON Body`,
			displayOptions: {
				show: { resource: [resource.value], operation: writesOf(resource.operations) },
			},
		}),
	);
}

/** Every property of a record's fields, for the node's property list. */
export function recordFieldProperties(
	operationsByResource: ReadonlyMap<string, readonly string[]>,
): INodeProperties[] {
	return [
		...columnsProperties(operationsByResource),
		...customFieldsProperties(operationsByResource),
		...linesProperties(),
	];
}
