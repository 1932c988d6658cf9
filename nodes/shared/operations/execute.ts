/**
 * The `coupa` node's request hook: n8n's declarative routing builds each request, and this hook
 * decides what the operation means (a listing, a download, an upsert, a write checked against
 * every item) and sends it through the transport.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callSubject, RESOURCES_BY_VALUE } from '../schema/catalog';
import type { Expectation } from '../transport/answers';
import type { CallContext } from '../transport/errors';
import { shown } from '../transport/errors';
import type { CoupaRequest, CoupaSession } from '../transport/request';
import { coupaRequest, openSession, recordsOf } from '../transport/request';
import { downloadItem } from './files';
import { assertEveryItemValid } from './itemCheck';
import { readPages } from './read';
import { routedEndpoint } from './router';
import { plainRecordId } from './recordId';
import { upsertRecord, upsertRequestOf } from './upsert';

type RequestData = DeclarativeRestApiSettings.ResultOptions;

/** The user's id as given, for messages and `{ id }` outputs; the routing already validated it. */
function idOf(ctx: IExecutePaginationFunctions): string | undefined {
	const id = plainRecordId(ctx.getNodeParameter('id', ''));
	return id === '' ? undefined : id;
}

function callContext(
	ctx: IExecutePaginationFunctions,
	request: CoupaRequest,
	session: CoupaSession,
): CallContext {
	const operation = ctx.getNodeParameter('operation', '') as string;
	return {
		node: ctx.getNode(),
		...callSubject(
			RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource', '') as string),
			operation,
			request.method,
		),
		method: request.method,
		operation,
		url: shown(request.path, 120),
		id: idOf(ctx),
		itemIndex: ctx.getItemIndex(),
		authType: session.authType,
		instance: session.instance,
		redact: session.redact,
	};
}

/** The routing engine's request (path, query, body, headers) as our transport's request. */
function fromRouting(routed: RequestData['options']): CoupaRequest {
	return {
		method: (routed.method ?? 'GET').toUpperCase() as IHttpRequestMethods,
		path: routed.url ?? '',
		qs: routed.qs,
		body: routed.body,
		headers: routed.headers,
	};
}

/** What the operation's answer must be. */
function expectationOf(operation: string, method: string): Exclude<Expectation, 'file'> {
	if (operation === 'getAll') return 'list';
	if (method === 'GET') return operation === 'get' ? 'record' : 'json';
	return ['create', 'update', 'delete', 'markExported', 'upsert'].includes(operation)
		? 'record'
		: 'json';
}

/**
 * The `coupa` node's request hook. n8n's declarative engine calls `routing.operations.pagination`
 * in place of its own single request; it is the only hook that wraps the call itself, so every
 * operation goes through it: paging, retry, deadlines and Coupa's error messages live here once.
 */
export async function sendCoupaRequest(
	this: IExecutePaginationFunctions,
	requestData: RequestData,
): Promise<INodeExecutionData[]> {
	const unknownStep = requestData.postReceive.find((receive) =>
		receive.actions.some((action) => typeof action !== 'object' || action.type !== 'binaryData'),
	);
	if (unknownStep) {
		// The hook replaces n8n's post-processing; a step it does not run must not be skipped silently.
		throw new NodeOperationError(
			this.getNode(),
			'This operation asks for an output step the Coupa transport does not run',
			{
				itemIndex: this.getItemIndex(),
			},
		);
	}
	const session = await openSession(this, this.getItemIndex());
	const request = fromRouting(requestData.options);
	const call = callContext(this, request, session);
	if (request.method === 'GET' && this.getNodeParameter('options.returnObject', '') === 'none') {
		throw new NodeOperationError(this.getNode(), 'Return Object "None" applies to writes only', {
			itemIndex: call.itemIndex,
			description:
				'A read must return the records. Choose Limited or Shallow, or remove the option.',
		});
	}
	// n8n's Request Options still apply: a lower Timeout to each request, a proxy, certificates.
	const { timeout, proxy, skipSslCertificateValidation, allowedDomains } =
		requestData.options as IHttpRequestOptions;
	if (Number.isFinite(Number(timeout)) && Number(timeout) > 0) {
		session.policy.timeoutMs = Math.min(session.policy.timeoutMs, Number(timeout));
	}
	session.connection = { proxy, skipSslCertificateValidation, allowedDomains };
	if (call.operation === 'getAll') return await readPages(this, session, request, call);
	if (request.method !== 'GET') await assertEveryItemValid(this, requestData);
	if (call.operation === 'upsert') {
		// The search and the write each go through `coupaRequest`, under the rules of their own method.
		return await upsertRecord(
			upsertRequestOf(this, requestData.options),
			async (method, url, qs, body) => {
				// The update's record id names it in errors and in the output of Return Object "None".
				const step = {
					...call,
					method,
					url: shown(url, 120),
					id: method === 'PUT' ? /\/(\d+)$/.exec(url)?.[1] : undefined,
				};
				const answer = await coupaRequest(
					session,
					{ ...request, method, path: url, qs, body },
					step,
				);
				return recordsOf(answer, method === 'GET' ? 'list' : 'record', step).map((json) => ({
					json,
				}));
			},
		);
	}
	const answer = await coupaRequest(session, request, call);
	if (routedEndpoint(this)?.kind === 'file') return [await downloadItem(this, answer, call)];
	return recordsOf(answer, expectationOf(call.operation ?? '', call.method), call).map((json) => ({
		json,
	}));
}
