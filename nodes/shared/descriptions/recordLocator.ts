/**
 * Parameters that pick records and shape reads: the `id` and `parentId` record pickers (From List,
 * By ID, By URL), the filter condition's Field list, Simplify, and the read and write options that
 * depend on them. The ids are resolved and checked by `operations/recordId.ts`.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { CoupaResource } from '../schema/catalog';
import { endpointOf, RESOURCES_BY_VALUE } from '../schema/catalog';
import { SIMPLIFY_HINT } from './notices';
import type { RecordTarget } from '../operations/recordId';
import { idTarget, parentTarget } from '../operations/recordId';

const EXAMPLE_INSTANCE = 'https://acme.coupahost.com';

/** The resource has a list to pick its records from (a Get Many without further path parameters). */
function listable(resource: CoupaResource): boolean {
	const getAll = endpointOf(resource, 'getAll');
	return getAll !== undefined && !getAll.params?.length;
}

/** A record picker: From List (when `searchMethod` can list the records), By ID, By URL. */
function locatorProperty(
	name: 'id' | 'parentId',
	target: RecordTarget,
	searchMethod: string | undefined,
	description: string | undefined,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	const example = `${EXAMPLE_INSTANCE}/${target.uiPath ?? `api/${target.apiPath.replace('{parentId}', '12')}`}/1234`;
	return {
		// The parent has its own picker above: "Supplier Site", not "Supplier Site of a Supplier".
		displayName: target.name.split(' of ')[0],
		name,
		type: 'resourceLocator',
		default: { mode: searchMethod ? 'list' : 'id', value: '' },
		required: true,
		...(description ? { description } : {}),
		modes: [
			...(searchMethod
				? [
						{
							displayName: 'From List',
							name: 'list',
							type: 'list' as const,
							typeOptions: { searchListMethod: searchMethod, searchable: true },
						},
					]
				: []),
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '1234',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '[0-9]+',
							errorMessage: 'A Coupa record ID is a whole number such as 1234',
						},
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				// Checked when the node runs (operations/recordId), with a message naming what is wrong.
				placeholder: example,
			},
		],
		displayOptions,
	};
}

/** The `id` record picker of a resource, shown for `operations`. */
export function idLocatorProperty(resource: CoupaResource, operations: string[]): INodeProperties {
	return locatorProperty(
		'id',
		idTarget(resource),
		listable(resource) ? 'searchRecords' : undefined,
		undefined,
		{ show: { resource: [resource.value], operation: operations } },
	);
}

/** The `parentId` record picker of a nested collection (the supplier of a remit-to address). */
export function parentLocatorProperty(
	resource: CoupaResource,
	operations: string[],
): INodeProperties {
	const target = parentTarget(resource);
	if (!target) throw new Error(`${resource.value} has no parent record`);
	const parent = resource.parent?.resource
		? RESOURCES_BY_VALUE.get(resource.parent.resource)
		: undefined;
	const list = parent !== undefined && listable(parent) && !parent.path.includes('{');
	return locatorProperty('parentId', target, list ? 'searchParents' : undefined, undefined, {
		show: { resource: [resource.value], operation: operations },
	});
}

/**
 * A filter condition's Field: the object's fields from its schema; an expression for any other.
 * `allowArbitraryValues` keeps n8n's editor (2.x) from marking a field absent from the list, such as
 * a custom field, as "not supported".
 */
export const filterFieldProperty: INodeProperties = {
	displayName: 'Field Name or ID',
	name: 'field',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getFilterFields', loadOptionsDependsOn: ['resource'] },
	allowArbitraryValues: true,
	default: '',
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'For a custom or deeper field, switch to Expression and type its name, e.g. custom-fields[cost-center] or order-lines[account][code]',
};

/** Simplify on Get and Get Many: the record's key fields only. */
export function simplifyProperty(operations = ['get', 'getAll']): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description:
			"Whether to return only the record's key fields (ID, number or name, status, dates, totals, supplier, currency) instead of all of them. The Fields option, when set, wins.",
		hint: SIMPLIFY_HINT,
		displayOptions: { show: { operation: operations } },
	};
}

/** Options entry: the name of an admin-defined API response filter (reads only). */
export const responseFilterOption: INodeProperties = {
	displayName: 'Response Filter',
	name: 'filter',
	type: 'string',
	default: '',
	placeholder: 'default_purchase_orders_filter',
	description:
		"The name of an API response filter your Coupa admin set up, which decides the fields Coupa returns. An admin's default filter applies without it and can leave fields out.",
	displayOptions: { show: { '/operation': ['get', 'getAll'] } },
	routing: { send: { type: 'query', property: 'filter' } },
};
