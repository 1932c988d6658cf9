/** The Coupa Trigger through n8n's poller, with the simulator's clock driven by the tests. */
import type { INodeParameters, INodeType } from 'n8n-workflow';

import { CoupaSimulator, DEFAULT_CLIENT } from './coupa-simulator';
import { COUPA_TRIGGER_NODE, credentialsWith } from './harness/engine';
import { PollingTrigger } from './harness/poll';
import { apiKeyCredential, oauthCredential } from './support/setup';

let coupa: CoupaSimulator;
const T0 = Date.parse('2025-06-01T10:00:00Z');

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

const trigger = (parameters: INodeParameters = {}) =>
	new PollingTrigger(credentialsWith(oauthCredential(coupa)), {
		resource: 'invoice',
		event: 'updated',
		...parameters,
	});

/** A change in Coupa one second later: new `updated-at` on Coupa's clock. */
function touch(id: number, changes: Record<string, unknown> = {}): void {
	const record = coupa.record('invoices', id)!;
	Object.assign(record, changes, { 'updated-at': coupa.now().toISOString() });
}

const ids = (items: Array<{ json: { id?: unknown } }>) =>
	items.map((item) => Number(item.json.id)).sort((a, b) => a - b);

test('first activation emits nothing; three new records once; an empty poll costs one request', async () => {
	const poller = trigger();
	expect((await poller.poll()).items).toEqual([]);
	for (let i = 0; i < 3; i++) {
		coupa.advance(1000);
		coupa.insert('invoices', { 'invoice-number': `NEW-${i}`, status: 'new' });
	}
	coupa.advance(1000);
	const second = await poller.poll();
	expect(second.error).toBeUndefined();
	expect(ids(second.items)).toEqual([31, 32, 33]);
	coupa.advance(60_000);
	coupa.clearLog();
	const third = await poller.poll();
	expect(third.items).toEqual([]);
	expect(coupa.apiRequests()).toHaveLength(1);
	expect(coupa.apiRequests()[0].query).toMatchObject({
		order_by: 'id',
		'updated-at[gt]': expect.any(String),
	});
});

test('an update is emitted exactly once, and again after the next update', async () => {
	const poller = trigger();
	await poller.poll();
	coupa.advance(5000);
	touch(7, { status: 'approved' });
	expect(ids((await poller.poll()).items)).toEqual([7]);
	expect((await poller.poll()).items).toEqual([]);
	coupa.advance(5000);
	touch(7, { status: 'voided' });
	const again = await poller.poll();
	expect(again.items.map((item) => item.json.status)).toEqual(['voided']);
	expect((await poller.poll()).items).toEqual([]);
});

test('120 records updated in the same second across three pages are each emitted once', async () => {
	coupa.seed('invoices', 150);
	const poller = trigger();
	await poller.poll();
	coupa.advance(10_000);
	for (let id = 11; id <= 130; id++) touch(id);
	coupa.clearLog();
	const result = await poller.poll();
	expect(ids(result.items)).toEqual(Array.from({ length: 120 }, (_, i) => i + 11));
	expect(coupa.apiRequests().length).toBe(3);
	expect((await poller.poll()).items).toEqual([]);
});

