/** The call out trigger's token exchange, on its own: Basic credentials, signed tokens, their refusals. */
import { createHmac } from 'node:crypto';

import {
	basicMatches,
	issueToken,
	readGrant,
	sameSecret,
	TOKEN_LIFETIME_SECONDS,
	verifyBearer,
} from '../../nodes/CoupaCallOutTrigger/callOutToken';

const client = { clientId: 'coupa-call-outs', clientSecret: 'a-long-random-secret-of-32-chars!' };
const AUDIENCE = 'workflow1/webhook-1';
const NOW = Date.parse('2026-01-01T00:00:00Z');
const urlsafe = (text: string) => Buffer.from(text).toString('base64url');

describe('Basic client credentials', () => {
	test("Coupa's URL-safe Base64 (with or without padding) and the standard alphabet are accepted", () => {
		// Chosen so the encoding holds "-" or "_" where standard Base64 has "+" or "/".
		const tricky = { clientId: 'id>>>', clientSecret: 'secret???' };
		const pair = `${tricky.clientId}:${tricky.clientSecret}`;
		expect(urlsafe(pair)).toMatch(/[-_]/);
		expect(basicMatches(`Basic ${urlsafe(pair)}`, tricky)).toBe(true);
		expect(basicMatches(`Basic ${Buffer.from(pair).toString('base64')}`, tricky)).toBe(true);
		expect(
			basicMatches(`basic ${Buffer.from(pair).toString('base64').replace(/=+$/, '')}`, tricky),
		).toBe(true);
	});

	test('a wrong secret, a wrong id, another scheme, garbage or nothing is refused', () => {
		expect(basicMatches(`Basic ${urlsafe('coupa-call-outs:wrong')}`, client)).toBe(false);
		expect(basicMatches(`Basic ${urlsafe(`other:${client.clientSecret}`)}`, client)).toBe(false);
		expect(
			basicMatches(`Bearer ${urlsafe(`${client.clientId}:${client.clientSecret}`)}`, client),
		).toBe(false);
		expect(basicMatches('Basic !!!', client)).toBe(false);
		expect(basicMatches(undefined, client)).toBe(false);
		expect(basicMatches(`Basic ${urlsafe(':')}`, { clientId: '', clientSecret: '' })).toBe(false);
		expect(basicMatches(`Basic ${'A'.repeat(5000)}`, client)).toBe(false);
	});

	test('the comparison is of fixed-size digests, whatever the lengths', () => {
		expect(sameSecret('a', 'a')).toBe(true);
		expect(sameSecret('a', 'a'.repeat(1000))).toBe(false);
		expect(sameSecret('', '')).toBe(true);
	});
});

describe('access tokens', () => {
	const bearer = (token: string) => `Bearer ${token}`;

	test('a token issued now opens this trigger until it expires, a day less a second later', () => {
		const token = issueToken(client, AUDIENCE, NOW);
		expect(token.length).toBeLessThan(1258);
		expect(verifyBearer(bearer(token), client, AUDIENCE, NOW)).toEqual({ ok: true });
		expect(
			verifyBearer(bearer(token), client, AUDIENCE, NOW + (TOKEN_LIFETIME_SECONDS - 1) * 1000),
		).toEqual({ ok: true });
		expect(
			verifyBearer(bearer(token), client, AUDIENCE, NOW + TOKEN_LIFETIME_SECONDS * 1000),
		).toEqual({ ok: false, reason: 'expired' });
	});

	test("another workflow's trigger, a rotated secret, another client id: refused", () => {
		const token = issueToken(client, AUDIENCE, NOW);
		expect(verifyBearer(bearer(token), client, 'workflow2/webhook-2', NOW)).toEqual({
			ok: false,
			reason: 'audience',
		});
		expect(
			verifyBearer(
				bearer(token),
				{ ...client, clientSecret: `${client.clientSecret}x` },
				AUDIENCE,
				NOW,
			),
		).toEqual({ ok: false, reason: 'signature' });
		expect(verifyBearer(bearer(token), { ...client, clientId: 'other' }, AUDIENCE, NOW)).toEqual({
			ok: false,
			reason: 'signature',
		});
	});

	test('a forged token (claims changed, or signed with a key that is not the derived one) is refused', () => {
		const [version, payload, signature] = issueToken(client, AUDIENCE, NOW).split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number };
		const later = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 10 ** 6 })).toString(
			'base64url',
		);
		expect(verifyBearer(bearer(`${version}.${later}.${signature}`), client, AUDIENCE, NOW)).toEqual(
			{ ok: false, reason: 'signature' },
		);
		// Signed with the raw secret instead of the key derived from it.
		const rawSigned = createHmac('sha256', client.clientSecret)
			.update(`${version}.${later}`)
			.digest('base64url');
		expect(verifyBearer(bearer(`${version}.${later}.${rawSigned}`), client, AUDIENCE, NOW)).toEqual(
			{ ok: false, reason: 'signature' },
		);
	});

	test('missing, malformed and oversized tokens are refused before any signature work', () => {
		expect(verifyBearer(undefined, client, AUDIENCE, NOW).ok).toBe(false);
		expect(verifyBearer('Basic abc', client, AUDIENCE, NOW)).toEqual({
			ok: false,
			reason: 'missing',
		});
		expect(verifyBearer('Bearer', client, AUDIENCE, NOW)).toEqual({ ok: false, reason: 'missing' });
		expect(verifyBearer('Bearer a.b.c', client, AUDIENCE, NOW)).toEqual({
			ok: false,
			reason: 'malformed',
		});
		expect(
			verifyBearer(`Bearer cco1.${'a'.repeat(3000)}.${'b'.repeat(43)}`, client, AUDIENCE, NOW),
		).toEqual({ ok: false, reason: 'malformed' });
	});
});

describe('the token request body', () => {
	test("form-encoded (Coupa's default, scope appended) and JSON (when chosen) both read", () => {
		expect(
			readGrant(
				'application/x-www-form-urlencoded',
				Buffer.from('grant_type=client_credentials&scope=core.requisition.read'),
				{},
			),
		).toEqual({ grantType: 'client_credentials', scope: 'core.requisition.read' });
		expect(
			readGrant(
				'application/json',
				Buffer.from('{"grant_type":"client_credentials","scope":"x"}'),
				{},
			),
		).toEqual({ grantType: 'client_credentials', scope: 'x' });
		expect(readGrant(undefined, undefined, { grant_type: 'client_credentials' })).toEqual({
			grantType: 'client_credentials',
			scope: undefined,
		});
		expect(readGrant('application/json', Buffer.from('{oops'), {})).toEqual({});
	});
});
