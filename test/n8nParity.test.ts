/**
 * The harness stands in for n8n's server side with its own credentials helper and credential
 * tester (test/harness/credentials.ts, credentialTest.ts). Here both are held against n8n's own
 * (the `n8n` package's CredentialsHelper and CredentialsTester, of the release under test) given
 * the same credentials and the same Coupa, so a change in n8n that the stand-ins miss fails here.
 * n8n's package is the one the end-to-end suite installs (.e2e-cache/); only its database, server
 * wiring and logging are replaced, by the harness's in-memory ones.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialsHelper,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { ENGINE, N8N_PACKAGE, N8N_VERSION } from '../e2e/n8n';
import { CoupaSimulator, DEFAULT_API_KEY, DEFAULT_CLIENT } from './coupa-simulator';
import { testCredential } from './harness/credentialTest';
import type { TestCredentialsHelper } from './harness/credentials';
import { additionalDataFor, credentialsWith, loadPackage } from './harness/engine';

const DIST = path.join(N8N_PACKAGE, 'dist');
const installed = existsSync(path.join(DIST, 'credentials-helper.js'));
// CI installs n8n before the unit tests (.ci/run); elsewhere the comparison waits for `./dev test:e2e`.
const required = process.env.COUPA_REQUIRE_N8N === '1';

type Stored = Map<string, { type: string; data: ICredentialDataDecryptedObject }>;
type RealHelper = Omit<ICredentialsHelper, 'getCredentials'> & {
	getCredentials(details: INodeCredentialsDetails, type: string): Promise<unknown>;
	updateCredentials(
		details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void>;
};
interface RealTester {
	testCredentials(
		userId: string,
		type: string,
		credentials: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult>;
}

/**
 * Builds one of n8n's services with what its constructor asks for (its `design:paramtypes`):
 * the stand-ins below by class name, and for anything else an object that fails loudly when used,
 * naming what to add here.
 */
function construct<T>(
	service: new (...args: unknown[]) => T,
	standIns: Record<string, unknown>,
): T {
	const { getMetadata } = Reflect as unknown as {
		getMetadata(key: string, target: object): Array<{ name: string }> | undefined;
	};
	const parameters = getMetadata('design:paramtypes', service) ?? [];
	const failing = (name: string) =>
		new Proxy(
			{},
			{
				get: (_target, property) =>
					property === 'then'
						? undefined
						: () => {
								throw new Error(
									`n8n's ${service.name} now uses ${name}.${String(property)}: add a stand-in to test/n8nParity.test.ts`,
								);
							},
			},
		);
	return new service(
		...parameters.map((parameter) =>
			parameter.name in standIns ? standIns[parameter.name] : failing(parameter.name),
		),
	);
}

/** n8n's CredentialsHelper and CredentialsTester over an in-memory credential store. */
function realN8n(store: Stored): { helper: RealHelper; tester: RealTester } {
	const fromN8n = (id: string) =>
		require(require.resolve(id, { paths: [DIST] })) as Record<string, unknown>;
	// In an n8n install, n8n and its n8n-core share one @n8n/di container. Here n8n-core is the
	// engine's (jest.config.js), so n8n gets that n8n-core's @n8n/di too, or n8n does not find the
	// services n8n-core registered ("InstanceSettings is not decorated with Service", n8n 1.85).
	const engineDi = require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] });
	const n8nDi = require.resolve('@n8n/di', { paths: [DIST] });
	if (n8nDi !== engineDi) jest.doMock(n8nDi, () => jest.requireActual(engineDi));
	fromN8n('reflect-metadata');
	const { credentialTypes } = loadPackage();
	const parentTypes = (name: string): string[] =>
		(credentialTypes.get(name)?.extends ?? []).flatMap((parent) => [
			parent,
			...parentTypes(parent),
		]);
	const quiet = {
		debug: () => undefined,
		info: () => undefined,
		warn: () => undefined,
		error: () => undefined,
	};
	const { NoOp } = require('n8n-nodes-base/dist/nodes/NoOp/NoOp.node') as {
		NoOp: new () => unknown;
	};
	let helper: RealHelper | undefined;
	// n8n's getBase wires up its whole server; the harness's additional data stands in, with n8n's helper.
	jest.doMock(path.join(DIST, 'workflow-execute-additional-data.js'), () => ({
		getBase: async () => additionalDataFor(helper as unknown as TestCredentialsHelper),
	}));
	const standIns: Record<string, unknown> = {
		CredentialTypes: {
			getByName: (name: string) => credentialTypes.get(name) as ICredentialType,
			recognizes: (name: string) => credentialTypes.has(name),
			getParentTypes: parentTypes,
			getSupportedNodes: () => [],
		},
		CredentialsOverwrites: {
			applyOverwrite: (_type: string, data: ICredentialDataDecryptedObject) => data,
			usesManagedAuth: () => false,
			getOverwrites: () => undefined,
		},
		CacheService: { get: async () => false },
		Logger: { ...quiet, scoped: () => quiet },
		ErrorReporter: { error: () => undefined },
		NodeTypes: { getByNameAndVersion: () => new NoOp(), getByName: () => new NoOp() },
	};
	const { CredentialsHelper } = fromN8n(path.join(DIST, 'credentials-helper.js')) as {
		CredentialsHelper: new (...args: unknown[]) => RealHelper;
	};
	helper = construct(CredentialsHelper, standIns);
	// n8n's database, as the harness keeps it: in memory.
	helper.getCredentials = async ({ id }) => ({
		id,
		getData: () => ({ ...store.get(id ?? '')?.data }),
	});
	helper.updateCredentials = async ({ id }, type, data) =>
		void store.set(id ?? '', { type, data: { ...data } });
	const { CredentialsTester } = fromN8n(
		path.join(DIST, 'services', 'credentials-tester.service.js'),
	) as { CredentialsTester: new (...args: unknown[]) => RealTester };
	const tester = construct(CredentialsTester, { ...standIns, CredentialsHelper: helper });
	return { helper, tester };
}

