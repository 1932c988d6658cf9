/**
 * End to end in a real n8n (`npm run test:e2e`): the packed package installed as n8n installs
 * community packages, a credential and workflows imported with n8n's CLI, workflows (the examples
 * among them) run with `n8n execute`, and the credential test endpoint of a running `n8n start`
 * called as the Test connection button does. Coupa is the bundled simulator, in this process, so
 * its log can be read.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { CoupaSimulator } from '../test/coupa-simulator';
import {
	CALL_OUT_CREDENTIAL,
	callOutChecks,
	callOutWorkflows,
	publishCallOutWorkflows,
} from './callout';
import {
	activateWorkflow,
	chainedWorkflow,
	check,
	coupaNode,
	CREDENTIAL_REF,
	finish,
	importIntoN8n,
	N8N_VERSION,
	n8nCli,
	n8nNode,
	n8nWithPackedPackage,
	ROOT,
	simulatorCredential,
	startN8n,
	timed,
} from './n8n';

type RunOutput = {
	data: {
		resultData: {
			error?: { message: string };
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>
			>;
		};
	};
};

/**
 * `--rawOutput` prints the run's JSON (indented, so it starts with a line `{` and ends with a line
 * `}`) among n8n's log lines, before it and sometimes after it (the task runner registering late).
 */
function parseRun(output: string): RunOutput {
	const start = output.indexOf('\n{');
	const end = output.lastIndexOf('\n}');
	try {
		return JSON.parse(
			output.slice(start >= 0 ? start + 1 : output.indexOf('{'), end > start ? end + 2 : undefined),
		);
	} catch {
		throw new Error(`n8n execute printed no run data:\n${output.slice(-3000)}`);
	}
}

