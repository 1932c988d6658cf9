/**
 * n8n's conventions the linter cannot see in generated properties, checked on the built nodes.
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { GENERATED_DOCS, generatedDoc } from '../scripts/readme-tables';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (file: string, name: string): INodeTypeDescription =>
	new (require(path.resolve(__dirname, '..', file))[name])().description;
const nodes = [
	load('dist/nodes/Coupa/Coupa.node.js', 'Coupa'),
	load('dist/nodes/CoupaTrigger/CoupaTrigger.node.js', 'CoupaTrigger'),
];

/** Every property, nested ones (collections, fixed collections) included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		p,
		...allProperties(
			(
				(p.options ?? []) as Array<
					INodeProperties | INodePropertyOptions | { values?: INodeProperties[] }
				>
			).flatMap((o) =>
				'values' in o && o.values ? o.values : 'type' in o ? [o as INodeProperties] : [],
			),
		),
	]);
}

describe.each(nodes.map((d) => [d.name, d] as const))('%s', (_name, description) => {
	const properties = allProperties(description.properties);

	test('booleans say "Whether"', () => {
		const offenders = properties
			.filter((p) => p.type === 'boolean' && !/^Whether /.test(p.description ?? ''))
			.map((p) => p.name);
		expect(offenders).toEqual([]);
	});

	test('options lists are sorted by name (Custom API Call last)', () => {
		for (const p of properties.filter((p) => p.type === 'options' && Array.isArray(p.options))) {
			const names = (p.options as INodePropertyOptions[])
				.map((o) => o.name)
				.filter((n) => n !== 'Custom API Call');
			expect([p.name, names]).toEqual([p.name, [...names].sort((a, b) => a.localeCompare(b))]);
		}
	});

	test('parameters sharing a name share a type', () => {
		const types = new Map<string, Set<string>>();
		for (const p of description.properties)
			types.set(p.name, (types.get(p.name) ?? new Set()).add(p.type));
		expect(
			[...types.entries()]
				.filter(([, t]) => t.size > 1)
				.map(([n, t]) => `${n}: ${[...t].join('/')}`),
		).toEqual([]);
	});

	test('shown operations exist for the resource they are shown with', () => {
		const operations = new Map<string, Set<string>>();
		for (const p of description.properties.filter((p) => p.name === 'operation')) {
			for (const resource of (p.displayOptions?.show?.resource as string[] | undefined) ?? []) {
				operations.set(
					resource,
					new Set((p.options as INodePropertyOptions[]).map((o) => String(o.value))),
				);
			}
		}
		for (const p of description.properties) {
			const resources = (p.displayOptions?.show?.resource as string[] | undefined) ?? [];
			const shownFor = (p.displayOptions?.show?.operation as string[] | undefined) ?? [];
			for (const resource of resources) {
				const known = operations.get(resource);
				if (known)
					expect([p.name, resource, shownFor.filter((o) => !known.has(o))]).toEqual([
						p.name,
						resource,
						[],
					]);
			}
		}
	});

	test('the description stays within its size budget', () => {
		// Measured at 0.35 MB with 124 resources; the editor receives it once per n8n start.
		expect(JSON.stringify(description).length).toBeLessThan(600_000);
	});
});

test.each(GENERATED_DOCS.map((doc) => [path.basename(doc.file), doc.marker]))(
	'docs/%s holds the %s table the catalog generates (npm run docs)',
	(file, marker) => {
		const current = readFileSync(path.resolve(__dirname, '../docs', file), 'utf8');
		expect(generatedDoc(current, marker) === current).toBe(true);
	},
);

describe('size', () => {
	// 480,625 bytes before the routing was stated once on Resource and the pickers shared; n8n
	// copies the description for the node's tool variant, so every byte counts twice.
	const BEFORE = 480_625;

	test("the Coupa node's description is at most half its former size", () => {
		const size = JSON.stringify(nodes[0]).length;
		expect(size).toBeLessThanOrEqual(BEFORE / 2);
	});

	test('no operation option carries routing: the router on Resource builds every request', () => {
		const routed = nodes[0].properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []) as INodePropertyOptions[])
			.filter((o) => o.routing !== undefined);
		expect(routed).toEqual([]);
		expect(
			nodes[0].properties.find((p) => p.name === 'resource')?.routing?.operations?.pagination,
		).toBeDefined();
	});
});
