import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { SignInWatch } from './deadline';
import { DEFAULT_TIMEOUT_SECONDS, seconds, SIGN_IN_WATCH, timer } from './deadline';
import { networkProblem } from './errors';
import { checkUrl, resolveAccessTokenUrl } from './instanceUrl';

/**
 * A failed sign-in. It carries a message only: the failed request (whose body holds the client
 * secret) is deliberately not attached, so no error view or log can print the secret.
 */
export class CoupaTokenError extends Error {
	readonly isCoupaTokenError = true;

	/** The OAuth error code Coupa gave (`invalid_scope`, `invalid_client`, ...), when it gave one. */
	constructor(
		message: string,
		readonly oauthError?: string,
		/** The token endpoint that gave no complete answer in time: worth one more try, like any timeout. */
		readonly timedOutAt?: string,
	) {
		super(message);
	}
}

/** Runs `resolve`, turning a URL the credential cannot sign in at into a `CoupaTokenError`. */
export function signInUrl(resolve: () => string): string {
	const { url, problem } = checkUrl(resolve);
	if (problem !== undefined) throw new CoupaTokenError(problem);
	return url;
}

const SETUP_HINT = 'Setup > Integrations > OAuth2/OpenID Connect Clients in Coupa';

function tokenErrorMessage(status: number, body: unknown, tokenUrl: string): string {
	const error =
		typeof body === 'object' && body !== null
			? String((body as { error?: unknown }).error ?? '')
			: '';
	if (error === 'invalid_client') {
		return `Coupa rejected the Client ID or Client Secret (invalid_client). Copy both again from ${SETUP_HINT}.`;
	}
	if (error === 'invalid_scope') {
		return `Coupa refused a requested scope (invalid_scope): every scope in the credential's Scope field must be granted to the client in ${SETUP_HINT}. Remove the extra scopes or grant them.`;
	}
	if (error === 'unsupported_grant_type' || error === 'unauthorized_client') {
		return `The OAuth client does not allow the client credentials grant (${error}). Choose "Client Credentials" as grant type in ${SETUP_HINT}.`;
	}
	if (status === 404) {
		return `No Coupa token endpoint at ${tokenUrl} (404). Check the credential's URL (e.g. https://your-company.coupahost.com) and leave Access Token URL empty unless Coupa gave you another.`;
	}
	return `Coupa's token endpoint ${tokenUrl} answered ${status}${error ? ` (${error})` : ''}. Check the credential's URL, Client ID and Client Secret.`;
}

/**
 * When our transport renews a token Coupa refused, n8n receives the credential without its cached
 * token (so n8n fetches one before sending) and the refused token under this name, so concurrent
 * renewals share one new token. The sign-in clears it again.
 */
export const REFUSED_TOKEN_FIELD = 'refusedAccessToken';

/** Coupa advises renewing a token after about 20 hours of its 24. */
const RENEW_AFTER_MS = 20 * 60 * 60 * 1000;

/** How long a token just fetched is handed to callers that ask again for the same client. */
const SHARE_RECENT_TOKEN_MS = 10_000;

export interface CoupaToken {
	accessToken: string;
	/** ISO time after which the token is renewed before use, well ahead of its expiry. */
	renewAt: string;
}

/**
 * n8n's routing engine sends every input item, and Return All its read-ahead pages, at once; when
 * the token expires each of those calls meets a 401 and n8n runs preAuthentication once per call.
 * One token request per client is enough: callers share the request in flight, and a caller that
 * arrives just after it finished takes its token. Keyed by client (token URL, id, a hash of the
 * secret, scope), so the secret itself is never kept.
 */
const inFlight = new Map<string, { pending: Promise<CoupaToken>; deadline: number }>();
const recent = new Map<string, { token: CoupaToken; fetchedAt: number }>();

function clientKey(tokenUrl: string, form: URLSearchParams): string {
	const secretHash = createHash('sha256')
		.update(form.get('client_secret') ?? '')
		.digest('hex');
	return JSON.stringify([tokenUrl, form.get('client_id'), secretHash, form.get('scope')]);
}

