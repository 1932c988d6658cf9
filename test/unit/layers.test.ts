/**
 * The package's layers read top-down: the node files and credentials, then descriptions and the
 * editor's methods, then operations, then the schema and the transport, which import nothing of
 * the package outside their own folder. No module imports itself back through a circle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
	});
}

const files = [...sources(join(root, 'nodes')), ...sources(join(root, 'credentials'))];

/** The package's own modules a file imports, as paths relative to the root. */
function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const targets = [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]);
	return targets
		.filter((target) => !target.endsWith('.json'))
		.map((target) => relative(root, resolve(dirname(file), target)) + '.ts');
}

/** 0: transport and schema; 1: operations; 2: descriptions and methods; 3: node files and credentials. */
function layerOf(path: string): { layer: number; folder: string } {
	const match = /^nodes\/shared\/(transport|schema|operations|descriptions|methods)\//.exec(path);
	const folder = match?.[1] ?? dirname(path);
	const layer =
		{ transport: 0, schema: 0, operations: 1, descriptions: 2, methods: 2 }[folder as string] ?? 3;
	return { layer, folder };
}

const graph = new Map(files.map((file) => [relative(root, file), importsOf(file)]));

describe('layers', () => {
	test('every import resolves to a module of the package', () => {
		const missing = [...graph].flatMap(([from, targets]) =>
			targets.filter((t) => !graph.has(t)).map((t) => `${from} -> ${t}`),
		);
		expect(missing).toEqual([]);
	});

	test('no import goes up a layer, and transport and schema import only their own folder', () => {
		const wrong: string[] = [];
		for (const [from, targets] of graph) {
			const source = layerOf(from);
			for (const target of targets) {
				const to = layerOf(target);
				const closed = source.layer === 0 && to.folder !== source.folder;
				if (to.layer > source.layer || closed) wrong.push(`${from} -> ${target}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	test('no circle of imports', () => {
		const state = new Map<string, 'open' | 'done'>();
		const circles: string[] = [];
		const visit = (node: string, path: string[]) => {
			if (state.get(node) === 'done') return;
			if (state.get(node) === 'open') {
				circles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
				return;
			}
			state.set(node, 'open');
			for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
			state.set(node, 'done');
		};
		for (const node of graph.keys()) visit(node, []);
		expect(circles).toEqual([]);
	});
});
