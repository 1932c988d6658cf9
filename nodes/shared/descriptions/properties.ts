/**
 * Property builders shared by every resource. The catalog says what each resource supports;
 * these functions turn it into n8n parameters. The routing is stated once, on Resource.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { sendCoupaRequest } from '../operations/execute';
import { FILTER_OPERATORS, OPERATOR_NAMES } from '../operations/filters';
import { pathParameterLabel, pathParameterName } from '../operations/paths';
import { routeRequest } from '../operations/router';
import type { CoupaOperation, CoupaResource } from '../schema/catalog';
import { RESOURCES, RESOURCES_BY_VALUE } from '../schema/catalog';
import { DEFAULT_MAX_RECORDS } from '../transport/pagination';
import { DEFAULT_REQUESTS_PER_SECOND } from '../transport/rateLimiter';
import { DEFAULT_TIME_BUDGET_SECONDS, DEFAULT_TIMEOUT_SECONDS } from '../transport/request';
import { customApiCallProperties } from './customApiCall';
import { RECORD_WRITES, recordFieldProperties } from './recordFields';
import { JSON_BODY_HINT, markExportedNotice } from './notices';
import {
	filterFieldProperty,
	idLocatorProperty,
	parentLocatorProperty,
	responseFilterOption,
	simplifyProperty,
} from './recordLocator';

/** One Operation option: what the editor lists. Its request is the router's (on the Resource parameter). */
function operationOption(endpoint: CoupaOperation): INodePropertyOptions {
	const { name, value, action, description } = endpoint;
	// A description that only repeats the action ("Get a supplier by ID") adds nothing to the list.
	const repeats = [action, `${action} by ID`, `${action}, with filters`].includes(description);
	return { name, value, action, ...(repeats ? {} : { description }) };
}

const valuesWhere = (resource: CoupaResource, test: (e: CoupaOperation) => boolean) =>
	resource.endpoints.filter(test).map((e) => e.value);

/** Every operation value of any resource that passes `test`: for properties shared by all resources. */
export const operationsWhere = (test: (e: CoupaOperation) => boolean): string[] => [
	...new Set(RESOURCES.flatMap((resource) => valuesWhere(resource, test))),
];

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES.map(
		(resource): INodePropertyOptions => ({
			name: resource.name,
			value: resource.value,
			description: resource.description,
		}),
	).concat({
		name: 'Custom API Call',
		value: 'custom',
		description: 'Any request under /api/ with this credential',
	}),
	default: 'purchaseOrder',
	// Routing stated once for every resource and operation: the router picks the endpoint and
	// builds the request, and every request goes through the package's one request hook.
	routing: {
		request: { method: 'GET', url: '/' },
		send: { paginate: true, preSend: [routeRequest] },
		operations: { pagination: sendCoupaRequest },
	},
};

export function operationProperty(resource: CoupaResource): INodeProperties {
	const firstOperation = resource.operations.includes('get') ? 'get' : resource.operations[0];
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options: resource.endpoints.map(operationOption),
		default: firstOperation,
	};
}

type Shown = { resource: string[]; operation: string[] };

/**
 * Pickers that differ only in where they show become one, so the description states each once. A
 * merge is made only where it shows the picker on no operation that lacks the id it picks.
 */
function mergeSameShape(
	properties: INodeProperties[],
	needs: (e: CoupaOperation) => boolean,
): INodeProperties[] {
	const shape = (p: INodeProperties) => JSON.stringify({ ...p, displayOptions: undefined });
	const fits = (show: Shown) =>
		show.resource.every((value) =>
			show.operation.every((operation) => {
				const endpoint = RESOURCES_BY_VALUE.get(value)?.endpoints.find(
					(e) => e.value === operation,
				);
				return endpoint === undefined || needs(endpoint);
			}),
		);
	const merged: Array<{ property: INodeProperties; show: Shown }> = [];
	for (const property of properties) {
		const show = property.displayOptions?.show as Shown;
		const twin = merged.find((m) => {
			if (shape(m.property) !== shape(property)) return false;
			return fits({
				resource: [...m.show.resource, ...show.resource],
				operation: [...new Set([...m.show.operation, ...show.operation])],
			});
		});
		if (twin) {
			twin.show.resource.push(...show.resource);
			twin.show.operation = [...new Set([...twin.show.operation, ...show.operation])].sort();
		} else {
			merged.push({
				property,
				show: { resource: [...show.resource], operation: [...show.operation] },
			});
		}
	}
	return merged.map(({ property, show }) => ({ ...property, displayOptions: shortest(show) }));
}

