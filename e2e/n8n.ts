/**
 * A real n8n for the end-to-end suite, the editor test and `npm run dev`: installed once from the
 * npm registry into .e2e-cache/, a user folder with this package installed in it, the CLI, and a
 * running `n8n start` with an owner signed in.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
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
import { createServer } from 'node:net';
import path from 'node:path';

import type { CoupaSimulator } from '../test/coupa-simulator';
import { DEFAULT_CLIENT } from '../test/coupa-simulator';

const engines = require('../scripts/engines') as {
	ENGINES: Record<string, { n8n: string; current?: boolean }>;
	OVERRIDES: Record<string, string>;
	engine(name: string): { n8n: string };
};

export const ROOT = path.resolve(__dirname, '..');
/** The n8n release under test: COUPA_ENGINE names one of scripts/engines.js, the current one by default. */
export const ENGINE =
	process.env.COUPA_ENGINE ??
	(Object.keys(engines.ENGINES).find((name) => engines.ENGINES[name].current) as string);
export const N8N_VERSION = engines.engine(ENGINE).n8n;
const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
export const CACHE = path.join(ROOT, '.e2e-cache');
const N8N_DIR = path.join(CACHE, `n8n-${N8N_VERSION}`);
export const N8N_BIN = path.join(N8N_DIR, 'node_modules', '.bin', 'n8n');
/** The installed `n8n` package itself (its server side: credentials helper, credential tester). */
export const N8N_PACKAGE = path.join(N8N_DIR, 'node_modules', 'n8n');
/** Written only after n8n installed and its native parts load, so a broken install is redone. */
const INSTALLED_MARK = path.join(N8N_DIR, `installed-${N8N_VERSION}`);

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Coupa',
	lastName: 'Tester',
	password: 'Coupa-n8n-2026',
};

let failures = 0;

/** One check of an e2e suite, printed as it is made. */
export function check(what: string, ok: boolean, detail = ''): void {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
	if (!ok) failures++;
}

export const failedChecks = (): number => failures;

/** Prints the suite's verdict and exits with it. */
export function finish(suite: string): never {
	console.log(failures ? `\n${failures} ${suite} check(s) failed` : `\nall ${suite} checks passed`);
	process.exit(failures ? 1 : 0);
}

export async function timed<T>(label: string, work: () => T | Promise<T>): Promise<T> {
	const started = Date.now();
	const result = await work();
	console.log(`     ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/**
 * n8n from the npm registry, cached between runs. Its Kafka client's native part downloads a
 * binary from outside the registry, so install scripts are skipped and only the native modules
 * n8n needs are built (the project's .npmrc turns scripts off; the rebuild turns them on). n8n 1.x
 * gets the same stand-in for its off-registry xlsx as the jest engines (scripts/engines.js).
 */
export async function installN8n(): Promise<void> {
	if (existsSync(INSTALLED_MARK)) return;
	rmSync(N8N_DIR, { recursive: true, force: true });
	mkdirSync(N8N_DIR, { recursive: true });
	writeFileSync(
		path.join(N8N_DIR, 'package.json'),
		JSON.stringify({ name: 'n8n-e2e', private: true, overrides: engines.OVERRIDES }),
	);
	const npm = (...args: string[]) => execFileSync('npm', args, { cwd: N8N_DIR, stdio: 'inherit' });
	await timed(`install n8n ${N8N_VERSION}`, () => {
		npm('install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`);
		// isolated-vm only from n8n 2.x on.
		const native = ['sqlite3', 'isolated-vm'].filter((name) =>
			existsSync(path.join(N8N_DIR, 'node_modules', name)),
		);
		npm('rebuild', '--ignore-scripts=false', ...native);
		execFileSync(process.execPath, ['-e', native.map((name) => `require('${name}');`).join(' ')], {
			cwd: N8N_DIR,
			stdio: 'inherit',
		});
	});
	writeFileSync(INSTALLED_MARK, new Date().toISOString());
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** n8n's settings for a test instance: its own folder, free ports (the editor's and the task broker's). */
export async function n8nEnv(
	userFolder: string,
	extra: NodeJS.ProcessEnv = {},
): Promise<NodeJS.ProcessEnv> {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-a-secret',
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		// `n8n execute` prints its run data through the logger at info level.
		N8N_LOG_LEVEL: 'info',
		DB_TYPE: 'sqlite',
		...extra,
	};
}

/**
 * `npm pack`, then installed into `<user folder>/.n8n/nodes` as n8n's community package installer
 * does (CommunityPackagesService.downloadPackage, n8n 1.1xx and 2.x): the tarball unpacked into
 * node_modules/<name>, its package.json stripped of dev, peer and optional dependencies, `npm install`
 * in it with n8n's flags, and the package recorded as a dependency of the nodes folder. Without the
 * peer dependency, the package's `require('n8n-workflow')` finds the running n8n's own.
 */
