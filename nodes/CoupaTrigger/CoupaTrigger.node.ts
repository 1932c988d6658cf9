import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { RESOURCES, RESOURCES_BY_VALUE } from '../Coupa/catalog';
import { TRIGGER_FIRST_ACTIVATION_NOTICE } from '../Coupa/descriptions/notices';
import { authenticationProperty, coupaCredentials, filtersProperty } from '../Coupa/descriptions/properties';
import { nameOfParameter, RESOURCE_NAMES } from '../Coupa/descriptions/subtitle';
import { getFilterFields } from '../Coupa/methods/loadOptions';
import type { FilterCondition } from '../Coupa/transport/preSend';
import { filterQuery } from '../Coupa/transport/preSend';
import { PAGE_SIZE } from '../Coupa/transport/pagination';
import { acquireRequestSlot } from '../Coupa/transport/rateLimiter';
import { assertInstanceUrl, retryPolicy, withRetry } from '../Coupa/transport/request';
import type { TriggerCursor } from './cursor';
import { advanceCursor, CURSOR_MARGIN_MS, parseTimestamp } from './cursor';

const DEFAULT_OVERLAP_SECONDS = 60;

export class CoupaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coupa Trigger',
		name: 'coupaTrigger',
		icon: { light: 'file:../../icons/coupa.svg', dark: 'file:../../icons/coupa.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${nameOfParameter('event', [['created', 'Created'], ['updated', 'Updated']])} + ": " + ${nameOfParameter('resource', RESOURCE_NAMES)} }}`,
		// n8n's nodes panel merges this trigger into the Coupa entry and shows this description there
		// (editor-ui useActionsGeneration: "default to trigger description"), so it speaks for both nodes.
		description: 'Read, create, update and act on Coupa records, or start a workflow when they are created or updated',
		defaults: { name: 'Coupa Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: coupaCredentials,
		properties: [
			TRIGGER_FIRST_ACTIVATION_NOTICE,
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: RESOURCES.filter((r) => r.operations.includes('getAll')).map((r) => ({
					name: r.name,
					value: r.value,
				})),
				default: 'invoice',
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
						typeOptions: { minValue: 0 },
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
		const resource = RESOURCES_BY_VALUE.get(this.getNodeParameter('resource') as string);
		if (!resource) throw new NodeOperationError(this.getNode(), 'Choose a Coupa resource');
		const event = this.getNodeParameter('event') as 'created' | 'updated';
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const field = event === 'created' ? 'created-at' : 'updated-at';
		const overlapMs = Number(options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000;
		const filters = filterQuery(
			this.getNodeParameter('filters.conditions', []) as FilterCondition[],
			(message, description) => {
				throw new NodeOperationError(this.getNode(), message, { description });
			},
		);
		const credentialType = this.getNodeParameter('authentication', 'coupaApi') as string;
		const { authType, instance } = await assertInstanceUrl(this);

		const policy = retryPolicy(this);
		const list = async (qs: IDataObject): Promise<IDataObject[]> => {
			const request: IHttpRequestOptions = {
				method: 'GET',
				url: `${instance}/api/${resource.path}`,
				qs: { ...filters, ...qs },
				headers: { Accept: 'application/json' },
				json: true,
			};
			const call = { node: this.getNode(), resource, method: 'GET', url: `/${resource.path}`, itemIndex: 0, authType, instance };
			const body = await withRetry(
				async () => {
					await acquireRequestSlot(instance, policy.requestsPerSecond);
					return await this.helpers.httpRequestWithAuthentication.call(this, credentialType, request);
				},
				call,
				policy,
			);
			if (!Array.isArray(body)) {
				throw new NodeOperationError(this.getNode(), 'Coupa answered with something other than a JSON list of records');
			}
			return body as IDataObject[];
		};
		const timestampOf = (record: IDataObject) => parseTimestamp(record[field] ?? record[field.replace('-', '_')]);
		const newest = async () => await list({ order_by: field, dir: 'desc', limit: 1 });
		const emit = (records: IDataObject[]): INodeExecutionData[][] =>
			options.outputMode === 'all'
				? [[{ json: { records } }]]
				: [records.map((json) => ({ json }))];

		if (this.getMode() === 'manual') {
			const sample = await newest();
			return sample.length ? emit(sample) : null;
		}

		/**
		 * Every record version at or after `sinceMs`, paged by id so updates between pages shift
		 * nothing. Coupa's `[gt]` on whole seconds: one second earlier includes `sinceMs` itself.
		 */
		const readWindow = async (sinceMs: number): Promise<IDataObject[]> => {
			const since = new Date(sinceMs - CURSOR_MARGIN_MS).toISOString();
			const window: IDataObject[] = [];
			for (let offset = 0; ; offset += PAGE_SIZE) {
				const page = await list({
					[`${field}[gt]`]: since,
					order_by: 'id',
					dir: 'asc',
					limit: PAGE_SIZE,
					offset,
				});
				for (const record of page) window.push(record);
				if (page.length < PAGE_SIZE) return window;
			}
		};

		const staticData = this.getWorkflowStaticData('node');
		const cursorKey = `${resource.value}:${event}`;
		const cursor = staticData[cursorKey] as TriggerCursor | undefined;
		if (!cursor) {
			const start = parseTimestamp(options.startDate);
			if (start !== undefined) {
				const { fresh, next } = advanceCursor({ at: new Date(start).toISOString(), seen: [] }, await readWindow(start), timestampOf, overlapMs);
				staticData[cursorKey] = next;
				return fresh.length ? emit(fresh) : null;
			}
			// Start from Coupa's newest record, on Coupa's clock, and mark the overlap window as
			// seen: nothing old floods the workflow.
			const [latest] = await newest();
			const at = (latest && timestampOf(latest)) ?? Date.now();
			const baseline = { at: new Date(at).toISOString(), seen: [] };
			staticData[cursorKey] = advanceCursor(baseline, await readWindow(at - overlapMs), timestampOf, overlapMs).next;
			return null;
		}

		// Only a window read to its end moves the cursor; a failed poll throws above and keeps it.
		const window = await readWindow((parseTimestamp(cursor.at) ?? 0) - overlapMs);
		const { fresh, next } = advanceCursor(cursor, window, timestampOf, overlapMs);
		staticData[cursorKey] = next;
		return fresh.length ? emit(fresh) : null;
	}
}
