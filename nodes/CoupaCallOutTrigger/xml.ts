/**
 * A small, strict XML reader for what Coupa sends, turned into the object shape of Coupa's JSON
 * (hyphenated keys, `type="integer"`/`"boolean"` values typed, `nil="true"` as null,
 * `type="array"` and repeated elements as lists).
 *
 * It reads bytes from the internet, so it refuses rather than guesses: no DOCTYPE (hence no entity
 * definitions, no external entities, no billion laughs), only XML's five named entities and
 * numeric character references, a bounded size, depth and element count, one pass with an explicit
 * stack (no recursion to overflow), and every malformation is an `XmlRefusal` with a short reason.
 */

export interface XmlLimits {
	/** Largest document in bytes (UTF-8). */
	maxBytes: number;
	/** Deepest element nesting. */
	maxDepth: number;
	/** Most elements in one document (bounds memory for documents of many tiny elements). */
	maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
	maxBytes: 10 * 1024 * 1024,
	maxDepth: 64,
	maxElements: 500_000,
};

/** A document this reader will not turn into an object; `tooLarge` when only its size is the reason. */
export class XmlRefusal extends Error {
	constructor(
		message: string,
		readonly tooLarge = false,
	) {
		super(message);
		this.name = 'XmlRefusal';
	}
}

export interface XmlDocument {
	/** The root element's name, e.g. `requisition-header`. */
	root: string;
	/** The root element's content in Coupa's JSON shape (an object for a record). */
	value: unknown;
}

