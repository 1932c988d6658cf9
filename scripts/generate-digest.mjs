#!/usr/bin/env node
/**
 * Reads Coupa's R39 OpenAPI specs and writes nodes/shared/schema/digest-r39.json: every collection of
 * Coupa's API, its operations and the fields of its records. Facts only (paths, verbs, names,
 * types, flags): no description or summary text from the specs is written.
 *
 *   node scripts/generate-digest.mjs            writes the digest
 *   node scripts/generate-digest.mjs --check    exits 1 when the committed digest differs
 *
 * Specs are read from ../shared/coupa-openapi (or COUPA_SPECS). A clone without them still builds
 * from the committed digest.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specsDir = process.env.COUPA_SPECS ?? path.resolve(root, '../shared/coupa-openapi');
const out = path.join(root, 'nodes/shared/schema/digest-r39.json');

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Query parameters every Coupa GET declares; the digest keeps only others (R39 has none). */
const COMMON_QUERY = new Set([
	'limit',
	'offset',
	'order_by',
	'dir',
	'return_object',
	'filter',
	'fields',
]);

/** Names DESIGN.md fixes where the naming rule alone would pick another. */
const PINNED = {
	'suppliers/{supplier_id}/addresses': 'remitToAddress',
	'invoices/{invoice_id}/remit_to_addresses': 'invoiceRemitToAddress',
};

const isParam = (segment) => /^\{.+\}$/.test(segment);
const camel = (words) =>
	words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
const words = (text) =>
	text
		.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
		.filter(Boolean)
		.map((w) => w.toLowerCase());

/** English singular of a collection name's last word (the rule DESIGN.md names resources by). */
function singular(word) {
	const irregular = {
		statuses: 'status',
		addresses: 'address',
		businesses: 'business',
		taxes: 'tax',
		aliases: 'alias',
	};
	if (irregular[word]) return irregular[word];
	if (/ies$/.test(word)) return word.slice(0, -3) + 'y';
	if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
	if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
	return word;
}
const singularCamel = (segment) => {
	const w = words(segment);
	w[w.length - 1] = singular(w[w.length - 1]);
	return camel(w);
};

function loadSpecs() {
	const files = readdirSync(specsDir)
		.filter((f) => /^\d+-R\d+_.*\.json$/.test(f))
		.sort();
	if (files.length === 0) throw new Error(`No Coupa specs in ${specsDir}`);
	return files.map((file) => ({
		file,
		module: file
			.replace(/^\d+-R\d+_/, '')
			.replace(/_API\.json$/, '')
			.replace(/_/g, ' '),
		spec: JSON.parse(readFileSync(path.join(specsDir, file), 'utf8')),
	}));
}

const refName = (schema) => (schema?.$ref ? schema.$ref.split('/').pop() : undefined);

/** The record schema an operation reads or writes: its body, else its 200/201 answer. */
function schemaOf(op) {
	const body = (op.parameters ?? []).find((p) => p.in === 'body');
	const fromBody = refName(body?.schema) ?? refName(body?.schema?.items);
	if (fromBody) return fromBody;
	for (const code of ['200', '201']) {
		const s = op.responses?.[code]?.schema;
		const name = refName(s) ?? refName(s?.items);
		if (name) return name;
	}
	return undefined;
}

const answersList = (op) => ['200', '201'].some((c) => op.responses?.[c]?.schema?.type === 'array');

function fieldOf(name, prop, required) {
	const field = { name };
	const ref = refName(prop) ?? refName(prop.items);
	if (ref) {
		field.type = prop.type === 'array' ? 'array' : 'object';
		field.ref = ref;
	} else {
		const format = String(prop.format ?? '');
		if (prop.type === 'string' && format === 'datetime') field.type = 'dateTime';
		else if (prop.type === 'string' && format === 'date') field.type = 'date';
		else field.type = prop.type ?? 'string';
		if (format && format !== prop.type && !['datetime', 'date'].includes(format))
			field.format = format;
		if (prop.type === 'array' && prop.items?.type) field.items = prop.items.type;
	}
	if (Array.isArray(prop.enum) && prop.enum.length) field.enum = prop.enum.map(String);
	if (required) field.required = true;
	if (prop.readOnly) field.readOnly = true;
	return field;
}

