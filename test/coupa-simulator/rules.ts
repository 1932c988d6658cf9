/**
 * Coupa's business rules as the simulator enforces them, written by hand where Coupa is special
 * (each with its source): scopes of particular calls, actions' state changes, creates Compass's
 * examples make with fewer fields, value checks, deletes that depend on state, and what makes a
 * new purchase order version. Never taken from the node's overlay or catalog.
 */
import type { SimRecord } from './records';

/**
 * Scope families that differ from what the spec files' declared scopes name. Receipts: the
 * Purchasing spec declares `core.inventory.transaction.read`, which Coupa does not grant; Compass
 * (NetSuite OAuth Setup) lists `core.inventory.receiving.read/write` for them.
 */
export const FAMILY_OVERRIDES: Record<string, string> = {
	inventory_transactions: 'core.inventory.receiving',
	receiving_transactions: 'core.inventory.receiving',
};

/**
 * Calls with scopes of their own, by `METHOD path shape`; any one grants. The Invoicing spec
 * declares `core.invoice.create`, `.delete`, `.approval.write` and `.approval.bypass` without
 * naming their calls; Coupa's scope management page (Compass: OpenID Connect Clients) shows each
 * scope's calls, as published in a connector vendor's scope table.
 */
export const CALL_SCOPES: Record<string, string[]> = {
	'POST invoices': ['core.invoice.create', 'core.invoice.write'],
	'DELETE invoices/{}': ['core.invoice.delete'],
	'PUT invoices/{}/void': ['core.invoice.delete'],
	'PUT invoices/{}/abandon': ['core.invoice.delete'],
	'PUT invoices/{}/bypass_approvals': ['core.invoice.approval.bypass'],
	'PUT invoices/{}/bypass_current_approval': ['core.invoice.approval.bypass'],
	'PUT invoices/{}/restart_approvals': ['core.invoice.approval.write'],
	'PUT invoices/{}/add_approver': ['core.invoice.approval.write'],
	'PUT invoices/{}/remove_approval': ['core.invoice.approval.write'],
};

export interface StateRule {
	/** Statuses the action is allowed from; absent means any. */
	from?: string[];
	/** Status after the action; absent leaves it. */
	to?: string;
}

/** `PUT /api/{path}/{id}/{action}`: what actions do to `status`, where Compass says. */
export const STATE_RULES: Record<string, Record<string, StateRule>> = {
	purchase_orders: {
		issue: { from: ['draft', 'buyer_hold', 'closed'], to: 'issued' },
		issue_without_send: { from: ['draft', 'buyer_hold'], to: 'issued' },
		ignore_window_and_issue: {
			from: ['draft', 'buyer_hold', 'supplier_window_hold'],
			to: 'issued',
		},
		cancel: { from: ['draft', 'issued', 'buyer_hold'], to: 'cancelled' },
		close: { from: ['issued'], to: 'closed' },
		reopen: { from: ['closed'], to: 'issued' },
		release_from_buyer_hold: { from: ['buyer_hold'], to: 'issued' },
	},
	invoices: {
		submit: { from: ['new', 'draft'], to: 'pending_approval' },
		abandon: { from: ['new', 'draft'], to: 'abandoned' },
		void: { from: ['approved', 'pending_approval', 'disputed'], to: 'voided' },
		dispute: { from: ['pending_approval', 'approved', 'new'], to: 'disputed' },
		withdraw_dispute: { from: ['disputed'], to: 'pending_approval' },
		bypass_approvals: { from: ['pending_approval'], to: 'approved' },
		restart_approvals: { from: ['pending_approval', 'disputed'], to: 'pending_approval' },
	},
	approvals: {
		approve: { from: ['pending'], to: 'approved' },
		reject: { from: ['pending'], to: 'rejected' },
		hold: { from: ['pending'], to: 'on_hold' },
	},
	requisitions: {
		update_and_submit_for_approval: { from: ['draft', 'cart'], to: 'pending_approval' },
		save_for_later: { from: ['cart', 'draft'], to: 'draft' },
	},
	expense_reports: { submit: { from: ['draft'], to: 'pending_approval' } },
	inventory_transactions: { void: { to: 'voided' } },
	receiving_transactions: { void: { to: 'voided' } },
	contracts: {
		submit_for_approval: { from: ['draft'], to: 'pending_approval' },
		complete: { from: ['draft', 'pending_approval', 'published'], to: 'completed' },
	},
	purchase_order_changes: { submit_for_approval: { from: ['draft'], to: 'pending_approval' } },
	purchase_order_lines: {
		soft_close_for_receiving: { to: 'soft_closed_for_receiving' },
		soft_close_for_invoicing: { to: 'soft_closed_for_invoicing' },
		reopen_for_receiving: { to: 'created' },
		reopen_for_invoicing: { to: 'created' },
	},
	integration_runs: {
		run: { to: 'running' },
		pause: { to: 'paused' },
		pending: { to: 'pending' },
		finish: { to: 'successful' },
		fail: { to: 'failed' },
	},
	projects: {
		cancelled: { to: 'cancelled' },
		complete: { to: 'complete' },
		draft: { to: 'draft' },
		in_progress: { to: 'in_progress' },
		planned: { to: 'planned' },
	},
};

