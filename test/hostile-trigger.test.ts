/**
 * The Coupa Trigger in a hostile world, through n8n's poller: records stamped in the future,
 * Coupa's clock stepping back, damaged static data, records whose timestamp an admin's response
 * filter hides, the user's own time conditions and both of Coupa's timestamp shapes.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CoupaSimulator } from './coupa-simulator';
import { engineLoggerClass } from './harness/compat';
import { credentialsWith } from './harness/engine';
import { PollingTrigger } from './harness/poll';
import { oauthCredential } from './support/setup';

let coupa: CoupaSimulator;
const T0 = Date.parse('2025-06-01T10:00:00Z');
const HOUR = 3_600_000;
const CURSOR = 'invoice:updated';

beforeAll(async () => {
	coupa = await CoupaSimulator.start();
});
afterAll(async () => {
	await coupa.stop();
});
beforeEach(() => {
	coupa.seed('invoices', 30);
	coupa.setNow(new Date(T0));
	coupa.clearLog();
	coupa.clearFaults();
	coupa.onRequest = undefined;
});
afterEach(() => {
	jest.restoreAllMocks();
	jest.useRealTimers();
});

/** Every timer API but Date stays real, so sockets, retries and the rate limiter run as ever. */
const NOT_DATE = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as Array<'hrtime'>;

const trigger = (parameters: INodeParameters = {}) =>
	new PollingTrigger(credentialsWith(oauthCredential(coupa)), {
		resource: 'invoice',
		event: 'updated',
		...parameters,
	});

/** Coupa's own shape, `2024-03-25T18:38:00-07:00`: whole seconds at a Pacific offset. */
const pacific = (ms: number) => `${new Date(ms - 7 * HOUR).toISOString().slice(0, 19)}-07:00`;

/** A change in Coupa now, or at `ms`, in either timestamp shape. */
function touch(id: number, ms = coupa.now().getTime(), shape: 'utc' | 'pacific' = 'utc'): void {
	coupa.record('invoices', id)!['updated-at'] =
		shape === 'utc' ? new Date(ms).toISOString() : pacific(ms);
}

const ids = (items: Array<{ json: { id?: unknown } }>) =>
	items.map((item) => Number(item.json.id)).sort((a, b) => a - b);
const cursorOf = (poller: PollingTrigger) =>
	poller.staticData()[CURSOR] as { at: string; seen: string[] };

/** Warnings n8n's logger receives (the engine's own Logger, from n8n-core's container). */
function captureWarnings(): string[] {
	const core = require.resolve('n8n-core');
	const { Container } = require(
		require.resolve('@n8n/di', { paths: [core] }),
	) as typeof import('@n8n/di');
	const Logger = engineLoggerClass();
	const warnings: string[] = [];
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation((message: string) => {
		warnings.push(message);
	});
	return warnings;
}

test("a record stamped a day ahead is emitted once, and the cursor stays at Coupa's now", async () => {
	const poller = trigger();
	await poller.poll();
	coupa.advance(5000);
	touch(4, T0 + 24 * HOUR);
	expect(ids((await poller.poll()).items)).toEqual([4]);
	expect(Date.parse(cursorOf(poller).at)).toBeLessThanOrEqual(coupa.now().getTime());
	coupa.advance(5000);
	touch(6);
	expect(ids((await poller.poll()).items)).toEqual([6]);
	coupa.advance(5000);
	expect((await poller.poll()).items).toEqual([]);
});

test("Coupa's clock stepping back an hour loses nothing written after the step, and repeats nothing", async () => {
	const poller = trigger();
	await poller.poll();
	coupa.advance(10_000);
	touch(2);
	expect(ids((await poller.poll()).items)).toEqual([2]);
	coupa.setNow(new Date(T0 - HOUR));
	touch(5);
	coupa.insert('invoices', { 'invoice-number': 'AFTER-STEP', status: 'new' });
	coupa.advance(1000);
	expect(ids((await poller.poll()).items)).toEqual([5, 31]);
	coupa.advance(1000);
	expect((await poller.poll()).items).toEqual([]);
	coupa.setNow(new Date(T0 + 20_000));
	touch(7);
	expect(ids((await poller.poll()).items)).toEqual([7]);
	expect((await poller.poll()).items).toEqual([]);
});

