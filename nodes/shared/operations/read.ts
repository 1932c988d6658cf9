/**
 * Get Many: keyset paging in id order, offset paging in a user's order (transport/pagination.ts
 * holds the algorithms), every page sent through the transport and checked to be a list of records.
 */
import type {
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RESOURCES_BY_VALUE } from '../schema/catalog';
import { simplifyFields } from '../schema/recordKeys';
import type { CallContext } from '../transport/errors';
import type { KeyRange, PagingLimits } from '../transport/pagination';
import {
	DEFAULT_MAX_RECORDS,
	keysetPlan,
	keysetQuery,
	PAGE_SIZE,
	readByKey,
	readByOffset,
	recordId,
} from '../transport/pagination';
import { pagesInFlight, speculativePages } from '../transport/rateLimiter';
import type { CoupaRequest, CoupaSession } from '../transport/request';
import { coupaRequest, recordsOf } from '../transport/request';

import { ReadBudget } from './readBudget';

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
 * every page through `coupaRequest` and checked to be a JSON list of records.
 */
export async function readPages(
	ctx: IExecutePaginationFunctions,
	session: CoupaSession,
	request: CoupaRequest,
	call: CallContext,
): Promise<INodeExecutionData[]> {
	const { rates } = session;
	const returnAll = ctx.getNodeParameter('returnAll', false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', PAGE_SIZE) as number);
	const limits: PagingLimits = {
		limit,
		maxRecords: returnAll ? maxRecordsOf(ctx) : Infinity,
		concurrency: () => pagesInFlight(rates),
		speculation: () => speculativePages(rates),
		refuse: (message) =>
			new NodeOperationError(ctx.getNode(), message, {
				itemIndex: ctx.getItemIndex(),
				description: `GET ${call.url}: the listing stopped, so no record goes missing unnoticed.`,
			}),
	};
	// The bytes of the answers, against what one read may hold (readBudget.ts).
	const budget = new ReadBudget();
	const page = async (query: IDataObject) => {
		const answer = await coupaRequest(session, { ...request, qs: query }, call);
		const records = recordsOf(answer, 'list', call);
		budget.add(answer.body.length, records.length);
		if (budget.over) {
			const { message, description } = budget.refusal();
			throw new NodeOperationError(ctx.getNode(), message, {
				itemIndex: ctx.getItemIndex(),
				description,
			});
		}
		return records.map((json): INodeExecutionData => ({ json }));
	};
	const idOf = (item: INodeExecutionData) => recordId(item.json);
	const qs = request.qs ?? {};
	const plan = keysetPlan(qs);
	if (!plan) {
		return await readByOffset(
			async (offset, size) => await page({ ...qs, limit: size, offset }),
			idOf,
			limits,
		);
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
 * preSend of Get and Get Many: with Simplify on, asks Coupa for the resource's key fields through
 * `fields`, unless the user's own Fields option already says which.
 */
export async function sendSimplifyFields(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!(this.getNodeParameter('simplify', false) as boolean)) return requestOptions;
	const own = String(this.getNodeParameter('options.fields', '') ?? '').trim();
	const resource = RESOURCES_BY_VALUE.get(this.getNodeParameter('resource', '') as string);
	if (own !== '' || !resource) return requestOptions;
	const qs: IDataObject = {
		...requestOptions.qs,
		fields: JSON.stringify(simplifyFields(resource)),
	};
	return { ...requestOptions, qs };
}
