/**
 * A Get Many too large for n8n's memory stops with an error that says what to do, counted in the
 * bytes Coupa sent (nodes/shared/transport/readBudget.ts).
 */
import { ALL_SCOPES, DEFAULT_CLIENT } from './coupa-simulator';
import { RemoteCoupa } from './coupa-simulator/process';
import { COUPA_NODE, credentialsWith, runNode } from './harness/engine';
import { READ_BUDGET_BYTES, ReadBudget } from '../nodes/shared/operations/readBudget';

test('the budget counts bytes, not records, and says what to do', () => {
	const budget = new ReadBudget(20 * 1024 * 1024);
	budget.add(20 * 1024 * 1024, 1000);
	expect(budget.over).toBe(false);
	budget.add(1, 1);
	expect(budget.over).toBe(true);
	const { message, description } = budget.refusal();
	expect(message).toBe(
		"Stopped after 1,001 records (20 MB of JSON): more would not fit in n8n's memory (20 MB for one read)",
	);
	for (const advice of [
		'Options › Fields',
		'Simplify',
		'Limit',
		'"ID" Greater Than',
		'loop',
		'Coupa Trigger',
	])
		expect(description).toContain(advice);
	expect(READ_BUDGET_BYTES).toBe(256 * 1024 * 1024);
});

describe('through the engine, 13,000 real-size purchase orders (about 280 MB of JSON)', () => {
	let coupa: RemoteCoupa;
	beforeAll(async () => {
		coupa = await RemoteCoupa.start({ seedCounts: { purchase_orders: 13_000 }, realRecords: true });
	}, 120_000);
	afterAll(async () => await coupa.stop());

	const getMany = async (parameters: Record<string, unknown>) => {
		const credentials = credentialsWith({
			url: coupa.url,
			authType: 'oAuth2ClientCredentials',
			clientId: DEFAULT_CLIENT.id,
			clientSecret: DEFAULT_CLIENT.secret,
			scope: ALL_SCOPES.join(' '),
		});
		const before = (await coupa.stats()).calls.length;
		const run = await runNode(credentials, COUPA_NODE, {
			resource: 'purchaseOrder',
			operation: 'getAll',
			...parameters,
		} as never);
		return { run, calls: (await coupa.stats()).calls.length - before };
	};

	test('Return All stops past the budget, before the end, with the advice', async () => {
		expect(coupa.jsonMb).toBeGreaterThan(256);
		const { run, calls } = await getMany({ returnAll: true });
		expect(run.error?.message).toMatch(
			/^Stopped after [\d,]+ records \(25[6-9] MB of JSON\): more would not fit in n8n's memory \(256 MB for one read\)$/,
		);
		expect((run.error as { description?: string }).description).toContain('Options › Fields');
		expect(run.items).toHaveLength(0);
		expect(calls).toBeLessThan(13_000 / 50);
	}, 180_000);

	test('the same listing with Fields picking little of each record reads everything', async () => {
		const { run } = await getMany({
			returnAll: true,
			options: { fields: '["id","po-number","status"]' },
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(13_000);
	}, 180_000);
});
