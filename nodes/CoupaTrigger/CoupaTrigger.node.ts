import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CoupaResource } from '../shared/schema/catalog';
import { aRecord, callSubject, RESOURCES, RESOURCES_BY_VALUE } from '../shared/schema/catalog';
import { MAIN_CONNECTION } from '../shared/connection';
import { TRIGGER_FIRST_ACTIVATION_NOTICE } from '../shared/descriptions/notices';
import {
	authenticationProperty,
	coupaCredentials,
	filtersProperty,
} from '../shared/descriptions/properties';
import { nameOfParameter, RESOURCE_NAMES } from '../shared/descriptions/subtitle';
import { getFilterFields } from '../shared/methods/loadOptions';
import type { FilterCondition } from '../shared/operations/filters';
import type { Refusal } from '../shared/operations/input';
import { filterQuery, withQueryPairs } from '../shared/operations/filters';
import {
	DEFAULT_MAX_RECORDS,
	keysetQuery,
	readByKey,
	recordId,
} from '../shared/transport/pagination';
import { pagesInFlight, speculativePages } from '../shared/transport/rateLimiter';
import { coupaRequest, openSession, recordsOf } from '../shared/transport/request';
import type { Clocks, TriggerCursor } from './cursor';
import {
	advanceCursor,
	clockStepBackMs,
	clockStepRestart,
	coupaTime,
	CURSOR_MARGIN_MS,
	parseTimestamp,
	readStoredCursor,
} from './cursor';
import type { TimestampField } from './timestamps';
import { timestampsOf } from './timestamps';

const DEFAULT_OVERLAP_SECONDS = 60;
/** Beyond a day, every poll would re-read a day of changes: no clock is that far off. */
const MAX_OVERLAP_SECONDS = 86_400;

/** The listing the trigger polls: a top-level collection (no parent id to ask for). */
const listPathOf = (resource: CoupaResource) =>
	resource.endpoints.find(
		(e) => e.value === 'getAll' && !e.needsParent && !e.params?.length && !e.path.includes('{'),
	)?.path;

/** Resources with a top-level listing whose records carry a timestamp the trigger can follow. */
const WATCHABLE = RESOURCES.filter((r) => listPathOf(r) !== undefined && timestampsOf(r).size > 0);

