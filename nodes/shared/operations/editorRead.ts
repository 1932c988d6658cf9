/**
 * The one way the editor's lists (record picker) read Coupa: signed in with the node's credential,
 * under the instance's rate limit, retried and explained like the node's own calls.
 */
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import type { CoupaResource } from '../schema/catalog';
import { callSubject } from '../schema/catalog';
import { coupaRecords, openSession } from '../transport/request';

/** `GET /api/{path}` for an editor list; answers the instance origin and Coupa's records. */
export async function readForEditor(
	ctx: ILoadOptionsFunctions,
	resource: CoupaResource,
	path: string,
	qs: IDataObject,
): Promise<{ instance: string; records: IDataObject[] }> {
	const session = await openSession(ctx);
	// A person is waiting on the list: a short retry budget.
	session.policy = { ...session.policy, maxRetries: 2, maxWaitMs: 5000 };
	const call = {
		node: ctx.getNode(),
		...callSubject(resource, 'getAll', 'GET'),
		method: 'GET',
		operation: 'getAll',
		url: `/${path}`,
		itemIndex: 0,
	};
	const records = await coupaRecords(
		session,
		{ method: 'GET', path: `/${path}`, qs, headers: { Accept: 'application/json' } },
		call,
		'list',
	);
	return { instance: session.instance, records };
}
