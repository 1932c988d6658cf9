/**
 * Coupa's business rules as the simulator enforces them, written by hand from Compass and
 * COUPA-API.md: scopes Coupa documents per call, actions' state changes, validation, deletes that
 * depend on state, and what makes a new purchase order version.
 */
import type { DigestField } from '../../nodes/shared/schema/digest';
import type { SimRecord } from './records';

/**
 * Scope families that differ from the object's name. Receipts: Coupa's scope table has
 * `core.inventory.receiving.*`; there is no `core.inventory.transaction.*`.
 */
export const FAMILY_OVERRIDES: Record<string, string> = {
	inventory_transactions: 'core.inventory.receiving',
	receiving_transactions: 'core.inventory.receiving',
};

/** Calls with scopes of their own (Coupa's scope table), by `METHOD path shape`; any one grants. */
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
		ignore_window_and_issue: { from: ['draft', 'buyer_hold', 'supplier_window_hold'], to: 'issued' },
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
	projects: { cancelled: { to: 'cancelled' }, complete: { to: 'complete' }, draft: { to: 'draft' }, in_progress: { to: 'in_progress' }, planned: { to: 'planned' } },
};

/** Collection actions (POST) that make a record, with the status it starts in. */
export const CREATING_ACTIONS: Record<string, Record<string, string>> = {
	requisitions: { submit_for_approval: 'pending_approval', create_as_cart: 'cart', add_to_cart: 'cart' },
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
	if (path === 'invoices' && record.status !== 'new') return `Only a new invoice can be deleted; this one is ${String(record.status)}`;
	return undefined;
}

/**
 * Compass ("Special Actions and API Notes"): an edit that makes a new purchase order version,
 * resent to the supplier, resets `exported`. What the supplier sees of an issued order changes.
 */
const SUPPLIER_FACING = new Set(['order-lines', 'ship-to-address', 'ship-to-attention', 'ship-to-user', 'payment-term', 'shipping-term', 'currency', 'supplier', 'supplier-site']);

export function isNewVersion(path: string, record: SimRecord, changes: Record<string, unknown>): boolean {
	return path === 'purchase_orders' && record.status === 'issued' && Object.keys(changes).some((key) => SUPPLIER_FACING.has(key));
}

/** Fields Coupa's "Unique?" columns mark unique (Compass's Suppliers and Users pages). */
const UNIQUE: Record<string, string[]> = {
	suppliers: ['name'],
	users: ['login', 'email'],
};

export const labelOf = (field: string): string => {
	const words = field.replace(/-/g, ' ');
	return words[0].toUpperCase() + words.slice(1);
};

const blank = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The fields a new record must have: the overlay's list where Compass's example calls create the
 * record with fewer fields than the spec's `required` flags (a supplier from its name), else every
 * writable field the spec marks required.
 */
export const requiredFields = (fields: DigestField[], documented?: string[]): DigestField[] =>
	documented ? fields.filter((field) => documented.includes(field.name)) : fields.filter((field) => field.required && !field.readOnly);

/**
 * Coupa's validation messages for a new record: each required field missing, then uniqueness, as `{"errors": {"<object>": [...]}}` lists them.
 */
export function validateCreate(path: string, required: DigestField[], body: Record<string, unknown>, existing: SimRecord[]): string[] {
	const problems: string[] = [];
	for (const field of required) {
		if (blank(body[field.name])) problems.push(`${labelOf(field.name)} can't be blank`);
	}
	for (const field of UNIQUE[path] ?? []) {
		const value = body[field];
		if (value !== undefined && existing.some((r) => String(r[field]).toLowerCase() === String(value).toLowerCase())) {
			problems.push(`${labelOf(field)} has already been taken`);
		}
	}
	return problems;
}