export class CoupaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coupa Trigger',
		name: 'coupaTrigger',
		icon: { light: 'file:../../icons/coupa.svg', dark: 'file:../../icons/coupa.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${nameOfParameter('event', [
			['created', 'Created'],
			['updated', 'Updated'],
		])} + ": " + ${nameOfParameter('resource', RESOURCE_NAMES)} }}`,
		// n8n's nodes panel merges this trigger into the Coupa entry and shows this description there
		// (editor-ui useActionsGeneration: "default to trigger description"), so it speaks for both nodes.
		description:
			'Read, create, update and act on Coupa records, or start a workflow when they are created or updated',
		defaults: { name: 'Coupa Trigger' },
		polling: true,
		inputs: [],
		outputs: [MAIN_CONNECTION],
		credentials: coupaCredentials,
		properties: [
			TRIGGER_FIRST_ACTIVATION_NOTICE,
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: WATCHABLE.map((r) => ({ name: r.name, value: r.value })),
				default: 'invoice',
				description:
					'Objects whose records carry no created-at or updated-at (such as currencies) cannot be watched',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Created', value: 'created', description: 'A record was created' },
					{ name: 'Updated', value: 'updated', description: 'A record was created or changed' },
				],
				default: 'updated',
			},
			filtersProperty(),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Clock Skew Allowance (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_OVERLAP_SECONDS },
						default: DEFAULT_OVERLAP_SECONDS,
						description:
							'Each poll re-reads this many seconds before the last record seen and skips what it already emitted, so late commits and clock differences lose nothing',
					},
					{
						displayName: 'Output',
						name: 'outputMode',
						type: 'options',
						options: [
							{ name: 'All Records in One Item', value: 'all' },
							{ name: 'One Item per Record', value: 'each' },
						],
						default: 'each',
					},
					{
						displayName: 'Response Filter',
						name: 'filter',
						type: 'string',
						default: '',
						placeholder: 'integration_invoices_filter',
						description:
							"The name of an API response filter your Coupa admin set up, which decides the fields Coupa returns. It must keep created-at and updated-at; an admin's default filter applies without it.",
					},
					{
						displayName: 'Start Date',
						name: 'startDate',
						type: 'dateTime',
						default: '',
						description:
							'On first activation, emit records changed since this date. Empty: start from now, without emitting older records.',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getFilterFields } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const fail = (message: string, description?: string): never => {
			throw new NodeOperationError(node, message, { description });
		};
		const resource = RESOURCES_BY_VALUE.get(this.getNodeParameter('resource') as string);
		const path = resource && listPathOf(resource);
		if (!resource || !path) return fail('Choose a Coupa resource the trigger can list');
		const event = this.getNodeParameter('event') as 'created' | 'updated';
		const field: TimestampField = event === 'created' ? 'created-at' : 'updated-at';
		refuseUntimedResource(resource, field, fail);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const overlapMs = overlapSecondsOf(options.overlapSeconds, fail) * 1000;
		const startMs = startDateOf(options.startDate, fail);
		const conditions = this.getNodeParameter('filters.conditions', []) as FilterCondition[];
		// Refused before any request, also when no cursor condition joins them (manual mode).
		filterQuery(conditions, fail);
		const session = await openSession(this);

		const responseFilter = typeof options.filter === 'string' ? options.filter.trim() : '';
		const timestampOf = (record: IDataObject) =>
			parseTimestamp(record[field] ?? record[field.replace('-', '_')]);
		/** One page: the records, each checked to carry the timestamp, and Coupa's clock. */
		const list = async (qs: IDataObject, extra: FilterCondition[] = []) => {
			const request = withQueryPairs(
				{
					method: 'GET',
					url: `/${path}`,
					qs: responseFilter ? { ...qs, filter: responseFilter } : qs,
					headers: { Accept: 'application/json' },
				} satisfies IHttpRequestOptions,
				filterQuery([...conditions, ...extra], fail),
			);
			const call = {
				node,
				...callSubject(resource, 'getAll', 'GET'),
				method: 'GET',
				url: `/${path}`,
				itemIndex: 0,
			};
			const answer = await coupaRequest(
				session,
				{ method: 'GET', path: request.url, qs: request.qs, headers: request.headers },
				call,
			);
			const records = recordsOf(answer, 'list', call);
			for (const record of records as IDataObject[])
				refuseUntimedRecord(resource, path, field, record, timestampOf, fail);
			const date = Date.parse(String(answer.headers.date ?? ''));
			// Without Coupa's Date header, this machine's clock is the best there is.
			const clocks: Clocks = {
				coupaMs: Number.isNaN(date) ? Date.now() : date,
				localMs: Date.now(),
			};
			return { records: records as IDataObject[], clocks };
		};
		const newest = async () =>
			await list({ order_by: field.replace('-', '_'), dir: 'desc', limit: 1 });
		const emit = (records: IDataObject[]): INodeExecutionData[][] =>
			options.outputMode === 'all'
				? [[{ json: { records } }]]
				: [records.map((json) => ({ json }))];

		if (this.getMode() === 'manual') {
			const { records } = await newest();
			return records.length ? emit(records) : null;
		}

		/**
		 * Every record version at or after `sinceMs`, paged by id so updates between pages shift
		 * nothing, and Coupa's clock at the earliest page. The user's own conditions on the
		 * timestamp stay: the cursor's `[gt]` joins them (filterQuery keeps the stricter of two).
		 */
		const readWindow = async (sinceMs: number) => {
			const since = Math.floor((sinceMs - CURSOR_MARGIN_MS) / 1000) * 1000;
			const cursorCondition = {
				field,
				operator: 'gt',
				value: coupaTime(since),
				label: `The trigger's own ${field} condition`,
			};
			let clocks: Clocks | undefined;
			const byId = { query: {}, descending: false, above: -Infinity, below: Infinity };
			const records = await readByKey(
				async (range) => {
					const page = await list(keysetQuery(byId, range) as IDataObject, [cursorCondition]);
					// The earliest of Coupa's clocks over the pages bounds the cursor.
					if (!clocks || page.clocks.coupaMs < clocks.coupaMs) clocks = page.clocks;
					return page.records;
				},
				recordId,
				{
					limit: Infinity,
					maxRecords: DEFAULT_MAX_RECORDS,
					concurrency: () => pagesInFlight(session.rates),
					speculation: () => speculativePages(session.rates),
					refuse: (message) => new NodeOperationError(node, message),
				},
			);
			return { records, clocks: clocks as Clocks };
		};
		const toCursor = (cursor: TriggerCursor, window: { records: IDataObject[]; clocks: Clocks }) =>
			advanceCursor(
				cursor,
				window.records,
				(record) => timestampOf(record) as number,
				overlapMs,
				window.clocks,
			);

		const staticData = this.getWorkflowStaticData('node');
		const cursorKey = `${resource.value}:${event}`;
		const { cursor, damage } = readStoredCursor(staticData[cursorKey]);
		if (damage !== undefined) {
			this.logger.warn(
				`Coupa Trigger "${node.name}": ${damage}. ${cursor ? `Resuming after ${cursor.at}.` : "Starting afresh from Coupa's current time: changes since the last good poll are not emitted."}`,
			);
		}

		if (!cursor) {
			if (startMs !== undefined && damage === undefined) {
				const start = new Date(startMs).toISOString();
				const { fresh, next } = toCursor(
					{ at: start, seen: [], from: start },
					await readWindow(startMs),
				);
				staticData[cursorKey] = next as unknown as IDataObject;
				return fresh.length ? emit(fresh) : null;
			}
			// Start from Coupa's own clock and mark the overlap window as seen: nothing old floods
			// the workflow, and a record stamped in the future does not set the start.
			const { clocks } = await newest();
			const baseline = { at: new Date(clocks.coupaMs).toISOString(), seen: [] };
			staticData[cursorKey] = toCursor(baseline, await readWindow(clocks.coupaMs - overlapMs))
				.next as unknown as IDataObject;
			return null;
		}

		// Only a window read to its end moves the cursor; a failed poll throws above and keeps it.
		let window = await readWindow((parseTimestamp(cursor.at) as number) - overlapMs);
		const restart = clockStepRestart(cursor, overlapMs, window.clocks);
		if (restart !== undefined) {
			// Said in the log, so a clock that keeps stepping is seen and fixed rather than paid for in re-reads.
			const stepSeconds = Math.round(clockStepBackMs(cursor, window.clocks) / 1000);
			this.logger.warn(
				`Coupa Trigger "${node.name}": Coupa's clock went back about ${stepSeconds} s since the last poll, more than the Clock Skew Allowance of ${overlapMs / 1000} s (an NTP correction or a failover to a server with a slower clock). The changes since ${new Date(restart).toISOString()} are read again, so none written after the step is lost; some records of that window may be emitted once more. If it happens often, ask Coupa support about the instance's clock, or raise Options > Clock Skew Allowance above the difference.`,
			);
			window = await readWindow(restart);
		}
		const { fresh, next } = toCursor(cursor, window);
		staticData[cursorKey] = next as unknown as IDataObject;
		return fresh.length ? emit(fresh) : null;
	}
}

