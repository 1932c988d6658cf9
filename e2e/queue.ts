/**
 * Queue mode end to end (`npm run test:queue`): n8n as teams run it at scale, a main instance and
 * two workers (`n8n worker`) sharing Redis and Postgres, the packed package installed in each as a
 * community package, and the Coupa simulator in a process of its own enforcing Coupa's rate limit
 * at a set latency. Webhook-started workflows run concurrently on both workers while a Coupa
 * Trigger polls from the main instance; the simulator's request log and the executions' data show
 * what the package guarantees across processes. Ends with a JSON summary of the figures.
 *
 * Every process is started here on free ports in a temporary folder and stopped on exit; their
 * pids also go to $QUEUE_PID_FILE, so scripts/queue-test can stop them if this process is killed.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import {
	appendFileSync,
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { LoggedRequest } from '../test/coupa-simulator';
import { responseVariable, sendCallOut } from '../test/coupa-simulator/callOut';
import { CALL_OUT_CREDENTIAL } from './callout';
import {
	CACHE,
	chainedWorkflow,
	check,
	coupaNode,
	failedChecks,
	finish,
	freePort,
	N8N_BIN,
	N8N_PACKAGE,
	N8N_VERSION,
	n8nEnv,
	n8nNode,
	installN8n,
	installPackedPackage,
	restCall,
	ROOT,
	simulatorCredential,
	startN8n,
	timed,
} from './n8n';

/** Coupa's latency as the simulator plays it; QUEUE_LATENCY_MS overrides it. */
const LATENCY_MS = Number(process.env.QUEUE_LATENCY_MS ?? 100);
const RECORDS = 2000;
const RETURN_ALLS = 10;
const WRITES = 6;
/** Suppliers created in Coupa by someone else while the trigger watches. */
const OUTSIDE_CREATES = 3;
/** Jobs each worker runs at once: 5 + 5 means the 10 Return Alls must spread over both. */
const WORKER_CONCURRENCY = 5;
const COUPA_LIMIT_PER_SECOND = 25;
const WORKERS = ['worker1', 'worker2'];
/** The queue-mode advice of docs/running-at-scale.md: the credential's rate (24) divided among the workers. */
const SHARED_RATE = 24 / WORKERS.length;

// ---- processes ------------------------------------------------------------------------------

interface Service {
	name: string;
	child: ChildProcess;
	logFile: string;
	/** The signal that stops it quickly (Postgres: SIGINT, a fast shutdown). */
	stopSignal: NodeJS.Signals;
}

const services: Service[] = [];
/** Processes started by `launch` lead a process group, stopped whole; `n8n start` does not. */
const groupLeaders = new WeakSet<Service>();
let workDir = '';

function track(service: Service): Service {
	services.push(service);
	if (process.env.QUEUE_PID_FILE && service.child.pid)
		appendFileSync(process.env.QUEUE_PID_FILE, `${service.child.pid}\n`);
	return service;
}

/** A process of its own group (stopped with what it started), its output in `<name>.log`. */
function launch(
	name: string,
	command: string,
	args: string[],
	options: {
		env?: NodeJS.ProcessEnv;
		uid?: number;
		gid?: number;
		keepStdin?: boolean;
		stopSignal?: NodeJS.Signals;
	} = {},
): Service {
	const logFile = path.join(workDir, `${name}.log`);
	const fd = openSync(logFile, 'a');
	try {
		// A piped stdin closes when this process dies, however it dies: the simulator exits then.
		const child = spawn(command, args, {
			cwd: workDir,
			env: options.env ?? process.env,
			uid: options.uid,
			gid: options.gid,
			detached: true,
			stdio: [options.keepStdin ? 'pipe' : 'ignore', fd, fd],
		});
		child.once('error', (error) =>
			appendFileSync(logFile, `\n[could not start ${command}: ${error.message}]\n`),
		);
		const service = track({ name, child, logFile, stopSignal: options.stopSignal ?? 'SIGTERM' });
		groupLeaders.add(service);
		return service;
	} finally {
		closeSync(fd);
	}
}

function logTail(service: Service, lines = 25): string {
	const text = existsSync(service.logFile) ? readFileSync(service.logFile, 'utf8') : '';
	return text.split('\n').slice(-lines).join('\n');
}

function printLogTails(): void {
	for (const service of services)
		console.error(
			`\n----- last lines of ${service.name} (${service.logFile}) -----\n${logTail(service)}`,
		);
}

