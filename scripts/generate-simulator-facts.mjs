#!/usr/bin/env node
/**
 * Reads Coupa's R39 OpenAPI specs and Compass's action tables and writes
 * test/coupa-simulator/spec-facts.json: what the simulator knows of Coupa without asking the node.
 * Facts only (scope names, paths, verbs): no prose.
 *
 *   scopes       the OAuth scopes each spec file declares (its securityDefinitions; no operation
 *                of R39 names its own scopes)
 *   families     each collection's scope family, matched from those declared names (below)
 *   grants       where a family lacks the right declared (no spec declares `core.item.read`), the
 *                scope of the collection's own spec file whose description names its records
 *                ("Allows catalog items to be read" → `core.catalog.read` for items)
 *   routes       operations Compass's action tables list that the specs lack, on the specs'
 *                collections: a collection's create or list, or a record's attachments
 *
 *   node scripts/generate-simulator-facts.mjs            writes the file
 *   node scripts/generate-simulator-facts.mjs --check    exits 1 when the committed file differs
 *
 * Specs are read from ../shared/coupa-openapi (or COUPA_SPECS), Compass from ../shared/coupa-compass
 * (or COUPA_COMPASS).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specsDir = process.env.COUPA_SPECS ?? path.resolve(root, '../shared/coupa-openapi');
const compassDir = process.env.COUPA_COMPASS ?? path.resolve(root, '../shared/coupa-compass');
const digestFile = path.join(root, 'nodes/shared/schema/digest-r39.json');
const out = path.join(root, 'test/coupa-simulator/spec-facts.json');

const digest = JSON.parse(readFileSync(digestFile, 'utf8'));

/** What each declared scope's description says it allows, by spec file: read to match objects, never written out. */
const descriptions = {};

function declaredScopes() {
	const scopes = {};
	for (const file of readdirSync(specsDir)
		.filter((f) => /^\d+-R\d+_.*\.json$/.test(f))
		.sort()) {
		const spec = JSON.parse(readFileSync(path.join(specsDir, file), 'utf8'));
		const module = file
			.replace(/^\d+-R\d+_/, '')
			.replace(/_API\.json$/, '')
			.replace(/_/g, ' ');
		const names = new Set();
		descriptions[module] = {};
		for (const scheme of Object.values(spec.securityDefinitions ?? {})) {
			for (const [name, text] of Object.entries(scheme.scopes ?? {})) {
				names.add(name);
				descriptions[module][name] = String(text).toLowerCase();
			}
		}
		scopes[module] = [...names].sort();
	}
	return scopes;
}

/** `core.inventory.receiving.read` → `core.inventory.receiving`. */
const familyOf = (scope) => scope.replace(/\.[a-z_]+$/, '');
const stem = (word) =>
	word
		.toLowerCase()
		.replace(/ies$/, 'y')
		.replace(/(ing|s)$/, '');
const familyWords = (family) =>
	family
		.replace(/^core\./, '')
		.split(/[._]/)
		.map(stem);
/** Families named `<area>.<object>` (`inventory.asn`, `sourcing.response`): the area word may be left out of a path. */
const AREAS = new Set(['inventory', 'sourc']);

/**
 * A collection's scope family: the declared family whose words its path and tag name most fully
 * (`purchase_order_lines` → `core.purchase_order`, `asn/headers` → `core.inventory.asn`), families
 * of its own spec file first, the inner collection on a tie (`invoices/{id}/comments` → comments); else the spec file's area family (`core.sourcing`)
 * or its `<area>.common` when all its families share an area (Sourcing, Inventory), else `core.common`.
 */
function familyFor(resource, scopes) {
	const literal = resource.path.split('/').filter((s) => !s.startsWith('{'));
	const words = [...literal.join('_').split('_'), ...resource.tag.split(/[-_]|(?=[A-Z])/)]
		.filter(Boolean)
		.map(stem);
	const own = new Set((scopes[resource.module] ?? []).map(familyOf));
	const all = new Set(Object.values(scopes).flat().map(familyOf));
	let best = 'core.common';
	let bestScore = 0;
	for (const family of [...all].sort()) {
		if (family === 'core.common') continue;
		const fw = familyWords(family);
		let score = 0;
		if (fw.every((w) => words.includes(w))) score = fw.length;
		else if (
			fw.length > 1 &&
			AREAS.has(fw[0]) &&
			own.has(family) &&
			fw.slice(1).every((w) => words.includes(w))
		)
			score = fw.length - 1.25;
		if (score <= 0) continue;
		score += own.has(family) ? 0.25 : 0;
		score += words.indexOf(fw.find((w) => words.includes(w))) * 0.01;
		if (score > bestScore) {
			bestScore = score;
			best = family;
		}
	}
	if (bestScore > 0) return best;
	const areas = new Set([...own].map((f) => f.split('.')[1]));
	const area = areas.size === 1 ? `core.${[...areas][0]}` : undefined;
	if (area && own.has(area)) return area;
	if (area && own.has(`${area}.common`)) return `${area}.common`;
	return 'core.common';
}

