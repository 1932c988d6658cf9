/**
 * The contributor's loop (`./dev dev`): TypeScript in watch mode, the Coupa simulator, and a real
 * n8n editor on http://localhost:5678 with this working tree loaded (linked as `n8n-node dev`
 * links it) and a ready "Coupa (simulator)" credential, so the node works in the editor with no
 * Coupa account. n8n reloads the node when the build changes. Ctrl+C stops everything.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

import { CoupaSimulator, DEFAULT_CLIENT, ALL_SCOPES } from '../test/coupa-simulator';
import { importIntoN8n, installN8n, linkWorkingTree, n8nEnv, OWNER, ROOT, startN8n } from '../e2e/n8n';

const USER_FOLDER = path.join(ROOT, '.e2e-cache', 'dev');
const PORT = Number(process.env.N8N_PORT ?? 5678);

async function main(): Promise<void> {
	await installN8n();
	// A full build first (n8n loads dist/ at start), then tsc rebuilds on every change.
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	const build = spawn('npx', ['tsc', '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput'], { cwd: ROOT, stdio: 'inherit' });
	const coupa = await CoupaSimulator.start();
	linkWorkingTree(USER_FOLDER);
	const env = n8nEnv(USER_FOLDER, PORT, { N8N_DEV_RELOAD: 'true', N8N_LOG_LEVEL: 'info' });
	// The simulator's port changes each start, so the credential is imported again with it.
	const credential = {
		id: 'coupa-simulator',
		name: 'Coupa (simulator)',
		type: 'coupaApi',
		data: { url: coupa.url, authType: 'oAuth2ClientCredentials', clientId: DEFAULT_CLIENT.id, clientSecret: DEFAULT_CLIENT.secret, scope: ALL_SCOPES.join(' ') },
	};
	await importIntoN8n(env, USER_FOLDER, [credential], []);
	const n8n = await startN8n(env, { inheritOutput: true });
	console.log(`
Coupa simulator: ${coupa.url} (client id ${DEFAULT_CLIENT.id})
n8n editor:      http://localhost:${PORT}  (sign in as ${OWNER.email} / ${OWNER.password})
The credential "Coupa (simulator)" is ready. Edits rebuild and reload the node. Ctrl+C stops.
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