const describeIfInstalled = installed || required ? describe : describe.skip;

describeIfInstalled(
	`the harness behaves as n8n ${N8N_VERSION}'s credentials helper and tester`,
	() => {
		let coupa: CoupaSimulator;
		let real: ReturnType<typeof realN8n>;
		const realStore: Stored = new Map();
		/** A web server that is not Coupa: 404 to everything. */
		const notCoupa = createServer((_request, response) => response.writeHead(404).end('Not Found'));

		beforeAll(async () => {
			await new Promise<void>((resolve) => notCoupa.listen(0, '127.0.0.1', resolve));
			coupa = await CoupaSimulator.start();
			coupa.addClient('parity-revoked', 'secret-XYZ', []);
			real = realN8n(realStore);
		});
		afterAll(async () => {
			await coupa.stop();
			await new Promise((resolve) => notCoupa.close(resolve));
		});

		const oauth = (extra: ICredentialDataDecryptedObject = {}) => ({
			url: coupa.url,
			authType: 'oAuth2ClientCredentials',
			clientId: DEFAULT_CLIENT.id,
			clientSecret: DEFAULT_CLIENT.secret,
			scope: 'core.common.read',
			...extra,
		});
		const apiKey = (extra: ICredentialDataDecryptedObject = {}) => ({
			url: coupa.url,
			authType: 'apiKey',
			token: DEFAULT_API_KEY,
			...extra,
		});

		describe('Test connection gives the same verdict', () => {
			const cases: Array<[string, () => ICredentialDataDecryptedObject]> = [
				['a good OAuth client', () => oauth()],
				['a wrong client secret', () => oauth({ clientSecret: 'wrong-secret' })],
				[
					'a scope the client lacks',
					() => oauth({ clientId: 'parity-revoked', clientSecret: 'secret-XYZ' }),
				],
				['a good API key', () => apiKey()],
				['a revoked API key (401)', () => apiKey({ token: 'not-a-key' })],
				[
					'a URL with no Coupa API (404)',
					() => apiKey({ url: `http://127.0.0.1:${(notCoupa.address() as AddressInfo).port}` }),
				],
				['a URL nothing answers', () => apiKey({ url: 'http://127.0.0.1:9' })],
			];
			test.each(cases)('%s', async (_label, data) => {
				const harness = await testCredential(credentialsWith(data()));
				realStore.set('coupa', { type: 'coupaApi', data: data() });
				const n8n = await real.tester.testCredentials('user', 'coupaApi', {
					id: 'coupa',
					name: 'Coupa account',
					type: 'coupaApi',
					data: data(),
				});
				expect(harness).toEqual(n8n);
			});
		});

		describe('a cached token is fetched, kept and renewed alike', () => {
			const node = (credentialed = true, test = false): INode => ({
				id: 'node',
				name: 'Coupa',
				type: test ? 'n8n-nodes-base.noOp' : 'n8n-nodes-coupa.coupa',
				typeVersion: 1,
				position: [0, 0],
				parameters: test ? { temp: '' } : {},
				...(credentialed
					? { credentials: { coupaApi: { id: 'coupa', name: 'Coupa account' } } }
					: {}),
			});
			const cases: Array<[string, ICredentialDataDecryptedObject, INode, boolean]> = [
				['no token yet', { accessToken: '' }, node(), false],
				['a token held', { accessToken: 'held-token' }, node(), false],
				['a token held that Coupa refused (401)', { accessToken: 'held-token' }, node(), true],
				[
					'a token held, during Test connection',
					{ accessToken: 'held-token' },
					node(true, true),
					false,
				],
				['no token yet, on a node without the credential', { accessToken: '' }, node(false), false],
				['an API key', { accessToken: '' }, node(), false],
			];
			test.each(cases)('%s', async (label, held, onNode, expired) => {
				// Each helper signs in with its own client id, so the package's token sharing never links them.
				const run = async (
					helper: Pick<ICredentialsHelper, 'preAuthentication'>,
					clientId: string,
					stored: () => ICredentialDataDecryptedObject | undefined,
				) => {
					let fetched = 0;
					const requester = {
						helpers: {
							httpRequest: async (options: IHttpRequestOptions) => {
								fetched++;
								expect(options.url).toBe(`${coupa.url}/oauth2/token`);
								return {
									statusCode: 200,
									headers: {},
									body: JSON.stringify({ access_token: `token-${fetched}`, expires_in: 3600 }),
								};
							},
						},
					} as unknown as IHttpRequestHelper;
					const data = { ...(label === 'an API key' ? apiKey() : oauth({ clientId })), ...held };
					const returned = await helper.preAuthentication(
						requester,
						{ ...data },
						'coupaApi',
						onNode,
						expired,
					);
					// The two runs sign in a moment apart: their renewal times are compared by shape only.
					const comparable = (result?: ICredentialDataDecryptedObject) =>
						result && {
							...result,
							clientId: undefined,
							renewAt:
								typeof result.renewAt === 'string' && result.renewAt ? 'a time' : result.renewAt,
						};
					return { returned: comparable(returned), fetched, stored: comparable(stored()) };
				};
				const harnessHelper = credentialsWith({
					...(label === 'an API key' ? apiKey() : oauth({ clientId: `harness-${label}` })),
					...held,
				});
				realStore.set('coupa', {
					type: 'coupaApi',
					data: {
						...(label === 'an API key' ? apiKey() : oauth({ clientId: `n8n-${label}` })),
						...held,
					},
				});
				const harness = await run(harnessHelper, `harness-${label}`, () =>
					harnessHelper.stored('coupa'),
				);
				const n8n = await run(real.helper, `n8n-${label}`, () => realStore.get('coupa')?.data);
				expect(harness).toEqual(n8n);
			});
		});

		test('requests are signed alike for each way the credential signs in', async () => {
			const requests: Array<[string, ICredentialDataDecryptedObject]> = [
				[
					'OAuth client with a token',
					oauth({ accessToken: 'abc', renewAt: new Date(Date.now() + 60_000).toISOString() }),
				],
				[
					'OAuth client with a token due for renewal',
					oauth({ accessToken: 'abc', renewAt: new Date(Date.now() - 1).toISOString() }),
				],
				['API key', apiKey()],
				['pasted access token', { url: coupa.url, authType: 'accessToken', token: 'pasted' }],
			];
			const harnessHelper = credentialsWith(oauth());
			for (const [label, data] of requests) {
				const sign = async (helper: Pick<ICredentialsHelper, 'authenticate'>) =>
					await helper.authenticate(
						{ ...data },
						'coupaApi',
						{ url: `${coupa.url}/api/invoices`, headers: { Accept: 'application/json' } },
						undefined as never,
						undefined as never,
					);
				expect([label, await sign(harnessHelper)]).toEqual([label, await sign(real.helper)]);
			}
		});

		test('the OAuth2 credential has the same fields, with its parent oAuth2Api', () => {
			const harnessHelper = credentialsWith(oauth());
			const fields = (helper: Pick<ICredentialsHelper, 'getCredentialsProperties'>) =>
				helper
					.getCredentialsProperties('coupaOAuth2Api')
					.map(({ name, type, default: value }) => ({ name, type, default: value }));
			expect(fields(harnessHelper)).toEqual(fields(real.helper));
		});
	},
);

if (!installed && !required) {
	// CI installs n8n only for the engines the end-to-end suite runs on (.ci/run), not for 1.85.
	test.skip(`n8n ${N8N_VERSION}'s own package is not installed in .e2e-cache/, so the harness is not compared with its credentials helper and tester: \`scripts/engine ${ENGINE} node -r ts-node/register/transpile-only -e "require('./e2e/n8n').installN8n()"\` installs it`, () =>
		undefined);
}
