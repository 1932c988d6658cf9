import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fillRecordIds } from './recordId';

/** Coupa's filter operators; `eq` is sent as a plain `field=value`. */
export const FILTER_OPERATORS = [
	'eq',
	'not_eq',
	'contains',
	'starts_with',
	'ends_with',
	'gt',
	'lt',
	'gt_or_eq',
	'lt_or_eq',
	'in',
	'not_in',
	'blank',
] as const;

export interface FilterCondition {
	field?: string;
	operator?: string;
	value?: string | number | boolean;
}

/** Refuses the item's input before any request, with what to do. */
export function refuse(ctx: IExecuteSingleFunctions, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, {
		itemIndex: ctx.getItemIndex(),
		description,
	});
}

/** `supplier.name`, `supplier[name]` and `supplier[name]` with spaces all become `supplier[name]`. */
export function filterKey(field: string): string {
	const parts = field
		.trim()
		.replace(/\]/g, '')
		.split(/[.[]/)
		.map((part) => part.trim());
	if (parts.some((part) => part === '')) return '';
	return parts[0] + parts.slice(1).map((part) => `[${part}]`).join('');
}

export type Refusal = (message: string, description?: string) => never;

/** Coupa's query parameters for `filters.conditions` rows; malformed rows are refused. */
export function filterQuery(conditions: FilterCondition[], refuseRow: Refusal): IDataObject {
	const qs: IDataObject = {};
	for (const [index, condition] of conditions.entries()) {
		const row = `Filters > Condition ${index + 1}`;
		const key = filterKey(String(condition.field ?? ''));
		if (!key) {
			refuseRow(
				`${row} has an empty or malformed field`,
				'Name a Coupa field, e.g. status, or a nested one such as supplier.name or supplier[name].',
			);
		}
		const operator = condition.operator ?? 'eq';
		if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
			refuseRow(`${row} has an unknown operator "${operator}"`, `Use one of: ${FILTER_OPERATORS.join(', ')}.`);
		}
		const value = condition.value ?? '';
		qs[operator === 'eq' ? key : `${key}[${operator}]`] = String(value);
	}
	return qs;
}

/** Sends the `filters.conditions` rows as Coupa's query parameters. */
export async function applyFilters(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const conditions = this.getNodeParameter('filters.conditions', []) as FilterCondition[];
	const qs = filterQuery(conditions, (message, description) => refuse(this, message, description));
	return { ...requestOptions, qs: { ...requestOptions.qs, ...qs } };
}

/** The id a parameter holds: a plain string or number, or a resource locator's value. */
function idValue(raw: unknown): string {
	const value = raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** The node parameter that fills a path placeholder: `{id}`, `{parentId}`, `{subId}` or a spec name. */
function parameterOf(ctx: IExecuteSingleFunctions, placeholder: string): { name: string; label: string } {
	if (placeholder === 'id') return { name: 'id', label: 'ID' };
	if (placeholder === 'parentId') return { name: 'parentId', label: 'Parent ID' };
	if (placeholder === 'subId') {
		const operation = String(ctx.getNodeParameter('operation', ''));
		return /Comment/.test(operation) ? { name: 'commentId', label: 'Comment ID' } : { name: 'attachmentId', label: 'Attachment ID' };
	}
	return { name: pathParameterName(placeholder), label: placeholder };
}

/** `expense_attendee_id` → `expenseAttendeeId`: the node parameter of a spec path parameter. */
export function pathParameterName(specName: string): string {
	return specName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A record id is a positive whole number in Coupa; anything else would only earn a 404. */
export function recordId(ctx: IExecuteSingleFunctions, name: string, label: string): string {
	const id = idValue(ctx.getNodeParameter(name, ''));
	if (!/^\d+$/.test(id) || /^0+$/.test(id)) {
		refuse(
			ctx,
			id === '' ? `The ${label} parameter is empty` : `The ${label} parameter "${id.slice(0, 40)}" is not a Coupa record ID`,
			'Coupa record IDs are whole numbers such as 1234. Map the "id" field of a previous Coupa item.',
		);
	}
	return id;
}

/**
 * Puts the validated ids into the operation's path template (`/invoices/{id}/attachments/{subId}`):
 * the record and its parent from their pickers (`fillRecordIds`), the others from their fields.
 */
export async function fillPath(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const template = await fillRecordIds(this, String(requestOptions.url ?? ''));
	const url = template.replace(/\{(\w+)\}/g, (_, placeholder: string) => {
		const { name, label } = parameterOf(this, placeholder);
		return encodeURIComponent(recordId(this, name, label));
	});
	return { ...requestOptions, url };
}

/** Get Many's Limit must ask for at least one record. */
export async function requirePositiveLimit(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!(this.getNodeParameter('returnAll', false) as boolean)) {
		const limit = Number(this.getNodeParameter('limit', 50));
		if (!Number.isInteger(limit) || limit < 1) {
			refuse(this, `The Limit parameter must be a whole number of at least 1 (got ${limit})`, 'Set Limit to 1 or more, or turn on Return All.');
		}
	}
	return requestOptions;
}

/** Parses `jsonBody` (text or object) into the record to send, refusing what is not a JSON object. */
export function parseJsonBody(ctx: IExecuteSingleFunctions, raw: unknown): IDataObject {
	if (raw === undefined || raw === null || raw === '') return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			refuse(ctx, `The JSON Body parameter is not valid JSON: ${(error as Error).message}`, 'Write one JSON object, e.g. {"name": "Acme"}.');
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		refuse(ctx, 'The JSON Body parameter must be a JSON object', 'Write one JSON object such as {"name": "Acme"}, not a list or a single value.');
	}
	return value as IDataObject;
}

/** Sends `jsonBody` as the request body (Create, Update, and actions that take one). */
export async function sendJsonBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const record = parseJsonBody(this, this.getNodeParameter('jsonBody', '{}'));
	const body = { ...(requestOptions.body as IDataObject | undefined), ...record };
	return {
		...requestOptions,
		body,
		json: true,
		headers: { ...requestOptions.headers, 'Content-Type': 'application/json' },
	};
}
