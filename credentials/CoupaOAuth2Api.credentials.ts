import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DEFAULT_SCOPE } from '../nodes/Coupa/catalog';

/** The instance origin from the URL field, as `normaliseInstanceUrl` computes it, for n8n to evaluate. */
const INSTANCE = "String($self.url).trim().replace(/^(?!https?:\\/\\/)/i, 'https://').replace(/^(https?:\\/\\/[^\\/?#]+).*$/i, '$1')";

/**
 * Coupa's authorization code grant: a person signs in to Coupa and consents, n8n keeps the
 * refresh token (hence `offline_access`) and renews the access token itself.
 */
export class CoupaOAuth2Api implements ICredentialType {
	name = 'coupaOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Coupa OAuth2 API';

	icon: Icon = { light: 'file:../icons/coupa.svg', dark: 'file:../icons/coupa.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-coupa/n8n-nodes-coupa#sign-in-with-a-coupa-user-authorization-code';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://your-company.coupahost.com',
			description: 'Your Coupa instance. With or without /api and a trailing slash.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${INSTANCE} }}/oauth2/authorizations/new`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${INSTANCE} }}/oauth2/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: `openid offline_access ${DEFAULT_SCOPE}`,
			description:
				'Space-separated scopes, each granted to the client in Coupa. Keep offline_access: it lets n8n renew the sign-in without asking again.',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
