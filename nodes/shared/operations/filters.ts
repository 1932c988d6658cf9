import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { Refusal } from './input';
import { refuse } from './input';

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

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
	field?: string;
	operator?: string;
	value?: unknown;
	/** How a refusal names the condition; Filters rows are numbered when it is absent. */
	label?: string;
}

/** Query parameters in the order they are sent. A list, not an object: no field name is special. */
export type QueryPairs = Array<[string, string]>;

/** `supplier.name`, `supplier[name]` and `supplier[name]` with spaces all become `supplier[name]`. */
export function filterKey(field: string): string {
	const parts = field
		.trim()
		.replace(/\]/g, '')
		.split(/[.[]/)
		.map((part) => part.trim());
	if (parts.some((part) => part === '')) return '';
	return (
		parts[0] +
		parts
			.slice(1)
			.map((part) => `[${part}]`)
			.join('')
	);
}

/** Query parameters that shape the listing itself: a filter of that name would collide with them. */
const QUERY_OPTIONS = new Set([
	'limit',
	'offset',
	'order_by',
	'dir',
	'return_object',
	'fields',
	'filter',
]);

/** Coupa reads hyphens and underscores in field names alike (COUPA-API.md). */
const sameName = (key: string) => key.replace(/-/g, '_');

interface Condition {
	label: string;
	/** `supplier[name]`, as the user spelled the names. */
	key: string;
	operator: FilterOperator;
	value: string;
}

/** The text Coupa receives for a condition's value; objects and lists (outside In) are refused. */
function valueText(
	condition: FilterCondition,
	operator: FilterOperator,
	label: string,
	refuseRow: Refusal,
): string {
	const { value } = condition;
	if (value === undefined || value === null) return '';
	if (Array.isArray(value) && (operator === 'in' || operator === 'not_in')) {
		if (value.every((entry) => ['string', 'number', 'boolean'].includes(typeof entry)))
			return value.join(',');
	}
	if (typeof value === 'object') {
		refuseRow(
			`${label} has a value that is ${Array.isArray(value) ? 'a list' : 'an object'}, not text`,
			'Map one value, e.g. {{ $json.supplier.name }} rather than {{ $json.supplier }}; for several values use In List with values separated by commas.',
		);
	}
	const text = String(value);
	if (operator === 'blank' && text !== 'true' && text !== 'false') {
		refuseRow(
			`${label} uses Is Blank with "${text.slice(0, 40)}"`,
			'Is Blank takes true (the field is blank) or false (it is not).',
		);
	}
	return text;
}

function parseCondition(condition: FilterCondition, index: number, refuseRow: Refusal): Condition {
	const label = condition.label ?? `Filters > Condition ${index + 1}`;
	const key = filterKey(typeof condition.field === 'string' ? condition.field : '');
	if (!key) {
		refuseRow(
			`${label} has an empty or malformed field`,
			'Name a Coupa field, e.g. status, or a nested one such as supplier.name or supplier[name].',
		);
	}
	const root = key.split('[')[0];
	if (QUERY_OPTIONS.has(sameName(root))) {
		refuseRow(
			`${label} filters on "${root}", which Coupa reads as an option of the listing, not a field`,
			"Use the node's options for paging and order; a field of that name cannot be filtered on.",
		);
	}
	const operator = (condition.operator ?? 'eq') as FilterOperator;
	if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
		refuseRow(
			`${label} has an unknown operator "${String(operator)}"`,
			`Use one of: ${FILTER_OPERATORS.join(', ')}.`,
		);
	}
	return { label, key, operator, value: valueText(condition, operator, label, refuseRow) };
}

const listOf = (value: string) => value.split(',').map((entry) => entry.trim());

