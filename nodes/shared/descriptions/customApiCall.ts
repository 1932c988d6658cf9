/**
 * Custom API Call: any method and path under `/api/`, with the credential's sign-in, for the
 * Coupa endpoints the node does not model yet. Its request is built by operations/customCall and
 * sent by the same hook as every operation, so retries, errors and the never-twice rule apply.
 */
import type { INodeProperties } from 'n8n-workflow';

import { buildCustomCall, METHODS, METHODS_WITH_BODY } from '../operations/customCall';
import { sendCoupaRequest } from '../operations/execute';

const show = { show: { resource: ['custom'] } };

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
