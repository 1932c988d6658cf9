/**
 * End to end in a real n8n (`npm run test:e2e`): the packed package installed as n8n installs
 * community packages, a credential and workflows imported with n8n's CLI, workflows run with
 * `n8n execute`, and the credential test endpoint of a running `n8n start` called as the Test
 * connection button does. Coupa is the bundled simulator, in this process, so its log can be read.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { CoupaSimulator, DEFAULT_CLIENT } from '../test/coupa-simulator';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const N8N_VERSION = '2.41.1';
const CACHE = path.join(ROOT, '.e2e-cache');
const N8N_DIR = path.join(CACHE, 'n8n');
const N8N_BIN = path.join(N8N_DIR, 'node_modules', '.bin', 'n8n');

let failures = 0;
function check(what: string, ok: boolean, detail = ''): void {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
	if (!ok) failures++;
}

async function timed<T>(label: string, work: () => T | Promise<T>): Promise<T> {
	const started = Date.now();
	const result = await work();
	console.log(`     ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/** n8n from the npm registry, cached between runs; its Kafka client's native download is skipped. */
async function installN8n(): Promise<void> {
	if (existsSync(N8N_BIN)) return;
	mkdirSync(N8N_DIR, { recursive: true });
	writeFileSync(path.join(N8N_DIR, 'package.json'), '{"name":"n8n-e2e","private":true}');
	const npm = (...args: string[]) => execFileSync('npm', args, { cwd: N8N_DIR, stdio: 'inherit' });
	await timed('install n8n', () => {
		npm('install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`);
		npm('rebuild', 'sqlite3', 'isolated-vm');
	});
}

async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

function n8nEnv(userFolder: string, port: number): NodeJS.ProcessEnv {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-a-secret',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_LOG_LEVEL: 'warn',
		DB_TYPE: 'sqlite',
	};
}

/** `npm pack`, then installed into `<user folder>/.n8n/nodes` as n8n's community package installer does. */
function installPackage(userFolder: string): void {
	const tarballs = path.join(CACHE, 'pack');
	rmSync(tarballs, { recursive: true, force: true });
	mkdirSync(tarballs, { recursive: true });
	execFileSync('npm', ['pack', '--pack-destination', tarballs], { cwd: ROOT, stdio: 'ignore' });
	const tarball = path.join(tarballs, readdirSync(tarballs).find((f) => f.endsWith('.tgz')) as string);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(path.join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}');
	// The flags n8n's community package installer uses.
	execFileSync('npm', ['install', tarball, '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: nodesDir, stdio: 'ignore' });
}

/** Runs the n8n CLI without blocking this process: the simulator here must keep answering it. */
async function n8n(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
	const { stdout, stderr } = await execFileAsync(N8N_BIN, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	return `${stdout}\n${stderr}`;
}

/** `--rawOutput` prints a few log lines before the run's JSON. */
function parseRun(output: string): { data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> } } } {
	const start = output.indexOf('\n{');
	try {
		return JSON.parse(output.slice(start >= 0 ? start + 1 : output.indexOf('{')));
	} catch {
		throw new Error(`n8n execute printed no run data:\n${output.slice(0, 2000)}`);
	}
}

const coupaNode = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: randomBytes(8).toString('hex'),
	name,
	type: 'n8n-nodes-coupa.coupa',
	typeVersion: 1,
	position: [300, 0],
	parameters,
	credentials: { coupaApi: { id: 'coupa-e2e', name: 'Coupa (simulator)' } },
	...extra,
});

