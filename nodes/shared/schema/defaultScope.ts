/**
 * The scope `coupaApi` asks for by default, as the catalog derives it (DEFAULT_SCOPE_OF_CATALOG):
 * a constant here so that loading a credential does not parse the API digest. test/unit/schema
 * fails when the two differ.
 */
export const DEFAULT_SCOPE = [
	'core.common.read',
	'core.accounting.read',
	'core.approval.read',
	'core.budget.read',
	'core.contract.read',
	'core.expense.read',
	'core.inventory.receiving.read',
	'core.invoice.read',
	'core.item.read',
	'core.purchase_order.read',
	'core.sourcing.read',
	'core.requisition.read',
	'core.supplier.read',
	'core.user.read',
	'core.user_group.read',
].join(' ');
