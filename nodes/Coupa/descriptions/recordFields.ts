/**
 * Field-by-field inputs for the objects users write most, beside the JSON Body. Each row names
 * the Coupa attribute it fills (hyphenated, dotted for nested references such as `supplier.id`).
 * Fields Coupa requires are parameters of Create; the others sit in Additional Fields (Create) and
 * Update Fields (Update). `buildRecord` merges them into the JSON Body: a field set here wins.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	NodePropertyTypes,
} from 'n8n-workflow';

import type { CoupaResource } from '../catalog';
import type { Refusal } from '../transport/preSend';
import { parseJsonBody, refuse } from '../transport/preSend';

export interface RecordField {
	/** n8n parameter name. */
	name: string;
	label: string;
	/** Coupa attribute, dotted for nesting: `supplier.id` becomes `{ "supplier": { "id": … } }`. */
	path: string;
	type: 'string' | 'number' | 'boolean' | 'dateTime' | 'options';
	options?: string[];
	description?: string;
	placeholder?: string;
	/** Must be given on Create. */
	required?: boolean;
}

const text = (name: string, label: string, path: string, extra: Partial<RecordField> = {}): RecordField => ({
	name,
	label,
	path,
	type: 'string',
	...extra,
});

const supplierId = text('supplierId', 'Supplier ID', 'supplier.id', { type: 'number', description: "The supplier's Coupa ID" });
const supplierName = text('supplierName', 'Supplier Name', 'supplier.name', { description: "The supplier's name, when its ID is not at hand" });
const currencyCode = text('currencyCode', 'Currency Code', 'currency.code', { description: 'ISO code such as USD' });
const paymentTerm = text('paymentTermCode', 'Payment Term Code', 'payment-term.code');
const shipTo = text('shipToAddressId', 'Ship-To Address ID', 'ship-to-address.id', { type: 'number' });

export const RECORD_FIELDS: Record<string, RecordField[]> = {
	supplier: [
		text('name', 'Name', 'name', { required: true, description: 'Unique supplier name' }),
		text('number', 'Number', 'number'),
		text('status', 'Status', 'status', { type: 'options', options: ['active', 'inactive', 'draft'] }),
		text('displayName', 'Display Name', 'display-name'),
		text('poEmail', 'PO Email', 'po-email', { placeholder: 'orders@supplier.com' }),
		text('poMethod', 'PO Method', 'po-method', { type: 'options', options: ['email', 'cxml', 'xml', 'prompt', 'mark_as_sent', 'buy_online'] }),
		text('taxId', 'Tax ID', 'tax-id'),
		paymentTerm,
	],
	invoice: [
		text('invoiceNumber', 'Invoice Number', 'invoice-number', { required: true }),
		text('invoiceDate', 'Invoice Date', 'invoice-date', { type: 'dateTime', required: true }),
		supplierId,
		supplierName,
		currencyCode,
		paymentTerm,
		text('comments', 'Comments', 'comments'),
		text('documentType', 'Document Type', 'document-type', { type: 'options', options: ['Invoice', 'Credit Note'] }),
	],
	requisition: [
		text('requestedBy', 'Requested By (Login)', 'requested-by.login'),
		text('justification', 'Justification', 'justification'),
		text('needByDate', 'Need-By Date', 'need-by-date', { type: 'dateTime' }),
		shipTo,
		currencyCode,
	],
	purchaseOrder: [
		text('poNumber', 'PO Number', 'po-number', { required: true, description: 'Number of the external purchase order' }),
		supplierId,
		supplierName,
		currencyCode,
		shipTo,
		paymentTerm,
		text('status', 'Status', 'status', { type: 'options', options: ['draft', 'issued'] }),
	],
	user: [
		text('login', 'Login', 'login', { required: true }),
		text('email', 'Email', 'email', { required: true, placeholder: 'name@email.com' }),
		text('firstname', 'First Name', 'firstname'),
		text('lastname', 'Last Name', 'lastname'),
		text('active', 'Active', 'active', { type: 'boolean' }),
		text('employeeNumber', 'Employee Number', 'employee-number'),
		text('defaultCurrencyCode', 'Default Currency Code', 'default-currency.code'),
	],
	account: [
		text('code', 'Code', 'code', { required: true }),
		text('accountTypeName', 'Chart of Accounts Name', 'account-type.name', { required: true }),
		text('name', 'Name', 'name'),
		text('active', 'Active', 'active', { type: 'boolean' }),
		text('segment1', 'Segment 1', 'segment-1'),
		text('segment2', 'Segment 2', 'segment-2'),
	],
	lookupValue: [
		text('name', 'Name', 'name', { required: true }),
		text('lookupName', 'Lookup Name', 'lookup.name', { required: true, description: 'The lookup this value belongs to' }),
		text('description', 'Description', 'description'),
		text('externalRefCode', 'External Ref Code', 'external-ref-code'),
		text('active', 'Active', 'active', { type: 'boolean' }),
		text('parentId', 'Parent ID', 'parent.id', { type: 'number' }),
	],
	approval: [
		text('approvableType', 'Approvable Type', 'approvable-type', { type: 'options', options: ['RequisitionHeader', 'InvoiceHeader', 'ExpenseReport', 'OrderHeaderChange'] }),
		text('approvableId', 'Approvable ID', 'approvable-id', { type: 'number' }),
		text('approverLogin', 'Approver Login', 'approver.login'),
		text('note', 'Note', 'note'),
	],
};

