/**
 * The few places where the n8n releases of the engine matrix (scripts/engines.js) differ in what
 * the harness calls. Each bridge uses what the running engine has, so one harness drives them all.
 */
import * as core from 'n8n-core';
import type {
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeTypeDescription,
	IPollFunctions,
	IRunExecutionData,
	Workflow,
} from 'n8n-workflow';
import * as workflowPackage from 'n8n-workflow';

/** The engine's n8n-workflow version, e.g. "1.120.31". */
export const ENGINE_WORKFLOW_VERSION = (require('n8n-workflow/package.json') as { version: string })
	.version;

/** The engine's n8n-core version. */
export const ENGINE_CORE_VERSION = (require('n8n-core/package.json') as { version: string })
	.version;

type ExecutionStack = NonNullable<IRunExecutionData['executionData']>['nodeExecutionStack'];

/**
 * Run data for a new execution. n8n-workflow gained `createRunExecutionData` (with a `version`
 * field) in 1.1xx; before it, n8n built the same object by hand.
 */
export function newRunExecutionData(nodeExecutionStack?: ExecutionStack): IRunExecutionData {
	const { createRunExecutionData } = workflowPackage as Partial<typeof workflowPackage>;
	if (createRunExecutionData) {
		return createRunExecutionData(
			nodeExecutionStack ? { executionData: { nodeExecutionStack } } : {},
		);
	}
	return {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			nodeExecutionStack: nodeExecutionStack ?? [],
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
}

interface PollRunner {
	runPollFunction?(
		workflow: Workflow,
		node: INode,
		context: IPollFunctions,
	): Promise<INodeExecutionData[][] | null>;
	runPoll?(
		workflow: Workflow,
		node: INode,
		context: IPollFunctions,
	): Promise<INodeExecutionData[][] | null>;
}

/**
 * n8n-core's TriggersAndPollers service, from its own dependency container (its copy of @n8n/di).
 * n8n-core 1.x does not export it from its index and names its method `runPoll`.
 */
export async function runPoll(
	workflow: Workflow,
	node: INode,
	context: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const { Container } = require(
		require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
	) as typeof import('@n8n/di');
	const service =
		(core as Partial<typeof core>).TriggersAndPollers ??
		(require('n8n-core/dist/execution-engine/triggers-and-pollers') as typeof core)
			.TriggersAndPollers;
	const runner = Container.get(service) as unknown as PollRunner;
	if (runner.runPollFunction) return await runner.runPollFunction(workflow, node, context);
	return await (runner.runPoll as NonNullable<PollRunner['runPoll']>)(workflow, node, context);
}

/**
 * Whether the engine names the missing parameter when it refuses to start a workflow whose node
 * has issues (a required parameter left empty). n8n 1.x, to 1.123 at least, says only "The
 * workflow has issues and cannot be executed for that reason".
 */
export const ENGINE_NAMES_WORKFLOW_ISSUES = Number(ENGINE_CORE_VERSION.split('.')[0]) >= 2;

type LoggerClass = new () => { warn: (message: string) => void };

/** The Logger class n8n-core logs through: n8n-core's own in 1.8x, @n8n/backend-common's since. */
export function engineLoggerClass(): LoggerClass {
	const own = (core as unknown as { Logger?: LoggerClass }).Logger;
	if (own) return own;
	return (
		require(require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] })) as {
			Logger: LoggerClass;
		}
	).Logger;
}

/**
 * n8n-workflow's displayParameterPath, as the editor decides whether a parameter shows. Since
 * n8n-workflow 1.9x it takes the node's description before the display key (five parameters
 * without a default instead of four).
 */
export function displaysParameter(
	values: INodeParameters,
	parameter: INodeProperties,
	path: string,
	description: INodeTypeDescription,
): boolean {
	const { displayParameterPath } = workflowPackage.NodeHelpers;
	return displayParameterPath.length >= 5
		? displayParameterPath(values, parameter, path, null, description)
		: (displayParameterPath as unknown as (...args: unknown[]) => boolean)(
				values,
				parameter,
				path,
				null,
			);
}

/**
 * n8n-workflow 1.99 to 1.x resets an error's `cause`, so n8n's credential tester of those releases
 * no longer sees the HTTP status of a refused test request and shows its own wording (docs/compatibility.md,
 * "n8n versions"). Workflows are not affected: the package reads the status itself.
 */
const [WORKFLOW_MAJOR, WORKFLOW_MINOR] = ENGINE_WORKFLOW_VERSION.split('.').map(Number);
export const TESTER_SEES_STATUS = WORKFLOW_MAJOR >= 2 || WORKFLOW_MINOR < 99;
