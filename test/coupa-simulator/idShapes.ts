/**
 * Shapes of the ids a filtered listing holds (an export reads `exported=false`, one status, one
 * supplier, last week: its ids are rarely 1..n). A shape is named by a spec, `name` or
 * `name:parameter`, so the simulator, the tests and the benchmark take any of them:
 *   - `dense`: 1..n, a whole table;
 *   - `stragglers:F` (F = 0.01): a fraction F of old records spread over a long history, the rest
 *     recent and dense (a failed export from last year left behind);
 *   - `growing`: density growing from old to new (an instance used more each year);
 *   - `clusters:K` (K = 2): K dense runs far apart (two campaigns, two suppliers' batches);
 *   - `sparse:S` (S = 10): every S-th id (one status among S, evenly);
 *   - `random:S` (S = 10): gaps drawn at random, S on average (one supplier among many);
 *   - `batches:B` (B = 200): runs of B consecutive ids with random gaps between (records made by
 *     nightly loads, each leaving its run).
 * Ids are ascending, distinct and positive; the same spec and count always give the same ids.
 */
export const ID_SHAPES = [
	'dense',
	'stragglers:0.01',
	'growing',
	'clusters:2',
	'sparse:10',
	'random:10',
	'batches:200',
];

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32). */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Ids of `count` records in the shape `spec`. */
export function idsOf(spec: string, count: number): number[] {
	const [name, raw] = spec.split(':');
	const parameter = raw === undefined ? undefined : Number(raw);
	const ids: number[] = [];
	/** Appends `id`, or the next free id above the last when `id` is not above it. */
	const push = (id: number) => ids.push(Math.max(Math.round(id), (ids[ids.length - 1] ?? 0) + 1));
	switch (name) {
		case 'dense':
			for (let i = 1; i <= count; i++) push(i);
			break;
		case 'stragglers': {
			const old = Math.round(count * (parameter ?? 0.01));
			const history = 100 * count;
			for (let i = 0; i < old; i++) push(1 + (i * history) / Math.max(1, old));
			for (let i = 0; i < count - old; i++) push(history + 1 + i);
			break;
		}
		case 'growing': {
			// Records per id grow linearly with the id: the i-th record sits at sqrt(i / count) of the span.
			const span = 10 * count;
			for (let i = 1; i <= count; i++) push(span * Math.sqrt(i / count));
			break;
		}
		case 'clusters': {
			const clusters = Math.max(1, Math.round(parameter ?? 2));
			for (let i = 0; i < count; i++) {
				const cluster = Math.floor((i * clusters) / count);
				push(1 + cluster * 1_000_000 + i);
			}
			break;
		}
		case 'sparse': {
			const step = parameter ?? 10;
			for (let i = 1; i <= count; i++) push(i * step);
			break;
		}
		case 'random': {
			const next = random(count);
			const mean = parameter ?? 10;
			let id = 0;
			for (let i = 0; i < count; i++) push((id += 1 + Math.floor(next() * (2 * mean - 1))));
			break;
		}
		case 'batches': {
			const next = random(count + 1);
			const run = Math.max(1, Math.round(parameter ?? 200));
			let id = 0;
			for (let i = 0; i < count; i++) {
				if (i % run === 0) id += Math.floor(next() * 10 * run);
				push(++id);
			}
			break;
		}
		default:
			throw new Error(
				`Unknown id shape ${spec}: one of ${ID_SHAPES.join(', ')} (with any parameter)`,
			);
	}
	return ids;
}
