/**
 * Custom API Call: any method and path under `/api/`, with the credential's sign-in, for the
 * Coupa endpoints the node does not model yet. The router builds its request (operations/customCall)
 * and the same hook as every operation's sends it, so retries, errors and the never-twice rule apply.
 */
import type { INodeProperties } from 'n8n-workflow';

import { METHODS, METHODS_WITH_BODY } from '../operations/customCall';

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
