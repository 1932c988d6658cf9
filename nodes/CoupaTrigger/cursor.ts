/**
 * The trigger's cursor and de-duplication, kept free of I/O so the scheme reads in one place.
 *
 * Scheme: a record version is the pair (id, timestamp). Each poll asks Coupa for every record whose
 * timestamp is after `cursor - overlap - 1 s` (Coupa's `[gt]` on whole seconds), ordered by id
 * (offsets stay stable while records are updated between pages: an update changes a timestamp,
 * never an id). It emits each version not in `seen`, then moves the cursor to the newest timestamp
 * read, but never past Coupa's own clock (the `Date` header of its answers), and keeps in `seen`
 * every version at or after the next poll's window start. So same-second records, multi-page
 * windows and late commits within the overlap neither repeat nor vanish; a record stamped in the
 * future is emitted once and stays in `seen` until the clock reaches it, without dragging the
 * cursor there. Each poll also notes Coupa's clock and this machine's: when Coupa's clock has
 * advanced less than this machine's since, it stepped back, and the window is read again from as
 * far back as a record written after the step can be stamped (records of that window that `seen`
 * no longer holds may then come once more: a repeat, never a loss).
 */
export interface TriggerCursor {
	/** ISO timestamp: the newest version read, held at or before Coupa's clock. */
	at: string;
	/** `id@epochMs` of the versions at or after the window start of the next poll. */
	seen: string[];
	/** ISO timestamp before which nothing is emitted (a start date, or a restart after damage). */
	from?: string;
	/** Coupa's clock and this machine's, read together at the last poll (ISO). */
	clock?: { coupa: string; local: string };
}

/** Coupa's clock (its `Date` header) and this machine's, read at the same answer, in epoch ms. */
export interface Clocks {
	coupaMs: number;
	localMs: number;
}

/** The query starts one second before the window (`[gt]` on Coupa's whole seconds), so `seen` keeps that second too. */
export const CURSOR_MARGIN_MS = 1000;

/** Coupa's date-time shape (`2024-03-25T18:38:00-07:00`), with or without fractions, or `Z`. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of a Coupa timestamp; anything else, even what `Date` would guess at, is undefined. */
export function parseTimestamp(value: unknown): number | undefined {
	if (typeof value !== 'string' || !ISO_DATE_TIME.test(value.trim())) return undefined;
	const ms = Date.parse(value.trim());
	return Number.isNaN(ms) ? undefined : ms;
}

/** A time as Coupa's queries expect it: whole seconds with an offset. */
export function coupaTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function versionKey(id: unknown, timestampMs: number): string {
	return `${String(id)}@${timestampMs}`;
}

const msOfKey = (key: string) => Number(key.slice(key.lastIndexOf('@') + 1));

export interface StoredCursor {
	/** The cursor to continue from; undefined when there is none to trust. */
	cursor?: TriggerCursor;
	/** What was wrong with the stored state, for the warning; undefined when it was sound or absent. */
	damage?: string;
}

/**
 * Reads the cursor from the workflow's static data, which a failed save, a hand edit or an older
 * version may have damaged. A sound `at` is kept with an empty `seen` and nothing emitted at or
 * before it: nothing newer is skipped and the window already emitted does not come again.
 * Without a sound `at` there is no safe place to resume, and the caller starts afresh.
 */
export function readStoredCursor(stored: unknown): StoredCursor {
	if (stored === undefined) return {};
	const shape = Array.isArray(stored) ? 'a list' : stored === null ? 'null' : typeof stored;
	if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
		return { damage: `the saved cursor is ${shape}, not the trigger's record` };
	}
	const { at, seen, from, clock } = stored as Record<string, unknown>;
	const atMs = parseTimestamp(at);
	if (atMs === undefined) return { damage: 'the saved cursor has no readable time' };
	const fromMs = parseTimestamp(from);
	const sound =
		Array.isArray(seen) &&
		seen.every((key) => typeof key === 'string' && /@\d+$/.test(key)) &&
		(from === undefined || fromMs !== undefined);
	if (sound) {
		const cursor: TriggerCursor = { at: at as string, seen: seen as string[] };
		if (from !== undefined) cursor.from = from as string;
		// Without a readable clock pair a step back shows only once Coupa's clock is behind the cursor.
		const { coupa, local } = (typeof clock === 'object' && clock !== null ? clock : {}) as Record<
			string,
			unknown
		>;
		if (parseTimestamp(coupa) !== undefined && parseTimestamp(local) !== undefined)
			cursor.clock = { coupa: coupa as string, local: local as string };
		return { cursor };
	}
	return {
		cursor: {
			at: new Date(atMs).toISOString(),
			seen: [],
			from: new Date(Math.max(atMs + 1, fromMs ?? 0)).toISOString(),
		},
		damage:
			"the saved list of records already emitted is damaged; resuming after the saved cursor's time",
	};
}

