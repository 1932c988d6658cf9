/**
 * The Custom API Call's request: the user's path, checked to stay under `/api/`, the method, the
 * query and the body.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasControlCharacters, shown } from '../transport/errors';
import { parseJsonBody } from './input';

/** Coupa's specs update many objects with PATCH as well as PUT. */
export const METHODS_WITH_BODY = ['POST', 'PUT', 'PATCH'];
export const METHODS = ['GET', ...METHODS_WITH_BODY, 'DELETE'];

/** Decodes percent-escapes until none is left, so `%252e` cannot hide a dot from the checks. */
function fullyDecoded(text: string): string | undefined {
	let current = text;
	for (let round = 0; round < 5; round++) {
		let next: string;
		try {
			next = decodeURIComponent(current);
		} catch {
			return undefined;
		}
		if (next === current) return current;
		current = next;
	}
	return undefined;
}

/**
 * `/api/invoices/12/comments`, `invoices/12/comments` and `/invoices/12/comments` all mean the same
 * path. The path is judged after decoding (so `%2e%2e` and `%2F` count as what they mean) and is
 * refused when it starts with `//`, when any segment is `.` or `..`, empty, holds a backslash or a control
 * character, or when it is an absolute URL: what is sent is exactly what was checked.
 */
export function apiPath(raw: string): string | undefined {
	const text = raw.trim();
	const [pathPart, ...queryParts] = text.split('?');
	const decoded = fullyDecoded(pathPart);
	// `//host/...` is a URL without its scheme, not a path.
	if (
		decoded === undefined ||
		decoded.startsWith('//') ||
		decoded.includes('\\') ||
		hasControlCharacters(decoded) ||
		/^[a-z][a-z0-9+.-]*:/i.test(decoded)
	)
		return undefined;
	const segments = decoded
		.replace(/^\/+/, '')
		.replace(/^api(\/|$)/, '')
		.split('/');
	if (
		segments.some(
			(segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('#'),
		)
	)
		return undefined;
	const query = queryParts.join('?');
	if (query && fullyDecoded(query) === undefined) return undefined;
	return `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}${query ? `?${query}` : ''}`;
}

const PATH_HINT =
	'Give the part after /api/, e.g. invoices/123/comments: no ".." or "." segments, backslashes, "//" or full URLs.';

export async function buildCustomCall(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const raw = this.getNodeParameter('path', '') as unknown;
	if (typeof raw !== 'string') {
		throw new NodeOperationError(
			this.getNode(),
			`The Path parameter must be text, not ${Array.isArray(raw) ? 'a list' : typeof raw === 'object' && raw !== null ? 'an object' : typeof raw}`,
			{
				itemIndex: this.getItemIndex(),
				description: `${PATH_HINT} If Path is an expression, make it return text.`,
			},
		);
	}
	const url = apiPath(raw);
	if (!url) {
		throw new NodeOperationError(
			this.getNode(),
			`The Path parameter "${shown(raw, 80)}" is not a path under /api/`,
			{
				itemIndex: this.getItemIndex(),
				description: PATH_HINT,
			},
		);
	}
	const method = this.getNodeParameter('method', 'GET') as IHttpRequestOptions['method'];
	const qs = parseJsonBody(this, this.getNodeParameter('query', '{}'), 'Query Parameters');
	const options: IHttpRequestOptions = {
		...requestOptions,
		url,
		method,
		qs: { ...requestOptions.qs, ...qs },
	};
	if ((METHODS_WITH_BODY as string[]).includes(method ?? 'GET')) {
		options.body = parseJsonBody(this, this.getNodeParameter('jsonBody', '{}')) as IDataObject;
		options.json = true;
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}
	return options;
}
