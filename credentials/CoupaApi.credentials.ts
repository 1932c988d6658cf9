import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_SCOPE } from '../nodes/shared/schema/defaultScope';
import { DEFAULT_TIMEOUT_SECONDS } from '../nodes/shared/transport/deadline';
import { DEFAULT_REQUESTS_PER_SECOND } from '../nodes/shared/transport/rateLimiter';
import {
	CoupaTokenError,
	fetchClientCredentialsToken,
	REFUSED_TOKEN_FIELD,
	signInUrl,
} from '../nodes/shared/transport/token';
import { INSTANCE_URL_PROPERTY } from '../nodes/shared/descriptions/credentialProperties';
import {
	API_BASE_URL_EXPRESSION,
	normaliseInstanceUrl,
	plainHttpProblem,
} from '../nodes/shared/transport/instanceUrl';

function isDueForRenewal(credentials: ICredentialDataDecryptedObject): boolean {
	const renewAt = Date.parse(String(credentials.renewAt ?? ''));
	return !Number.isNaN(renewAt) && Date.now() >= renewAt;
}

export class CoupaApi implements ICredentialType {
	name = 'coupaApi';

	displayName = 'Coupa API';

	icon: Icon = { light: 'file:../icons/coupa.svg', dark: 'file:../icons/coupa.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-coupa/n8n-nodes-coupa#credentials';

	httpRequestNode = {
		name: 'Coupa',
		docsUrl:
			'https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api',
		apiBaseUrlPlaceholder: 'https://your-company.coupahost.com/api/',
	};

	properties: INodeProperties[] = [
		INSTANCE_URL_PROPERTY,
		{
			displayName: 'Authentication Type',
			name: 'authType',
			type: 'options',
			options: [
				{
					name: 'OAuth 2.0 Client Credentials',
					value: 'oAuth2ClientCredentials',
					description: 'An OAuth2/OpenID Connect client with the client credentials grant',
				},
				{
					name: 'API Key (Deprecated)',
					value: 'apiKey',
					description: 'A legacy Coupa API key; Coupa no longer issues new keys',
				},
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'A bearer token obtained elsewhere, sent as is and never refreshed',
				},
			],
			default: 'oAuth2ClientCredentials',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The API key (sent as X-COUPA-API-KEY) or the access token (sent as a bearer token)',
			displayOptions: { show: { authType: ['apiKey', 'accessToken'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authType: ['oAuth2ClientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['oAuth2ClientCredentials'] } },
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: DEFAULT_SCOPE,
			description:
				'Space-separated scopes, each granted to the client in Coupa (Setup > Integrations > OAuth2/OpenID Connect Clients). Add the write scopes (e.g. core.invoice.write) for the records you change. Empty: the token request names no scope and Coupa grants what the client has.',
			displayOptions: { show: { authType: ['oAuth2ClientCredentials'] } },
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-company.coupahost.com/oauth2/token',
			description: 'Leave empty to use {URL}/oauth2/token',
			displayOptions: { show: { authType: ['oAuth2ClientCredentials'] } },
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_REQUESTS_PER_SECOND,
			description:
				'Most requests one n8n process sends to this Coupa instance per second, shared by every node and workflow using it (Coupa allows 25, with a burst of 20). In queue mode, divide 24 by the number of workers; left higher, each worker still backs off on its own when Coupa answers 429. 0 turns the limit off.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Renew At',
			name: 'renewAt',
			type: 'hidden',
			default: '',
		},
	];

	// n8n calls this when the cached token is empty or Coupa answered 401, and persists the result.
	// An API key or pasted token never fills the cached token, so this also runs before each of
	// their calls and before every Test connection: the URL is checked here for every sign-in.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authType !== undefined && credentials.authType !== 'oAuth2ClientCredentials') {
			signInUrl(() => normaliseInstanceUrl(credentials.url));
			return {};
		}
		const { accessToken, renewAt } = await fetchClientCredentialsToken(this, credentials);
		return { accessToken, renewAt, [REFUSED_TOKEN_FIELD]: '' };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const problem = plainHttpProblem(requestOptions);
		if (problem !== undefined) throw new CoupaTokenError(problem);
		const headers = { ...requestOptions.headers };
		if (credentials.authType === 'apiKey') {
			headers['X-COUPA-API-KEY'] = String(credentials.token ?? '');
		} else if (credentials.authType === 'accessToken') {
			headers.Authorization = `Bearer ${String(credentials.token ?? '')}`;
		} else if (!isDueForRenewal(credentials)) {
			headers.Authorization = `Bearer ${String(credentials.accessToken ?? '')}`;
		}
		// A token due for renewal is left out: Coupa answers 401 and n8n fetches a new token
		// (preAuthentication) and sends the same request once more, hours before the old one expires.
		return { ...requestOptions, headers };
	}

	// Needs only the base read scope, so it proves the URL and the secret for any client.
	test: ICredentialTestRequest = {
		request: {
			baseURL: API_BASE_URL_EXPRESSION,
			url: '/currencies',
			qs: { limit: 1, fields: '["id"]' },
			headers: { Accept: 'application/json' },
			// The sign-in before it ends by the same default (token.ts); this bounds a silent answer here.
			timeout: DEFAULT_TIMEOUT_SECONDS * 1000,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Coupa refused the credential (401): check the API key or access token, or that the OAuth client is active',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Signed in, but the client lacks the scope core.common.read: add it to the OAuth client in Coupa and to the Scope field',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Coupa API at this URL (404): use your instance address, e.g. https://your-company.coupahost.com',
				},
			},
		],
	};
}
