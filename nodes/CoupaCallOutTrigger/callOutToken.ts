/**
 * The OAuth 2.0 client credentials exchange a Coupa call out makes with its receiver, on the
 * receiving side: the client's Basic credentials checked, and stateless access tokens issued and
 * verified. A token is signed with a key derived from the client's id and secret and names the
 * trigger it was issued by, so it needs no shared store (any n8n process can check it), a changed
 * secret invalidates every earlier token, and a token of one workflow's trigger opens no other.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Coupa's documented example answer uses 86399 seconds (a day less one second). */
export const TOKEN_LIFETIME_SECONDS = 86_399;
const TOKEN_VERSION = 'cco1';
/** Far above the 1,258 characters Coupa says it has handled, far below anything costly to check. */
const MAX_TOKEN_LENGTH = 2048;
const MAX_BASIC_LENGTH = 4096;

export interface ClientCredentials {
	clientId: string;
	clientSecret: string;
}

/** Per process: it only blinds the comparison (both sides are hashed with it), it signs nothing. */
const comparisonKey = randomBytes(32);

/** Constant-time equality of two strings of any lengths: their keyed digests are compared. */
export function sameSecret(presented: string, expected: string): boolean {
	const a = createHmac('sha256', comparisonKey).update(presented, 'utf8').digest();
	const b = createHmac('sha256', comparisonKey).update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

/**
 * Whether an `Authorization` header carries these client credentials as Basic
 * `base64(clientId:clientSecret)`; Coupa encodes them URL-safe (`-` and `_`), the standard alphabet
 * is accepted as well, with or without padding.
 */
export function basicMatches(header: string | undefined, credentials: ClientCredentials): boolean {
	if (!credentials.clientId || !credentials.clientSecret) return false;
	const match = /^Basic +([A-Za-z0-9+/_-]+={0,2}) *$/i.exec(header ?? '');
	if (!match || header!.length > MAX_BASIC_LENGTH) return false;
	const presented = Buffer.from(match[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString(
		'utf8',
	);
	return sameSecret(presented, `${credentials.clientId}:${credentials.clientSecret}`);
}

/** The signing key of one client: a changed id or secret changes it. */
function signingKey(credentials: ClientCredentials): Buffer {
	return createHmac('sha256', credentials.clientSecret)
		.update(`n8n-nodes-coupa call out token\u0000${credentials.clientId}`)
		.digest();
}

function sign(key: Buffer, payload: string): string {
	return createHmac('sha256', key).update(`${TOKEN_VERSION}.${payload}`).digest('base64url');
}

interface TokenClaims {
	/** The trigger the token opens: workflow id and the node's webhook id. */
	aud: string;
	/** Expiry, seconds since the epoch. */
	exp: number;
	iat: number;
}

/** A token for `audience`, valid `lifetime` seconds from `now` (ms). */
export function issueToken(
	credentials: ClientCredentials,
	audience: string,
	now = Date.now(),
	lifetime = TOKEN_LIFETIME_SECONDS,
): string {
	const iat = Math.floor(now / 1000);
	const claims: TokenClaims = { aud: audience, exp: iat + lifetime, iat };
	const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
	return `${TOKEN_VERSION}.${payload}.${sign(signingKey(credentials), payload)}`;
}

export type TokenVerdict =
	| { ok: true }
	| { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'audience' | 'expired' };

/** Checks an `Authorization: Bearer <token>` header for `audience` at `now` (ms). */
export function verifyBearer(
	header: string | undefined,
	credentials: ClientCredentials,
	audience: string,
	now = Date.now(),
): TokenVerdict {
	const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
	if (!match) return { ok: false, reason: 'missing' };
	const token = match[1];
	if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
	const parts = token.split('.');
	if (
		parts.length !== 3 ||
		parts[0] !== TOKEN_VERSION ||
		!/^[A-Za-z0-9_-]+$/.test(parts[1]) ||
		!/^[A-Za-z0-9_-]{43}$/.test(parts[2])
	) {
		return { ok: false, reason: 'malformed' };
	}
	if (!credentials.clientId || !credentials.clientSecret) return { ok: false, reason: 'signature' };
	// Both signatures are 32 bytes: timingSafeEqual compares them whole.
	const expected = Buffer.from(sign(signingKey(credentials), parts[1]), 'base64url');
	const presented = Buffer.from(parts[2], 'base64url');
	if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
		return { ok: false, reason: 'signature' };
	let claims: Partial<TokenClaims>;
	try {
		claims = JSON.parse(
			Buffer.from(parts[1], 'base64url').toString('utf8'),
		) as Partial<TokenClaims>;
	} catch {
		return { ok: false, reason: 'malformed' };
	}
	if (typeof claims.aud !== 'string' || !sameSecret(claims.aud, audience))
		return { ok: false, reason: 'audience' };
	if (typeof claims.exp !== 'number' || Math.floor(now / 1000) >= claims.exp)
		return { ok: false, reason: 'expired' };
	return { ok: true };
}

export interface GrantRequest {
	grantType?: string;
	scope?: string;
}

/**
 * `grant_type` and `scope` of a token request: form-encoded (Coupa's default) or JSON (when the
 * endpoint's content type is JSON). `raw` is the body as received; `parsed` what n8n made of it,
 * used when the raw body is not at hand.
 */
export function readGrant(
	contentType: string | undefined,
	raw: Buffer | undefined,
	parsed: unknown,
): GrantRequest {
	const fromObject = (value: unknown): GrantRequest => {
		if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
		const record = value as Record<string, unknown>;
		return {
			grantType: typeof record.grant_type === 'string' ? record.grant_type : undefined,
			scope: typeof record.scope === 'string' ? record.scope : undefined,
		};
	};
	if (raw && raw.length > 0 && raw.length <= 64 * 1024) {
		const text = raw.toString('utf8').trim();
		if (/json/i.test(contentType ?? '') || text.startsWith('{')) {
			try {
				return fromObject(JSON.parse(text));
			} catch {
				return {};
			}
		}
		const form = new URLSearchParams(text);
		return {
			grantType: form.get('grant_type') ?? undefined,
			scope: form.get('scope') ?? undefined,
		};
	}
	return fromObject(parsed);
}
