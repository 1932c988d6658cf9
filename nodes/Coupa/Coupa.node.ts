import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/connection';
import { coupaCredentials, coupaNodeProperties } from '../shared/descriptions/properties';
import { COUPA_SUBTITLE } from '../shared/descriptions/subtitle';
import { getFilterFields } from '../shared/methods/loadOptions';
import { searchParents, searchRecords } from '../shared/methods/listSearch';
import { getColumns } from '../shared/methods/resourceMapping';
import { API_BASE_URL_EXPRESSION } from '../shared/transport/instanceUrl';

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