const shapeOf = (template) => template.replace(/\{[^}]+\}/g, '{}');

/** Rows of Compass's action tables: `| POST | /api/invoices | create | ... |`. */
function compassRoutes() {
	const routes = [];
	for (const file of readdirSync(compassDir)
		.filter((f) => f.endsWith('.md'))
		.sort()) {
		const text = readFileSync(path.join(compassDir, file), 'utf8');
		for (const match of text.matchAll(
			/^\| *(GET|POST|PUT|PATCH|DELETE) *\| *`?\/api\/([^ `|]+)`? *\| *([^|]*?) *\| *([^|]*?) *\|/gm,
		)) {
			// "Creating data file source is not supported", "You cannot update attachments via the API".
			if (/not supported|cannot/i.test(match[4])) continue;
			const apiPath = match[2].replace(/\/+$/, '').replace(/:(\w+)/g, '{$1}');
			routes.push({
				method: match[1],
				path: apiPath,
				action: match[3],
				page: file.replace(/\.md$/, ''),
			});
		}
	}
	return routes;
}

function facts() {
	const scopes = declaredScopes();
	const families = {};
	for (const resource of digest.resources) families[resource.path] = familyFor(resource, scopes);

	const declared = new Set(Object.values(scopes).flat());
	const grants = {};
	for (const resource of digest.resources) {
		const family = families[resource.path];
		const noun = resource.path
			.split('/')
			.filter((s) => !s.startsWith('{'))
			.pop()
			.split('_')
			.pop();
		for (const [right, verbs] of [
			['read', (o) => o.method === 'GET'],
			['write', (o) => o.method !== 'GET'],
		]) {
			if (!resource.operations.some(verbs) || declared.has(`${family}.${right}`)) continue;
			const own = Object.entries(descriptions[resource.module] ?? {}).find(
				([name, text]) => name.endsWith(`.${right}`) && text.includes(noun),
			);
			if (own) (grants[resource.path] ??= {})[right] = own[0];
		}
	}

	const known = new Set(
		digest.resources.flatMap((r) =>
			r.operations.map((o) => `${o.method === 'PATCH' ? 'PUT' : o.method} ${shapeOf(o.path)}`),
		),
	);
	const collections = new Map(digest.resources.map((r) => [shapeOf(r.path), r]));
	const routes = [];
	const seen = new Set();
	for (const route of compassRoutes()) {
		const method = route.method === 'PATCH' ? 'PUT' : route.method;
		const shape = shapeOf(route.path);
		const key = `${method} ${shape}`;
		if (known.has(key) || seen.has(key)) continue;
		const onCollection = collections.has(shape) && (method === 'POST' || method === 'GET');
		const attachments = /^(.+)\/\{\}\/attachments$/.exec(shape);
		const onAttachments =
			attachments && collections.has(attachments[1]) && (method === 'POST' || method === 'GET');
		if (!onCollection && !onAttachments) continue;
		seen.add(key);
		routes.push({ method, path: route.path, kind: 'collection', page: route.page });
	}
	routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
	return { release: digest.release, scopes, families, grants, routes };
}

const text = `${JSON.stringify(facts(), null, '\t')}\n`;
if (process.argv.includes('--check')) {
	const committed = existsSync(out) ? readFileSync(out, 'utf8') : '';
	if (committed !== text) {
		console.error(
			'test/coupa-simulator/spec-facts.json differs from the specs and Compass: run node scripts/generate-simulator-facts.mjs',
		);
		process.exit(1);
	}
	console.log('simulator facts match the specs and Compass');
} else {
	writeFileSync(out, text);
	console.log(`wrote ${path.relative(root, out)}`);
}