/** `show` an operation list, or `hide` its complement among the resources' operations where that is shorter. */
function shortest(show: Shown): INodeProperties['displayOptions'] {
	const hidden = [
		...new Set(show.resource.flatMap((value) => RESOURCES_BY_VALUE.get(value)?.operations ?? [])),
	].filter((operation) => !show.operation.includes(operation));
	return hidden.length < show.operation.length
		? { show: { resource: show.resource }, hide: { operation: hidden.sort() } }
		: { show };
}

/** The record pickers of the operations whose path has the record's id. */
export function idProperties(): INodeProperties[] {
	const pickers = RESOURCES.filter((resource) => resource.endpoints.some((e) => e.needsId)).map(
		(resource) =>
			idLocatorProperty(
				resource,
				valuesWhere(resource, (e) => e.needsId),
			),
	);
	return mergeSameShape(pickers, (e) => e.needsId);
}

/** The parent record of a nested collection (`/suppliers/{supplier_id}/addresses`). */
export function parentIdProperties(): INodeProperties[] {
	const pickers = RESOURCES.filter((resource) => resource.parent).map((resource) =>
		parentLocatorProperty(
			resource,
			valuesWhere(resource, (e) => e.needsParent),
		),
	);
	return mergeSameShape(pickers, (e) => e.needsParent);
}

/** The attachment or comment of a record that Get/Delete Attachment and Get Comment act on. */
export function subIdProperties(): INodeProperties[] {
	return (['attachment', 'comment'] as const).map((sub) => ({
		displayName: `${sub[0].toUpperCase()}${sub.slice(1)} ID`,
		name: `${sub}Id`,
		type: 'string',
		required: true,
		default: '',
		placeholder: '1234',
		displayOptions: { show: { operation: operationsWhere((e) => e.sub === sub) } },
	}));
}

/** Path parameters some actions take beside the record's id (an expense attendee, say). */
export function pathParameterProperties(resource: CoupaResource): INodeProperties[] {
	const names = [...new Set(resource.endpoints.flatMap((e) => e.params ?? []))];
	return names.map((param) => ({
		displayName: pathParameterLabel(param),
		name: pathParameterName(param),
		type: 'string',
		required: true,
		default: '',
		displayOptions: {
			show: {
				resource: [resource.value],
				operation: valuesWhere(resource, (e) => (e.params ?? []).includes(param)),
			},
		},
	}));
}

const writesFields = (e: CoupaOperation) =>
	e.body && (RECORD_WRITES as readonly string[]).includes(e.kind);
const actionBody = (e: CoupaOperation) => e.body && !writesFields(e);

function jsonBodyProperty(
	show: { resource: string[]; operation: string[] },
	description: string,
	hint?: string,
): INodeProperties {
	return {
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '{}',
		description,
		...(hint ? { hint } : {}),
		displayOptions: shortest(show),
	};
}

/**
 * JSON Body. On Create, Update and Create or Update it follows the mapped fields, which win over it:
 * one property per set of those operations. On an action it is the request's body: one property for
 * every resource whose actions of those names all send one, one per resource for the few others.
 */
export function jsonBodyProperties(): INodeProperties[] {
	const fields =
		"More fields of the record, as Coupa's API documents them (hyphens or underscores in names)";
	const bySet = new Map<string, string[]>();
	for (const resource of RESOURCES) {
		const writes = valuesWhere(resource, writesFields).sort().join(',');
		if (writes) bySet.set(writes, [...(bySet.get(writes) ?? []), resource.value]);
	}
	const writes = [...bySet].map(([operations, resources]) =>
		jsonBodyProperty(
			{ resource: resources, operation: operations.split(',') },
			fields,
			JSON_BODY_HINT,
		),
	);

	const body = "The request's body, as Coupa's API documents it";
	const senders = RESOURCES.filter((resource) => resource.endpoints.some(actionBody));
	const actions = new Set(senders.flatMap((resource) => valuesWhere(resource, actionBody)));
	// A resource fits the shared property when none of its operations of those names goes without a body.
	const fits = (resource: CoupaResource) =>
		resource.endpoints.every((e) => actionBody(e) || !actions.has(e.value));
	return [
		...writes,
		jsonBodyProperty(
			{ resource: senders.filter(fits).map((r) => r.value), operation: [...actions].sort() },
			body,
		),
		...senders
			.filter((r) => !fits(r))
			.map((r) =>
				jsonBodyProperty({ resource: [r.value], operation: valuesWhere(r, actionBody) }, body),
			),
	];
}

