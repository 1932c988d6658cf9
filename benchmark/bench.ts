/**
 * `npm run bench`: Return All of purchase orders, measured side by side in one run against the
 * bundled Coupa simulator:
 *   - node:   the Coupa node in n8n's real engine;
 *   - raw:    a plain loop of HTTP calls in this process (the client-side floor);
 *   - httpRq: n8n's HTTP Request node (n8n-nodes-base of the same release) with its pagination,
 *             signed in with the same Coupa credential, in the same engine.
 * Two modes: `fast` (no latency, no rate limit) and `coupa` (100 ms per call, 25 requests per
 * second with a burst of 20, as Coupa). Options: --rounds N, --json FILE, --quick.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { CoupaSimulator } from '../test/coupa-simulator';
import type { SimulatorOptions } from '../test/coupa-simulator';
import { COUPA_NODE, credentialsWith, registerNodeType, runNode } from '../test/harness/engine';
import { PollingTrigger } from '../test/harness/poll';
import { oauthCredential } from '../test/support/setup';

const args = process.argv.slice(2);
const flag = (name: string) => args.indexOf(`--${name}`);
const quick = flag('quick') >= 0;
const rounds = flag('rounds') >= 0 ? Number(args[flag('rounds') + 1]) : quick ? 1 : 3;
const jsonFile = flag('json') >= 0 ? args[flag('json') + 1] : undefined;

interface Sample {
	ms: number;
	records: number;
	listRequests: number;
	tokenRequests: number;
	rateLimited: number;
	peakHeapMb: number;
	peakRssMb: number;
	heapGrowthMb: number;
	inOrder: boolean;
}

interface Row {
	mode: string;
	records: number;
	client: string;
	medianMs: number;
	minMs: number;
	maxMs: number;
	listRequests: number;
	tokenRequests: number;
	rateLimited: number;
	peakHeapMb: number;
	peakRssMb: number;
	heapGrowthMb: number;
	inOrder: boolean;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Samples memory while `work` runs; returns the peaks and the heap growth over the baseline taken
 * just before (the simulator's own records live in this process and are not the client's).
 */
async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; heap: number; rss: number; growth: number }> {
	global.gc?.();
	const baseline = process.memoryUsage().heapUsed;
	let heap = 0;
	let rss = 0;
	const sample = () => {
		const usage = process.memoryUsage();
		heap = Math.max(heap, usage.heapUsed);
		rss = Math.max(rss, usage.rss);
	};
	const timer = setInterval(sample, 10);
	try {
		const result = await work();
		sample();
		return { result, heap, rss, growth: heap - baseline };
	} finally {
		clearInterval(timer);
	}
}