function workflow(id: string, name: string, ...nodes: Array<Record<string, unknown>>) {
	const trigger = { id: randomBytes(8).toString('hex'), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const all = [trigger, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name as string] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

async function main(): Promise<void> {
	await installN8n();
	const coupa = await CoupaSimulator.start();
	const userFolder = mkdtempSync(path.join(CACHE, 'user-'));
	const port = await freePort();
	const env = n8nEnv(userFolder, port);
	try {
		await timed('pack and install the package', () => installPackage(userFolder));

		const credential = {
			id: 'coupa-e2e',
			name: 'Coupa (simulator)',
			type: 'coupaApi',
			data: { url: coupa.url, authType: 'oAuth2ClientCredentials', clientId: DEFAULT_CLIENT.id, clientSecret: DEFAULT_CLIENT.secret, scope: 'core.common.read core.purchase_order.read core.purchase_order.write core.supplier.read core.supplier.write core.invoice.read' },
		};
		const files = path.join(userFolder, 'import');
		mkdirSync(files);
		writeFileSync(path.join(files, 'credentials.json'), JSON.stringify([credential]));
		const workflows = [
			workflow('e2eReturnAll0001', 'Return All', coupaNode('Coupa', { resource: 'purchaseOrder', operation: 'getAll', returnAll: true })),
			workflow('e2eFiltered00002', 'Filtered read', coupaNode('Coupa', { resource: 'supplier', operation: 'getAll', returnAll: true, filters: { conditions: [{ field: 'status', operator: 'eq', value: 'inactive' }] } })),
			workflow('e2eCreate0000003', 'Create', coupaNode('Coupa', { resource: 'supplier', operation: 'create', name: 'Created In Real n8n' })),
			workflow('e2eAction0000004', 'PO action', coupaNode('Coupa', { resource: 'purchaseOrder', operation: 'issue', id: '4' })),
			workflow(
				'e2eExported00005',
				'Mark exported loop',
				coupaNode('Unexported', { resource: 'purchaseOrder', operation: 'getAll', returnAll: true, filters: { conditions: [{ field: 'exported', operator: 'eq', value: 'false' }, { field: 'status', operator: 'eq', value: 'issued' }] } }),
				{ ...coupaNode('Mark', { resource: 'purchaseOrder', operation: 'markExported', id: '={{ $json.id }}' }), position: [600, 0] },
			),
			workflow('e2eContinue00006', 'Continue on fail', coupaNode('Coupa', { resource: 'invoice', operation: 'get', id: '99999' }, { onError: 'continueRegularOutput' })),
		];
		writeFileSync(path.join(files, 'workflows.json'), JSON.stringify(workflows));
		await timed('import credential and workflows', async () => {
			await n8n(env, 'import:credentials', `--input=${path.join(files, 'credentials.json')}`);
			await n8n(env, 'import:workflow', `--input=${path.join(files, 'workflows.json')}`);
		});

		const execute = async (id: string) => {
			coupa.clearLog();
			return await timed(`execute ${id}`, async () => parseRun(await n8n(env, 'execute', `--id=${id}`, '--rawOutput')));
		};
		const output = (run: ReturnType<typeof parseRun>, node: string) => run.data.resultData.runData[node]?.[0]?.data?.main[0]?.map((item) => item.json) ?? [];

		const all = await execute('e2eReturnAll0001');
		check('Return All reads every purchase order, 50 a call', output(all, 'Coupa').length === 137 && coupa.apiRequests().length === 3, `${output(all, 'Coupa').length} records, ${coupa.apiRequests().length} calls`);

		const filtered = await execute('e2eFiltered00002');
		const inactive = coupa.records('suppliers').filter((r) => r.status === 'inactive').map((r) => r.id);
		check('a filtered read returns what Coupa selects', JSON.stringify(output(filtered, 'Coupa').map((r) => r.id)) === JSON.stringify(inactive) && coupa.apiRequests()[0].query.status === 'inactive');

		await execute('e2eCreate0000003');
		check('a create makes one supplier', coupa.records('suppliers').filter((r) => r.name === 'Created In Real n8n').length === 1 && coupa.apiRequests().filter((r) => r.method === 'POST').length === 1);

		const issued = await execute('e2eAction0000004');
		check('a PO action issues the draft PO', output(issued, 'Coupa')[0]?.status === 'issued' && coupa.record('purchase_orders', 4)?.status === 'issued');

		const wanted = coupa.records('purchase_orders').filter((r) => r.exported === false && r.status === 'issued').length;
		const marked = await execute('e2eExported00005');
		check('the mark-exported loop marks each unexported PO', output(marked, 'Mark').length === wanted && wanted > 0 && output(marked, 'Mark').every((r) => r.exported === true), `${wanted} POs`);

		const failed = await execute('e2eContinue00006');
		const errorItem = output(failed, 'Coupa')[0];
		check('Continue on fail turns the 404 into an output item', typeof errorItem?.error === 'string' && String(errorItem.error).includes('404'), String(errorItem?.error));

		await credentialTestEndpoint(env, port, credential);
	} finally {
		await coupa.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	console.log(failures ? `\n${failures} e2e check(s) failed` : '\nall e2e checks passed');
	process.exit(failures ? 1 : 0);
}

/** `n8n start`, an owner account, then POST /rest/credentials/test as the Test connection button does. */
async function credentialTestEndpoint(env: NodeJS.ProcessEnv, port: number, credential: { id: string; name: string; type: string; data: Record<string, unknown> }): Promise<void> {
	const server = spawn(N8N_BIN, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const base = `http://127.0.0.1:${port}`;
	try {
		const started = Date.now();
		for (;;) {
			const healthy = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
			if (healthy) break;
			if (Date.now() - started > 120_000) throw new Error('n8n start did not answer within 2 minutes');
			await new Promise((r) => setTimeout(r, 1000));
		}
		const owner = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-password-123' };
		const setup = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
		let cookie = setup.headers.get('set-cookie')?.split(';')[0] ?? '';
		if (!cookie) {
			const login = await fetch(`${base}/rest/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }) });
			cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
		}
		const test = async (data: Record<string, unknown>) => {
			const response = await fetch(`${base}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie, 'browser-id': 'e2e' },
				body: JSON.stringify({ credentials: { ...credential, data } }),
			});
			const body = (await response.json()) as { data?: { status: string; message: string } };
			return body.data ?? { status: `HTTP ${response.status}`, message: JSON.stringify(body) };
		};
		const good = await test(credential.data);
		check('Test connection succeeds for a good credential', good.status === 'OK', good.message);
		const bad = await test({ ...credential.data, clientSecret: 'wrong-secret-E2E' });
		check('Test connection names invalid_client for a wrong secret', bad.status === 'Error' && bad.message.includes('invalid_client') && !bad.message.includes('wrong-secret-E2E'), bad.message);
	} finally {
		server.kill('SIGTERM');
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
