import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DEFAULT_SCOPE } from '../nodes/shared/schema/defaultScope';
import { INSTANCE_URL_PROPERTY } from '../nodes/shared/descriptions/credentialProperties';
import { instanceOriginExpression } from '../nodes/shared/transport/instanceUrl';

const INSTANCE = instanceOriginExpression('$self');

/**
 * Coupa's authorization code grant: a person signs in to Coupa and consents, n8n keeps the
 * refresh token (hence `offline_access`) and renews the access token itself.
 */
export class CoupaOAuth2Api implements ICredentialType {
	name = 'coupaOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Coupa OAuth2 API';

	icon: Icon = { light: 'file:../icons/coupa.svg', dark: 'file:../icons/coupa.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-coupa/n8n-nodes-coupa#sign-in-with-a-coupa-user-authorization-code';

	properties: INodeProperties[] = [
		INSTANCE_URL_PROPERTY,
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
