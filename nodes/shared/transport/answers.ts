/**
 * Every answer Coupa (or whatever sits at the URL) gives is checked against what the operation
 * expects before it becomes output: a JSON record, a JSON list of records, or a file. Anything else
 * is described in a few words (what it is, how it starts), bounded, never passed on as data.
 */
import type { IDataObject } from 'n8n-workflow';

import { cut, cutLongNumbers, withoutControlCharacters } from './errors';

/** What an operation expects back: one record, a list of records, a file, or any JSON (custom calls). */
export type Expectation = 'record' | 'list' | 'file' | 'json';

/** One HTTP answer as our transport reads it: the body is always the raw bytes. */
export interface CoupaAnswer {
	status: number;
	headers: IDataObject;
	body: Buffer;
}

/** The media type of an answer, lowercased, without parameters: `application/json`. */
export function mediaType(headers: IDataObject): string {
	const value = headers['content-type'] ?? headers['Content-Type'];
	return String(Array.isArray(value) ? value[0] : (value ?? ''))
		.split(';')[0]
		.trim()
		.toLowerCase();
}

export type ParsedBody =
	| { kind: 'empty' }
	| { kind: 'json'; value: unknown }
	| { kind: 'other'; text: string };

/** The body read as JSON when it is JSON; `other` keeps the text for the description. */
export function parseBody(body: Buffer): ParsedBody {
	const text = body.toString('utf8').replace(/^\uFEFF/, '');
	if (text.trim() === '') return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(text) };
	} catch {
		return { kind: 'other', text };
	}
}

function describeJson(value: unknown): string {
	if (value === null) return 'JSON null';
	if (Array.isArray(value)) {
		const nonObjects = value.filter(
			(entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry),
		);
		return nonObjects.length
			? `a JSON list holding ${describeJson(nonObjects[0])} where records were expected`
			: `a JSON list of ${value.length} records`;
	}
	if (typeof value === 'object') {
		const keys = Object.keys(value as IDataObject);
		return keys.length
			? `a JSON object (${cut(keys.slice(0, 6).join(', '), 80)}${keys.length > 6 ? ', …' : ''})`
			: 'an empty JSON object';
	}
	return `a JSON ${typeof value} (${cut(String(value), 60)})`;
}

/** "XML (starts: <?xml ...)", "truncated or malformed JSON (1,234 bytes)": what came back, in a few words. */
export function describeAnswer(answer: CoupaAnswer, parsed = parseBody(answer.body)): string {
	const type = mediaType(answer.headers);
	const size = `${answer.body.length.toLocaleString('en-US')} bytes`;
	if (parsed.kind === 'empty') return 'an empty body';
	if (parsed.kind === 'json') return describeJson(parsed.value);
	const text = parsed.text.trim();
	const start = cut(cutLongNumbers(text), 80);
	if (/^<!doctype html|^<html/i.test(text) || type === 'text/html') {
		const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
		return `an HTML page${title ? ` titled "${cut(title, 60)}"` : ''} (${size})`;
	}
	if (text.startsWith('<')) return `XML (${size}, starts: ${start})`;
	if (text.startsWith('{') || text.startsWith('[') || type.includes('json')) {
		return `truncated or malformed JSON (${size}, starts: ${start})`;
	}
	if (isBinaryText(answer.body)) return `binary data of type ${type || 'unknown'} (${size})`;
	return `text (${size}, starts: ${start})`;
}

function isBinaryText(body: Buffer): boolean {
	const sample = body.subarray(0, 512);
	// Text has no control bytes other than tab, line breaks and form feed.
	return sample.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b));
}

export type Checked = { ok: true; records: IDataObject[] } | { ok: false; what: string };

const isRecord = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a 2xx answer against the expectation. An empty body is left to the caller (`records`
 * empty, `ok`), because only the caller knows whether it means "no content" (a write with Return
 * Object None) or a broken answer (a Get).
 */
export function checkJsonAnswer(
	answer: CoupaAnswer,
	expect: Exclude<Expectation, 'file'>,
): Checked & { empty?: boolean } {
	const parsed = parseBody(answer.body);
	if (parsed.kind === 'empty') return { ok: true, records: [], empty: true };
	if (parsed.kind === 'json') {
		const { value } = parsed;
		if (expect === 'list') {
			if (Array.isArray(value) && value.every(isRecord)) return { ok: true, records: value };
			return {
				ok: false,
				what: `${describeJson(value)} where a JSON list of records was expected`,
			};
		}
		if (expect === 'record') {
			if (isRecord(value)) return { ok: true, records: [value] };
			return { ok: false, what: `${describeJson(value)} where a JSON record was expected` };
		}
		if (isRecord(value)) return { ok: true, records: [value] };
		if (Array.isArray(value))
			return {
				ok: true,
				records: value.map((entry) =>
					isRecord(entry) ? entry : { value: entry as IDataObject[string] },
				),
			};
		if (value === null) return { ok: true, records: [], empty: true };
		return { ok: true, records: [{ value: value as IDataObject[string] }] };
	}
	return { ok: false, what: describeAnswer(answer, parsed) };
}

/** Media types that are an answer about the file, never the file itself. */
const NOT_A_FILE = /^(application\/(.+\+)?(json|xml)|text\/(html|xml|plain))$/;

/** Checks a 2xx download: a body that is a file, not an error page or JSON. */
export function checkFileAnswer(answer: CoupaAnswer): { ok: true } | { ok: false; what: string } {
	const type = mediaType(answer.headers);
	if (answer.body.length === 0)
		return { ok: false, what: 'an empty body where a file was expected' };
	const parsed = NOT_A_FILE.test(type) || !type ? parseBody(answer.body) : undefined;
	if (parsed && (parsed.kind === 'json' || NOT_A_FILE.test(type))) {
		return { ok: false, what: `${describeAnswer(answer, parsed)} where a file was expected` };
	}
	return { ok: true };
}

/** The file name Coupa gives in Content-Disposition, reduced to a safe plain name. */
export function fileNameOf(headers: IDataObject): string | undefined {
	const disposition = String(
		headers['content-disposition'] ?? headers['Content-Disposition'] ?? '',
	);
	const encoded = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(disposition)?.[1];
	let name = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
	if (encoded) {
		try {
			name = decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''));
		} catch {
			// A malformed encoding falls back to the plain filename parameter.
		}
	}
	const safe =
		name === undefined
			? undefined
			: withoutControlCharacters(name)
					.replace(/[\\/]/g, '_')
					.replace(/"/g, '')
					.trim()
					.slice(0, 200);
	return safe ? safe : undefined;
}