/** The scopes of the credential's Scope field; none means the token request names none. */
function scopesOf(scope: unknown): string[] {
	return String(scope ?? '')
		.trim()
		.split(/\s+/)
		.filter(Boolean);
}

/** Coupa's documented client credentials request: a form body, scopes separated by spaces, or none. */
function tokenForm(credentials: ICredentialDataDecryptedObject, scopes: string[]): URLSearchParams {
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: String(credentials.clientId ?? '').trim(),
		client_secret: String(credentials.clientSecret ?? ''),
	});
	if (scopes.length) form.set('scope', scopes.join(' '));
	return form;
}

/** Fetches a token with Coupa's documented client credentials request (form body, scopes by spaces). */
export async function fetchClientCredentialsToken(
	requester: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<CoupaToken> {
	const tokenUrl = signInUrl(() =>
		resolveAccessTokenUrl(credentials.url, credentials.accessTokenUrl),
	);
	const form = tokenForm(credentials, scopesOf(credentials.scope));
	const watch = watchOf(requester);
	const deadline = watch?.deadline ?? Date.now() + DEFAULT_TIMEOUT_SECONDS * 1000;

	const key = clientKey(tokenUrl, form);
	const now = Date.now();
	for (const [entryKey, entry] of recent)
		if (now - entry.fetchedAt >= SHARE_RECENT_TOKEN_MS) recent.delete(entryKey);
	// A caller renewing a token Coupa refused takes the one just fetched by another caller (never
	// the very token it holds). A caller with no token yet (first sign-in, Test connection) does
	// not: it proves the secret again, unless a request is already in flight.
	const held = String(credentials.accessToken || credentials[REFUSED_TOKEN_FIELD] || '');
	const last = recent.get(key);
	if (held && last && last.token.accessToken !== held) return last.token;

	// A request whose deadline has passed is about to fail: a caller arriving now starts its own.
	let entry = inFlight.get(key);
	if (!entry || entry.deadline <= Date.now()) {
		const pending: Promise<CoupaToken> = requestToken(requester, tokenUrl, form, deadline)
			.catch(async (error: unknown) => {
				throw await withRefusedScopes(requester, tokenUrl, credentials, error, deadline);
			})
			.then((token) => {
				recent.set(key, { token, fetchedAt: Date.now() });
				return token;
			})
			.finally(() => {
				if (inFlight.get(key)?.pending === pending) inFlight.delete(key);
			});
		entry = { pending, deadline };
		inFlight.set(key, entry);
	}
	const { pending } = entry;
	// A caller that joins a request in flight waits on it too: the exchange names the endpoint if it stalls.
	if (watch) {
		watch.waitingOn = tokenUrl;
		// Noted before the caller resumes (reactions run in order), for engines that rewrap the error.
		void pending.catch((error: unknown) => {
			if (error instanceof CoupaTokenError && error.timedOutAt !== undefined)
				watch.timedOutAt = error.timedOutAt;
		});
	}
	try {
		return await pending;
	} finally {
		if (watch) watch.waitingOn = undefined;
	}
}

function watchOf(requester: IHttpRequestHelper): SignInWatch | undefined {
	const watch = (requester.helpers as unknown as Record<string, unknown> | undefined)?.[
		SIGN_IN_WATCH
	];
	return typeof watch === 'object' &&
		watch !== null &&
		typeof (watch as SignInWatch).deadline === 'number'
		? (watch as SignInWatch)
		: undefined;
}

/** Most scopes probed one by one after an invalid_scope; a longer Scope field is cut to this many. */
const MAX_PROBED_SCOPES = 30;

/**
 * After Coupa refused the Scope field (invalid_scope), asks for each scope alone to name the
 * ones the client lacks: a few token requests, only on this failure, so the user knows exactly
 * what to remove or grant.
 */
async function withRefusedScopes(
	requester: IHttpRequestHelper,
	tokenUrl: string,
	credentials: ICredentialDataDecryptedObject,
	error: unknown,
	deadline: number,
): Promise<unknown> {
	if (!(error instanceof CoupaTokenError) || error.oauthError !== 'invalid_scope') return error;
	const scopes = [...new Set(scopesOf(credentials.scope))];
	if (scopes.length < 2) return error;
	const probed = scopes.slice(0, MAX_PROBED_SCOPES);
	const verdicts = await Promise.all(
		probed.map(async (scope) => {
			try {
				await requestToken(requester, tokenUrl, tokenForm(credentials, [scope]), deadline);
				return undefined;
			} catch (probeError) {
				return probeError instanceof CoupaTokenError && probeError.oauthError === 'invalid_scope'
					? scope
					: undefined;
			}
		}),
	);
	const refused = verdicts.filter((scope): scope is string => scope !== undefined);
	if (!refused.length) return error;
	const unchecked =
		scopes.length > probed.length ? ` (only the first ${probed.length} scopes were checked)` : '';
	return new CoupaTokenError(
		`Coupa refused ${refused.length === 1 ? 'the scope' : 'these scopes'} ${refused.join(', ')} (invalid_scope): the OAuth client is not granted ${refused.length === 1 ? 'it' : 'them'}${unchecked}. Remove ${refused.length === 1 ? 'it' : 'them'} from the credential's Scope field, or grant ${refused.length === 1 ? 'it' : 'them'} to the client in ${SETUP_HINT}.`,
		'invalid_scope',
	);
}

/**
 * One token request, ended by `deadline` however the endpoint behaves (silent, trickling): the
 * abort signal stops the socket, and the race ends the wait even where a helper ignores it.
 */
async function requestToken(
	requester: IHttpRequestHelper,
	tokenUrl: string,
	form: URLSearchParams,
	deadline: number,
): Promise<CoupaToken> {
	const started = Date.now();
	const limitMs = deadline - started;
	const timedOut = () =>
		new CoupaTokenError(
			`Coupa's token endpoint ${tokenUrl} gave no complete answer within ${seconds(Date.now() - started)}. Check that this n8n can reach Coupa, or try again later.`,
			undefined,
			tokenUrl,
		);
	if (limitMs <= 0) throw timedOut();
	const limit = timer(limitMs, 'deadline' as const);
	let response: IN8nHttpFullResponse | undefined;
	let problem = 'network error';
	try {
		const result = await Promise.race([
			requester.helpers.httpRequest({
				method: 'POST',
				url: tokenUrl,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Accept: 'application/json',
				},
				body: form.toString(),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: false,
				// n8n's own timeout only watches an idle socket; a backstop behind ours.
				timeout: limitMs + 1000,
				abortSignal: limit.signal,
			}) as Promise<IN8nHttpFullResponse>,
			limit.promise,
		]);
		if (result === 'deadline') throw timedOut();
		response = result;
	} catch (error) {
		if (error instanceof CoupaTokenError || limit.signal.aborted)
			throw error instanceof CoupaTokenError ? error : timedOut();
		problem = networkProblem((error as { code?: string }).code);
	} finally {
		limit.clear();
	}
	if (!response) {
		throw new CoupaTokenError(
			`Could not reach Coupa at ${tokenUrl} (${problem}). Check the credential's URL, e.g. https://your-company.coupahost.com.`,
		);
	}

	const body = parseJson(response.body);
	const { access_token: token, expires_in: expiresIn } = (body ?? {}) as {
		access_token?: unknown;
		expires_in?: unknown;
	};
	if (
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		typeof token === 'string' &&
		token
	) {
		const lifetimeMs = Number(expiresIn) > 0 ? Number(expiresIn) * 1000 : 24 * 60 * 60 * 1000;
		const renewInMs = Math.min(RENEW_AFTER_MS, lifetimeMs * 0.8);
		return { accessToken: token, renewAt: new Date(Date.now() + renewInMs).toISOString() };
	}
	const oauthError =
		typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
	throw new CoupaTokenError(
		tokenErrorMessage(response.statusCode, body, tokenUrl),
		typeof oauthError === 'string' ? oauthError : undefined,
	);
}

function parseJson(body: unknown): unknown {
	if (typeof body !== 'string')
		return body instanceof Buffer ? parseJson(body.toString('utf8')) : body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}