async function fetchToken(coupa: CoupaSimulator): Promise<string> {
	const response = await fetch(`${coupa.url}/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'test-client', client_secret: 'test-secret-XYZ123', scope: 'core.purchase_order.read' }),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

type Client = (coupa: CoupaSimulator) => Promise<Array<{ id?: unknown }>>;

const clients: Record<string, (mode: string) => Client> = {
	node: (mode) => async (coupa) => {
		const credentials = credentialsWith(oauthCredential(coupa));
		// Fast mode measures the client itself: the rate limiter (on by default) is turned off there.
		const options = mode === 'fast' ? { requestsPerSecond: 0 } : {};
		const run = await runNode(credentials, COUPA_NODE, { resource: 'purchaseOrder', operation: 'getAll', returnAll: true, options });
		if (run.error) throw run.error;
		return run.items.map((item) => item.json);
	},
	raw: () => async (coupa) => {
		const token = await fetchToken(coupa);
		const records: Array<{ id?: unknown }> = [];
		for (let offset = 0; ; offset += 50) {
			const response = await fetch(`${coupa.url}/api/purchase_orders?limit=50&offset=${offset}`, {
				headers: { accept: 'application/json', authorization: `Bearer ${token}` },
			});
			if (!response.ok) throw new Error(`raw loop: ${response.status}`);
			const page = (await response.json()) as Array<{ id?: unknown }>;
			for (const record of page) records.push(record);
			if (page.length < 50) return records;
		}
	},
	httpRq: () => async (coupa) => {
		const credentials = credentialsWith(oauthCredential(coupa));
		const run = await runNode(
			credentials,
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
							parameters: { parameters: [{ type: 'qs', name: 'offset', value: '={{ $pageCount * 50 }}' }] },
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.length < 50 }}',
							limitPagesFetched: false,
							requestInterval: 0,
						},
					},
				},
			},
			{ nodeName: 'HTTP Request', typeVersion: 4.2 },
		);
		if (run.error) throw run.error;
		return run.items.map((item) => item.json);
	},
};

async function measure(mode: string, simulator: SimulatorOptions, records: number, client: string): Promise<Row> {
	const samples: Sample[] = [];
	for (let round = 0; round < rounds; round++) {
		const coupa = await CoupaSimulator.start({ ...simulator, seedCounts: { purchase_orders: records } });
		try {
			const started = performance.now();
			const { result, heap, rss, growth } = await withPeakMemory(() => clients[client](mode)(coupa));
			const ms = performance.now() - started;
			const ids = result.map((r) => Number(r.id));
			samples.push({
				ms,
				records: result.length,
				listRequests: coupa.apiRequests().length,
				tokenRequests: coupa.tokenRequests().length,
				rateLimited: coupa.apiRequests().filter((r) => r.status === 429).length,
				peakHeapMb: mb(heap),
				peakRssMb: mb(rss),
				heapGrowthMb: mb(growth),
				inOrder: ids.length === records && ids.every((id, i) => id === i + 1),
			});
		} finally {
			await coupa.stop();
		}
	}
	const times = samples.map((s) => s.ms).sort((a, b) => a - b);
	const last = samples[samples.length - 1];
	return {
		mode,
		records,
		client,
		medianMs: Math.round(times[Math.floor(times.length / 2)]),
		minMs: Math.round(times[0]),
		maxMs: Math.round(times[times.length - 1]),
		listRequests: last.listRequests,
		tokenRequests: last.tokenRequests,
		rateLimited: Math.max(...samples.map((s) => s.rateLimited)),
		peakHeapMb: Math.max(...samples.map((s) => s.peakHeapMb)),
		peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
		heapGrowthMb: Math.max(...samples.map((s) => s.heapGrowthMb)),
		inOrder: samples.every((s) => s.inOrder),
	};
}

/** Time per page early and late in a long listing, from the simulator's arrival times. */
async function pageCostProfile(records: number): Promise<{ firstPagesMs: number; lastPagesMs: number }> {
	const coupa = await CoupaSimulator.start({ seedCounts: { purchase_orders: records } });
	try {
		await clients.node('fast')(coupa);
		const at = coupa.apiRequests().map((r) => r.at).sort((a, b) => a - b);
		const span = (from: number, to: number) => (at[to] - at[from]) / (to - from);
		return { firstPagesMs: Math.round(span(0, 50) * 100) / 100, lastPagesMs: Math.round(span(at.length - 51, at.length - 1) * 100) / 100 };
	} finally {
		await coupa.stop();
	}
}

async function tokenReuse(executions: number): Promise<number> {
	const coupa = await CoupaSimulator.start();
	try {
		const credentials = credentialsWith(oauthCredential(coupa));
		for (let i = 0; i < executions; i++) await runNode(credentials, COUPA_NODE, { resource: 'currency', operation: 'getAll', limit: 1 });
		return coupa.tokenRequests().length;
	} finally {
		await coupa.stop();
	}
}

async function emptyPollCost(): Promise<number> {
	const coupa = await CoupaSimulator.start();
	try {
		const trigger = new PollingTrigger(credentialsWith(oauthCredential(coupa)), { resource: 'invoice', event: 'updated' });
		await trigger.poll();
		coupa.clearLog();
		await trigger.poll();
		return coupa.apiRequests().length;
	} finally {
		await coupa.stop();
	}
}

function printTable(rows: Row[]): void {
	const header = '| mode | records | client | median s | min s | max s | list requests | token requests | 429s | peak heap MB | heap growth MB | peak RSS MB | all in order |';
	console.log(header);
	console.log(header.replace(/[^|]+/g, ' --- '));
	for (const r of rows) {
		const s = (ms: number) => (ms / 1000).toFixed(2);
		console.log(`| ${r.mode} | ${r.records} | ${r.client} | ${s(r.medianMs)} | ${s(r.minMs)} | ${s(r.maxMs)} | ${r.listRequests} | ${r.tokenRequests} | ${r.rateLimited} | ${r.peakHeapMb} | ${r.heapGrowthMb} | ${r.peakRssMb} | ${r.inOrder ? 'yes' : 'NO'} |`);
	}
}

async function main(): Promise<void> {
	// n8n's HTTP Request node, from n8n-nodes-base of the same release as n8n-core.
	const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node') as { HttpRequest: new () => never };
	registerNodeType('n8n-nodes-base.httpRequest', new HttpRequest());

	const rows: Row[] = [];
	const fastSizes = quick ? [5000] : [5000, 50000];
	for (const records of fastSizes) {
		for (const client of ['node', 'raw', 'httpRq']) {
			const row = await measure('fast', {}, records, client);
			rows.push(row);
			console.error(`fast ${records} ${client}: ${row.medianMs} ms`);
		}
	}
	const coupaRecords = quick ? 2000 : 10000;
	for (const client of ['node', 'raw', 'httpRq']) {
		const row = await measure('coupa', { latencyMs: 100, rateLimit: true }, coupaRecords, client);
		rows.push(row);
		console.error(`coupa ${coupaRecords} ${client}: ${row.medianMs} ms`);
	}

	const ratio = (mode: string, records: number, a: string, b: string) => {
		const find = (client: string) => rows.find((r) => r.mode === mode && r.records === records && r.client === client)!;
		return Math.round((find(a).medianMs / find(b).medianMs) * 100) / 100;
	};
	const ratios = [
		...fastSizes.map((n) => ({ mode: 'fast', records: n, nodeOverRaw: ratio('fast', n, 'node', 'raw'), nodeOverHttpRequest: ratio('fast', n, 'node', 'httpRq') })),
		{ mode: 'coupa', records: coupaRecords, nodeOverRaw: ratio('coupa', coupaRecords, 'node', 'raw'), nodeOverHttpRequest: ratio('coupa', coupaRecords, 'node', 'httpRq') },
	];
	const profile = await pageCostProfile(quick ? 5000 : 50000);
	const tokens = await tokenReuse(100);
	const emptyPoll = await emptyPollCost();

	// Memory per record: the JSON size of what was read, against the node's peak heap.
	const sizeCoupa = await CoupaSimulator.start({ seedCounts: { purchase_orders: fastSizes[fastSizes.length - 1] } });
	const jsonMb = mb(Buffer.byteLength(JSON.stringify(sizeCoupa.records('purchase_orders'))));
	await sizeCoupa.stop();

	console.log(`\nRounds per row: ${rounds}. Node ${process.version}, ${require('node:os').cpus().length} cores.\n`);
	printTable(rows);
	console.log('\n| mode | records | node / raw | node / HTTP Request |\n| --- | --- | --- | --- |');
	for (const r of ratios) console.log(`| ${r.mode} | ${r.records} | ${r.nodeOverRaw} | ${r.nodeOverHttpRequest} |`);
	console.log(`\nPage cost (node, fast): first 50 pages ${profile.firstPagesMs} ms/page, last 50 pages ${profile.lastPagesMs} ms/page`);
	const largest = rows.find((r) => r.mode === 'fast' && r.records === fastSizes[fastSizes.length - 1] && r.client === 'node')!;
	console.log(`JSON size of ${largest.records} records: ${jsonMb} MB; the node's heap growth reading them: ${largest.heapGrowthMb} MB (${Math.round((largest.heapGrowthMb / jsonMb) * 10) / 10}x)`);
	console.log(`Token requests across 100 executions: ${tokens}`);
	console.log(`Requests for a trigger poll with nothing new: ${emptyPoll}`);

	if (jsonFile) {
		writeFileSync(jsonFile, JSON.stringify({ rounds, node: process.version, rows, ratios, profile, jsonMb, tokenRequestsPer100Executions: tokens, emptyPollRequests: emptyPoll }, null, 2));
		console.log(`Figures written to ${jsonFile}`);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
