import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { CoupaResource } from '../catalog';
import { operationScopes } from '../catalog';

/** What a failed call looked like on the wire, read from whatever the HTTP layer threw. */
export interface FailedCall {
	status?: number;
	/** Network error code such as ECONNREFUSED, ECONNRESET, ETIMEDOUT. */
	code?: string;
	body?: unknown;
	retryAfter?: string;
	/** A failure that happened before any HTTP call, such as a sign-in that was refused. */
	message?: string;
}

export interface CallContext {
	node: INode;
	resource?: CoupaResource;
	method: string;
	/** The node's operation value, which may need a scope of its own (catalog `operationScopes`). */
	operation?: string;
	url: string;
	id?: string;
	itemIndex: number;
	/** How the credential signs in: `oAuth2ClientCredentials`, `apiKey`, `accessToken` or `coupaOAuth2Api`. */
	authType?: string;
	/** The instance origin, which keys the rate limiter. */
	instance?: string;
}

/** In words: n8n rewrites any message that contains a raw code such as ECONNREFUSED into a generic one. */
const NETWORK_PROBLEMS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	ETIMEDOUT: 'timed out',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection closed',
	CERT_HAS_EXPIRED: 'certificate expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
};

export function networkProblem(code: string | undefined): string {
	return NETWORK_PROBLEMS[code ?? ''] ?? 'network error';
}

/** Reads status, network code, body and Retry-After from the engine's error (or its cause). */
export function describeFailure(error: unknown): FailedCall {
	const outer = error as IDataObject & { cause?: unknown };
	const candidates = [outer, outer?.cause as IDataObject | undefined].filter(Boolean) as Array<
		IDataObject & { response?: IDataObject; isCoupaTokenError?: boolean }
	>;
	for (const candidate of candidates) {
		if (candidate.isCoupaTokenError) return { message: String(candidate.message) };
	}
	for (const candidate of candidates) {
		const response = candidate.response as
			| { status?: number; statusCode?: number; data?: unknown; body?: unknown; headers?: IDataObject }
			| undefined;
		const status = response?.status ?? response?.statusCode;
		if (typeof status === 'number') {
			const headers = response?.headers ?? {};
			const retryAfter = headers['retry-after'] ?? headers['Retry-After'];
			return {
				status,
				body: response?.data ?? response?.body,
				retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
			};
		}
	}
	for (const candidate of candidates) {
		if (typeof candidate.code === 'string' && /^E[A-Z]+$/.test(candidate.code)) {
			return { code: candidate.code };
		}
	}
	return { message: String((outer as { message?: unknown })?.message ?? 'Unknown error') };
}

/** Coupa's own messages from a JSON (`{"errors": ...}`) or XML (`<errors><error>`) error body. */
export function coupaMessages(body: unknown): string[] {
	if (body === undefined || body === null || body === '') return [];
	if (Buffer.isBuffer(body)) return coupaMessages(body.toString('utf8'));
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('{') || text.startsWith('[')) {
			try {
				return coupaMessages(JSON.parse(text));
			} catch {
				return [text.slice(0, 300)];
			}
		}
		if (text.startsWith('<')) {
			const xmlMessages = [...text.matchAll(/<error(?:\s[^>]*)?>([\s\S]*?)<\/error>/g)].map((m) =>
				decodeXml(m[1].trim()),
			);
			return xmlMessages.length ? xmlMessages : [];
		}
		return [text.slice(0, 300)];
	}
	if (Array.isArray(body)) return body.flatMap(coupaMessages);
	if (typeof body === 'object') {
		const object = body as IDataObject;
		for (const key of ['errors', 'error', 'message', 'error_description']) {
			if (object[key] !== undefined) return flattenMessages(object[key]);
		}
	}
	return [];
}

function flattenMessages(value: unknown, prefix = ''): string[] {
	if (typeof value === 'string') return [prefix ? `${prefix}: ${value}` : value];
	if (Array.isArray(value)) return value.flatMap((v) => flattenMessages(v, prefix));
	if (value && typeof value === 'object') {
		// `{"errors": {"user": ["Login has already been taken"]}}`: the key names the record, not the field.
		return Object.entries(value as IDataObject).flatMap(([, v]) => flattenMessages(v, prefix));
	}
	return value === undefined || value === null ? [] : [String(value)];
}