test("Coupa's clock stepping back 10 minutes, beyond the allowance: the change after the step is emitted, and the log names the step", async () => {
	const warnings = captureWarnings();
	const poller = trigger({ options: { overlapSeconds: 60 } });
	await poller.poll();
	coupa.advance(10_000);
	touch(2);
	expect(ids((await poller.poll()).items)).toEqual([2]);
	coupa.advance(-10 * 60_000);
	touch(8);
	coupa.advance(1000);
	// Stamped ten minutes before the cursor, far outside the 60 s the poll re-reads.
	expect(Date.parse(String(coupa.record('invoices', 8)!['updated-at']))).toBeLessThan(
		Date.parse(cursorOf(poller).at) - 60_000,
	);
	expect(ids((await poller.poll()).items)).toEqual([8]);
	expect(warnings).toHaveLength(1);
	expect(warnings[0]).toMatch(
		/Coupa's clock went back about (59\d|60\d) s since the last poll, more than the Clock Skew Allowance of 60 s/,
	);
	expect(warnings[0]).toMatch(/Clock Skew Allowance above the difference/);
	coupa.advance(1000);
	expect((await poller.poll()).items).toEqual([]);
	expect(warnings).toHaveLength(1);
});

/**
 * Runs `scenario` with this machine's clock running on (only Date is faked) and `pass` moving it
 * on together with Coupa's. The simulator is the scenario's own: the rate limiter of its URL sees
 * this machine's clock go back to the real time afterwards.
 */
async function withRunningClocks(
	scenario: (pass: (ms: number) => void) => Promise<void>,
): Promise<void> {
	const shared = coupa;
	coupa = await CoupaSimulator.start();
	coupa.seed('invoices', 30);
	coupa.setNow(new Date(T0));
	jest.useFakeTimers({ now: Date.now(), advanceTimers: true, doNotFake: NOT_DATE });
	try {
		await scenario((ms) => {
			jest.setSystemTime(Date.now() + ms);
			coupa.advance(ms);
		});
	} finally {
		jest.useRealTimers();
		await coupa.stop();
		coupa = shared;
	}
}

test('a step back beyond the allowance but shorter than the time between polls loses nothing', async () => {
	await withRunningClocks(async (pass) => {
		const poller = trigger();
		await poller.poll();
		pass(10_000);
		touch(2);
		expect(ids((await poller.poll()).items)).toEqual([2]);
		coupa.advance(-3 * 60_000);
		touch(5);
		pass(5 * 60_000);
		touch(6);
		// Coupa's clock is past the cursor again, but 5 was stamped minutes before it.
		expect(coupa.now().getTime()).toBeGreaterThan(Date.parse(cursorOf(poller).at));
		expect(ids((await poller.poll()).items)).toEqual([5, 6]);
		pass(60_000);
		expect((await poller.poll()).items).toEqual([]);
	});
});

test('a step back the allowance covers costs no second read', async () => {
	await withRunningClocks(async (pass) => {
		const poller = trigger();
		await poller.poll();
		pass(10_000);
		touch(2);
		expect(ids((await poller.poll()).items)).toEqual([2]);
		coupa.advance(-30_000);
		touch(5);
		pass(20_000);
		coupa.clearLog();
		expect(ids((await poller.poll()).items)).toEqual([5]);
		expect(coupa.apiRequests()).toHaveLength(1);
	});
});

test("a cursor an older version left in the future (a record from the future carried it) comes back to Coupa's now", async () => {
	const poller = trigger();
	await poller.poll();
	poller.staticData()[CURSOR] = { at: new Date(T0 + 24 * HOUR).toISOString(), seen: [] };
	coupa.advance(5000);
	touch(3);
	expect(ids((await poller.poll()).items)).toEqual([3]);
	expect(Date.parse(cursorOf(poller).at)).toBeLessThanOrEqual(coupa.now().getTime());
	coupa.advance(5000);
	touch(4);
	expect(ids((await poller.poll()).items)).toEqual([4]);
});

