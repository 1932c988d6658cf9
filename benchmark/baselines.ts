/**
 * The bench's reference clients that run inside n8n's engine, as one node type `bench.baseline`:
 *   - `loop`: a sequential offset loop of n8n's own `httpRequestWithAuthentication`, the floor for
 *     any n8n node (credential, sign-in and request helper, nothing else);
 *   - `offsetAhead`: the previous release's paging (offsets; three pages one by one, then four
 *     ahead at once), under the package's limiter: "old paging" against which the new is measured.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { limitedBy } from './sendLimited';

// The package's limiter as built, so the old paging meets the same rate limit as the node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { acquireRequestSlot } =
	require('../dist/nodes/shared/transport/rateLimiter') as typeof import('../nodes/shared/transport/rateLimiter');
const sendLimited = limitedBy(acquireRequestSlot);

export const BASELINE_NODE = 'bench.baseline';
const PAGE_SIZE = 50;

type PageReader = (offset: number, size: number) => Promise<IDataObject[]>;

/** The previous release's `readRecords`, unchanged but for its types. */
async function offsetAhead(
	read: PageReader,
	limit: number,
	sequentialPages = 3,
	concurrency = 4,
): Promise<IDataObject[]> {
	const sizeOf = (index: number) => Math.min(PAGE_SIZE, limit - index * PAGE_SIZE);
	const pages: IDataObject[][] = [];
	for (let index = 0; index < sequentialPages; index++) {
		if (sizeOf(index) <= 0) return pages.flat();
		const page = await read(index * PAGE_SIZE, sizeOf(index));
		pages.push(page);
		if (page.length < sizeOf(index)) return pages.flat();
	}
	const ahead = new Map<number, IDataObject[]>();
	const inFlight = new Set<Promise<void>>();
	let shortPage = Infinity;
	let next = sequentialPages;
	let failure: { error: unknown } | undefined;
	const launch = (index: number) => {
		const size = sizeOf(index);
		const call: Promise<void> = read(index * PAGE_SIZE, size)
			.then((page) => {
				ahead.set(index, page);
				if (page.length < size) shortPage = Math.min(shortPage, index);
			})
			.catch((error: unknown) => {
				failure ??= { error };
			})
			.finally(() => inFlight.delete(call));
		inFlight.add(call);
	};
	for (;;) {
		while (!failure && inFlight.size < concurrency && next < shortPage && sizeOf(next) > 0)
			launch(next++);
		if (inFlight.size === 0) break;
		await Promise.race(inFlight);
		if (failure) {
			await Promise.allSettled(inFlight);
			throw failure.error;
		}
	}
	for (let index = sequentialPages; index <= Math.min(shortPage, next - 1); index++)
		pages.push(ahead.get(index) ?? []);
	return pages.flat();
}

export class Baseline implements INodeType {
	description = {
		displayName: 'Bench baseline',
		name: BASELINE_NODE,
		group: ['transform'],
		version: 1,
		description: 'Reference clients of the benchmark',
		defaults: { name: 'Baseline' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'coupaApi', required: true }],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'loop' },
			{ displayName: 'Path', name: 'path', type: 'string', default: 'purchase_orders' },
			{ displayName: 'Requests per Second', name: 'requestsPerSecond', type: 'number', default: 0 },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0) as string;
		const perSecond = this.getNodeParameter('requestsPerSecond', 0) as number;
		const { url } = await this.getCredentials('coupaApi');
		const instance = String(url).replace(/\/+$/, '');
		const read: PageReader = async (offset, size) => {
			const send = async () =>
				(await this.helpers.httpRequestWithAuthentication.call(this, 'coupaApi', {
					method: 'GET',
					url: `${instance}/api/${this.getNodeParameter('path', 0) as string}`,
					qs: { limit: size, offset },
					headers: { Accept: 'application/json' },
					json: true,
				})) as IDataObject[];
			return perSecond > 0
				? await sendLimited({ instance, perSecond }, send, () => undefined)
				: await send();
		};
		let records: IDataObject[] = [];
		if (mode === 'offsetAhead') {
			records = await offsetAhead(read, Infinity);
		} else {
			for (let offset = 0; ; offset += PAGE_SIZE) {
				const page = await read(offset, PAGE_SIZE);
				for (const record of page) records.push(record);
				if (page.length < PAGE_SIZE) break;
			}
		}
		return [records.map((json) => ({ json }))];
	}
}
