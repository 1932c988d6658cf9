/** Coupa's business rules as the simulator enforces them: validation, state changes, deletes. */
import type { SimRecord } from './resources';

/** Objects the specs list DELETE for (COUPA-API.md, "Writing"). */
export const DELETABLE = new Set(['requisitions', 'expense_lines', 'expense_reports', 'purchase_order_lines', 'budget_lines', 'invoices']);

export interface StateRule {
	/** Statuses the action is allowed from; absent means any. */
	from?: string[];
	/** Status after the action; absent leaves it. */
	to?: string;
}

/** `PUT /api/{path}/{id}/{action}`: which actions exist and what they do to `status`. */
export const STATE_RULES: Record<string, Record<string, StateRule>> = {
	purchase_orders: {
		issue: { from: ['draft', 'buyer_hold', 'closed'], to: 'issued' },
		issue_without_send: { from: ['draft', 'buyer_hold'], to: 'issued' },
		ignore_window_and_issue: { from: ['draft', 'buyer_hold'], to: 'issued' },
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
	},
	expense_reports: { submit: { from: ['draft'], to: 'pending_approval' } },
	inventory_transactions: { void: { to: 'voided' } },
	contracts: {
		submit_for_approval: { from: ['draft'], to: 'pending_approval' },
		complete: { from: ['draft', 'pending_approval', 'published'], to: 'completed' },
	},
	budget_lines: { adjust: {} },
	purchase_order_changes: { submit_for_approval: { from: ['draft'], to: 'pending_approval' } },
	purchase_order_lines: {
		soft_close_for_receiving: { to: 'soft_closed_for_receiving' },
		soft_close_for_invoicing: { to: 'soft_closed_for_invoicing' },
		reopen_for_receiving: { to: 'created' },
		reopen_for_invoicing: { to: 'created' },
	},
};

const REQUIRED: Record<string, string[]> = {
	suppliers: ['name'],
	users: ['login', 'email'],
	accounts: ['code'],
	lookup_values: ['name'],
	invoices: ['invoice-number', 'supplier'],
	requisitions: ['requisition-lines'],
	purchase_orders: ['supplier'],
};

const UNIQUE: Record<string, string[]> = {
	suppliers: ['name'],
	users: ['login', 'email'],
};

const label = (field: string) => {
	const words = field.replace(/-/g, ' ');
	return words[0].toUpperCase() + words.slice(1);
};

/** Coupa's validation messages for a new record, as `{"errors": {"<object>": [...]}}` lists them. */
export function validateCreate(path: string, body: Record<string, unknown>, existing: SimRecord[]): string[] {
	const problems: string[] = [];
	for (const field of REQUIRED[path] ?? []) {
		if (body[field] === undefined || body[field] === null || body[field] === '') problems.push(`${label(field)} can't be blank`);
	}
	for (const field of UNIQUE[path] ?? []) {
		const value = body[field];
		if (value !== undefined && existing.some((r) => String(r[field]).toLowerCase() === String(value).toLowerCase())) {
			problems.push(`${label(field)} has already been taken`);
		}
	}
	return problems;
}
