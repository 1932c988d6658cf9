/**
 * Flat-file loads followed to their end from the node (Compass: Data File Sources API and its
 * example calls), and the operations whose request Coupa does not document saying so.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { RESOURCES_BY_VALUE } from '../nodes/shared/schema/catalog';
import { jsonOf, useCoupa } from './support/setup';

const bed = useCoupa();

beforeEach(() => bed.coupa.clearLog());

const END = ['Done', 'Failed'];

/** The Wait + Get loop a workflow runs, with Get through n8n's engine; bounded as the docs ask. */
async function followLoad(id: string, simplify = true): Promise<Array<Record<string, unknown>>> {
	const seen: Array<Record<string, unknown>> = [];
	for (let round = 0; round < 10; round++) {
		const run = await bed.run({ resource: 'dataFileSource', operation: 'get', id, simplify });
		expect(run.error).toBeUndefined();
		const [load] = jsonOf(run);
		seen.push(load);
		if (END.includes(String(load.status))) return seen;
	}
	throw new Error(`load ${id} did not end: ${seen.map((l) => String(l.status)).join(', ')}`);
}

test('Get on a data file source returns its status, counts and row errors', async () => {
	const failed = bed.coupa.records('data_file_sources').find((r) => r.status === 'Failed')!;
	const run = await bed.run({
		resource: 'dataFileSource',
		operation: 'get',
		id: String(failed.id),
		simplify: true,
	});
	expect(run.error).toBeUndefined();
	const [load] = jsonOf(run);
	expect(load).toMatchObject({ status: 'Failed', 'records-count': 3, 'upload-errors-count': 2 });
	expect(load['upload-errors']).toEqual([
		expect.objectContaining({
			row: 2,
			'field-with-error': 'parent_id',
			'field-errors': ['Parent unable to find matching parent.'],
		}),
		expect.objectContaining({ row: 3 }),
	]);
	// Simplify asks Coupa for the fields that follow a load, and nothing else.
	const fields = JSON.parse(bed.coupa.apiRequests()[0].query.fields) as unknown[];
	expect(fields).toEqual(
		expect.arrayContaining([
			'status',
			'records-count',
			'records-created',
			'records-updated',
			'upload-errors',
			'upload-errors-count',
			'result-text',
		]),
	);
});

test('a load started through the API is followed, read after read, to Done with its counts', async () => {
	const started = await bed.run({
		resource: 'dataFileSource',
		operation: 'loadFromSftp',
		jsonBody: '{"source-for": "LookupValue"}',
	});
	expect(started.error).toBeUndefined();
	const [load] = jsonOf(started);
	expect(load.status).toBe('Pending');
	const rounds = await followLoad(String(load.id));
	expect(rounds.map((r) => r.status)).toEqual(['Loading', 'Done']);
	expect(rounds[1]).toMatchObject({
		'records-count': 27,
		'records-created': 16,
		'records-updated': 11,
		'upload-errors-count': 0,
		'upload-errors': [],
	});
});

test('a load Coupa rejects rows of ends Failed, each rejected row with its column and reason', async () => {
	bed.coupa.rejectRowsOfNextLoad([4, 9]);
	const started = await bed.run({
		resource: 'dataFileSource',
		operation: 'loadFromSftp',
		jsonBody: '{"source-for": "Supplier"}',
	});
	const rounds = await followLoad(String(jsonOf(started)[0].id), false);
	const end = rounds[rounds.length - 1];
	expect(end).toMatchObject({ status: 'Failed', 'upload-errors-count': 2 });
	expect((end['upload-errors'] as Array<Record<string, unknown>>).map((e) => e.row)).toEqual([
		4, 9,
	]);
});

test('operations whose request Coupa does not document say so, and the list is generated', () => {
	const describe = (resource: string, operation: string) =>
		RESOURCES_BY_VALUE.get(resource)!.endpoints.find((e) => e.value === operation)!.description;
	expect(describe('dataFileSource', 'loadFile')).toContain('Coupa documents no file or body');
	expect(describe('dataFileSource', 'loadFromSftp')).toContain('Coupa documents no file or body');
	expect(describe('objectInstance', 'create')).toContain('undocumented');
	expect(describe('supplier', 'create')).not.toContain('undocumented');
	const root = path.resolve(__dirname, '..');
	expect(() =>
		execFileSync(
			process.execPath,
			[path.join(root, 'scripts/generate-undocumented-operations.mjs'), '--check'],
			{ stdio: 'pipe' },
		),
	).not.toThrow();
});