/** Date headers carry whole seconds, and answers take time: clock differences this small are noise. */
const CLOCK_NOISE_MS = 2000;

/**
 * Where the window must start again when Coupa's clock went back since the last poll, or
 * undefined when the window read from the cursor was enough. Nothing written since the last poll
 * can be stamped before Coupa's time now less the time this machine saw pass; a cursor ahead of
 * Coupa's clock (an older version let a record from the future carry it) restarts at Coupa's now.
 * A step the allowance already covers needs no second read (nor risks repeats).
 */
export function clockStepRestart(
	cursor: TriggerCursor,
	overlapMs: number,
	now: Clocks,
): number | undefined {
	const at = parseTimestamp(cursor.at) as number;
	let earliest = Math.min(at, now.coupaMs);
	const lastLocal = parseTimestamp(cursor.clock?.local);
	if (lastLocal !== undefined)
		earliest = Math.min(earliest, now.coupaMs - Math.max(0, now.localMs - lastLocal));
	return earliest < at - overlapMs - CLOCK_NOISE_MS ? earliest - overlapMs : undefined;
}

/**
 * How far Coupa's clock went back since the last poll, in ms (0 when it did not): behind its last
 * reading plus the time this machine saw pass, or behind the cursor, which never runs ahead of it.
 */
export function clockStepBackMs(cursor: TriggerCursor, now: Clocks): number {
	let behind = (parseTimestamp(cursor.at) as number) - now.coupaMs;
	const lastCoupa = parseTimestamp(cursor.clock?.coupa);
	const lastLocal = parseTimestamp(cursor.clock?.local);
	if (lastCoupa !== undefined && lastLocal !== undefined) {
		behind = Math.max(behind, lastCoupa + Math.max(0, now.localMs - lastLocal) - now.coupaMs);
	}
	return Math.max(0, behind);
}

export interface WindowResult<T> {
	fresh: T[];
	next: TriggerCursor;
}

/**
 * Picks the records to emit from one whole window and computes the cursor that follows it.
 * `timestampOf` must give every record's time (the caller refuses records without one).
 */
export function advanceCursor<T extends { id?: unknown }>(
	cursor: TriggerCursor,
	records: T[],
	timestampOf: (record: T) => number,
	overlapMs: number,
	clocks: Clocks,
): WindowResult<T> {
	const seen = new Set(cursor.seen);
	const from = parseTimestamp(cursor.from);
	const fresh: T[] = [];
	let newest = parseTimestamp(cursor.at) ?? 0;
	const versions: Array<{ key: string; ms: number }> = [];
	for (const record of records) {
		const ms = timestampOf(record);
		const key = versionKey(record.id, ms);
		versions.push({ key, ms });
		if (ms > newest) newest = ms;
		if (seen.has(key)) continue;
		seen.add(key);
		if (from === undefined || ms >= from) fresh.push(record);
	}
	// A record stamped ahead of Coupa's clock must not carry the cursor past what Coupa can still write.
	const at = Math.min(newest, clocks.coupaMs);
	const windowStart = at - overlapMs - CURSOR_MARGIN_MS;
	const kept = new Set<string>();
	for (const key of cursor.seen) if (msOfKey(key) >= windowStart) kept.add(key);
	for (const { key, ms } of versions) if (ms >= windowStart) kept.add(key);
	// Emit in time order, so downstream nodes see changes as they happened.
	fresh.sort((a, b) => timestampOf(a) - timestampOf(b));
	const next: TriggerCursor = {
		at: new Date(at).toISOString(),
		seen: [...kept],
		clock: {
			coupa: new Date(clocks.coupaMs).toISOString(),
			local: new Date(clocks.localMs).toISOString(),
		},
	};
	// The floor matters only while the window still reaches before it.
	if (from !== undefined && from > windowStart) next.from = new Date(from).toISOString();
	return { fresh, next };
}
