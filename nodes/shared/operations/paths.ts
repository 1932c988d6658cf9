/** Fills an operation's path template with the validated record ids. */
import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { shown } from '../transport/errors';
import { refuse } from './input';
import { coupaRecordId, fillRecordIds } from './recordId';

/** The id a parameter holds: a plain string or number, or a resource locator's value. */
function idValue(raw: unknown): string {
	const value =
		raw !== null && typeof raw === 'object' && 'value' in raw
			? (raw as { value: unknown }).value
			: raw;
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** The node parameter that fills a path placeholder: `{id}`, `{parentId}`, `{subId}` or a spec name. */
function parameterOf(
	ctx: IExecuteSingleFunctions,
	placeholder: string,
): { name: string; label: string } {
	if (placeholder === 'id') return { name: 'id', label: 'ID' };
	if (placeholder === 'parentId') return { name: 'parentId', label: 'Parent ID' };
	if (placeholder === 'subId') {
		const operation = String(ctx.getNodeParameter('operation', ''));
		return /Comment/.test(operation)
			? { name: 'commentId', label: 'Comment ID' }
			: { name: 'attachmentId', label: 'Attachment ID' };
	}
	return { name: pathParameterName(placeholder), label: pathParameterLabel(placeholder) };
}

/** `expense_attendee_id` → "Expense Attendee ID": the parameter's display name, in the editor and in messages. */
export function pathParameterLabel(specName: string): string {
	return specName
		.replace(/_id$/, '')
		.split('_')
		.map((w) => w[0].toUpperCase() + w.slice(1))
		.join(' ')
		.concat(' ID');
}

/** `expense_attendee_id` → `expenseAttendeeId`: the node parameter of a spec path parameter. */
export function pathParameterName(specName: string): string {
	return specName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A record id is a positive whole number in Coupa; anything else would only earn a 404. */
export function recordId(ctx: IExecuteSingleFunctions, name: string, label: string): string {
	const given = idValue(ctx.getNodeParameter(name, ''));
	const id = coupaRecordId(given);
	if (id === undefined) {
		refuse(
			ctx,
			given === ''
				? `The ${label} parameter is empty`
				: `The ${label} parameter "${shown(given)}" is not a Coupa record ID`,
			'Coupa record IDs are whole numbers such as 1234. Map the "id" field of a previous Coupa item.',
		);
	}
	return id;
}

/**
 * Puts the validated ids into the operation's path template (`/invoices/{id}/attachments/{subId}`):
 * the record and its parent from their pickers (`fillRecordIds`), the others from their fields.
 */
export async function fillPath(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const template = await fillRecordIds(this, String(requestOptions.url ?? ''));
	const url = template.replace(/\{(\w+)\}/g, (_, placeholder: string) => {
		const { name, label } = parameterOf(this, placeholder);
		return encodeURIComponent(recordId(this, name, label));
	});
	return { ...requestOptions, url };
}
