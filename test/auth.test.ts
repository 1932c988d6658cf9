/** The `coupaApi` credential: token reuse and renewal, Test connection, API key, pasted token, URL shapes. */
import { CoupaSimulator, DEFAULT_API_KEY, DEFAULT_CLIENT } from './coupa-simulator';
import { TESTER_SEES_STATUS } from './harness/compat';
import { testCredential } from './harness/credentialTest';
import { COUPA_NODE, credentialsWith, runNode } from './harness/engine';
import { apiKeyCredential, oauthCredential } from './support/setup';

let coupa: CoupaSimulator;

beforeAll(async () => {
	coupa = await CoupaSimulator.start();
});
afterAll(async () => {
	await coupa.stop();
});
beforeEach(() => coupa.clearLog());

const readPOs = { resource: 'purchaseOrder', operation: 'getAll', limit: 5 };

describe('OAuth 2.0 client credentials', () => {
	test('the token request is the documented form post with the scopes', async () => {
		const credentials = credentialsWith(
			oauthCredential(coupa, { scope: 'core.common.read  core.purchase_order.read' }),
		);
		const run = await runNode(credentials, COUPA_NODE, readPOs);
		expect(run.error).toBeUndefined();
		const [tokenRequest] = coupa.tokenRequests();
		expect(tokenRequest.headers['content-type']).toContain('application/x-www-form-urlencoded');
		const form = new URLSearchParams(tokenRequest.body);
		expect(Object.fromEntries(form)).toEqual({
			grant_type: 'client_credentials',
			client_id: DEFAULT_CLIENT.id,
			client_secret: DEFAULT_CLIENT.secret,
			scope: 'core.common.read core.purchase_order.read',
		});
		expect(coupa.apiRequests()[0].headers.authorization).toMatch(/^Bearer [0-9a-f]+$/);
	});

	test('one token serves five executions', async () => {
		const credentials = credentialsWith(oauthCredential(coupa));
		for (let i = 0; i < 5; i++) {
			const run = await runNode(credentials, COUPA_NODE, readPOs);
			expect(run.items).toHaveLength(5);
		}
		expect(coupa.tokenRequests()).toHaveLength(1);
		expect(coupa.apiRequests()).toHaveLength(5);
		expect(credentials.stored('coupa').accessToken).toMatch(/^[0-9a-f]+$/);
	});

	test('an expired token is renewed once and the next executions reuse the new one', async () => {
		const credentials = credentialsWith(oauthCredential(coupa));
		await runNode(credentials, COUPA_NODE, readPOs);
		const firstToken = credentials.stored('coupa').accessToken;
		coupa.expireAllTokens();
		coupa.clearLog();
		for (let i = 0; i < 3; i++) {
			const run = await runNode(credentials, COUPA_NODE, readPOs);
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(5);
		}
		expect(coupa.tokenRequests()).toHaveLength(1);
		// One 401, then the same call again with the new token, then two more executions.
		expect(coupa.apiRequests().map((r) => r.status)).toEqual([401, 200, 200, 200]);
		expect(credentials.stored('coupa').accessToken).not.toBe(firstToken);
	});

	test('a token that expires in the middle of a Return All is renewed and nothing is lost or repeated', async () => {
		const credentials = credentialsWith(oauthCredential(coupa));
		await runNode(credentials, COUPA_NODE, readPOs);
		coupa.clearLog();
		coupa.injectFault({
			method: 'GET',
			path: '/api/purchase_orders',
			kind: 'expireTokens',
			after: 1,
		});
		const run = await runNode(credentials, COUPA_NODE, {
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
		});
		coupa.clearFaults();
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual(
			coupa.records('purchase_orders').map((r) => r.id),
		);
		expect(coupa.tokenRequests()).toHaveLength(1);
		// Every call refused with the expired token was sent again with the new one and answered.
		const pages = coupa.apiRequests();
		expect(pages.some((r) => r.status === 401)).toBe(true);
		for (const refused of pages.filter((r) => r.status === 401)) {
			expect(
				pages.some((r) => r.search === refused.search && r.status === 200 && r.at >= refused.at),
			).toBe(true);
		}
	});

	test('a rotated secret fails with a clear message after one renewal attempt, not a loop', async () => {
		const credentials = credentialsWith(oauthCredential(coupa));
		await runNode(credentials, COUPA_NODE, readPOs);
		coupa.addClient(DEFAULT_CLIENT.id, 'rotated-secret', ['core.common.read']);
		coupa.expireAllTokens();
		coupa.clearLog();
		const run = await runNode(credentials, COUPA_NODE, readPOs);
		coupa.addClient(
			DEFAULT_CLIENT.id,
			DEFAULT_CLIENT.secret,
			(await import('./coupa-simulator')).ALL_SCOPES,
		);
		expect(run.error?.message).toContain('invalid_client');
		expect(run.error?.message).not.toContain(DEFAULT_CLIENT.secret);
		expect(coupa.tokenRequests()).toHaveLength(1);
		expect(coupa.apiRequests()).toHaveLength(1);
	});
});

