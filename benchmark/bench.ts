/**
 * `npm run bench`: Return All of purchase orders (real-size records, test/coupa-simulator/realRecords.ts) from
 * the bundled simulator, side by side in one run:
 *   - node:       the Coupa node in n8n's real engine (node25: its credential at 25 per second, the floor's rate);
 *   - raw:        a sequential loop of `fetch` in this process (the floor for any client);
 *   - nodeHelper: a sequential loop of n8n's `httpRequestWithAuthentication` (the floor for any n8n node);
 *   - httpRequest: n8n's HTTP Request node with its pagination and the same credential;
 *   - oldPaging:  the release before's offset paging (three pages, then four ahead) under the same limiter;
 *   - previous:   the Coupa node with the previous keyset paging (benchmark/previousPaging.ts) swapped in.
 * Then the node and the previous paging on listings whose ids have the shapes of filtered exports
 * (test/coupa-simulator/idShapes.ts), at 0, 100 and 300 ms with Coupa's rate limit and the node's
 * limiter on, against the floor.
 * Latency 0 ms without Coupa's rate limit and with the node's limiter off measures the clients
 * themselves; 100 and 300 ms with Coupa's limit (25 per second, burst 20) and the limiter on
 * measure reads at the limit, against the floor (201 - 20) / 25 = 7.2 s for 10,000 records.
 * The simulator runs in a process of its own (test/coupa-simulator/process.ts), as Coupa is remote.
 * Options: --rounds N (default 1), --json FILE, --quick, --latency MS and --client NAME (one case
 * of the table, while tuning), --shapes a,b:1 (the id shapes, default idShapes.ts's ID_SHAPES;
 * `none` skips them) and --only-shapes (only the shapes' rows).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { DEFAULT_CLIENT } from '../test/coupa-simulator';
import { ID_SHAPES, idsOf } from '../test/coupa-simulator/idShapes';
import type { RemoteOptions } from '../test/coupa-simulator/process';
import { RemoteCoupa } from '../test/coupa-simulator/process';
import { COUPA_NODE, credentialsWith, registerNodeType, runNode } from '../test/harness/engine';
import { Baseline, BASELINE_NODE } from './baselines';
import { floorSeconds } from './floor';
import type { PreviousLimits } from './previousPaging';
import { previousReadByKey } from './previousPaging';

const args = process.argv.slice(2);
const flag = (name: string) => args.indexOf(`--${name}`);
const quick = flag('quick') >= 0;
const rounds = flag('rounds') >= 0 ? Number(args[flag('rounds') + 1]) : 1;
const jsonFile = flag('json') >= 0 ? args[flag('json') + 1] : undefined;
const onlyLatency = flag('latency') >= 0 ? Number(args[flag('latency') + 1]) : undefined;
const onlyClient = flag('client') >= 0 ? args[flag('client') + 1] : undefined;
const shapes =
	flag('shapes') >= 0
		? args[flag('shapes') + 1].split(',').filter((shape) => shape !== 'none')
		: ID_SHAPES;
const onlyShapes = flag('only-shapes') >= 0;
/** Whether a case of the table runs (all of them unless --latency or --client narrow it). */
const runs = (latency: number, client: string) =>
	(onlyLatency === undefined || onlyLatency === latency) &&
	(onlyClient === undefined || onlyClient === client);

export { floorSeconds };

