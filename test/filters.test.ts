/**
 * Filter conditions through n8n's engine, the requests as they reach Coupa inspected: several
 * conditions on one field combined or refused, every field name sent, no value mangled.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { SimRecord } from './coupa-simulator';
import { PollingTrigger } from './harness/poll';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => bed.coupa.clearLog());

type Row = { field: string; operator: string; value: unknown };
const getMany = async (conditions: Row[], extra: INodeParameters = {}) =>
	await bed.run({
		resource: 'purchaseOrder',
		operation: 'getAll',
		returnAll: true,
		filters: { conditions },
		...extra,
	} as INodeParameters);

/** The query string as it reached Coupa, decoded, in order: repeated names show. */
const sentQuery = () =>
	bed.coupa.apiRequests().map((request) => [...new URLSearchParams(request.search)]);
const filterPairs = () =>
	sentQuery()[0].filter(([key]) => !['limit', 'offset', 'order_by', 'dir'].includes(key));
const orders = () => bed.coupa.records('purchase_orders');
const ids = (records: Array<{ id?: unknown }>) => records.map((r) => Number(r.id));

test('two Not Equals on one field become one Not In List, and both values stay out', async () => {
	const run = await getMany([
		{ field: 'status', operator: 'not_eq', value: 'draft' },
		{ field: 'status', operator: 'not_eq', value: 'cancelled' },
	]);
	expect(run.error).toBeUndefined();
	expect(filterPairs()).toEqual([['status[not_in]', 'draft,cancelled']]);
	const want = orders().filter((r) => !['draft', 'cancelled'].includes(String(r.status)));
	expect(want.length).toBeLessThan(orders().length - 1);
	expect(ids(jsonOf(run))).toEqual(ids(want));
});

test('Not Equals and Not In List on one field exclude the union', async () => {
	await getMany([
		{ field: 'status', operator: 'not_in', value: 'draft, closed' },
		{ field: 'status', operator: 'not_eq', value: 'cancelled' },
	]);
	expect(filterPairs()).toEqual([['status[not_in]', 'draft,closed,cancelled']]);
});

test('Greater Than and Less Than on one field are both sent and both apply', async () => {
	const run = await getMany([
		{ field: 'id', operator: 'gt', value: '10' },
		{ field: 'id', operator: 'lt', value: '15' },
	]);
	expect(filterPairs()).toEqual([
		['id[gt]', '10'],
		['id[lt]', '15'],
	]);
	expect(ids(jsonOf(run))).toEqual([11, 12, 13, 14]);
});

test('two lower bounds on one field: the stricter one is sent, which means both', async () => {
	const run = await getMany([
		{ field: 'created-at', operator: 'gt', value: '2024-01-01T01:00:00Z' },
		{ field: 'created_at', operator: 'gt', value: '2024-01-01T02:00:00+00:00' },
		{ field: 'id', operator: 'lt_or_eq', value: '130' },
		{ field: 'id', operator: 'lt_or_eq', value: '125' },
	]);
	expect(filterPairs()).toEqual([
		['created_at[gt]', '2024-01-01T02:00:00+00:00'],
		['id[lt_or_eq]', '125'],
	]);
	const want = orders().filter(
		(r) => Date.parse(String(r['created-at'])) > Date.parse('2024-01-01T02:00:00Z') && r.id <= 125,
	);
	expect(ids(jsonOf(run))).toEqual(ids(want));
});

test('two In Lists on one field keep the values in both', async () => {
	const run = await getMany([
		{ field: 'status', operator: 'in', value: 'issued,draft,closed' },
		{ field: 'status', operator: 'in', value: 'closed,issued' },
	]);
	expect(filterPairs()).toEqual([['status[in]', 'issued,closed']]);
	expect(ids(jsonOf(run))).toEqual(
		ids(orders().filter((r) => ['issued', 'closed'].includes(String(r.status)))),
	);
});

test('supplier.name and supplier[name] are one field', async () => {
	const run = await getMany([
		{ field: 'supplier.name', operator: 'not_eq', value: 'Acme Supply 1' },
		{ field: 'supplier[name]', operator: 'not_eq', value: 'Acme Supply 2' },
	]);
	expect(filterPairs()).toEqual([['supplier[name][not_in]', 'Acme Supply 1,Acme Supply 2']]);
	const names = new Set(jsonOf(run).map((r) => (r.supplier as { name: string }).name));
	expect(names.has('Acme Supply 1') || names.has('Acme Supply 2')).toBe(false);
	expect(names.size).toBeGreaterThan(0);
});

test('the same condition twice is sent once', async () => {
	await getMany([
		{ field: 'status', operator: 'eq', value: 'issued' },
		{ field: 'status', operator: 'eq', value: 'issued' },
	]);
	expect(filterPairs()).toEqual([['status', 'issued']]);
});

