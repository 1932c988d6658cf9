/**
 * The bench's Coupa in a process of its own, as Coupa is remote: its CPU and pauses do not count
 * against the client measured, and a pause of the client does not bunch the calls Coupa counts
 * against its rate limit. Driven over IPC by `RemoteCoupa` (bench.ts).
 */
import { CoupaSimulator } from '../test/coupa-simulator';
import type { SimulatorOptions } from '../test/coupa-simulator';
import { seedRealRecords } from './records';

export type Command = { type: 'stats' } | { type: 'stop' };
export interface Stats {
	url: string;
	listRequests: number;
	rateLimited: number;
	/** JSON size (MB) of the purchase orders served. */
	jsonMb: number;
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
	const coupa = await CoupaSimulator.start(options);
	seedRealRecords(coupa);
	const jsonMb = Math.round((Buffer.byteLength(JSON.stringify(coupa.records('purchase_orders'))) / 1024 / 1024) * 10) / 10;
	const stats = (): Stats => ({ url: coupa.url, listRequests: coupa.apiRequests().length, rateLimited: coupa.rateLimited, jsonMb });
	process.on('message', (command: Command) => {
		if (command.type === 'stats') process.send?.(stats());
		else void coupa.stop().then(() => process.exit(0));
	});
	process.send?.(stats());
}

void main();
