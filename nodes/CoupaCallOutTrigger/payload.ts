/**
 * The document a call out carries, read from the request body as received: JSON as sent, XML in
 * the shape of Coupa's JSON. What cannot be read is refused with the HTTP status to answer.
 */
import type { XmlLimits } from './xml';
import { parseXml, XmlRefusal } from './xml';

export class PayloadRefusal extends Error {
	constructor(
		readonly statusCode: 400 | 413 | 415,
		message: string,
	) {
		super(message);
		this.name = 'PayloadRefusal';
	}
}

export interface CallOutDocument {
	/** What the workflow receives as the item's JSON. */
	document: Record<string, unknown>;
	format: 'json' | 'xml';
	/** The XML root element (e.g. `requisition-header`); for JSON, the single top-level key of a wrapped document. */
	objectType?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	!!value && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads the body. `raw` is the body's bytes (n8n keeps them on the request); `parsed` is what n8n
 * parsed, used only when the bytes are not at hand. The format follows the content, not the
 * declared content type: Coupa documents neither its call outs' headers nor their encoding.
 */
export function readCallOut(
	raw: Buffer | undefined,
	parsed: unknown,
	limits: XmlLimits,
): CallOutDocument {
	if (raw === undefined) {
		if (isRecord(parsed) && Object.keys(parsed).length > 0)
			return { document: parsed, format: 'json', objectType: wrappedType(parsed) };
		throw new PayloadRefusal(400, 'The call out carried no document (empty body).');
	}
	if (raw.length > limits.maxBytes) {
		throw new PayloadRefusal(
			413,
			`The call out's body of ${raw.length} bytes is larger than this trigger's limit of ${limits.maxBytes} bytes.`,
		);
	}
	let start = 0;
	while (
		start < raw.length &&
		(raw[start] === 0x20 || raw[start] === 0x0a || raw[start] === 0x0d || raw[start] === 0x09)
	)
		start++;
	if (raw[start] === 0xef && raw[start + 1] === 0xbb && raw[start + 2] === 0xbf) start += 3;
	if (start >= raw.length)
		throw new PayloadRefusal(400, 'The call out carried no document (empty body).');
	const first = raw[start];
	if (first === 0x3c /* < */) {
		const parsedXml = attempt(() => parseXml(raw, limits));
		if (parsedXml instanceof XmlRefusal)
			throw new PayloadRefusal(
				parsedXml.tooLarge ? 413 : 400,
				`The call out's XML could not be read: ${parsedXml.message}`,
			);
		if (parsedXml instanceof Error) throw parsedXml;
		const { root, value } = parsedXml;
		const document = isRecord(value) ? value : { [root]: value };
		return { document, format: 'xml', objectType: root };
	}
	if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
		const value = attempt(() => JSON.parse(raw.toString('utf8')) as unknown);
		if (value instanceof Error)
			throw new PayloadRefusal(
				400,
				`The call out's JSON could not be read: ${value.message.slice(0, 200)}`,
			);
		if (!isRecord(value)) return { document: { documents: value }, format: 'json' };
		return { document: value, format: 'json', objectType: wrappedType(value) };
	}
	throw new PayloadRefusal(415, 'The call out carried neither JSON nor XML.');
}

/** The value `work` returns, or the error it threw. */
function attempt<T>(work: () => T): T | Error {
	try {
		return work();
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

/** `{"requisition-header": {...}}`: a document wrapped in its type, as XML's root wraps it. */
function wrappedType(value: Record<string, unknown>): string | undefined {
	const keys = Object.keys(value);
	return keys.length === 1 && isRecord(value[keys[0]]) ? keys[0] : undefined;
}

/**
 * What identifies one version of a document: its type, id and `updated-at`. Undefined when the
 * document lacks an id or `updated-at` (then no call is ever taken for a repeat).
 */
export function versionKey(call: CallOutDocument): string | undefined {
	const record =
		call.objectType && isRecord(call.document[call.objectType]) && call.format === 'json'
			? (call.document[call.objectType] as Record<string, unknown>)
			: call.document;
	const id = record.id;
	const updatedAt = record['updated-at'] ?? record.updated_at;
	if (
		(typeof id !== 'number' && typeof id !== 'string') ||
		id === '' ||
		typeof updatedAt !== 'string' ||
		updatedAt === ''
	)
		return undefined;
	return `${call.objectType ?? 'document'}|${String(id)}|${updatedAt}`;
}

export interface RepeatStore {
	[key: string]: number;
}

/** At most this many versions are remembered per trigger (the oldest are forgotten first). */
export const MAX_REMEMBERED_VERSIONS = 5000;

/**
 * Whether `key` was seen within `windowMs` before `now`; records it as seen now either way, and
 * forgets what fell out of the window. `seen` is the trigger's static data.
 */
export function isRepeat(seen: RepeatStore, key: string, now: number, windowMs: number): boolean {
	for (const [k, at] of Object.entries(seen))
		if (typeof at !== 'number' || now - at >= windowMs) delete seen[k];
	const repeat = typeof seen[key] === 'number';
	if (!repeat) {
		seen[key] = now;
		const keys = Object.keys(seen);
		if (keys.length > MAX_REMEMBERED_VERSIONS) {
			keys.sort((a, b) => seen[a] - seen[b]);
			for (const k of keys.slice(0, keys.length - MAX_REMEMBERED_VERSIONS)) delete seen[k];
		}
	}
	return repeat;
}
