/**
 * A hostile world through n8n's real engine: servers written here, on 127.0.0.1, that stall,
 * trickle, redirect, answer garbage, send huge error bodies or JSON for a PDF. Every case must end
 * in bounded time with the right result or a clear error, and no secret may leave for another host
 * or show in an error. Timeouts are set short by each test.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { ENGINE_CORE_VERSION } from './harness/compat';
import { testCredential } from './harness/credentialTest';
import type { NodeRun, RunOptions } from './harness/engine';
import { COUPA_NODE, credentialsWith, runNode } from './harness/engine';
import { PollingTrigger } from './harness/poll';
import { listSearch } from './support/editorMethods';

const API_KEY = 'hostile-suite-api-key-7f3a9c';

interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server whose behaviour each test sets; it records what reached it and closes every socket at the end. */
class Hostile {
	readonly seen: Seen[] = [];
	handler: Handler = (_req, res) => res.end();
	private readonly sockets = new Set<import('node:net').Socket>();

	private constructor(
		private readonly server: Server,
		private readonly tls: boolean,
	) {
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		server.on('request', (req: IncomingMessage, res: ServerResponse) => {
			this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
			// Each answer closes its connection: reset() destroys connections, and a kept-alive one
			// would otherwise meet the next test's first call as a stale socket (engines whose plain
			// HTTP goes through Node's keep-alive global agent, such as n8n-core 1.84).
			res.shouldKeepAlive = false;
			// The body is drained so a POST completes on the client's side.
			req.resume();
			req.on('end', () => this.handler(req, res));
		});
	}

	static async start(tls = false): Promise<Hostile> {
		const fixtures = path.join(__dirname, 'fixtures');
		const server = tls
			? createTlsServer({
					key: readFileSync(path.join(fixtures, 'loopback-key.pem')),
					cert: readFileSync(path.join(fixtures, 'loopback-cert.pem')),
				})
			: createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return new Hostile(server, tls);
	}

