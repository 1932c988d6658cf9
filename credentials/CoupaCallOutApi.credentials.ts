import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The client id and secret a Coupa admin enters on a call out's endpoint (Setup > Integrations >
 * Call Outs, endpoint with Token URL, Client ID and Client Secret). Coupa presents them to the
 * Coupa Call Out Trigger's token URL; this n8n does not sign in anywhere with them.
 */
export class CoupaCallOutApi implements ICredentialType {
	name = 'coupaCallOutApi';

	displayName = 'Coupa Call Out API';

	icon: Icon = { light: 'file:../icons/coupa.svg', dark: 'file:../icons/coupa.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-coupa/n8n-nodes-coupa/blob/main/docs/call-out-trigger.md';

	properties: INodeProperties[] = [
		{
			displayName:
				"Choose any client ID and a long random secret, then enter the same pair on the call out's endpoint in Coupa",
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: "The Client ID entered on the call out's endpoint in Coupa",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The Client Secret entered on the call out's endpoint in Coupa. Changing it invalidates every token issued with the old one.",
		},
	];
}
