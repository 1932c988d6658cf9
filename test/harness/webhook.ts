/**
 * A webhook trigger of the built package (dist/) served on 127.0.0.1 as n8n serves a production
 * webhook: n8n-core's real WebhookContext runs the node's `webhook()` with the HTTP request and
 * response, the body read first as n8n reads it (its bytes kept as `rawBody`, JSON and forms
 * parsed; n8n's XML pre-parse, xml2js, is left out because the trigger reads the bytes), and an
 * accepted call starts the workflow: its items are run by n8n's WorkflowExecute. Only n8n's web
 * server is replaced; the response modes `lastNode` and `responseNode`, which n8n's server
 * implements, are covered by the end-to-end suite in a real n8n.
 */
import { WebhookContext, WorkflowExecute, ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { newRunExecutionData } from './compat';
import type { TestCredentialsHelper } from './credentials';
import type { WorkflowJson } from './engine';
import { additionalDataFor, loadPackage, registerBaseNode } from './engine';

export const CALL_OUT_TRIGGER_NODE = 'n8n-nodes-coupa.coupaCallOutTrigger';
/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MB): bodies beyond it never reach a node. */
const PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

export interface ServedTrigger {
	base: string;
	tokenUrl: string;
	callOutUrl: string;
	/** The items of each workflow run the trigger started, in order. */
	runs: INodeExecutionData[][];
	/** Each run's output per node name. */
	outputs: Array<Record<string, INodeExecutionData[]>>;
	/** How many times the node's webhook() ran (accepted or not). */
	webhookCalls: number;
	staticData: IDataObject;
	stop(): Promise<void>;
}

/** The body, or `tooLarge` once it passes n8n's limit (the rest is read and dropped, so the caller gets the answer, not a reset). */
async function readBody(request: IncomingMessage): Promise<Buffer | 'tooLarge'> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size <= PAYLOAD_SIZE_MAX) chunks.push(chunk as Buffer);
	}
	return size > PAYLOAD_SIZE_MAX ? 'tooLarge' : Buffer.concat(chunks);
}

/**
 * Serves one Call Out Trigger with `parameters`, its credential `coupaCallOutApi` id `callout`
 * in `credentials`, in workflow `workflowId`, at /webhook/<webhookId>/{token,callout}.
 */
export async function serveCallOutTrigger(
	credentials: TestCredentialsHelper,
	parameters: INodeParameters,
	{
		workflowId = 'callout-workflow',
		webhookId = 'b6f1c1f0-0000-4000-8000-000000000001',
		workflow: json,
	}: { workflowId?: string; webhookId?: string; workflow?: WorkflowJson } = {},
): Promise<ServedTrigger> {
	const { nodeTypes } = loadPackage();
	const nodeType = nodeTypes.getByNameAndVersion(CALL_OUT_TRIGGER_NODE, 1) as INodeType;
	// A whole workflow (e.g. an example) runs with its stored credentials pointed at the test ones.
	const nodes: INode[] = json
		? json.nodes.map((n) => ({
				...n,
				credentials: n.credentials?.coupaApi
					? { coupaApi: { id: 'coupa', name: 'Coupa' } }
					: n.credentials?.coupaCallOutApi
						? { coupaCallOutApi: { id: 'callout', name: 'Coupa Call Out' } }
						: n.credentials,
			}))
		: [
				{
					id: 'trigger-node',
					name: 'Coupa Call Out Trigger',
					type: CALL_OUT_TRIGGER_NODE,
					typeVersion: 1,
					position: [0, 0],
					parameters,
					credentials: { coupaCallOutApi: { id: 'callout', name: 'Coupa Call Out' } },
				},
			];
	for (const n of nodes) registerBaseNode(n.type);
	const node = nodes.find((n) => n.type === CALL_OUT_TRIGGER_NODE) as INode;
	node.webhookId = webhookId;
	const staticData: IDataObject = {};
	const workflow = new Workflow({
		id: workflowId,
		nodes,
		connections: json?.connections ?? {},
		nodeTypes,
		active: true,
		staticData,
		settings: {},
	});
	const served: Omit<ServedTrigger, 'base' | 'tokenUrl' | 'callOutUrl' | 'stop'> = {
		runs: [],
		outputs: [],
		webhookCalls: 0,
		staticData,
	};

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const description = (nodeType.description.webhooks ?? []).find(
			(w) => request.url === `/webhook/${webhookId}/${w.path}`,
		) as IWebhookDescription | undefined;
		if (!description || request.method !== 'POST') {
			response
				.writeHead(404, { 'content-type': 'application/json' })
				.end('{"message":"not registered"}');
			return;
		}
		const raw = await readBody(request);
		if (raw === 'tooLarge') {
			response
				.writeHead(413, { 'content-type': 'application/json' })
				.end('{"message":"request entity too large"}');
			return;
		}
		const req = request as IncomingMessage & {
			rawBody?: Buffer;
			body?: unknown;
			contentType?: string;
		};
		req.rawBody = raw;
		const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim();
		req.contentType = contentType;
		req.body = {};
		try {
			if (raw.length && contentType === 'application/json')
				req.body = JSON.parse(raw.toString('utf8'));
			else if (raw.length && contentType === 'application/x-www-form-urlencoded')
				req.body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
		} catch {
			// n8n answers 422 "Failed to parse request body" without calling the node.
			response
				.writeHead(422, { 'content-type': 'application/json' })
				.end('{"message":"Failed to parse request body"}');
			return;
		}
		const additionalData = {
			...additionalDataFor(credentials),
			httpRequest: req,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		served.webhookCalls++;
		const result = await nodeType.webhook!.call(context);
		if (result.noWebhookResponse) return;
		if (result.workflowData) {
			served.runs.push(result.workflowData[0]);
			const run = await runFrom(workflow, node, credentials, result.workflowData);
			const output: Record<string, INodeExecutionData[]> = {};
			for (const [name, tasks] of Object.entries(run.data.resultData.runData))
				output[name] = tasks[0]?.data?.main?.[0] ?? [];
			served.outputs.push(output);
		}
		if (!response.headersSent)
			response
				.writeHead(200, { 'content-type': 'application/json' })
				.end(JSON.stringify(result.webhookResponse ?? { message: 'Workflow was started' }));
	};

	const server: Server = createServer((request, response) => {
		handle(request, response).catch((error: Error) => {
			if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ message: `Workflow Webhook Error: ${error.message}` }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return Object.assign(served, {
		base,
		tokenUrl: `${base}/webhook/${webhookId}/token`,
		callOutUrl: `${base}/webhook/${webhookId}/callout`,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	}) as ServedTrigger;
}

/** The run n8n starts with the trigger's items: WorkflowExecute from the trigger node. */
async function runFrom(
	workflow: Workflow,
	node: INode,
	credentials: TestCredentialsHelper,
	data: INodeExecutionData[][],
): Promise<IRun> {
	const hooks = new ExecutionLifecycleHooks('webhook', '1', {
		id: workflow.id,
		name: 'callout',
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: true,
		settings: {},
	} as never);
	const finished = new Promise<IRun>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
	);
	const runExecutionData = newRunExecutionData([{ node, data: { main: data }, source: null }]);
	await new WorkflowExecute(
		additionalDataFor(credentials, hooks),
		'webhook',
		runExecutionData,
	).processRunExecutionData(workflow);
	return await finished;
}