	get url(): string {
		const { port } = this.server.address() as AddressInfo;
		return `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
	}

	reset(handler: Handler): void {
		this.seen.length = 0;
		this.handler = handler;
		for (const socket of this.sockets) socket.destroy();
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

const json = (
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) => {
	res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

let coupa: Hostile;
let stranger: Hostile;
let tlsCoupa: Hostile;

beforeAll(async () => {
	[coupa, stranger, tlsCoupa] = await Promise.all([
		Hostile.start(),
		Hostile.start(),
		Hostile.start(true),
	]);
});
afterAll(async () => {
	await Promise.all([coupa.stop(), stranger.stop(), tlsCoupa.stop()]);
});
beforeEach(() => stranger.reset((_req, res) => json(res, 200, { id: 1, stolen: true })));

/** Every error text the suite produced, scanned for the key at the end. */
const texts: string[] = [];

async function run(
	parameters: INodeParameters,
	options: RunOptions & { url?: string } = {},
): Promise<NodeRun & { ms: number }> {
	const credentials = credentialsWith({
		url: options.url ?? coupa.url,
		authType: 'apiKey',
		token: API_KEY,
	});
	const started = Date.now();
	const result = await runNode(credentials, COUPA_NODE, parameters, options);
	texts.push(
		String(result.error?.message),
		String(result.error?.description),
		JSON.stringify(result.items),
	);
	return { ...result, ms: Date.now() - started };
}

const fast = { timeoutSeconds: 0.5, maxRetries: 0 };
const getSupplier = (options: INodeParameters = fast): INodeParameters => ({
	resource: 'supplier',
	operation: 'get',
	id: '1',
	options,
});
const listSuppliers = (options: INodeParameters = fast): INodeParameters => ({
	resource: 'supplier',
	operation: 'getAll',
	limit: 5,
	options,
});

describe('deadlines', () => {
	test('a server that accepts a GET and never answers: the call ends at the timeout, naming the endpoint and the time', async () => {
		coupa.reset(() => undefined);
		const result = await run(
			getSupplier({ timeoutSeconds: 0.5, maxRetries: 1, maxRetryWaitSeconds: 1 }),
		);
		expect(result.error?.message).toMatch(
			/^Could not reach Coupa \(timed out\) for GET \/suppliers\/1: no complete answer within 0\.[5-9] s/,
		);
		// One retry: a read may be sent again.
		expect(coupa.seen).toHaveLength(2);
		expect(result.ms).toBeLessThan(5000);
	});

	test('with the default Max Retries (5), a Get that times out is sent once more, not five times', async () => {
		coupa.reset(() => undefined);
		const result = await run(getSupplier({ timeoutSeconds: 0.5 }));
		expect(result.error?.message).toMatch(
			/^Could not reach Coupa \(timed out\) for GET \/suppliers\/1: no complete answer within \d+\.\d s .*; 2 requests timed out, \d+\.\d s in all/,
		);
		expect(coupa.seen).toHaveLength(2);
	});

	test('headers, then a byte every 100 ms forever: the per-request deadline covers the body', async () => {
		const trickles = new Set<ReturnType<typeof setInterval>>();
		coupa.reset((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.write('[');
			const trickle = setInterval(() => res.write(' '), 100);
			trickles.add(trickle);
			res.on('close', () => clearInterval(trickle));
		});
		const result = await run(listSuppliers());
		for (const trickle of trickles) clearInterval(trickle);
		expect(result.error?.message).toMatch(
			/timed out.*GET \/suppliers: no complete answer within 0\.[5-9] s/,
		);
		expect(result.items).toHaveLength(0);
		expect(result.ms).toBeLessThan(5000);
	});

	test('a POST that stalls is sent once and reported as maybe applied', async () => {
		coupa.reset(() => undefined);
		const result = await run({
			resource: 'supplier',
			operation: 'create',
			name: 'Stalled',
			options: { timeoutSeconds: 0.5, maxRetries: 5 },
		});
		expect(coupa.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(result.error?.message).toMatch(
			/^POST \/suppliers may or may not have been applied: no complete answer within 0\.[5-9] s/,
		);
		expect(result.error?.description).toMatch(/not sent again/);
	});

	test("503 after 503: retries stop when the item's Time Budget would be passed, and the error says so", async () => {
		coupa.reset((_req, res) =>
			json(res, 503, { errors: ['Maintenance'] }, { 'Retry-After': '0.4' }),
		);
		const result = await run(
			getSupplier({
				timeoutSeconds: 5,
				timeBudgetSeconds: 1,
				maxRetries: 50,
				maxRetryWaitSeconds: 60,
			}),
		);
		expect(result.error?.message).toMatch(
			/^Coupa answered 503, and the next retry \(in 0\.4 s\) would pass the item's Time Budget \(Seconds\) of 1\.0 s$/,
		);
		expect(coupa.seen.length).toBeGreaterThanOrEqual(2);
		expect(coupa.seen.length).toBeLessThanOrEqual(4);
		expect(result.ms).toBeLessThan(5000);
	});

	test('a stalled call that would outlive the Time Budget ends when the budget does', async () => {
		coupa.reset(() => undefined);
		const result = await run(
			getSupplier({ timeoutSeconds: 30, timeBudgetSeconds: 0.6, maxRetries: 3 }),
		);
		expect(result.error?.message).toMatch(/Time Budget \(Seconds\) of 0\.6 s is spent/);
		expect(coupa.seen).toHaveLength(1);
		expect(result.ms).toBeLessThan(5000);
	});
});

/** A token endpoint that accepts the connection and then never answers, or trickles its answer. */
describe('a stalled sign-in', () => {
	const CLIENT_SECRET = 'hostile-suite-client-secret-2b8e';
	const oauth = () =>
		credentialsWith({
			url: coupa.url,
			authType: 'oAuth2ClientCredentials',
			clientId: 'n8n',
			clientSecret: CLIENT_SECRET,
			scope: '',
		});
	const trickles = new Set<ReturnType<typeof setInterval>>();
	const tokenStalls =
		(how: 'silent' | 'trickle'): Handler =>
		(req, res) => {
			if (!req.url?.startsWith('/oauth2/token')) return json(res, 200, { id: 1 });
			if (how === 'silent') return;
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.write('{');
			const trickle = setInterval(() => res.write(' '), 100);
			trickles.add(trickle);
			res.on('close', () => clearInterval(trickle));
		};
	const tokenRequests = () => coupa.seen.filter((r) => r.url.startsWith('/oauth2/token'));
	const apiRequests = () => coupa.seen.filter((r) => r.url.startsWith('/api/'));
	afterEach(() => {
		for (const trickle of trickles) clearInterval(trickle);
	});
	const timedOutSigningIn = (call: string) =>
		new RegExp(
			`^Could not reach Coupa \\(timed out\\) for ${call}: signing in at http://127\\.0\\.0\\.1:\\d+/oauth2/token: no complete answer within \\d+\\.\\d s`,
		);

