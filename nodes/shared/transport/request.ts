/**
 * The package's one way to Coupa. Every request of the node, the trigger and the searches goes
 * through `coupaRequest`, which asks n8n's `httpRequestWithAuthentication` for the full answer as
 * raw bytes, never lets it throw on an HTTP status nor follow a redirect, and decides everything
 * itself: retries, deadlines, redirects, token renewal and what an answer means. So the behaviour
 * does not depend on how a given n8n version shapes its errors.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { CoupaAnswer, Expectation } from './answers';
import { checkJsonAnswer } from './answers';
import type { CallContext, FailedCall } from './errors';
import {
	coupaApiError,
	describeThrown,
	secretRedactor,
	shown,
	unknownOutcomeError,
} from './errors';
import { checkUrl, normaliseInstanceUrl } from './instanceUrl';
import type { SignInWatch } from './deadline';
import {
	DEFAULT_TIMEOUT_SECONDS,
	MAX_TIMEOUT_RETRIES,
	seconds,
	SIGN_IN_WATCH,
	timer,
} from './deadline';
import type { RequestRates } from './rateLimiter';
import { acquireRequestSlot, DEFAULT_REQUESTS_PER_SECOND } from './rateLimiter';
import { REFUSED_TOKEN_FIELD } from './token';

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;
export { DEFAULT_TIMEOUT_SECONDS };
/**
 * One item's whole operation: every attempt, retry wait and page. Ten minutes let a Return All
 * read several hundred thousand records at Coupa's rate limit, and still end an item that keeps
 * failing slowly long before an execution looks hung.
 */
export const DEFAULT_TIME_BUDGET_SECONDS = 600;
/** Same-origin redirects a GET may follow before the call fails. */
const MAX_REDIRECTS = 3;

export interface RetryPolicy {
	maxRetries: number;
	maxWaitMs: number;
	/** The node's own Requests per Second option (older workflows): it can only lower the rate. */
	nodeRequestsPerSecond?: number;
	/** Longest one request may take, from sending to the last byte of the answer. */
	timeoutMs: number;
	/** Longest one item may take, retries and waits included. */
	budgetMs: number;
}

/** Network failures after which a GET may be sent again. */
const TRANSIENT_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ECONNREFUSED',
	'EPIPE',
	'EAI_AGAIN',
	'ESOCKETTIMEDOUT',
]);
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

/**
 * May this failure be retried? A read always may when the failure is transient. A write only when
 * the failure proves Coupa never processed it: a refused connection, or a 429 (Coupa turns the
 * request away before it reaches the application).
 */
function isRetryable(failure: FailedCall, method: string): boolean {
	if (failure.final) return false;
	// A sign-in that timed out: the request itself was never sent.
	if (failure.signIn !== undefined && failure.timedOut) return true;
	if (method === 'GET') {
		return (
			(failure.status !== undefined && TRANSIENT_STATUSES.has(failure.status)) ||
			(failure.code !== undefined && TRANSIENT_CODES.has(failure.code))
		);
	}
	return failure.status === 429 || failure.code === 'ECONNREFUSED';
}

/** A write whose outcome cannot be known from the failure: it may have reached Coupa. */
function isUnknownOutcome(failure: FailedCall, method: string): boolean {
	if (method === 'GET' || failure.notSent) return false;
	if (failure.code !== undefined) return failure.code !== 'ECONNREFUSED';
	return failure.status !== undefined && failure.status >= 500;
}

/** Waits Retry-After when Coupa sends it, else exponential backoff with full jitter. */
export function retryDelayMs(attempt: number, retryAfter?: string): number {
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
	}
	const ceiling = Math.min(8000, 250 * 2 ** attempt);
	return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Reads parameters: the node's, the trigger's and the searches' contexts all fit. */
interface ParameterReader {
	getNodeParameter(parameterName: string, fallbackValue?: unknown): unknown;
}

function numberOption(
	ctx: ParameterReader,
	name: string,
	fallback: number,
	positive = false,
): number {
	const value = Number(ctx.getNodeParameter(`options.${name}`, fallback));
	return Number.isFinite(value) && (positive ? value > 0 : value >= 0) ? value : fallback;
}