function decodeXml(text: string): string {
	return text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&');
}

const UNAUTHORIZED_HINTS: Record<string, string> = {
	oAuth2ClientCredentials:
		'Coupa did not accept the token even after fetching a new one. Check the Client ID and Client Secret in the Coupa credential and that the OAuth client is active in Coupa.',
	apiKey: 'Coupa did not accept the API key. Check the key in the Coupa credential; Coupa no longer supports API keys after release R35, so consider an OAuth 2.0 client.',
	accessToken:
		'Coupa refused the pasted access token: it has expired or was revoked. Paste a new token in the Coupa credential, or switch to OAuth 2.0 Client Credentials so tokens renew themselves.',
	coupaOAuth2Api: 'Coupa did not accept the OAuth2 token. Reconnect the Coupa OAuth2 credential.',
};

function hintFor(failure: FailedCall, call: CallContext): string {
	const { status } = failure;
	const what = call.resource ? call.resource.name.toLowerCase() : 'record';
	if (status === 401) return UNAUTHORIZED_HINTS[call.authType ?? ''] ?? UNAUTHORIZED_HINTS.oAuth2ClientCredentials;
	if (status === 403) {
		const scopes = call.resource ? operationScopes(call.resource, call.operation ?? '', call.method) : [];
		const lacks =
			scopes.length === 0
				? 'the scope for this object'
				: scopes.length === 1
					? `the scope ${scopes[0]}`
					: `a scope for this operation: any one of ${scopes.join(', ')}`;
		return `The OAuth client probably lacks ${lacks}. Grant it in Coupa (Setup > Integrations > OAuth2/OpenID Connect Clients) and add it to the credential's Scope field.`;
	}
	if (status === 404) {
		return call.id
			? `There is no ${what} with ID ${call.id} in Coupa, or the credential cannot see it. Check the ID.`
			: `Coupa has no endpoint ${call.url}. Check the credential's URL.`;
	}
	if (status === 400 || status === 422) {
		return `Coupa refused the ${what} as sent. Fix the fields named in the message and try again.`;
	}
	if (status === 429) {
		return 'Coupa kept answering "too many requests" (its limit is 25 requests per second) after every retry. Run fewer Coupa nodes at once, or raise Max Retries in the node options.';
	}
	return `Coupa answered ${status ?? networkProblem(failure.code)} for ${call.method} ${call.url}.`;
}

/** A `NodeApiError` with Coupa's messages, the HTTP status and what to do; never the request itself. */
export function coupaApiError(failure: FailedCall, call: CallContext): NodeApiError {
	const messages = coupaMessages(failure.body);
	const status = failure.status;
	const summary = messages.length ? messages.join('; ') : undefined;
	const message =
		failure.message && status === undefined && !failure.code
			? failure.message
			: status !== undefined
				? `Coupa answered ${status}${summary ? `: ${summary}` : ''}`
				: `Could not reach Coupa (${networkProblem(failure.code)})`;
	const response: JsonObject = { status: status ?? null, network: failure.code ? networkProblem(failure.code) : null, messages };
	return new NodeApiError(call.node, response, {
		message,
		description: failure.message && status === undefined ? undefined : hintFor(failure, call),
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: call.itemIndex,
	});
}

/** A write whose outcome is unknown: it may have been applied, so it is not sent again. */
export function unknownOutcomeError(failure: FailedCall, call: CallContext): NodeApiError {
	const cause =
		failure.status !== undefined ? `Coupa answered ${failure.status}` : `the connection failed (${networkProblem(failure.code)})`;
	const where = call.id ? `the ${call.resource?.name.toLowerCase() ?? 'record'} with ID ${call.id}` : 'the list';
	return new NodeApiError(
		call.node,
		{ status: failure.status ?? null, network: failure.code ? networkProblem(failure.code) : null, messages: coupaMessages(failure.body) },
		{
			message: `${call.method} ${call.url} may or may not have been applied: ${cause}`,
			description: `The request was not sent again, so nothing is applied twice. Check ${where} in Coupa (or read it with the Coupa node) before running this item again.`,
			httpCode: failure.status === undefined ? undefined : String(failure.status),
			itemIndex: call.itemIndex,
		},
	);
}
