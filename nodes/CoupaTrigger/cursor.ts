/**
 * The trigger's cursor and de-duplication, kept free of I/O so the scheme reads in one place.
 *
 * Scheme: a record version is the pair (id, timestamp). Each poll asks Coupa for every record whose
 * timestamp is after `cursor - overlap - 1 s` (Coupa's `[gt]`), ordered by id (offsets stay stable while records
 * are updated between pages: an update changes a timestamp, never an id). It emits each version
 * not in `seen`, then moves the cursor to the newest timestamp read and keeps in `seen` only the
 * versions inside the new overlap window. Same-second records, multi-page windows and clock skew
 * up to the overlap therefore neither repeat nor vanish.
 */
export interface TriggerCursor {
	/** ISO timestamp of the newest record version emitted so far. */
	at: string;
	/** `id@epochMs` of versions inside the overlap window before `at`. */
	seen: string[];
}

/** The query starts one second before the window (`[gt]` on Coupa's whole seconds), so `seen` keeps that second too. */
export const CURSOR_MARGIN_MS = 1000;

export function versionKey(id: unknown, timestampMs: number): string {
	return `${String(id)}@${timestampMs}`;
}

export function parseTimestamp(value: unknown): number | undefined {
	if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
	const ms = new Date(value).getTime();
	return Number.isNaN(ms) ? undefined : ms;
}

export interface WindowResult<T> {
	fresh: T[];
	next: TriggerCursor;
}

/** Picks the records to emit from one whole window and computes the cursor that follows it. */
export function advanceCursor<T extends { id?: unknown }>(
	cursor: TriggerCursor,
	records: T[],
	timestampOf: (record: T) => number | undefined,
	overlapMs: number,
): WindowResult<T> {
	const seen = new Set(cursor.seen);
	const fresh: T[] = [];
	let newest = parseTimestamp(cursor.at) ?? 0;
	const versions: Array<{ key: string; ms: number }> = [];
	for (const record of records) {
		const ms = timestampOf(record);
		if (ms === undefined) continue;
		const key = versionKey(record.id, ms);
		versions.push({ key, ms });
		if (seen.has(key)) continue;
		seen.add(key);
		fresh.push(record);
		if (ms > newest) newest = ms;
	}
	const windowStart = newest - overlapMs - CURSOR_MARGIN_MS;
	const kept = new Set<string>();
	for (const key of cursor.seen) {
		const ms = Number(key.slice(key.lastIndexOf('@') + 1));
		if (ms >= windowStart) kept.add(key);
	}
	for (const { key, ms } of versions) if (ms >= windowStart) kept.add(key);
	// Emit in time order, so downstream nodes see changes as they happened.
	fresh.sort((a, b) => (timestampOf(a) ?? 0) - (timestampOf(b) ?? 0));
	return { fresh, next: { at: new Date(newest).toISOString(), seen: [...kept] } };
}
