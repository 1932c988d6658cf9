/** The example workflows in examples/ run as a user would import them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { WorkflowJson } from './harness/engine';
import { runWorkflow } from './harness/engine';
import { useCoupa } from './support/setup';

const bed = useCoupa();
const example = (file: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', file), 'utf8')) as WorkflowJson;

beforeEach(() => bed.coupa.clearLog());

test('export approved invoices once, then mark them exported', async () => {
	const wanted = bed.coupa
		.records('invoices')
		.filter((r) => r.status === 'approved' && r.exported === false)
		.map((r) => r.id);
	expect(wanted.length).toBeGreaterThan(0);
	const { output, error } = await runWorkflow(
		bed.credentials,
		example('export-unexported-invoices.json'),
	);
	expect(error).toBeUndefined();
	expect(output['Mark exported'].map((item) => item.json.id)).toEqual(wanted);
	for (const id of wanted) expect(bed.coupa.record('invoices', id)?.exported).toBe(true);
	// A second run finds nothing left to export.
	const again = await runWorkflow(bed.credentials, example('export-unexported-invoices.json'));
	expect(again.output['Approved, not exported']).toHaveLength(0);
});

test('approve the pending approvals of requisitions', async () => {
	const wanted = bed.coupa
		.records('approvals')
		.filter((r) => r.status === 'pending' && r['approvable-type'] === 'RequisitionHeader')
		.map((r) => r.id);
	const { output, error } = await runWorkflow(
		bed.credentials,
		example('approve-pending-requisition-approvals.json'),
	);
	expect(error).toBeUndefined();
	expect(output.Approve.map((item) => item.json.status)).toEqual(wanted.map(() => 'approved'));
	expect(
		bed.coupa
			.apiRequests()
			.filter((r) => r.method === 'PUT')
			.map((r) => r.path),
	).toEqual(wanted.map((id) => `/api/approvals/${id}/approve`));
});

test('read in batches: an id cursor in a loop reads every record once, a batch a run, and stops on an empty batch', async () => {
	bed.coupa.seed('purchase_orders', 137);
	bed.coupa.clearLog();
	const { runs, error } = await runWorkflow(bed.credentials, example('read-in-batches.json'));
	expect(error).toBeUndefined();
	const batches = runs['Next batch'].map((items) => items.map((item) => item.json.id));
	expect(batches.map((ids) => ids.length)).toEqual([50, 50, 37, 0]);
	expect(batches.flat()).toEqual(bed.coupa.records('purchase_orders').map((r) => r.id));
	// Each batch asks for the ids after the last one read, never by offset.
	expect(bed.coupa.apiRequests().map((r) => [r.query['id[gt]'], r.query.offset])).toEqual([
		['0', undefined],
		['50', undefined],
		['100', undefined],
		['137', undefined],
	]);
});

test('the trigger examples are valid Coupa Trigger workflows', () => {
	for (const file of ['approved-invoices-to-sheet.json', 'sync-new-suppliers.json']) {
		const trigger = example(file).nodes.find(
			(node) => node.type === 'n8n-nodes-coupa.coupaTrigger',
		);
		expect(trigger?.parameters).toMatchObject({
			resource: expect.any(String),
			event: expect.stringMatching(/^(created|updated)$/),
		});
	}
});
