/**
 * The catalog against Coupa's specs themselves: the committed digest is what the generator makes of
 * the spec files, and every operation the node sends is a verb and path of a spec file (or one that
 * Compass documents, marked as such). The spec files are read here directly, not through the digest.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DIGEST } from '../nodes/shared/schema/digest';
import { FIRST_RESOURCES, RESOURCES, RESOURCES_BY_VALUE } from '../nodes/shared/schema/catalog';

const ROOT = path.resolve(__dirname, '..');
const SPECS = process.env.COUPA_SPECS ?? path.resolve(ROOT, '../shared/coupa-openapi');
const haveSpecs = existsSync(SPECS);
const specTest = haveSpecs ? test : test.skip;

/** `GET invoices/{}/attachments/{}`: every verb and path of the spec files, parameters unnamed. */
function specEndpoints(): Set<string> {
	const endpoints = new Set<string>();
	for (const file of readdirSync(SPECS).filter((f) => f.endsWith('.json'))) {
		const spec = JSON.parse(readFileSync(path.join(SPECS, file), 'utf8')) as {
			paths: Record<string, Record<string, unknown>>;
		};
		for (const [route, item] of Object.entries(spec.paths)) {
			for (const method of Object.keys(item)) {
				const clean = route
					.replace(/\(\/\{[^}]+\}\)$/, '')
					.replace(/^\//, '')
					.replace(/\{[^}]+\}/g, '{}');
				endpoints.add(`${method.toUpperCase()} ${clean}`);
			}
		}
	}
	return endpoints;
}

const unnamed = (template: string) => template.replace(/\{[^}]+\}/g, '{}');
const endpoints = RESOURCES.flatMap((resource) =>
	resource.endpoints.map((endpoint) => ({ resource, endpoint })),
);

specTest('the committed digest is what the generator makes of the spec files', () => {
	expect(() =>
		execFileSync(process.execPath, [path.join(ROOT, 'scripts/generate-digest.mjs'), '--check'], {
			stdio: 'pipe',
			env: { ...process.env, COUPA_SPECS: SPECS },
		}),
	).not.toThrow();
});

specTest(
	'every operation the node sends is a verb and path of the specs, or documented by Compass',
	() => {
		const spec = specEndpoints();
		const strays = endpoints
			.filter(({ endpoint }) => !['upsert', 'markExported'].includes(endpoint.kind))
			.filter(({ endpoint }) => !endpoint.compass)
			.filter(({ endpoint }) => !spec.has(`${endpoint.method} ${unnamed(endpoint.path)}`))
			.map(
				({ resource, endpoint }) =>
					`${resource.value}.${endpoint.value}: ${endpoint.method} ${endpoint.path}`,
			);
		expect(strays).toEqual([]);
	},
);

specTest(
	'operations Compass documents are not in the specs (else the overlay should not add them)',
	() => {
		const spec = specEndpoints();
		const compassOnly = endpoints.filter(({ endpoint }) => endpoint.compass);
		expect(
			compassOnly.map(({ resource, endpoint }) => `${resource.value}.${endpoint.value}`).sort(),
		).toEqual(
			['expenseReport.getAttachments', 'expenseReport.uploadAttachment', 'invoice.create'].sort(),
		);
		for (const { endpoint } of compassOnly)
			expect(spec.has(`${endpoint.method} ${unnamed(endpoint.path)}`)).toBe(false);
	},
);

specTest(
	"at least 90% of the specs' operations (PATCH twins of a PUT set aside) are named operations of the node",
	() => {
		const spec = specEndpoints();
		const withoutPatchTwins = [...spec].filter(
			(e) => !(e.startsWith('PATCH ') && spec.has(`PUT ${e.slice(6)}`)),
		);
		const named = new Set(
			endpoints.map(({ endpoint }) => `${endpoint.method} ${unnamed(endpoint.path)}`),
		);
		const covered = withoutPatchTwins.filter((e) => named.has(e));
		expect(withoutPatchTwins).toHaveLength(DIGEST.counts.operations);
		expect(covered.length / withoutPatchTwins.length).toBeGreaterThanOrEqual(0.9);
	},
);

test('every resource group (tag) of the specs is reachable', () => {
	const tags = new Set(DIGEST.resources.map((r) => r.tag));
	const reachable = new Set(RESOURCES.map((r) => r.tag));
	// Attachments and comments of a record are that record's operations.
	reachable.add('Attachment');
	reachable.add('Comment');
	expect([...tags].filter((tag) => !reachable.has(tag))).toEqual([]);
	expect(tags.size).toBe(90);
});

test('Delete only where the spec has DELETE', () => {
	for (const { resource, endpoint } of endpoints.filter(
		({ endpoint }) => endpoint.value === 'delete',
	)) {
		const own = DIGEST.resources.find((r) => r.value === resource.value)!;
		expect([
			resource.value,
			own.operations.some((o) => o.method === 'DELETE' && o.kind === 'member'),
		]).toEqual([resource.value, true]);
		expect(endpoint.method).toBe('DELETE');
	}
});

