/**
 * The Coupa Call Out Trigger in a real, running n8n: published workflows, the simulator's call-out
 * sender playing Coupa (token from the production Token URL, then the call with it), the answer
 * Coupa gets in each response mode, the execution n8n records, and every refused case (which must
 * record none). Run on its own (`node -r ts-node/register/transpile-only e2e/callout.ts`) or from
 * e2e/run.ts, which imports its workflows and calls `callOutChecks` on its running n8n.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { issueToken } from '../nodes/CoupaCallOutTrigger/callOutToken';
import type { CallOutEndpoint, CoupaSimulator } from '../test/coupa-simulator';
import { requestCallOutToken, responseVariable, sendCallOut } from '../test/coupa-simulator';
import type { RunningN8n } from './n8n';
import {
	activateWorkflow,
	check,
	CREDENTIAL_REF,
	finish,
	importIntoN8n,
	n8nNode,
	n8nWithPackedPackage,
	ROOT,
	simulatorCredential,
	startN8n,
	timed,
} from './n8n';

const CLIENT = {
	clientId: 'coupa-e2e-call-outs',
	clientSecret: 'e2e-call-out-secret-7c1d9a52f0b3',
};
export const CALL_OUT_CREDENTIAL = {
	id: 'coupa-callout-e2e',
	name: 'Coupa Call Out (e2e)',
	type: 'coupaCallOutApi',
	data: CLIENT,
};
const CALL_OUT_REF = {
	coupaCallOutApi: { id: CALL_OUT_CREDENTIAL.id, name: CALL_OUT_CREDENTIAL.name },
};

interface CallOutWorkflow {
	id: string;
	webhookId: string;
	mode: 'onReceived' | 'lastNode' | 'responseNode';
}

export const CALL_OUT_WORKFLOWS: Record<
	'immediate' | 'lastNode' | 'responseNode' | 'example',
	CallOutWorkflow
> = {
	immediate: {
		id: 'e2eCallOutImm012',
		webhookId: '5d0c7a10-1111-4e2e-9c11-000000000012',
		mode: 'onReceived',
	},
	lastNode: {
		id: 'e2eCallOutLast13',
		webhookId: '5d0c7a10-1111-4e2e-9c11-000000000013',
		mode: 'lastNode',
	},
	responseNode: {
		id: 'e2eCallOutResp14',
		webhookId: '5d0c7a10-1111-4e2e-9c11-000000000014',
		mode: 'responseNode',
	},
	example: {
		id: 'e2eCallOutExam15',
		webhookId: '5d0c7a10-1111-4e2e-9c11-000000000015',
		mode: 'lastNode',
	},
};

function trigger(workflow: CallOutWorkflow, extra: Record<string, unknown> = {}) {
	return n8nNode(
		'Coupa Call Out Trigger',
		'n8n-nodes-coupa.coupaCallOutTrigger',
		1,
		{ authentication: 'coupaCallOutApi', responseMode: workflow.mode, ...extra },
		{ webhookId: workflow.webhookId, credentials: CALL_OUT_REF },
	);
}

function connect(nodes: Array<Record<string, unknown>>) {
	const connections: Record<string, unknown> = {};
	nodes.forEach((node, i) => {
		node.position = [i * 300, 0];
		if (i > 0)
			connections[nodes[i - 1].name as string] = {
				main: [[{ node: nodes[i].name, type: 'main', index: 0 }]],
			};
	});
	return connections;
}

/** A workflow as n8n imports it. */
function workflowOf(
	workflow: CallOutWorkflow,
	name: string,
	nodes: Array<Record<string, unknown>>,
) {
	return {
		id: workflow.id,
		name,
		active: false,
		nodes,
		connections: connect(nodes),
		settings: { executionOrder: 'v1' },
	};
}

/** The answer a Process Automator response variable reads: computed by the workflow. */
const VERDICT = n8nNode('Verdict', 'n8n-nodes-base.set', 3.4, {
	mode: 'raw',
	jsonOutput:
		'={{ JSON.stringify({ "validation-result": $json.total > 1000 ? "needs-review" : "ok", "external-id": "EXT-" + $json.id }) }}',
});

