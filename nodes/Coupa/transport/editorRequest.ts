/**
 * The one way the editor's lists (record picker) read Coupa: signed in with the node's credential,
 * under the instance's rate limit, retried and explained like the node's own calls.
 */
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CoupaResource } from '../catalog';
import { assertInstanceUrl, sendInSlot, withRetry } from './request';

/** A person is waiting on the list: a short retry budget. */
const EDITOR_RETRY = { maxRetries: 2, maxWaitMs: 5000 };

/** `GET /api/{path}` for an editor list; answers the instance origin and Coupa's records. */
export async function readForEditor(
	ctx: ILoadOptionsFunctions,
	resource: CoupaResource,
	path: string,
	qs: IDataObject,
): Promise<{ instance: string; records: IDataObject[] }> {
	const { instance, authType, requestsPerSecond } = await assertInstanceUrl(ctx);
	const credentialType = ctx.getNodeParameter('authentication', 'coupaApi') as string;
	const url = `${instance}/api/${path}`;
	const call = { node: ctx.getNode(), resource, method: 'GET', operation: 'getAll', url, itemIndex: 0, authType, instance };
	const answer: unknown = await withRetry(
		async () =>
			await sendInSlot({ instance, perSecond: requestsPerSecond }, async () =>
				await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
					method: 'GET',
					url,
					qs,
					headers: { Accept: 'application/json' },
					json: true,
				}),
			),
		call,
		EDITOR_RETRY,
	);
	if (!Array.isArray(answer) || answer.some((record) => record === null || typeof record !== 'object')) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Coupa answered with something other than a list of records (probably XML). Check the credential URL points at your Coupa instance.',
		);
	}
	return { instance, records: answer as IDataObject[] };
}
