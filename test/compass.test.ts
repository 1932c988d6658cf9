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
const FACTS = JSON.parse(readFileSync(path.join(ROOT, 'nodes/shared/schema/compass-facts.json'), 'utf8')) as { objects: CompassObject[] };
const apiObject = (p: string) => FACTS.objects.find((o) => o.paths?.includes(p));
const field = (o: CompassObject | undefined, name: string) => o?.fields.find((f) => f.name === name);

pagesTest('the committed Compass facts are what the generator makes of the Compass pages', () => {
	expect(() =>
		execFileSync(process.execPath, [path.join(ROOT, 'scripts/generate-compass-facts.mjs'), '--check'], { stdio: 'pipe', env: { ...process.env, COUPA_COMPASS: PAGES } }),
	).not.toThrow();
});

pagesTest('an element row of a page reads as the page writes it', () => {
	// Read the lookup values page's row directly: `| external-ref-num | ... | | yes | | yes | yes | string |`.
	const page = readFileSync(path.join(PAGES, '0061-Lookup_Values_API_(_lookup_values).md'), 'utf8');
	const row = page.split('\n').find((l) => l.startsWith('| external-ref-num |'))!.split('|').map((c) => c.trim());
	const f = field(apiObject('lookup_values'), 'external-ref-num')!;
	expect({ unique: row[4] === 'yes', in: row[6] === 'yes', out: row[7] === 'yes', type: row[8] }).toEqual({ unique: f.unique, in: f.in, out: f.out, type: f.type });
});

test('facts the node relies on are in the committed file', () => {
	expect(field(apiObject('purchase_orders'), 'hide-price')).toMatchObject({ type: 'boolean', in: true });
	expect(field(apiObject('accounts'), 'code')).toMatchObject({ in: false, out: true });
	expect(field(apiObject('invoices'), 'invoice-date')).toMatchObject({ required: true, dateOnly: true });
	const lookupValueImport = FACTS.objects.find((o) => o.page === '0411-Lookup_Import.md' && o.section === 'Lookup Value');
	expect(field(lookupValueImport, 'External Ref Num')).toMatchObject({ unique: true, uniqueWithin: ['lookup', 'parent'] });
	expect(FACTS.objects.find((o) => o.section === 'Budget Line')?.keys).toEqual([['Budgeting Segment', 'Period']]);
});

describe('the spec reconciled with Compass', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { reconciliation, reconciliationReport } = require('../scripts/compass-reconciliation') as typeof import('../scripts/compass-reconciliation');

	test('every disagreement is decided by a rule or by an overlay entry naming its evidence', () => {
		const open = reconciliation().open.map((d) => `${d.resource}.${d.field} (${d.kind}: spec ${d.spec}, Compass ${d.compass}, ${d.page})`);
		expect(open).toEqual([]);
	});

	test('docs/compass-reconciliation.md is what the reconciliation makes', () => {
		expect(readFileSync(path.join(ROOT, 'docs/compass-reconciliation.md'), 'utf8')).toBe(reconciliationReport());
	});
});