function digest() {
	const specs = loadSpecs();
	/** One operation per verb and path; PATCH folded into the PUT it mirrors. */
	const ops = [];
	const definitions = new Map();
	const folded = [];
	for (const { file, module, spec } of specs) {
		for (const [name, def] of Object.entries(spec.definitions ?? {})) {
			if (!definitions.has(name)) definitions.set(name, def);
		}
		for (const [rawPath, item] of Object.entries(spec.paths)) {
			for (const method of METHODS) {
				const op = item[method];
				if (!op) continue;
				if (method === 'patch' && item.put) {
					folded.push(`PATCH ${rawPath}`);
					continue;
				}
				// `/image(/{style})`: the optional style segment is left out.
				const cleanPath = rawPath.replace(/\(\/\{[^}]+\}\)$/, '').replace(/^\//, '');
				ops.push({
					method: method === 'patch' ? 'PATCH' : method.toUpperCase(),
					path: cleanPath,
					segments: cleanPath.split('/'),
					tag: op.tags?.[0] ?? 'Untagged',
					module,
					file,
					list: answersList(op),
					schema: schemaOf(op),
					form: (op.parameters ?? []).filter((p) => p.in === 'formData').map((p) => p.name),
					query: (op.parameters ?? [])
						.filter((p) => p.in === 'query' && !COMMON_QUERY.has(p.name))
						.map((p) => p.name),
				});
			}
		}
	}

	// Collections: a path listed as an array, or the prefix of a `/{id}` path, within one tag.
	const collections = new Map();
	const addCollection = (tag, p, op) => {
		const key = `${tag} ${p}`;
		if (!collections.has(key))
			collections.set(key, { tag, path: p, module: op.module, ops: [], schema: undefined });
		return collections.get(key);
	};
	const own = (op, p) => collections.get(`${op.tag} ${p}`);
	const ownPrefix = (op, n) => own(op, op.segments.slice(0, -n).join('/'));
	/** `C/{id}/word` or `C/{id}/word/{x}`: an action on a record of collection C. */
	const actionPath = (op) => {
		const s = op.segments;
		const end = isParam(s[s.length - 1]) ? s.length - 1 : s.length;
		if (end < 3 || isParam(s[end - 1]) || !isParam(s[end - 2])) return undefined;
		return { collection: s.slice(0, end - 2).join('/'), action: s[end - 1] };
	};
	// 1. Collections listed as arrays. 2. `/{id}` paths that are not actions of one of those.
	for (const op of ops) if (op.method === 'GET' && op.list) addCollection(op.tag, op.path, op);
	for (const op of ops) {
		const s = op.segments;
		if (!isParam(s[s.length - 1])) continue;
		const act = actionPath(op);
		if (act && own(op, act.collection) && !own(op, s.slice(0, -1).join('/'))) continue;
		addCollection(op.tag, s.slice(0, -1).join('/'), op);
	}
	for (const op of ops) {
		const s = op.segments;
		const last = s[s.length - 1];
		const act = actionPath(op);
		let collection;
		let kind;
		let action;
		if (isParam(last) && own(op, s.slice(0, -1).join('/'))) {
			collection = ownPrefix(op, 1);
			kind = 'member';
		} else if (own(op, op.path)) {
			collection = own(op, op.path);
			kind = 'collection';
		} else if (act) {
			collection = own(op, act.collection) ?? addCollection(op.tag, act.collection, op);
			kind = 'memberAction';
			action = act.action;
		} else if (
			s.length >= 2 &&
			(ownPrefix(op, 1) || (op.method !== 'GET' && !isParam(s[s.length - 2])))
		) {
			collection = ownPrefix(op, 1) ?? addCollection(op.tag, s.slice(0, -1).join('/'), op);
			kind = 'collectionAction';
			action = last;
		} else {
			// A lone path (`/inventory`, `/inspection_codes`) is a collection of its own.
			collection = addCollection(op.tag, op.path, op);
			kind = 'collection';
		}
		collection.ops.push({ ...op, kind, action });
	}

	// Names: camelCase singular of the collection path; a name already taken takes a qualifying word.
	const taken = new Set();
	const ordered = [...collections.values()].sort(
		(a, b) =>
			a.path.split('/').filter(isParam).length - b.path.split('/').filter(isParam).length ||
			a.path.localeCompare(b.path),
	);
	const resources = [];
	for (const c of ordered) {
		const s = c.path.split('/');
		const statics = s.filter((x) => !isParam(x));
		const params = s.filter(isParam).map((x) => x.slice(1, -1));
		const lastStatic = statics[statics.length - 1];
		const parentStatic = params.length
			? s[s.lastIndexOf(`{${params[params.length - 1]}}`) - 1]
			: undefined;
		const candidates = [];
		if (params.length === 0 && statics.length > 1) candidates.push(camel(words(c.tag)));
		candidates.push(singularCamel(lastStatic));
		candidates.push(camel(words(c.tag)));
		if (parentStatic)
			candidates.push(
				singularCamel(parentStatic) +
					singularCamel(lastStatic).replace(/^./, (x) => x.toUpperCase()),
			);
		candidates.push(camel(statics.flatMap(words)));
		const value =
			PINNED[c.path] ??
			candidates.find((v) => !taken.has(v) && !Object.values(PINNED).includes(v)) ??
			`${candidates[0]}${resources.length}`;
		taken.add(value);

		const schemaCounts = new Map();
		for (const op of c.ops)
			if (op.schema && op.kind !== 'memberAction' && op.kind !== 'collectionAction')
				schemaCounts.set(op.schema, (schemaCounts.get(op.schema) ?? 0) + 1);
		const schema =
			[...schemaCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ??
			c.ops.find((o) => o.schema)?.schema;

		const operations = [];
		const opValues = new Set();
		const ordinary = {
			'collection GET': 'getAll',
			'collection POST': 'create',
			'member GET': 'get',
			'member PUT': 'update',
			'member DELETE': 'delete',
			'member PATCH': 'update',
			'collection PUT': 'updateMany',
			'collection DELETE': 'deleteMany',
		};
		const sortedOps = [...c.ops].sort(
			(a, b) =>
				(a.kind === 'collectionAction') - (b.kind === 'collectionAction') ||
				a.path.localeCompare(b.path) ||
				a.method.localeCompare(b.method),
		);
		const methodsOfAction = new Map();
		for (const op of c.ops)
			if (op.action)
				methodsOfAction.set(`${op.kind} ${op.action}`, [
					...(methodsOfAction.get(`${op.kind} ${op.action}`) ?? []),
					op.method,
				]);
		/** One action path with several verbs: POST (else PUT) keeps the bare name, the others say their verb. */
		const verbWord = { GET: 'get', PUT: 'update', DELETE: 'delete', POST: 'create' };
		for (const op of sortedOps) {
			let opValue = op.action ? camel(words(op.action)) : ordinary[`${op.kind} ${op.method}`];
			if (op.action) {
				const verbs = methodsOfAction.get(`${op.kind} ${op.action}`);
				const bare = verbs.includes('POST') ? 'POST' : verbs.includes('PUT') ? 'PUT' : verbs[0];
				if (verbs.length > 1 && op.method !== bare)
					opValue = verbWord[op.method] + opValue[0].toUpperCase() + opValue.slice(1);
			}
			if (op.kind === 'collection' && op.method === 'GET' && !op.list) opValue = 'getCollection';
			if (opValues.has(opValue) && op.kind === 'collectionAction') opValue += 'Many';
			if (opValues.has(opValue))
				opValue = op.method.toLowerCase() + opValue[0].toUpperCase() + opValue.slice(1);
			opValues.add(opValue);
			const entry = { value: opValue, method: op.method, path: op.path, kind: op.kind };
			if (op.action) entry.action = op.action;
			if (op.kind === 'collection' && op.method === 'GET' && op.list) entry.list = true;
			if (op.schema && op.schema !== schema) entry.schema = op.schema;
			const extra = op.segments
				.filter(isParam)
				.map((x) => x.slice(1, -1))
				.filter((x) => x !== 'id' && !params.includes(x));
			if (extra.length) entry.params = extra;
			if (op.form.length) entry.form = op.form;
			if (op.query.length) entry.query = op.query;
			operations.push(entry);
		}
		resources.push({
			value,
			tag: c.tag,
			module: c.module,
			path: c.path,
			parents: params,
			...(schema ? { schema } : {}),
			operations,
		});
	}
	resources.sort((a, b) => a.value.localeCompare(b.value));

	// Schemas reachable from the resources, their fields as facts.
	const schemas = {};
	const queue = resources
		.flatMap((r) => [r.schema, ...r.operations.map((o) => o.schema)])
		.filter(Boolean);
	while (queue.length) {
		const name = queue.shift();
		if (schemas[name] || !definitions.has(name)) continue;
		const def = definitions.get(name);
		const required = new Set(def.required ?? []);
		schemas[name] = Object.entries(def.properties ?? {})
			.map(([field, prop]) => fieldOf(field, prop, required.has(field)))
			.sort((a, b) => a.name.localeCompare(b.name));
		for (const f of schemas[name]) if (f.ref) queue.push(f.ref);
	}
	const sortedSchemas = Object.fromEntries(
		Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)),
	);
	return {
		release: 'R39',
		sources: specs.map((s) => s.file),
		counts: {
			operations: ops.length,
			foldedPatch: folded.length,
			tags: new Set(ops.map((o) => o.tag)).size,
			resources: resources.length,
		},
		resources,
		schemas: sortedSchemas,
	};
}

const text = `${JSON.stringify(digest(), null, '\t')}\n`;
if (process.argv.includes('--check')) {
	const committed = existsSync(out) ? readFileSync(out, 'utf8') : '';
	if (committed !== text) {
		console.error(
			'nodes/shared/schema/digest-r39.json differs from the specs: run npm run generate',
		);
		process.exit(1);
	}
	console.log('digest matches the specs');
} else {
	writeFileSync(out, text);
	console.log(`wrote ${path.relative(root, out)}`);
}
