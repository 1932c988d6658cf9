/**
 * A credentials helper that behaves as n8n's (packages/cli/src/credentials-helper.ts) for what
 * this package relies on: function or generic `authenticate`, `preAuthentication` run when the
 * expirable field is empty, after a 401, or during a credential test, and its result persisted
 * so the next execution reuses the token. Credentials live in memory instead of a database.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import type { INodeTypes } from 'n8n-workflow';

const EMPTY_NODE_TYPES = {
	getByName: () => undefined,
	getByNameAndVersion: () => undefined,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const OAUTH_TOKEN_DATA: INodeProperties = {
	displayName: 'oauthTokenData',
	name: 'oauthTokenData',
	type: 'json',
	required: false,
	default: {},
};
const EXPRESSION_NODE: INode = {
	id: 'credential',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Stored credential data by id, as n8n's database would hold it. */
	readonly store = new Map<string, { type: string; data: ICredentialDataDecryptedObject }>();

	/** How many times each credential type's preAuthentication ran (token fetches). */
	preAuthenticationCalls = 0;

	constructor(private readonly credentialTypes: Map<string, ICredentialType>) {
		super();
	}

	save(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { type, data: { ...data } });
	}

	stored(id: string): ICredentialDataDecryptedObject {
		const entry = this.store.get(id);
		if (!entry) throw new Error(`No credential with id ${id}`);
		return entry.data;
	}

	private type(name: string): ICredentialType {
		const type = this.credentialTypes.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.credentialTypes.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			const options = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
				options[outerKey] = options[outerKey] ?? {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					options[outerKey][key] =
						workflow && node && typeof value === 'string' && value.startsWith('=')
							? String(
									workflow.expression.getSimpleParameterValue(node, value, 'internal', {
										$credentials: credentials,
									}) ?? '',
								)
							: value;
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		// As n8n: the new token is kept, and used, only when the node holds the credential.
		const nodeCredentials = node.credentials?.[type.name];
		if (!nodeCredentials) return undefined;
		if (nodeCredentials.id && this.store.has(nodeCredentials.id)) {
			await this.updateCredentials(nodeCredentials, type.name, {
				...this.stored(nodeCredentials.id),
				...(output as ICredentialDataDecryptedObject),
			});
		}
		return Object.assign(credentials, output as ICredentialDataDecryptedObject);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const data = this.stored(nodeCredentials.id ?? '');
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: () => ({ ...data }),
			getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
			setData: () => undefined,
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		// A fresh copy with the type's defaults filled in and its expressions resolved against
		// the credential itself ($self), as n8n decrypts one per execution.
		const properties = this.getCredentialsProperties(type);
		const defaults = Object.fromEntries(
			properties.map((property) => [property.name, property.default]),
		);
		const data = {
			...defaults,
			...this.stored(nodeCredentials.id ?? ''),
		} as ICredentialDataDecryptedObject;
		const workflow = new Workflow({
			nodes: [],
			connections: {},
			active: false,
			nodeTypes: EMPTY_NODE_TYPES,
		});
		const resolved = { ...data };
		for (const [key, value] of Object.entries(data)) {
			if (typeof value === 'string' && value.startsWith('=')) {
				resolved[key] = workflow.expression.getComplexParameterValue(
					EXPRESSION_NODE,
					value,
					'internal',
					{},
					undefined,
					undefined,
					data,
				) as string;
			}
		}
		return resolved;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.save(nodeCredentials.id ?? '', type, data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.stored(nodeCredentials.id ?? '');
		this.save(nodeCredentials.id ?? '', type, { ...stored, oauthTokenData: data });
	}

	/** As n8n merges them: each parent's fields, overridden in place by the type's own; n8n adds its token data field to the OAuth bases. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.type(type);
		if (credentialType.extends === undefined) {
			return ['oAuth1Api', 'oAuth2Api'].includes(type)
				? [...credentialType.properties, OAUTH_TOKEN_DATA]
				: credentialType.properties;
		}
		const merged: INodeProperties[] = [];
		for (const parent of credentialType.extends)
			NodeHelpers.mergeNodeProperties(merged, this.getCredentialsProperties(parent));
		NodeHelpers.mergeNodeProperties(merged, credentialType.properties);
		return merged;
	}
}
