/**
 * Runs a credential's built-in `test` request as n8n's Test connection button does
 * (packages/cli/src/services/credentials-tester.service.ts): a temporary node whose only
 * parameter routes the test request, executed by n8n-core's RoutingNode, then the test's rules.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { newRunExecutionData } from './compat';
import type { TestCredentialsHelper } from './credentials';
import { additionalDataFor, loadPackage } from './engine';

export async function testCredential(
	credentials: TestCredentialsHelper,
	type = 'coupaApi',
	id = 'coupa',
): Promise<INodeCredentialTestResult> {
	const credentialType = loadPackage().credentialTypes.get(type);
	const testRequest = credentialType?.test;
	if (!testRequest)
		return { status: 'Error', message: 'No testing function found for this credential.' };

	const additionalData = additionalDataFor(credentials);
	const data = (await credentials.getDecrypted(
		additionalData,
		{ id, name: 'Coupa account' },
		type,
	)) as ICredentialDataDecryptedObject;
	const decrypted: ICredentialsDecrypted = { id, name: 'Coupa account', type, data };

	const nodeType = {
		description: {
			displayName: 'No Operation',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: { id, name: 'Coupa account' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType as INodeType | IVersionedNodeType,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(nodeType),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const runExecutionData: IRunExecutionData = newRunExecutionData();
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, decrypted);
	try {
		await routingNode.runNode();
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String((error as Error).message) };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