export function installPackedPackage(userFolder: string): string {
	const tarballs = path.join(CACHE, 'pack');
	rmSync(tarballs, { recursive: true, force: true });
	mkdirSync(tarballs, { recursive: true });
	execFileSync('npm', ['pack', '--pack-destination', tarballs], { cwd: ROOT, stdio: 'ignore' });
	const tarball = path.join(
		tarballs,
		readdirSync(tarballs).find((f) => f.endsWith('.tgz')) as string,
	);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const { name } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		name: string;
	};
	const packageDir = path.join(nodesDir, 'node_modules', name);
	mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
	) as Record<string, unknown> & { name: string; version: string };
	writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(packageJson, null, 2));
	execFileSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir, stdio: 'ignore' },
	);
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({
			name: 'installed-nodes',
			private: true,
			dependencies: { [packageJson.name]: packageJson.version },
		}),
	);
	return tarball;
}

/**
 * The working tree linked where n8n finds community packages, so the node keeps its real type
 * (`n8n-nodes-coupa.coupa`) and a rebuild of dist/ shows after n8n's reload. (Not `.n8n/custom`:
 * n8n globs that folder through the link into node_modules/ and this folder itself.)
 */
export function linkWorkingTree(userFolder: string): void {
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	mkdirSync(modules, { recursive: true });
	const link = path.join(modules, 'n8n-nodes-coupa');
	rmSync(link, { recursive: true, force: true });
	symlinkSync(ROOT, link, 'dir');
}

/**
 * Runs the n8n CLI without blocking this process (a simulator in this process must keep answering).
 * Its output goes to a file, not a pipe: Node writes to files synchronously, so nothing n8n prints
 * just before it exits is lost.
 */
export async function n8nCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
	mkdirSync(CACHE, { recursive: true });
	const file = path.join(CACHE, `cli-${process.pid}-${Date.now()}.log`);
	const fd = openSync(file, 'w');
	try {
		const code = await new Promise<number | string | null>((resolve, reject) => {
			const child = spawn(N8N_BIN, args, { env, stdio: ['ignore', fd, fd] });
			child.once('error', reject);
			child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal));
		});
		const output = readFileSync(file, 'utf8');
		if (code !== 0) throw new Error(`n8n ${args[0]} exited with ${code}:\n${output.slice(-3000)}`);
		return output;
	} finally {
		closeSync(fd);
		rmSync(file, { force: true });
	}
}

export const CREDENTIAL_REF = { coupaApi: { id: 'coupa-e2e', name: 'Coupa (simulator)' } };

/** A node of a workflow as n8n imports it. */
export function n8nNode(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Record<string, unknown>,
	extra: Record<string, unknown> = {},
) {
	return {
		id: randomBytes(8).toString('hex'),
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
		...extra,
	};
}

/** A Coupa node signed in with the e2e credential. */
export function coupaNode(
	name: string,
	parameters: Record<string, unknown>,
	extra: Record<string, unknown> = {},
) {
	return n8nNode(name, 'n8n-nodes-coupa.coupa', 1, parameters, {
		credentials: CREDENTIAL_REF,
		...extra,
	});
}

