/**
 * Coupa's side of a call out, as Compass's knowledge article "OAuth 2.0 for Call Outs" documents
 * it: a token request to the endpoint's Token URL (POST, `Authorization: Basic` with the URL-safe
 * Base64 of `client_id:client_secret`, `Cache-Control: no-cache`, `Accept: application/json`,
 * `grant_type=client_credentials` form-encoded, or JSON when that content type is chosen, `scope`
 * when set), an answer that must be `{access_token, token_type: "bearer", expires_in}`, then the
 * call with the token. What Coupa does not document (the call's method, headers, timeout, retries)
 * is an assumption here, named in `CallOutOptions`.
 */
const escapeXml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/**
 * A record as Coupa writes it in XML (Compass, "Differences between XML and JSON in Coupa"):
 * hyphenated elements, Rails' type attributes (`integer`, `boolean`, `dateTime`, `decimal`),
 * `nil="true"` for null and `type="array"` lists.
 */
export function coupaXml(name: string, value: unknown, declaration = true): string {
	const tag = name.replace(/_/g, '-');
	let element: string;
	if (value === null || value === undefined) element = `<${tag} nil="true"/>`;
	else if (Array.isArray(value)) {
		const child = tag.endsWith('s') ? tag.slice(0, -1) : 'item';
		element = `<${tag} type="array">${value.map((v) => coupaXml(child, v, false)).join('')}</${tag}>`;
	} else if (typeof value === 'object') {
		element = `<${tag}>${Object.entries(value as Record<string, unknown>)
			.map(([k, v]) => coupaXml(k, v, false))
			.join('')}</${tag}>`;
	} else if (typeof value === 'number')
		element = `<${tag} type="${Number.isInteger(value) ? 'integer' : 'decimal'}">${value}</${tag}>`;
	else if (typeof value === 'boolean') element = `<${tag} type="boolean">${value}</${tag}>`;
	else if (ISO_TIME.test(String(value)))
		element = `<${tag} type="dateTime">${escapeXml(String(value))}</${tag}>`;
	else element = `<${tag}>${escapeXml(String(value))}</${tag}>`;
	return declaration ? `<?xml version="1.0" encoding="UTF-8"?>\n${element}` : element;
}

export interface CallOutEndpoint {
	tokenUrl: string;
	/** The address the call out posts the document to. */
	url: string;
	clientId: string;
	clientSecret: string;
	/** The endpoint's content type for the token request (Coupa's default: form). */
	tokenContentType?: 'form' | 'json';
	scope?: string;
}

export interface CallOutOptions {
	format: 'json' | 'xml';
	/** The XML root element (`requisition-header`); JSON carries the document unwrapped, as Coupa's API does. */
	objectType: string;
	/** A bearer token to send instead of fetching one (for the refused cases). */
	token?: string | null;
	/** Coupa does not document its timeout: this is the sender's own bound, not Coupa's. */
	timeoutMs?: number;
}

export interface Exchange {
	status: number;
	body: string;
	headers: Record<string, string>;
}

export interface CallOutResult {
	token?: Exchange;
	call?: Exchange;
	/** What Coupa would list under the call out's errors (only failed transactions appear there). */
	error?: string;
}

async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<Exchange> {
	const response = await fetch(url, {
		...init,
		redirect: 'manual',
		signal: AbortSignal.timeout(timeoutMs),
	});
	const body = await response.text();
	return { status: response.status, body, headers: Object.fromEntries(response.headers.entries()) };
}

/** Fetches a token as Coupa does; the exchange and, when it is valid, the token. */
export async function requestCallOutToken(
	endpoint: CallOutEndpoint,
	timeoutMs = 30_000,
): Promise<{ exchange: Exchange; token?: string; error?: string }> {
	const auth = Buffer.from(`${endpoint.clientId}:${endpoint.clientSecret}`).toString('base64url');
	// Ruby's Base64.urlsafe_encode64 pads with "=": so does Coupa.
	const padded = auth + '='.repeat((4 - (auth.length % 4)) % 4);
	const json = endpoint.tokenContentType === 'json';
	const body = json
		? JSON.stringify({
				grant_type: 'client_credentials',
				...(endpoint.scope ? { scope: endpoint.scope } : {}),
			})
		: `grant_type=client_credentials${endpoint.scope ? `&scope=${endpoint.scope}` : ''}`;
	const answer = await exchange(
		endpoint.tokenUrl,
		{
			method: 'POST',
			headers: {
				'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
				'cache-control': 'no-cache',
				authorization: `Basic ${padded}`,
				accept: 'application/json',
			},
			body,
		},
		timeoutMs,
	);
	if (answer.status !== 200) return { exchange: answer, error: `${answer.status} ${answer.body}` };
	let parsed: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
	try {
		parsed = JSON.parse(answer.body) as typeof parsed;
	} catch {
		return { exchange: answer, error: `token answer is not JSON: ${answer.body.slice(0, 200)}` };
	}
	if (
		typeof parsed.access_token !== 'string' ||
		String(parsed.token_type).toLowerCase() !== 'bearer' ||
		typeof parsed.expires_in !== 'number'
	) {
		return {
			exchange: answer,
			error: `token answer lacks access_token, token_type bearer or expires_in: ${answer.body.slice(0, 200)}`,
		};
	}
	return { exchange: answer, token: parsed.access_token };
}

/** One call out of `document`: a token (unless given), then the call; Coupa's view of it. */
export async function sendCallOut(
	endpoint: CallOutEndpoint,
	document: Record<string, unknown>,
	options: CallOutOptions,
): Promise<CallOutResult> {
	const timeoutMs = options.timeoutMs ?? 30_000;
	const result: CallOutResult = {};
	let token = options.token;
	if (token === undefined) {
		const fetched = await requestCallOutToken(endpoint, timeoutMs);
		result.token = fetched.exchange;
		if (!fetched.token) return { ...result, error: fetched.error };
		token = fetched.token;
	}
	const xml = options.format === 'xml';
	result.call = await exchange(
		endpoint.url,
		{
			method: 'POST',
			headers: {
				'content-type': xml ? 'application/xml' : 'application/json',
				accept: xml ? 'application/xml' : 'application/json',
				...(token === null ? {} : { authorization: `Bearer ${token}` }),
			},
			body: xml ? coupaXml(options.objectType, document) : JSON.stringify(document),
		},
		timeoutMs,
	);
	if (result.call.status >= 300) result.error = `${result.call.status} ${result.call.body}`;
	return result;
}

/**
 * Process Automator's API Call Response Variables read values from the answer by path: a dotted
 * path into the answer's JSON (the exact path syntax Coupa accepts is not documented).
 */
export function responseVariable(call: Exchange, path: string): unknown {
	let value: unknown;
	try {
		value = JSON.parse(call.body);
	} catch {
		return undefined;
	}
	for (const key of path.split('.'))
		value =
			value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
	return value;
}