describe('concurrent calls share one token request', () => {
	// No client-side rate limit here: the calls must really be in flight together.
	const getFiveItems = {
		resource: 'purchaseOrder',
		operation: 'get',
		id: '={{ $json.id }}',
		options: { requestsPerSecond: 0 },
	};
	const fiveItems = { input: [1, 2, 3, 4, 5].map((id) => ({ id })) };

	test('five input items meeting an expired token: one token request, every item answered', async () => {
		const credentials = credentialsWith(oauthCredential(coupa));
		await runNode(credentials, COUPA_NODE, readPOs);
		coupa.expireAllTokens();
		coupa.clearLog();
		const run = await runNode(credentials, COUPA_NODE, getFiveItems, fiveItems);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual([1, 2, 3, 4, 5]);
		expect(coupa.tokenRequests()).toHaveLength(1);
		// The calls were in flight together: several met the 401 before the new token existed.
		expect(coupa.apiRequests().filter((r) => r.status === 401).length).toBeGreaterThan(1);
	});

	test('an item meeting the 401 after another item renewed the token takes that token: one token request', async () => {
		// The limiter off, so both items are sent at once with the old token (a limiter short of
		// tokens after the tests before would send item 2 after item 1's renewal).
		const credentials = credentialsWith(oauthCredential(coupa, { requestsPerSecond: 0 }));
		await runNode(credentials, COUPA_NODE, readPOs);
		coupa.expireAllTokens();
		coupa.clearLog();
		// Item 2's request waits while item 1 meets the 401 and stores a new token; item 2 then
		// meets the 401 for the old token it was sent with, with the new one already stored.
		coupa.injectFault({
			method: 'GET',
			path: '/api/purchase_orders/2',
			kind: 'delay',
			delayMs: 1000,
		});
		const run = await runNode(credentials, COUPA_NODE, getFiveItems, {
			input: [{ id: 1 }, { id: 2 }],
		});
		coupa.clearFaults();
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual([1, 2]);
		expect(coupa.tokenRequests()).toHaveLength(1);
		expect(
			coupa
				.apiRequests()
				.filter((r) => r.status === 401)
				.map((r) => r.path)
				.sort(),
		).toEqual(['/api/purchase_orders/1', '/api/purchase_orders/2']);
	});

	test('five input items on a credential without a token yet: one token request', async () => {
		const run = await runNode(
			credentialsWith(oauthCredential(coupa)),
			COUPA_NODE,
			getFiveItems,
			fiveItems,
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual([1, 2, 3, 4, 5]);
		expect(coupa.tokenRequests()).toHaveLength(1);
	});

	test('a 1,000-record Return All whose token expires after page 6: one new token, every record once', async () => {
		coupa.seed('purchase_orders', 1000);
		try {
			// The limiter off (it is the credential's now), so pages read ahead are in flight together.
			const credentials = credentialsWith(oauthCredential(coupa, { requestsPerSecond: 0 }));
			await runNode(credentials, COUPA_NODE, readPOs);
			coupa.clearLog();
			coupa.injectFault({
				method: 'GET',
				path: '/api/purchase_orders',
				kind: 'expireTokens',
				after: 6,
			});
			const run = await runNode(credentials, COUPA_NODE, {
				resource: 'purchaseOrder',
				operation: 'getAll',
				returnAll: true,
				options: { requestsPerSecond: 0 },
			});
			coupa.clearFaults();
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.json.id)).toEqual(
				Array.from({ length: 1000 }, (_, i) => i + 1),
			);
			expect(coupa.tokenRequests()).toHaveLength(1);
			// Pages read ahead together all met the expired token.
			expect(coupa.apiRequests().filter((r) => r.status === 401).length).toBeGreaterThan(1);
		} finally {
			coupa.seed('purchase_orders', 137);
		}
	});
});