	test.each(['silent', 'trickle'] as const)(
		'%s token endpoint: a Get ends at the Timeout, signs in once more, and names the token endpoint',
		async (how) => {
			coupa.reset(tokenStalls(how));
			const started = Date.now();
			const result = await runNode(oauth(), COUPA_NODE, {
				resource: 'supplier',
				operation: 'get',
				id: '1',
				options: { timeoutSeconds: 0.5 },
			});
			texts.push(String(result.error?.message), String(result.error?.description));
			expect(result.error?.message).toMatch(timedOutSigningIn('GET /suppliers/1'));
			expect(result.error?.message).toMatch(/2 requests timed out/);
			// A request that timed out is sent once more, not up to Max Retries (5).
			expect(tokenRequests()).toHaveLength(2);
			expect(apiRequests()).toHaveLength(0);
			expect(Date.now() - started).toBeLessThan(20_000);
		},
	);

	test('a write whose sign-in stalled was never sent: it is signed in again, not reported as maybe applied', async () => {
		coupa.reset(tokenStalls('silent'));
		const result = await runNode(oauth(), COUPA_NODE, {
			resource: 'supplier',
			operation: 'create',
			name: 'Never sent',
			options: { timeoutSeconds: 0.5 },
		});
		expect(result.error?.message).toMatch(timedOutSigningIn('POST /suppliers'));
		expect(result.error?.message).not.toMatch(/may or may not/);
		expect(tokenRequests()).toHaveLength(2);
		expect(apiRequests()).toHaveLength(0);
	});

	test('the Coupa Trigger: a poll ends at the Timeout, naming the token endpoint', async () => {
		coupa.reset(tokenStalls('silent'));
		const poller = new PollingTrigger(oauth(), { resource: 'supplier', event: 'updated' });
		// The trigger offers no Timeout option (it signs in under the default 60 s); n8n drops unknown
		// options when it loads the workflow, so the short Timeout is set on the loaded node.
		poller.node.parameters.options = { timeoutSeconds: 0.5 };
		const started = Date.now();
		const { error } = await poller.poll();
		expect(error?.message).toMatch(timedOutSigningIn('GET /suppliers'));
		expect(tokenRequests()).toHaveLength(2);
		expect(Date.now() - started).toBeLessThan(20_000);
	});

	// On n8n-core 1.84 (n8n 1.85) the list search's context, as this harness builds it, reads no
	// node option: the list ends at the default Timeout, sent once more (about two minutes).
	const LIST_SEES_OPTIONS =
		Number(ENGINE_CORE_VERSION.split('.')[0]) >= 2 ||
		Number(ENGINE_CORE_VERSION.split('.')[1]) >= 100;
	test(
		'a record picker list ends at the Timeout, naming the token endpoint',
		async () => {
			coupa.reset(tokenStalls('trickle'));
			const started = Date.now();
			const error = await listSearch(oauth(), 'searchRecords', {
				resource: 'supplier',
				operation: 'get',
				options: { timeoutSeconds: 0.5 },
			}).then(
				() => undefined,
				(thrown: Error) => thrown,
			);
			expect(error?.message).toMatch(timedOutSigningIn('GET /suppliers'));
			expect(Date.now() - started).toBeLessThan(LIST_SEES_OPTIONS ? 20_000 : 2 * 60_000 + 30_000);
		},
		LIST_SEES_OPTIONS ? undefined : 200_000,
	);