/** Coupa's currencies (and a few others) carry no timestamps: nothing could tell what changed. */
function refuseUntimedResource(
	resource: CoupaResource,
	field: TimestampField,
	fail: Refusal,
): void {
	const carried = timestampsOf(resource);
	if (carried.has(field)) return;
	fail(
		`Coupa's ${resource.name} records carry no ${field}, so the trigger cannot tell which ${field === 'created-at' ? 'are new' : 'changed'}`,
		carried.size
			? `Watch the ${[...carried].map((name) => (name === 'created-at' ? 'Created' : 'Updated')).join(' or ')} event instead.`
			: 'Read them on a schedule with the Coupa node (Get Many) instead.',
	);
}

/**
 * A record without its timestamp would be skipped for good, and one without its id could not be
 * told from another stamped the same: say so, and what hides them.
 */
function refuseUntimedRecord(
	resource: CoupaResource,
	path: string,
	field: TimestampField,
	record: IDataObject,
	timestampOf: (record: IDataObject) => number | undefined,
	fail: Refusal,
): void {
	const hint = (name: string) =>
		`An API response filter (the admin's default one for ${path}, or the one named in Options) can leave ${name} out of every answer. Ask your Coupa admin to keep ${name} in it, or name a response filter that keeps it.`;
	if (record.id === undefined || record.id === null || record.id === '') {
		fail(
			`Coupa sent ${aRecord(resource.name)} record without id, which the trigger needs to tell records apart`,
			hint('id'),
		);
	}
	if (timestampOf(record) !== undefined) return;
	const value = record[field] ?? record[field.replace('-', '_')];
	const id = String(record.id).slice(0, 20);
	fail(
		value === undefined
			? `Coupa sent ${resource.name} ${id} without ${field}, which the trigger needs to tell what changed`
			: `Coupa sent ${resource.name} ${id} with ${field} "${String(value).slice(0, 40)}", which is not a date and time`,
		hint(field),
	);
}

function overlapSecondsOf(raw: unknown, fail: Refusal): number {
	if (raw === undefined || raw === '') return DEFAULT_OVERLAP_SECONDS;
	const seconds =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && raw.trim() !== ''
				? Number(raw)
				: NaN;
	if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_OVERLAP_SECONDS) {
		fail(
			`Clock Skew Allowance must be a number of seconds from 0 to ${MAX_OVERLAP_SECONDS} (got "${String(raw).slice(0, 40)}")`,
			`Set Options > Clock Skew Allowance to a whole number of seconds; the default is ${DEFAULT_OVERLAP_SECONDS}.`,
		);
	}
	return seconds;
}

function startDateOf(raw: unknown, fail: Refusal): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = raw instanceof Date ? raw.toISOString() : typeof raw === 'string' ? raw.trim() : '';
	const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
	if (Number.isNaN(ms)) {
		fail(
			`Start Date "${String(raw).slice(0, 40)}" is not a date`,
			'Pick a date in Options > Start Date, or give one in ISO 8601 such as 2024-03-25T18:38:00-07:00.',
		);
	}
	return ms;
}
