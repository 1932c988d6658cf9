/**
 * `npm run bench:readme [FILE] [QUEUE_FILE]`: rewrites the performance tables of docs/performance.md
 * (between the `<!-- bench -->` markers) from the figures `npm run bench -- --json FILE` wrote, and
 * the queue-mode table of docs/running-at-scale.md (`<!-- queue -->`) from the summary
 * `npm run test:queue` wrote (.e2e-cache/queue-summary.json; benchmark/queue-results.json keeps the
 * one in the docs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Row } from './bench';

interface Figures {
	date: string;
	node: string;
	cores: number;
	loadAverage: [number, number];
	rounds: number;
	recordKb: number;
	jsonMb: number;
	floorSeconds: number;
	rows: Row[];
}

const ROOT = path.resolve(__dirname, '..');
const file = process.argv[2] ?? path.join(__dirname, 'results.json');
const queueFile = process.argv[3] ?? path.join(__dirname, 'queue-results.json');
const figures = JSON.parse(readFileSync(file, 'utf8')) as Figures;

const CLIENTS: Record<string, string> = {
	node: 'Coupa node',
	node25: 'Coupa node, 25 per second',
	raw: 'raw `fetch` loop',
	nodeHelper: 'loop of `httpRequestWithAuthentication`',
	httpRequest: 'HTTP Request node',
	oldPaging: 'offset paging (two releases ago)',
	previous: 'Coupa node, previous keyset paging',
};

const find = (latencyMs: number, records: number, client: string) =>
	figures.rows.find(
		(r) => r.latencyMs === latencyMs && r.records === records && r.client === client,
	);
const ratio = (a?: Row, b?: Row) => (a && b ? (a.seconds / b.seconds).toFixed(2) : '');

function table(header: string[], lines: string[][]): string {
	return [header, header.map(() => '---'), ...lines]
		.map((cells) => `| ${cells.join(' | ')} |`)
		.join('\n');
}

/** The shapes' rows (their own table below); the others are the run's classic rows. */
const shaped = figures.rows.filter((row) => row.shape !== undefined);
figures.rows = figures.rows.filter((row) => row.shape === undefined);

const floorOf = (records: number) => (Math.floor(records / 50) + 1 - 20) / 25;
const callsFloor = (records: number) => Math.floor(records / 50) + 1;
const shapeCell = (row: Row | undefined) =>
	row
		? `${row.seconds.toFixed(2)} s, **${(row.seconds / floorOf(row.records)).toFixed(2)}×**, ${row.listRequests} calls (${(row.listRequests / callsFloor(row.records)).toFixed(2)}×), ${row.rateLimited} × 429${row.inOrder ? '' : ', NOT all in order'}`
		: '';
const shapeNames = [...new Set(shaped.map((row) => row.shape as string))];
const shapeLatencies = [...new Set(shaped.map((row) => row.latencyMs))].sort((a, b) => a - b);
const findShape = (shape: string, latency: number, client: string) =>
	shaped.find((r) => r.shape === shape && r.latencyMs === latency && r.client === client);
const shapesTable = table(
	[
		'ids of the records',
		'latency',
		'Coupa node: time, × floor, calls (× floor), 429s',
		'previous paging',
	],
	shapeNames.flatMap((shape) =>
		shapeLatencies.map((latency) => [
			`\`${shape}\``,
			`${latency} ms`,
			shapeCell(findShape(shape, latency, 'node')),
			shapeCell(findShape(shape, latency, 'previous')),
		]),
	),
);

const rows = table(
	[
		'latency',
		'records',
		'client',
		'rate limit',
		'seconds',
		'requests',
		'429s',
		'peak heap MB',
		'heap growth MB',
		'all, in order',
	],
	figures.rows.map((r) => [
		`${r.latencyMs} ms`,
		String(r.records),
		CLIENTS[r.client] ?? r.client,
		r.limiter ? 'on' : 'off',
		r.seconds.toFixed(2),
		String(r.listRequests),
		String(r.rateLimited),
		String(r.peakHeapMb),
		String(r.heapGrowthMb),
		r.inOrder ? 'yes' : 'NO',
	]),
);

const overhead = figures.rows.filter((r) => r.latencyMs === 0 && r.client === 'node');
const atLimit = [...new Set(figures.rows.filter((r) => r.latencyMs > 0).map((r) => r.latencyMs))];
const long = Math.max(...figures.rows.map((r) => r.records));
const ratios = table(
	['latency', 'records', 'compared', 'seconds', 'requests', 'ratio'],
	[
		...overhead.flatMap((node) =>
			['raw', 'nodeHelper', 'httpRequest'].map((other) => {
				const row = find(0, node.records, other);
				return [
					'0 ms',
					String(node.records),
					`node / ${CLIENTS[other]}`,
					`${node.seconds.toFixed(2)} / ${row?.seconds.toFixed(2)}`,
					`${node.listRequests} / ${row?.listRequests}`,
					ratio(node, row),
				];
			}),
		),
		...atLimit.flatMap((latency) => {
			const node = find(latency, long, 'node');
			const node25 = find(latency, long, 'node25');
			const old = find(latency, long, 'oldPaging');
			const toFloor = (row: Row | undefined, label: string) => [
				`${latency} ms`,
				String(long),
				`${label} / rate-limit floor`,
				`${row?.seconds.toFixed(2)} / ${figures.floorSeconds.toFixed(2)}`,
				'',
				row ? (row.seconds / figures.floorSeconds).toFixed(2) : '',
			];
			return [
				toFloor(node, 'node'),
				...(node25 ? [toFloor(node25, 'node at 25 per second')] : []),
				[
					`${latency} ms`,
					String(long),
					`node / ${CLIENTS.oldPaging}`,
					`${node?.seconds.toFixed(2)} / ${old?.seconds.toFixed(2)}`,
					`${node?.listRequests} / ${old?.listRequests}`,
					ratio(node, old),
				],
			];
		}),
	],
);

