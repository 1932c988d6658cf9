/**
 * All items checked before any write. n8n's declarative engine runs each item's request on its
 * own and at once, so an invalid item 7 would fail alone while items 1 to 6 and 8 to 20 are
 * written, and a re-run after the fix would write them twice. So the first write of a node run
 * checks every item's parameters with the operation's own checks (its preSend steps) and, when any
 * item is invalid, no item's write is sent.
 */
import type {
	DeclarativeRestApiSettings,
	IBinaryData,
	IExecutePaginationFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { endpointOf, RESOURCES_BY_VALUE } from '../schema/catalog';
import { cut } from '../transport/errors';

interface InvalidItem {
	index: number;
	message: string;
}

/** One check per node run, shared by its items: keyed by the run's execute data, which they share. */
const checks = new WeakMap<object, Promise<InvalidItem | undefined>>();

/**
 * The item's context seen as another item's: n8n's item context reads its parameters, input and
 * expressions through its `itemIndex`. Binary helpers are bound to the original item, so they
 * are replaced: presence is checked on the other item's input, content is not read.
 */
function contextOfItem(
	ctx: IExecutePaginationFunctions,
	index: number,
): IExecutePaginationFunctions | undefined {
	const other = Object.create(ctx, { itemIndex: { value: index } }) as IExecutePaginationFunctions;
	// An engine whose context is shaped otherwise cannot be read this way: no check, as before.
	if (other.getItemIndex() !== index) return undefined;
	const binaryOf = (property: string): IBinaryData => {
		const binary = other.getInputData().binary?.[property];
		if (!binary) {
			throw new NodeOperationError(
				ctx.getNode(),
				`This operation expects the node's input data to contain a binary file '${property}', but none was found`,
				{ itemIndex: index },
			);
		}
		return binary;
	};
	Object.defineProperty(other, 'helpers', {
		value: {
			...ctx.helpers,
			assertBinaryData: binaryOf,
			getBinaryDataBuffer: async (property: string) => {
				binaryOf(property);
				return Buffer.alloc(0);
			},
		},
	});
	return other;
}

async function firstInvalidItem(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	count: number,
): Promise<InvalidItem | undefined> {
	// The item's own preSend steps already filled the path; each item starts from the template.
	const endpoint = endpointOf(
		RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource', '') as string),
		ctx.getNodeParameter('operation', '') as string,
	);
	const url = endpoint ? `/${endpoint.path}` : requestData.options.url;
	for (let index = 0; index < count; index++) {
		const other = contextOfItem(ctx, index);
		if (!other) return undefined;
		let options = { ...requestData.options, url } as IHttpRequestOptions;
		try {
			for (const step of requestData.preSend) options = await step.call(other, options);
		} catch (error) {
			return { index, message: (error as Error).message };
		}
	}
	return undefined;
}

/**
 * Refuses this item's write when any item of the run is invalid, naming the first such item. Runs
 * the check once per node run; with "Continue on fail" each item stands on its own, as the user
 * asked, and nothing is checked here.
 */
export async function assertEveryItemValid(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<void> {
	if (ctx.continueOnFail()) return;
	const executeData = ctx.getExecuteData() as object | undefined;
	const count = countItems(ctx);
	if (!executeData || count < 2) return;
	let check = checks.get(executeData);
	if (!check) {
		check = firstInvalidItem(ctx, requestData, count);
		checks.set(executeData, check);
	}
	const invalid = await check;
	if (invalid) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Nothing was written: item ${invalid.index + 1} of ${count} is invalid: ${cut(invalid.message, 200)}`,
			{
				itemIndex: ctx.getItemIndex(),
				description: `Every item is checked before any write, so no item of this run reached Coupa and a re-run after the fix creates nothing twice. Fix item ${invalid.index + 1} (or turn on "Continue on fail" to write the valid items and get the invalid ones as errors).`,
			},
		);
	}
}

/** How many items the node runs on: the input of its main connection. */
function countItems(ctx: IExecutePaginationFunctions): number {
	const executeData = ctx.getExecuteData();
	const main = executeData?.data?.main?.[0];
	return Array.isArray(main) ? main.length : 0;
}