const N8N_TYPES: Record<RecordField['type'], NodePropertyTypes> = {
	string: 'string',
	number: 'number',
	boolean: 'boolean',
	dateTime: 'dateTime',
	options: 'options',
};

function parameter(field: RecordField): INodeProperties {
	const defaults = { string: '', number: 0, boolean: false, dateTime: '', options: field.options?.[0] ?? '' };
	return {
		displayName: field.label,
		name: field.name,
		type: N8N_TYPES[field.type],
		default: defaults[field.type],
		description: field.description,
		placeholder: field.placeholder,
		...(field.options ? { options: field.options.map((value) => ({ name: value, value })) } : {}),
	};
}

/** The Create and Update inputs of one resource, or nothing for resources written with JSON only. */
export function recordFieldProperties(resource: CoupaResource): INodeProperties[] {
	const fields = RECORD_FIELDS[resource.value];
	if (!fields) return [];
	const show = (operation: string) => ({ show: { resource: [resource.value], operation: [operation] } });
	const properties: INodeProperties[] = [];
	if (resource.operations.includes('create')) {
		// Not n8n-required: a user may give everything in the JSON Body, and Coupa says what is missing.
		for (const field of fields.filter((f) => f.required)) {
			properties.push({
				...parameter(field),
				description: [field.description, 'Required by Coupa unless the JSON Body has it'].filter(Boolean).join('. '),
				displayOptions: show('create'),
			});
		}
		const optional = fields.filter((f) => !f.required);
		if (optional.length) {
			properties.push({
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				displayOptions: show('create'),
				options: optional.map(parameter).sort((a, b) => a.displayName.localeCompare(b.displayName)),
			});
		}
	}
	if (resource.operations.includes('update')) {
		properties.push({
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: show('update'),
			options: fields.map(parameter).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		});
	}
	return properties;
}

function setPath(target: IDataObject, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = target;
	for (const key of keys.slice(0, -1)) {
		if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
		node = node[key] as IDataObject;
	}
	node[keys[keys.length - 1]] = value as IDataObject[string];
}

/** ISO 8601 as Coupa reads it: a date, optionally a time and a zone (a bare date is midnight UTC). */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A date field's value as Coupa's ISO 8601 timestamp; what is not a calendar date is refused. */
function isoTimestamp(field: RecordField, value: unknown, refuse: Refusal): string {
	const text = value instanceof Date ? value.toISOString() : String(value).trim();
	const [, year, month, day] = (ISO_8601.exec(text) ?? []).map(Number);
	// Date.parse alone would roll 2025-02-30 over to March and read "1" as the year 2001.
	const isCalendarDate = month >= 1 && month <= 12 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
	const time = isCalendarDate ? Date.parse(text) : NaN;
	if (Number.isNaN(time)) {
		refuse(
			`The ${field.label} parameter "${text.slice(0, 40)}" is not an ISO 8601 date`,
			'Give a date as YYYY-MM-DD, optionally with a time and zone, e.g. 2025-01-31 or 2025-01-31T09:30:00Z.',
		);
	}
	return new Date(time).toISOString();
}

/** The field values the user gave, placed at their Coupa paths; a malformed value is refused. */
export function recordFromFields(
	resourceValue: string,
	operation: string,
	valueOf: (name: string) => unknown,
	collection: IDataObject,
	refuse: Refusal,
): IDataObject {
	const record: IDataObject = {};
	for (const field of RECORD_FIELDS[resourceValue] ?? []) {
		const fromParameter = field.required && operation === 'create';
		const value = fromParameter ? valueOf(field.name) : collection[field.name];
		if (value === undefined || value === '' || value === null) continue;
		setPath(record, field.path, field.type === 'dateTime' ? isoTimestamp(field, value, refuse) : value);
	}
	return record;
}

/** Deep merge where `top` wins: nested references from fields land inside the JSON Body's objects. */
export function mergeRecords(base: IDataObject, top: IDataObject): IDataObject {
	const merged: IDataObject = { ...base };
	for (const [key, value] of Object.entries(top)) {
		const below = merged[key];
		merged[key] =
			value && typeof value === 'object' && !Array.isArray(value) && below && typeof below === 'object' && !Array.isArray(below)
				? mergeRecords(below as IDataObject, value as IDataObject)
				: value;
	}
	return merged;
}

/** Create and Update: the JSON Body merged with the field inputs, sent as JSON. */
export async function sendRecordBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const operation = this.getNodeParameter('operation') as string;
	const resource = this.getNodeParameter('resource') as string;
	const collection = this.getNodeParameter(operation === 'create' ? 'additionalFields' : 'updateFields', {}) as IDataObject;
	const fields = recordFromFields(resource, operation, (name) => this.getNodeParameter(name, ''), collection, (message, description) =>
		refuse(this, message, description),
	);
	const body = mergeRecords(parseJsonBody(this, this.getNodeParameter('jsonBody', '{}')), fields);
	return {
		...requestOptions,
		body,
		json: true,
		headers: { ...requestOptions.headers, 'Content-Type': 'application/json' },
	};
}