describe('Test connection', () => {
	const test_ = async (data: Record<string, unknown>) =>
		await testCredential(credentialsWith(data as never));

	test('succeeds with a good client, asking only for core.common.read data', async () => {
		const result = await test_(oauthCredential(coupa));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = coupa.apiRequests();
		expect(request.path).toBe('/api/currencies');
	});

	test('a wrong secret says invalid_client and never shows the secret', async () => {
		const result = await test_(oauthCredential(coupa, { clientSecret: 'wrong-secret-QQQ' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('invalid_client');
		expect(result.message).toContain('Client Secret');
		expect(result.message).not.toContain('wrong-secret-QQQ');
	});

	test('a scope the client lacks says invalid_scope', async () => {
		coupa.addClient('narrow', 'narrow-secret', ['core.common.read']);
		const result = await test_(
			oauthCredential(coupa, {
				clientId: 'narrow',
				clientSecret: 'narrow-secret',
				scope: 'core.common.read core.invoice.read',
			}),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('invalid_scope');
	});

	test('a client without core.common.read is told so', async () => {
		coupa.addClient('no-common', 'no-common-secret', ['core.invoice.read']);
		const result = await test_(
			oauthCredential(coupa, {
				clientId: 'no-common',
				clientSecret: 'no-common-secret',
				scope: 'core.invoice.read',
			}),
		);
		expect(result.status).toBe('Error');
		// On n8n 1.99-1.123 n8n's tester shows its own wording (see compat.ts).
		if (TESTER_SEES_STATUS) expect(result.message).toContain('core.common.read');
	});

	test('a wrong URL says the URL is wrong', async () => {
		const result = await test_(oauthCredential(coupa, { url: 'http://127.0.0.1:9' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/Could not reach Coupa at http:\/\/127\.0\.0\.1:9\/oauth2\/token \(connection refused\)/,
		);
		expect(result.message).toContain('URL');
	});

	test('a URL that is not Coupa (no token endpoint) says so', async () => {
		const other = await CoupaSimulator.start();
		await other.stop();
		const result = await test_(
			oauthCredential(coupa, {
				url: `${coupa.url}/somewhere`,
				accessTokenUrl: `${coupa.url}/nothing-here`,
			}),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('404');
	});

	test('an API key that works, and one that does not', async () => {
		expect((await test_(apiKeyCredential(coupa))).status).toBe('OK');
		const bad = await test_(apiKeyCredential(coupa, { token: 'not-a-key-999' }));
		expect(bad.status).toBe('Error');
		if (TESTER_SEES_STATUS) expect(bad.message).toContain('401');
		expect(bad.message).not.toContain('not-a-key-999');
	});
});

describe('API key and pasted access token', () => {
	test('the API key goes in X-COUPA-API-KEY and no token is fetched', async () => {
		const run = await runNode(credentialsWith(apiKeyCredential(coupa)), COUPA_NODE, readPOs);
		expect(run.items).toHaveLength(5);
		expect(coupa.tokenRequests()).toHaveLength(0);
		expect(coupa.apiRequests()[0].headers['x-coupa-api-key']).toBe(DEFAULT_API_KEY);
		expect(coupa.apiRequests()[0].headers.authorization).toBeUndefined();
	});

	test('a pasted access token is sent as a bearer token and never refreshed', async () => {
		const token = JSON.parse(
			await (
				await fetch(`${coupa.url}/oauth2/token`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						grant_type: 'client_credentials',
						client_id: DEFAULT_CLIENT.id,
						client_secret: DEFAULT_CLIENT.secret,
						scope: 'core.purchase_order.read',
					}),
				})
			).text(),
		).access_token as string;
		coupa.clearLog();
		const credentials = credentialsWith({ url: coupa.url, authType: 'accessToken', token });
		const run = await runNode(credentials, COUPA_NODE, readPOs);
		expect(run.items).toHaveLength(5);
		expect(coupa.apiRequests()[0].headers.authorization).toBe(`Bearer ${token}`);
		coupa.expireAllTokens();
		const expired = await runNode(credentials, COUPA_NODE, readPOs);
		expect(expired.error?.message).toContain('401');
		expect(expired.error?.description).toMatch(/pasted access token/i);
		expect(coupa.tokenRequests()).toHaveLength(0);
	});
});

describe('instance URL shapes', () => {
	test.each([
		(url: string) => url,
		(url: string) => `${url}/`,
		(url: string) => `${url}/api`,
		(url: string) => `${url}/api/`,
		(url: string) => `  ${url}/api/purchase_orders?x=1  `,
	])('every shape reaches the same API (%#)', async (shape) => {
		const run = await runNode(
			credentialsWith(oauthCredential(coupa, { url: shape(coupa.url) })),
			COUPA_NODE,
			readPOs,
		);
		expect(run.error).toBeUndefined();
		expect(coupa.apiRequests().map((r) => r.path)).toEqual(['/api/purchase_orders']);
		expect(coupa.tokenRequests().map((r) => r.path)).toEqual(['/oauth2/token']);
	});

	test.each([
		['acme.coupahost.com', 'https://acme.coupahost.com'],
		['https://acme.coupahost.com/api/', 'https://acme.coupahost.com'],
		['HTTPS://Acme.CoupaHost.com/requisitions/12', 'https://acme.coupahost.com'],
	])('%s is normalised to %s', async (raw, expected) => {
		const { normaliseInstanceUrl } = await import('../nodes/shared/transport/instanceUrl');
		expect(normaliseInstanceUrl(raw)).toBe(expected);
	});

	test.each(['', 'not a url', 'http://acme.coupahost.com', 'ftp://acme.coupahost.com'])(
		'"%s" is refused before any request, with the expected shape',
		async (url) => {
			const run = await runNode(
				credentialsWith(oauthCredential(coupa, { url })),
				COUPA_NODE,
				readPOs,
			);
			expect(run.error?.message).toMatch(/https:\/\/|URL/);
			expect(coupa.log).toHaveLength(0);
		},
	);
});

describe('renewal before expiry', () => {
	test('a token past its renewal time is replaced before Coupa expires it, with one extra call', async () => {
		coupa.tokenLifetimeSeconds = 2; // renewal is due after 80% of the lifetime (20 h of Coupa's 24)
		try {
			const credentials = credentialsWith(oauthCredential(coupa));
			await runNode(credentials, COUPA_NODE, readPOs);
			const first = credentials.stored('coupa');
			expect(Date.parse(String(first.renewAt)) - Date.now()).toBeLessThanOrEqual(1600);
			await new Promise((resolve) => setTimeout(resolve, 1700));
			coupa.clearLog();
			const run = await runNode(credentials, COUPA_NODE, readPOs);
			expect(run.items).toHaveLength(5);
			// The old token would still have been accepted for 0.3 s: it was renewed before it expired.
			expect(coupa.tokenRequests()).toHaveLength(1);
			expect(coupa.apiRequests().map((r) => [r.status, Boolean(r.headers.authorization)])).toEqual([
				[401, false],
				[200, true],
			]);
			expect(credentials.stored('coupa').accessToken).not.toBe(first.accessToken);
		} finally {
			coupa.tokenLifetimeSeconds = 86399;
		}
	});
});