interface Element {
	name: string;
	attributes: Map<string, string>;
	children: Array<[string, unknown]>;
	text: string;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML name characters (ASCII exactly, everything from U+00B7 on accepted): by code, as this runs per character. */
const isNameStart = (c: number) =>
	(c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0xc0;
const isNameChar = (c: number) =>
	isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
/** What a reason quotes of the document: enough to find the place, never a large part of it. */
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

/** Sets a property by definition, so a key such as `__proto__` is an ordinary key. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

function decodeReferences(text: string, at: number): string {
	if (!text.includes('&')) return text;
	return text.replace(/&([^;&<\s]{0,32});|&/g, (whole, body: string | undefined) => {
		if (body === undefined)
			throw new XmlRefusal(`malformed XML near byte ${at}: a bare "&" (write &amp;)`);
		if (body.startsWith('#')) {
			const code =
				body[1] === 'x' || body[1] === 'X'
					? Number.parseInt(body.slice(2), 16)
					: Number.parseInt(body.slice(1), 10);
			const digits =
				body[1] === 'x' || body[1] === 'X' ? /^#[xX][0-9A-Fa-f]{1,6}$/ : /^#[0-9]{1,7}$/;
			if (
				!digits.test(body) ||
				code === 0 ||
				code > 0x10ffff ||
				(code >= 0xd800 && code <= 0xdfff)
			) {
				throw new XmlRefusal(
					`malformed XML near byte ${at}: character reference ${quote(whole)} is not a character`,
				);
			}
			return String.fromCodePoint(code);
		}
		const named = NAMED_ENTITIES[body];
		if (named === undefined)
			throw new XmlRefusal(
				`XML entity ${quote(whole)} refused: only &amp; &lt; &gt; &quot; &apos; and character references are read`,
			);
		return named;
	});
}

/** The typed value of a leaf element, as Coupa's JSON gives the same field. */
function leafValue(element: Element): unknown {
	const type = element.attributes.get('type');
	const text = element.text;
	switch (type) {
		case 'integer': {
			const trimmed = text.trim();
			if (trimmed === '') return null;
			const number = Number(trimmed);
			// Beyond 2^53 a number would silently change: keep Coupa's digits.
			return /^-?\d+$/.test(trimmed) && Number.isSafeInteger(number) ? number : trimmed;
		}
		case 'boolean': {
			const trimmed = text.trim();
			if (trimmed === 'true' || trimmed === '1') return true;
			if (trimmed === 'false' || trimmed === '0') return false;
			return trimmed === '' ? null : trimmed;
		}
		case 'array':
			return [];
		// Coupa's JSON carries decimals ("10.00", precision kept) and times as strings.
		case 'decimal':
		case 'float':
		case 'dateTime':
		case 'datetime':
		case 'date':
			return text.trim() === '' ? null : text.trim();
		default:
			return text;
	}
}

function valueOf(element: Element): unknown {
	if (element.attributes.get('nil') === 'true') return null;
	if (element.attributes.get('type') === 'array') return element.children.map(([, value]) => value);
	if (element.children.length === 0) return leafValue(element);
	const object: Record<string, unknown> = {};
	for (const [name, value] of element.children) {
		if (Object.prototype.hasOwnProperty.call(object, name)) {
			const existing = object[name];
			// A repeated element becomes a list; a list Coupa marked type="array" is one value already.
			if (Array.isArray(existing) && repeated.has(existing)) existing.push(value);
			else {
				const list = [existing, value];
				repeated.add(list);
				define(object, name, list);
			}
		} else define(object, name, value);
	}
	// Text between child elements is kept, not dropped, where there is any.
	if (element.text.trim() !== '') define(object, '#text', element.text.trim());
	return object;
}

/** Lists made from repeated elements (so a third repeat appends instead of nesting). */
let repeated = new WeakSet<unknown[]>();

function decodeUtf8(bytes: Buffer): string | undefined {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/**
 * Reads one XML document. `input` is the raw body; a string is measured as UTF-8. Throws
 * `XmlRefusal` for anything that is not a well-formed, DTD-free document within `limits`.
 */
export function parseXml(
	input: Buffer | string,
	limits: XmlLimits = DEFAULT_XML_LIMITS,
): XmlDocument {
	const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
	if (size > limits.maxBytes)
		throw new XmlRefusal(
			`XML body of ${size} bytes refused: the limit is ${limits.maxBytes} bytes`,
			true,
		);
	const text0 = typeof input === 'string' ? input : decodeUtf8(input);
	if (text0 === undefined) throw new XmlRefusal('XML body refused: it is not valid UTF-8');
	let text = text0;
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	repeated = new WeakSet();

	const stack: Element[] = [];
	let root: XmlDocument | undefined;
	let elements = 0;
	let i = 0;
	const n = text.length;
	const fail = (reason: string): never => {
		throw new XmlRefusal(`malformed XML near character ${i}: ${reason}`);
	};

	const readName = (): string => {
		const start = i;
		if (i >= n || !isNameStart(text.charCodeAt(i))) fail('expected a name');
		i++;
		while (i < n && isNameChar(text.charCodeAt(i))) i++;
		return text.slice(start, i);
	};
	const skipSpace = () => {
		while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
			i++;
	};
	const addText = (value: string) => {
		const parent = stack[stack.length - 1];
		if (parent) parent.text += value;
		else if (value.trim() !== '') fail('text outside the root element');
	};
	const close = (element: Element) => {
		const value = valueOf(element);
		const parent = stack[stack.length - 1];
		if (parent) parent.children.push([element.name, value]);
		else root = { root: element.name, value };
	};

	while (i < n) {
		const lt = text.indexOf('<', i);
		if (lt === -1) {
			addText(decodeReferences(text.slice(i), i));
			i = n;
			break;
		}
		if (lt > i) addText(decodeReferences(text.slice(i, lt), i));
		i = lt;
		if (text.startsWith('<!--', i)) {
			const end = text.indexOf('-->', i + 4);
			if (end === -1) fail('an unclosed comment');
			i = end + 3;
		} else if (text.startsWith('<![CDATA[', i)) {
			if (stack.length === 0) fail('CDATA outside the root element');
			const end = text.indexOf(']]>', i + 9);
			if (end === -1) fail('an unclosed CDATA section');
			addText(text.slice(i + 9, end));
			i = end + 3;
		} else if (text.startsWith('<!', i)) {
			// <!DOCTYPE (and the <!ENTITY declarations it would carry) is where entity expansion lives.
			throw new XmlRefusal(
				`XML with a document type declaration (${quote(text.slice(i, i + 12))}) refused: DOCTYPE and ENTITY are not read`,
			);
		} else if (text.startsWith('<?', i)) {
			const end = text.indexOf('?>', i + 2);
			if (end === -1) fail('an unclosed processing instruction');
			i = end + 2;
		} else if (text[i + 1] === '/') {
			i += 2;
			const name = readName();
			skipSpace();
			if (text[i] !== '>') fail(`expected ">" to end </${name}`);
			i++;
			const open = stack.pop();
			if (!open) fail(`end tag </${name}> without a start tag`);
			else if (open.name !== name) fail(`end tag </${name}> where </${open.name}> was expected`);
			else close(open);
		} else {
			i++;
			if (root !== undefined && stack.length === 0) fail('a second root element');
			const name = readName();
			const element: Element = { name, attributes: new Map(), children: [], text: '' };
			for (;;) {
				const before = i;
				skipSpace();
				if (text[i] === '>' || text.startsWith('/>', i)) break;
				if (i === before) fail(`expected a space, ">" or "/>" in <${name}>`);
				const attribute = readName();
				skipSpace();
				if (text[i] !== '=') fail(`attribute ${attribute} of <${name}> has no value`);
				i++;
				skipSpace();
				const quoteChar = text[i];
				if (quoteChar !== '"' && quoteChar !== "'")
					fail(`attribute ${attribute} of <${name}> is not quoted`);
				const end = text.indexOf(quoteChar, i + 1);
				if (end === -1) fail(`attribute ${attribute} of <${name}> is not closed`);
				const raw = text.slice(i + 1, end);
				if (raw.includes('<')) fail(`"<" in attribute ${attribute} of <${name}>`);
				if (element.attributes.has(attribute)) fail(`attribute ${attribute} repeated in <${name}>`);
				element.attributes.set(attribute, decodeReferences(raw, i));
				i = end + 1;
			}
			if (i >= n) fail(`<${name}> is not closed`);
			elements++;
			if (elements > limits.maxElements)
				throw new XmlRefusal(`XML with more than ${limits.maxElements} elements refused`);
			if (stack.length + 1 > limits.maxDepth)
				throw new XmlRefusal(`XML nested deeper than ${limits.maxDepth} elements refused`);
			if (text[i] === '/') {
				i += 2;
				close(element);
			} else {
				i++;
				stack.push(element);
			}
		}
	}
	if (stack.length > 0)
		throw new XmlRefusal(
			`malformed XML: the document ends inside <${stack[stack.length - 1].name}>`,
		);
	if (root === undefined) throw new XmlRefusal('malformed XML: no root element');
	return root;
}