test('a record updated between two pages of one poll is neither lost nor repeated', async () => {
	coupa.seed('invoices', 150);
	const poller = trigger();
	await poller.poll();
	coupa.advance(10_000);
	for (let id = 1; id <= 120; id++) touch(id);
	let touched = false;
	coupa.onRequest = (request) => {
		// The first call past the first page (the window is read by id ranges).
		if (request.query['id[gt]'] !== undefined && !touched) {
			touched = true;
			coupa.advance(1000);
			touch(20, { status: 'disputed' });
		}
	};
	const first = await poller.poll();
	coupa.onRequest = undefined;
	expect(ids(first.items)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
	const second = await poller.poll();
	expect(second.items.map((item) => [item.json.id, item.json.status])).toEqual([[20, 'disputed']]);
	expect((await poller.poll()).items).toEqual([]);
});

test('a poll that fails midway keeps the cursor, and the next poll loses nothing', async () => {
	coupa.seed('invoices', 150);
	const poller = trigger();
	await poller.poll();
	const cursorBefore = JSON.stringify(poller.staticData());
	coupa.advance(10_000);
	for (let id = 1; id <= 120; id++) touch(id);
	coupa.injectFault({
		method: 'GET',
		path: '/api/invoices',
		kind: 'status',
		status: 500,
		after: 1,
		times: 1,
	});
	const failed = await poller.poll();
	expect(failed.error?.message).toContain('500');
	expect(JSON.stringify(poller.staticData())).toBe(cursorBefore);
	const recovered = await poller.poll();
	expect(ids(recovered.items)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
});

test('manual mode returns the newest record and leaves the cursor alone', async () => {
	const poller = trigger();
	await poller.poll();
	const cursor = JSON.stringify(poller.staticData());
	coupa.advance(3000);
	touch(4);
	const manual = await poller.poll('manual');
	expect(ids(manual.items)).toEqual([4]);
	expect(JSON.stringify(poller.staticData())).toBe(cursor);
	expect(ids((await poller.poll()).items)).toEqual([4]);
});

test('the created event ignores updates and reads created-at', async () => {
	const poller = trigger({ event: 'created' });
	await poller.poll();
	coupa.advance(2000);
	touch(3);
	coupa.insert('invoices', { 'invoice-number': 'NEW', status: 'new' });
	coupa.clearLog();
	expect(ids((await poller.poll()).items)).toEqual([31]);
	expect(Object.keys(coupa.apiRequests()[0].query)).toContain('created-at[gt]');
});

test('a start date emits what changed since then on first activation', async () => {
	const since = new Date(Date.parse('2024-01-01T00:20:00Z')).toISOString();
	const poller = trigger({ options: { startDate: since } });
	const result = await poller.poll();
	const want = coupa
		.records('invoices')
		.filter((r) => Date.parse(String(r['updated-at'])) >= Date.parse(since))
		.map((r) => r.id);
	expect(want.length).toBeGreaterThan(0);
	expect(ids(result.items)).toEqual(want);
	expect((await poller.poll()).items).toEqual([]);
});

test('filters apply to every poll; all records can come as one item', async () => {
	const poller = trigger({
		filters: { conditions: [{ field: 'status', operator: 'eq', value: 'approved' }] },
		options: { outputMode: 'all' },
	});
	await poller.poll();
	coupa.advance(2000);
	touch(5, { status: 'approved' });
	touch(6, { status: 'pending_approval' });
	touch(9, { status: 'approved' });
	const result = await poller.poll();
	expect(result.items).toHaveLength(1);
	expect((result.items[0].json.records as Array<{ id: number }>).map((r) => r.id).sort()).toEqual([
		5, 9,
	]);
	expect(coupa.apiRequests().at(-1)?.query.status).toBe('approved');
});

test('a record committed late, inside the clock-skew allowance, is still emitted', async () => {
	const poller = trigger();
	await poller.poll();
	coupa.advance(10_000);
	touch(2);
	expect(ids((await poller.poll()).items)).toEqual([2]);
	// A change stamped 5 s earlier than the newest one seen, that became visible only now.
	const record = coupa.record('invoices', 3)!;
	record['updated-at'] = new Date(coupa.now().getTime() - 5000).toISOString();
	coupa.advance(1000);
	expect(ids((await poller.poll()).items)).toEqual([3]);
	expect((await poller.poll()).items).toEqual([]);
});

describe('a refused sign-in names what to fix for the way the credential signs in', () => {
	/** A token the simulator issued, pasted into the credential as a user would. */
	async function pastedToken(): Promise<string> {
		const response = await fetch(`${coupa.url}/oauth2/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: DEFAULT_CLIENT.id,
				client_secret: DEFAULT_CLIENT.secret,
				scope: 'core.invoice.read',
			}),
		});
		return ((await response.json()) as { access_token: string }).access_token;
	}

	test('an expired pasted access token: 401 with the pasted-token hint, no token fetched', async () => {
		const poller = new PollingTrigger(
			credentialsWith({ url: coupa.url, authType: 'accessToken', token: await pastedToken() }),
			{ resource: 'invoice', event: 'updated' },
		);
		expect((await poller.poll('manual')).error).toBeUndefined();
		coupa.expireAllTokens();
		coupa.clearLog();
		const failed = await poller.poll();
		expect(failed.error?.message).toContain('401');
		expect(failed.error?.description).toMatch(/pasted access token/i);
		expect(coupa.tokenRequests()).toHaveLength(0);
	});

	test('a revoked API key: 401 with the API key hint', async () => {
		const poller = new PollingTrigger(
			credentialsWith(apiKeyCredential(coupa, { token: 'revoked-key-000' })),
			{ resource: 'invoice', event: 'updated' },
		);
		const failed = await poller.poll();
		expect(failed.error?.message).toContain('401');
		expect(failed.error?.description).toMatch(/API key/);
	});
});

describe('options and resources the trigger cannot use are refused before any request', () => {
	test.each<[string, INodeParameters, RegExp]>([
		[
			'a Clock Skew Allowance that is not a number',
			{ options: { overlapSeconds: 'abc' } },
			/^Clock Skew Allowance must be a number of seconds from 0 to 86400 \(got "abc"\)$/,
		],
		[
			'a negative Clock Skew Allowance',
			{ options: { overlapSeconds: -5 } },
			/Clock Skew Allowance must be a number of seconds/,
		],
		[
			'a Start Date that is not a date',
			{ options: { startDate: 'next tuesday' } },
			/^Start Date "next tuesday" is not a date$/,
		],
		[
			'currencies, which carry no timestamps',
			{ resource: 'currency' },
			/^Coupa's Currency records carry no updated-at, so the trigger cannot tell which changed$/,
		],
	])('%s', async (_case, parameters, message) => {
		const failed = await trigger(parameters).poll();
		expect(failed.error?.message).toMatch(message);
		expect(coupa.apiRequests()).toHaveLength(0);
	});

	test('currencies are not offered, and the simulator gives them no timestamps, as Coupa', async () => {
		const { description } = trigger().workflow.nodeTypes.getByName(COUPA_TRIGGER_NODE) as INodeType;
		const resource = description.properties.find((property) => property.name === 'resource');
		const offered = (resource?.options ?? []).map((option) => (option as { value: string }).value);
		expect(offered).toContain('invoice');
		expect(offered).not.toContain('currency');
		expect(Object.keys(coupa.records('currencies')[0])).not.toEqual(
			expect.arrayContaining(['updated-at']),
		);
		expect(Object.keys(coupa.records('currencies')[0])).not.toEqual(
			expect.arrayContaining(['created-at']),
		);
	});
});

test.each([
	['updated', 'updated_at'],
	['created', 'created_at'],
])('manual mode asks for the newest record by %s with order_by=%s', async (event, orderBy) => {
	await trigger({ event }).poll('manual');
	expect(coupa.apiRequests()[0].query).toMatchObject({
		order_by: orderBy,
		dir: 'desc',
		limit: '1',
	});
});

test("a start date ahead of Coupa's clock emits nothing before it, and what follows it once", async () => {
	const start = new Date(T0 + 30_000).toISOString();
	const poller = trigger({ options: { startDate: start } });
	expect((await poller.poll()).items).toEqual([]);
	coupa.advance(5000);
	touch(2);
	expect((await poller.poll()).items).toEqual([]);
	coupa.advance(35_000);
	touch(3);
	expect(ids((await poller.poll()).items)).toEqual([3]);
	expect((await poller.poll()).items).toEqual([]);
});
