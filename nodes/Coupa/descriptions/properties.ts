/**
 * Property builders shared by every resource. The catalog says what each resource supports;
 * these functions turn it into n8n parameters with their routing.
 */
import type {
	INodeProperties,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import type { CoupaAction, CoupaFile, CoupaResource, CrudOperation } from '../catalog';
import { RESOURCES } from '../catalog';
import { sendAttachment } from '../transport/attachments';
import { DEFAULT_REQUESTS_PER_SECOND } from '../transport/rateLimiter';
import {
	applyFilters,
	FILTER_OPERATORS,
	requirePositiveLimit,
	requireRecordId,
	sendJsonBody,
} from '../transport/preSend';
import { sendCoupaRequest } from '../transport/request';
import { customApiCallProperties } from './customApiCall';
import { recordFieldProperties, sendRecordBody } from './recordFields';

/** The record's URL, with the id as the user gave it (validated by `requireRecordId`). */
const idUrl = (resource: CoupaResource, suffix = '') =>
	`=/${resource.path}/{{ encodeURIComponent(String($parameter.id).trim()) }}${suffix}`;

interface OperationRoute {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	url: string;
	preSend?: PreSendAction[];
	/** Extra request settings, e.g. a binary response. */
	request?: { encoding?: 'arraybuffer'; json?: boolean; headers?: Record<string, string> };
	postReceive?: PostReceiveAction[];
}

function option(
	value: string,
	name: string,
	action: string,
	description: string,
	route: OperationRoute,
): INodePropertyOptions {
	return {
		name,
		value,
		action,
		description,
		routing: {
			request: { method: route.method, url: route.url, ...route.request },
			// `paginate` routes the call through `sendCoupaRequest`, the package's one request path.
			send: { paginate: true, preSend: route.preSend ?? [] },
			operations: { pagination: sendCoupaRequest },
			...(route.postReceive ? { output: { postReceive: route.postReceive } } : {}),
		},
	};
}

/** "a purchase order", "an invoice": the record in the actions panel's sentences. */
function aRecord(resource: CoupaResource): string {
	const one = resource.name.toLowerCase();
	return `${/^[aeiou]/.test(one) ? 'an' : 'a'} ${one}`;
}

/** "purchase orders", "currencies", "addresses". */
function records(resource: CoupaResource): string {
	const one = resource.name.toLowerCase();
	if (/[^aeiou]y$/.test(one)) return `${one.slice(0, -1)}ies`;
	if (/(s|x|ch|sh)$/.test(one)) return `${one}es`;
	return `${one}s`;
}

function crudOption(resource: CoupaResource, operation: CrudOperation): INodePropertyOptions {
	const one = aRecord(resource);
	const many = records(resource);
	switch (operation) {
		case 'get':
			return option('get', 'Get', `Get ${one}`, `Get ${one} by ID`, {
				method: 'GET',
				url: idUrl(resource),
				preSend: [requireRecordId],
			});
		case 'getAll':
			return option('getAll', 'Get Many', `Get many ${many}`, `Get many ${many}, with filters`, {
				method: 'GET',
				url: `/${resource.path}`,
				preSend: [requirePositiveLimit, applyFilters],
			});
		case 'create':
			return option('create', 'Create', `Create ${one}`, `Create ${one}`, {
				method: 'POST',
				url: `/${resource.path}`,
				preSend: [sendRecordBody],
			});
		case 'update':
			return option('update', 'Update', `Update ${one}`, `Update ${one} by ID`, {
				method: 'PUT',
				url: idUrl(resource),
				preSend: [requireRecordId, sendRecordBody],
			});
		case 'delete':
			return option('delete', 'Delete', `Delete ${one}`, `Delete ${one} by ID`, {
				method: 'DELETE',
				url: idUrl(resource),
				preSend: [requireRecordId],
			});
	}
}

function actionOption(resource: CoupaResource, action: CoupaAction): INodePropertyOptions {
	// The catalog's description is already a short sentence ("Issue a purchase order and send it ...").
	return option(action.value, action.name, action.description, action.description, {
		method: action.method,
		url: action.onCollection ? `/${resource.path}/${action.action}` : idUrl(resource, `/${action.action}`),
		preSend: action.onCollection ? [sendJsonBody] : [requireRecordId, sendJsonBody],
	});
}

function markExportedOption(resource: CoupaResource): INodePropertyOptions {
	const one = aRecord(resource);
	return option(
		'markExported',
		'Mark Exported',
		`Mark ${one} as exported`,
		`Set the exported flag of ${one}, so integrations reading exported=false skip it`,
		{ method: 'PUT', url: idUrl(resource), preSend: [requireRecordId] },
	);
}

function attachmentOptions(resource: CoupaResource): INodePropertyOptions[] {
	const one = aRecord(resource);
	return [
		option('uploadAttachment', 'Upload Attachment', `Attach a file, URL or text to ${one}`, `Attach a file, URL or text to ${one}`, {
			method: 'POST',
			url: idUrl(resource, '/attachments'),
			preSend: [requireRecordId, sendAttachment],
		}),
		option('getAttachments', 'Get Attachments', `Get the attachments of ${one}`, `List the attachments of ${one}`, {
			method: 'GET',
			url: idUrl(resource, '/attachments'),
			preSend: [requireRecordId],
		}),
	];
}

function fileOption(resource: CoupaResource, file: CoupaFile): INodePropertyOptions {
	return option(file.value, file.name, file.description, file.description, {
		method: 'GET',
		url: idUrl(resource, `/${file.action}`),
		preSend: [requireRecordId],
		request: { encoding: 'arraybuffer', json: false, headers: { Accept: 'application/json, application/pdf, */*' } },
		postReceive: [{ type: 'binaryData', properties: { destinationProperty: '={{$parameter.binaryPropertyName}}' } }],
	});
}

/** Operations that act on one existing record and so need `id`. */
export function operationsWithId(resource: CoupaResource): string[] {
	return [
		...resource.operations.filter((op) => op !== 'getAll' && op !== 'create'),
		...(resource.exported ? ['markExported'] : []),
		...(resource.actions ?? []).filter((a) => !a.onCollection).map((a) => a.value),
		...(resource.attachments ? ['uploadAttachment', 'getAttachments'] : []),
		...(resource.files ?? []).map((f) => f.value),
	];
}

/** Operations that send `jsonBody`. */
export function operationsWithBody(resource: CoupaResource): string[] {
	return [
		...resource.operations.filter((op) => op === 'create' || op === 'update'),
		...(resource.actions ?? []).map((a) => a.value),
	];
}

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES.map((resource): INodePropertyOptions => ({ name: resource.name, value: resource.value })).concat({
		name: 'Custom API Call',
		value: 'custom',
	}),
	default: 'purchaseOrder',
};

