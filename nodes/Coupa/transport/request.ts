import type {
	DeclarativeRestApiSettings,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecutePaginationFunctions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { RESOURCES_BY_VALUE } from '../catalog';
import type { CallContext, FailedCall } from './errors';
import { coupaApiError, describeFailure, unknownOutcomeError } from './errors';
import { checkUrl, normaliseInstanceUrl } from './instanceUrl';
import { PAGE_SIZE, readRecords } from './pagination';
import { acquireRequestSlot, DEFAULT_REQUESTS_PER_SECOND } from './rateLimiter';
import { upsertRecord, upsertRequestOf } from './upsert';
import { plainRecordId } from './recordId';


export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;

type RequestData = DeclarativeRestApiSettings.ResultOptions;

export interface RetryPolicy {
	maxRetries: number;
	maxWaitMs: number;
	/** Client-side rate limit per Coupa instance (0: none). */
	requestsPerSecond: number;
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
	if (method === 'GET') return false;
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

export function retryPolicy(ctx: Pick<IExecutePaginationFunctions, 'getNodeParameter'>): RetryPolicy {
	const maxRetries = Number(ctx.getNodeParameter('options.maxRetries', DEFAULT_MAX_RETRIES));
	const maxWait = Number(
		ctx.getNodeParameter('options.maxRetryWaitSeconds', DEFAULT_MAX_RETRY_WAIT_SECONDS),
	);
	const perSecond = Number(ctx.getNodeParameter('options.requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND));
	return {
		maxRetries: Number.isFinite(maxRetries) && maxRetries >= 0 ? Math.floor(maxRetries) : DEFAULT_MAX_RETRIES,
		maxWaitMs: (Number.isFinite(maxWait) && maxWait >= 0 ? maxWait : DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000,
		requestsPerSecond: Number.isFinite(perSecond) && perSecond >= 0 ? perSecond : DEFAULT_REQUESTS_PER_SECOND,
	};
}

function callContext(ctx: IExecutePaginationFunctions, requestData: RequestData): CallContext {
	const resource = RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource', '') as string);
	const id = plainRecordId(ctx.getNodeParameter('id', '')) ?? '';
	return {
		node: ctx.getNode(),
		resource,
		method: (requestData.options.method ?? 'GET').toUpperCase(),
		operation: ctx.getNodeParameter('operation', '') as string,
		url: requestData.options.url ?? '',
		id: id === '' ? undefined : String(id),
		itemIndex: ctx.getItemIndex(),
	};
}

/**
 * Runs `send` with the retry policy above and turns its failure into Coupa's message. The only
 * place in the package that decides to send a request again; the node and the trigger both use it.
 */
export async function withRetry<T>(
	send: () => Promise<T>,
	call: CallContext,
	policy: RetryPolicy,
): Promise<T> {
	let waited = 0;
	for (let attempt = 0; ; attempt++) {
		try {
			return await send();
		} catch (error) {
			const failure = describeFailure(error);
			if (isRetryable(failure, call.method) && attempt < policy.maxRetries) {
				const delay = retryDelayMs(attempt, failure.retryAfter);
				if (waited + delay <= policy.maxWaitMs) {
					waited += delay;
					await sleep(delay);
					continue;
				}
			}
			if (isUnknownOutcome(failure, call.method)) throw unknownOutcomeError(failure, call);
			throw coupaApiError(failure, call);
		}
	}
}

/**
 * One call through the engine's routing (credential, token refresh on 401, postReceive), each
 * attempt waiting for its slot under Coupa's rate limit.
 */
async function sendWithRetry(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	call: CallContext,
	policy: RetryPolicy,
): Promise<INodeExecutionData[]> {
	return await withRetry(
		async () => {
			await acquireRequestSlot(call.instance ?? '', policy.requestsPerSecond);
			return await ctx.makeRoutingRequest(requestData);
		},
		call,
		policy,
	);
}

function withQuery(requestData: RequestData, query: IDataObject): RequestData {
	return {
		...requestData,
		options: { ...requestData.options, qs: { ...requestData.options.qs, ...query } },
	};
}

function assertRecords(ctx: IExecutePaginationFunctions, page: INodeExecutionData[]): void {
	if (page.some((item) => typeof item.json !== 'object' || item.json === null)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Coupa answered with something other than JSON records (probably XML). Check the credential URL points at your Coupa instance.',
			{ itemIndex: ctx.getItemIndex() },
		);
	}
}

/** Get Many: every page through `sendWithRetry`, checked to be JSON records. */
async function readPages(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	call: CallContext,
	policy: RetryPolicy,
): Promise<INodeExecutionData[]> {
	const returnAll = ctx.getNodeParameter('returnAll', false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', PAGE_SIZE) as number);
	return await readRecords(async (offset, size) => {
		const page = await sendWithRetry(ctx, withQuery(requestData, { limit: size, offset }), call, policy);
		assertRecords(ctx, page);
		return page;
	}, { limit });
}

/**
 * The `coupa` node's request hook. n8n's declarative engine calls `routing.operations.pagination`
 * in place of its own single request; it is the only hook that wraps the call itself, so every
 * operation goes through it: paging, retry and Coupa's error messages live here once.
 */
export async function sendCoupaRequest(
	this: IExecutePaginationFunctions,
	requestData: RequestData,
): Promise<INodeExecutionData[]> {
	const call = callContext(this, requestData);
	Object.assign(call, await assertInstanceUrl(this, this.getItemIndex()));
	const policy = retryPolicy(this);
	if (this.getNodeParameter('operation', '') === 'getAll') {
		return await readPages(this, requestData, call, policy);
	}
	if (this.getNodeParameter('operation', '') === 'upsert') {
		// The search and the write each go through `sendWithRetry`, under the rules of their own method.
		let write = call;
		const items = await upsertRecord(upsertRequestOf(this, requestData.options), async (method, url, qs, body) => {
			const options = { ...requestData.options, method, url, qs, body };
			if (!body) delete options.body;
			// The update's record id names it in errors and in the output of Return Object "None".
			const step = { ...call, method, url, id: method === 'PUT' ? /\/(\d+)$/.exec(url)?.[1] : undefined };
			if (method !== 'GET') write = step;
			return await sendWithRetry(this, { ...requestData, options }, step, policy);
		});
		return items.map((item) => withRecordReference(item, write));
	}
	const items = await sendWithRetry(this, requestData, call, policy);
	return items.map((item) => withRecordReference(item, call));
}

/**
 * With Return Object "None" Coupa answers a write with an empty body, which would become an item
 * whose JSON is `""`. The item names the record acted on instead (`{ id }`), or is `{}` when Coupa
 * did not say which (a Create).
 */
function withRecordReference(item: INodeExecutionData, call: CallContext): INodeExecutionData {
	const json = item.json as unknown;
	// Only an empty answer is replaced: any other body (a custom call's text, say) stays as it came.
	if (json !== '' && json !== null && json !== undefined) return item;
	return { ...item, json: call.id === undefined ? {} : { id: Number(call.id) } };
}

/** What `assertInstanceUrl` needs from a node's context: the node's and the trigger's both fit. */
export interface SignInContext {
	getNode(): INode;
	getNodeParameter(parameterName: string, fallbackValue?: unknown): unknown;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/**
 * Refuses an instance URL that cannot be Coupa's before anything is sent, and tells which way the
 * credential signs in (for the hint on a 401). Shared by the node and the trigger.
 */
export async function assertInstanceUrl(
	ctx: SignInContext,
	itemIndex?: number,
): Promise<Required<Pick<CallContext, 'authType' | 'instance'>>> {
	const credentialType = ctx.getNodeParameter('authentication', 'coupaApi') as string;
	const credentials = await ctx.getCredentials(credentialType);
	const { url: instance, problem } = checkUrl(() => normaliseInstanceUrl(credentials.url));
	if (problem !== undefined) {
		throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
	}
	const authType = credentialType === 'coupaApi' ? String(credentials.authType ?? 'oAuth2ClientCredentials') : credentialType;
	return { authType, instance };
}
