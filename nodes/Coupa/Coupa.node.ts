import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { MAIN_CONNECTION } from './connection';
import { coupaCredentials, coupaNodeProperties } from './descriptions/properties';
import { COUPA_SUBTITLE } from './descriptions/subtitle';
import { getFilterFields } from './methods/loadOptions';
import { searchParents, searchRecords } from './methods/listSearch';
import { getColumns } from './methods/resourceMapping';
import { API_BASE_URL_EXPRESSION } from './transport/instanceUrl';

export class Coupa implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coupa',
		name: 'coupa',
		icon: { light: 'file:../../icons/coupa.svg', dark: 'file:../../icons/coupa.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: COUPA_SUBTITLE,
		description: 'Read, create, update and act on Coupa records',
		defaults: { name: 'Coupa' },
		usableAsTool: true,
		inputs: [MAIN_CONNECTION],
		outputs: [MAIN_CONNECTION],
		credentials: coupaCredentials,
		requestDefaults: {
			baseURL: API_BASE_URL_EXPRESSION,
			// Coupa answers XML unless JSON is asked for.
			headers: { Accept: 'application/json' },
		},
		properties: coupaNodeProperties(),
	};

	methods = {
		listSearch: { searchRecords, searchParents },
		loadOptions: { getFilterFields },
		resourceMapping: { getColumns },
	};
}
