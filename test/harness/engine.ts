/**
 * Runs the built package (dist/) through n8n's real execution engine: n8n-core's WorkflowExecute
 * drives the workflow and its RoutingNode makes the Coupa node's requests, exactly as inside n8n.
 * Only n8n's server side (database, UI) is replaced: credentials live in `TestCredentialsHelper`.
 */
import { ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import path from 'node:path';

import { newRunExecutionData } from './compat';
import { TestCredentialsHelper } from './credentials';

const ROOT = path.resolve(__dirname, '../..');
export const COUPA_NODE = 'n8n-nodes-coupa.coupa';
export const COUPA_TRIGGER_NODE = 'n8n-nodes-coupa.coupaTrigger';
export const INPUT_NODE = 'test.input';

/** The start node of test workflows: emits the items in its `items` parameter (like a Manual Trigger with pinned data). */
class InputNode implements INodeType {
	description = {
		displayName: 'Input',
		name: INPUT_NODE,
		group: ['input'],
		version: 1,
		description: 'Emits the test items',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	} as unknown as INodeType['description'];

	/** Items are JSON; an item's `$binary` ({ property: { text, fileName, mimeType } }) becomes n8n binary data. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		const output: INodeExecutionData[] = [];
		for (const { $binary, ...json } of items) {
			const item: INodeExecutionData = { json };
			for (const [property, file] of Object.entries(
				($binary ?? {}) as Record<string, { text: string; fileName: string; mimeType: string }>,
			)) {
				item.binary = {
					...item.binary,
					[property]: await this.helpers.prepareBinaryData(
						Buffer.from(file.text),
						file.fileName,
						file.mimeType,
					),
				};
			}
			output.push(item);
		}
		return [output];
	}
}

interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Map<string, ICredentialType>;
	nodes: Map<string, INodeType>;
}

let loaded: LoadedPackage | undefined;

/** Adds a node type from another package (e.g. n8n's HTTP Request node) to the engine's registry. */
export function registerNodeType(type: string, node: INodeType | IVersionedNodeType): void {
	loadPackage().nodes.set(type, node as INodeType);
}

/**
 * Loads nodes and credentials from dist/ with the engine's own community package loader
 * (n8n-core's PackageDirectoryLoader: package.json's `n8n` section, each class loaded as n8n
 * loads it, declarative nodes given the common Request Options), so a package that would not load
 * in that n8n release does not load here either.
 */
export function loadPackage(): LoadedPackage {
	if (loaded) return loaded;
	const loader = new PackageDirectoryLoader(ROOT);
	for (const file of loader.packageJson.n8n?.nodes ?? []) loader.loadNodeFromFile(file);
	for (const file of loader.packageJson.n8n?.credentials ?? []) loader.loadCredentialFromFile(file);
	const nodes = new Map<string, INodeType>();
	for (const [name, { type }] of Object.entries(loader.nodeTypes))
		nodes.set(`${loader.packageName}.${name}`, type as INodeType);
	nodes.set(INPUT_NODE, new InputNode());
	const credentialTypes = new Map<string, ICredentialType>();
	// The parent of coupaOAuth2Api, as n8n ships it (n8n-nodes-base of the same release).
	const { OAuth2Api } = require('n8n-nodes-base/dist/credentials/OAuth2Api.credentials') as {
		OAuth2Api: new () => ICredentialType;
	};
	credentialTypes.set('oAuth2Api', new OAuth2Api());
	for (const [name, { type }] of Object.entries(loader.credentialTypes))
		credentialTypes.set(name, type);
	const nodeTypes: INodeTypes = {
		getByName: (type: string) => nodes.get(type) as INodeType | IVersionedNodeType,
		getByNameAndVersion: (type: string, version?: number) => {
			const node = nodes.get(type);
			if (!node) throw new Error(`Unknown node type ${type}`);
			return NodeHelpers.getVersionedNodeType(node as INodeType | IVersionedNodeType, version);
		},
		getKnownTypes: () => ({}),
	};
	loaded = { nodeTypes, credentialTypes, nodes };
	return loaded;
}

export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeRun {
	/** Items of the node's first output; error items carry `error`. */
	items: INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

export interface RunOptions {
	/** Node type version (default 1). */
	typeVersion?: number;
	/** Items fed into the node (default: one empty item). */
	input?: IDataObject[];
	credentialId?: string;
	credentialType?: string;
	continueOnFail?: boolean;
	nodeName?: string;
}

/**
 * A workflow `Manual Trigger → <node>` (n8n's own Manual Trigger), or `Input → <node>` when the
 * test gives input items, executed by n8n's WorkflowExecute; returns the node's output.
 */
export async function runNode(
	credentials: TestCredentialsHelper,
	nodeType: string,
	parameters: INodeParameters,
	options: RunOptions = {},
): Promise<NodeRun> {
	const { nodeTypes } = loadPackage();
	const nodeName = options.nodeName ?? 'Coupa';
	const credentialType = options.credentialType ?? 'coupaApi';
	const start: INode = options.input
		? {
				id: 'input',
				name: 'Input',
				type: INPUT_NODE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(options.input) },
			}
		: {
				id: 'input',
				name: 'Input',
				type: MANUAL_TRIGGER,
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			};
	registerBaseNode(start.type);
	const nodes: INode[] = [
		start,
		{
			id: 'node',
			name: nodeName,
			type: nodeType,
			typeVersion: options.typeVersion ?? 1,
			position: [200, 0],
			parameters,
			credentials: {
				[credentialType]: { id: options.credentialId ?? 'coupa', name: 'Coupa account' },
			},
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'test',
		nodes,
		connections: { Input: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: 'test',
		name: 'test',
		nodes,
		connections: {},
		active: false,
		settings: {},
	} as never);
	const finished = new Promise<IRun>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
	);
	const additionalData = additionalDataFor(credentials, hooks);
	const runExecutionData: IRunExecutionData = newRunExecutionData([
		{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null },
	]);
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	try {
		await execute.processRunExecutionData(workflow);
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have issues (e.g. a required parameter left empty).
		return { items: [], error: error as NodeRun['error'], run: undefined as unknown as IRun };
	}
	const run = await finished;
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const items = taskData?.data?.main?.[0] ?? [];
	return { items, error: (taskData?.error ?? run.data.resultData.error) as NodeRun['error'], run };
}

/** A credentials helper holding one stored credential (id `coupa` by default). */
export function credentialsWith(
	data: ICredentialDataDecryptedObject,
	type = 'coupaApi',
	id = 'coupa',
): TestCredentialsHelper {
	const helper = new TestCredentialsHelper(loadPackage().credentialTypes);
	helper.save(id, type, data);
	return helper;
}

/** Node types of n8n-nodes-base that the example workflows use, registered on demand. */
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const BASE_NODES: Record<string, [string, string]> = {
	'n8n-nodes-base.manualTrigger': [
		'n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node',
		'ManualTrigger',
	],
	'n8n-nodes-base.set': ['n8n-nodes-base/dist/nodes/Set/Set.node', 'Set'],
	'n8n-nodes-base.summarize': [
		'n8n-nodes-base/dist/nodes/Transform/Summarize/Summarize.node',
		'Summarize',
	],
};

/** Registers one of n8n's own nodes (from n8n-nodes-base of the same release) the first time it is used. */
export function registerBaseNode(type: string): void {
	const { nodes: registry } = loadPackage();
	const base = BASE_NODES[type];
	if (base && !registry.has(type)) {
		const moduleExports = require(base[0]) as Record<string, new () => INodeType>;
		registry.set(type, new moduleExports[base[1]]());
	}
}

export interface WorkflowJson {
	nodes: INode[];
	connections: Workflow['connectionsBySourceNode'];
}

/**
 * Runs a whole workflow as a user imported it (e.g. examples/*.json), from its manual trigger,
 * with every Coupa credential pointed at the stored one. Returns each node's output items.
 */
export async function runWorkflow(
	credentials: TestCredentialsHelper,
	json: WorkflowJson,
	credentialId = 'coupa',
): Promise<{
	output: Record<string, INodeExecutionData[]>;
	runs: Record<string, INodeExecutionData[][]>;
	error?: Error;
}> {
	const { nodeTypes } = loadPackage();
	for (const node of json.nodes) registerBaseNode(node.type);
	const nodes = json.nodes.map((node) => ({
		...node,
		credentials: node.credentials?.coupaApi
			? { coupaApi: { id: credentialId, name: 'Coupa account' } }
			: node.credentials,
	}));
	const workflow = new Workflow({
		id: 'example',
		nodes,
		connections: json.connections,
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: 'example',
		name: 'example',
		nodes,
		connections: json.connections,
		active: false,
		settings: {},
	} as never);
	const finished = new Promise<IRun>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
	);
	const start = nodes[0];
	const runExecutionData = newRunExecutionData([
		{ node: start, data: { main: [[{ json: {} }]] }, source: null },
	]);
	await new WorkflowExecute(
		additionalDataFor(credentials, hooks),
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const run = await finished;
	// `output`: each node's first run; `runs`: every run of a node in a loop.
	const output: Record<string, INodeExecutionData[]> = {};
	const runs: Record<string, INodeExecutionData[][]> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		runs[name] = tasks.map((task) => task.data?.main?.[0] ?? []);
		output[name] = runs[name][0] ?? [];
	}
	return { output, runs, error: run.data.resultData.error as Error | undefined };
}