	// Test connection has no node options: the default Timeout (60 s) bounds its sign-in.
	test('Test connection, silent and trickling token endpoints: each ends at the default Timeout, naming the token endpoint', async () => {
		coupa.reset(tokenStalls('silent'));
		const silent = testCredential(oauth());
		const trickling = await Hostile.start();
		trickling.reset(tokenStalls('trickle'));
		const trickle = testCredential(
			credentialsWith({
				url: trickling.url,
				authType: 'oAuth2ClientCredentials',
				clientId: 'n8n',
				clientSecret: CLIENT_SECRET,
			}),
		);
		const started = Date.now();
		const results = await Promise.all([silent, trickle]);
		const ms = Date.now() - started;
		await trickling.stop();
		for (const result of results) {
			texts.push(result.message);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				/Coupa's token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token gave no complete answer within \d+\.\d s/,
			);
		}
		expect(tokenRequests()).toHaveLength(1);
		expect(ms).toBeLessThan(120_000);
	}, 150_000);

	afterAll(() => {
		expect(texts.join('\n').includes(CLIENT_SECRET)).toBe(false);
	});
});

describe('redirects', () => {
	const redirectTo =
		(status: number, location: () => string): Handler =>
		(_req, res) => {
			res.writeHead(status, { Location: location() });
			res.end();
		};

	test.each([301, 302, 307, 308])(
		'a %s to another host on a GET is not followed and nothing reaches it',
		async (status) => {
			coupa.reset(redirectTo(status, () => `${stranger.url}/api/suppliers/1`));
			const result = await run(getSupplier());
			expect(stranger.seen).toHaveLength(0);
			expect(result.error?.message).toBe(
				`Coupa answered ${status} to GET /suppliers/1, redirecting to ${stranger.url}: not followed, so the credential never reaches another host. Set the credential's URL to the address Coupa serves its API at (${coupa.url} redirects elsewhere).`,
			);
			expect(result.items).toHaveLength(0);
		},
	);

	test('a 307 to another host on a POST: not followed, the body never leaves, no retry', async () => {
		coupa.reset(redirectTo(307, () => `${stranger.url}/api/suppliers`));
		const result = await run({
			resource: 'supplier',
			operation: 'create',
			name: 'Redirected',
			options: { maxRetries: 5 },
		});
		expect(stranger.seen).toHaveLength(0);
		expect(coupa.seen).toHaveLength(1);
		expect(result.error?.message).toMatch(
			/^Coupa answered 307 to POST \/suppliers, redirecting to http:\/\/127\.0\.0\.1:\d+: not followed/,
		);
	});

	test('a redirect to the same host by another name (localhost) counts as another host', async () => {
		coupa.reset(
			redirectTo(302, () => coupa.url.replace('127.0.0.1', 'localhost') + '/api/suppliers/2'),
		);
		const result = await run(getSupplier());
		expect(coupa.seen).toHaveLength(1);
		expect(result.error?.message).toMatch(/redirecting to http:\/\/localhost:\d+: not followed/);
	});

	test('a same-origin redirect of a GET is followed, with the credential, to the same origin only', async () => {
		coupa.reset((req, res) => {
			if (req.url?.startsWith('/api/suppliers/1'))
				return redirectTo(302, () => '/api/suppliers/7?moved=1')(req, res);
			json(res, 200, { id: 7, name: 'Moved Supplier' });
		});
		const result = await run(getSupplier());
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ id: 7, name: 'Moved Supplier' }]);
		expect(coupa.seen.map((r) => [r.url, r.headers['x-coupa-api-key']])).toEqual([
			['/api/suppliers/1', API_KEY],
			['/api/suppliers/7?moved=1', API_KEY],
		]);
	});

	test('a same-origin redirect of a write is not followed: the write is never sent twice', async () => {
		coupa.reset(redirectTo(307, () => '/api/suppliers/elsewhere'));
		const result = await run({
			resource: 'supplier',
			operation: 'create',
			name: 'Once',
			options: { maxRetries: 5 },
		});
		expect(coupa.seen).toHaveLength(1);
		expect(result.error?.message).toMatch(/not followed for a write/);
	});

	test('a redirect loop on the same origin ends after a few hops', async () => {
		coupa.reset(redirectTo(302, () => '/api/suppliers/1'));
		const result = await run(getSupplier());
		expect(result.error?.message).toMatch(/redirected more than 3 times/);
		expect(coupa.seen).toHaveLength(4);
	});

	test('https to plain http is refused: another scheme is another origin', async () => {
		tlsCoupa.reset(redirectTo(302, () => `${stranger.url}/api/suppliers/1`));
		const https = tlsCoupa.url;
		expect(https.startsWith('https://')).toBe(true);
		const result = await run(
			{ ...getSupplier(), requestOptions: { allowUnauthorizedCerts: true } },
			{ url: https },
		);
		expect(tlsCoupa.seen).toHaveLength(1);
		expect(stranger.seen).toHaveLength(0);
		expect(result.error?.message).toMatch(/redirecting to http:\/\/127\.0\.0\.1:\d+: not followed/);
	});
});

