/**
 * The simulated Coupa objects: path, scope family and a deterministic seed record per object.
 * Written from COUPA-API.md independently of the node's catalog, so a mistake in one shows up
 * as a failing test instead of being copied into both.
 */
export type SimRecord = Record<string, unknown> & { id: number };

export interface SimResource {
	path: string;
	/** Scope family: reads need `<scope>.read`, writes `<scope>.write`. */
	scope: string;
	/**
	 * Calls that need a scope of their own instead, any one of the list: `POST` and `DELETE` on the
	 * collection or record, `PUT <action>` for an action.
	 */
	callScopes?: Record<string, string[]>;
	/** XML element name of one record. */
	element: string;
	seed: (i: number, at: (minutes: number) => string) => Omit<SimRecord, 'id' | 'created-at' | 'updated-at'>;
}

const pick = <T>(list: T[], i: number): T => list[i % list.length];
const supplierRef = (i: number) => ({ id: (i % 12) + 1, name: `Acme Supply ${(i % 12) + 1}` });
const money = (i: number) => ((i * 137.45) % 10000).toFixed(2);
const currencyRef = (i: number) => ({ id: (i % 4) + 1, code: pick(['USD', 'EUR', 'GBP', 'JPY'], i) });

export const SIM_RESOURCES: SimResource[] = [
	{
		path: 'accounts',
		scope: 'core.accounting',
		element: 'account',
		seed: (i) => ({ name: `Account ${i}`, code: `ACC-${1000 + i}`, active: i % 5 !== 0 }),
	},
	{
		path: 'addresses',
		scope: 'core.common',
		element: 'address',
		seed: (i) => ({ name: `Site ${i}`, street1: `${i} Main Street`, city: pick(['Berlin', 'Austin', 'Lyon'], i), 'postal-code': `${10000 + i}` }),
	},
	{
		path: 'approvals',
		scope: 'core.approval',
		element: 'approval',
		seed: (i) => ({
			status: pick(['pending', 'approved', 'rejected'], i),
			'approvable-type': pick(['RequisitionHeader', 'InvoiceHeader'], i),
			'approvable-id': 100 + i,
			'approval-chain-id': 10 + (i % 3),
			amount: money(i),
		}),
	},
	{
		path: 'budget_lines',
		scope: 'core.budget',
		element: 'budget-line',
		seed: (i) => ({ description: `Budget ${i}`, amount: money(i * 10), remaining: money(i * 7), period: { id: 1, name: 'FY2024' } }),
	},
	{
		path: 'contracts',
		scope: 'core.contract',
		element: 'contract',
		seed: (i) => ({ name: `Master agreement ${i}`, number: `CON-${i}`, status: pick(['draft', 'pending_approval', 'published'], i), supplier: supplierRef(i) }),
	},
	{
		path: 'currencies',
		scope: 'core.common',
		element: 'currency',
		seed: (i) => ({ code: pick(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'INR'], i - 1), 'decimals': 2, enabled: true }),
	},
	{
		path: 'exchange_rates',
		scope: 'core.common',
		element: 'exchange-rate',
		seed: (i) => ({ 'from-currency': currencyRef(i), 'to-currency': currencyRef(i + 1), rate: (1 + i / 100).toFixed(4) }),
	},
	{
		path: 'expense_lines',
		scope: 'core.expense',
		element: 'expense-line',
		seed: (i) => ({ description: `Taxi ${i}`, amount: money(i), 'expense-report-id': (i % 12) + 1, 'expense-category': { id: 1, name: 'Travel' } }),
	},
	{
		path: 'expense_reports',
		scope: 'core.expense',
		element: 'expense-report',
		seed: (i) => ({ title: `Trip ${i}`, status: pick(['draft', 'pending_approval', 'approved'], i), total: money(i), exported: i % 2 === 1 }),
	},
	{
		path: 'inventory_transactions',
		scope: 'core.inventory.transaction',
		element: 'inventory-transaction',
		seed: (i) => ({ type: pick(['InventoryReceipt', 'InventoryIssue'], i), quantity: `${i}.0`, status: 'created', exported: i % 2 === 1 }),
	},
	{
		path: 'invoices',
		scope: 'core.invoice',
		// COUPA-API.md: invoices core.invoice.read/write/create/delete, core.invoice.approval.write/bypass.
		callScopes: {
			POST: ['core.invoice.create', 'core.invoice.write'],
			DELETE: ['core.invoice.delete'],
			'PUT bypass_approvals': ['core.invoice.approval.bypass'],
			'PUT restart_approvals': ['core.invoice.approval.write'],
		},
		element: 'invoice-header',
		seed: (i) => ({
			'invoice-number': `INV-${String(i).padStart(5, '0')}`,
			status: pick(['new', 'pending_approval', 'approved', 'voided'], i),
			exported: i % 2 === 1,
			total: money(i),
			currency: currencyRef(i),
			supplier: supplierRef(i),
		}),
	},
	{
		path: 'items',
		scope: 'core.item',
		element: 'item',
		seed: (i) => ({ name: `Laptop model ${i}`, description: `Item ${i}`, 'item-number': `ITM-${i}`, active: true }),
	},
	{
		path: 'lookup_values',
		scope: 'core.common',
		element: 'lookup-value',
		seed: (i) => ({ name: `Cost center ${i}`, description: `CC ${i}`, 'external-ref-code': `CC${i}`, active: true, lookup: { id: 1, name: 'Cost centers' } }),
	},
	{
		path: 'purchase_orders',
		scope: 'core.purchase_order',
		element: 'order-header',
		seed: (i) => ({
			'po-number': `PO-${String(i).padStart(5, '0')}`,
			status: pick(['draft', 'issued', 'closed', 'cancelled'], i),
			exported: i % 3 === 0,
			total: money(i),
			version: 1,
			currency: currencyRef(i),
			supplier: supplierRef(i),
			'order-lines': [
				{ id: i * 10 + 1, description: `Line 1 of PO ${i}`, account: { id: (i % 5) + 1, code: `ACC-${1000 + (i % 5) + 1}` } },
			],
		}),
	},
	{
		path: 'purchase_order_changes',
		scope: 'core.purchase_order',
		element: 'order-header-change',
		seed: (i) => ({ status: pick(['draft', 'pending_approval', 'approved'], i), 'order-header-id': i, exported: false }),
	},
	{
		path: 'purchase_order_lines',
		scope: 'core.purchase_order',
		element: 'order-line',
		seed: (i) => ({ description: `Line ${i}`, 'line-num': 1, quantity: `${i}.0`, price: money(i), status: 'created', 'order-header-id': i }),
	},
	{
		path: 'quote_requests',
		scope: 'core.sourcing',
		element: 'quote-request',
		seed: (i) => ({ description: `Sourcing event ${i}`, state: pick(['draft', 'active', 'ended'], i), exported: false }),
	},
	{
		path: 'requisitions',
		scope: 'core.requisition',
		element: 'requisition-header',
		seed: (i) => ({ status: pick(['draft', 'pending_approval', 'approved'], i), 'requisition-description': `Request ${i}`, exported: i % 2 === 1, total: money(i) }),
	},
	{
		path: 'suppliers',
		scope: 'core.supplier',
		element: 'supplier',
		seed: (i) => ({ name: `Acme Supply ${i}`, number: `SUP-${i}`, status: i % 6 === 0 ? 'inactive' : 'active', 'display-name': `Acme Supply ${i}` }),
	},
	{
		path: 'users',
		scope: 'core.user',
		element: 'user',
		seed: (i) => ({ login: `user${i}`, email: `user${i}@example.com`, firstname: `First${i}`, lastname: `Last${i}`, active: i % 7 !== 0 }),
	},
	{
		path: 'user_groups',
		scope: 'core.user_group',
		element: 'user-group',
		seed: (i) => ({ name: `Group ${i}`, description: `Team ${i}`, active: true }),
	},
];

export const SIM_RESOURCES_BY_PATH = new Map(SIM_RESOURCES.map((r) => [r.path, r]));

export const BASE_SCOPES = ['login', 'email', 'offline_access', 'openid', 'profile', 'core.common.read'];

export const ALL_SCOPES = [
	...new Set([
		...BASE_SCOPES,
		...SIM_RESOURCES.flatMap((r) => [`${r.scope}.read`, `${r.scope}.write`, ...Object.values(r.callScopes ?? {}).flat()]),
	]),
];