export function operationProperty(resource: CoupaResource): INodeProperties {
	const options = [
		...resource.operations.map((op) => crudOption(resource, op)),
		...(resource.exported ? [markExportedOption(resource)] : []),
		...(resource.actions ?? []).map((action) => actionOption(resource, action)),
		...(resource.attachments ? attachmentOptions(resource) : []),
		...(resource.files ?? []).map((file) => fileOption(resource, file)),
	].sort((a, b) => a.name.localeCompare(b.name));
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options,
		default: 'get',
	};
}

export function idProperty(resource: CoupaResource): INodeProperties {
	return {
		displayName: `${resource.name} ID`,
		name: 'id',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1234',
		description: `The Coupa ID of the ${resource.name.toLowerCase()}`,
		displayOptions: { show: { resource: [resource.value], operation: operationsWithId(resource) } },
	};
}

export function jsonBodyProperty(resource: CoupaResource): INodeProperties {
	return {
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '{}',
		description: `The ${resource.name.toLowerCase()} fields to send, as Coupa's API documents them (hyphens or underscores in names)`,
		displayOptions: { show: { resource: [resource.value], operation: operationsWithBody(resource) } },
	};
}

export function actionParameterProperties(resource: CoupaResource): INodeProperties[] {
	return (resource.actions ?? []).flatMap((action) =>
		(action.parameters ?? []).map(
			(parameter): INodeProperties => ({
				displayName: parameter.displayName,
				name: parameter.name,
				type: 'string',
				default: '',
				description: parameter.description,
				displayOptions: { show: { resource: [resource.value], operation: [action.value] } },
				routing: { send: { type: 'body', property: parameter.name } },
			}),
		),
	);
}

export function exportedFlagProperty(): INodeProperties {
	return {
		displayName: 'Exported',
		name: 'exported',
		type: 'boolean',
		default: true,
		description: 'Whether to mark the record exported (on) or not exported (off)',
		displayOptions: { show: { operation: ['markExported'] } },
		routing: { send: { type: 'body', property: 'exported' } },
	};
}

const getAllOnly = { show: { operation: ['getAll'] } };

