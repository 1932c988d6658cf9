/**
 * The Compass facts against Compass itself: the committed fact file is what the generator makes of
 * the Compass pages, and a few facts read straight from the pages (not through the generator).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const PAGES = process.env.COUPA_COMPASS ?? path.resolve(ROOT, '../shared/coupa-compass');
const havePages = existsSync(PAGES);
const pagesTest = havePages ? test : test.skip;

interface CompassField {
	name: string;
	required?: boolean | 'conditional';
	unique?: boolean;
	uniqueWithin?: string[];
	in?: boolean;
	out?: boolean;
	type?: string;
	ref?: string;
	dateOnly?: boolean;
}
interface CompassObject {
	page: string;
	section: string;
	kind: string;
	paths?: string[];
	keys?: string[][];
	fields: CompassField[];
}
const FACTS = JSON.parse(
	readFileSync(path.join(ROOT, 'nodes/shared/schema/compass-facts.json'), 'utf8'),
) as { objects: CompassObject[] };
const apiObject = (p: string) => FACTS.objects.find((o) => o.paths?.includes(p));
const field = (o: CompassObject | undefined, name: string) =>
	o?.fields.find((f) => f.name === name);

pagesTest('the committed Compass facts are what the generator makes of the Compass pages', () => {
	expect(() =>
		execFileSync(
			process.execPath,
			[path.join(ROOT, 'scripts/generate-compass-facts.mjs'), '--check'],
			{ stdio: 'pipe', env: { ...process.env, COUPA_COMPASS: PAGES } },
		),
	).not.toThrow();
});

pagesTest('an element row of a page reads as the page writes it', () => {
	// Read the lookup values page's row directly: `| external-ref-num | ... | | yes | | yes | yes | string |`.
	const page = readFileSync(path.join(PAGES, '0061-Lookup_Values_API_(_lookup_values).md'), 'utf8');
	const row = page
		.split('\n')
		.find((l) => l.startsWith('| external-ref-num |'))!
		.split('|')
		.map((c) => c.trim());
	const f = field(apiObject('lookup_values'), 'external-ref-num')!;
	expect({
		unique: row[4] === 'yes',
		in: row[6] === 'yes',
		out: row[7] === 'yes',
		type: row[8],
	}).toEqual({ unique: f.unique, in: f.in, out: f.out, type: f.type });
});

test('facts the node relies on are in the committed file', () => {
	expect(field(apiObject('purchase_orders'), 'hide-price')).toMatchObject({
		type: 'boolean',
		in: true,
	});
	expect(field(apiObject('accounts'), 'code')).toMatchObject({ in: false, out: true });
	expect(field(apiObject('invoices'), 'invoice-date')).toMatchObject({
		required: true,
		dateOnly: true,
	});
	const lookupValueImport = FACTS.objects.find(
		(o) => o.page === '0411-Lookup_Import.md' && o.section === 'Lookup Value',
	);
	expect(field(lookupValueImport, 'External Ref Num')).toMatchObject({
		unique: true,
		uniqueWithin: ['lookup', 'parent'],
	});
	expect(FACTS.objects.find((o) => o.section === 'Budget Line')?.keys).toEqual([
		['Budgeting Segment', 'Period'],
	]);
});

describe('the spec reconciled with Compass', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { reconciliation, reconciliationReport } =
		require('../scripts/compass-reconciliation') as typeof import('../scripts/compass-reconciliation');

	test('every disagreement is decided by a rule or by an overlay entry naming its evidence', () => {
		const open = reconciliation().open.map(
			(d) =>
				`${d.resource}.${d.field} (${d.kind}: spec ${d.spec}, Compass ${d.compass}, ${d.page})`,
		);
		expect(open).toEqual([]);
	});

	test('docs/compass-reconciliation.md is what the reconciliation makes', () => {
		expect(readFileSync(path.join(ROOT, 'docs/compass-reconciliation.md'), 'utf8')).toBe(
			reconciliationReport(),
		);
	});
});

describe('keys of Create or Update come from Compass', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { RESOURCES } =
		require('../nodes/shared/schema/catalog') as typeof import('../nodes/shared/schema/catalog');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { columnsOf, DERIVED_MATCH } =
		require('../nodes/shared/schema/columns') as typeof import('../nodes/shared/schema/columns');
	/** `external-ref-num` as a flat-file page writes it: "External Ref Num". */
	const flatName = (field: string) => field.split('-').join(' ').toLowerCase();
	const flatKeys = new Set(
		FACTS.objects
			.filter((o) => o.kind === 'flatFile')
			.flatMap((o) => [
				...o.fields.filter((f) => f.unique).map((f) => f.name),
				...(o.keys ?? []).flat(),
			])
			.map((name) => name.toLowerCase()),
	);

	test('every default match the overlay names is a key Compass gives, with the page named', () => {
		const unbacked: string[] = [];
		for (const resource of RESOURCES.filter((r) => r.overlay.match)) {
			if (!resource.overlay.matchEvidence?.startsWith('Compass: '))
				unbacked.push(`${resource.value}: no evidence`);
			const references = new Set(
				columnsOf(resource)
					.filter((c) => c.reference)
					.map((c) => c.id),
			);
			for (const key of resource.overlay.match!) {
				if (DERIVED_MATCH.has(key) || references.has(key)) continue;
				const unique = resource.writeFields.some((f) => f.name === key && f.unique);
				if (!unique && !flatKeys.has(flatName(key))) unbacked.push(`${resource.value}.${key}`);
			}
		}
		expect(unbacked).toEqual([]);
	});
});
