/**
 * The simulator is a witness, not an echo: what it requires, refuses and grants comes from
 * Coupa's specs and Compass (generated files), never from the node's overlay or catalog. Were it
 * to read them, a mistake there would pass every test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SIMULATOR = path.join(ROOT, 'test/coupa-simulator');

/** What of the node the simulator may read: the generated facts and the digest's loader. */
const ALLOWED = new Set([
	'nodes/shared/schema/digest.ts',
	'nodes/shared/schema/digest-r39.json',
	'nodes/shared/schema/compass-facts.json',
]);

function resolveImport(from: string, spec: string): string | undefined {
	if (!spec.startsWith('.')) return undefined;
	const base = path.resolve(path.dirname(from), spec);
	return [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts')].find(
		(file) => existsSync(file) && !file.endsWith('/') && /\.(ts|js|json)$/.test(file),
	);
}

/** Every file the simulator's modules reach through relative imports (type imports included). */
function importGraph(): Set<string> {
	const seen = new Set<string>();
	const queue = readdirSync(SIMULATOR)
		.filter((f) => f.endsWith('.ts'))
		.map((f) => path.join(SIMULATOR, f));
	while (queue.length) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		if (!file.endsWith('.ts')) continue;
		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(
			/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g,
		)) {
			const target = resolveImport(file, match[1]);
			if (target) queue.push(target);
		}
	}
	return seen;
}

test("the simulator's modules import nothing of the node but the generated digest and Compass facts", () => {
	const reached = [...importGraph()].map((file) => path.relative(ROOT, file));
	const ofNode = reached.filter((file) => !file.startsWith('test/'));
	expect(ofNode.filter((file) => !ALLOWED.has(file))).toEqual([]);
	// The graph is real: it reaches the files it should.
	expect(ofNode).toEqual(
		expect.arrayContaining([
			'nodes/shared/schema/digest.ts',
			'nodes/shared/schema/compass-facts.json',
		]),
	);
	expect(reached).toContain('test/coupa-simulator/spec-facts.json');
});

test('the simulator facts match the specs and Compass (scripts/generate-simulator-facts.mjs --check)', () => {
	const specs = path.resolve(ROOT, '../shared/coupa-openapi');
	const compass = path.resolve(ROOT, '../shared/coupa-compass');
	if (!existsSync(specs) || !existsSync(compass)) return;
	expect(() =>
		execFileSync(
			process.execPath,
			[path.join(ROOT, 'scripts/generate-simulator-facts.mjs'), '--check'],
			{
				stdio: 'pipe',
				env: { ...process.env, COUPA_SPECS: specs, COUPA_COMPASS: compass },
			},
		),
	).not.toThrow();
});

test('a deliberately wrong overlay entry is not echoed by the simulator', () => {
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { OVERLAY, SCOPE_RULES } =
			require('../nodes/shared/schema/overlay') as typeof import('../nodes/shared/schema/overlay');
		OVERLAY.supplier.required = ['name', 'fax-number-nobody-has'];
		OVERLAY.supplier.scope = 'core.wrong';
		OVERLAY.lookupValue.match = ['name'];
		SCOPE_RULES.unshift([/.*/, 'core.wrong']);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { SIM_TYPES, ALL_SCOPES } =
			require('./coupa-simulator/resources') as typeof import('./coupa-simulator/resources');
		const suppliers = SIM_TYPES.find((t) => t.resource.path === 'suppliers')!;
		expect(suppliers.required.map((f) => f.name)).not.toContain('fax-number-nobody-has');
		expect(suppliers.scope).toBe('core.supplier');
		expect(ALL_SCOPES.filter((s) => s.startsWith('core.wrong'))).toEqual([]);
		const lookupValues = SIM_TYPES.find((t) => t.resource.path === 'lookup_values')!;
		expect(lookupValues.unique).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ field: 'external-ref-num', within: ['lookup', 'parent'] }),
			]),
		);
	});
});

describe('what the simulator derives, and from where', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { SIM_TYPES } =
		require('./coupa-simulator/resources') as typeof import('./coupa-simulator/resources');
	const of = (p: string) => SIM_TYPES.find((t) => t.resource.path === p)!;

	test("Compass's plain types win over the spec's references; Compass's In=no makes a field read-only", () => {
		expect(of('purchase_orders').fields.find((f) => f.name === 'hide-price')).toMatchObject({
			type: 'boolean',
		});
		expect(of('purchase_orders').fields.find((f) => f.name === 'hide-price')?.ref).toBeUndefined();
		expect(of('accounts').fields.find((f) => f.name === 'code')?.readOnly).toBe(true);
		expect(of('invoices').fields.find((f) => f.name === 'invoice-date')?.dateOnly).toBe(true);
	});

	test("a create needs what Compass marks required, narrowed by the fields of Compass's example create", () => {
		expect(
			of('suppliers')
				.required.map((f) => f.name)
				.sort(),
		).toEqual(['invoice-matching-level', 'name']);
		expect(
			of('lookup_values')
				.required.map((f) => f.name)
				.sort(),
		).toEqual(['lookup', 'name']);
	});

	test('scopes come from the scopes the spec files declare', () => {
		expect(of('purchase_order_lines').scope).toBe('core.purchase_order');
		expect(of('asn/headers').scope).toBe('core.inventory.asn');
		expect(of('inventory_transactions').scope).toBe('core.inventory.receiving');
	});

	test('a right no spec file declares for the family is granted by the scope whose declared description names the records', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { scopeOf } =
			require('./coupa-simulator/facts') as typeof import('./coupa-simulator/facts');
		expect(of('items').scope).toBe('core.item');
		expect(scopeOf(of('items').resource, 'write', 'core.item')).toBe('core.item.write');
		expect(scopeOf(of('items').resource, 'read', 'core.item')).toBe('core.catalog.read');
	});
});
