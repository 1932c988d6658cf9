/**
 * The Coupa Call Out Trigger (dist/) served through n8n-core's real webhook context, called by the
 * simulator's call-out sender as Coupa calls: token request, then the call with the token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { issueToken } from '../nodes/CoupaCallOutTrigger/callOutToken';
import { pairProblem } from '../nodes/CoupaCallOutTrigger/CoupaCallOutTrigger.node';
import type { CallOutEndpoint } from './coupa-simulator';
import { CoupaSimulator, coupaXml, requestCallOutToken, sendCallOut } from './coupa-simulator';
import type { WorkflowJson } from './harness/engine';
import { credentialsWith } from './harness/engine';
import { oauthCredential } from './support/setup';
import type { ServedTrigger } from './harness/webhook';
import { serveCallOutTrigger } from './harness/webhook';

const CLIENT = { clientId: 'coupa-call-outs', clientSecret: 'call-out-secret-0123456789-abcdef' };
const credentials = () => credentialsWith(CLIENT, 'coupaCallOutApi', 'callout');
const REFUSED = { statusCode: 401, message: 'Unauthorized. Access token is missing or invalid.' };

const requisition = {
	id: 4201,
	'created-at': '2026-01-05T09:00:00-08:00',
	'updated-at': '2026-01-05T09:30:00-08:00',
	status: 'pending_approval',
	total: 1250.5,
	'mobile-total': null,
	'ship-to-attention': 'Dock 4 & 5',
	exported: false,
	'requested-by': { id: 17, login: 'jdoe' },
	'requisition-lines': [
		{ id: 1, 'line-num': 1, description: 'Standing desk', quantity: 2 },
		{ id: 2, 'line-num': 2, description: 'Monitor arm', quantity: 2 },
	],
};

let trigger: ServedTrigger;
let endpoint: CallOutEndpoint;

async function serve(
	parameters: Record<string, unknown> = {},
	ids?: { workflowId?: string; webhookId?: string },
) {
	const served = await serveCallOutTrigger(
		credentials(),
		{ authentication: 'coupaCallOutApi', responseMode: 'onReceived', ...parameters },
		ids,
	);
	return served;
}

beforeEach(async () => {
	trigger = await serve();
	endpoint = { tokenUrl: trigger.tokenUrl, url: trigger.callOutUrl, ...CLIENT };
});
afterEach(async () => {
	await trigger.stop();
});

describe('the token exchange Coupa makes', () => {
	test("form-encoded (Coupa's default) with a scope, and JSON: a bearer token for a day", async () => {
		for (const tokenContentType of ['form', 'json'] as const) {
			const { exchange, token, error } = await requestCallOutToken({
				...endpoint,
				tokenContentType,
				scope: 'any.scope',
			});
			expect(error).toBeUndefined();
			expect(exchange.status).toBe(200);
			expect(exchange.headers['cache-control']).toBe('no-store');
			const body = JSON.parse(exchange.body) as Record<string, unknown>;
			expect(body).toEqual({ access_token: token, token_type: 'bearer', expires_in: 86399 });
		}
		expect(trigger.runs).toHaveLength(0);
	});

	test("a wrong secret, a wrong client id or no Basic header: 401 in Coupa's shape, no token, no run", async () => {
		for (const wrong of [
			{ ...endpoint, clientSecret: 'wrong-secret' },
			{ ...endpoint, clientId: 'someone-else' },
		]) {
			const { exchange, token } = await requestCallOutToken(wrong);
			expect(token).toBeUndefined();
			expect(exchange.status).toBe(401);
			expect(JSON.parse(exchange.body)).toEqual({
				statusCode: 401,
				message: 'Unauthorized. Client ID or secret is missing or invalid.',
			});
			expect(exchange.body).not.toContain('wrong-secret');
		}
		const bare = await fetch(trigger.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(bare.status).toBe(401);
		expect(trigger.runs).toHaveLength(0);
	});

	test('another grant type is refused with 400', async () => {
		const auth = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64url');
		const answer = await fetch(trigger.tokenUrl, {
			method: 'POST',
			headers: {
				authorization: `Basic ${auth}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'grant_type=password',
		});
		expect(answer.status).toBe(400);
		expect(await answer.json()).toEqual({
			statusCode: 400,
			message: 'Unsupported grant_type: only client_credentials is supported.',
		});
	});
});

describe('a call out', () => {
	test('JSON: one run whose item is the document as sent; Coupa gets 200', async () => {
		const result = await sendCallOut(endpoint, requisition, {
			format: 'json',
			objectType: 'requisition-header',
		});
		expect(result.error).toBeUndefined();
		expect(result.call?.status).toBe(200);
		expect(trigger.runs).toEqual([[{ json: requisition }]]);
	});

	test('XML with Rails types: the item is the same object the Coupa node returns for JSON', async () => {
		const result = await sendCallOut(endpoint, requisition, {
			format: 'xml',
			objectType: 'requisition-header',
		});
		expect(result.call?.status).toBe(200);
		// Coupa's JSON carries decimals as strings ("decimal precision ... is a string").
		expect(trigger.runs).toEqual([[{ json: { ...requisition, total: '1250.5' } }]]);
	});

	test("refused calls get 401 in Coupa's shape and start nothing", async () => {
		const good = (await requestCallOutToken(endpoint)).token as string;
		const [version, payload] = good.split('.');
		const cases: Array<[string, string | null, typeof REFUSED]> = [
			['no token', null, REFUSED],
			[
				'a forged token (its signature from another token)',
				`${version}.${payload}.${issueToken(CLIENT, 'x').split('.')[2]}`,
				REFUSED,
			],
			[
				'a token signed with another secret',
				issueToken(
					{ ...CLIENT, clientSecret: 'an-older-rotated-secret-0000000' },
					'callout-workflow/b6f1c1f0-0000-4000-8000-000000000001',
				),
				REFUSED,
			],
			[
				'an expired token (issued two days ago)',
				issueToken(
					CLIENT,
					'callout-workflow/b6f1c1f0-0000-4000-8000-000000000001',
					Date.now() - 2 * 86_400_000,
				),
				{ statusCode: 401, message: 'Unauthorized. Access token has expired.' },
			],
			['garbage', 'not-a-token', REFUSED],
		];
		for (const [what, token, expected] of cases) {
			const result = await sendCallOut(endpoint, requisition, {
				format: 'json',
				objectType: 'requisition-header',
				token,
			});
			expect({
				what,
				status: result.call?.status,
				body: JSON.parse(result.call?.body ?? '{}'),
			}).toEqual({ what, status: 401, body: expected });
			expect(result.call?.headers['www-authenticate']).toMatch(/^Bearer /);
		}
		expect(trigger.runs).toHaveLength(0);
		expect(trigger.webhookCalls).toBe(cases.length + 1);
	});

	test("a token of another workflow's trigger (same client and secret) is refused", async () => {
		const other = await serve(
			{},
			{ workflowId: 'other-workflow', webhookId: 'b6f1c1f0-0000-4000-8000-000000000002' },
		);
		try {
			const otherToken = (await requestCallOutToken({ ...endpoint, tokenUrl: other.tokenUrl }))
				.token as string;
			const result = await sendCallOut(endpoint, requisition, {
				format: 'json',
				objectType: 'requisition-header',
				token: otherToken,
			});
			expect(result.call?.status).toBe(401);
			expect(JSON.parse(result.call?.body ?? '')).toEqual(REFUSED);
			expect(trigger.runs).toHaveLength(0);
			// ...and it opens its own trigger.
			expect(
				(
					await sendCallOut({ ...endpoint, url: other.callOutUrl }, requisition, {
						format: 'json',
						objectType: 'requisition-header',
						token: otherToken,
					})
				).call?.status,
			).toBe(200);
			expect(other.runs).toHaveLength(1);
		} finally {
			await other.stop();
		}
	});

	test('a rotated secret refuses the tokens issued with the old one', async () => {
		const oldToken = (await requestCallOutToken(endpoint)).token as string;
		const rotated = await serveCallOutTrigger(
			credentialsWith(
				{ ...CLIENT, clientSecret: 'the-new-secret-after-rotation-123' },
				'coupaCallOutApi',
				'callout',
			),
			{ authentication: 'coupaCallOutApi' },
		);
		try {
			const result = await sendCallOut({ ...endpoint, url: rotated.callOutUrl }, requisition, {
				format: 'json',
				objectType: 'requisition-header',
				token: oldToken,
			});
			expect(result.call?.status).toBe(401);
			expect(rotated.runs).toHaveLength(0);
		} finally {
			await rotated.stop();
		}
	});

	test('hostile or empty bodies from an authenticated caller: 400, 413 or 415, never a run', async () => {
		const token = (await requestCallOutToken(endpoint)).token as string;
		const post = async (body: string | Buffer, contentType = 'application/xml') => {
			const answer = await fetch(trigger.callOutUrl, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
				body,
			});
			return {
				status: answer.status,
				body: (await answer.json()) as { statusCode?: number; message: string },
			};
		};
		const laughs =
			'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
		const billion = await post(laughs);
		expect(billion.status).toBe(400);
		expect(billion.body.message).toMatch(/DOCTYPE and ENTITY are not read/);
		expect((await post('<a><b></a>')).status).toBe(400);
		expect((await post('')).body).toEqual({
			statusCode: 400,
			message: 'The call out carried no document (empty body).',
		});
		expect((await post('hello', 'text/plain')).status).toBe(415);
		// 12 MB: within n8n's 16 MB payload limit, beyond the trigger's 10 MB default.
		const large = await post(
			Buffer.concat([
				Buffer.from('<a>'),
				Buffer.alloc(12 * 1024 * 1024, 0x61),
				Buffer.from('</a>'),
			]),
		);
		expect(large.status).toBe(413);
		// 50 MB: n8n's own limit answers before the trigger is called.
		const before = trigger.webhookCalls;
		expect(
			(
				await fetch(trigger.callOutUrl, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}` },
					body: Buffer.alloc(50 * 1024 * 1024, 0x20),
				})
			).status,
		).toBe(413);
		expect(trigger.webhookCalls).toBe(before);
		expect(trigger.runs).toHaveLength(0);
	});

	test('authentication none takes any call (for trying out only)', async () => {
		const open = await serve({ authentication: 'none' });
		try {
			const result = await sendCallOut({ ...endpoint, url: open.callOutUrl }, requisition, {
				format: 'json',
				objectType: 'requisition-header',
				token: null,
			});
			expect(result.call?.status).toBe(200);
			expect(open.runs).toHaveLength(1);
		} finally {
			await open.stop();
		}
	});
});

describe('ignore repeats', () => {
	test('the same document version within the window runs once; a new updated-at runs again', async () => {
		const dedup = await serve({ options: { ignoreRepeatsMinutes: 10 } });
		try {
			const send = async (document: Record<string, unknown>, format: 'json' | 'xml') =>
				await sendCallOut(
					{ ...endpoint, tokenUrl: dedup.tokenUrl, url: dedup.callOutUrl },
					document,
					{ format, objectType: 'requisition-header' },
				);
			expect((await send(requisition, 'xml')).call?.status).toBe(200);
			const repeat = await send(requisition, 'xml');
			expect(repeat.call?.status).toBe(200);
			expect(JSON.parse(repeat.call?.body ?? '')).toEqual({
				statusCode: 200,
				message: 'Already received: this version of the document was not run again.',
				repeat: true,
			});
			expect(dedup.runs).toHaveLength(1);
			await send({ ...requisition, 'updated-at': '2026-01-05T10:00:00-08:00' }, 'xml');
			expect(dedup.runs).toHaveLength(2);
			expect(Object.keys(dedup.staticData).length).toBeGreaterThan(0);
		} finally {
			await dedup.stop();
		}
	});

	test('off by default: a repeated call runs each time', async () => {
		await sendCallOut(endpoint, requisition, { format: 'json', objectType: 'requisition-header' });
		await sendCallOut(endpoint, requisition, { format: 'json', objectType: 'requisition-header' });
		expect(trigger.runs).toHaveLength(2);
	});
});

describe('the example workflow', () => {
	let coupa: CoupaSimulator;
	beforeAll(async () => {
		coupa = await CoupaSimulator.start();
	});
	afterAll(async () => {
		await coupa.stop();
	});

	test('a call out checks the requisition, writes the verdict back through the Coupa node, answers Coupa', async () => {
		const helper = credentialsWith(oauthCredential(coupa));
		helper.save('callout', 'coupaCallOutApi', CLIENT);
		const workflow = JSON.parse(
			readFileSync(
				path.join(__dirname, '..', 'examples', 'call-out-validate-requisition.json'),
				'utf8',
			),
		) as WorkflowJson;
		const served = await serveCallOutTrigger(helper, {}, { workflow });
		try {
			const target = coupa.records('requisitions')[0];
			const result = await sendCallOut(
				{ ...endpoint, tokenUrl: served.tokenUrl, url: served.callOutUrl },
				{ ...target, total: 99 },
				{ format: 'xml', objectType: 'requisition-header' },
			);
			expect(result.call?.status).toBe(200);
			const puts = coupa.apiRequests().filter((r) => r.method === 'PUT');
			expect(puts.map((r) => r.path)).toEqual([`/api/requisitions/${String(target.id)}`]);
			expect(
				(
					coupa.record('requisitions', target.id as number)?.['custom-fields'] as Record<
						string,
						unknown
					>
				)['project-code'],
			).toBe('n8n: ok');
			expect(served.outputs[0]['Answer Coupa'][0].json).toEqual({
				'validation-result': 'ok',
				'external-id': `N8N-${String(target.id)}`,
			});
		} finally {
			await served.stop();
		}
	});
});

test('the credential test checks the pair is usable and hard to guess', () => {
	expect(pairProblem('', 'x'.repeat(30))).toMatch(/Client ID/);
	expect(pairProblem('a:b', 'x'.repeat(30))).toMatch(/colon/);
	expect(pairProblem('coupa', 'short')).toMatch(/at least 24/);
	expect(pairProblem(CLIENT.clientId, CLIENT.clientSecret)).toBeUndefined();
	expect(coupaXml('a', { b: 1 })).toContain('<b type="integer">1</b>');
});