const fastNode = overhead[0];
const summary =
	`One run (${figures.rounds} round${figures.rounds > 1 ? 's' : ''} per row, the median) on ${figures.date}, Node ${figures.node}, ${figures.cores} cores ` +
	`(load average ${figures.loadAverage.join(' before, ')} after: other work on the machine slows every row); ` +
	`purchase orders of about ${figures.recordKb} KB each. Reading ${fastNode?.records} of them (${figures.jsonMb} MB of JSON) grew the heap by ${fastNode?.heapGrowthMb} MB.`;

/** What `npm run test:queue` writes (e2e/queue.ts). */
interface QueueRates {
	requests: { total: number; answered429: number; percent429: number };
	combinedRatePerSecond: number;
	percentOfCoupaLimit: number;
	loadSeconds: number;
}
interface QueueSummary extends QueueRates {
	n8n: string;
	workers: number;
	latencyMs: number;
	requestsPerSecondPerWorker: number;
	executions: {
		returnAll: number;
		write: number;
		failed: number;
		trigger: number;
		byWorker: Record<string, number>;
	};
	records: { perReturnAll: number; read: number; complete: number; missing: number };
	tokenRequests: { total: number; byProcess: Record<string, number> };
	duplicates: { records: number; writes: number; triggerEmissions: number };
	trigger: { polls: number; byProcess: Record<string, number>; emitted: number };
	atDefaultRate: QueueRates & { requestsPerSecondPerWorker: number; complete: number };
}

function queueBlock(queue: QueueSummary): string {
	const rate = (r: QueueRates) =>
		`${r.combinedRatePerSecond} per second (${r.percentOfCoupaLimit}% of Coupa's 25)`;
	const answered429 = (r: QueueRates) =>
		`${r.requests.answered429} of ${r.requests.total} (${r.requests.percent429}%)`;
	const byWorker = Object.values(queue.executions.byWorker).join(' + ');
	const tokens = queue.tokenRequests.byProcess;
	const workerTokens = Object.entries(tokens)
		.filter(([process]) => process !== 'main')
		.map(([, n]) => n)
		.join(' + ');
	return table(
		[
			'Requests per Second on each worker',
			'executions (worker 1 + worker 2)',
			'records read, missing, duplicated',
			'writes doubled',
			'trigger: polls (by main), records emitted twice',
			'requests answered 429',
			'combined rate',
			'token requests (main + workers, both phases)',
		],
		[
			[
				`${queue.requestsPerSecondPerWorker} (24 / ${queue.workers})`,
				`${queue.executions.returnAll} Return Alls, ${queue.executions.write} creates (${byWorker}); trigger executions: ${queue.executions.trigger}`,
				`${queue.records.read.toLocaleString('en')}, ${queue.records.missing}, ${queue.duplicates.records}`,
				String(queue.duplicates.writes),
				`${queue.trigger.polls} (${queue.trigger.byProcess.main ?? 0}), ${queue.duplicates.triggerEmissions}`,
				answered429(queue),
				rate(queue),
				`${tokens.main ?? 0} + ${workerTokens}`,
			],
			[
				`${queue.atDefaultRate.requestsPerSecondPerWorker} (the default)`,
				`${queue.executions.returnAll} Return Alls`,
				`${queue.atDefaultRate.complete} of ${queue.executions.returnAll} complete and in order`,
				'',
				'',
				answered429(queue.atDefaultRate),
				rate(queue.atDefaultRate),
				'',
			],
		],
	);
}

/** Replaces the `<!-- name -->` block of a file under docs/. */
function replaceBlock(doc: string, name: string, content: string): void {
	const docPath = path.join(ROOT, 'docs', doc);
	const text = readFileSync(docPath, 'utf8');
	const pattern = new RegExp(`<!-- ${name} -->[\\s\\S]*<!-- /${name} -->`);
	if (!pattern.test(text))
		throw new Error(`docs/${doc} has no <!-- ${name} --> ... <!-- /${name} --> block`);
	writeFileSync(
		docPath,
		text.replace(pattern, () => `<!-- ${name} -->\n${content}\n<!-- /${name} -->`),
	);
}
replaceBlock('performance.md', 'bench', `${summary}\n\n${rows}\n\n${ratios}`);
if (shaped.length) replaceBlock('performance.md', 'shapes', `Same run as above.\n\n${shapesTable}`);
const queue = JSON.parse(readFileSync(queueFile, 'utf8')) as QueueSummary;
replaceBlock(
	'running-at-scale.md',
	'queue',
	`n8n ${queue.n8n}, ${queue.workers} workers, Coupa at ${queue.latencyMs} ms latency; ${queue.records.perReturnAll.toLocaleString('en')} purchase orders per Return All. The second row is the same ten Return Alls with the rate left at the default, run after the first.\n\n${queueBlock(queue)}`,
);
console.log(
	`docs/performance.md and docs/running-at-scale.md tables rewritten from ${file} and ${queueFile}`,
);
