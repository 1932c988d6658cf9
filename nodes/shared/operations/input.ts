/** The item's own input, refused before any request when it cannot be sent: refusals and JSON parameters. */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Refuses the item's input before any request, with what to do. */
export function refuse(ctx: IExecuteSingleFunctions, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, {
		itemIndex: ctx.getItemIndex(),
		description,
	});
}

export type Refusal = (message: string, description?: string) => never;

/** Parses a JSON parameter (text or object), refusing what is not a JSON object; `name` is the parameter's label. */
export function parseJsonBody(
	ctx: IExecuteSingleFunctions,
	raw: unknown,
	name = 'JSON Body',
): IDataObject {
	if (raw === undefined || raw === null || raw === '') return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			refuse(
				ctx,
				`The ${name} parameter is not valid JSON: ${(error as Error).message.slice(0, 200)}`,
				'Write one JSON object, e.g. {"name": "Acme"}.',
			);
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		refuse(
			ctx,
			`The ${name} parameter must be a JSON object`,
			'Write one JSON object such as {"name": "Acme"}, not a list or a single value.',
		);
	}
	return value as IDataObject;
}

/** Sends `jsonBody` as the request body (Create, Update, and actions that take one). */
export async function sendJsonBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const record = parseJsonBody(this, this.getNodeParameter('jsonBody', '{}'));
	const body = { ...(requestOptions.body as IDataObject | undefined), ...record };
	return {
		...requestOptions,
		body,
		json: true,
		headers: { ...requestOptions.headers, 'Content-Type': 'application/json' },
	};
}