/** The example workflow of examples/, pointed at the simulator credential. */
function exampleWorkflow() {
	const json = JSON.parse(
		readFileSync(path.join(ROOT, 'examples', 'call-out-validate-requisition.json'), 'utf8'),
	) as { nodes: Array<Record<string, unknown>>; connections: unknown };
	for (const node of json.nodes) {
		const credentials = node.credentials as Record<string, unknown> | undefined;
		if (credentials?.coupaApi) node.credentials = CREDENTIAL_REF;
		if (credentials?.coupaCallOutApi) node.credentials = CALL_OUT_REF;
		if (node.type === 'n8n-nodes-coupa.coupaCallOutTrigger')
			node.webhookId = CALL_OUT_WORKFLOWS.example.webhookId;
	}
	return {
		...json,
		id: CALL_OUT_WORKFLOWS.example.id,
		name: 'Example: validate a requisition on a call out',
		active: false,
	};
}

export function callOutWorkflows() {
	return [
		workflowOf(CALL_OUT_WORKFLOWS.immediate, 'Call out, respond immediately', [
			trigger(CALL_OUT_WORKFLOWS.immediate, { options: { ignoreRepeatsMinutes: 10 } }),
		]),
		workflowOf(CALL_OUT_WORKFLOWS.lastNode, 'Call out, answer from the last node', [
			trigger(CALL_OUT_WORKFLOWS.lastNode),
			{ ...VERDICT },
		]),
		workflowOf(CALL_OUT_WORKFLOWS.responseNode, 'Call out, answer with Respond to Webhook', [
			trigger(CALL_OUT_WORKFLOWS.responseNode),
			{ ...VERDICT },
			// Version 1: later versions answer only for n8n's own Webhook node.
			n8nNode('Respond to Webhook', 'n8n-nodes-base.respondToWebhook', 1, {
				respondWith: 'json',
				responseBody:
					'={{ JSON.stringify({ answered: "by the Respond to Webhook node", result: $json }) }}',
				options: { responseCode: 201 },
			}),
		]),
		exampleWorkflow(),
	];
}

export async function publishCallOutWorkflows(env: NodeJS.ProcessEnv): Promise<void> {
	for (const workflow of Object.values(CALL_OUT_WORKFLOWS))
		await activateWorkflow(env, workflow.id);
}

const REQUISITION = {
	id: 5001,
	'created-at': '2026-01-05T09:00:00-08:00',
	'updated-at': '2026-01-05T09:30:00-08:00',
	status: 'pending_approval',
	total: 1250.5,
	justification: null,
	'requested-by': { id: 17, login: 'jdoe' },
	'requisition-lines': [{ id: 1, 'line-num': 1, description: 'Standing desk', quantity: 2 }],
};

/** Prints an exchange as Coupa sees it. */
const shown = (exchange: { status: number; body: string } | undefined) =>
	exchange ? `${exchange.status} ${exchange.body.slice(0, 240)}` : 'no answer';