async function stop(service: Service): Promise<void> {
	const { child } = service;
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const target = groupLeaders.has(service) ? -child.pid : child.pid;
	const signal = (name: NodeJS.Signals) => {
		try {
			process.kill(target, name);
		} catch {
			// Already gone.
		}
	};
	signal(service.stopSignal);
	const timer = setTimeout(() => signal('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

async function stopAll(): Promise<void> {
	// n8n first (they use the others), then the simulator, Redis and Postgres.
	const n8n = services.filter((s) => s.name === 'main' || WORKERS.includes(s.name));
	await Promise.all(n8n.map(stop));
	await Promise.all(services.filter((s) => !n8n.includes(s)).map(stop));
}

/** Waits for `probe` to answer truthy, or fails saying what did not happen. */
async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs: number,
	everyMs = 500,
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const died = services.find(
			(s) => (s.child.exitCode !== null || s.child.signalCode !== null) && s.name !== 'initdb',
		);
		if (died)
			throw new Error(
				`${died.name} exited (${died.child.exitCode ?? died.child.signalCode}) while waiting for ${what}`,
			);
		const value = await probe();
		if (value) return value;
		if (Date.now() - started > timeoutMs)
			throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

// ---- Redis, Postgres, the simulator -----------------------------------------------------------

async function startRedis(): Promise<number> {
	const port = await freePort();
	launch('redis', 'redis-server', [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		workDir,
	]);
	const ping = () =>
		new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.setTimeout(1000, () => socket.destroy());
			socket.once('connect', () => socket.write('PING\r\n'));
			socket.once('data', (data) => {
				resolve(data.toString().startsWith('+PONG'));
				socket.destroy();
			});
			socket.once('error', () => resolve(false));
			socket.once('close', () => resolve(false));
		});
	await waitFor('Redis answers PING', ping, 30_000, 200);
	return port;
}

/** Postgres refuses to run as root: as root it runs as Debian's `postgres` user. */
function postgresUser(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const id = (flag: string) =>
		Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

async function startPostgres(): Promise<number> {
	const versions = existsSync('/usr/lib/postgresql')
		? readdirSync('/usr/lib/postgresql').filter((v) =>
				existsSync(`/usr/lib/postgresql/${v}/bin/postgres`),
			)
		: [];
	if (!versions.length)
		throw new Error('No Postgres under /usr/lib/postgresql: run scripts/queue-deps');
	const bin = `/usr/lib/postgresql/${versions.sort((a, b) => Number(b) - Number(a))[0]}/bin`;
	const user = postgresUser();
	const data = path.join(workDir, 'postgres');
	mkdirSync(data, { mode: 0o700 });
	if (user.uid !== undefined) chownSync(data, user.uid, user.gid as number);
	const port = await freePort();
	const initdb = launch(
		'initdb',
		`${bin}/initdb`,
		['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
		user,
	);
	const code = await new Promise<number | null>((resolve) => initdb.child.once('exit', resolve));
	if (code !== 0) throw new Error(`initdb exited with ${code}`);
	// A throwaway database: durability settings off for speed.
	launch(
		'postgres',
		`${bin}/postgres`,
		[
			'-D',
			data,
			'-p',
			String(port),
			'-k',
			data,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ ...user, stopSignal: 'SIGINT' },
	);
	const ready = () => {
		try {
			execFileSync(`${bin}/pg_isready`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], {
				stdio: 'ignore',
			});
			return true;
		} catch {
			return false;
		}
	};
	await waitFor('Postgres accepts connections', ready, 60_000, 300);
	return port;
}

interface SimulatorProcess {
	url: string;
	control: string;
	/** Names a process, so the log says which requests it sent. */
	register(name: string, pid: number | undefined): Promise<void>;
	log(from?: number): Promise<Array<Omit<LoggedRequest, 'headers'> & { process?: string }>>;
}

async function startSimulator(): Promise<SimulatorProcess> {
	const service = launch(
		'coupa',
		process.execPath,
		[
			'-r',
			require.resolve('ts-node/register/transpile-only'),
			path.join(ROOT, 'test/coupa-simulator/serve.ts'),
			`--latency-ms=${LATENCY_MS}`,
			'--rate-limit',
			`--seed=purchase_orders:${RECORDS}`,
		],
		{
			keepStdin: true,
			env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.test.json') },
		},
	);
	const address = await waitFor(
		'the Coupa simulator listens',
		() => {
			const line = readFileSync(service.logFile, 'utf8')
				.split('\n')
				.find((l) => l.startsWith('{"url"'));
			return line ? (JSON.parse(line) as { url: string; control: string }) : undefined;
		},
		60_000,
		200,
	);
	return {
		...address,
		register: async (name, pid) => {
			await fetch(`${address.control}/processes`, {
				method: 'POST',
				body: JSON.stringify({ [name]: pid }),
			});
		},
		log: async (from = 0) =>
			(await (await fetch(`${address.control}/log?from=${from}`)).json()) as Awaited<
				ReturnType<SimulatorProcess['log']>
			>,
	};
}

// ---- n8n ----------------------------------------------------------------------------------------

const WEBHOOK = {
	returnAll: 'coupa-queue-return-all',
	write: 'coupa-queue-create-supplier',
	unconfigured: 'coupa-queue-return-all-default-rate',
};
/** A performance target of the issue: printed as met or missed, never failing the run. */
function target(what: string, met: boolean, detail: string): void {
	console.log(`${met ? 'met ' : 'MISS'} target: ${what} (${detail})`);
}

const WORKFLOW_IDS = {
	returnAll: 'queueReturnAll01',
	write: 'queueWrite000002',
	trigger: 'queueTrigger0003',
	unconfigured: 'queueReturnAll04',
	callOut: 'queueCallOut0005',
};
const CALL_OUT_WEBHOOK_ID = '5d0c7a10-2222-4e2e-9c11-000000000005';

/** A Coupa Call Out Trigger answering from the last node: the answer comes back from a worker. */
function callOutWorkflow(credentials: { coupaCallOutApi: { id: string; name: string } }) {
	return chainedWorkflow(WORKFLOW_IDS.callOut, 'Queue: Coupa call out', [
		n8nNode(
			'Coupa Call Out Trigger',
			'n8n-nodes-coupa.coupaCallOutTrigger',
			1,
			{ authentication: 'coupaCallOutApi', responseMode: 'lastNode', options: {} },
			{ webhookId: CALL_OUT_WEBHOOK_ID, credentials },
		),
		n8nNode('Verdict', 'n8n-nodes-base.set', 3.4, {
			mode: 'raw',
			jsonOutput:
				'={{ JSON.stringify({ "validation-result": "ok", "external-id": "EXT-" + $json.id }) }}',
		}),
	]);
}

function webhook(name: string, webhookPath: string, responseData: string) {
	return n8nNode(
		name,
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData, options: {} },
		{ webhookId: webhookPath },
	);
}

type CredentialRef = { coupaApi: { id: string; name: string } };

/**
 * The Return Alls ask for the fields an export needs, as docs/running-at-scale.md advises: with whole records,
 * n8n's own work on 2,000-record executions (answering the webhook, saving the run) keeps this
 * 2-core machine's workers busy for seconds at a time, and the rate measured is the CPU's.
 */
const EXPORT_FIELDS = { fields: '["id","po-number","status","updated-at"]' };

/**
 * The workflows: the webhook ones with one credential (Requests per Second shared among the
 * workers, as docs/running-at-scale.md advises), the trigger with another, so the token requests of the workers
 * (webhooks) and of the main instance (trigger) are told apart; and a Return All whose credential
 * keeps the default rate on each worker, to measure what the adaptive limiter alone achieves.
 */
function workflows(webhooks: CredentialRef, trigger: CredentialRef, unconfigured: CredentialRef) {
	return [
		chainedWorkflow(WORKFLOW_IDS.unconfigured, 'Queue: Return All at the default rate', [
			webhook('Webhook', WEBHOOK.unconfigured, 'allEntries'),
			coupaNode(
				'Coupa',
				{ resource: 'purchaseOrder', operation: 'getAll', returnAll: true, options: EXPORT_FIELDS },
				{ credentials: unconfigured },
			),
		]),
		chainedWorkflow(WORKFLOW_IDS.returnAll, 'Queue: Return All', [
			webhook('Webhook', WEBHOOK.returnAll, 'allEntries'),
			coupaNode(
				'Coupa',
				{ resource: 'purchaseOrder', operation: 'getAll', returnAll: true, options: EXPORT_FIELDS },
				{ credentials: webhooks },
			),
		]),
		chainedWorkflow(WORKFLOW_IDS.write, 'Queue: create a supplier', [
			webhook('Webhook', WEBHOOK.write, 'firstEntryJson'),
			coupaNode(
				'Coupa',
				{
					resource: 'supplier',
					operation: 'create',
					jsonBody:
						"={{ JSON.stringify({ name: $json.body.name, 'invoice-matching-level': '3-way' }) }}",
				},
				{ credentials: webhooks },
			),
		]),
		// Three poll times a minute (each minute-granular, as n8n requires), so the test waits less.
		chainedWorkflow(WORKFLOW_IDS.trigger, 'Queue: new suppliers', [
			n8nNode(
				'Coupa Trigger',
				'n8n-nodes-coupa.coupaTrigger',
				1,
				{
					pollTimes: {
						item: ['0', '20', '40'].map((second) => ({
							mode: 'custom',
							cronExpression: `${second} * * * * *`,
						})),
					},
					resource: 'supplier',
					event: 'created',
					options: {},
				},
				{ credentials: trigger },
			),
		]),
	];
}

interface QueueN8n {
	base: string;
	rest<T>(route: string): Promise<T>;
}

/**
 * The main instance (which migrates the database), then the two workers; credentials and
 * workflows are created and published through the main instance's REST API, as in the editor.
 */
async function startN8nCluster(
	coupa: SimulatorProcess,
	redisPort: number,
	postgresPort: number,
): Promise<QueueN8n> {
	await installN8n();
	// The package is installed once per run in a folder kept between runs (deleting n8n-workflow's
	// thousands of files each time is slow), then linked into each process's user folder.
	const packages = path.join(CACHE, 'queue-packages');
	rmSync(path.join(packages, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-coupa'), {
		recursive: true,
		force: true,
	});
	await timed('pack and install the package', () => installPackedPackage(packages));
	const userFolderOf = (name: string) => {
		const folder = path.join(workDir, `n8n-${name}`);
		mkdirSync(path.join(folder, '.n8n'), { recursive: true });
		symlinkSync(path.join(packages, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'), 'dir');
		return folder;
	};
	const queueEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: 'postgres',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
	const mainLog = path.join(workDir, 'main.log');
	const mainEnv = await n8nEnv(userFolderOf('main'), queueEnv);
	const n8n = await timed('n8n start (main)', () => startN8n(mainEnv, { logFile: mainLog }));
	track({ name: 'main', child: n8n.process, logFile: mainLog, stopSignal: 'SIGTERM' });
	await coupa.register('main', n8n.process.pid);

	const startWorker = async (name: string) => {
		// A user folder of its own, as on another machine.
		const folder = userFolderOf(name);
		const env = await n8nEnv(folder, {
			...queueEnv,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		await coupa.register(
			name,
			launch(name, N8N_BIN, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], { env }).child.pid,
		);
		await waitFor(
			`n8n ${name} is ready`,
			() =>
				fetch(`http://127.0.0.1:${env.QUEUE_HEALTH_CHECK_PORT}/healthz/readiness`).then(
					(r) => r.ok,
					() => false,
				),
			180_000,
			1000,
		);
	};
	const publish = async () => {
		const scopes = [
			'core.common.read',
			'core.purchase_order.read',
			'core.supplier.read',
			'core.supplier.write',
		];
		const credentials: Array<[string, Record<string, unknown>]> = [
			['Coupa (webhooks)', { requestsPerSecond: SHARED_RATE }],
			['Coupa (trigger)', {}],
			// Another address of the same simulator: a limiter of its own in each process, as another instance.
			['Coupa (webhooks, default rate)', { url: coupa.url.replace('127.0.0.1', 'localhost') }],
		];
		const refs = await Promise.all(
			credentials.map(async ([name, settings]) => {
				const { type, data } = simulatorCredential(coupa, '', scopes);
				const { id } = await restCall<{ id: string }>(n8n, 'credentials', {
					method: 'POST',
					body: { name, type, data: { ...data, ...settings } },
				});
				return { coupaApi: { id, name } };
			}),
		);
		const callOut = await restCall<{ id: string }>(n8n, 'credentials', {
			method: 'POST',
			body: {
				name: CALL_OUT_CREDENTIAL.name,
				type: CALL_OUT_CREDENTIAL.type,
				data: CALL_OUT_CREDENTIAL.data,
			},
		});
		for (const workflow of [
			...workflows(refs[0], refs[1], refs[2]),
			callOutWorkflow({ coupaCallOutApi: { id: callOut.id, name: CALL_OUT_CREDENTIAL.name } }),
		]) {
			const { versionId } = await restCall<{ versionId: string }>(n8n, 'workflows', {
				method: 'POST',
				body: workflow,
			});
			await restCall(n8n, `workflows/${workflow.id}/activate`, {
				method: 'POST',
				body: { versionId },
			});
		}
	};
	await timed('start the workers; create and publish the workflows', () =>
		Promise.all([...WORKERS.map(startWorker), publish()]),
	);
	return { base: n8n.base, rest: (route) => restCall(n8n, route) };
}

/** Which worker ran each execution, from the workers' own logs. */
function executionsByWorker(): Map<string, string> {
	const byExecution = new Map<string, string>();
	for (const service of services.filter((s) => WORKERS.includes(s.name))) {
		for (const match of readFileSync(service.logFile, 'utf8').matchAll(
			/Worker started execution (\d+)/g,
		))
			byExecution.set(match[1], service.name);
	}
	return byExecution;
}

/** n8n keeps an execution's data as a "flatted" string (objects referenced by index). */
function unflatten(text: string): unknown {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(require.resolve('flatted', { paths: [N8N_PACKAGE] })) as {
		parse(text: string): unknown;
	};
	return flatted.parse(text);
}

type RunData = {
	resultData: {
		error?: { message: string };
		runData: Record<
			string,
			Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>
		>;
	};
};

// ---- the test -----------------------------------------------------------------------------------

async function main(): Promise<void> {
	console.log(
		`n8n ${N8N_VERSION} in queue mode: a main instance and ${WORKERS.length} workers, Coupa at ${LATENCY_MS} ms latency and 25 requests/s (burst 20)`,
	);
	mkdirSync(CACHE, { recursive: true });
	workDir = mkdtempSync(path.join(tmpdir(), 'coupa-queue-'));
	// Postgres, running as its own user, must reach its data folder inside.
	chmodSync(workDir, 0o755);

	const [redisPort, postgresPort, coupa] = await timed(
		'Redis, Postgres and the Coupa simulator',
		() => Promise.all([startRedis(), startPostgres(), startSimulator()]),
	);
	const n8n = await startN8nCluster(coupa, redisPort, postgresPort);

	// The trigger's first poll (at activation) sets its cursor; what Coupa gets afterwards is new.
	const isTriggerPoll = (r: { method: string; path: string }) =>
		r.method === 'GET' && r.path === '/api/suppliers';
	await waitFor(
		"the Coupa Trigger's first poll",
		async () => (await coupa.log()).some(isTriggerPoll),
		60_000,
	);
	await new Promise((resolve) => setTimeout(resolve, 2000));
	const created: number[] = [];
	for (let i = 1; i <= OUTSIDE_CREATES; i++) {
		const response = await fetch(`${coupa.control}/records/suppliers`, {
			method: 'POST',
			body: JSON.stringify({ name: `Created in Coupa ${i}`, status: 'active' }),
		});
		created.push(((await response.json()) as { id: number }).id);
	}

	// ---- the load: Return Alls and writes, fired at once ----
	const fromLog = (await coupa.log()).length;
	// A failed execution is reported by the checks below (with n8n's error), not thrown: the other
	// figures still tell what happened.
	const fire = async <T>(webhookPath: string, body: unknown): Promise<T | undefined> => {
		const response = await fetch(`${n8n.base}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(600_000),
		});
		const text = await response.text();
		return response.ok ? (JSON.parse(text) as T) : undefined;
	};
	const writeNames = Array.from({ length: WRITES }, (_, i) => `Queue supplier ${i + 1}`);
	const started = Date.now();
	const [reads, writes] = await timed(
		`${RETURN_ALLS} Return Alls of ${RECORDS} records and ${WRITES} creates over ${WORKERS.length} workers`,
		() =>
			Promise.all([
				Promise.all(
					Array.from({ length: RETURN_ALLS }, () =>
						fire<Array<{ id: number }>>(WEBHOOK.returnAll, {}),
					),
				),
				Promise.all(
					writeNames.map((name) => fire<{ id: number; name: string }>(WEBHOOK.write, { name })),
				),
			]),
	);
	const loadSeconds = (Date.now() - started) / 1000;
	const loadLog = (await coupa.log(fromLog)).filter(
		(r) => r.path.startsWith('/api/') && !isTriggerPoll(r),
	);

	const executionsOf = async (workflowId: string) =>
		(
			await n8n.rest<{ results: Array<{ id: string; status: string }> }>(
				`executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
			)
		).results;
	const runDataOf = async (executionId: string) =>
		unflatten((await n8n.rest<{ data: string }>(`executions/${executionId}`)).data) as RunData;
	const failures: string[] = [];
	for (const workflowId of [WORKFLOW_IDS.returnAll, WORKFLOW_IDS.write]) {
		for (const run of (await executionsOf(workflowId)).filter((e) => e.status !== 'success')) {
			failures.push(
				`execution ${run.id} (${workflowId}) ${run.status}: ${(await runDataOf(run.id)).resultData.error?.message ?? 'no error message'}`,
			);
		}
	}
	check(
		'every execution succeeded',
		failures.length === 0 && [...reads, ...writes].every(Boolean),
		failures.join('; '),
	);

	const expectedIds = (
		(await (await fetch(`${coupa.control}/records/purchase_orders`)).json()) as Array<{
			id: number;
		}>
	).map((r) => r.id);
	const expected = JSON.stringify(expectedIds);
	const readRecords = reads.map((records) => records ?? []);
	const complete = readRecords.filter(
		(records) => JSON.stringify(records.map((r) => r.id)) === expected,
	).length;
	const recordDuplicates = readRecords.reduce(
		(sum, records) => sum + records.length - new Set(records.map((r) => r.id)).size,
		0,
	);
	check(
		`every Return All read all ${RECORDS} records, in Coupa's order`,
		complete === RETURN_ALLS,
		`${complete} of ${RETURN_ALLS} complete; sizes ${readRecords.map((r) => r.length).join(', ')}`,
	);
	check(
		'no record read twice within an execution',
		recordDuplicates === 0,
		`${recordDuplicates} duplicates`,
	);

	const suppliers = (await (await fetch(`${coupa.control}/records/suppliers`)).json()) as Array<{
		id: number;
		name: string;
	}>;
	const copies = writeNames.map((name) => suppliers.filter((s) => s.name === name).length);
	const posts = loadLog.filter((r) => r.method === 'POST' && r.path === '/api/suppliers');
	const postsApplied = posts.filter((r) => r.status >= 200 && r.status < 300).length;
	check(
		'each write made exactly one supplier',
		copies.every((n) => n === 1) && postsApplied === WRITES,
		`copies ${copies.join(', ')}; ${postsApplied} POSTs applied, ${posts.length - postsApplied} refused (429) and retried`,
	);
	check(
		'each write answered with the supplier it made',
		writes.every((w, i) => w?.name === writeNames[i] && suppliers.some((s) => s.id === w.id)),
	);
	// The trigger must emit every supplier created, whether or not its write answered.
	created.push(...suppliers.filter((s) => writeNames.includes(s.name)).map((s) => s.id));

	const ranOn = executionsByWorker();
	const readRuns = await executionsOf(WORKFLOW_IDS.returnAll);
	const readWorkers = readRuns.map((e) => ranOn.get(e.id));
	check(
		`the ${RETURN_ALLS} Return Alls ran on both workers, none on the main instance`,
		readRuns.length === RETURN_ALLS &&
			WORKERS.every((w) => readWorkers.includes(w)) &&
			readWorkers.every(Boolean),
		readWorkers.join(', '),
	);

	// ---- the trigger: polled by the main instance, each new supplier emitted once ----
	const emitted = new Map<number, number>();
	let triggerRuns: Array<{ id: string }> = [];
	await timed('the trigger emits the new suppliers', () =>
		waitFor(
			'the Coupa Trigger emits all new suppliers',
			async () => {
				triggerRuns = (await executionsOf(WORKFLOW_IDS.trigger)).filter(
					(e) => e.status === 'success',
				);
				emitted.clear();
				for (const run of triggerRuns) {
					const data = await runDataOf(run.id);
					for (const item of data.resultData.runData['Coupa Trigger']?.[0]?.data?.main[0] ?? []) {
						const id = Number(item.json.id);
						emitted.set(id, (emitted.get(id) ?? 0) + 1);
					}
				}
				return created.every((id) => emitted.has(id));
			},
			180_000,
			5000,
		),
	);
	// One more poll after the last emission must emit nothing again.
	const pollsBefore = (await coupa.log()).filter(isTriggerPoll).length;
	await waitFor(
		'one more trigger poll',
		async () => (await coupa.log()).filter(isTriggerPoll).length > pollsBefore,
		60_000,
		1000,
	);
	await new Promise((resolve) => setTimeout(resolve, 5000));
	const finalRuns = (await executionsOf(WORKFLOW_IDS.trigger)).length;
	const emittedTwice = [...emitted].filter(([, n]) => n > 1).length;
	const unexpected = [...emitted.keys()].filter((id) => !created.includes(id));
	check(
		'the trigger emitted each new supplier exactly once, and nothing else',
		emittedTwice === 0 && unexpected.length === 0 && finalRuns === triggerRuns.length,
		`${emitted.size} emitted in ${triggerRuns.length} executions; twice: ${emittedTwice}; unexpected: ${unexpected.join(', ') || 'none'}`,
	);
	const polls = (await coupa.log()).filter(isTriggerPoll);
	const pollers = [...new Set(polls.map((r) => r.process ?? 'unknown'))];
	check(
		'only the main instance polled Coupa for the trigger',
		pollers.length === 1 && pollers[0] === 'main',
		`${polls.length} polls by ${pollers.join(', ')}`,
	);

	// ---- the same reads with the credential's default rate on each worker: the adaptive limiter alone ----
	const unconfiguredFrom = (await coupa.log()).length;
	const unconfiguredStarted = Date.now();
	const unconfiguredReads = await timed(
		`${RETURN_ALLS} Return Alls at the default rate (24/s on each worker)`,
		() =>
			Promise.all(
				Array.from({ length: RETURN_ALLS }, () =>
					fire<Array<{ id: number }>>(WEBHOOK.unconfigured, {}),
				),
			),
	);
	const unconfiguredSeconds = (Date.now() - unconfiguredStarted) / 1000;
	const unconfiguredLog = (await coupa.log(unconfiguredFrom)).filter(
		(r) => r.path.startsWith('/api/') && !isTriggerPoll(r),
	);
	const unconfiguredComplete = unconfiguredReads.filter(
		(records) => JSON.stringify((records ?? []).map((r) => r.id)) === expected,
	).length;
	check(
		`at the default rate too, every Return All read all ${RECORDS} records in order`,
		unconfiguredComplete === RETURN_ALLS,
		`${unconfiguredComplete} of ${RETURN_ALLS} complete`,
	);

	// ---- figures ----
	const all = await coupa.log();
	const tokenRequests = all.filter((r) => r.method === 'POST' && r.path === '/oauth2/token');
	const unconfiguredStart = Math.min(...unconfiguredLog.map((r) => r.at));
	const rates = (log: typeof loadLog) => {
		const rateLimited = log.filter((r) => r.status === 429).length;
		const window = (Math.max(...log.map((r) => r.at)) - Math.min(...log.map((r) => r.at))) / 1000;
		const perSecond = log.filter((r) => r.status !== 429).length / window;
		return {
			requests: {
				total: log.length,
				byProcess: count(log),
				answered429: rateLimited,
				percent429: round((rateLimited / log.length) * 100),
			},
			combinedRatePerSecond: round(perSecond),
			percentOfCoupaLimit: round((perSecond / COUPA_LIMIT_PER_SECOND) * 100),
		};
	};
	const count = (list: Array<{ process?: string }>) =>
		tally(list.map((r) => r.process ?? 'unknown'));
	const shared = rates(loadLog);
	const unconfigured = rates(unconfiguredLog);
	const summary = {
		n8n: N8N_VERSION,
		workers: WORKERS.length,
		workerConcurrency: WORKER_CONCURRENCY,
		latencyMs: LATENCY_MS,
		requestsPerSecondPerWorker: SHARED_RATE,
		executions: {
			returnAll: RETURN_ALLS,
			write: WRITES,
			failed: failures.length,
			trigger: triggerRuns.length,
			byWorker: tally([...ranOn.values()]),
		},
		records: {
			perReturnAll: RECORDS,
			read: readRecords.reduce((sum, r) => sum + r.length, 0),
			complete,
			missing:
				RETURN_ALLS * RECORDS -
				readRecords.reduce((sum, r) => sum + new Set(r.map((x) => x.id)).size, 0),
		},
		tokenRequests: { total: tokenRequests.length, byProcess: count(tokenRequests) },
		...shared,
		loadSeconds: round(loadSeconds),
		duplicates: {
			records: recordDuplicates,
			writes: copies.reduce((sum, n) => sum + n - 1, 0),
			triggerEmissions: emittedTwice,
		},
		trigger: { polls: polls.length, byProcess: count(polls), emitted: emitted.size },
		atDefaultRate: {
			requestsPerSecondPerWorker: 24,
			complete: unconfiguredComplete,
			...unconfigured,
			loadSeconds: round(unconfiguredSeconds),
		},
	};
	// The target is one sign-in per credential. n8n keeps the token in the credential, in the
	// database all processes read, so an execution starting after a token was stored reuses it;
	// executions starting before that (on either worker, which share no memory) each sign in. What
	// must hold: the trigger's credential signs in once, and nobody signs in again mid-run.
	const tokensBy = summary.tokenRequests.byProcess;
	const loadStart = Math.min(...loadLog.map((r) => r.at));
	const workerTokens = tokenRequests.filter((r) => WORKERS.includes(r.process ?? ''));
	const firstTokens = workerTokens.filter((r) => r.at < unconfiguredStart - 5000);
	const secondTokens = workerTokens.filter((r) => r.at >= unconfiguredStart - 5000);
	check(
		"sign-in: the trigger's credential once (main); each webhook credential only as its first executions start, never again",
		(tokensBy.main ?? 0) === 1 &&
			workerTokens.length === tokenRequests.length - 1 &&
			firstTokens.length >= 1 &&
			firstTokens.every((r) => r.at < loadStart + 2000) &&
			secondTokens.length >= 1 &&
			secondTokens.every((r) => r.at < unconfiguredStart + 2000) &&
			![...loadLog, ...unconfiguredLog].some((r) => r.status === 401),
		`${JSON.stringify(tokensBy)}; target 1 per credential`,
	);
	// With the rate shared as docs/running-at-scale.md advises, the workers stay under Coupa's limit together.
	check(
		'at most 2% of requests answered 429 across the workers',
		shared.requests.percent429 <= 2,
		`${shared.requests.answered429} of ${shared.requests.total} (${shared.requests.percent429}%) at ${SHARED_RATE}/s per worker`,
	);
	// A figure: the workers' CPU (n8n's work on each finished execution) can hold it down on a small machine.
	target(
		"the workers together read at >= 80% of Coupa's 25/s",
		shared.percentOfCoupaLimit >= 80,
		`${shared.combinedRatePerSecond}/s`,
	);
	// Left at the default rate, each worker backs off on its own first 429s: a figure, not a guarantee.
	target(
		'at the default rate, at most 2% of requests answered 429',
		unconfigured.requests.percent429 <= 2,
		`${unconfigured.requests.answered429} of ${unconfigured.requests.total} (${unconfigured.requests.percent429}%)`,
	);
	target(
		"at the default rate, the workers together read at >= 80% of Coupa's 25/s",
		unconfigured.percentOfCoupaLimit >= 80,
		`${unconfigured.combinedRatePerSecond}/s`,
	);

	await callOutChecks(n8n);

	const summaryFile = path.join(CACHE, 'queue-summary.json');
	writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
	// Every request Coupa received (no headers, no sign-in bodies), to study a run afterwards.
	writeFileSync(
		path.join(CACHE, 'queue-requests.json'),
		JSON.stringify(all.map(({ body: _body, ...r }) => r)),
	);
	console.log(
		`\nqueue-mode figures (${path.relative(ROOT, summaryFile)}):\n${JSON.stringify(summary, null, 2)}`,
	);
}

/**
 * A Coupa call out in queue mode: the token from the main instance's Token URL, the call with it,
 * the run on a worker, and the worker's answer read by Coupa; a call without a token refused.
 */
async function callOutChecks(n8n: QueueN8n): Promise<void> {
	const endpoint = {
		tokenUrl: `${n8n.base}/webhook/${CALL_OUT_WEBHOOK_ID}/token`,
		url: `${n8n.base}/webhook/${CALL_OUT_WEBHOOK_ID}/callout`,
		...CALL_OUT_CREDENTIAL.data,
	};
	const document = {
		id: 7001,
		'updated-at': '2026-01-05T09:30:00-08:00',
		status: 'pending_approval',
		total: 12.5,
		'requested-by': { id: 3, login: 'queue' },
	};
	const accepted = await sendCallOut(endpoint, document, {
		format: 'xml',
		objectType: 'requisition-header',
	});
	console.log(
		`     call out in queue mode: token ${accepted.token?.status ?? 'none'}, call -> ${accepted.call?.status ?? 'no answer'} ${accepted.call?.body.slice(0, 200) ?? accepted.error ?? ''}`,
	);
	const runs = await n8n.rest<{ results: Array<{ id: string; status: string }> }>(
		`executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_IDS.callOut }))}`,
	);
	const worker = runs.results[0] ? executionsByWorker().get(runs.results[0].id) : undefined;
	check(
		"queue mode: a call out with its token exchange runs once, on a worker, and Coupa reads the worker's answer",
		accepted.call?.status === 200 &&
			responseVariable(accepted.call, 'external-id') === 'EXT-7001' &&
			runs.results.length === 1 &&
			!!worker,
		`execution ${runs.results[0]?.id ?? 'none'} on ${worker ?? 'no worker'}`,
	);
	const refused = await sendCallOut(endpoint, document, {
		format: 'json',
		objectType: 'requisition-header',
		token: null,
	});
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const after = await n8n.rest<{ results: unknown[] }>(
		`executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_IDS.callOut }))}`,
	);
	check(
		'queue mode: a call out without a token gets 401 and starts nothing',
		refused.call?.status === 401 && after.results.length === 1,
		`${refused.call?.status ?? 'no answer'} ${refused.call?.body.slice(0, 120) ?? ''}`,
	);
}

/** How many times each name occurs. */
function tally(names: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
	return counts;
}

const round = (n: number) => Math.round(n * 10) / 10;

let cleaning: Promise<void> | undefined;
async function cleanUp(): Promise<void> {
	cleaning ??= (async () => {
		await stopAll();
		// All stopped: scripts/queue-test must not signal these pids, which the system may reuse.
		if (process.env.QUEUE_PID_FILE) writeFileSync(process.env.QUEUE_PID_FILE, '');
		if (workDir) rmSync(workDir, { recursive: true, force: true });
	})();
	await cleaning;
}

/** However the test goes, it ends: a stuck process fails it instead of hanging CI. */
const DEADLINE_MS = 20 * 60 * 1000;
setTimeout(() => {
	console.error(`\nqueue-mode test failed: not finished within ${DEADLINE_MS / 60_000} minutes`);
	printLogTails();
	void cleanUp().finally(() => process.exit(1));
}, DEADLINE_MS).unref();

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		console.error(`\n${signal}: stopping every process of the test`);
		void cleanUp().finally(() => process.exit(1));
	});
}

main()
	.then(async () => {
		if (failedChecks() > 0) printLogTails();
		await cleanUp();
		finish('queue-mode');
	})
	.catch(async (error: unknown) => {
		console.error(
			`\nqueue-mode test failed: ${error instanceof Error ? error.message : String(error)}`,
		);
		printLogTails();
		await cleanUp();
		process.exit(1);
	});