/** Approval Reject's reason: Compass's Approvals API takes it as a query parameter. */
export const rejectReasonProperty: INodeProperties = {
	displayName: 'Reason',
	name: 'reason',
	type: 'string',
	default: '',
	description: 'Why the approval is rejected; Coupa records it with the rejection',
	displayOptions: { show: { resource: ['approval'], operation: ['reject'] } },
	routing: { send: { type: 'query', property: 'reason' } },
};

/** Mark Exported: Compass documents `PUT /api/{path}/{id}?exported=true`, a request of its own. */
export function exportedFlagProperty(): INodeProperties {
	return {
		displayName: 'Exported',
		name: 'exported',
		type: 'boolean',
		default: true,
		description: 'Whether to mark the record exported (on) or not exported (off)',
		displayOptions: { show: { operation: ['markExported'] } },
		routing: {
			send: { type: 'query', property: 'exported', value: '={{ $value ? "true" : "false" }}' },
		},
	};
}

const getAllOnly = { show: { operation: ['getAll'] } };

const attachmentUploads = operationsWhere(
	(e) => e.kind === 'upload' && (e.form ?? []).includes('attachment[file]'),
);
const uploadOnly = { show: { operation: attachmentUploads } };
const fileUploads = operationsWhere((e) => e.kind === 'upload');

export const attachmentProperties: INodeProperties[] = [
	{
		displayName: 'Attachment Type',
		name: 'attachmentType',
		type: 'options',
		options: [
			{
				name: 'File',
				value: 'file',
				description: 'A file from a binary property of the input item',
			},
			{ name: 'Text', value: 'text', description: 'A note' },
			{ name: 'URL', value: 'url', description: 'A link' },
		],
		default: 'file',
		displayOptions: uploadOnly,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property of the input item that holds the file',
		displayOptions: { show: { operation: attachmentUploads, attachmentType: ['file'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property of the input item that holds the file',
		displayOptions: {
			show: { operation: fileUploads.filter((value) => !attachmentUploads.includes(value)) },
		},
	},
	{
		displayName: 'URL',
		name: 'attachmentUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/contract.pdf',
		displayOptions: { show: { operation: attachmentUploads, attachmentType: ['url'] } },
	},
	{
		displayName: 'Text',
		name: 'attachmentText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: { show: { operation: attachmentUploads, attachmentType: ['text'] } },
	},
	{
		displayName: 'Intent',
		name: 'attachmentIntent',
		type: 'string',
		default: '',
		placeholder: 'Internal',
		description:
			"Who the attachment is for, as Coupa names it (e.g. Internal or Supplier); empty uses Coupa's default",
		displayOptions: uploadOnly,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property the downloaded file is written to',
		displayOptions: { show: { operation: operationsWhere((e) => e.kind === 'file') } },
	},
];

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
	displayOptions: getAllOnly,
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { operation: ['getAll'], returnAll: [false] } },
};

/** Coupa's filter conditions; shared by the node's Get Many and the trigger. */
export const filtersProperty = (
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	placeholder: 'Add Condition',
	typeOptions: { multipleValues: true },
	default: {},
	displayOptions,
	options: [
		{
			displayName: 'Conditions',
			name: 'conditions',
			values: [
				filterFieldProperty,
				{
					displayName: 'Operator',
					name: 'operator',
					type: 'options',
					default: 'eq',
					options: FILTER_OPERATORS.map((value) => ({
						name: OPERATOR_NAMES[value],
						value,
					})).sort((a, b) => a.name.localeCompare(b.name)),
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description:
						'For In and Not In, values separated by commas; for Is Blank, true or false; dates in ISO 8601',
				},
			],
		},
	],
});