export interface Row {
	/** The ids' shape (idShapes.ts); dense unless said. */
	shape?: string;
	latencyMs: number;
	records: number;
	client: string;
	limiter: boolean;
	seconds: number;
	listRequests: number;
	rateLimited: number;
	peakHeapMb: number;
	heapGrowthMb: number;
	inOrder: boolean;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Samples the heap while `work` runs: its peak, and its growth over the baseline taken just before. */
async function withPeakHeap<T>(
	work: () => Promise<T>,
): Promise<{ result: T; peak: number; growth: number }> {
	global.gc?.();
	const baseline = process.memoryUsage().heapUsed;
	let peak = baseline;
	const sample = () => (peak = Math.max(peak, process.memoryUsage().heapUsed));
	const timer = setInterval(sample, 10);
	try {
		const result = await work();
		sample();
		return { result, peak, growth: peak - baseline };
	} finally {
		clearInterval(timer);
	}
}

async function fetchToken(coupa: RemoteCoupa): Promise<string> {
	const response = await fetch(`${coupa.url}/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: 'test-client',
			client_secret: 'test-secret-XYZ123',
			scope: 'core.purchase_order.read',
		}),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

type Records = Array<{ id?: unknown }>;
type Client = (coupa: RemoteCoupa, limiter: boolean) => Promise<Records>;

async function engineRun(
	coupa: RemoteCoupa,
	limiter: boolean,
	type: string,
	parameters: Record<string, unknown>,
	typeVersion = 1,
	perSecond = 24,
): Promise<Records> {
	const credentials = credentialsWith({
		url: coupa.url,
		authType: 'oAuth2ClientCredentials',
		clientId: DEFAULT_CLIENT.id,
		clientSecret: DEFAULT_CLIENT.secret,
		scope: 'core.purchase_order.read',
		requestsPerSecond: limiter ? perSecond : 0,
	});
	const run = await runNode(credentials, type, parameters as never, { typeVersion });
	if (run.error) throw run.error;
	return run.items.map((item) => item.json);
}

type Pagination = { readByKey: typeof previousReadByKey };
/** The built package's paging module: the `previous` client swaps its keyset paging for the run. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtPagination = require('../dist/nodes/shared/transport/pagination') as Pagination;

/** The node with the previous keyset paging: the same transport, limiter and engine, only the paging differs. */
async function withPreviousPaging<T>(run: () => Promise<T>): Promise<T> {
	const current = builtPagination.readByKey;
	builtPagination.readByKey = async (read, keyOf, limits: PreviousLimits) =>
		// As before: the last page with the first where the latency was not measured (two pages in flight) or high.
		await previousReadByKey(read, keyOf, {
			...limits,
			lastPageFirst: () => limits.concurrency() === 2 || (limits.speculation?.() ?? 0) > 0,
		});
	try {
		return await run();
	} finally {
		builtPagination.readByKey = current;
	}
}

const clients: Record<string, Client> = {
	node: async (coupa, limiter) =>
		await engineRun(coupa, limiter, COUPA_NODE, {
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
		}),
	previous: async (coupa, limiter) =>
		await withPreviousPaging(async () => await clients.node(coupa, limiter)),
	// The credential at Coupa's own 25 per second, the rate the floor assumes.
	node25: async (coupa, limiter) =>
		await engineRun(
			coupa,
			limiter,
			COUPA_NODE,
			{ resource: 'purchaseOrder', operation: 'getAll', returnAll: true },
			1,
			25,
		),
	oldPaging: async (coupa, limiter) =>
		await engineRun(coupa, limiter, BASELINE_NODE, {
			mode: 'offsetAhead',
			requestsPerSecond: limiter ? 24 : 0,
		}),
	nodeHelper: async (coupa, limiter) =>
		await engineRun(coupa, limiter, BASELINE_NODE, { mode: 'loop' }),
	raw: async (coupa) => {
		const token = await fetchToken(coupa);
		const records: Records = [];
		for (let offset = 0; ; offset += 50) {
			const response = await fetch(`${coupa.url}/api/purchase_orders?limit=50&offset=${offset}`, {
				headers: { accept: 'application/json', authorization: `Bearer ${token}` },
			});
			if (!response.ok) throw new Error(`raw loop: ${response.status}`);
			const page = (await response.json()) as Records;
			for (const record of page) records.push(record);
			if (page.length < 50) return records;
		}
	},
	httpRequest: async (coupa, limiter) =>
		await engineRun(
			coupa,
			limiter,
			'n8n-nodes-base.httpRequest',
			{
				url: `${coupa.url}/api/purchase_orders`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'coupaApi',
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: '50' }] },
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'Accept', value: 'application/json' }] },
				options: {
					pagination: {
						pagination: {
							parameters: {
								parameters: [{ type: 'qs', name: 'offset', value: '={{ $pageCount * 50 }}' }],
							},
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.length < 50 }}',
							limitPagesFetched: false,
							requestInterval: 0,
						},
					},
				},
			},
			4.2,
		),
};

async function measure(
	latencyMs: number,
	records: number,
	client: string,
	shape?: string,
): Promise<Row | undefined> {
	if (!runs(latencyMs, client)) return undefined;
	// The shapes' rows meet Coupa's limit at every latency; the others only above 0 ms.
	const limiter = latencyMs > 0 || shape !== undefined;
	// The shapes' rows read compact records (about 3 KB): they measure the paging, not the client's
	// CPU, which on a shared machine would swamp it.
	const simulator: RemoteOptions = shape
		? {
				latencyMs,
				rateLimit: limiter,
				seedCounts: { purchase_orders: records },
				recordDetail: 'compact',
				idShape: shape,
			}
		: {
				latencyMs,
				rateLimit: limiter,
				seedCounts: { purchase_orders: records },
				realRecords: true,
			};
	const expected = idsOf(shape ?? 'dense', records);
	const samples: Row[] = [];
	for (let round = 0; round < rounds; round++) {
		const coupa = await RemoteCoupa.start(simulator);
		try {
			const started = performance.now();
			const { result, peak, growth } = await withPeakHeap(() => clients[client](coupa, limiter));
			const seconds = (performance.now() - started) / 1000;
			const ids = result.map((r) => Number(r.id));
			const served = await coupa.stats();
			samples.push({
				...(shape ? { shape } : {}),
				latencyMs,
				records,
				client,
				limiter,
				seconds: Math.round(seconds * 100) / 100,
				listRequests: served.calls.length,
				rateLimited: served.rateLimited,
				peakHeapMb: mb(peak),
				heapGrowthMb: mb(growth),
				inOrder: ids.length === records && ids.every((id, i) => id === expected[i]),
			});
		} finally {
			await coupa.stop();
		}
	}
	samples.sort((a, b) => a.seconds - b.seconds);
	const row = samples[Math.floor(samples.length / 2)];
	console.error(
		`${shape ? `${shape}, ` : ''}${latencyMs} ms, ${records} records, ${client}: ${row.seconds} s, ${row.listRequests} requests, ${row.rateLimited} 429s`,
	);
	return row;
}

async function main(): Promise<void> {
	// n8n's HTTP Request node, from n8n-nodes-base of the same release as n8n-core.
	const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node') as {
		HttpRequest: new () => never;
	};
	registerNodeType('n8n-nodes-base.httpRequest', new HttpRequest());
	registerNodeType(BASELINE_NODE, new Baseline());

	const loadBefore = os.loadavg()[0];
	const rows: Row[] = [];
	const add = (row: Row | undefined) => row && rows.push(row);
	const fast = quick ? 2000 : 5000;
	const latencies = quick ? [100] : [100, 300];
	const long = quick ? 4000 : 10000;
	if (!onlyShapes) {
		// Client overhead: no latency, no rate limit, limiter off.
		for (const client of ['node', 'raw', 'nodeHelper', 'httpRequest'])
			add(await measure(0, fast, client));
		// At Coupa's limit: the sequential clients on 2,000 records, the node and the old paging on 10,000.
		for (const latency of latencies) {
			for (const client of ['node', 'raw', 'nodeHelper', 'httpRequest'])
				add(await measure(latency, 2000, client));
			for (const client of ['node', 'node25', 'oldPaging'])
				add(await measure(latency, long, client));
		}
	}
	// The shapes of filtered exports, at Coupa's limit: the node beside the previous paging.
	for (const shape of shapes) {
		for (const latency of [0, ...latencies])
			for (const client of ['node', 'previous']) add(await measure(latency, long, client, shape));
	}

	// Memory: the JSON size of what was read, against the node's heap growth reading it.
	const sizing = await RemoteCoupa.start({
		seedCounts: { purchase_orders: fast },
		realRecords: true,
	});
	const { jsonMb } = sizing;
	await sizing.stop();

	const figures = {
		date: new Date().toISOString().slice(0, 10),
		node: process.version,
		cores: os.cpus().length,
		/** The machine's load average (1 min) before and after: other work skews every figure. */
		loadAverage: [Math.round(loadBefore * 10) / 10, Math.round(os.loadavg()[0] * 10) / 10],
		rounds,
		recordKb: Math.round((jsonMb * 1024 * 10) / fast) / 10,
		jsonMb,
		floorSeconds: floorSeconds(long),
		rows,
	};
	console.log(JSON.stringify(figures, null, 2));
	if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