const uploadOnly = { show: { operation: ['uploadAttachment'] } };

export const attachmentProperties: INodeProperties[] = [
	{
		displayName: 'Attachment Type',
		name: 'attachmentType',
		type: 'options',
		options: [
			{ name: 'File', value: 'file', description: 'A file from a binary property of the input item' },
			{ name: 'URL', value: 'url', description: 'A link' },
			{ name: 'Text', value: 'text', description: 'A note' },
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
		displayOptions: { show: { operation: ['uploadAttachment'], attachmentType: ['file'] } },
	},
	{
		displayName: 'URL',
		name: 'attachmentUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/contract.pdf',
		displayOptions: { show: { operation: ['uploadAttachment'], attachmentType: ['url'] } },
	},
	{
		displayName: 'Text',
		name: 'attachmentText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: { show: { operation: ['uploadAttachment'], attachmentType: ['text'] } },
	},
	{
		displayName: 'Intent',
		name: 'attachmentIntent',
		type: 'string',
		default: '',
		placeholder: 'Internal',
		description: "Who the attachment is for, as Coupa names it (e.g. Internal or Supplier); empty uses Coupa's default",
		displayOptions: uploadOnly,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property the downloaded file is written to',
		displayOptions: { show: { operation: ['downloadImageScan', 'downloadLegalPdf'] } },
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

const OPERATOR_NAMES: Record<(typeof FILTER_OPERATORS)[number], string> = {
	eq: 'Equals',
	not_eq: 'Not Equals',
	contains: 'Contains',
	starts_with: 'Starts With',
	ends_with: 'Ends With',
	gt: 'Greater Than',
	lt: 'Less Than',
	gt_or_eq: 'Greater Than or Equal',
	lt_or_eq: 'Less Than or Equal',
	in: 'In List',
	not_in: 'Not In List',
	blank: 'Is Blank',
};

/** Coupa's filter conditions; shared by the node's Get Many and the trigger. */
export const filtersProperty = (displayOptions?: INodeProperties['displayOptions']): INodeProperties => ({
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
				{
					displayName: 'Field',
					name: 'field',
					type: 'string',
					default: '',
					placeholder: 'status, updated-at or supplier.name',
					description: "A Coupa field; nested fields with dots or brackets, e.g. supplier.name or supplier[name]",
				},
				{
					displayName: 'Operator',
					name: 'operator',
					type: 'options',
					default: 'eq',
					options: FILTER_OPERATORS.map((value) => ({
						name: OPERATOR_NAMES[value],
						value,
					})),
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description: 'For In and Not In, values separated by commas; for Is Blank, true or false; dates in ISO 8601',
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
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description:
				'How often to retry a call that Coupa turned away (429, 503) or that failed on the network. Writes are retried only when Coupa surely did not receive them.',
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
			placeholder: 'updated-at',
			displayOptions: { show: { '/operation': ['getAll'] } },
			routing: { send: { type: 'query', property: 'order_by' } },
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_REQUESTS_PER_SECOND,
			description:
				'Most requests this n8n sends to the Coupa instance per second, shared by all Coupa nodes. Coupa allows 25; 0 turns the limit off.',
		},
		{
			displayName: 'Return Object',
			name: 'returnObject',
			type: 'options',
			options: [
				{ name: 'Limited', value: 'limited', description: 'IDs only' },
				{ name: 'Shallow', value: 'shallow', description: 'Attributes plus IDs of associations' },
				{ name: 'None', value: 'none', description: 'Only the ID of the record acted on (writes only)' },
			],
			default: 'shallow',
			description: 'How much of each record Coupa returns',
			routing: { send: { type: 'query', property: 'return_object' } },
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
	{ name: 'coupaOAuth2Api', required: true, displayOptions: { show: { authentication: ['coupaOAuth2Api'] } } },
];

/** Every property of the `coupa` node, in the order the editor shows them. */
export function coupaNodeProperties(): INodeProperties[] {
	return [
		authenticationProperty,
		resourceProperty,
		...RESOURCES.map(operationProperty),
		...customApiCallProperties,
		...RESOURCES.map(idProperty),
		...RESOURCES.filter((resource) => operationsWithBody(resource).length).map(jsonBodyProperty),
		...RESOURCES.flatMap(recordFieldProperties),
		...attachmentProperties,
		...RESOURCES.flatMap(actionParameterProperties),
		exportedFlagProperty(),
		returnAllProperty,
		limitProperty,
		filtersProperty(getAllOnly),
		optionsProperty,
	];
}
