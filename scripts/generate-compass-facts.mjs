#!/usr/bin/env node
/**
 * Reads Coupa's Compass pages (Markdown snapshot) and writes nodes/shared/schema/compass-facts.json:
 * per object documented by an element table (API pages) or a field table (flat-file pages), each
 * field's facts: required, unique (and within what), writable (In), returned (Out), type, length,
 * the object it refers to, allowable values; plus the keys flat-file pages name, the fields pages
 * say take a date only, and the keys the example calls name referenced records by (`referenceKeys`:
 * field → key → pages). Facts only: no description text is written.
 *
 *   node scripts/generate-compass-facts.mjs            writes the facts
 *   node scripts/generate-compass-facts.mjs --check    exits 1 when the committed facts differ
 *
 * Pages are read from ../shared/coupa-compass (or COUPA_COMPASS). A clone without them still
 * builds from the committed facts.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pagesDir = process.env.COUPA_COMPASS ?? path.resolve(root, '../shared/coupa-compass');
const out = path.join(root, 'nodes/shared/schema/compass-facts.json');

/** What each column header means; headers are compared lower-case without `*`, `?`, `_`, `-`. */
const COLUMN_ROLES = {
	element: 'name',
	'field name': 'name',
	field: 'name',
	fields: 'name',
	description: 'description',
	'field description': 'description',
	"req'd": 'required',
	req: 'required',
	'required field': 'required',
	required: 'required',
	mandatory: 'required',
	unique: 'unique',
	'required/unique': 'requiredUnique',
	'allowable value': 'allowed',
	'allowable values': 'allowed',
	'allowed values': 'allowed',
	'possible values': 'allowed',
	'available options': 'allowed',
	in: 'in',
	'api in field': 'in',
	'api in': 'in',
	out: 'out',
	'api out field': 'out',
	'api out': 'out',
	'data type': 'type',
	type: 'type',
	'field type': 'type',
	'data type & length': 'type',
	length: 'length',
};
const headerKey = (cell) =>
	cell.replace(/[*?]/g, '').replace(/[_-]/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();

const PRIMITIVES = {
	string: 'string',
	text: 'text',
	integer: 'integer',
	int: 'integer',
	decimal: 'decimal',
	float: 'decimal',
	number: 'decimal',
	boolean: 'boolean',
	datetime: 'datetime',
	date: 'date',
	array: 'array',
	any: 'any',
};

function frontMatter(text) {
	const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
	const fm = { toc: [] };
	if (!m) return { fm, body: text };
	let inToc = false;
	for (const line of m[1].split('\n')) {
		const kv = /^(\w+):\s*(.*)$/.exec(line);
		if (kv) {
			inToc = kv[1] === 'toc_path';
			if (!inToc) fm[kv[1]] = kv[2].replace(/^"|"$/g, '');
		} else if (inToc && /^\s+-\s/.test(line)) fm.toc.push(line.replace(/^\s+-\s+"?|"?$/g, ''));
	}
	return { fm, body: text.slice(m[0].length) };
}

const cellsOf = (line) =>
	line
		.trim()
		.replace(/^\||\|$/g, '')
		.split('|')
		.map((c) => c.trim());
const isSeparator = (line) => /^\|[\s|:-]+\|?\s*$/.test(line);
const plain = (cell) =>
	cell
		.replace(/\*\*/g, '')
		.replace(/<br\s*\/?>/gi, ' ')
		.replace(/\s+/g, ' ')
		.trim();

/** `yes`, `no`, `true`, ... as a boolean; undefined for anything else (a shifted or prose cell). */
function yesNo(cell) {
	const v = plain(cell).toLowerCase();
	if (v === '') return false;
	if (['yes', 'true', 'y'].includes(v) || /^(yes|true)\s*\(/.test(v)) return true;
	if (['no', 'false', 'n'].includes(v)) return false;
	return undefined;
}

/** Required cell: plain yes/no, or a conditional yes (`yes*`, `yes (if po-method = cxml)`). */
function requiredOf(cell) {
	const v = plain(cell);
	const bool = /\(/.test(v) ? undefined : yesNo(v);
	if (bool !== undefined) return { required: bool };
	const cond = /^(yes|true)\s*(\*+)?\s*(?:\((?:if|when)\s+([^)]*)\))?$/i.exec(v);
	if (cond && (cond[2] || cond[3]))
		return { required: 'conditional', ...(cond[3] ? { requiredIf: cond[3].trim() } : {}) };
	const ifWord = /^(yes|true)\s+if\s+(.+)$/i.exec(v);
	if (ifWord) return { required: 'conditional', requiredIf: ifWord[2].trim() };
	return undefined;
}

/** A link `[Name](url)` or a bare class name in the type column: the object referred to. */
function typeOf(cell) {
	const raw = cell.trim();
	if (!raw) return {};
	const link = /^\[([^\]]+)\]\(((?:[^()\s]|\([^()]*\))+)\)/.exec(raw);
	if (link) return { type: 'object', ref: link[1].trim(), refUrl: link[2].trim() };
	const v = plain(raw);
	// `[]`: a list of records whose class the page does not name; `["A", "B"]`: one of several classes.
	if (v === '[]') return { type: 'array' };
	const union = /^\[\s*("[\w:]+"(?:\s*,\s*"[\w:]+")*)\s*\]$/.exec(v);
	if (union)
		return { type: 'object', refs: [...union[1].matchAll(/"([\w:]+)"/g)].map((m) => m[1]) };
	const prim = /^([A-Za-z]+)\s*(?:\(\s*(\$?\w+)\s*(?:,\s*(\d+))?\s*\))?(\s*\[\])?$/.exec(v);
	if (prim && PRIMITIVES[prim[1].toLowerCase()]) {
		const t = { type: PRIMITIVES[prim[1].toLowerCase()] };
		if (prim[2] && /^\d+$/.test(prim[2])) t.length = Number(prim[2]);
		if (prim[2] === '$datetime') t.type = 'datetime';
		if (prim[2]?.toLowerCase() === 'max') t.length = 'max';
		if (prim[3]) t.scale = Number(prim[3]);
		if (prim[4]) t.array = true;
		return t;
	}
	// A class name written without a link (`User`, `Approval Limit`, `Procurement::Milestone`).
	if (/^[A-Z][\w:]*( [A-Z]?[\w:/]+){0,4}$/.test(v) && /[a-z]/.test(v))
		return { type: 'object', ref: v };
	return undefined;
}

/** Allowable values: a list of tokens, a numeric range, or nothing (free text, `any`). */
function allowedOf(cell) {
	const v = plain(cell);
	if (!v || /^any\b/i.test(v)) return {};
	const range = /^(-?\d+)\s*(?:\.\.|through|to|-)\s*(-?\d+)$/i.exec(v);
	if (range) return { range: [Number(range[1]), Number(range[2])] };
	const tokens = v
		.split(/\s*(?:,|;|\bor\b|\/)\s*/i)
		.map((t) => t.trim())
		.filter(Boolean);
	if (tokens.length >= 2 && tokens.every((t) => /^[\w.:$+-]+$/.test(t)))
		return { allowed: [...new Set(tokens)] };
	return {};
}

/** "Unique per Lookup and Parent", "unique within each source transaction type". */
function uniqueScopeOf(description) {
	const m = /\bunique (?:per|within(?: each)?|for each|by) ([a-z][a-z ,_-]*?)(?:[.;(<]|$)/i.exec(
		plain(description),
	);
	if (!m) return undefined;
	return m[1]
		.split(/\s*(?:,|\band\b)\s*/)
		.map((w) => w.trim().toLowerCase().replace(/\s+/g, '-'))
		.filter(Boolean);
}

/** Field names a page's prose says take a date only (`invoice_date` and `original_invoice_date`). */
function dateOnlyNames(body) {
	const names = new Set();
	for (const sentence of body.split(/(?<=\.)\s+|\n\n/)) {
		if (!/\bdate only\b/i.test(sentence)) continue;
		for (const m of sentence.matchAll(/`?\b([a-z]+(?:[_-][a-z]+)+)\b`?/g))
			names.add(m[1].replace(/_/g, '-'));
	}
	return [...names].sort();
}

/**
 * Keys a flat-file page names in its Keys section: "`A` and `B` are the keys", "`X` is the key
 * field", "identifying an invoice requires `A` and one of `B` or `C`" (two key sets: A+B, A+C),
 * or a list of one bullet. A list of several bullets does not say whether they go together: left out.
 */
function keysOf(section) {
	const keys = [];
	for (const raw of section.split(/(?<=\.)\s+/)) {
		const sentence = raw.replace(/\s+/g, ' ');
		if (
			!/\b(are the keys|is the key|is the unique identifier|are the unique identifiers|uniquely identifying)\b/i.test(
				sentence,
			)
		)
			continue;
		const [all, alternatives] = sentence.split(/\bone of\b/i);
		const names = [...all.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim());
		const oneOf = alternatives
			? [...alternatives.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim())
			: [];
		if (oneOf.length) for (const alternative of oneOf) keys.push([...names, alternative]);
		else if (names.length) keys.push(names);
	}
	const bullets = [...section.matchAll(/^- (.+)$/gm)].map((m) => m[1].trim().replace(/\.$/, ''));
	if (
		!keys.length &&
		bullets.length === 1 &&
		bullets[0].length <= 40 &&
		!/ - |[,:]/.test(bullets[0])
	)
		keys.push(bullets);
	return keys;
}

/**
 * An API page's Actions table: every verb and path (`PUT invoices/{id}/submit`), and the page's
 * collections, the paths it lists (index) or creates in (create) records of.
 */
function actionsOf(lines, title) {
	const endpoints = new Set();
	const paths = new Set();
	for (const line of lines) {
		if (!line.startsWith('|')) continue;
		const cells = cellsOf(line);
		const verb = plain(cells[0] ?? '');
		if (!/^(GET|POST|PUT|PATCH|DELETE)$/.test(verb)) continue;
		const m = /`?\/api\/([^`\s?]+)`?/.exec(cells[1] ?? '');
		if (!m) continue;
		const route = m[1]
			.replace(/\/$/, '')
			.split('/')
			.map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s))
			.join('/');
		endpoints.add(`${verb} ${route}`);
		const action = plain(cells[2] ?? '').toLowerCase();
		const collectionVerb =
			(verb === 'GET' && ['index', 'query'].includes(action)) ||
			(verb === 'POST' && action === 'create');
		if (collectionVerb && !/\}$/.test(route)) paths.add(route);
	}
	// A page without such rows names its collection in its title: "Accounts API (/accounts)".
	const titled = /\(\/([a-z_/ ]+)\)\s*$/.exec(title ?? '');
	if (paths.size === 0 && titled && endpoints.size > 0)
		paths.add(titled[1].trim().replace(/ /g, '_'));
	return { endpoints: [...endpoints].sort(), paths: [...paths].sort() };
}

function parsePage(file, text) {
	const { fm, body } = frontMatter(text);
	const lines = body.split('\n');
	const kind = fm.toc.includes('The Coupa Core API')
		? 'api'
		: fm.toc.some((t) => /flat file/i.test(t))
			? 'flatFile'
			: 'other';
	const tables = [];
	let heading = fm.title ?? file;
	let keysSection = '';
	let i = 0;
	while (i < lines.length) {
		const line = lines[i];
		const h = /^(#{1,4})\s+(.*)$/.exec(line);
		if (h) {
			heading = plain(h[2]);
			i += 1;
			continue;
		}
		if (line.startsWith('|') && isSeparator(lines[i + 1] ?? '')) {
			const header = cellsOf(line).map(headerKey);
			const roles = header.map((c) => COLUMN_ROLES[c]);
			const rows = [];
			i += 2;
			while (i < lines.length && lines[i].startsWith('|')) rows.push(lines[i++]);
			if (
				roles[0] === 'name' &&
				roles.some((r) => ['required', 'unique', 'requiredUnique', 'in', 'out'].includes(r)) &&
				roles.includes('type')
			) {
				tables.push({ heading, roles, rows });
			}
			continue;
		}
		i += 1;
	}
	const keysMatch = /^##\s+(?:Unique\s+)?Keys\b[^\n]*\n([\s\S]*?)(?=^##\s|(?![\s\S]))/im.exec(body);
	if (keysMatch) keysSection = keysMatch[1];
	return {
		fm,
		kind,
		tables,
		...actionsOf(lines, fm.title),
		dateOnly: dateOnlyNames(body),
		keys: keysOf(keysSection),
	};
}

/** One row's facts; undefined when a cell holds what its column cannot (a shifted row). */
function rowFacts(roles, cells) {
	if (cells.length !== roles.length) return undefined;
	const f = {};
	let description = '';
	for (const [i, role] of roles.entries()) {
		const cell = cells[i];
		switch (role) {
			case 'name':
				f.name = plain(cell)
					.replace(/\\/g, '')
					.replace(/\s*\*+$/, '')
					.replace(/^`|`$/g, '');
				break;
			case 'description':
				description = cell;
				break;
			case 'required': {
				const r = requiredOf(cell);
				if (!r) return undefined;
				Object.assign(f, r);
				break;
			}
			case 'unique': {
				const u = yesNo(cell);
				if (u === undefined) return undefined;
				f.unique = u;
				break;
			}
			case 'requiredUnique': {
				const [req, uniq] = plain(cell).split('/');
				const r = requiredOf(req ?? '');
				const u = yesNo(uniq ?? '');
				if (!r || u === undefined) return undefined;
				Object.assign(f, r, { unique: u });
				break;
			}
			case 'in':
			case 'out': {
				const b = yesNo(cell);
				if (b === undefined) return undefined;
				f[role] = b;
				break;
			}
			case 'type': {
				const t = typeOf(cell);
				if (!t) return undefined;
				Object.assign(f, t);
				break;
			}
			case 'length':
				if (/^\d+$/.test(plain(cell))) f.length = Number(plain(cell));
				break;
			case 'allowed':
				Object.assign(f, allowedOf(cell));
				break;
			default:
		}
	}
	if (!f.name) return undefined;
	// A row shifted one column left: its type sits under Allowable Value, In and Out left blank.
	const typeAt = roles.indexOf('type');
	const allowedAt = roles.indexOf('allowed');
	if (
		typeAt >= 0 &&
		allowedAt >= 0 &&
		plain(cells[typeAt]) === '' &&
		!/^any$/i.test(plain(cells[allowedAt])) &&
		PRIMITIVES[plain(cells[allowedAt]).replace(/\(.*$/, '').toLowerCase()]
	) {
		return undefined;
	}
	if (f.unique) {
		const scope = uniqueScopeOf(description);
		if (scope) f.uniqueWithin = scope;
	}
	if (!f.required) delete f.required;
	if (!f.unique) delete f.unique;
	return f;
}

/** Two rows for one field (some pages list a field twice): any yes wins, the first type stays. */
function merge(a, b) {
	const m = { ...b, ...a };
	for (const k of ['in', 'out']) if (k in a || k in b) m[k] = Boolean(a[k] || b[k]);
	if (a.required === true || b.required === true) m.required = true;
	if (a.unique || b.unique) m.unique = true;
	return m;
}

/** Keys a person holds for a record: Compass's example bodies name records by these instead of an id. */
const IDENTIFYING_KEYS = new Set(['name', 'number', 'code', 'login', 'email', 'item-number']);

/**
 * In the XML of Compass's example calls, an element whose children are one identifying value and
 * no id (`<supplier><number>S-1</number></supplier>`): the record it refers to, named by that key.
 */
function exampleReferences(text) {
	const found = [];
	const element =
		/<([a-z][\w-]*)(?:\s[^>]*)?>\s*((?:<[a-z][\w-]*(?:\s[^>]*)?>[^<]*<\/[a-z][\w-]*>\s*)+)<\/\1>/g;
	for (const block of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
		for (const m of block[1].matchAll(element)) {
			const children = [...new Set([...m[2].matchAll(/<([a-z][\w-]*)/g)].map((c) => c[1]))];
			if (children.length === 1 && IDENTIFYING_KEYS.has(children[0]))
				found.push({ field: m[1], key: children[0] });
		}
	}
	return found;
}

/**
 * Request bodies of Compass's example calls: XML documents whose root carries neither `id` nor
 * `created-at` (Coupa's answers always do). Answers the root element and the fields it writes.
 */
function exampleWrites(text) {
	const found = [];
	for (const block of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
		// The example's title: the last heading (`## ...` or a bold line) before the block.
		const before = text.slice(0, block.index);
		const titles = [...before.matchAll(/^(?:#{2,4}\s+(.+)|\*\*(.+)\*\*\s*)$/gm)];
		const title = titles.length
			? (titles[titles.length - 1][1] ?? titles[titles.length - 1][2])
			: '';
		const xml = block[1].replace(/<\?xml[^>]*\?>/, '').trim();
		const root = /^<([a-z][\w-]*)(?:\s[^>]*)?>([\s\S]*)<\/\1>\s*$/.exec(xml);
		if (!root) continue;
		// Direct children: walk the elements, skipping each child's own content.
		const children = [];
		let depth = 0;
		for (const tag of root[2].matchAll(/<(\/?)([a-z][\w-]*)([^>]*?)(\/?)>/g)) {
			if (tag[1]) depth -= 1;
			else {
				if (depth === 0) children.push(tag[2]);
				if (!tag[4]) depth += 1;
			}
		}
		if (children.length && !children.includes('id') && !children.includes('created-at')) {
			found.push({ root: root[1], fields: [...new Set(children)], create: /\bcreat/i.test(title) });
		}
	}
	return found;
}

const FIELD_ORDER = [
	'name',
	'required',
	'requiredIf',
	'unique',
	'uniqueWithin',
	'in',
	'out',
	'type',
	'length',
	'scale',
	'array',
	'ref',
	'refs',
	'refPage',
	'allowed',
	'range',
	'dateOnly',
];
const ordered = (f) =>
	Object.fromEntries(FIELD_ORDER.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));

function facts() {
	const files = readdirSync(pagesDir)
		.filter((f) => /^\d{4}-.*\.md$/.test(f))
		.sort();
	if (files.length === 0) throw new Error(`No Compass pages in ${pagesDir}`);
	const pages = files.map((file) => ({
		file,
		...parsePage(file, readFileSync(path.join(pagesDir, file), 'utf8')),
	}));
	const pageByUrl = new Map();
	for (const p of pages)
		for (const u of [p.fm.url, p.fm.final_url]) if (u) pageByUrl.set(u.toLowerCase(), p.file);

	// Class names other pages give a page when they link to it (`[AccountType](.../account-types-api-(account_types))`).
	const linkNames = new Map();
	const objects = [];
	const unparsed = [];
	let fieldsRead = 0;
	for (const page of pages) {
		for (const [t, table] of page.tables.entries()) {
			const fields = new Map();
			for (const row of table.rows) {
				const f = rowFacts(table.roles, cellsOf(row));
				if (!f) {
					const name = plain(cellsOf(row)[0] ?? '');
					if (name) unparsed.push({ page: page.file, section: table.heading, name });
					continue;
				}
				fieldsRead += 1;
				if (f.refUrl) {
					const target = pageByUrl.get(f.refUrl.toLowerCase());
					if (target) {
						f.refPage = target;
						const counts = linkNames.get(target) ?? new Map();
						counts.set(f.ref, (counts.get(f.ref) ?? 0) + 1);
						linkNames.set(target, counts);
					}
					delete f.refUrl;
				}
				fields.set(f.name, fields.has(f.name) ? merge(fields.get(f.name), f) : f);
			}
			// Date-only prose names API fields (`invoice_date`) or flat-file columns (`Invoice Date`).
			for (const f of fields.values()) {
				const apiName = f.name.toLowerCase().replace(/[\s_]+/g, '-');
				if (page.dateOnly.includes(apiName)) f.dateOnly = true;
			}
			const obj = {
				page: page.file,
				section: table.heading,
				kind: page.kind,
				title: page.fm.title ?? page.file,
			};
			// The page's collections belong to its first element table; later tables are other objects.
			if (page.kind === 'api' && t === 0 && page.paths.length) obj.paths = page.paths;
			if (page.kind === 'api' && t === 0 && page.endpoints.length) obj.endpoints = page.endpoints;
			if (page.keys.length) obj.keys = page.keys;
			obj.fields = [...fields.values()].sort((a, b) => a.name.localeCompare(b.name)).map(ordered);
			objects.push(obj);
		}
	}
	// Name each API object by what other pages call it; a page nobody links to keeps its title.
	for (const obj of objects) {
		const counts = linkNames.get(obj.page);
		const first = objects.find((o) => o.page === obj.page) === obj;
		if (counts && first) {
			obj.names = [...counts.entries()]
				.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
				.map(([n]) => n);
		}
	}
	// Reference keys from the example calls, by the field that refers: `supplier` → number (pages).
	const referenceKeys = {};
	for (const file of files) {
		for (const { field, key } of exampleReferences(
			readFileSync(path.join(pagesDir, file), 'utf8'),
		)) {
			const byKey = (referenceKeys[field] ??= {});
			byKey[key] = [...new Set([...(byKey[key] ?? []), file])].sort();
		}
	}
	// Fields the example calls' request bodies write, by root element: `supplier` → status (pages).
	const writes = {};
	/** Create examples (the example's title says so): root element → the bodies' fields. */
	const creates = {};
	for (const file of files) {
		for (const { root, fields, create } of exampleWrites(
			readFileSync(path.join(pagesDir, file), 'utf8'),
		)) {
			const byField = (writes[root] ??= {});
			for (const field of fields)
				byField[field] = [...new Set([...(byField[field] ?? []), file])].sort();
			if (create) (creates[root] ??= []).push({ page: file, fields: [...fields].sort() });
		}
	}
	const sortedWrites = Object.fromEntries(
		Object.keys(writes)
			.sort()
			.map((root) => [
				root,
				Object.fromEntries(
					Object.keys(writes[root])
						.sort()
						.map((field) => [field, writes[root][field]]),
				),
			]),
	);
	const sortedKeys = Object.fromEntries(
		Object.keys(referenceKeys)
			.sort()
			.map((field) => [
				field,
				Object.fromEntries(
					Object.keys(referenceKeys[field])
						.sort()
						.map((key) => [key, referenceKeys[field][key]]),
				),
			]),
	);
	const keyOrder = [
		'page',
		'section',
		'kind',
		'title',
		'names',
		'paths',
		'endpoints',
		'keys',
		'fields',
	];
	return {
		source: 'Coupa Compass (Markdown snapshot)',
		counts: {
			pages: pages.length,
			objects: objects.length,
			apiObjects: objects.filter((o) => o.kind === 'api').length,
			flatFileObjects: objects.filter((o) => o.kind === 'flatFile').length,
			fields: objects.reduce((n, o) => n + o.fields.length, 0),
			rowsRead: fieldsRead,
			rowsUnparsed: unparsed.length,
		},
		objects: objects.map((o) =>
			Object.fromEntries(keyOrder.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])),
		),
		referenceKeys: sortedKeys,
		exampleWrites: sortedWrites,
		exampleCreates: Object.fromEntries(
			Object.keys(creates)
				.sort()
				.map((root) => [root, creates[root]]),
		),
		unparsed,
	};
}

const text = `${JSON.stringify(facts(), null, '\t')}\n`;
if (process.argv.includes('--check')) {
	const committed = existsSync(out) ? readFileSync(out, 'utf8') : '';
	if (committed !== text) {
		console.error(
			'nodes/shared/schema/compass-facts.json differs from the Compass pages: run node scripts/generate-compass-facts.mjs',
		);
		process.exit(1);
	}
	console.log('Compass facts match the pages');
} else {
	writeFileSync(out, text);
	console.log(`wrote ${path.relative(root, out)}`);
}
