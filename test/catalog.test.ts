/** The catalog agrees with Coupa's specs: every operation is an endpoint Coupa lists, with its verb. */
import { RESOURCES } from '../nodes/Coupa/catalog';
import { SPEC_ATTACHMENT_PATHS, SPEC_ENDPOINTS } from './spec-facts';

const CRUD_ENDPOINTS: Record<string, string> = {
	get: 'GET /:id',
	getAll: 'GET ',
	create: 'POST ',
	update: 'PUT /:id',
	delete: 'DELETE /:id',
};

describe.each(RESOURCES.map((r) => [r.value, r] as const))('%s', (_value, resource) => {
	const spec = new Set(SPEC_ENDPOINTS[resource.path]);

	test('is one of the objects the specs describe', () => {
		expect(SPEC_ENDPOINTS[resource.path]).toBeDefined();
	});

	test('each CRUD operation is an endpoint of the spec', () => {
		for (const operation of resource.operations) expect([operation, spec.has(CRUD_ENDPOINTS[operation])]).toEqual([operation, true]);
	});

	test('Create, Update and Delete exist exactly where the spec has them', () => {
		for (const operation of ['create', 'update', 'delete'] as const) {
			expect([operation, resource.operations.includes(operation)]).toEqual([operation, spec.has(CRUD_ENDPOINTS[operation])]);
		}
	});

	test('each action is sent with the verb and path of the spec', () => {
		for (const action of resource.actions ?? []) {
			const endpoint = `${action.method} ${action.onCollection ? '' : '/:id'}/${action.action}`;
			expect([action.value, spec.has(endpoint)]).toEqual([action.value, true]);
		}
	});

	test('Mark Exported updates the record (PUT) where the object carries the exported flag', () => {
		if (resource.exported) expect(spec.has('PUT /:id')).toBe(true);
	});

	test('attachments and files only where the spec has them', () => {
		expect(Boolean(resource.attachments)).toBe(SPEC_ATTACHMENT_PATHS.includes(resource.path));
		for (const file of resource.files ?? []) expect(spec.has(`GET /:id/${file.action}`)).toBe(true);
	});
});

test('the catalog covers the 21 objects of DESIGN.md with their contract values', () => {
	expect(RESOURCES.map((r) => `${r.value}:${r.path}`)).toEqual([
		'account:accounts', 'address:addresses', 'approval:approvals', 'budgetLine:budget_lines', 'contract:contracts',
		'currency:currencies', 'exchangeRate:exchange_rates', 'expenseLine:expense_lines', 'expenseReport:expense_reports',
		'inventoryTransaction:inventory_transactions', 'invoice:invoices', 'item:items', 'lookupValue:lookup_values',
		'purchaseOrder:purchase_orders', 'purchaseOrderChange:purchase_order_changes', 'purchaseOrderLine:purchase_order_lines',
		'quoteRequest:quote_requests', 'requisition:requisitions', 'supplier:suppliers', 'user:users', 'userGroup:user_groups',
	]);
});

test('the actions named in DESIGN.md are all there', () => {
	const actions = (value: string) => RESOURCES.find((r) => r.value === value)?.actions?.map((a) => a.value) ?? [];
	expect(actions('purchaseOrder')).toEqual(expect.arrayContaining(['issue', 'issueWithoutSend', 'cancel', 'close', 'reopen', 'releaseFromBuyerHold']));
	expect(actions('invoice')).toEqual(['submit', 'abandon', 'void', 'dispute', 'withdrawDispute', 'bypassApprovals', 'restartApprovals']);
	expect(actions('approval')).toEqual(['approve', 'reject', 'hold']);
	expect(actions('requisition')).toEqual(['submitForApproval', 'createAsCart', 'updateAndSubmitForApproval']);
	expect(actions('expenseReport')).toEqual(['submit']);
	expect(actions('inventoryTransaction')).toEqual(['void']);
	expect(actions('contract')).toEqual(['submitForApproval', 'complete']);
});
