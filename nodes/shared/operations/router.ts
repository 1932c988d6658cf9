/**
 * The router: one preSend, stated once on the Resource parameter, that maps the chosen resource and
 * operation to its catalog endpoint (method and path) and runs what that kind of operation does
 * before its request. The description then carries no routing on its ~800 operation options.
 */
import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CoupaOperation } from '../schema/catalog';
import { endpointOf, RESOURCES_BY_VALUE } from '../schema/catalog';
import { buildCustomCall } from './customCall';
import { sendAttachment } from './files';
import { applyFilters, requirePositiveLimit } from './filters';
import { sendJsonBody } from './input';
import { fillPath } from './paths';
import { sendSimplifyFields } from './read';
import { sendRecordBody } from './recordBody';

type PreSend = (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

/** What each kind of operation does before its request, beyond filling the path. */
function preSendOf(endpoint: CoupaOperation): PreSend[] {
	switch (endpoint.kind) {
		case 'getAll':
			return endpoint.sub ? [] : [requirePositiveLimit, applyFilters, sendSimplifyFields];
		case 'get':
			return endpoint.sub ? [] : [sendSimplifyFields];
		case 'create':
		case 'update':
		case 'upsert':
			return [sendRecordBody];
		case 'upload':
			return [sendAttachment];
		case 'action':
			return endpoint.body ? [sendJsonBody] : [];
		default:
			return [];
	}
}

/** The endpoint the node's Resource and Operation name; undefined for the Custom API Call. */
export function routedEndpoint(
	ctx: Pick<IExecuteSingleFunctions, 'getNodeParameter'>,
): CoupaOperation | undefined {
	const resource = RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource', '') as string);
	return endpointOf(resource, ctx.getNodeParameter('operation', '') as string);
}

/** The request of the chosen operation: its method and path (placeholders filled), then its own steps. */
export async function routeRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (this.getNodeParameter('resource', '') === 'custom')
		return await buildCustomCall.call(this, requestOptions);
	const endpoint = routedEndpoint(this);
	if (!endpoint) {
		throw new NodeOperationError(
			this.getNode(),
			`Coupa has no operation "${String(this.getNodeParameter('operation', ''))}" on this resource`,
			{
				itemIndex: this.getItemIndex(),
				description:
					'Choose the operation again in the node: the saved one does not exist for the chosen resource.',
			},
		);
	}
	let options: IHttpRequestOptions = {
		...requestOptions,
		method: endpoint.method,
		// The path keeps its {id}/{parentId} placeholders; `fillPath` puts in the validated ids.
		url: `/${endpoint.path}`,
		...(endpoint.kind === 'file'
			? {
					encoding: 'arraybuffer' as const,
					json: false,
					headers: { ...requestOptions.headers, Accept: 'application/json, application/pdf, */*' },
				}
			: {}),
	};
	for (const step of [fillPath, ...preSendOf(endpoint)]) options = await step.call(this, options);
	return options;
}