describe('conditions no request could honour are refused before any request, naming the rows', () => {
	test.each<[string, Row[], RegExp, RegExp]>([
		[
			'two Equals with different values',
			[
				{ field: 'status', operator: 'eq', value: 'issued' },
				{ field: 'status', operator: 'eq', value: 'draft' },
			],
			/Condition 1 and Filters > Condition 2 can never both match: status cannot equal both "issued" and "draft"/,
			/In List: issued,draft/,
		],
		[
			'two In Lists with nothing in common',
			[
				{ field: 'status', operator: 'in', value: 'issued,draft' },
				{ field: 'status', operator: 'in', value: 'closed' },
			],
			/can never both match/,
			/one In List/,
		],
		[
			'Is Blank true and false',
			[
				{ field: 'notes', operator: 'blank', value: 'true' },
				{ field: 'notes', operator: 'blank', value: 'false' },
			],
			/can never both match: notes cannot be blank and not blank/,
			/one Is Blank/,
		],
		[
			'Equals beside another operator on the same field (Coupa reads them as one parameter)',
			[
				{ field: 'status', operator: 'eq', value: 'issued' },
				{ field: 'status', operator: 'not_eq', value: 'draft' },
			],
			/Condition 1 \(status Equals\) cannot be sent together with Filters > Condition 2 \(status Not Equals\)/,
			/In List with the one value/,
		],
		[
			'Equals on a record and a condition on one of its fields',
			[
				{ field: 'supplier', operator: 'eq', value: '3' },
				{ field: 'supplier.name', operator: 'contains', value: 'Acme' },
			],
			/supplier Equals\) cannot be sent together with Filters > Condition 2 \(supplier\[name\]\)/,
			/one parameter/,
		],
		[
			'two Contains on one field',
			[
				{ field: 'po-number', operator: 'contains', value: '1' },
				{ field: 'po-number', operator: 'contains', value: '2' },
			],
			/both use Contains on po-number/,
			/one Contains condition per field/,
		],
		[
			'two lower bounds that are not both numbers or dates',
			[
				{ field: 'po-number', operator: 'gt', value: 'PO-1' },
				{ field: 'po-number', operator: 'gt', value: '5' },
			],
			/not both numbers or both dates/,
			/keep one/,
		],
		[
			'a value that is an object',
			[{ field: 'supplier', operator: 'eq', value: '={{ { "id": 3, "name": "Acme" } }}' }],
			/Condition 1 has a value that is an object, not text/,
			/supplier\.name/,
		],
		[
			'a list outside In List',
			[{ field: 'status', operator: 'eq', value: '={{ ["issued", "draft"] }}' }],
			/has a value that is a list/,
			/In List/,
		],
		[
			'a field named like a listing option',
			[{ field: 'offset', operator: 'eq', value: '5' }],
			/filters on "offset", which Coupa reads as an option of the listing/,
			/cannot be filtered/,
		],
		[
			'Is Blank with something other than true or false',
			[{ field: 'notes', operator: 'blank', value: 'yes' }],
			/uses Is Blank with "yes"/,
			/true .* or false/,
		],
	])('%s', async (_case, conditions, message, description) => {
		const run = await getMany(conditions);
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(description);
		expect(bed.coupa.apiRequests()).toHaveLength(0);
	});
});

test("a list value for In List is sent as Coupa's comma-separated list", async () => {
	const run = await getMany([
		{ field: 'status', operator: 'in', value: '={{ ["issued", "draft"] }}' },
	]);
	expect(run.error).toBeUndefined();
	expect(filterPairs()).toEqual([['status[in]', 'issued,draft']]);
});

test.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])(
	'a field named %s is sent as written, beside the other conditions',
	async (field) => {
		const run = await getMany([
			{ field, operator: 'eq', value: 'x' },
			{ field: 'status', operator: 'not_eq', value: 'draft' },
		]);
		expect(run.error).toBeUndefined();
		expect(filterPairs()).toEqual([
			[field, 'x'],
			['status[not_eq]', 'draft'],
		]);
		// No purchase order has such a field, so nothing matches: the condition was applied.
		expect(jsonOf(run)).toEqual([]);
	},
);

test('a field named __proto__ with an operator goes in the query like any other', async () => {
	await getMany([{ field: '__proto__', operator: 'contains', value: 'x' }]);
	expect(filterPairs()).toEqual([['__proto__[contains]', 'x']]);
});

test("Order By with hyphens is sent with underscores, as Coupa's query parameters take them", async () => {
	const run = await bed.run({
		resource: 'purchaseOrder',
		operation: 'getAll',
		limit: 3,
		options: { orderBy: 'updated-at', dir: 'desc' },
	});
	expect(run.error).toBeUndefined();
	expect(bed.coupa.apiRequests()[0].query.order_by).toBe('updated_at');
	const newest = [...orders()].sort(
		(a: SimRecord, b: SimRecord) =>
			Date.parse(String(b['updated-at'])) - Date.parse(String(a['updated-at'])) || b.id - a.id,
	);
	expect(ids(jsonOf(run))).toEqual(ids(newest.slice(0, 3)));
});

describe("a custom field, typed in the Field's expression mode", () => {
	test.each([
		['plain text', '=custom-fields[project-code]'],
		['an expression', '={{ "custom-fields" }}[project-code]'],
	])('as %s, filters Get Many', async (_case, field) => {
		const run = await getMany([{ field, operator: 'eq', value: 'PRJ-105' }]);
		expect(run.error).toBeUndefined();
		expect(filterPairs()).toEqual([['custom-fields[project-code]', 'PRJ-105']]);
		expect(ids(jsonOf(run))).toEqual([5]);
	});

	test('the trigger filters on it too', async () => {
		const poller = new PollingTrigger(bed.credentials, {
			resource: 'purchaseOrder',
			event: 'updated',
			filters: {
				conditions: [{ field: '=custom-fields[project-code]', operator: 'eq', value: 'PRJ-105' }],
			},
		});
		const result = await poller.poll('manual');
		expect(result.error).toBeUndefined();
		expect(bed.coupa.apiRequests()[0].query['custom-fields[project-code]']).toBe('PRJ-105');
		expect(result.items.map((item) => Number(item.json.id))).toEqual([5]);
	});
});
