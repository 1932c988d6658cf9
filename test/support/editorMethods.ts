/**
 * Calls a node's editor methods (listSearch, loadOptions) the way n8n's server does
 * (packages/cli DynamicNodeParametersService): a one-node workflow holding the parameters the
 * editor shows, and n8n-core's own LoadOptionsContext as `this`.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import type { TestCredentialsHelper } from '../harness/credentials';
import { additionalDataFor, COUPA_NODE, loadPackage } from '../harness/engine';

function contextFor(
	credentials: TestCredentialsHelper,
	parameters: INodeParameters,
	path: string,
	nodeType = COUPA_NODE,
) {
	const { nodeTypes, nodes } = loadPackage();
	// The editor sends every parameter, defaults included (Authentication among them).
	const description = nodes.get(nodeType)!.description;
	parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			null,
			description,
		) ?? parameters;
	const node: INode = {
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: nodeType,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { coupaApi: { id: 'coupa', name: 'Coupa account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = { ...additionalDataFor(credentials), currentNodeParameters: parameters };
	return new LoadOptionsContext(workflow, workflow.nodes['Temp-Node'], additionalData, path);
}

/** One page of a resource locator's list, as the editor asks for it. */
export async function listSearch(
	credentials: TestCredentialsHelper,
	method: string,
	parameters: INodeParameters,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const node = loadPackage().nodes.get(COUPA_NODE)!;
	const search = node.methods?.listSearch?.[method];
	if (!search) throw new Error(`The Coupa node has no listSearch method ${method}`);
	return await search.call(
		contextFor(credentials, parameters, 'parameters.id'),
		filter,
		paginationToken,
	);
}

/** A loadOptions list, as the editor asks for it for the parameter at `path`. */
export async function loadOptions(
	credentials: TestCredentialsHelper,
	method: string,
	parameters: INodeParameters,
	path: string,
	nodeType = COUPA_NODE,
): Promise<INodePropertyOptions[]> {
	const node = loadPackage().nodes.get(nodeType)!;
	const load = node.methods?.loadOptions?.[method];
	if (!load) throw new Error(`${nodeType} has no loadOptions method ${method}`);
	return await load.call(contextFor(credentials, parameters, path, nodeType));
}

/** A resource mapper's fields (`columns`), as the editor asks for them. */
export async function loadResourceMapping(
	credentials: TestCredentialsHelper,
	nodeType: string,
	parameters: INodeParameters,
	method = 'getColumns',
): Promise<ResourceMapperFields> {
	const node = loadPackage().nodes.get(nodeType)!;
	const resourceMapping = node.methods?.resourceMapping?.[method];
	if (!resourceMapping) throw new Error(`${nodeType} has no resourceMapping.${method}`);
	return await resourceMapping.call(
		contextFor(credentials, parameters, 'parameters.columns', nodeType),
	);
}
