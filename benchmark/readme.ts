/**
 * `npm run bench:readme [FILE]`: rewrites the README's performance tables (between the
 * `<!-- bench -->` markers) from the figures `npm run bench -- --json FILE` wrote.
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
const figures = JSON.parse(readFileSync(file, 'utf8')) as Figures;

const CLIENTS: Record<string, string> = {
	node: 'Coupa node',
	raw: 'raw `fetch` loop',
	nodeHelper: 'loop of `httpRequestWithAuthentication`',
	httpRequest: 'HTTP Request node',
	oldPaging: 'previous offset paging',
};

const find = (latencyMs: number, records: number, client: string) =>
	figures.rows.find((r) => r.latencyMs === latencyMs && r.records === records && r.client === client);
const ratio = (a?: Row, b?: Row) => (a && b ? (a.seconds / b.seconds).toFixed(2) : '');

function table(header: string[], lines: string[][]): string {
	return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const rows = table(
	['latency', 'records', 'client', 'rate limit', 'seconds', 'requests', '429s', 'peak heap MB', 'heap growth MB', 'all, in order'],
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
				return ['0 ms', String(node.records), `node / ${CLIENTS[other]}`, `${node.seconds.toFixed(2)} / ${row?.seconds.toFixed(2)}`, `${node.listRequests} / ${row?.listRequests}`, ratio(node, row)];
			}),
		),
		...atLimit.flatMap((latency) => {
			const node = find(latency, long, 'node');
			const old = find(latency, long, 'oldPaging');
			return [
				[`${latency} ms`, String(long), 'node / rate-limit floor', `${node?.seconds.toFixed(2)} / ${figures.floorSeconds.toFixed(2)}`, '', node ? (node.seconds / figures.floorSeconds).toFixed(2) : ''],
				[`${latency} ms`, String(long), `node / ${CLIENTS.oldPaging}`, `${node?.seconds.toFixed(2)} / ${old?.seconds.toFixed(2)}`, `${node?.listRequests} / ${old?.listRequests}`, ratio(node, old)],
			];
		}),
	],
);

const fastNode = overhead[0];
const summary =
	`One run (${figures.rounds} round${figures.rounds > 1 ? 's' : ''} per row, the median) on ${figures.date}, Node ${figures.node}, ${figures.cores} cores ` +
	`(load average ${figures.loadAverage.join(' before, ')} after: other work on the machine slows every row); ` +
	`purchase orders of about ${figures.recordKb} KB each. Reading ${fastNode?.records} of them (${figures.jsonMb} MB of JSON) grew the heap by ${fastNode?.heapGrowthMb} MB.`;

const block = `<!-- bench -->\n${summary}\n\n${rows}\n\n${ratios}\n<!-- /bench -->`;
const readmePath = path.join(ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
if (!/<!-- bench -->[\s\S]*<!-- \/bench -->/.test(readme)) throw new Error('README.md has no <!-- bench --> ... <!-- /bench --> block');
writeFileSync(readmePath, readme.replace(/<!-- bench -->[\s\S]*<!-- \/bench -->/, block));
console.log(`README.md performance tables rewritten from ${file}`);