/** Collection actions (POST) that make a record, with the status it starts in. */
export const CREATING_ACTIONS: Record<string, Record<string, string>> = {
	requisitions: {
		submit_for_approval: 'pending_approval',
		create_as_cart: 'cart',
		add_to_cart: 'cart',
	},
	quote_requests: { create_from_source: 'draft' },
};

/** The status a record created through the API starts in. */
export const INITIAL_STATUS: Record<string, string> = {
	invoices: 'new',
	requisitions: 'draft',
	purchase_orders: 'issued',
	contracts: 'draft',
	expense_reports: 'draft',
};

/** Deletes Coupa refuses because of the record's state. */
export function refuseDelete(path: string, record: SimRecord): string | undefined {
	if (path === 'invoices' && record.status !== 'new')
		return `Only a new invoice can be deleted; this one is ${String(record.status)}`;
	return undefined;
}

/**
 * Compass ("Special Actions and API Notes"): an edit that makes a new purchase order version,
 * resent to the supplier, resets `exported`. What the supplier sees of an issued order changes.
 */
const SUPPLIER_FACING = new Set([
	'order-lines',
	'ship-to-address',
	'ship-to-attention',
	'ship-to-user',
	'payment-term',
	'shipping-term',
	'currency',
	'supplier',
	'supplier-site',
]);

export function isNewVersion(
	path: string,
	record: SimRecord,
	changes: Record<string, unknown>,
): boolean {
	return (
		path === 'purchase_orders' &&
		record.status === 'issued' &&
		Object.keys(changes).some((key) => SUPPLIER_FACING.has(key))
	);
}

export const labelOf = (field: string): string => {
	const words = field.replace(/-/g, ' ');
	return words[0].toUpperCase() + words.slice(1);
};

/**
 * Create examples the generated Compass facts do not file as creates, by collection: the fields
 * of the example's body. Compass's Invoices API Example Calls ("Invoice Post Example") posts an
 * invoice; the Req'd column's asterisks that mark compliance-only fields are lost in the snapshot.
 */
export const CREATED_WITH: Record<string, { page: string; fields: string[] }> = {
	invoices: {
		page: 'Invoices API Example Calls: Invoice Post Example',
		fields: [
			'invoice-date',
			'invoice-number',
			'line-level-taxation',
			'currency',
			'requested-by',
			'custom-fields',
			'account-type',
			'payment-term',
			'bill-to-address',
			'supplier',
			'invoice-charges',
			'invoice-lines',
		],
	},
};

/**
 * Creates Coupa takes only in a documented shape. Compass (Purchase Orders API): `POST
 * /api/purchase_orders` creates an external purchase order (`type` `ExternalOrderHeader`), "do
 * not use for Coupa-based POs"; what Coupa does with another body is not documented, so the
 * simulator refuses it rather than pretend.
 */
export const DOCUMENTED_CREATE: Record<string, Record<string, unknown>> = {
	purchase_orders: { type: 'ExternalOrderHeader' },
};

export function refuseCreate(path: string, body: Record<string, unknown>): string | undefined {
	if (path === 'purchase_orders' && body.type !== DOCUMENTED_CREATE.purchase_orders.type) {
		return 'Type must be ExternalOrderHeader: the API creates external purchase orders only (Coupa purchase orders come from approved requisitions)';
	}
	return undefined;
}

