/**
 * The Coupa objects this package speaks, as data. Every property of the `coupa` node and every
 * resource of the `coupaTrigger` node is built from these rows, so adding an object means adding
 * a row here, not writing another description file.
 *
 * Paths, verbs and actions agree with Coupa's R39 OpenAPI specs (`paths.txt` and
 * `actions-by-resource.txt`); `test/catalog.test.ts` holds that agreement as facts.
 */

export type CrudOperation = 'get' | 'getAll' | 'create' | 'update' | 'delete';

export interface CoupaActionParameter {
	/** n8n parameter name, also the body key Coupa expects. */
	name: string;
	displayName: string;
	description: string;
}

export interface CoupaAction {
	/** Operation value, camelCased from Coupa's action path (DESIGN.md). */
	value: string;
	name: string;
	description: string;
	method: 'PUT' | 'POST';
	/** Path segment after `/{path}/{id}/`, or after `/{path}/` for collection actions. */
	action: string;
	/** A collection action (`POST /requisitions/submit_for_approval`) takes a body, not an id. */
	onCollection?: boolean;
	/** Optional body fields the action accepts, such as `reason` on an approval rejection. */
	parameters?: CoupaActionParameter[];
}

/** A file Coupa serves for a record (`GET /{path}/{id}/{action}`), downloaded into a binary property. */
export interface CoupaFile {
	value: string;
	name: string;
	description: string;
	action: string;
}

export interface CoupaResource {
	/** `resource` parameter value: camelCase singular, part of the public contract. */
	value: string;
	/** Singular display name. */
	name: string;
	/** Coupa API path under `/api/`. */
	path: string;
	/** Scope family, e.g. `core.purchase_order`; reads need `.read`, writes `.write`. */
	scope: string;
	/**
	 * Scopes Coupa documents for particular operations (by operation value), any one of which
	 * grants it, where `.read` or `.write` of the family is not the whole story.
	 */
	operationScopes?: Record<string, string[]>;
	operations: CrudOperation[];
	/** The record carries Coupa's `exported` flag, so Mark Exported applies. */
	exported?: boolean;
	actions?: CoupaAction[];
	/** Records take attachments (`/{path}/{id}/attachments`): upload and list. */
	attachments?: boolean;
	files?: CoupaFile[];
}

const READ: CrudOperation[] = ['get', 'getAll'];
const READ_WRITE: CrudOperation[] = ['get', 'getAll', 'create', 'update'];

/** Builds an action row whose operation value, name and path all derive from Coupa's action path. */
function action(
	coupaAction: string,
	description: string,
	extra: Partial<CoupaAction> = {},
): CoupaAction {
	const words = coupaAction.split('_');
	return {
		value: words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join(''),
		name: words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
		description,
		method: 'PUT',
		action: coupaAction,
		...extra,
	};
}