export async function callOutChecks(
	n8n: Pick<RunningN8n, 'base' | 'cookie'>,
	coupa: CoupaSimulator,
): Promise<void> {
	const rest = async (route: string) => {
		const response = await fetch(`${n8n.base}/rest/${route}`, {
			headers: { cookie: n8n.cookie, 'browser-id': 'e2e' },
		});
		return await response.text();
	};
	const executionsOf = async (workflowId: string) => {
		const list = JSON.parse(
			await rest(`executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`),
		) as { data?: { results?: Array<{ id: string; status: string }> } };
		return list.data?.results ?? [];
	};
	const waitForExecutions = async (workflowId: string, count: number) => {
		for (let waited = 0; waited < 30_000; waited += 500) {
			const found = await executionsOf(workflowId);
			if (
				found.length >= count &&
				found.slice(0, count).every((e) => ['success', 'error', 'crashed'].includes(e.status))
			)
				return found;
			await new Promise((r) => setTimeout(r, 500));
		}
		return await executionsOf(workflowId);
	};
	const urls = (workflow: CallOutWorkflow): CallOutEndpoint => ({
		tokenUrl: `${n8n.base}/webhook/${workflow.webhookId}/token`,
		url: `${n8n.base}/webhook/${workflow.webhookId}/callout`,
		...CLIENT,
	});
	const { immediate, lastNode, responseNode, example } = CALL_OUT_WORKFLOWS;

	// n8n answers its readiness check before it has registered every published workflow's webhooks.
	for (const workflow of Object.values(CALL_OUT_WORKFLOWS)) {
		for (let waited = 0; waited < 60_000; waited += 500) {
			const probe = await fetch(urls(workflow).tokenUrl, { method: 'POST' }).then(
				(r) => r.status,
				() => 0,
			);
			if (probe !== 404 && probe !== 0) break;
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	// 1. Respond immediately: token exchange, then a JSON and an XML call out, each one run.
	const tokenExchange = await requestCallOutToken(urls(immediate));
	console.log(
		`     token request (form, Basic, Accept: application/json) -> ${shown(tokenExchange.exchange)}`,
	);
	const tokenBody = JSON.parse(tokenExchange.exchange.body || '{}') as Record<string, unknown>;
	check(
		'Coupa gets a bearer token from the production Token URL',
		tokenExchange.exchange.status === 200 &&
			tokenBody.token_type === 'bearer' &&
			tokenBody.expires_in === 86399 &&
			typeof tokenBody.access_token === 'string',
		`${String(tokenBody.access_token).length} characters`,
	);
	const jsonCall = await sendCallOut(urls(immediate), REQUISITION, {
		format: 'json',
		objectType: 'requisition-header',
		token: tokenExchange.token,
	});
	console.log(`     JSON call out -> ${shown(jsonCall.call)}`);
	const xmlCall = await sendCallOut(
		urls(immediate),
		{ ...REQUISITION, 'updated-at': '2026-01-05T09:45:00-08:00' },
		{ format: 'xml', objectType: 'requisition-header' },
	);
	console.log(`     XML call out (own token exchange) -> ${shown(xmlCall.call)}`);
	const immediateRuns = await waitForExecutions(immediate.id, 2);
	const runTexts = await Promise.all(
		immediateRuns.slice(0, 2).map(async (e) => await rest(`executions/${e.id}`)),
	);
	check(
		'a JSON and an XML call out each start one run (Respond Immediately answers 200)',
		jsonCall.call?.status === 200 && xmlCall.call?.status === 200 && immediateRuns.length === 2,
		immediateRuns.map((e) => `${e.id}:${e.status}`).join(', '),
	);
	check(
		'both runs carry the requisition; the XML one with Rails types read (total as Coupa\'s JSON string "1250.5")',
		runTexts.every((t) => t.includes('pending_approval') && t.includes('jdoe')) &&
			runTexts.some((t) => t.includes('\\"1250.5\\"')),
		runTexts
			.map((t) => t.match(/.{0,80}1250\.5.{0,40}/)?.[0] ?? `no total in ${t.length} characters`)
			.join(' | '),
	);

	// 2. A repeat of the same version within the window (ignore repeats on): answered, not run.
	const repeat = await sendCallOut(urls(immediate), REQUISITION, {
		format: 'json',
		objectType: 'requisition-header',
		token: tokenExchange.token,
	});
	console.log(`     the same version again -> ${shown(repeat.call)}`);
	await new Promise((r) => setTimeout(r, 1500));
	check(
		'a repeated document version within the window is answered and not run again',
		repeat.call?.status === 200 &&
			repeat.call.body.includes('"repeat":true') &&
			(await executionsOf(immediate.id)).length === 2,
	);

	// 3. Answers the workflow computed, read as Process Automator's response variables would.
	const last = await sendCallOut(urls(lastNode), REQUISITION, {
		format: 'xml',
		objectType: 'requisition-header',
	});
	console.log(`     When Last Node Finishes -> ${shown(last.call)}`);
	check(
		"When Last Node Finishes: Coupa reads the workflow's verdict from the answer",
		last.call?.status === 200 &&
			responseVariable(last.call, 'validation-result') === 'needs-review' &&
			responseVariable(last.call, 'external-id') === 'EXT-5001',
	);
	const viaNode = await sendCallOut(
		urls(responseNode),
		{ ...REQUISITION, total: 10 },
		{ format: 'json', objectType: 'requisition-header' },
	);
	console.log(`     Respond to Webhook (v1) -> ${shown(viaNode.call)}`);
	check(
		"Using Respond to Webhook: Coupa gets that node's answer and status",
		viaNode.call?.status === 201 &&
			responseVariable(viaNode.call, 'result.validation-result') === 'ok',
	);

	// 4. The example: validates the requisition, writes the verdict back through the Coupa node.
	const target = coupa.records('requisitions')[0];
	coupa.clearLog();
	const exampleCall = await sendCallOut(
		urls(example),
		{ ...target, total: 99 },
		{ format: 'json', objectType: 'requisition-header' },
	);
	console.log(`     example workflow -> ${shown(exampleCall.call)}`);
	const write = coupa
		.apiRequests()
		.find((r) => r.method === 'PUT' && r.path === `/api/requisitions/${String(target.id)}`);
	check(
		'the example updates the requisition back in Coupa and answers Coupa with the result',
		exampleCall.call?.status === 200 &&
			!!write &&
			responseVariable(exampleCall.call, 'validation-result') !== undefined,
		write ? `PUT ${write.path}` : 'no PUT',
	);

	// 5. Refused: each answered 401 in Coupa's shape, and no execution recorded.
	const before = (await executionsOf(immediate.id)).length;
	const audience = `${immediate.id}/${immediate.webhookId}`;
	const good = tokenExchange.token as string;
	const [version, payload] = good.split('.');
	const wrongSecret = await requestCallOutToken({
		...urls(immediate),
		clientSecret: 'not-the-secret',
	});
	console.log(`     token request with a wrong secret -> ${shown(wrongSecret.exchange)}`);
	check(
		'a wrong client secret gets 401 from the Token URL and no token',
		wrongSecret.exchange.status === 401 &&
			wrongSecret.token === undefined &&
			!wrongSecret.exchange.body.includes('not-the-secret'),
	);
	const otherWorkflowToken = (await requestCallOutToken(urls(lastNode))).token as string;
	const refused: Array<[string, string | null]> = [
		['no token', null],
		['a forged token', `${version}.${payload}.${issueToken(CLIENT, 'forged').split('.')[2]}`],
		['an expired token', issueToken(CLIENT, audience, Date.now() - 2 * 86_400_000)],
		["another workflow's token", otherWorkflowToken],
		[
			'a token signed with another secret',
			issueToken({ ...CLIENT, clientSecret: 'another-secret-entirely-000000' }, audience),
		],
	];
	for (const [what, token] of refused) {
		const result = await sendCallOut(
			urls(immediate),
			{ ...REQUISITION, 'updated-at': new Date().toISOString() },
			{ format: 'json', objectType: 'requisition-header', token },
		);
		console.log(`     ${what} -> ${shown(result.call)}`);
		const body = JSON.parse(result.call?.body ?? '{}') as { statusCode?: number; message?: string };
		check(
			`${what}: 401 in Coupa's error shape`,
			result.call?.status === 401 &&
				body.statusCode === 401 &&
				/^Unauthorized\. Access token (is missing or invalid|has expired)\.$/.test(
					body.message ?? '',
				),
		);
	}
	// Hostile bodies with a valid token: what n8n itself answers before the node, and what the node answers.
	const post = async (body: string | Buffer, contentType: string) => {
		const response = await fetch(urls(immediate).url, {
			method: 'POST',
			headers: { authorization: `Bearer ${good}`, 'content-type': contentType },
			body,
		});
		return { status: response.status, body: (await response.text()).slice(0, 240) };
	};
	const laughs =
		'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
	for (const [what, body, contentType] of [
		['a billion-laughs XML', laughs, 'application/xml'],
		['malformed XML', '<a><b></a>', 'application/xml'],
		['no body', '', 'application/json'],
		[
			"a 12 MB body (over the trigger's 10 MB default)",
			Buffer.concat([
				Buffer.from('<a>'),
				Buffer.alloc(12 * 1024 * 1024, 0x61),
				Buffer.from('</a>'),
			]),
			'application/xml',
		],
		[
			"a 50 MB body (over n8n's N8N_PAYLOAD_SIZE_MAX)",
			Buffer.alloc(50 * 1024 * 1024, 0x20),
			'application/xml',
		],
	] as Array<[string, string | Buffer, string]>) {
		const answer = await post(body, contentType).catch((error: Error) => ({
			status: 0,
			body: `connection: ${error.message}`,
		}));
		console.log(`     ${what} -> ${answer.status} ${answer.body}`);
		// Over n8n's own payload limit, n8n 2.41 answers 500 ("There was a problem executing the workflow") before the trigger runs.
		check(`${what} is refused and starts nothing`, answer.status >= 400);
	}
	await new Promise((r) => setTimeout(r, 1500));
	const after = (await executionsOf(immediate.id)).length;
	check(
		'no refused call recorded an execution',
		after === before,
		`${before} before, ${after} after`,
	);
}

async function main(): Promise<void> {
	const { CoupaSimulator } = await import('../test/coupa-simulator');
	const coupa = await CoupaSimulator.start();
	const { userFolder, env } = await n8nWithPackedPackage('callout-');
	try {
		const credential = simulatorCredential(coupa, 'coupa-e2e', [
			'core.requisition.read',
			'core.requisition.write',
		]);
		await timed('import credentials and workflows', () =>
			importIntoN8n(env, userFolder, [credential, CALL_OUT_CREDENTIAL], callOutWorkflows()),
		);
		await publishCallOutWorkflows(env);
		const n8n = await timed('n8n start', () => startN8n(env));
		try {
			await callOutChecks(n8n, coupa);
		} finally {
			await n8n.stop();
		}
	} finally {
		await coupa.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	finish('call out e2e');
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