describe('every answer is checked', () => {
	const answers: Array<[string, Handler, INodeParameters, RegExp]> = [
		[
			'garbage bytes for a Get',
			(_q, res) => {
				res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
				res.end(Buffer.from([0, 1, 2, 255, 254, 7, 0, 9]));
			},
			getSupplier(),
			/Coupa answered 200 with binary data of type application\/octet-stream \(8 bytes\)/,
		],
		[
			'XML for a Get',
			(_q, res) => {
				res.writeHead(200, { 'Content-Type': 'application/xml' });
				res.end('<?xml version="1.0"?><supplier><id>1</id></supplier>');
			},
			getSupplier(),
			/Coupa answered 200 with XML \(\d+ bytes, starts: <\?xml version="1\.0"\?><supplier><id>1<\/id>/,
		],
		[
			'truncated JSON for a Get',
			(_q, res) => json(res, 200, '{"id": 1, "name": "Acme'),
			getSupplier(),
			/with truncated or malformed JSON \(23 bytes, starts: \{"id": 1, "name": "Acme\)/,
		],
		[
			'an empty 200 for a Get',
			(_q, res) => {
				res.writeHead(200);
				res.end();
			},
			getSupplier(),
			/with an empty body where a JSON record was expected/,
		],
		[
			'null for a Get',
			(_q, res) => json(res, 200, 'null'),
			getSupplier(),
			/with JSON null where a JSON record was expected/,
		],
		[
			'a list for a Get',
			(_q, res) => json(res, 200, [{ id: 1 }]),
			getSupplier(),
			/with a JSON list of 1 records where a JSON record was expected/,
		],
		[
			'an object where a list is expected',
			(_q, res) => json(res, 200, { id: 1, name: 'Acme' }),
			listSuppliers(),
			/with a JSON object \(id, name\) where a JSON list of records was expected/,
		],
		[
			'null where a list is expected',
			(_q, res) => json(res, 200, 'null'),
			listSuppliers(),
			/with JSON null where a JSON list of records was expected/,
		],
		[
			'a list of numbers where records are expected',
			(_q, res) => json(res, 200, [1, 2, 3]),
			listSuppliers(),
			/a JSON list holding a JSON number \(1\) where records were expected/,
		],
		[
			'an HTML login page',
			(_q, res) => {
				res.writeHead(200, { 'Content-Type': 'text/html' });
				res.end('<!DOCTYPE html><html><head><title>Sign in</title></head><body>x</body></html>');
			},
			listSuppliers(),
			/with an HTML page titled "Sign in"/,
		],
	];

	test.each(answers)('%s: a clear error, no item', async (_label, handler, parameters, message) => {
		coupa.reset(handler);
		const result = await run(parameters);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/credential's URL/);
		expect(result.items).toHaveLength(0);
	});

	test('a page longer than asked for stops the listing', async () => {
		coupa.reset((_q, res) =>
			json(
				res,
				200,
				Array.from({ length: 6 }, (_, i) => ({ id: i + 1 })),
			),
		);
		const result = await run(listSuppliers());
		expect(result.error?.message).toMatch(/Coupa sent 6 records for a page of 5/);
		expect(result.items).toHaveLength(0);
	});

	test('a write answered with XML: reported as maybe applied, never as a record, not sent again', async () => {
		coupa.reset((_q, res) => {
			res.writeHead(201, { 'Content-Type': 'application/xml' });
			res.end('<supplier><id>9</id></supplier>');
		});
		const result = await run({
			resource: 'supplier',
			operation: 'create',
			name: 'X',
			options: { maxRetries: 5 },
		});
		expect(coupa.seen).toHaveLength(1);
		expect(result.error?.message).toMatch(
			/^POST \/suppliers may or may not have been applied: Coupa answered 201 with XML/,
		);
	});

	test('an empty answer to a write with Return Object None names the record acted on', async () => {
		coupa.reset((_q, res) => {
			res.writeHead(200);
			res.end();
		});
		const result = await run({
			resource: 'supplier',
			operation: 'update',
			id: '12',
			jsonBody: '{"name": "Y"}',
			options: { returnObject: 'none' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ id: 12 }]);
	});

	test('a 1 MB error body becomes a short message', async () => {
		const huge = 'x'.repeat(1024 * 1024);
		coupa.reset((_q, res) => json(res, 422, { errors: { supplier: [huge, huge] } }));
		const result = await run(getSupplier());
		expect(result.error?.message.startsWith('Coupa answered 422: xxxxx')).toBe(true);
		expect(result.error?.message.length).toBeLessThan(1000);
		expect(JSON.stringify(result.error).length).toBeLessThan(20_000);
	});

	test('a 1 MB XML error body with thousands of errors becomes a short message', async () => {
		const body = `<errors>${'<error>Bad field</error>'.repeat(50_000)}</errors>`;
		coupa.reset((_q, res) => {
			res.writeHead(400, { 'Content-Type': 'application/xml' });
			res.end(body);
		});
		const result = await run(getSupplier());
		expect(result.error?.message).toMatch(/^Coupa answered 400: Bad field; Bad field/);
		expect(result.error?.message.length).toBeLessThan(1000);
	});

	test('an id Coupa echoes with 5,000 digits is cut in the message', async () => {
		const digits = '9'.repeat(5000);
		coupa.reset((_q, res) => json(res, 404, { errors: [`Record ${digits} not found`] }));
		const result = await run(getSupplier());
		expect(result.error?.message).toContain('99999999…(5000 digits)');
		expect(result.error?.message.length).toBeLessThan(300);
	});

	test('an answer echoing the API key never shows it', async () => {
		coupa.reset((req, res) =>
			json(res, 400, {
				errors: [
					`Key ${String(req.headers['x-coupa-api-key'])} is not valid here; Authorization: Bearer abc.def`,
				],
			}),
		);
		const result = await run(getSupplier());
		expect(result.error?.message).toBe(
			'Coupa answered 400: Key *** is not valid here; Authorization: Bearer ***',
		);
	});
});

describe('downloads', () => {
	const download = (options: INodeParameters = fast): INodeParameters => ({
		resource: 'invoice',
		operation: 'downloadLegalPdf',
		id: '3',
		binaryPropertyName: 'pdf',
		options,
	});

	test('a JSON error body with status 200 is not stored as the PDF', async () => {
		coupa.reset((_q, res) => json(res, 200, { errors: ['No legal invoice for this invoice'] }));
		const result = await run(download());
		expect(result.error?.message).toMatch(
			/Coupa answered 200 with a JSON object \(errors\) where a file was expected/,
		);
		expect(result.items).toHaveLength(0);
	});

	test('an HTML page is not stored as the PDF', async () => {
		coupa.reset((_q, res) => {
			res.writeHead(200, { 'Content-Type': 'text/html' });
			res.end('<html><title>Maintenance</title></html>');
		});
		const result = await run(download());
		expect(result.error?.message).toMatch(
			/an HTML page titled "Maintenance".* where a file was expected/,
		);
	});

	test('a real file keeps its type and the name Coupa gives it', async () => {
		const pdf = Buffer.concat([
			Buffer.from('%PDF-1.4\n'),
			Buffer.from([0, 1, 2, 3]),
			Buffer.from('\n%%EOF'),
		]);
		coupa.reset((_q, res) => {
			res.writeHead(200, {
				'Content-Type': 'application/pdf',
				'Content-Disposition':
					'attachment; filename="fallback.pdf"; filename*=UTF-8\'\'..%2F..%2FINV%0A-3%22.pdf',
			});
			res.end(pdf);
		});
		const result = await run(download());
		expect(result.error).toBeUndefined();
		const file = result.items[0].binary?.pdf;
		expect([file?.mimeType, file?.fileName]).toEqual(['application/pdf', '.._.._INV -3.pdf']);
		expect(Buffer.from(file!.data, 'base64')).toEqual(pdf);
	});
});

afterAll(() => {
	const all = texts.join('\n');
	expect(texts.length).toBeGreaterThan(20);
	expect(all.includes(API_KEY)).toBe(false);
});