/** Orders two bounds when both are numbers or both dates; undefined when they cannot be compared. */
function compareBounds(a: string, b: string): number | undefined {
	const number = /^-?\d+(\.\d+)?$/;
	if (number.test(a.trim()) && number.test(b.trim())) return Number(a) - Number(b);
	const date = /^\d{4}-\d{2}-\d{2}/;
	const [ta, tb] = [Date.parse(a), Date.parse(b)];
	if (date.test(a) && date.test(b) && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
	return undefined;
}

/** The operators' names, in the editor and in messages. */
export const OPERATOR_NAMES: Record<FilterOperator, string> = {
	eq: 'Equals',
	not_eq: 'Not Equals',
	contains: 'Contains',
	starts_with: 'Starts With',
	ends_with: 'Ends With',
	gt: 'Greater Than',
	lt: 'Less Than',
	gt_or_eq: 'Greater Than or Equal',
	lt_or_eq: 'Less Than or Equal',
	in: 'In List',
	not_in: 'Not In List',
	blank: 'Is Blank',
};

/**
 * Folds the conditions on one field into what Coupa can take. Coupa (Rails) keeps only the last
 * of two parameters with the same name, so two conditions with one operator become one that means
 * both, or are refused when no single condition can.
 */
function combineField(field: string, conditions: Condition[], refuseRow: Refusal): Condition[] {
	const byOperator = new Map<FilterOperator, Condition[]>();
	for (const condition of conditions) {
		const same = byOperator.get(condition.operator) ?? [];
		// The very same condition twice changes nothing.
		if (!same.some((other) => other.value === condition.value)) same.push(condition);
		byOperator.set(condition.operator, same);
	}
	const never = (a: Condition, b: Condition, what: string, hint: string): never =>
		refuseRow(`${a.label} and ${b.label} can never both match: ${field} cannot ${what}`, hint);

	const equal = byOperator.get('eq') ?? [];
	if (equal.length > 1) {
		never(
			equal[0],
			equal[1],
			`equal both "${equal[0].value}" and "${equal[1].value}"`,
			`To match either value, use one condition with In List: ${equal.map((c) => c.value).join(',')}.`,
		);
	}
	if (equal.length === 1 && byOperator.size > 1) {
		const other = conditions.find((c) => c.operator !== 'eq') as Condition;
		refuseRow(
			`${equal[0].label} (${field} Equals) cannot be sent together with ${other.label} (${field} ${OPERATOR_NAMES[other.operator]})`,
			`Coupa reads "${field}=..." and "${field}[...]" as one parameter and refuses the pair. Use In List with the one value instead of Equals, or keep only one of the conditions.`,
		);
	}

	const result: Condition[] = [];
	for (const [operator, same] of byOperator) {
		const [first] = same;
		if (operator === 'not_eq' || operator === 'not_in') continue;
		if (same.length === 1) {
			result.push(first);
		} else if (operator === 'in') {
			const common = same
				.slice(1)
				.reduce((kept, c) => kept.filter((v) => listOf(c.value).includes(v)), listOf(first.value));
			if (common.length === 0)
				never(
					same[0],
					same[1],
					`be in both "${same[0].value}" and "${same[1].value}" (no value in common)`,
					'Keep one list, or put the values you want in one In List condition.',
				);
			result.push({ ...first, value: [...new Set(common)].join(',') });
		} else if (
			operator === 'gt' ||
			operator === 'gt_or_eq' ||
			operator === 'lt' ||
			operator === 'lt_or_eq'
		) {
			// Both bounds hold exactly when the stricter one does.
			const upper = operator === 'lt' || operator === 'lt_or_eq';
			let strictest = first;
			for (const c of same.slice(1)) {
				const order = compareBounds(c.value, strictest.value);
				if (order === undefined) {
					refuseRow(
						`${strictest.label} and ${c.label} both ask ${field} ${OPERATOR_NAMES[operator]}, with values that are not both numbers or both dates`,
						'Coupa takes one such condition per field: keep one of them.',
					);
				}
				if (upper ? order < 0 : order > 0) strictest = c;
			}
			result.push(strictest);
		} else if (operator === 'blank') {
			never(same[0], same[1], 'be blank and not blank', 'Keep one Is Blank condition.');
		} else {
			refuseRow(
				`${same[0].label} and ${same[1].label} both use ${OPERATOR_NAMES[operator]} on ${field}`,
				`Coupa takes one ${OPERATOR_NAMES[operator]} condition per field. Keep one, or filter the rest with a later node.`,
			);
		}
	}

	// "Not this and not that" is "not in this, that".
	const excluded = [...(byOperator.get('not_eq') ?? []), ...(byOperator.get('not_in') ?? [])].sort(
		(a, b) => conditions.indexOf(a) - conditions.indexOf(b),
	);
	if (excluded.length === 1) result.push(excluded[0]);
	if (excluded.length > 1) {
		const withComma = excluded.find((c) => c.operator === 'not_eq' && c.value.includes(','));
		if (withComma) {
			refuseRow(
				`${withComma.label} excludes "${withComma.value}", which holds a comma, so it cannot join the other exclusions on ${field} in one Not In List`,
				'Coupa keeps only one Not Equals per field; remove one of the conditions.',
			);
		}
		const values = excluded.flatMap((c) => (c.operator === 'not_in' ? listOf(c.value) : [c.value]));
		result.push({ ...excluded[0], operator: 'not_in', value: [...new Set(values)].join(',') });
	}
	return result;
}

const queryKey = ({ key, operator }: Condition) =>
	operator === 'eq' ? key : `${key}[${operator}]`;

/**
 * Coupa's query parameters for filter conditions, several on one field combined (or refused with
 * the reason), and every field name sent as written. Malformed rows are refused.
 */
export function filterQuery(conditions: FilterCondition[], refuseRow: Refusal): QueryPairs {
	const byField = new Map<string, Condition[]>();
	for (const [index, row] of conditions.entries()) {
		const condition = parseCondition(row, index, refuseRow);
		const field = sameName(condition.key);
		byField.set(field, [...(byField.get(field) ?? []), condition]);
	}
	const combined = [...byField.values()].flatMap((same) =>
		combineField(same[0].key, same, refuseRow),
	);
	// `supplier=3` and `supplier[name]=x` are one parameter to Coupa, which refuses the pair.
	for (const equal of combined.filter((c) => c.operator === 'eq')) {
		const nested = combined.find(
			(c) => c !== equal && sameName(queryKey(c)).startsWith(`${sameName(equal.key)}[`),
		);
		if (nested) {
			refuseRow(
				`${equal.label} (${equal.key} Equals) cannot be sent together with ${nested.label} (${nested.key})`,
				`Coupa reads "${equal.key}=..." and "${queryKey(nested)}=..." as one parameter and refuses the pair. Keep one of them.`,
			);
		}
	}
	return combined.map((condition) => [queryKey(condition), condition.value]);
}

/** Names n8n's HTTP client (axios) drops from `qs` to guard against prototype pollution. */
const NAMES_DROPPED_FROM_QS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Adds query parameters to a request. Each goes into `qs` as an own property, except the few
 * names the HTTP client would silently drop there, which go into the URL's query string instead.
 */
export function withQueryPairs(
	requestOptions: IHttpRequestOptions,
	pairs: QueryPairs,
): IHttpRequestOptions {
	const qs: IDataObject = { ...requestOptions.qs };
	const inUrl = new URLSearchParams();
	for (const [key, value] of pairs) {
		if (NAMES_DROPPED_FROM_QS.has(key)) inUrl.append(key, value);
		else
			Object.defineProperty(qs, key, {
				value,
				enumerable: true,
				writable: true,
				configurable: true,
			});
	}
	const search = inUrl.toString();
	const url = search
		? `${requestOptions.url}${requestOptions.url.includes('?') ? '&' : '?'}${search}`
		: requestOptions.url;
	return { ...requestOptions, url, qs };
}

/** Sends the `filters.conditions` rows as Coupa's query parameters. */
export async function applyFilters(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const conditions = this.getNodeParameter('filters.conditions', []) as FilterCondition[];
	const pairs = filterQuery(conditions, (message, description) =>
		refuse(this, message, description),
	);
	return withQueryPairs(requestOptions, pairs);
}

/** Get Many's Limit must ask for at least one record. */
export async function requirePositiveLimit(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!(this.getNodeParameter('returnAll', false) as boolean)) {
		const limit = Number(this.getNodeParameter('limit', 50));
		if (!Number.isInteger(limit) || limit < 1) {
			refuse(
				this,
				`The Limit parameter must be a whole number of at least 1 (got ${limit})`,
				'Set Limit to 1 or more, or turn on Return All.',
			);
		}
	}
	return requestOptions;
}
