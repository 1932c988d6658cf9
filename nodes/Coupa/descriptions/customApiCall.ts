/**
 * Custom API Call: any method and path under `/api/`, with the credential's sign-in, for the
 * Coupa endpoints the node does not model yet. It still goes through `sendCoupaRequest`, so
 * retries, errors and the never-twice rule for writes apply.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonBody } from '../transport/preSend';
import { sendCoupaRequest } from '../transport/request';

const show = { show: { resource: ['custom'] } };

/** Coupa's specs update many objects with PATCH as well as PUT. */
const METHODS_WITH_BODY = ['POST', 'PUT', 'PATCH'];
const METHODS = ['GET', ...METHODS_WITH_BODY, 'DELETE'];

/** `/api/invoices/12/comments`, `invoices/12/comments` and `/invoices/12/comments` all mean the same path. */
export function apiPath(raw: string): string | undefined {
	const path = raw.trim().replace(/^\/+/, '').replace(/^api\//, '');
	if (!path || /^[a-z]+:/i.test(path) || path.split(/[/?#]/).some((segment) => segment === '..')) return undefined;
	return `/${path}`;
}

async function buildCustomCall(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const raw = this.getNodeParameter('path', '') as string;
	const url = apiPath(raw);
	if (!url) {
		throw new NodeOperationError(this.getNode(), `The Path parameter "${raw}" is not a path under /api/`, {
			itemIndex: this.getItemIndex(),
			description: 'Give the part after /api/, e.g. invoices/123/comments.',
		});
	}
	const method = this.getNodeParameter('method', 'GET') as IHttpRequestOptions['method'];
	const qs = parseJsonBody(this, this.getNodeParameter('query', '{}'));
	const options: IHttpRequestOptions = { ...requestOptions, url, method, qs: { ...requestOptions.qs, ...qs } };
	if ((METHODS_WITH_BODY as string[]).includes(method ?? 'GET')) {
		options.body = parseJsonBody(this, this.getNodeParameter('jsonBody', '{}')) as IDataObject;
		options.json = true;
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}
	return options;
}

export const customApiCallProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show,
		options: [
			{
				name: 'API Call',
				value: 'apiCall',
				action: 'Make a custom API call',
				description: 'Send any request under /api/ with this credential',
				routing: {
					request: { method: 'GET', url: '/' },
					send: { paginate: true, preSend: [buildCustomCall] },
					operations: { pagination: sendCoupaRequest },
				},
			},
		],
		default: 'apiCall',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [...METHODS].sort().map((value) => ({ name: value, value })),
		default: 'GET',
		displayOptions: show,
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'invoices/123/comments',
		description: 'The path after /api/',
		displayOptions: show,
	},
	{
		displayName: 'Query Parameters (JSON)',
		name: 'query',
		type: 'json',
		default: '{}',
		description: 'Query parameters as a JSON object, e.g. {"status": "approved", "limit": 10}',
		displayOptions: show,
	},
	{
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '{}',
		displayOptions: { show: { resource: ['custom'], method: METHODS_WITH_BODY } },
	},
];
