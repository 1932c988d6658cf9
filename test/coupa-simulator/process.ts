/**
 * The simulator in a process of its own, as Coupa is remote: its CPU and pauses do not count
 * against the client measured, and a pause of the client's process does not bunch the calls the
 * simulator counts against Coupa's rate limit. `RemoteCoupa` starts and drives it over IPC.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { once } from 'node:events';

import { CoupaSimulator } from './CoupaSimulator';
import type { SimulatorOptions } from './CoupaSimulator';
import { seedRealRecords } from './realRecords';

export interface RemoteOptions extends SimulatorOptions {
	/** Purchase orders and suppliers shaped and sized like Coupa's (realRecords.ts). */
	realRecords?: boolean;
}

export interface Stats {
	url: string;
	/** Arrival time and status of every API call. */
	calls: Array<{ at: number; status: number }>;
	rateLimited: number;
	/** JSON size (MB) of the purchase orders served. */
	jsonMb: number;
}

type Command = { type: 'stats' } | { type: 'stop' };

export class RemoteCoupa {
	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly jsonMb: number,
	) {}

	static async start(options: RemoteOptions = {}): Promise<RemoteCoupa> {
		const child = fork(__filename, [JSON.stringify(options)], {
			execArgv: ['-r', 'ts-node/register/transpile-only'],
		});
		const [stats] = (await once(child, 'message')) as [Stats];
		return new RemoteCoupa(child, stats.url, stats.jsonMb);
	}

	async stats(): Promise<Stats> {
		const answer = once(this.child, 'message');
		this.child.send({ type: 'stats' } satisfies Command);
		return ((await answer) as [Stats])[0];
	}

	async stop(): Promise<void> {
		const exited = once(this.child, 'exit');
		this.child.send({ type: 'stop' } satisfies Command);
		await exited;
	}
}

async function serve(): Promise<void> {
	const { realRecords, ...options } = JSON.parse(process.argv[2] ?? '{}') as RemoteOptions;
	const coupa = await CoupaSimulator.start(options);
	if (realRecords) seedRealRecords(coupa);
	const jsonMb =
		Math.round(
			(Buffer.byteLength(JSON.stringify(coupa.records('purchase_orders'))) / 1024 / 1024) * 10,
		) / 10;
	const stats = (): Stats => ({
		url: coupa.url,
		calls: coupa.apiRequests().map(({ at, status }) => ({ at, status })),
		rateLimited: coupa.rateLimited,
		jsonMb,
	});
	process.on('message', (command: Command) => {
		if (command.type === 'stats') process.send?.(stats());
		else void coupa.stop().then(() => process.exit(0));
	});
	process.send?.(stats());
}

// Forked by RemoteCoupa.start: serve; imported: only the class.
if (process.send && require.main === module) void serve();