describe('damaged static data is reset with a warning, never re-emitting the table', () => {
	test.each<[string, unknown]>([
		['a string', 'garbage'],
		['a number', 12345],
		['a list', []],
		['an object without a time', { seen: [] }],
		['an object whose time is not one', { at: 'yesterday', seen: [] }],
	])("the cursor is %s: start afresh from Coupa's now", async (_shape, damaged) => {
		const warnings = captureWarnings();
		const poller = trigger();
		await poller.poll();
		poller.staticData()[CURSOR] = damaged as IDataObject;
		coupa.advance(5000);
		const reset = await poller.poll();
		expect(reset.error).toBeUndefined();
		expect(reset.items).toEqual([]);
		expect(warnings.join('\n')).toMatch(
			/Coupa Trigger "Coupa Trigger": the saved cursor .*Starting afresh from Coupa's current time/,
		);
		coupa.advance(5000);
		touch(3);
		expect(ids((await poller.poll()).items)).toEqual([3]);
		expect((await poller.poll()).items).toEqual([]);
	});

	test.each<[string, (cursor: { at: string }) => unknown]>([
		['missing', ({ at }) => ({ at })],
		['an object', ({ at }) => ({ at, seen: {} })],
		['a list of numbers', ({ at }) => ({ at, seen: [1, 2] })],
	])(
		'the list of records already emitted is %s: resume after the saved time',
		async (_shape, damage) => {
			const warnings = captureWarnings();
			const poller = trigger();
			await poller.poll();
			coupa.advance(5000);
			touch(2);
			expect(ids((await poller.poll()).items)).toEqual([2]);
			coupa.advance(5000);
			touch(3);
			poller.staticData()[CURSOR] = damage(cursorOf(poller)) as IDataObject;
			const resumed = await poller.poll();
			expect(resumed.error).toBeUndefined();
			expect(ids(resumed.items)).toEqual([3]);
			expect(warnings.join('\n')).toMatch(
				/already emitted is damaged; resuming after the saved cursor's time.*Resuming after/,
			);
			expect((await poller.poll()).items).toEqual([]);
			coupa.advance(5000);
			touch(2);
			expect(ids((await poller.poll()).items)).toEqual([2]);
		},
	);
});

describe('a record without its timestamp is reported, naming the field, and the cursor stays', () => {
	const HIDES_UPDATED_AT = ['id', 'invoice-number', 'status'];
	afterEach(() => coupa.setDefaultFilter('invoices'));

	test("an admin's default response filter leaves updated-at out", async () => {
		const poller = trigger();
		await poller.poll();
		const before = JSON.stringify(poller.staticData());
		coupa.advance(5000);
		touch(6);
		coupa.setDefaultFilter('invoices', HIDES_UPDATED_AT);
		const failed = await poller.poll();
		expect(failed.error?.message).toBe(
			'Coupa sent Invoice 6 without updated-at, which the trigger needs to tell what changed',
		);
		expect(failed.error?.description).toMatch(
			/the admin's default one for invoices, or the one named in Options\) can leave updated-at out.*keep updated-at in it/,
		);
		expect(failed.items).toEqual([]);
		expect(JSON.stringify(poller.staticData())).toBe(before);
	});

	test('a named response filter that keeps it is sent with every request, and the trigger works again', async () => {
		coupa.setDefaultFilter('invoices', HIDES_UPDATED_AT);
		coupa.addResponseFilter('integration_invoices', ['id', 'status', 'created-at', 'updated-at']);
		const poller = trigger({ options: { filter: ' integration_invoices ' } });
		expect((await poller.poll()).error).toBeUndefined();
		coupa.advance(5000);
		touch(6);
		expect((await poller.poll()).items.map((item) => item.json)).toEqual([
			{
				id: 6,
				status: coupa.record('invoices', 6)!.status,
				'created-at': coupa.record('invoices', 6)!['created-at'],
				'updated-at': coupa.record('invoices', 6)!['updated-at'],
			},
		]);
		expect((await poller.poll('manual')).error).toBeUndefined();
		expect(coupa.apiRequests().length).toBeGreaterThanOrEqual(4);
		for (const request of coupa.apiRequests())
			expect(request.query.filter).toBe('integration_invoices');
	});

	test.each<[string, IDataObject, RegExp]>([
		[
			'updated-at that is not a date',
			{ id: 7, 'updated-at': 'yesterday' },
			/^Coupa sent Invoice 7 with updated-at "yesterday", which is not a date and time$/,
		],
		[
			'no id',
			{ 'updated-at': '2025-06-01T10:00:05Z' },
			/^Coupa sent an invoice record without id, which the trigger needs to tell records apart$/,
		],
	])('a record with %s', async (_case, record, message) => {
		const poller = trigger();
		await poller.poll();
		const before = JSON.stringify(poller.staticData());
		coupa.advance(5000);
		coupa.injectFault({
			method: 'GET',
			path: '/api/invoices',
			kind: 'status',
			status: 200,
			body: JSON.stringify([{ id: 6, 'updated-at': coupa.now().toISOString() }, record]),
		});
		const failed = await poller.poll();
		expect(failed.error?.message).toMatch(message);
		expect(failed.error?.description).toMatch(/can leave (updated-at|id) out/);
		expect(JSON.stringify(poller.staticData())).toBe(before);
	});

	test('in manual mode too, so the user learns it while building the workflow', async () => {
		coupa.setDefaultFilter('invoices', HIDES_UPDATED_AT);
		const failed = await trigger().poll('manual');
		expect(failed.error?.message).toMatch(/^Coupa sent Invoice \d+ without updated-at/);
	});

	test('on first activation, which reads the newest record first', async () => {
		coupa.setDefaultFilter('invoices', HIDES_UPDATED_AT);
		const poller = trigger();
		expect((await poller.poll()).error?.message).toMatch(/without updated-at/);
		expect(poller.staticData()[CURSOR]).toBeUndefined();
	});
});