/** A workflow started by hand (`n8n execute`), running its nodes one after another. */
function workflow(id: string, name: string, ...nodes: Array<Record<string, unknown>>) {
	return chainedWorkflow(id, name, [
		n8nNode('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		...nodes,
	]);
}

const TRIGGER_EXAMPLES = { invoices: 'e2eExampleInvo09', suppliers: 'e2eExampleSupp10' };

const TOOL_WORKFLOW = 'e2eCoupaTool0011';

/**
 * The "Coupa Tool" n8n builds from `usableAsTool`, under an AI Agent as a user wires it. Run on its
 * own from the editor, n8n puts its Tool Executor in the agent's place (no model is called) and
 * fills the $fromAI() parameters from the request.
 */
function toolWorkflow() {
	return {
		id: TOOL_WORKFLOW,
		name: 'Coupa as an AI tool',
		active: false,
		nodes: [
			n8nNode('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			n8nNode('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3.1, {}),
			n8nNode(
				'Coupa Tool',
				'n8n-nodes-coupa.coupaTool',
				1,
				{
					resource: 'purchaseOrder',
					operation: 'get',
					id: {
						__rl: true,
						mode: 'id',
						value:
							"={{ $fromAI('purchaseOrderId', 'The Coupa ID of the purchase order', 'number') }}",
					},
					simplify: true,
				},
				{ credentials: CREDENTIAL_REF },
			),
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Coupa Tool': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * A trigger example as the e2e suite runs it: polled every minute (the test cannot wait an hour),
 * and without its Google Sheets step, which needs a Google account (n8n refuses to publish a
 * workflow with a node lacking its credential).
 */
function forLiveRun<
	T extends {
		nodes: Array<{ type?: string; name?: string; parameters?: Record<string, unknown> }>;
		connections?: Record<string, unknown>;
	},
>(workflow: T): T {
	const external = workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.googleSheets')
		.map((node) => node.name);
	workflow.nodes = workflow.nodes.filter((node) => !external.includes(node.name));
	for (const node of workflow.nodes)
		if (node.parameters?.pollTimes) node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	if (external.length) workflow.connections = {};
	return workflow;
}

/** An example workflow from examples/, as a user imports it, pointed at the e2e credential. */
function example(id: string, file: string) {
	const json = JSON.parse(readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as {
		nodes: Array<{
			type?: string;
			name?: string;
			credentials?: unknown;
			parameters?: Record<string, unknown>;
		}>;
		connections?: Record<string, unknown>;
	};
	for (const node of json.nodes) if (node.credentials) node.credentials = CREDENTIAL_REF;
	return { ...json, id, active: false };
}

async function main(): Promise<void> {
	console.log(`n8n ${N8N_VERSION} on Node ${process.versions.node}`);
	const coupa = await CoupaSimulator.start();
	const { userFolder, env } = await n8nWithPackedPackage('user-');
	try {
		const credential = simulatorCredential(coupa, 'coupa-e2e', [
			'core.common.read',
			'core.purchase_order.read',
			'core.purchase_order.write',
			'core.supplier.read',
			'core.supplier.write',
			'core.invoice.read',
			'core.invoice.write',
			'core.approval.read',
			'core.approval.write',
			'core.requisition.read',
			'core.requisition.write',
		]);
		const workflows = [
			workflow(
				'e2eReturnAll0001',
				'Return All',
				coupaNode('Coupa', { resource: 'purchaseOrder', operation: 'getAll', returnAll: true }),
			),
			workflow(
				'e2eFiltered00002',
				'Filtered read',
				coupaNode('Coupa', {
					resource: 'supplier',
					operation: 'getAll',
					returnAll: true,
					filters: { conditions: [{ field: 'status', operator: 'eq', value: 'inactive' }] },
				}),
			),
			workflow(
				'e2eCreate0000003',
				'Create',
				coupaNode('Coupa', {
					resource: 'supplier',
					operation: 'create',
					jsonBody: JSON.stringify({
						...coupa.sampleBody('suppliers'),
						name: 'Created In Real n8n',
					}),
				}),
			),
			workflow(
				'e2eAction0000004',
				'PO action',
				coupaNode('Coupa', { resource: 'purchaseOrder', operation: 'issue', id: '4' }),
			),
			workflow(
				'e2eExported00005',
				'Mark exported loop',
				coupaNode('Unexported', {
					resource: 'purchaseOrder',
					operation: 'getAll',
					returnAll: true,
					filters: {
						conditions: [
							{ field: 'exported', operator: 'eq', value: 'false' },
							{ field: 'status', operator: 'eq', value: 'issued' },
						],
					},
				}),
				coupaNode('Mark', {
					resource: 'purchaseOrder',
					operation: 'markExported',
					id: '={{ $json.id }}',
				}),
			),
			workflow(
				'e2eContinue00006',
				'Continue on fail',
				coupaNode(
					'Coupa',
					{ resource: 'invoice', operation: 'get', id: '99999' },
					{ onError: 'continueRegularOutput' },
				),
			),
			example('e2eExampleExpo07', 'export-unexported-invoices.json'),
			example('e2eExampleAppr08', 'approve-pending-requisition-approvals.json'),
			example('e2eExampleBatc11', 'read-in-batches.json'),
			forLiveRun(example(TRIGGER_EXAMPLES.invoices, 'approved-invoices-to-sheet.json')),
			forLiveRun(example(TRIGGER_EXAMPLES.suppliers, 'sync-new-suppliers.json')),
			toolWorkflow(),
			...callOutWorkflows(),
		];
		await timed('import credential and workflows', () =>
			importIntoN8n(env, userFolder, [credential, CALL_OUT_CREDENTIAL], workflows),
		);

		const execute = async (id: string) => {
			coupa.clearLog();
			return await timed(`execute ${id}`, async () =>
				parseRun(await n8nCli(env, 'execute', `--id=${id}`, '--rawOutput')),
			);
		};
		const output = (run: RunOutput, node: string) =>
			run.data.resultData.runData[node]?.[0]?.data?.main[0]?.map((item) => item.json) ?? [];
		const all = await execute('e2eReturnAll0001');
		// The first page alone, then the last page, then the ids between: three calls at any latency.
		check(
			'Return All reads every purchase order, 50 a call',
			output(all, 'Coupa').length === 137 && coupa.apiRequests().length === 3,
			`${output(all, 'Coupa').length} records, ${coupa.apiRequests().length} calls`,
		);

		const batched = await execute('e2eExampleBatc11');
		const batches = (batched.data.resultData.runData['Next batch'] ?? []).map((task) =>
			(task.data?.main[0] ?? []).map((item) => item.json.id),
		);
		check(
			'example "read in batches" reads every purchase order once, a batch a run, until an empty batch',
			JSON.stringify(batches.map((ids) => ids.length)) === '[50,50,37,0]' &&
				JSON.stringify(batches.flat()) ===
					JSON.stringify(coupa.records('purchase_orders').map((r) => r.id)),
			`batches of ${batches.map((ids) => ids.length).join(', ')}`,
		);

		const filtered = await execute('e2eFiltered00002');
		const inactive = coupa
			.records('suppliers')
			.filter((r) => r.status === 'inactive')
			.map((r) => r.id);
		check(
			'a filtered read returns what Coupa selects',
			JSON.stringify(output(filtered, 'Coupa').map((r) => r.id)) === JSON.stringify(inactive) &&
				coupa.apiRequests()[0].query.status === 'inactive',
		);

		await execute('e2eCreate0000003');
		check(
			'a create makes one supplier',
			coupa.records('suppliers').filter((r) => r.name === 'Created In Real n8n').length === 1 &&
				coupa.apiRequests().filter((r) => r.method === 'POST').length === 1,
		);

		const issued = await execute('e2eAction0000004');
		check(
			'a PO action issues the draft PO',
			output(issued, 'Coupa')[0]?.status === 'issued' &&
				coupa.record('purchase_orders', 4)?.status === 'issued',
		);

		const wanted = coupa
			.records('purchase_orders')
			.filter((r) => r.exported === false && r.status === 'issued').length;
		const marked = await execute('e2eExported00005');
		check(
			'the mark-exported loop marks each unexported PO',
			output(marked, 'Mark').length === wanted &&
				wanted > 0 &&
				output(marked, 'Mark').every((r) => r.exported === true),
			`${wanted} POs`,
		);

		const failed = await execute('e2eContinue00006');
		const errorItem = output(failed, 'Coupa')[0];
		check(
			'Continue on fail turns the 404 into an output item',
			typeof errorItem?.error === 'string' && String(errorItem.error).includes('404'),
			String(errorItem?.error),
		);

		const toExport = coupa
			.records('invoices')
			.filter((r) => r.status === 'approved' && r.exported === false)
			.map((r) => r.id);
		const exported = await execute('e2eExampleExpo07');
		check(
			'example "export unexported invoices" marks each approved invoice exported',
			toExport.length > 0 &&
				JSON.stringify(output(exported, 'Mark exported').map((r) => r.id)) ===
					JSON.stringify(toExport) &&
				toExport.every((id) => coupa.record('invoices', id)?.exported === true),
			`${toExport.length} invoices`,
		);

		const toApprove = coupa
			.records('approvals')
			.filter((r) => r.status === 'pending' && r['approvable-type'] === 'RequisitionHeader')
			.map((r) => r.id);
		const approved = await execute('e2eExampleAppr08');
		check(
			'example "approve pending requisition approvals" approves each of them',
			toApprove.length > 0 &&
				output(approved, 'Approve').length === toApprove.length &&
				toApprove.every((id) => coupa.record('approvals', id)?.status === 'approved'),
			`${toApprove.length} approvals`,
		);

		// The Coupa Trigger examples run only in a running n8n: published, then polled by its scheduler.
		for (const id of Object.values(TRIGGER_EXAMPLES)) await activateWorkflow(env, id);
		await publishCallOutWorkflows(env);
		await liveN8nChecks(env, credential, coupa);
	} finally {
		await coupa.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	finish('e2e');
}

/**
 * A running `n8n start`: POST /rest/credentials/test as the Test connection button does, and the
 * published Coupa Trigger examples polling Coupa on n8n's own schedule.
 */
async function liveN8nChecks(
	env: NodeJS.ProcessEnv,
	credential: { id: string; name: string; type: string; data: Record<string, unknown> },
	coupa: CoupaSimulator,
): Promise<void> {
	const n8n = await timed('n8n start', () => startN8n(env));
	try {
		const rest = async (route: string, init: RequestInit = {}) => {
			const response = await fetch(`${n8n.base}/rest/${route}`, {
				...init,
				headers: {
					'content-type': 'application/json',
					cookie: n8n.cookie,
					'browser-id': 'e2e',
					...init.headers,
				},
			});
			return { status: response.status, text: await response.text() };
		};
		const test = async (data: Record<string, unknown>) => {
			const { status, text } = await rest('credentials/test', {
				method: 'POST',
				body: JSON.stringify({ credentials: { ...credential, data } }),
			});
			return (
				(JSON.parse(text) as { data?: { status: string; message: string } }).data ?? {
					status: `HTTP ${status}`,
					message: text,
				}
			);
		};
		const good = await test(credential.data);
		check('Test connection succeeds for a good credential', good.status === 'OK', good.message);
		const bad = await test({ ...credential.data, clientSecret: 'wrong-secret-E2E' });
		check(
			'Test connection names invalid_client for a wrong secret',
			bad.status === 'Error' &&
				bad.message.includes('invalid_client') &&
				!bad.message.includes('wrong-secret-E2E'),
			bad.message,
		);

		// After activation (which sets each trigger's cursor to now), one invoice is approved and
		// one active supplier is created in Coupa; n8n's next polls must start one execution each.
		// Each trigger's first poll (at activation) sets its cursor: a record made before it is not new.
		// n8n 1.x may activate after Test connection, so the test waits for those polls (a minute at most).
		const activation = Date.now();
		const polled = (path: string) =>
			coupa.apiRequests().some((r) => r.method === 'GET' && r.path === path);
		while (
			!(polled('/api/invoices') && polled('/api/suppliers')) &&
			Date.now() - activation < 60_000
		)
			await new Promise((r) => setTimeout(r, 500));
		await new Promise((r) => setTimeout(r, 1000));
		const now = () => new Date().toISOString();
		const invoice = coupa.records('invoices').find((r) => r.status !== 'approved') as Record<
			string,
			unknown
		>;
		Object.assign(invoice, { status: 'approved', 'updated-at': now() });
		const suppliers = coupa.records('suppliers');
		const supplierName = 'Supplier Created For The E2E Trigger';
		suppliers.push({
			...suppliers[0],
			id: Math.max(...suppliers.map((r) => r.id)) + 1,
			name: supplierName,
			status: 'active',
			'created-at': now(),
			'updated-at': now(),
		});
		const executionOf = async (workflowId: string) => {
			const list = await rest(
				`executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
			);
			const id = (JSON.parse(list.text) as { data?: { results?: Array<{ id: string }> } }).data
				?.results?.[0]?.id;
			return id === undefined ? undefined : (await rest(`executions/${id}`)).text;
		};
		const started = Date.now();
		let invoiceRun: string | undefined;
		let supplierRun: string | undefined;
		await timed("wait for the triggers' scheduled polls", async () => {
			while ((!invoiceRun || !supplierRun) && Date.now() - started < 150_000) {
				await new Promise((r) => setTimeout(r, 5000));
				invoiceRun ??= await executionOf(TRIGGER_EXAMPLES.invoices);
				supplierRun ??= await executionOf(TRIGGER_EXAMPLES.suppliers);
			}
		});
		check(
			'example "approved invoices to a sheet": the trigger starts a run with the newly approved invoice',
			!!invoiceRun && invoiceRun.includes(String(invoice['invoice-number'])),
			`invoice ${String(invoice['invoice-number'])}`,
		);
		check(
			'example "sync new suppliers": the trigger starts a run with the new supplier',
			!!supplierRun && supplierRun.includes(supplierName),
		);

		await toolChecks(n8n.base, rest, coupa);
		await callOutChecks(n8n, coupa);
	} finally {
		await n8n.stop();
	}
}

/**
 * The Coupa Tool: n8n lists it among its node types, and running it as the editor's "execute
 * step" does (a $fromAI value given in the request) reads one purchase order, simplified.
 */
async function toolChecks(
	base: string,
	rest: (route: string, init?: RequestInit) => Promise<{ status: number; text: string }>,
	coupa: CoupaSimulator,
): Promise<void> {
	const types = await rest('../types/nodes.json');
	check(
		'n8n offers the "Coupa Tool" variant of the node',
		types.text.includes('"n8n-nodes-coupa.coupaTool"'),
		`HTTP ${types.status} from ${base}/types/nodes.json`,
	);
	// Running one tool with an agent's request (the editor's "execute step" with agentRequest) is n8n 2.x's API.
	if (Number(N8N_VERSION.split('.')[0]) < 2) {
		console.log(
			`     (the Coupa Tool run by an agent request is checked on n8n 2.x; this is ${N8N_VERSION})`,
		);
		return;
	}
	coupa.clearLog();
	const started = await rest(`workflows/${TOOL_WORKFLOW}/run`, {
		method: 'POST',
		body: JSON.stringify({
			destinationNode: { nodeName: 'Coupa Tool', mode: 'inclusive' },
			agentRequest: { query: { Coupa_Tool: { purchaseOrderId: 5 } } },
		}),
	});
	const executionId = (JSON.parse(started.text) as { data?: { executionId?: string } }).data
		?.executionId;
	let execution = '';
	for (
		let waited = 0;
		executionId && waited < 60_000 && !/"status":"(success|error|crashed)"/.test(execution);
		waited += 1000
	) {
		await new Promise((r) => setTimeout(r, 1000));
		execution = (await rest(`executions/${executionId}`)).text;
	}
	const read = coupa
		.apiRequests()
		.find((r) => r.method === 'GET' && r.path === '/api/purchase_orders/5');
	const poNumber = String(coupa.record('purchase_orders', 5)?.['po-number']);
	check(
		'the Coupa Tool reads the purchase order its $fromAI() parameter names, simplified',
		!!read &&
			read.query.fields !== undefined &&
			execution.includes(poNumber) &&
			!execution.includes('order-lines'),
		executionId
			? `execution ${executionId}: ${execution.match(/"status":"\w+"/)?.[0] ?? 'no status'}`
			: `run refused: ${started.text.slice(0, 300)}`,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
