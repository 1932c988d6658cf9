/**
 * The contributor's loop (`./dev dev`): TypeScript in watch mode, the Coupa simulator, and a real
 * n8n editor on http://localhost:5678 with this working tree loaded (linked in as an installed community package)
 * and a ready "Coupa (simulator)" credential, so the node works in the editor with no
 * Coupa account. n8n (N8N_DEV_RELOAD) reloads the node when dist/ changes; n8n 2.41.1 then fails to
 * push the news to the open editor, so a page refresh shows it.
 */
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { ALL_SCOPES, CoupaSimulator, DEFAULT_CLIENT } from '../test/coupa-simulator';
import {
	importIntoN8n,
	installN8n,
	linkWorkingTree,
	n8nEnv,
	OWNER,
	ROOT,
	simulatorCredential,
	startN8n,
} from '../e2e/n8n';

// Outside the working tree: n8n watches the linked package folder, and its own database must not be in it.
const USER_FOLDER = process.env.N8N_USER_FOLDER ?? path.join(os.homedir(), '.n8n-nodes-coupa-dev');
const PORT = Number(process.env.N8N_PORT ?? 5678);

async function main(): Promise<void> {
	await installN8n();
	// A full build first (n8n loads dist/ at start), then tsc rebuilds on every change.
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	const build = spawn('npx', ['tsc', '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput'], {
		cwd: ROOT,
		stdio: 'inherit',
	});
	const coupa = await CoupaSimulator.start();
	linkWorkingTree(USER_FOLDER);
	const env = await n8nEnv(USER_FOLDER, { N8N_PORT: String(PORT), N8N_DEV_RELOAD: 'true' });
	// The simulator's port changes each start, so the credential is imported again with it.
	const credential = simulatorCredential(coupa, 'coupa-simulator', ALL_SCOPES);
	await importIntoN8n(env, USER_FOLDER, [credential], []);
	const n8n = await startN8n(env, { inheritOutput: true });
	console.log(`
Coupa simulator: ${coupa.url} (client id ${DEFAULT_CLIENT.id})
n8n editor:      http://localhost:${PORT}  (sign in as ${OWNER.email} / ${OWNER.password})
The credential "Coupa (simulator)" is ready. Edits rebuild dist/ and n8n reloads the node: refresh the page to see it. Ctrl+C stops.
`);
	const stop = async () => {
		build.kill('SIGTERM');
		await n8n.stop();
		await coupa.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