export function retryPolicy(ctx: ParameterReader): RetryPolicy {
	const nodeRate = numberOption(ctx, 'requestsPerSecond', 0);
	return {
		...(nodeRate > 0 ? { nodeRequestsPerSecond: nodeRate } : {}),
		maxRetries: Math.floor(numberOption(ctx, 'maxRetries', DEFAULT_MAX_RETRIES)),
		maxWaitMs: numberOption(ctx, 'maxRetryWaitSeconds', DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000,
		timeoutMs: numberOption(ctx, 'timeoutSeconds', DEFAULT_TIMEOUT_SECONDS, true) * 1000,
		budgetMs: numberOption(ctx, 'timeBudgetSeconds', DEFAULT_TIME_BUDGET_SECONDS, true) * 1000,
	};
}

/** What a context must offer to talk to Coupa: the node's, the trigger's and the searches' all fit. */
export interface SignInContext extends ParameterReader {
	getNode(): INode;
	getWorkflow?(): { id?: string | null };
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

export interface RequestContext extends SignInContext {
	helpers: {
		httpRequestWithAuthentication(
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
	};
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

/** Everything one item's calls share: where, how it signs in, its policy, its deadline. */
export interface CoupaSession {
	ctx: RequestContext;
	credentialType: string;
	instance: string;
	authType: string;
	policy: RetryPolicy;
	startedAt: number;
	/** When the item's Time Budget is spent (epoch ms). */
	deadline: number;
	redact: (text: string) => string;
	/** The limits the item's calls meet: the instance at the credential's rate, the node's own below it. */
	rates: RequestRates;
	/** n8n's own Request Options the node's user set (proxy, allowing unauthorized certificates). */
	connection?: Pick<
		IHttpRequestOptions,
		'proxy' | 'skipSslCertificateValidation' | 'allowedDomains'
	>;
}

/** One request, as the transport sends it: a path under `/api`. */
export interface CoupaRequest {
	method: IHttpRequestMethods;
	/** The path after `/api`, starting with `/`: `/invoices/12`. */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	headers?: IDataObject;
}

/** Where and how a credential signs in, and the instance's request rate. */
export interface SignIn {
	authType: string;
	instance: string;
	/** The credential's Requests per Second (0: no client-side limit). */
	requestsPerSecond: number;
}

/** The credential's rate; credentials saved before the field existed get the default. */
function credentialRate(value: unknown): number {
	const rate = value === undefined || value === '' ? DEFAULT_REQUESTS_PER_SECOND : Number(value);
	return Number.isFinite(rate) && rate >= 0 ? rate : DEFAULT_REQUESTS_PER_SECOND;
}

/**
 * Refuses an instance URL that cannot be Coupa's before anything is sent, and tells which way the
 * credential signs in (for the hint on a 401). Shared by the node, the trigger and the editor.
 */
export async function assertInstanceUrl(
	ctx: SignInContext,
	itemIndex?: number,
): Promise<SignIn & { credentials: ICredentialDataDecryptedObject }> {
	const credentialType = ctx.getNodeParameter('authentication', 'coupaApi') as string;
	const credentials = await ctx.getCredentials(credentialType);
	const { url: instance, problem } = checkUrl(() => normaliseInstanceUrl(credentials.url));
	if (problem !== undefined) {
		throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
	}
	const authType =
		credentialType === 'coupaApi'
			? String(credentials.authType ?? 'oAuth2ClientCredentials')
			: credentialType;
	return {
		authType,
		instance,
		requestsPerSecond: credentialRate(credentials.requestsPerSecond),
		credentials,
	};
}

/**
 * The limits a call of this node meets: the credential's rate for the instance, and the node's
 * own option below it, counted per workflow and node so it slows no other workflow.
 */
export function requestRates(
	ctx: SignInContext,
	signIn: SignIn,
	policy: RetryPolicy,
): RequestRates {
	const rates: RequestRates = { instance: signIn.instance, perSecond: signIn.requestsPerSecond };
	if (policy.nodeRequestsPerSecond !== undefined) {
		const key = `${signIn.instance} ${ctx.getWorkflow?.().id ?? ''} ${ctx.getNode().name}`;
		rates.node = { key, perSecond: policy.nodeRequestsPerSecond };
	}
	return rates;
}

/** The credential's secrets, cut out of every message an answer could echo them into. */
function secretsOf(credentials: ICredentialDataDecryptedObject): unknown[] {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const url =
		typeof credentials.url === 'string' && URL.canParse(credentials.url.trim())
			? new URL(credentials.url.trim())
			: undefined;
	return [
		credentials.clientSecret,
		credentials.token,
		credentials.accessToken,
		tokenData.access_token,
		tokenData.refresh_token,
		url?.password ? decodeURIComponent(url.password) : undefined,
	];
}

/** Opens one item's session: checks the URL, reads the policy, starts the item's Time Budget. */
export async function openSession(ctx: RequestContext, itemIndex?: number): Promise<CoupaSession> {
	const signIn = await assertInstanceUrl(ctx, itemIndex);
	const { authType, instance, credentials } = signIn;
	const policy = retryPolicy(ctx);
	const startedAt = Date.now();
	return {
		ctx,
		credentialType: ctx.getNodeParameter('authentication', 'coupaApi') as string,
		instance,
		authType,
		policy,
		startedAt,
		deadline: startedAt + policy.budgetMs,
		redact: secretRedactor(secretsOf(credentials)),
		rates: requestRates(ctx, signIn, policy),
	};
}

/** The absolute URL of a path under the instance's `/api/`; anything that would leave it is refused. */
export function apiUrl(instance: string, path: unknown): URL | undefined {
	if (
		typeof path !== 'string' ||
		!path.startsWith('/') ||
		path.startsWith('//') ||
		/[\s\\]/.test(path)
	)
		return undefined;
	const url = URL.canParse(`/api${path}`, instance) ? new URL(`/api${path}`, instance) : undefined;
	return url && url.origin === instance && url.pathname.startsWith('/api/') ? url : undefined;
}

type Attempt = { answer: CoupaAnswer } | { failure: FailedCall };

/** The body as bytes, whatever shape this engine hands it in. */
function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * How an exchange renews the token. `fetchToken` (client credentials): the credential reaches
 * n8n without its cached token, so n8n's own preAuthentication fetches and persists a new one
 * before sending. `letN8nRefresh` (the OAuth2 credential): the 401 is left to throw, so n8n
 * refreshes the token and sends again; `exceptUnauthorized` asks for that on the first exchange
 * where the engine supports it (n8n 2.x), and older engines hand the 401 back as an answer.
 */
type Renewal = 'none' | 'fetchToken' | 'letN8nRefresh' | 'exceptUnauthorized';

const IGNORED_STATUSES: Record<Renewal, IHttpRequestOptions['ignoreHttpStatusErrors']> = {
	none: true,
	fetchToken: true,
	letN8nRefresh: false,
	exceptUnauthorized: { ignore: true, except: [401] },
};

/**
 * The credential an exchange was signed with. n8n's preAuthentication writes a token it fetches
 * into this same object, so after the exchange it holds the token Coupa was actually sent.
 */
interface SignedWith {
	credentials?: ICredentialDataDecryptedObject;
}

/**
 * The credential to send again with after Coupa refused `refused`: without its cached token, so
 * n8n fetches one, and with the refused token under REFUSED_TOKEN_FIELD, so concurrent renewals
 * share one new token. The refused token is the one that was sent, never the stored one read now:
 * that may already be the new token another call fetched, which would then be fetched again.
 */
function renewedCredentials(
	stored: ICredentialDataDecryptedObject,
	refused: unknown,
): ICredentialDataDecryptedObject {
	return { ...stored, accessToken: '', [REFUSED_TOKEN_FIELD]: String(refused ?? '') };
}

/**
 * One HTTP exchange under a hard deadline (the request Timeout or what is left of the item's
 * budget). n8n's helper replaces a request's abort signal with the execution's, so the deadline
 * signal is handed in as the execution's own; the race ends the call even if a helper ignored it.
 */
async function exchange(
	session: CoupaSession,
	request: CoupaRequest,
	url: string,
	renewal: Renewal = 'none',
	signedWith: SignedWith = {},
): Promise<Attempt> {
	const left = session.deadline - Date.now();
	const limitMs = Math.min(session.policy.timeoutMs, left);
	const byBudget = left < session.policy.timeoutMs;
	if (limitMs <= 0) return { failure: budgetSpent(session) };
	const deadline = timer(limitMs, 'deadline' as const);
	const cancel = session.ctx.getExecutionCancelSignal?.();
	const signal = cancel ? AbortSignal.any([cancel, deadline.signal]) : deadline.signal;
	const refused = signedWith.credentials?.accessToken;
	// The sign-in n8n may run inside this exchange ends by the same deadline.
	const watch: SignInWatch = { deadline: Date.now() + limitMs };
	const caller = Object.create(session.ctx, {
		getExecutionCancelSignal: { value: () => signal },
		helpers: { value: Object.create(session.ctx.helpers, { [SIGN_IN_WATCH]: { value: watch } }) },
		getCredentials: {
			value: async (type: string) => {
				const stored = await session.ctx.getCredentials(type);
				signedWith.credentials =
					renewal === 'fetchToken' ? renewedCredentials(stored, refused) : stored;
				return signedWith.credentials;
			},
		},
	}) as RequestContext;
	const options: IHttpRequestOptions = {
		...session.connection,
		method: request.method,
		url,
		qs: request.qs,
		body: request.body as IHttpRequestOptions['body'],
		headers: request.headers,
		returnFullResponse: true,
		ignoreHttpStatusErrors: IGNORED_STATUSES[renewal],
		disableFollowRedirect: true,
		encoding: 'arraybuffer',
		json: false,
		// n8n's own timeout only watches an idle socket; it stays as a backstop behind ours.
		timeout: limitMs + 1000,
		abortSignal: signal,
	};
	const started = Date.now();
	try {
		const result = await Promise.race([
			session.ctx.helpers.httpRequestWithAuthentication
				.call(caller, session.credentialType, options)
				.then((response) => ({ response: response as IN8nHttpFullResponse })),
			deadline.promise,
		]);
		if (result === 'deadline')
			return { failure: timedOut(session, Date.now() - started, byBudget, watch.waitingOn) };
		const { response } = result;
		return {
			answer: {
				status: response.statusCode,
				headers: (response.headers ?? {}) as IDataObject,
				body: toBuffer(response.body),
			},
		};
	} catch (error) {
		if (cancel?.aborted)
			throw new NodeOperationError(
				session.ctx.getNode(),
				'The execution was cancelled while waiting for Coupa',
			);
		const failure = describeThrown(error);
		// A token request that ended at its deadline (this exchange's, or that of the exchange whose
		// request this one shared) is a timeout of this exchange's sign-in.
		if (
			watch.timedOutAt !== undefined ||
			deadline.signal.aborted ||
			failure.code === 'ECONNABORTED' ||
			failure.code === 'ETIMEDOUT'
		) {
			return {
				failure: timedOut(
					session,
					Date.now() - started,
					byBudget,
					watch.timedOutAt ?? watch.waitingOn,
				),
			};
		}
		return { failure };
	} finally {
		deadline.clear();
	}
}

/**
 * A request that ended at its deadline. When the exchange was still signing in, the token
 * endpoint is named and the request itself was never sent, so even a write may be sent again.
 */
function timedOut(
	session: CoupaSession,
	spentMs: number,
	byBudget: boolean,
	signIn?: string,
): FailedCall {
	const where = signIn === undefined ? {} : { signIn, notSent: true };
	if (byBudget) {
		const spent = budgetSpent(session);
		return {
			...spent,
			...where,
			message: signIn === undefined ? spent.message : `signing in at ${signIn}: ${spent.message}`,
		};
	}
	return {
		code: 'ETIMEDOUT',
		timedOut: true,
		...where,
		message: `${signIn === undefined ? '' : `signing in at ${signIn}: `}no complete answer within ${seconds(spentMs)} (the Timeout (Seconds) option allows ${seconds(session.policy.timeoutMs)} per request)`,
	};
}

function budgetSpent(session: CoupaSession): FailedCall {
	return {
		code: 'ETIMEDOUT',
		final: true,
		message: `stopped after ${seconds(Date.now() - session.startedAt)}: the item's Time Budget (Seconds) of ${seconds(session.policy.budgetMs)} is spent, retries included. Raise it in the node's options if Coupa is just slow.`,
	};
}

/** How each auth type renews its token after a 401; a pasted token or an API key cannot be renewed. */
const RENEWALS: Record<string, Renewal | undefined> = {
	oAuth2ClientCredentials: 'fetchToken',
	coupaOAuth2Api: 'letN8nRefresh',
};

/** Where a redirect may be followed: the same origin, for a GET. Anything else ends the call. */
function redirectTarget(
	session: CoupaSession,
	request: CoupaRequest,
	current: string,
	answer: CoupaAnswer,
	call: CallContext,
): { url: string } | { failure: FailedCall } {
	const location = answer.headers.location ?? answer.headers.Location;
	const target =
		typeof location === 'string' && URL.canParse(location, current)
			? new URL(location, current)
			: undefined;
	const where = target ? target.origin : 'an unreadable address';
	const refused = (why: string): { failure: FailedCall } => ({
		failure: {
			status: answer.status,
			final: true,
			notSent: true,
			message: `Coupa answered ${answer.status} to ${call.method} ${call.url}, redirecting to ${session.redact(shown(where, 100))}: ${why}`,
		},
	});
	if (!target) return refused("not followed. Check the credential's URL.");
	if (target.origin !== session.instance) {
		return refused(
			`not followed, so the credential never reaches another host. Set the credential's URL to the address Coupa serves its API at (${session.instance} redirects elsewhere).`,
		);
	}
	if (request.method !== 'GET')
		return refused('not followed for a write, which is never sent twice. Nothing was re-sent.');
	return { url: target.href };
}

/**
 * One attempt: the exchange, same-origin redirects of a GET, and one renewal of the token after a
 * 401. Returns Coupa's 2xx answer or what went wrong.
 */
async function attempt(
	session: CoupaSession,
	request: CoupaRequest,
	first: URL,
	call: CallContext,
): Promise<Attempt> {
	const left = session.deadline - Date.now();
	if (left <= 0) return { failure: budgetSpent(session) };
	// The slot is waited for within the budget; one granted after the budget ended is handed back.
	const granted = acquireRequestSlot(session.rates);
	const wait = timer(left, 'deadline' as const);
	const slot = await Promise.race([granted, wait.promise]);
	wait.clear();
	if (slot === 'deadline') {
		void granted.then((late) => late.release({}));
		return { failure: budgetSpent(session) };
	}
	const outcome = await exchanges(session, request, first, call);
	// The limiter learns the latency and backs off on a 429.
	slot.release({ status: 'answer' in outcome ? outcome.answer.status : outcome.failure.status });
	return outcome;
}

/** The exchange itself, same-origin redirects of a GET, and one renewal of the token after a 401. */
async function exchanges(
	session: CoupaSession,
	request: CoupaRequest,
	first: URL,
	call: CallContext,
): Promise<Attempt> {
	let url = first.href;
	let current: CoupaRequest = request;
	let renewed = false;
	const renewal = RENEWALS[session.authType];
	for (let hops = 0; ; ) {
		const signedWith: SignedWith = {};
		const outcome = await exchange(
			session,
			current,
			url,
			renewal === 'letN8nRefresh' ? 'exceptUnauthorized' : 'none',
			signedWith,
		);
		let answer: CoupaAnswer;
		if ('failure' in outcome) return outcome;
		answer = outcome.answer;
		if (answer.status === 401 && renewal && !renewed) {
			renewed = true;
			const renewed401 = await exchange(session, current, url, renewal, signedWith);
			if ('failure' in renewed401) return renewed401;
			answer = renewed401.answer;
		}
		if (answer.status >= 300 && answer.status < 400) {
			const next = redirectTarget(session, request, url, answer, call);
			if ('failure' in next) return next;
			if (++hops > MAX_REDIRECTS) {
				return {
					failure: {
						status: answer.status,
						final: true,
						message: `${call.method} ${call.url} was redirected more than ${MAX_REDIRECTS} times`,
					},
				};
			}
			// The target carries its own query; the original one is not added again.
			url = next.url;
			current = { ...request, qs: undefined };
			continue;
		}
		if (answer.status >= 200 && answer.status < 300) return { answer };
		const retryAfter = answer.headers['retry-after'] ?? answer.headers['Retry-After'];
		return {
			failure: {
				status: answer.status,
				body: answer.body,
				retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
			},
		};
	}
}

/**
 * Sends one request to Coupa with the retry policy and deadlines, and returns its 2xx answer. The
 * only place in the package that sends a request, and the only one that decides to send it again.
 */
export async function coupaRequest(
	session: CoupaSession,
	request: CoupaRequest,
	call: CallContext,
): Promise<CoupaAnswer> {
	const url = apiUrl(session.instance, request.path);
	if (!url) {
		throw new NodeOperationError(
			call.node,
			`Refused to send ${call.method} ${session.redact(shown(request.path, 120))}: not a path under ${session.instance}/api/`,
			{
				itemIndex: call.itemIndex,
				description: "Only paths under /api/ of the credential's Coupa instance are sent.",
			},
		);
	}
	call.redact ??= session.redact;
	call.authType ??= session.authType;
	call.instance ??= session.instance;
	let waited = 0;
	let timeouts = 0;
	const started = Date.now();
	for (let retry = 0; ; retry++) {
		const outcome = await attempt(session, request, url, call);
		if ('answer' in outcome) return outcome.answer;
		const { failure } = outcome;
		if (failure.timedOut && ++timeouts > MAX_TIMEOUT_RETRIES) {
			failure.message = `${failure.message}; ${timeouts} requests timed out, ${seconds(Date.now() - started)} in all (a request that times out is sent once more, not again)`;
		} else if (isRetryable(failure, call.method) && retry < session.policy.maxRetries) {
			const delay = retryDelayMs(retry, failure.retryAfter);
			if (waited + delay <= session.policy.maxWaitMs) {
				if (Date.now() + delay < session.deadline) {
					waited += delay;
					await sleep(delay);
					continue;
				}
				failure.message = `${failure.message ?? (failure.status ? `Coupa answered ${failure.status}` : 'the call failed')}, and the next retry (in ${seconds(delay)}) would pass the item's Time Budget (Seconds) of ${seconds(session.policy.budgetMs)}`;
			}
		}
		if (isUnknownOutcome(failure, call.method)) throw unknownOutcomeError(failure, call);
		throw coupaApiError(failure, call);
	}
}

/** A 2xx answer that is not what the operation expects: never data. */
export function badAnswer(answer: CoupaAnswer, what: string, call: CallContext): NodeApiError {
	const failure: FailedCall = {
		message: `Coupa answered ${answer.status} with ${what}`,
		final: true,
	};
	if (call.method !== 'GET') return unknownOutcomeError(failure, call);
	return new NodeApiError(
		call.node,
		{ status: answer.status, answer: what },
		{
			message: `${call.method} ${call.url}: Coupa answered ${answer.status} with ${what}`,
			description:
				"Check the credential's URL points at your Coupa instance (e.g. https://your-company.coupahost.com): a proxy, a login page or a maintenance page may be answering instead of Coupa's API.",
			itemIndex: call.itemIndex,
		},
	);
}

/**
 * The records of a 2xx JSON answer, checked against the expectation. An empty answer to a write
 * (Return Object "None") names the record acted on (`{ id }`), or is `{}` for a Create.
 */
export function recordsOf(
	answer: CoupaAnswer,
	expect: Exclude<Expectation, 'file'>,
	call: CallContext,
): IDataObject[] {
	const checked = checkJsonAnswer(answer, expect);
	if (!checked.ok)
		throw badAnswer(answer, call.redact ? call.redact(checked.what) : checked.what, call);
	if (checked.empty) {
		if (call.method === 'GET')
			throw badAnswer(
				answer,
				expect === 'list'
					? 'an empty body where a JSON list of records was expected'
					: 'an empty body where a JSON record was expected',
				call,
			);
		return [call.id === undefined ? {} : { id: Number(call.id) }];
	}
	return checked.records;
}

/** Sends a request and returns its records: what the trigger and the searches use. */
export async function coupaRecords(
	session: CoupaSession,
	request: CoupaRequest,
	call: CallContext,
	expect: Exclude<Expectation, 'file'>,
): Promise<IDataObject[]> {
	return recordsOf(await coupaRequest(session, request, call), expect, call);
}
