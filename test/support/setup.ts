/** Shared test setup: one simulator per test file and a stored Coupa credential pointing at it. */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { ALL_SCOPES, CoupaSimulator, DEFAULT_API_KEY, DEFAULT_CLIENT } from '../coupa-simulator';
import type { SimulatorOptions } from '../coupa-simulator';
import type { TestCredentialsHelper } from '../harness/credentials';
import type { NodeRun, RunOptions } from '../harness/engine';
import { COUPA_NODE, credentialsWith, runNode } from '../harness/engine';

/** An OAuth client credential for the simulator's default client, asking for every read and write scope. */
export function oauthCredential(coupa: CoupaSimulator, extra: ICredentialDataDecryptedObject = {}) {
	return {
		url: coupa.url,
		authType: 'oAuth2ClientCredentials',
		clientId: DEFAULT_CLIENT.id,
		clientSecret: DEFAULT_CLIENT.secret,
		scope: ALL_SCOPES.join(' '),
		...extra,
	};
}

export function apiKeyCredential(
	coupa: CoupaSimulator,
	extra: ICredentialDataDecryptedObject = {},
) {
	return { url: coupa.url, authType: 'apiKey', token: DEFAULT_API_KEY, ...extra };
}

export interface TestBed {
	coupa: CoupaSimulator;
	credentials: TestCredentialsHelper;
	/** Runs the Coupa node once through n8n's engine with the stored credential. */
	run(parameters: INodeParameters, options?: RunOptions): Promise<NodeRun>;
}

/** Starts a simulator before the file's tests and stops it after; `bed` is filled in `beforeAll`. */
export function useCoupa(options: SimulatorOptions = {}): TestBed {
	const bed = {} as TestBed;
	beforeAll(async () => {
		bed.coupa = await CoupaSimulator.start(options);
		bed.credentials = credentialsWith(oauthCredential(bed.coupa));
		bed.run = async (parameters, runOptions) =>
			await runNode(bed.credentials, COUPA_NODE, parameters, runOptions);
	});
	afterAll(async () => {
		await bed.coupa.stop();
	});
	return bed;
}

export const jsonOf = (run: NodeRun) => run.items.map((item) => item.json);
