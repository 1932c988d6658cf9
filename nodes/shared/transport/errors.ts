import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What a failed call looked like on the wire, read from our own full response or a network error. */
export interface FailedCall {
	status?: number;
	/** Network error code such as ECONNREFUSED, ECONNRESET, ETIMEDOUT. */
	code?: string;
	body?: unknown;
	retryAfter?: string;
	/** A failure that happened before or instead of an HTTP answer (a refused sign-in, a deadline). */
	message?: string;
	/** The failure ends the call at once: no retry, whatever the method (a refused redirect, say). */
	final?: boolean;
	/** The answer proves the request was not acted on (a redirect), so a write's outcome is known. */
	notSent?: boolean;
	/** No complete answer within the Timeout (not the Time Budget, which is final). */
	timedOut?: boolean;
	/** The token endpoint the exchange was still signing in at when it failed: the request was never sent. */
	signIn?: string;
}

export interface CallContext {
	node: INode;
	/** What the call reads or writes, as a user names it: "purchase order" (else "record"). */
	what?: string;
	/** The OAuth scopes Coupa documents for this call, named in the hint of a 403. */
	scopes?: string[];
	method: string;
	/** The node's operation value. */
	operation?: string;
	/** The path under /api/ as shown to the user (long ids cut). */
	url: string;
	id?: string;
	itemIndex: number;
	/** How the credential signs in: `oAuth2ClientCredentials`, `apiKey`, `accessToken` or `coupaOAuth2Api`. */
	authType?: string;
	/** The instance origin, which keys the rate limiter. */
	instance?: string;
	/** Cuts the credential's secrets out of any text shown to the user. */
	redact?: (text: string) => string;
}

/** The longest text of Coupa's (or a stranger's) answer that goes into a message. */
export const MAX_SHOWN_CHARS = 300;
const MAX_MESSAGES = 10;

/** Text cut to `max` characters, saying how much was left out. */
export function cut(text: string, max = MAX_SHOWN_CHARS): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length <= max
		? flat
		: `${flat.slice(0, max)}… (${flat.length - max} more characters)`;
}

