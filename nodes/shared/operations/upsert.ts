/**
 * Create or Update: one search on the matching columns, then one write. One match is updated, none
 * is created, several refuse with their ids and nothing is written. Every request goes through the
 * `send` the caller hands in (the package's one request path, with its retry rules), and each
 * step sends at most one write.
 */
import type { IDataObject, IExecuteSingleFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CoupaResource } from '../schema/catalog';
import { aRecord, plural, RESOURCES_BY_VALUE } from '../schema/catalog';
import { columnsOf, matchKeys } from '../schema/columns';
import type { Refusal } from './input';
import type { RecordInput } from './recordBody';
import { canonicalName, missingRequired, refuseMissing, withCreateDefaults } from './recordBody';

/** One request through the package's request path; answers the items Coupa's JSON became. */
export type CoupaSend = (
	method: 'GET' | 'POST' | 'PUT',
	url: string,
	qs: IDataObject,
	body?: IDataObject,
) => Promise<INodeExecutionData[]>;

export interface UpsertRequest {
	resource: CoupaResource;
	/** The collection's URL under the API (`/suppliers`, `/suppliers/5/addresses`). */
	url: string;
	/** The record built by `sendRecordBody`. */
	record: IDataObject;
	/** `columns.matchingColumns`; empty means the object's default ones. */
	matchingColumns: string[];
	/** The `columns` parameter, to know whether Coupa's required fields are checked. */
	columns?: RecordInput['columns'];
	/** Query of the write (`return_object`, ...). */
	qs: IDataObject;
	node: INode;
	itemIndex: number;
}

/** Most ids an error lists. */
const SHOWN_IDS = 10;

/** Records in one answer of Coupa's list GET. */
const COUPA_PAGE = 50;

