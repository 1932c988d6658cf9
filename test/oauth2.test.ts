/** Sign-in with the authorization code grant (`coupaOAuth2Api`) and workflows saved before it existed. */
import { ClientOAuth2 } from '@n8n/client-oauth2';

import { CoupaSimulator, DEFAULT_CLIENT } from './coupa-simulator';
import type { TestCredentialsHelper } from './harness/credentials';
import { COUPA_NODE, credentialsWith, runNode } from './harness/engine';
import { PollingTrigger } from './harness/poll';
import { oauthCredential } from './support/setup';

let coupa: CoupaSimulator;
const REDIRECT = 'http://localhost:5678/rest/oauth2-credential/callback';

beforeAll(async () => {
	coupa = await CoupaSimulator.start();
});
afterAll(async () => {
	await coupa.stop();
});
beforeEach(() => coupa.clearLog());

/**
 * What n8n's OAuth2 callback does once the person consented in Coupa: exchange the code for
 * tokens with @n8n/client-oauth2 and store them as the credential's `oauthTokenData`.
 */
async function signIn(scope: string): Promise<TestCredentialsHelper> {
	const credentials = credentialsWith(
		{
			url: `${coupa.url}/api/`,
			clientId: DEFAULT_CLIENT.id,
			clientSecret: DEFAULT_CLIENT.secret,
			scope,
		},
		'coupaOAuth2Api',
	);
	const data = await credentials.getDecrypted(
		{} as never,
		{ id: 'coupa', name: 'Coupa' },
		'coupaOAuth2Api',
	);
	expect(data.authUrl).toBe(`${coupa.url}/oauth2/authorizations/new`);
	expect(data.accessTokenUrl).toBe(`${coupa.url}/oauth2/token`);
	const client = new ClientOAuth2({
		clientId: String(data.clientId),
		clientSecret: String(data.clientSecret),
		accessTokenUri: String(data.accessTokenUrl),
		authorizationUri: String(data.authUrl),
		redirectUri: REDIRECT,
		scopes: String(data.scope).split(' '),
		authentication: 'body',
	});
	const consent = await fetch(client.code.getUri(), { redirect: 'manual' });
	const callback = consent.headers.get('location') ?? '';
	expect(callback.startsWith(`${REDIRECT}?code=`)).toBe(true);
	const token = await client.code.getToken(callback);
	credentials.save('coupa', 'coupaOAuth2Api', {
		...credentials.stored('coupa'),
		oauthTokenData: token.data,
	});
	return credentials;
}

const oauth2 = { authentication: 'coupaOAuth2Api' };

test('the code exchange yields a refresh token with offline_access', async () => {
	const credentials = await signIn(
		'openid offline_access core.purchase_order.read core.supplier.write',
	);
	const stored = credentials.stored('coupa').oauthTokenData as {
		access_token: string;
		refresh_token?: string;
	};
	expect(stored.access_token).toMatch(/^[0-9a-f]+$/);
	expect(stored.refresh_token).toMatch(/^[0-9a-f]+$/);
	const [exchange] = coupa.tokenRequests();
	expect(new URLSearchParams(exchange.body).get('grant_type')).toBe('authorization_code');
});

test('reads and writes through the same node', async () => {
	const credentials = await signIn(
		'openid offline_access core.purchase_order.read core.supplier.write',
	);
	coupa.clearLog();
	const read = await runNode(
		credentials,
		COUPA_NODE,
		{ ...oauth2, resource: 'purchaseOrder', operation: 'getAll', limit: 3 },
		{ credentialType: 'coupaOAuth2Api' },
	);
	expect(read.error).toBeUndefined();
	expect(read.items.map((i) => i.json.id)).toEqual([1, 2, 3]);
	const write = await runNode(
		credentials,
		COUPA_NODE,
		{
			...oauth2,
			resource: 'supplier',
			operation: 'create',
			jsonBody: JSON.stringify({ ...coupa.sampleBody('suppliers'), name: 'Signed In Supplier' }),
		},
		{ credentialType: 'coupaOAuth2Api' },
	);
	expect(write.error).toBeUndefined();
	expect(write.items[0].json.name).toBe('Signed In Supplier');
	const token = (credentials.stored('coupa').oauthTokenData as { access_token: string })
		.access_token;
	expect(coupa.apiRequests().every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(
		true,
	);
	expect(coupa.tokenRequests()).toHaveLength(0);
});

test('an expired token is refreshed once with the refresh token', async () => {
	const credentials = await signIn('openid offline_access core.invoice.read');
	coupa.expireAllTokens();
	coupa.clearLog();
	const run = await runNode(
		credentials,
		COUPA_NODE,
		{ ...oauth2, resource: 'invoice', operation: 'get', id: '2' },
		{ credentialType: 'coupaOAuth2Api' },
	);
	expect(run.error).toBeUndefined();
	expect(run.items[0].json.id).toBe(2);
	expect(coupa.tokenRequests().map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
		'refresh_token',
	]);
	// n8n 2.x lets the first call's 401 throw (ignoreHttpStatusErrors with `except`), so n8n refreshes
	// at once; n8n 1.x hands the 401 back and the transport sends once more to let n8n refresh.
	expect([
		[401, 200],
		[401, 401, 200],
	]).toContainEqual(coupa.apiRequests().map((r) => r.status));
});

test('the trigger polls with the OAuth2 credential', async () => {
	const credentials = await signIn('openid offline_access core.invoice.read');
	const trigger = new PollingTrigger(
		credentials,
		{ ...oauth2, resource: 'invoice', event: 'updated' },
		'coupaOAuth2Api',
	);
	const manual = await trigger.poll('manual');
	expect(manual.error).toBeUndefined();
	expect(manual.items).toHaveLength(1);
});

test('a workflow saved before sign-in choices existed runs unchanged', async () => {
	// Node parameters and credentials exactly as a 0.1.0 workflow JSON stored them: no `authentication`.
	const saved = JSON.parse(`{
		"parameters": { "resource": "supplier", "operation": "getAll", "limit": 2, "filters": {}, "options": {} },
		"credentials": { "coupaApi": { "id": "coupa", "name": "Coupa account" } }
	}`);
	const run = await runNode(credentialsWith(oauthCredential(coupa)), COUPA_NODE, saved.parameters);
	expect(run.error).toBeUndefined();
	expect(run.items.map((i) => i.json.name)).toEqual(['Acme Supply 1', 'Acme Supply 2']);
});