export const RESOURCES: CoupaResource[] = [
	{
		value: 'account',
		name: 'Account',
		path: 'accounts',
		scope: 'core.accounting',
		operations: READ_WRITE,
	},
	{ value: 'address', name: 'Address', path: 'addresses', scope: 'core.common', operations: READ_WRITE },
	{
		value: 'approval',
		name: 'Approval',
		path: 'approvals',
		scope: 'core.approval',
		operations: READ_WRITE,
		actions: [
			action('approve', 'Approve a pending approval'),
			action('reject', 'Reject a pending approval', {
				parameters: [
					{
						name: 'reason',
						displayName: 'Reason',
						description: 'Why the approval is rejected; Coupa records it as a comment',
					},
				],
			}),
			action('hold', 'Put a pending approval on hold'),
		],
	},
	{
		value: 'budgetLine',
		name: 'Budget Line',
		path: 'budget_lines',
		scope: 'core.budget',
		operations: ['get', 'getAll', 'create', 'update', 'delete'],
		actions: [action('adjust', 'Adjust the amount of a budget line')],
	},
	{
		value: 'contract',
		name: 'Contract',
		path: 'contracts',
		attachments: true,
		scope: 'core.contract',
		operations: READ_WRITE,
		actions: [
			action('submit_for_approval', 'Submit a draft contract for approval'),
			action('complete', 'Complete a contract'),
		],
	},
	{ value: 'currency', name: 'Currency', path: 'currencies', scope: 'core.common', operations: READ },
	{
		value: 'exchangeRate',
		name: 'Exchange Rate',
		path: 'exchange_rates',
		scope: 'core.common',
		operations: READ_WRITE,
	},
	{
		value: 'expenseLine',
		name: 'Expense Line',
		path: 'expense_lines',
		scope: 'core.expense',
		operations: ['get', 'getAll', 'create', 'update', 'delete'],
	},
	{
		value: 'expenseReport',
		name: 'Expense Report',
		path: 'expense_reports',
		attachments: true,
		scope: 'core.expense',
		operations: ['get', 'getAll', 'create', 'update', 'delete'],
		exported: true,
		actions: [action('submit', 'Submit an expense report for approval')],
	},
	{
		value: 'inventoryTransaction',
		name: 'Inventory Transaction',
		path: 'inventory_transactions',
		scope: 'core.inventory.transaction',
		operations: READ_WRITE,
		exported: true,
		actions: [action('void', 'Void an inventory transaction')],
	},
	{
		value: 'invoice',
		name: 'Invoice',
		path: 'invoices',
		attachments: true,
		files: [
			{
				value: 'downloadImageScan',
				name: 'Download Image Scan',
				description: "Download the invoice's scanned image",
				action: 'retrieve_image_scan',
			},
			{
				value: 'downloadLegalPdf',
				name: 'Download Legal PDF',
				description: "Download the invoice's legal PDF",
				action: 'retrieve_legal_invoice_pdf',
			},
		],
		scope: 'core.invoice',
		// R39 Invoicing and Core Platform specs: "core.invoice.create: Allows Invoice to be created",
		// "core.invoice.write: Allows to create or modify invoices", "core.invoice.delete",
		// "core.invoice.approval.bypass", "core.invoice.approval.write: Allows invoice to modify approvals".
		operationScopes: {
			create: ['core.invoice.create', 'core.invoice.write'],
			delete: ['core.invoice.delete'],
			bypassApprovals: ['core.invoice.approval.bypass'],
			restartApprovals: ['core.invoice.approval.write'],
		},
		operations: ['get', 'getAll', 'create', 'update', 'delete'],
		exported: true,
		actions: [
			action('submit', 'Submit a draft invoice'),
			action('abandon', 'Abandon a draft invoice'),
			action('void', 'Void an approved invoice'),
			action('dispute', 'Dispute an invoice with the supplier'),
			action('withdraw_dispute', 'Withdraw the dispute of an invoice'),
			action('bypass_approvals', 'Approve an invoice without its approval chain'),
			action('restart_approvals', 'Restart the approval chain of an invoice'),
		],
	},
	{ value: 'item', name: 'Item', path: 'items', scope: 'core.item', operations: READ_WRITE },
	{
		value: 'lookupValue',
		name: 'Lookup Value',
		path: 'lookup_values',
		scope: 'core.common',
		operations: READ_WRITE,
	},
	{
		value: 'purchaseOrder',
		name: 'Purchase Order',
		path: 'purchase_orders',
		attachments: true,
		scope: 'core.purchase_order',
		operations: READ_WRITE,
		exported: true,
		actions: [
			action('issue', 'Issue a purchase order and send it to the supplier'),
			action('issue_without_send', 'Issue a purchase order without sending it to the supplier'),
			action('ignore_window_and_issue', "Issue a purchase order now, ignoring the supplier's order window"),
			action('cancel', 'Cancel a purchase order'),
			action('close', 'Close a purchase order'),
			action('reopen', 'Reopen a closed purchase order'),
			action('release_from_buyer_hold', 'Release a purchase order held for buyer review'),
		],
	},
	{
		value: 'purchaseOrderChange',
		name: 'Purchase Order Change',
		path: 'purchase_order_changes',
		scope: 'core.purchase_order',
		operations: READ_WRITE,
		exported: true,
		actions: [action('submit_for_approval', 'Submit a purchase order change for approval')],
	},
	{
		value: 'purchaseOrderLine',
		name: 'Purchase Order Line',
		path: 'purchase_order_lines',
		scope: 'core.purchase_order',
		operations: ['get', 'getAll', 'delete'],
		actions: [
			action('soft_close_for_receiving', 'Soft-close a line so it takes no more receipts'),
			action('soft_close_for_invoicing', 'Soft-close a line so it takes no more invoices'),
			action('reopen_for_receiving', 'Reopen a line soft-closed for receiving'),
			action('reopen_for_invoicing', 'Reopen a line soft-closed for invoicing'),
		],
	},
	{
		value: 'quoteRequest',
		name: 'Quote Request',
		path: 'quote_requests',
		scope: 'core.sourcing',
		operations: READ_WRITE,
		exported: true,
	},
	{
		value: 'requisition',
		name: 'Requisition',
		path: 'requisitions',
		attachments: true,
		scope: 'core.requisition',
		operations: ['get', 'getAll', 'create', 'update', 'delete'],
		exported: true,
		actions: [
			action('submit_for_approval', 'Create a requisition and submit it for approval', {
				method: 'POST',
				onCollection: true,
			}),
			action('create_as_cart', "Create a requisition in the requester's cart", {
				method: 'POST',
				onCollection: true,
			}),
			action('update_and_submit_for_approval', 'Update a requisition and submit it for approval'),
		],
	},
	{
		value: 'supplier',
		name: 'Supplier',
		path: 'suppliers',
		scope: 'core.supplier',
		operations: READ_WRITE,
	},
	{ value: 'user', name: 'User', path: 'users', scope: 'core.user', operations: READ_WRITE },
	{
		value: 'userGroup',
		name: 'User Group',
		path: 'user_groups',
		scope: 'core.user_group',
		operations: READ_WRITE,
	},
];

export const RESOURCES_BY_VALUE: ReadonlyMap<string, CoupaResource> = new Map(
	RESOURCES.map((resource) => [resource.value, resource]),
);

export function readScope(resource: CoupaResource): string {
	return `${resource.scope}.read`;
}

export function writeScope(resource: CoupaResource): string {
	return `${resource.scope}.write`;
}

/** The scopes that grant an operation: those Coupa documents for it, else the family's read or write. */
export function operationScopes(resource: CoupaResource, operation: string, method: string): string[] {
	return resource.operationScopes?.[operation] ?? [method === 'GET' ? readScope(resource) : writeScope(resource)];
}

/** The scope `coupaApi` asks for by default: Coupa's base read scope and every resource's read scope. */
export const DEFAULT_SCOPE = [
	'core.common.read',
	...new Set(RESOURCES.map(readScope).filter((scope) => scope !== 'core.common.read')),
].join(' ');