/** A workflow running its nodes one after another, the first being its trigger. */
export function chainedWorkflow(id: string, name: string, nodes: Array<Record<string, unknown>>) {
	const connections: Record<string, unknown> = {};
	nodes.forEach((node, i) => {
		node.position = [i * 300, 0];
		if (i > 0)
			connections[nodes[i - 1].name as string] = {
				main: [[{ node: node.name, type: 'main', index: 0 }]],
			};
	});
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A `coupaApi` credential, as n8n imports it, signed in to the simulator with the given scopes. */
export function simulatorCredential(
	coupa: Pick<CoupaSimulator, 'url'>,
	id: string,
	scopes: string[],
) {
	return {
		id,
		name: 'Coupa (simulator)',
		type: 'coupaApi',
		data: {
			url: coupa.url,
			authType: 'oAuth2ClientCredentials',
			clientId: DEFAULT_CLIENT.id,
			clientSecret: DEFAULT_CLIENT.secret,
			scope: scopes.join(' '),
		},
	};
}

/** n8n installed, a fresh user folder in the cache with the packed package installed in it. */
export async function n8nWithPackedPackage(
	folderPrefix: string,
): Promise<{ userFolder: string; env: NodeJS.ProcessEnv }> {
	await installN8n();
	mkdirSync(CACHE, { recursive: true });
	const userFolder = mkdtempSync(path.join(CACHE, folderPrefix));
	const env = await n8nEnv(userFolder);
	await timed('pack and install the package', () => installPackedPackage(userFolder));
	return { userFolder, env };
}

/** Publishes (activates) a workflow with n8n's CLI: n8n 1.x calls it `update:workflow --active=true`. */
export async function activateWorkflow(env: NodeJS.ProcessEnv, id: string): Promise<void> {
	if (N8N_MAJOR >= 2) await n8nCli(env, 'publish:workflow', `--id=${id}`);
	else await n8nCli(env, 'update:workflow', `--id=${id}`, '--active=true');
}

/** Writes credentials and workflows to files and imports them with n8n's CLI. */
export async function importIntoN8n(
	env: NodeJS.ProcessEnv,
	userFolder: string,
	credentials: unknown[],
	workflows: unknown[],
): Promise<void> {
	const files = path.join(userFolder, 'import');
	mkdirSync(files, { recursive: true });
	writeFileSync(path.join(files, 'credentials.json'), JSON.stringify(credentials));
	writeFileSync(path.join(files, 'workflows.json'), JSON.stringify(workflows));
	await n8nCli(env, 'import:credentials', `--input=${path.join(files, 'credentials.json')}`);
	await n8nCli(env, 'import:workflow', `--input=${path.join(files, 'workflows.json')}`);
}

export interface RunningN8n {
	base: string;
	process: ChildProcess;
	/** The owner's session cookie, for REST calls and the browser. */
	cookie: string;
	stop(): Promise<void>;
}

/** A call to n8n's REST API as the signed-in owner, answering its `data`. */
export async function restCall<T>(
	n8n: Pick<RunningN8n, 'base' | 'cookie'>,
	route: string,
	init: { method?: string; body?: unknown } = {},
): Promise<T> {
	const method = init.method ?? 'GET';
	const response = await fetch(`${n8n.base}/rest/${route}`, {
		method,
		headers: { 'content-type': 'application/json', cookie: n8n.cookie, 'browser-id': 'e2e' },
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`${method} /rest/${route} answered ${response.status}: ${text.slice(0, 500)}`);
	return (JSON.parse(text) as { data: T }).data;
}

/**
 * `n8n start`, waited for, with the owner account set up (or signed in, on a second start). Its
 * output is kept (the last part, for errors), shown (`inheritOutput`) or written to `logFile`.
 */
export async function startN8n(
	env: NodeJS.ProcessEnv,
	options: { inheritOutput?: boolean; logFile?: string } = {},
): Promise<RunningN8n> {
	const logFd = options.logFile ? openSync(options.logFile, 'a') : undefined;
	const destination = logFd ?? (options.inheritOutput ? 'inherit' : 'pipe');
	const child = spawn(N8N_BIN, ['start'], { env, stdio: ['ignore', destination, destination] });
	if (logFd !== undefined) closeSync(logFd);
	let piped = '';
	child.stdout?.on('data', (chunk: Buffer) => (piped = (piped + chunk.toString()).slice(-4000)));
	child.stderr?.on('data', (chunk: Buffer) => (piped = (piped + chunk.toString()).slice(-4000)));
	const output = () =>
		options.logFile ? readFileSync(options.logFile, 'utf8').slice(-4000) : piped;
	const base = `http://127.0.0.1:${env.N8N_PORT}`;
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	};
	try {
		const started = Date.now();
		for (;;) {
			if (child.exitCode !== null)
				throw new Error(`n8n start exited with ${child.exitCode}:\n${output()}`);
			// n8n 1.x reports ready a few seconds before its REST routes answer.
			const answers = async (route: string) =>
				await fetch(`${base}${route}`).then(
					(r) => r.ok,
					() => false,
				);
			const healthy = (await answers('/healthz/readiness')) && (await answers('/rest/settings'));
			if (healthy) break;
			if (Date.now() - started > 180_000)
				throw new Error(`n8n start did not answer within 3 minutes:\n${output()}`);
			await new Promise((r) => setTimeout(r, 1000));
		}
		const json = { 'content-type': 'application/json' };
		const setup = await fetch(`${base}/rest/owner/setup`, {
			method: 'POST',
			headers: json,
			body: JSON.stringify(OWNER),
		});
		let cookie = setup.ok ? (setup.headers.get('set-cookie')?.split(';')[0] ?? '') : '';
		if (!cookie) {
			const login = await fetch(`${base}/rest/login`, {
				method: 'POST',
				headers: json,
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
		}
		if (!cookie) throw new Error('could not set up or sign in the n8n owner');
		return { base, process: child, cookie, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
