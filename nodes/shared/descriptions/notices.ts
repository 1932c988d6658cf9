/**
 * Notices and hints where a person needs to know how Coupa behaves, in n8n's conventions:
 * a `notice` is a line of text among the parameters, a `hint` sits under one parameter.
 */
import type { INodeProperties } from 'n8n-workflow';

/** Above Mark Exported's parameters: what the flag is for and when Coupa clears it. */
export function markExportedNotice(resourceValues: string[]): INodeProperties {
	return {
		displayName:
			'Sets Coupa\'s "exported" flag with a request of its own (?exported=true), so integrations that read exported=false skip the record. Coupa clears the flag when a purchase order gets a new version: such a PO is read again.',
		name: 'markExportedNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: resourceValues, operation: ['markExported'] } },
	};
}

/** Under JSON Body on Create, Update and Create or Update, which follows the mapper (Fields). */
export const JSON_BODY_HINT =
	'A field set both here and in Fields above is sent with its value from Fields.';

/** Under Simplify, for AI agents and people alike. */
export const SIMPLIFY_HINT =
	'Turn on to keep outputs small, e.g. when an AI agent uses this node as a tool';

/** The Coupa Trigger's first activation: what it emits and from when. */
export const TRIGGER_FIRST_ACTIVATION_NOTICE: INodeProperties = {
	displayName:
		'When first activated, the trigger emits only records created or updated from then on (or from Start Date, when set). A manual test run returns the newest record.',
	name: 'firstActivationNotice',
	type: 'notice',
	default: '',
};
