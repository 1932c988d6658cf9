/**
 * The Coupa simulator in a process of its own, for tests where n8n runs as separate processes
 * (queue mode: a main instance and workers). Prints one JSON line, `{ url, control }`, once it
 * listens; exits when its stdin closes (the test that started it is gone) or on SIGTERM.
 *
 *   node -r ts-node/register/transpile-only test/coupa-simulator/serve.ts \
 *     --latency-ms=100 --rate-limit --seed=purchase_orders:2000
 *
 * The control server (another port, so its calls never show in Coupa's log):
 *   GET  /log?from=N         the requests Coupa received from the N-th on, each with `process`
 *                            (the name of the registered process that sent it) when known
 *   POST /processes          `{ "<name>": <pid>, ... }`: the processes to tell apart in the log
 *   GET  /records/<path>     the records of a Coupa object
 *   POST /records/<path>     inserts a record (a JSON object), created and updated now
 *   GET  /stats              `{ requests, rateLimited }`
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { LoggedRequest } from './CoupaSimulator';
import { CoupaSimulator } from './CoupaSimulator';

interface Options {
	latencyMs: number;
	rateLimit: boolean;
	seedCounts: Record<string, number>;
}

function parseArguments(argv: string[]): Options {
	const options: Options = { latencyMs: 0, rateLimit: false, seedCounts: {} };
	for (const argument of argv) {
		const [name, value = ''] = argument.split('=', 2);
		if (name === '--latency-ms') options.latencyMs = Number(value);
		else if (name === '--rate-limit') options.rateLimit = true;
		else if (name === '--seed') {
			const [path, count] = value.split(':');
			options.seedCounts[path] = Number(count);
		} else throw new Error(`Unknown argument ${argument}`);
	}
	return options;
}

/**
 * Which registered process holds the client end of a connection to `serverPort` from `clientPort`
 * (Linux: the socket's inode in /proc/net/tcp, then the process whose descriptors include it).
 * Looked up at each request, while the connection is open; a port is not cached, as another
 * process may reuse it later.
 */
function processOf(
	clientPort: number,
	serverPort: number,
	processes: Map<string, number>,
): string | undefined {
	const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	let inode: string | undefined;
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields[1]?.endsWith(hex(clientPort)) && fields[2]?.endsWith(hex(serverPort)))
				inode = fields[9];
		}
		if (inode) break;
	}
	if (!inode) return undefined;
	const target = `socket:[${inode}]`;
	for (const [name, pid] of processes) {
		let descriptors: string[] = [];
		try {
			descriptors = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const descriptor of descriptors) {
			try {
				if (readlinkSync(`/proc/${pid}/fd/${descriptor}`) === target) return name;
			} catch {
				// The descriptor closed while we looked.
			}
		}
	}
	return undefined;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : undefined;
}

async function main(): Promise<void> {
	const options = parseArguments(process.argv.slice(2));
	const coupa = await CoupaSimulator.start({
		latencyMs: options.latencyMs,
		rateLimit: options.rateLimit,
		seedCounts: options.seedCounts,
	});
	const serverPort = Number(new URL(coupa.url).port);
	const processes = new Map<string, number>();
	const senders = new WeakMap<LoggedRequest, string>();
	coupa.onRequest = (entry) => {
		if (processes.size === 0 || entry.remotePort === undefined) return;
		const sender = processOf(entry.remotePort, serverPort, processes);
		if (sender) senders.set(entry, sender);
	};

	const answer = (response: ServerResponse, status: number, body: unknown) => {
		response.statusCode = status;
		response.setHeader('Content-Type', 'application/json');
		response.end(JSON.stringify(body));
	};
	const control = createServer((request, response) => {
		void (async () => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			const records = /^\/records\/([a-z_]+)$/.exec(url.pathname);
			try {
				if (request.method === 'GET' && url.pathname === '/log') {
					const from = Number(url.searchParams.get('from') ?? 0);
					// Headers and sign-in bodies hold secrets: the log leaves them out.
					const entries = coupa.log.slice(from).map((entry) => {
						const { headers: _headers, ...rest } = entry;
						return {
							...rest,
							body: entry.path === '/oauth2/token' ? '' : entry.body,
							process: senders.get(entry),
						};
					});
					return answer(response, 200, entries);
				}
				if (request.method === 'POST' && url.pathname === '/processes') {
					for (const [name, pid] of Object.entries(
						(await readBody(request)) as Record<string, number>,
					))
						processes.set(name, pid);
					return answer(response, 200, Object.fromEntries(processes));
				}
				if (request.method === 'GET' && url.pathname === '/stats') {
					return answer(response, 200, {
						requests: coupa.log.length,
						rateLimited: coupa.rateLimited,
					});
				}
				if (records && request.method === 'GET')
					return answer(response, 200, coupa.records(records[1]));
				if (records && request.method === 'POST') {
					return answer(
						response,
						201,
						coupa.insert(records[1], (await readBody(request)) as Record<string, unknown>),
					);
				}
				answer(response, 404, { error: `no control route ${request.method} ${url.pathname}` });
			} catch (error) {
				answer(response, 400, { error: (error as Error).message });
			}
		})();
	});
	await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

	const stop = () => {
		control.close();
		void coupa.stop().finally(() => process.exit(0));
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	process.stdin.once('close', stop);
	process.stdin.resume();
	console.log(
		JSON.stringify({
			url: coupa.url,
			control: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
		}),
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
