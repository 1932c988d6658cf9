/**
 * Runs the built Coupa Trigger as n8n's poller does: n8n-core's `TriggersAndPollers` calls the
 * node's `poll()` with a real `PollContext`, and the workflow's static data (where the trigger
 * keeps its cursor) lives on the same `Workflow` from one poll to the next, as n8n persists it.
 */
import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { runPoll } from './compat';
import type { TestCredentialsHelper } from './credentials';
import { COUPA_TRIGGER_NODE, additionalDataFor, loadPackage } from './engine';

export interface PollResult {
	/** Emitted items (empty when the poll returned nothing). */
	items: INodeExecutionData[];
	error?: Error & { description?: string };
}

export class PollingTrigger {
	readonly workflow: Workflow;
	readonly node: INode;

	constructor(
		private readonly credentials: TestCredentialsHelper,
		parameters: INodeParameters,
		credentialType = 'coupaApi',
	) {
		this.node = {
			id: 'trigger',
			name: 'Coupa Trigger',
			type: COUPA_TRIGGER_NODE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { [credentialType]: { id: 'coupa', name: 'Coupa account' } },
		};
		this.workflow = new Workflow({
			id: 'trigger-test',
			nodes: [this.node],
			connections: {},
			nodeTypes: loadPackage().nodeTypes,
			active: true,
			staticData: {},
		});
	}

	/** The cursor state the trigger keeps in the workflow's static data. */
	staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<PollResult> {
		const context = new PollContext(
			this.workflow,
			this.node,
			additionalDataFor(this.credentials),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		try {
			const output = await runPoll(this.workflow, this.node, context);
			return { items: output?.[0] ?? [] };
		} catch (error) {
			return { items: [], error: error as PollResult['error'] };
		}
	}
}