const blank = (value: unknown) =>
	value === undefined ||
	value === null ||
	value === '' ||
	(Array.isArray(value) && value.length === 0);

export interface FieldRule {
	name: string;
	type: string;
	dateOnly?: boolean;
}

/**
 * Values of the wrong kind, as Compass types them: a flag that is not true or false (`hide-price`
 * sent as a record), a date-only field sent with a time (a time zone can move it to another day).
 */
export function invalidValues(fields: FieldRule[], body: Record<string, unknown>): string[] {
	const problems: string[] = [];
	for (const field of fields) {
		const value = body[field.name];
		if (blank(value)) continue;
		if (
			field.type === 'boolean' &&
			typeof value !== 'boolean' &&
			!['true', 'false', 'yes', 'no'].includes(String(value))
		) {
			problems.push(`${labelOf(field.name)} must be true or false`);
		}
		if (field.dateOnly && !(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))) {
			problems.push(`${labelOf(field.name)} must be a date (YYYY-MM-DD) without a time`);
		}
	}
	return problems;
}

export interface UniqueRule {
	field: string;
	within: string[];
}

/** What identifies a reference's target for a uniqueness scope: its id, else its natural keys. */
const scopeValue = (value: unknown): string => {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	const { id } = value as { id?: unknown };
	return id !== undefined ? `#${String(id)}` : JSON.stringify(value);
};

/**
 * Coupa's validation messages for a new record (or a changed one: `self` is then left out of the
 * comparison): each required field missing, then uniqueness within its scope, as
 * `{"errors": {"<object>": [...]}}` lists them.
 */
export function validateCreate(
	required: Array<{ name: string }>,
	unique: UniqueRule[],
	body: Record<string, unknown>,
	existing: SimRecord[],
	self?: SimRecord,
): string[] {
	const problems: string[] = [];
	for (const field of required) {
		if (blank(body[field.name])) problems.push(`${labelOf(field.name)} can't be blank`);
	}
	for (const { field, within } of unique) {
		const value = body[field];
		if (blank(value) || typeof value === 'object') continue;
		const clash = existing.some(
			(r) =>
				r !== self &&
				String(r[field]).toLowerCase() === String(value).toLowerCase() &&
				within.every((scope) => scopeValue(r[scope]) === scopeValue(body[scope] ?? self?.[scope])),
		);
		if (clash)
			problems.push(
				`${labelOf(field)} has already been taken${within.length ? ` (within its ${within.join(' and ')})` : ''}`,
			);
	}
	return problems;
}

/**
 * Flat-file loads (Compass: Data File Sources API and its example calls). Coupa processes a file
 * in the background: the data file source goes Pending, Loading, then Done or Failed, with
 * `records-count`, `records-created`, `records-updated`, `result-text`, and one `upload-errors`
 * entry per rejected row (`row`, `first-column`, `field-with-error`, `value`, `field-errors`).
 * Compass documents no request body for the load actions; the simulator starts a load from any.
 */
export const FILE_LOAD_ACTIONS = new Set([
	'load_file',
	'load_files',
	'load_from_sftp',
	'load_from_coupa_file_service',
]);

/** The statuses a load passes through, one per read of it, before it ends. */
export const LOAD_STEPS = ['Pending', 'Loading'];

/** A load's end: `Done` with its counts, or `Failed` with its row errors when the body asked for a rejected row. */
export function finishedLoad(record: SimRecord, failRows: number[]): Record<string, unknown> {
	const rows = 27;
	const errors = failRows.map((row, i) => ({
		id: record.id * 100 + i,
		type: 'UploadRowError',
		row,
		'first-column': `Row ${row}`,
		'field-with-error': 'parent_id',
		value: '1',
		'field-errors': ['Parent unable to find matching parent.'],
	}));
	const created = failRows.length ? 0 : 16;
	const updated = rows - created - failRows.length;
	return {
		status: failRows.length ? 'Failed' : 'Done',
		progress: rows,
		'records-count': rows,
		'records-created': created,
		'records-updated': updated,
		'result-text': `${rows} rows processed, creating ${created} new rows and updating ${updated} rows.`,
		'upload-errors': errors,
		'upload-errors-count': errors.length,
	};
}