test('the 21 first resources keep their contract values and collection paths', () => {
	expect(FIRST_RESOURCES.map((value) => `${value}:${RESOURCES_BY_VALUE.get(value)?.path}`)).toEqual(
		[
			'account:accounts',
			'address:addresses',
			'approval:approvals',
			'budgetLine:budget_lines',
			'contract:contracts',
			'currency:currencies',
			'exchangeRate:exchange_rates',
			'expenseLine:expense_lines',
			'expenseReport:expense_reports',
			'inventoryTransaction:inventory_transactions',
			'invoice:invoices',
			'item:items',
			'lookupValue:lookup_values',
			'purchaseOrder:purchase_orders',
			'purchaseOrderChange:purchase_order_changes',
			'purchaseOrderLine:purchase_order_lines',
			'quoteRequest:quote_requests',
			'requisition:requisitions',
			'supplier:suppliers',
			'user:users',
			'userGroup:user_groups',
		],
	);
});

test("new resources are named by DESIGN.md's rule, nested ones with a qualifying word", () => {
	const pathOf = (value: string) => RESOURCES_BY_VALUE.get(value)?.path;
	expect(pathOf('department')).toBe('departments');
	expect(pathOf('paymentTerm')).toBe('payment_terms');
	expect(pathOf('receivingTransaction')).toBe('receiving_transactions');
	expect(pathOf('remitToAddress')).toBe('suppliers/{parentId}/addresses');
	expect(RESOURCES_BY_VALUE.get('remitToAddress')?.parent?.name).toBe('Supplier');
});

test("the operations and actions named in DESIGN.md are there, with the first release's values", () => {
	const ops = (value: string) => RESOURCES_BY_VALUE.get(value)!.operations;
	expect(ops('purchaseOrder')).toEqual(
		expect.arrayContaining([
			'get',
			'getAll',
			'create',
			'update',
			'markExported',
			'upsert',
			'issue',
			'issueWithoutSend',
			'cancel',
			'close',
			'reopen',
			'releaseFromBuyerHold',
			'uploadAttachment',
			'getAttachments',
		]),
	);
	expect(ops('invoice')).toEqual(
		expect.arrayContaining([
			'submit',
			'abandon',
			'void',
			'dispute',
			'withdrawDispute',
			'bypassApprovals',
			'restartApprovals',
			'downloadImageScan',
			'downloadLegalPdf',
			'delete',
		]),
	);
	expect(ops('approval')).toEqual(expect.arrayContaining(['approve', 'reject', 'hold']));
	expect(ops('requisition')).toEqual(
		expect.arrayContaining(['submitForApproval', 'createAsCart', 'updateAndSubmitForApproval']),
	);
	expect(ops('expenseReport')).toEqual(expect.arrayContaining(['submit', 'uploadAttachment']));
	expect(ops('inventoryTransaction')).toEqual(expect.arrayContaining(['void', 'markExported']));
	expect(ops('contract')).toEqual(
		expect.arrayContaining(['submitForApproval', 'complete', 'uploadAttachment']),
	);
});

test('approvals are made by approval chains: no Create or Update (Compass, Approvals API)', () => {
	expect(RESOURCES_BY_VALUE.get('approval')!.operations).not.toEqual(
		expect.arrayContaining(['create']),
	);
	expect(RESOURCES_BY_VALUE.get('approval')!.operations).not.toContain('update');
	expect(RESOURCES_BY_VALUE.get('approval')!.operations).not.toContain('upsert');
});

test('scopes: void and abandon need core.invoice.delete; receipts use core.inventory.receiving; no core.inventory.transaction', () => {
	const scopes = (value: string, op: string) =>
		RESOURCES_BY_VALUE.get(value)!.endpoints.find((e) => e.value === op)!.scopes;
	expect(scopes('invoice', 'void')).toEqual(['core.invoice.delete']);
	expect(scopes('invoice', 'abandon')).toEqual(['core.invoice.delete']);
	expect(scopes('inventoryTransaction', 'get')).toEqual(['core.inventory.receiving.read']);
	expect(scopes('receivingTransaction', 'create')).toEqual(['core.inventory.receiving.write']);
	expect(
		RESOURCES.flatMap((r) => r.endpoints.flatMap((e) => e.scopes)).filter((s) =>
			s.startsWith('core.inventory.transaction'),
		),
	).toEqual([]);
});

test('Mark Exported exactly where the record carries the exported flag', () => {
	for (const resource of RESOURCES) {
		const fields = DIGEST.schemas[resource.schema ?? '']?.map((f) => f.name) ?? [];
		if (
			resource.operations.includes('markExported') &&
			resource.value !== 'integrationHistoryRecord'
		)
			expect([resource.value, fields.includes('exported')]).toEqual([resource.value, true]);
	}
	expect(RESOURCES_BY_VALUE.get('purchaseOrder')!.exported).toBe(true);
	expect(RESOURCES_BY_VALUE.get('supplier')!.exported).toBe(false);
});

test('operation values are unique within a resource, and every resource has a description', () => {
	for (const resource of RESOURCES) {
		expect([resource.value, new Set(resource.operations).size]).toEqual([
			resource.value,
			resource.operations.length,
		]);
		expect(resource.description.length).toBeGreaterThan(5);
	}
});