const readOperations = ['get', 'getAll'];

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Direction',
			name: 'dir',
			type: 'options',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
			default: 'asc',
			displayOptions: { show: { '/operation': ['getAll'] } },
			routing: { send: { type: 'query', property: 'dir' } },
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'string',
			default: '',
			placeholder: '["status","total",{"supplier":["name"]}]',
			description: "Coupa's JSON field list: only these fields come back",
			displayOptions: { show: { '/operation': readOperations } },
			routing: { send: { type: 'query', property: 'fields' } },
		},
		{
			displayName: 'Max Records',
			name: 'maxRecords',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_RECORDS,
			description:
				'Return All stops with an error past this many records, so a listing that never ends cannot fill the memory. Raise it for larger exports.',
			displayOptions: { show: { '/operation': ['getAll'], '/returnAll': [true] } },
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description:
				'How often to retry a call that Coupa turned away (429, 503) or that failed on the network. A call that timed out is sent once more at most. Writes are retried only when Coupa surely did not receive them.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'The longest total time to wait between retries of one call',
		},
		{
			displayName: 'Order By',
			name: 'orderBy',
			type: 'string',
			default: '',
			placeholder: 'updated_at',
			description:
				"A field name; hyphens are sent as underscores (updated-at becomes updated_at), as Coupa's query parameters take them",
			displayOptions: { show: { '/operation': ['getAll'] } },
			routing: {
				send: {
					type: 'query',
					property: 'order_by',
					value: '={{ String($value).trim().replace(/-/g, "_") }}',
				},
			},
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_REQUESTS_PER_SECOND,
			description:
				"This node's own limit, below the credential's Requests per Second (which is shared by everything using the Coupa instance). It can only lower this node's rate.",
		},
		responseFilterOption,
		// Coupa answers a read with records, so None (an empty answer) is offered on writes only.
		{
			displayName: 'Return Object',
			name: 'returnObject',
			type: 'options',
			options: [
				{ name: 'Limited', value: 'limited', description: 'IDs only' },
				{ name: 'Shallow', value: 'shallow', description: 'Attributes plus IDs of associations' },
			],
			default: 'shallow',
			description: 'How much of each record Coupa returns',
			displayOptions: { show: { '/operation': operationsWhere((e) => e.method === 'GET') } },
			routing: { send: { type: 'query', property: 'return_object' } },
		},
		{
			displayName: 'Return Object',
			name: 'returnObject',
			type: 'options',
			options: [
				{ name: 'Limited', value: 'limited', description: 'IDs only' },
				{ name: 'None', value: 'none', description: 'Only the ID of the record acted on' },
				{ name: 'Shallow', value: 'shallow', description: 'Attributes plus IDs of associations' },
			],
			default: 'shallow',
			description: 'How much of the record Coupa returns after the write',
			displayOptions: { show: { '/operation': operationsWhere((e) => e.method !== 'GET') } },
			routing: { send: { type: 'query', property: 'return_object' } },
		},
		{
			displayName: 'Time Budget (Seconds)',
			name: 'timeBudgetSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIME_BUDGET_SECONDS,
			description:
				'The longest one item may take, every request, retry and wait included (for Get Many, all its pages). Raise it for very large Return All reads.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description:
				'The longest one request may take, the sign-in included, from sending it to the last byte of the answer. A read that times out is sent once more; a write only if it was never sent.',
		},
	],
};

/** Which credential signs in; `coupaApi` stays the default so saved workflows run unchanged. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Coupa API (Client Credentials, API Key or Token)', value: 'coupaApi' },
		{ name: 'Coupa OAuth2 (Sign in as a User)', value: 'coupaOAuth2Api' },
	],
	default: 'coupaApi',
};

/** The node's credential entries, each shown for its Authentication value. */
export const coupaCredentials = [
	{ name: 'coupaApi', required: true, displayOptions: { show: { authentication: ['coupaApi'] } } },
	{
		name: 'coupaOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['coupaOAuth2Api'] } },
	},
];

/** Every property of the `coupa` node, in the order the editor shows them. */
export function coupaNodeProperties(): INodeProperties[] {
	return [
		authenticationProperty,
		resourceProperty,
		...RESOURCES.map(operationProperty),
		...customApiCallProperties,
		...parentIdProperties(),
		...idProperties(),
		...subIdProperties(),
		...RESOURCES.flatMap(pathParameterProperties),
		...recordFieldProperties(
			new Map(RESOURCES.map((resource) => [resource.value, resource.operations])),
		),
		...jsonBodyProperties(),
		...attachmentProperties,
		rejectReasonProperty,
		markExportedNotice(
			RESOURCES.filter((resource) => resource.operations.includes('markExported')).map(
				(resource) => resource.value,
			),
		),
		exportedFlagProperty(),
		returnAllProperty,
		limitProperty,
		simplifyProperty(),
		filtersProperty(getAllOnly),
		optionsProperty,
	];
}
