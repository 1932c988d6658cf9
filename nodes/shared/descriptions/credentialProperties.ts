/** Properties both Coupa credentials share. */
import type { INodeProperties } from 'n8n-workflow';

/** The instance URL field both Coupa credentials start with. */
export const INSTANCE_URL_PROPERTY: INodeProperties = {
	displayName: 'URL',
	name: 'url',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://your-company.coupahost.com',
	description: 'Your Coupa instance. With or without /api and a trailing slash.',
};