describe("the user's own time conditions stay beside the cursor's", () => {
	test("a later Greater Than of the user's is sent instead of the cursor's, which it implies", async () => {
		const from = new Date(T0 + 30_000).toISOString();
		const poller = trigger({
			filters: { conditions: [{ field: 'updated-at', operator: 'gt', value: from }] },
		});
		await poller.poll();
		coupa.advance(5000);
		touch(2);
		coupa.clearLog();
		expect((await poller.poll()).items).toEqual([]);
		expect(coupa.apiRequests().at(-1)?.query['updated-at[gt]']).toBe(from);
		coupa.advance(60_000);
		touch(3);
		expect(ids((await poller.poll()).items)).toEqual([3]);
	});

	test("an earlier one gives way to the cursor's; other operators on the field are sent with it", async () => {
		const poller = trigger({
			filters: {
				conditions: [
					{ field: 'updated_at', operator: 'gt', value: '2020-01-01T00:00:00Z' },
					{ field: 'updated-at', operator: 'lt', value: new Date(T0 + 30_000).toISOString() },
				],
			},
		});
		await poller.poll();
		coupa.advance(5000);
		touch(2);
		coupa.clearLog();
		expect(ids((await poller.poll()).items)).toEqual([2]);
		const [request] = coupa.apiRequests();
		const sent = [...new URLSearchParams(request.search)].filter(([key]) =>
			key.startsWith('updated'),
		);
		expect(sent).toEqual([
			['updated-at[gt]', '2025-06-01T09:58:59+00:00'],
			['updated-at[lt]', new Date(T0 + 30_000).toISOString()],
		]);
		coupa.advance(60_000);
		touch(3);
		expect((await poller.poll()).items).toEqual([]);
	});

	test("an Equals on the cursor's field cannot be sent with it: refused, naming both", async () => {
		const poller = trigger({
			filters: {
				conditions: [{ field: 'updated-at', operator: 'eq', value: '2025-06-01T10:00:00Z' }],
			},
		});
		const failed = await poller.poll();
		expect(failed.error?.message).toMatch(
			/Filters > Condition 1 \(updated-at Equals\) cannot be sent together with The trigger's own updated-at condition/,
		);
	});
});

test("timestamps in both of Coupa's shapes: offsets in whole seconds and UTC milliseconds", async () => {
	const poller = trigger();
	await poller.poll();
	coupa.advance(5000);
	touch(2, coupa.now().getTime(), 'pacific');
	touch(3, coupa.now().getTime() + 500, 'utc');
	const first = await poller.poll();
	expect(ids(first.items)).toEqual([2, 3]);
	expect(first.items.map((item) => item.json['updated-at'])).toEqual([
		pacific(T0 + 5000),
		new Date(T0 + 5500).toISOString(),
	]);
	expect((await poller.poll()).items).toEqual([]);
	coupa.advance(5000);
	touch(3, coupa.now().getTime(), 'pacific');
	expect(ids((await poller.poll()).items)).toEqual([3]);
	expect((await poller.poll()).items).toEqual([]);
});
