/**
 * No Coupa secret travels over plain http to another machine, whatever signs in and whatever
 * sends: Test connection, the Coupa node, the trigger, and n8n's HTTP Request node using the
 * credential. The simulator also answers at 127.0.0.2, a plain-http host the package must treat as
 * remote; every test proves nothing reached it.
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CoupaSimulator, DEFAULT_API_KEY } from './coupa-simulator';
import { testCredential } from './harness/credentialTest';
import {
	COUPA_NODE,
	credentialsWith,
	loadPackage,
	registerNodeType,
	runNode,
} from './harness/engine';
import { PollingTrigger } from './harness/poll';
import { apiKeyCredential, oauthCredential } from './support/setup';

let coupa: CoupaSimulator;
/** `http://127.0.0.2:<port>`: this Coupa, reached as if it were another host. */
let remote: string;

beforeAll(async () => {
	coupa = await CoupaSimulator.start();
	remote = await coupa.remoteUrl();
	const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node') as {
		HttpRequest: new () => never;
	};
	registerNodeType('n8n-nodes-base.httpRequest', new HttpRequest());
});
afterAll(async () => {
	await coupa.stop();
});
beforeEach(() => coupa.clearLog());

const reachedRemote = () => coupa.log.filter((r) => `http://${String(r.headers.host)}` === remote);
const MUST_USE_HTTPS = /must use https:\/\//;

/** A token n8n already holds, so no sign-in request precedes the call. */
const CACHED = {
	accessToken: 'cached-token-123',
	renewAt: new Date(Date.now() + 3_600_000).toISOString(),
};

const signIns: Array<[string, (url: string) => ICredentialDataDecryptedObject]> = [
	['OAuth 2.0 client credentials', (url) => oauthCredential(coupa, { url })],
	['API key', (url) => apiKeyCredential(coupa, { url })],
	['pasted access token', (url) => ({ url, authType: 'accessToken', token: 'pasted-token-456' })],
];

describe.each(signIns)('%s with an http:// URL of another host', (_label, credential) => {
	test('Test connection refuses, and sends nothing', async () => {
		const result = await testCredential(credentialsWith(credential(remote)));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MUST_USE_HTTPS);
		expect(coupa.log).toHaveLength(0);
	});

	test('the Coupa node refuses, and sends nothing', async () => {
		const run = await runNode(credentialsWith(credential(remote)), COUPA_NODE, {
			resource: 'supplier',
			operation: 'getAll',
			limit: 1,
		});
		expect(run.error?.message).toMatch(MUST_USE_HTTPS);
		expect(coupa.log).toHaveLength(0);
	});

	test('the trigger refuses, and sends nothing', async () => {
		const poll = await new PollingTrigger(credentialsWith(credential(remote)), {
			resource: 'invoice',
			event: 'updated',
		}).poll('manual');
		expect(poll.error?.message).toMatch(MUST_USE_HTTPS);
		expect(coupa.log).toHaveLength(0);
	});

	test("n8n's HTTP Request node with this credential cannot send it to an http:// host", async () => {
		const credentials = credentialsWith({ ...credential(coupa.url), ...CACHED });
		const run = await runNode(
			credentials,
			'n8n-nodes-base.httpRequest',
			{
				url: `${remote}/api/suppliers`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'coupaApi',
			},
			{ nodeName: 'HTTP Request', typeVersion: 4.2 },
		);
		expect(JSON.stringify(run.error?.message)).toMatch(/over plain http:\/\//);
		expect(reachedRemote()).toHaveLength(0);
		for (const request of coupa.log)
			expect(request.headers['x-coupa-api-key'] ?? request.headers.authorization).toBeUndefined();
	});
});

test('the same HTTP Request node reaches Coupa over a local http:// URL (the check is not too broad)', async () => {
	const run = await runNode(
		credentialsWith(apiKeyCredential(coupa)),
		'n8n-nodes-base.httpRequest',
		{
			url: `${coupa.url}/api/suppliers?limit=2`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'coupaApi',
			options: {},
		},
		{ nodeName: 'HTTP Request', typeVersion: 4.2 },
	);
	expect(run.error).toBeUndefined();
	expect(coupa.apiRequests()[0].headers['x-coupa-api-key']).toBe(DEFAULT_API_KEY);
});

test('a custom https Access Token URL does not excuse an http:// instance URL: refused before the token request', async () => {
	const credentials = credentialsWith(
		oauthCredential(coupa, { url: remote, accessTokenUrl: 'https://127.0.0.1:9/oauth2/token' }),
	);
	const result = await testCredential(credentials);
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(MUST_USE_HTTPS);
	const run = await runNode(credentials, COUPA_NODE, {
		resource: 'supplier',
		operation: 'getAll',
		limit: 1,
	});
	expect(run.error?.message).toMatch(MUST_USE_HTTPS);
	expect(coupa.log).toHaveLength(0);
});

describe('URLs n8n builds from the credential by expression', () => {
	const evaluate = (expression: string, credentials: ICredentialDataDecryptedObject) => {
		const node: INode = {
			id: 'n',
			name: 'n',
			type: COUPA_NODE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: loadPackage().nodeTypes,
		});
		return workflow.expression.getSimpleParameterValue(node, expression, 'internal', {
			$credentials: credentials,
		});
	};

	test.each([
		['http://acme.coupahost.com', 'https://acme.coupahost.com/api'],
		['http://acme.coupahost.com:8080/api/', 'https://acme.coupahost.com:8080/api'],
		['http://localhost.example.com', 'https://localhost.example.com/api'],
		['http://localhost:5678/api', 'http://localhost:5678/api'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080/api'],
		['http://[::1]:8080', 'http://[::1]:8080/api'],
	])("Test connection's request for %s goes to %s", (url, expected) => {
		const request = loadPackage().credentialTypes.get('coupaApi')?.test?.request;
		expect(evaluate(String(request?.baseURL), { url })).toBe(expected);
	});

	test.each([
		['http://acme.coupahost.com', 'https://acme.coupahost.com'],
		['http://127.0.0.2:8443/api', 'https://127.0.0.2:8443'],
		['http://localhost:5678', 'http://localhost:5678'],
	])('the Coupa OAuth2 credential for %s signs in at %s', async (url, origin) => {
		const credentials = credentialsWith(
			{ url, clientId: 'id', clientSecret: 'secret' },
			'coupaOAuth2Api',
		);
		const data = await credentials.getDecrypted(
			{} as never,
			{ id: 'coupa', name: 'Coupa' },
			'coupaOAuth2Api',
		);
		expect([data.authUrl, data.accessTokenUrl]).toEqual([
			`${origin}/oauth2/authorizations/new`,
			`${origin}/oauth2/token`,
		]);
	});

	test('the Coupa node signed in as a user refuses an http:// URL of another host', async () => {
		const credentials = credentialsWith(
			{
				url: remote,
				clientId: 'id',
				clientSecret: 'secret',
				oauthTokenData: { access_token: 'user-token-789', token_type: 'bearer' },
			},
			'coupaOAuth2Api',
		);
		const run = await runNode(
			credentials,
			COUPA_NODE,
			{ authentication: 'coupaOAuth2Api', resource: 'supplier', operation: 'getAll', limit: 1 },
			{ credentialType: 'coupaOAuth2Api' },
		);
		expect(run.error?.message).toMatch(MUST_USE_HTTPS);
		expect(coupa.log).toHaveLength(0);
	});
});
