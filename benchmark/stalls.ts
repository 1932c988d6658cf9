/**
 * Times to failure against a dead Coupa with the default options (Timeout 60 s, Max Retries 5,
 * Time Budget 600 s), through n8n's real engine: a token endpoint that accepts the connection and
 * never answers (a Get, and Test connection), a Get that is never answered, and a Get answered one
 * byte every 5 s. Run once by hand, all cases at the same time (about two minutes):
 *   node -r ts-node/register/transpile-only benchmark/stalls.ts
 * The figures go into docs/reliability.md; tests assert only generous upper bounds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { testCredential } from '../test/harness/credentialTest';
import { COUPA_NODE, credentialsWith, runNode } from '../test/harness/engine';

type Stall = 'token' | 'silent' | 'trickle';

/** A server whose token endpoint or API stalls; it counts what reached it. */
async function deadCoupa(stall: Stall) {
	const seen: Array<{ url: string; at: number }> = [];
	const started = Date.now();
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		seen.push({ url: req.url ?? '', at: Date.now() - started });
		req.resume();
		req.on('end', () => {
			const isToken = req.url?.startsWith('/oauth2/token');
			if (isToken && stall !== 'token') {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({ access_token: 'a1b2c3d4', token_type: 'bearer', expires_in: 86_400 }),
				);
				return;
			}
			if (stall === 'trickle' && !isToken) {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.write('{');
				const trickle = setInterval(() => res.write(' '), 5000);
				res.on('close', () => clearInterval(trickle));
			}
			// Otherwise: never answered.
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const credentials = credentialsWith({
		url,
		authType: 'oAuth2ClientCredentials',
		clientId: 'n8n',
		clientSecret: `secret-${stall}`,
		scope: '',
	});
	return {
		credentials,
		seen,
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function measure(label: string, stall: Stall, what: 'get' | 'test') {
	const coupa = await deadCoupa(stall);
	const started = Date.now();
	const message =
		what === 'get'
			? String(
					(
						await runNode(coupa.credentials, COUPA_NODE, {
							resource: 'supplier',
							operation: 'get',
							id: '1',
						})
					).error?.message,
				)
			: (await testCredential(coupa.credentials)).message;
	const seconds = (Date.now() - started) / 1000;
	await coupa.stop();
	return {
		label,
		seconds: Number(seconds.toFixed(1)),
		requests: coupa.seen.map((r) => `${r.url.split('?')[0]} at ${(r.at / 1000).toFixed(1)} s`),
		message,
	};
}

void (async () => {
	const results = await Promise.all([
		measure('stalled token endpoint, Get', 'token', 'get'),
		measure('stalled token endpoint, Test connection', 'token', 'test'),
		measure('stalled Get', 'silent', 'get'),
		measure('trickling Get (1 byte every 5 s)', 'trickle', 'get'),
	]);
	for (const result of results) console.log(JSON.stringify(result, null, 1));
	process.exit(0);
})();