interface Condition {
	/** Coupa filter key: `number`, `supplier[id]`. */
	key: string;
	/** Where the value sits in a record: `['supplier', 'id']`. */
	path: string[];
	value: string | number | boolean;
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

const valueIn = (record: IDataObject, name: string) =>
	Object.entries(record).find(([key]) => canonicalName(key) === canonicalName(name))?.[1];

/** The matching columns as Coupa filters, from the record about to be written. */
export function matchConditions(
	request: Pick<UpsertRequest, 'resource' | 'record' | 'matchingColumns'>,
	refuseMatch: Refusal,
): Condition[] {
	const names = matchKeys(request.resource, request.matchingColumns);
	if (!names.length) {
		refuseMatch(
			'Create or Update needs at least one column to match on',
			'Pick the Columns to Match On: fields whose values identify one record, such as a number or a code.',
		);
	}
	const labels = new Map(columnsOf(request.resource).map((c) => [c.id, c.displayName]));
	const conditions: Condition[] = [];
	const segments = Array.from({ length: 20 }, (_, i) => `segment-${i + 1}`).filter(
		(segment) => !isBlank(valueIn(request.record, segment)),
	);
	for (const name of names) {
		if (name === 'segments') {
			if (!segments.length)
				refuseMatch(
					`Create or Update of ${aRecord(request.resource.name)} matches on its segments, and none has a value`,
					'Map Segment 1 and the segments after it.',
				);
			for (const segment of segments)
				conditions.push({
					key: segment,
					path: [segment],
					value: valueIn(request.record, segment) as string,
				});
			continue;
		}
		if (name === 'code' && isBlank(valueIn(request.record, 'code')) && segments.length) {
			// An account's code is its segments joined by hyphens (Compass: Accounts API).
			conditions.push({
				key: 'code',
				path: ['code'],
				value: segments.map((segment) => String(valueIn(request.record, segment))).join('-'),
			});
			continue;
		}
		const label = `The matching column ${labels.get(name) ?? name} (${name})`;
		// A reference by another key (`supplier[number]`): match on that key of the record's reference.
		const keyOf = /^([A-Za-z][\w-]*)\[([A-Za-z][\w-]*)\]$/.exec(name);
		if (keyOf) {
			const reference = valueIn(request.record, keyOf[1]);
			const keyValue =
				reference && typeof reference === 'object' && !Array.isArray(reference)
					? valueIn(reference as IDataObject, keyOf[2])
					: undefined;
			if (isBlank(keyValue) || typeof keyValue === 'object')
				refuseMatch(
					`${label} has no value`,
					'Map a value for every column to match on: an empty one would match records it should not.',
				);
			conditions.push({
				key: name,
				path: [keyOf[1], keyOf[2]],
				value: keyValue as string | number | boolean,
			});
			continue;
		}
		const value = valueIn(request.record, name);
		if (value === undefined || value === null || value === '') {
			refuseMatch(
				`${label} has no value`,
				'Map a value for every column to match on: an empty one would match records it should not.',
			);
		}
		if (typeof value !== 'object') {
			conditions.push({ key: name, path: [name], value: value as string | number | boolean });
			continue;
		}
		// A reference: match on its id when it has one, else on the keys given (`currency[code]`).
		const reference = value as IDataObject;
		const keys = 'id' in reference && !Array.isArray(reference) ? ['id'] : Object.keys(reference);
		const scalars = Array.isArray(reference)
			? []
			: keys.filter(
					(key) =>
						reference[key] !== null && typeof reference[key] !== 'object' && reference[key] !== '',
				);
		if (!scalars.length)
			refuseMatch(
				`${label} cannot be matched on`,
				'Match on a field holding one value, or a reference given by its ID or code.',
			);
		for (const key of scalars)
			conditions.push({
				key: `${name}[${key}]`,
				path: [name, key],
				value: reference[key] as string | number | boolean,
			});
	}
	return conditions;
}

/** Coupa's `fields` list that returns the id and the matched values, and nothing else. */
function fieldsOf(conditions: Condition[]): string {
	const spec: Array<string | Record<string, string[]>> = ['id'];
	for (const { path } of conditions) {
		if (path.length === 1) spec.push(path[0]);
		else spec.push({ [path[0]]: [path[1]] });
	}
	return JSON.stringify(spec);
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** Does the record hold the value? Coupa compares text without case, and dates as instants. */
function holds(record: IDataObject, condition: Condition): boolean {
	let value: unknown = record;
	for (const step of condition.path)
		value = value && typeof value === 'object' ? valueIn(value as IDataObject, step) : undefined;
	if (value === undefined || value === null) return false;
	const [actual, expected] = [String(value), String(condition.value)];
	if (
		DATE.test(actual) &&
		DATE.test(expected) &&
		!Number.isNaN(Date.parse(actual)) &&
		!Number.isNaN(Date.parse(expected))
	) {
		return Date.parse(actual) === Date.parse(expected);
	}
	if (typeof value === 'number' || typeof condition.value === 'number')
		return Number(actual) === Number(expected);
	return actual.toLowerCase() === expected.toLowerCase();
}

const describe = (conditions: Condition[]) =>
	conditions.map((c) => `${c.key}=${String(c.value)}`).join(', ');

/** The searches and writes under way, by collection and matching values. */
const running = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task with the same key. n8n sends a node's items at once: two
 * items with the same matching values would both find nothing and both create the record.
 */
async function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
	const result = (running.get(key) ?? Promise.resolve()).then(task);
	const settled = result.then(
		() => undefined,
		() => undefined,
	);
	running.set(key, settled);
	try {
		return await result;
	} finally {
		if (running.get(key) === settled) running.delete(key);
	}
}

/**
 * Finds the record by the matching columns, then updates it, creates it, or refuses. Returns the
 * items of the one write. Everything the write needs is checked before it is sent.
 */
export async function upsertRecord(
	request: UpsertRequest,
	send: CoupaSend,
): Promise<INodeExecutionData[]> {
	const fail: Refusal = (message, description) => {
		throw new NodeOperationError(request.node, message, {
			itemIndex: request.itemIndex,
			description,
		});
	};
	const conditions = matchConditions(request, fail);
	const query: IDataObject = Object.fromEntries(conditions.map((c) => [c.key, c.value]));
	const key = JSON.stringify([
		request.url,
		conditions.map((c) => [c.key, String(c.value).toLowerCase()]).sort(),
	]);
	return await oneAtATime(
		key,
		async () => await searchThenWrite(request, conditions, query, send, fail),
	);
}

async function searchThenWrite(
	request: UpsertRequest,
	conditions: Condition[],
	query: IDataObject,
	send: CoupaSend,
	fail: Refusal,
): Promise<INodeExecutionData[]> {
	const found = await send('GET', request.url, { ...query, fields: fieldsOf(conditions) });
	const records = found.map((item) => item.json);
	const ids = records.map((record) => record.id);
	if (ids.some((id) => typeof id !== 'number' && !(typeof id === 'string' && /^\d+$/.test(id)))) {
		fail(
			`Coupa's answer to the search on ${describe(conditions)} has records without an ID: nothing was written`,
			'Check that the credential URL points at your Coupa instance.',
		);
	}
	// Coupa may ignore a filter it does not know: then the answer holds records that do not match.
	const stray = records.filter((record) => !conditions.every((c) => holds(record, c)));
	if (stray.length) {
		fail(
			`Coupa did not filter ${plural(request.resource.name)} on ${describe(conditions)} (record ${String(stray[0].id)} does not match): nothing was written`,
			'Coupa does not search on one of the columns to match on. Match on other columns, such as a number or a code.',
		);
	}
	if (ids.length > 1) {
		const shown = ids.slice(0, SHOWN_IDS).join(', ');
		const more = ids.length > SHOWN_IDS ? ` and ${ids.length - SHOWN_IDS} more` : '';
		// Coupa answers at most a page of 50: a full page may hide more.
		const count = ids.length >= COUPA_PAGE ? `At least ${ids.length}` : String(ids.length);
		fail(
			`${count} ${plural(request.resource.name)} match ${describe(conditions)} (IDs ${shown}${more}): nothing was written`,
			'Create or Update writes only when at most one record matches. Add columns to match on until they identify one record.',
		);
	}
	if (ids.length === 1)
		return await send('PUT', `${request.url}/${String(ids[0])}`, request.qs, request.record);
	const record = withCreateDefaults(request.resource, request.record);
	refuseMissing(request.resource, missingRequired(request.resource, record, request.columns), fail);
	return await send('POST', request.url, request.qs, record);
}

/** The Create or Update of the current item, from its routed request (after `sendRecordBody`). */
export function upsertRequestOf(
	ctx: IExecuteSingleFunctions,
	options: { url?: string; qs?: IDataObject; body?: unknown },
): UpsertRequest {
	const columns = ctx.getNodeParameter('columns', undefined) as RecordInput['columns'];
	return {
		resource: RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource') as string)!,
		url: String(options.url ?? ''),
		record: (options.body ?? {}) as IDataObject,
		matchingColumns: columns?.matchingColumns ?? [],
		columns,
		qs: options.qs ?? {},
		node: ctx.getNode(),
		itemIndex: ctx.getItemIndex(),
	};
}
