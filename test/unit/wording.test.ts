/** The wording rules, imported directly: how a value's words become names and sentences. */
import {
	aRecord,
	childName,
	lowerName,
	nestedName,
	operationWording,
	plural,
	titleCase,
} from '../../nodes/shared/schema/wording';

const member = { member: true, method: 'PUT', file: false };

test("titles keep Coupa's capitals and lower the small words", () => {
	expect(titleCase(['load', 'from', 'sftp'])).toBe('Load From SFTP');
	expect(titleCase(['submit', 'for', 'approval'])).toBe('Submit for Approval');
	expect(titleCase(['coupa', 'pay', 'payment'])).toBe('Coupa Pay Payment');
	expect(titleCase(['remit', 'to', 'address'])).toBe('Remit-To Address');
});

test('sentences keep acronyms and pick the article by sound', () => {
	expect(lowerName('Coupa Pay Payment')).toBe('Coupa Pay payment');
	expect(aRecord('ASN Header')).toBe('an ASN header');
	expect(aRecord('UOM Translation')).toBe('a UOM translation');
	expect(aRecord('User Group')).toBe('a user group');
	expect(aRecord('Invoice')).toBe('an invoice');
	expect(plural('Currency')).toBe('currencies');
	expect(plural('UOM')).toBe('UOMs');
	expect(plural('Supplier Site of a Supplier')).toBe('supplier sites of a supplier');
});

test('a nested name that repeats its parent says whose it is', () => {
	expect(nestedName('budgetLineBudgetLineAdjustment', 'Budget Line')).toBe(
		'Budget Line Adjustment of a Budget Line',
	);
	expect(nestedName('supplierBusinessGroup', 'Supplier')).toBe('Supplier Business Group');
	expect(aRecord('Expense Line of an Expense Report')).toBe('an expense line of an expense report');
	expect(childName('Supplier Business Group', 'Supplier')).toBe('business group');
});

test.each([
	[
		'loadFromSftp',
		{ name: 'Data File Source', ...member, member: false, method: 'POST' },
		'Load From SFTP',
		'Load a data file source from SFTP',
	],
	['addApprover', { name: 'Contract', ...member }, 'Add Approver', 'Add an approver to a contract'],
	[
		'receiveMany',
		{ name: 'ASN Header', ...member, member: false },
		'Receive Many',
		'Receive several ASN headers',
	],
	[
		'bulkUpdate',
		{ name: 'Asset Tag', ...member, member: false },
		'Update in Bulk',
		'Update asset tags in bulk',
	],
	[
		'removeAll',
		{ name: 'Supplier Business Group', parent: 'Supplier', ...member, member: false },
		'Remove All',
		'Remove all business groups from a supplier',
	],
	[
		'add',
		{ name: 'Supplier Business Group', parent: 'Supplier', ...member },
		'Add',
		'Add a business group to a supplier',
	],
	[
		'pending',
		{ name: 'Integration Run', ...member },
		'Mark Pending',
		'Mark an integration run as pending',
	],
	[
		'image',
		{ name: 'Item', member: true, method: 'GET', file: true },
		'Download Image',
		'Download the image of an item',
	],
	[
		'userAccounts',
		{ name: 'Account', member: false, method: 'GET', file: false },
		'Get User Accounts',
		'Get user accounts',
	],
	[
		'calculatePerDiem',
		{ name: 'Expense Line', ...member },
		'Calculate Per Diem',
		'Calculate per diem for an expense line',
	],
	[
		'payExternally',
		{ name: 'Payables Order', ...member },
		'Pay Externally',
		'Pay a payables order externally',
	],
])('%s reads as a person writes it', (value, subject, name, action) => {
	expect(operationWording(value, subject)).toEqual({ name, action });
});

test('a value no rule words leaves the decision to the overlay', () => {
	expect(operationWording('cccSignatureCreated', { name: 'Contract', ...member })).toBeUndefined();
	expect(operationWording('maxUpdatedAt', { name: 'Integration Run', ...member })).toBeUndefined();
});
