/**
 * Calls a node's resource mapper method as n8n's editor backend does: the node's parameters
 * completed with their defaults, a Workflow holding the node, and n8n-core's LoadOptionsContext.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { INode, INodeParameters, INodeType, ResourceMapperFields } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials';
import { additionalDataFor, loadPackage } from './engine';

export async function loadResourceMapping(
	credentials: TestCredentialsHelper,
	nodeType: string,
	parameters: INodeParameters,
	method = 'getColumns',
): Promise<ResourceMapperFields> {
	const { nodeTypes } = loadPackage();
	const type = nodeTypes.getByNameAndVersion(nodeType, 1) as INodeType;
	const withDefaults = NodeHelpers.getNodeParameters(type.description.properties, parameters, true, false, null, type.description) ?? {};
	const node: INode = {
		id: 'node',
		name: 'Coupa',
		type: nodeType,
		typeVersion: 1,
		position: [0, 0],
		parameters: withDefaults,
		credentials: { coupaApi: { id: 'coupa', name: 'Coupa account' } },
	};
	const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(credentials), 'parameters.columns');
	const resourceMapping = type.methods?.resourceMapping?.[method];
	if (!resourceMapping) throw new Error(`${nodeType} has no resourceMapping.${method}`);
	return await resourceMapping.call(context);
}
