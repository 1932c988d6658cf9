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
import type { KeyRange, PagingLimits } from './pagination';
import {
	DEFAULT_MAX_RECORDS,
	keysetPlan,
	keysetQuery,
	PAGE_SIZE,
	readByKey,
	readByOffset,
	recordId,
} from './pagination';
import type { RequestRates } from './rateLimiter';
import { DEFAULT_REQUESTS_PER_SECOND, lastPageFirst, pagesInFlight, sendLimited, speculativePages } from './rateLimiter';
import { upsertRecord, upsertRequestOf } from './upsert';
import { plainRecordId } from './recordId';


export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;

type RequestData = DeclarativeRestApiSettings.ResultOptions;

export interface RetryPolicy {
	maxRetries: number;
	maxWaitMs: number;
	/** The node's own Requests per Second option (older workflows): it can only lower the rate. */
	nodeRequestsPerSecond?: number;
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
	const perSecond = Number(ctx.getNodeParameter('options.requestsPerSecond', 0));
	return {
		maxRetries: Number.isFinite(maxRetries) && maxRetries >= 0 ? Math.floor(maxRetries) : DEFAULT_MAX_RETRIES,
		maxWaitMs: (Number.isFinite(maxWait) && maxWait >= 0 ? maxWait : DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000,
		...(Number.isFinite(perSecond) && perSecond > 0 ? { nodeRequestsPerSecond: perSecond } : {}),
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
 * The limits a call of this node meets: the credential's rate for the instance, and the node's
 * own option below it, counted per workflow and node so it slows no other workflow.
 */
export function requestRates(
	ctx: Pick<IExecutePaginationFunctions, 'getNode' | 'getWorkflow'>,
	signIn: SignIn,
	policy: RetryPolicy,
): RequestRates {
	const rates: RequestRates = { instance: signIn.instance, perSecond: signIn.requestsPerSecond };
	if (policy.nodeRequestsPerSecond !== undefined) {
		const key = `${signIn.instance} ${ctx.getWorkflow().id ?? ''} ${ctx.getNode().name}`;
		rates.node = { key, perSecond: policy.nodeRequestsPerSecond };
	}
	return rates;
}

/** One attempt's failure status, for the limiter to learn from a 429. */
const statusOf = (error: unknown) => describeFailure(error).status;

/** One attempt under the call's rate limits (for `withRetry`); the node and the trigger both use it. */
export async function sendInSlot<T>(rates: RequestRates, send: () => Promise<T>): Promise<T> {
	return await sendLimited(rates, send, statusOf);
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
	rates: RequestRates,
): Promise<INodeExecutionData[]> {
	return await withRetry(
		async () => await sendInSlot(rates, async () => await ctx.makeRoutingRequest(requestData)),
		call,
		policy,
	);
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

/**
 * A `fields` list without `id` gets it for keyset paging; the caller removes it again. Undefined
 * when nothing was added.
 */
function fieldsWithId(fields: unknown): string | undefined {
	if (typeof fields !== 'string' || fields.trim() === '') return undefined;
	let list: unknown;
	try {
		list = JSON.parse(fields);
	} catch {
		return undefined; // Coupa refuses it with its own message
	}
	if (!Array.isArray(list) || list.includes('id')) return undefined;
	return JSON.stringify(['id', ...list]);
}

/** Return All's ceiling: the Max Records option, or the default. */
function maxRecordsOf(ctx: IExecutePaginationFunctions): number {
	const value = Number(ctx.getNodeParameter('options.maxRecords', DEFAULT_MAX_RECORDS));
	return Number.isFinite(value) && value >= 1 ? Math.floor(value) : DEFAULT_MAX_RECORDS;
}

/**
 * Get Many: keyset paging in id order, offset paging in a user's order (pagination.ts says why),
 * every page through `sendWithRetry` and checked to be JSON records.
 */
async function readPages(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	call: CallContext,
	policy: RetryPolicy,
	rates: RequestRates,
): Promise<INodeExecutionData[]> {
	const returnAll = ctx.getNodeParameter('returnAll', false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', PAGE_SIZE) as number);
	const limits: PagingLimits = {
		limit,
		maxRecords: returnAll ? maxRecordsOf(ctx) : Infinity,
		concurrency: () => pagesInFlight(rates),
		speculation: () => speculativePages(rates),
		lastPageFirst: () => lastPageFirst(rates),
		refuse: (message) =>
			new NodeOperationError(ctx.getNode(), message, {
				itemIndex: ctx.getItemIndex(),
				description: `GET ${call.url}: the listing stopped, so no record goes missing unnoticed.`,
			}),
	};
	const page = async (query: IDataObject) => {
		const items = await sendWithRetry(ctx, { ...requestData, options: { ...requestData.options, qs: query } }, call, policy, rates);
		assertRecords(ctx, items);
		return items;
	};
	const idOf = (item: INodeExecutionData) => recordId(item.json);
	const qs = requestData.options.qs ?? {};
	const plan = keysetPlan(qs);
	if (!plan) {
		return await readByOffset(async (offset, size) => await page({ ...qs, limit: size, offset }), idOf, limits);
	}
	const addedId = fieldsWithId(qs.fields);
	if (addedId) plan.query.fields = addedId;
	const keyOf = plan.descending ? (item: INodeExecutionData) => -(idOf(item) ?? NaN) : idOf;
	const read = async (range: KeyRange) => {
		const query = keysetQuery(plan, range);
		return query ? await page(query as IDataObject) : [];
	};
	const items = await readByKey(read, keyOf, limits);
	if (addedId) for (const item of items) delete item.json.id;
	return items;
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
	const signIn = await assertInstanceUrl(this, this.getItemIndex());
	call.authType = signIn.authType;
	call.instance = signIn.instance;
	const policy = retryPolicy(this);
	const rates = requestRates(this, signIn, policy);
	if (this.getNodeParameter('operation', '') === 'getAll') {
		return await readPages(this, requestData, call, policy, rates);
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
			return await sendWithRetry(this, { ...requestData, options }, step, policy, rates);
		});
		return items.map((item) => withRecordReference(item, write));
	}
	const items = await sendWithRetry(this, requestData, call, policy, rates);
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
 * credential signs in (for the hint on a 401). Shared by the node and the trigger.
 */
export async function assertInstanceUrl(ctx: SignInContext, itemIndex?: number): Promise<SignIn> {
	const credentialType = ctx.getNodeParameter('authentication', 'coupaApi') as string;
	const credentials = await ctx.getCredentials(credentialType);
	const { url: instance, problem } = checkUrl(() => normaliseInstanceUrl(credentials.url));
	if (problem !== undefined) {
		throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
	}
	const authType = credentialType === 'coupaApi' ? String(credentials.authType ?? 'oAuth2ClientCredentials') : credentialType;
	return { authType, instance, requestsPerSecond: credentialRate(credentials.requestsPerSecond) };
}