/** Whether the text holds an ASCII control character (a line break, a NUL, ...). */
export function hasControlCharacters(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

/** The text with each ASCII control character replaced by a space. */
export function withoutControlCharacters(text: string): string {
	let out = '';
	for (const character of text) {
		const code = character.charCodeAt(0);
		out += code < 0x20 || code === 0x7f ? ' ' : character;
	}
	return out;
}

/** A run of 20 or more digits (no Coupa id has that many) shown as its start and length. */
export function cutLongNumbers(text: string): string {
	return text.replace(/\d{20,}/g, (digits) => `${digits.slice(0, 8)}…(${digits.length} digits)`);
}

/** An id or other user value for a message: bounded, long digit runs cut. */
export function shown(value: unknown, max = 40): string {
	return cut(cutLongNumbers(String(value)), max);
}

/**
 * A function that removes each secret (and anything shaped like a bearer token or a token field)
 * from a text. Built from the credential's values, so an answer echoing the key is cut too.
 */
export function secretRedactor(secrets: unknown[]): (text: string) => string {
	const values = secrets
		.filter((value): value is string => typeof value === 'string' && value.length >= 4)
		.sort((a, b) => b.length - a.length);
	return (text) => {
		let out = text;
		for (const secret of values) out = out.split(secret).join('***');
		return out
			.replace(/(bearer\s+)[^\s"'<>,;]+/gi, '$1***')
			.replace(
				/("?(?:access_token|refresh_token|client_secret|api[_-]?key)"?\s*[:=]\s*"?)[^\s"'&<>,;]+/gi,
				'$1***',
			);
	};
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

const NETWORK_CODE =
	/^(E[A-Z_]+|ERR_[A-Z_]+|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/;

/**
 * Reads what an error thrown by n8n's HTTP helper tells, from what every engine keeps: the raw
 * error or its cause (older n8n), or `httpCode`, which n8n fills with the status or the network
 * code, and which survives where n8n-workflow >= 1.99 resets `cause`.
 */
export function describeThrown(error: unknown): FailedCall {
	const outer = error as IDataObject & { cause?: unknown };
	const candidates = [outer, outer?.cause as IDataObject | undefined].filter(Boolean) as Array<
		IDataObject & { isCoupaTokenError?: boolean; response?: { status?: number } }
	>;
	for (const candidate of candidates) {
		if (candidate.isCoupaTokenError) return { message: String(candidate.message), final: true };
	}
	for (const candidate of candidates) {
		if (typeof candidate.response?.status === 'number')
			return { status: candidate.response.status };
	}
	for (const candidate of candidates) {
		for (const key of ['code', 'httpCode']) {
			const value = candidate[key];
			if (typeof value === 'string' && NETWORK_CODE.test(value)) return { code: value };
			if (key === 'httpCode' && typeof value === 'string' && /^\d{3}$/.test(value))
				return { status: Number(value) };
		}
	}
	return {
		message: String((outer as { message?: unknown })?.message ?? 'Unknown error'),
		final: true,
	};
}

/** Coupa's own messages from a JSON (`{"errors": ...}`) or XML (`<errors><error>`) error body, bounded. */
export function coupaMessages(body: unknown): string[] {
	return readMessages(body)
		.slice(0, MAX_MESSAGES)
		.map((message) => cut(cutLongNumbers(message)));
}

function readMessages(body: unknown): string[] {
	if (body === undefined || body === null || body === '') return [];
	if (Buffer.isBuffer(body)) return readMessages(body.toString('utf8'));
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('{') || text.startsWith('[')) {
			try {
				return readMessages(JSON.parse(text));
			} catch {
				return [text];
			}
		}
		if (text.startsWith('<')) {
			return [...text.matchAll(/<error(?:\s[^>]*)?>([\s\S]*?)<\/error>/g)]
				.slice(0, MAX_MESSAGES)
				.map((m) => decodeXml(m[1].trim()));
		}
		return [text];
	}
	if (Array.isArray(body)) return body.slice(0, MAX_MESSAGES).flatMap(readMessages);
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
	if (Array.isArray(value))
		return value.slice(0, MAX_MESSAGES).flatMap((v) => flattenMessages(v, prefix));
	if (value && typeof value === 'object') {
		// `{"errors": {"user": ["Login has already been taken"]}}`: the key names the record, not the field.
		return Object.values(value as IDataObject)
			.slice(0, MAX_MESSAGES)
			.flatMap((v) => flattenMessages(v, prefix));
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
	apiKey:
		'Coupa did not accept the API key. Check the key in the Coupa credential; Coupa no longer supports API keys after release R35, so consider an OAuth 2.0 client.',
	accessToken:
		'Coupa refused the pasted access token: it has expired or was revoked. Paste a new token in the Coupa credential, or switch to OAuth 2.0 Client Credentials so tokens renew themselves.',
	coupaOAuth2Api: 'Coupa did not accept the OAuth2 token. Reconnect the Coupa OAuth2 credential.',
};

function hintFor(failure: FailedCall, call: CallContext): string {
	const { status } = failure;
	const what = call.what ?? 'record';
	if (status === 401)
		return UNAUTHORIZED_HINTS[call.authType ?? ''] ?? UNAUTHORIZED_HINTS.oAuth2ClientCredentials;
	if (status === 403) {
		const scopes = call.scopes ?? [];
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
			? `There is no ${what} with ID ${shown(call.id)} in Coupa, or the credential cannot see it. Check the ID.`
			: `Coupa has no endpoint ${call.url}. Check the credential's URL.`;
	}
	if (status === 400 || status === 422) {
		return `Coupa refused the ${what} as sent. Fix the fields named in the message and try again.`;
	}
	if (status === 429) {
		return 'Coupa kept answering "too many requests" (its limit is 25 requests per second) after every retry. Run fewer Coupa nodes at once, or raise Max Retries in the node options.';
	}
	if (status === undefined) {
		const problem = networkProblem(failure.code);
		return problem === 'timed out'
			? "Coupa, or the network to it, did not answer in time. Try again later, or raise Timeout (Seconds) in the node's options."
			: `The connection to ${call.instance ?? 'Coupa'} failed (${problem}). Check the credential's URL and that this n8n can reach Coupa.`;
	}
	return `Coupa answered ${status} for ${call.method} ${call.url}.`;
}

const redacted = (call: CallContext, text: string) => (call.redact ? call.redact(text) : text);

/** A `NodeApiError` with Coupa's messages, the HTTP status and what to do; never the request itself. */
export function coupaApiError(failure: FailedCall, call: CallContext): NodeApiError {
	const messages = coupaMessages(failure.body).map((message) => redacted(call, message));
	const { status, code } = failure;
	const detail = failure.message === undefined ? undefined : redacted(call, failure.message);
	const summary = messages.length ? messages.join('; ') : undefined;
	let message: string;
	if (code !== undefined) {
		message = `Could not reach Coupa (${networkProblem(code)})${detail ? ` for ${call.method} ${call.url}: ${detail}` : ''}`;
	} else if (detail !== undefined) {
		message = detail;
	} else {
		message = `Coupa answered ${status ?? 'nothing'}${summary ? `: ${summary}` : ''}`;
	}
	const response: JsonObject = {
		status: status ?? null,
		network: code ? networkProblem(code) : null,
		messages,
	};
	return new NodeApiError(call.node, response, {
		message,
		// A failure described in its own words (a refused sign-in or redirect) needs no generic hint.
		description: detail !== undefined && code === undefined ? undefined : hintFor(failure, call),
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: call.itemIndex,
	});
}

/** A write whose outcome is unknown: it may have been applied, so it is not sent again. */
export function unknownOutcomeError(failure: FailedCall, call: CallContext): NodeApiError {
	const cause =
		failure.message !== undefined
			? redacted(call, failure.message)
			: failure.status !== undefined
				? `Coupa answered ${failure.status}`
				: `the connection failed (${networkProblem(failure.code)})`;
	const where = call.id ? `the ${call.what ?? 'record'} with ID ${shown(call.id)}` : 'the list';
	const messages = coupaMessages(failure.body).map((message) => redacted(call, message));
	return new NodeApiError(
		call.node,
		{
			status: failure.status ?? null,
			network: failure.code ? networkProblem(failure.code) : null,
			messages,
		},
		{
			message: `${call.method} ${call.url} may or may not have been applied: ${cause}`,
			description: `The request was not sent again, so nothing is applied twice. Check ${where} in Coupa (or read it with the Coupa node) before running this item again.`,
			httpCode: failure.status === undefined ? undefined : String(failure.status),
			itemIndex: call.itemIndex,
		},
	);
}
