/**
 * `npm run bench:model -- SHAPES LATENCIES [PAGINGS]`: the Return All paging alone against Coupa's
 * rate limit, in this process, without HTTP or records: the package's limiter (24 per second) and
 * paging, a simulated Coupa answering after the latency from ids of the given shapes (10,000
 * records), a sign-in round trip first. What the paging costs, free of the client's CPU and of
 * other work on the machine (which the real benchmark, `npm run bench`, includes).
 * e.g. `npm run bench:model -- dense,stragglers:0.01 100,300 current,previous`; TIMELINE=1 prints
 * the calls sent per 300 ms.
 */
import type { KeyRange, PagingLimits } from '../nodes/shared/transport/pagination';
import { readByKey } from '../nodes/shared/transport/pagination';
import { pagesInFlight, speculativePages } from '../nodes/shared/transport/rateLimiter';
import { sendLimited } from './sendLimited';
import { ID_SHAPES, idsOf } from '../test/coupa-simulator/idShapes';
import { floorSeconds } from './floor';
import { previousReadByKey } from './previousPaging';

const RECORDS = 10_000;

async function main(): Promise<void> {
	const [shapesArg, latenciesArg, pagingsArg] = process.argv.slice(2);
	const shapes = shapesArg ? shapesArg.split(',') : ID_SHAPES;
	const latencies = (latenciesArg ?? '100,300').split(',').map(Number);
	const pagings = (pagingsArg ?? 'current,previous').split(',');
	for (const shape of shapes) {
		for (const latency of latencies) {
			for (const paging of pagings) {
				const ids = idsOf(shape, RECORDS);
				const rates = { instance: `model-${shape}-${latency}-${paging}`, perSecond: 24 };
				const sent: number[] = [];
				const coupa = { tokens: 20, at: Date.now(), refused: 0 };
				const started = Date.now();
				const read = async (range: KeyRange) =>
					await sendLimited(
						rates,
						async () => {
							const now = Date.now();
							sent.push(now - started);
							// Coupa's own bucket: 25 per second, burst of 20.
							coupa.tokens = Math.min(20, coupa.tokens + ((now - coupa.at) / 1000) * 25);
							coupa.at = now;
							if (coupa.tokens < 1) coupa.refused++;
							else coupa.tokens -= 1;
							await new Promise((resolve) => setTimeout(resolve, latency));
							const inside = ids.filter((id) => id > range.after && id < range.before);
							return range.fromTop
								? inside.reverse().slice(0, range.size)
								: inside.slice(0, range.size);
						},
						() => undefined,
					);
				await new Promise((resolve) => setTimeout(resolve, latency)); // the sign-in
				const limits: PagingLimits = {
					limit: Infinity,
					maxRecords: 1_000_000,
					concurrency: () => pagesInFlight(rates),
					speculation: () => speculativePages(rates),
					refuse: (message) => new Error(message),
				};
				const records =
					paging === 'previous'
						? await previousReadByKey(read, (id: number) => id, {
								...limits,
								lastPageFirst: () =>
									limits.concurrency() === 2 || (limits.speculation?.() ?? 0) > 0,
							})
						: await readByKey(read, (id: number) => id, limits);
				const seconds = (Date.now() - started) / 1000;
				if (process.env.TIMELINE) {
					const windows: number[] = [];
					for (const at of sent)
						windows[Math.floor(at / 300)] = (windows[Math.floor(at / 300)] ?? 0) + 1;
					console.log(Array.from(windows, (n) => n ?? 0).join(' '));
				}
				const complete =
					records.length === ids.length && records.every((id, index) => id === ids[index]);
				console.log(
					`${shape.padEnd(16)} ${String(latency).padStart(4)} ms ${paging.padEnd(9)} ${seconds.toFixed(2)} s  ${(seconds / floorSeconds(RECORDS)).toFixed(2)} x floor  ${sent.length} calls  ${coupa.refused} over Coupa's limit  ${complete ? 'all, in order' : 'INCOMPLETE'}`,
				);
			}
		}
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
