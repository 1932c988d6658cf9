/**
 * Users paste their Coupa URL in every shape: with or without `https://`, `/api`, a trailing
 * slash, or a whole page address copied from the browser. Coupa serves its API at the origin's
 * `/api/`, so the origin is all we keep.
 */

import { hasControlCharacters, withoutControlCharacters } from './errors';

/** The only hosts a secret may reach over plain http: this machine (a local test server). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const isLoopbackHost = (host: string) => LOOPBACK_HOSTS.has(host.toLowerCase());

const LOOPBACK_PATTERN = [...LOOPBACK_HOSTS]
	.map((host) => host.replace(/[.[\]]/g, (c) => `\\${c}`))
	.join('|');

export const EXPECTED_URL_SHAPE = 'https://your-company.coupahost.com';

const HTTPS_ONLY =
	'Coupa serves its API over HTTPS only; http:// is accepted for localhost and 127.0.0.1 only';

/**
 * The origin `normaliseInstanceUrl` computes, as the body of an n8n expression over `source`'s
 * URL field: the credentials' test requests, derived OAuth URLs and the node's `requestDefaults`
 * are evaluated by n8n, not by our code. An http:// URL of any other host becomes https://, so
 * no URL n8n builds from it sends a secret in clear text.
 */
export const instanceOriginExpression = (source: '$credentials' | '$self') =>
	`String(${source}.url).trim().replace(/^(?!https?:\\/\\/)/i, 'https://').replace(/^http:\\/\\/(?!(?:${LOOPBACK_PATTERN})(?:[:\\/?#]|$))/i, 'https://').replace(/^(https?:\\/\\/[^\\/?#]+).*$/i, '$1')`;

export const API_BASE_URL_EXPRESSION = `={{ ${instanceOriginExpression('$credentials')} }}/api`;

export class InstanceUrlError extends Error {}

/**
 * Runs a URL check and hands back its message instead of throwing it, so each caller raises the
 * error kind its context needs (a node error, a sign-in error).
 */
export function checkUrl(
	resolve: () => string,
): { url: string; problem?: undefined } | { url?: undefined; problem: string } {
	try {
		return { url: resolve() };
	} catch (error) {
		return { problem: (error as InstanceUrlError).message };
	}
}

/** The URL as the user typed it, for messages: any `user:password@` cut, bounded. */
function displayed(text: string): string {
	const shown = withoutControlCharacters(text).replace(
		/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#@\s]*@/i,
		'$1***@',
	);
	return shown.length > 100 ? `${shown.slice(0, 100)}…` : shown;
}

/** Returns `https://host` for any accepted shape; throws `InstanceUrlError` for what cannot be a Coupa URL. */
export function normaliseInstanceUrl(raw: unknown, parameterName = 'URL'): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (!text) {
		throw new InstanceUrlError(
			`The credential's ${parameterName} is empty. Enter your Coupa instance, e.g. ${EXPECTED_URL_SHAPE}`,
		);
	}
	// A line break or space inside the URL is a paste gone wrong; browsers would silently drop it.
	if (/\s/.test(text) || hasControlCharacters(text)) {
		throw new InstanceUrlError(
			`The credential's ${parameterName} "${displayed(text)}" contains spaces or line breaks. Use the shape ${EXPECTED_URL_SHAPE}`,
		);
	}
	const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`;
	const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
	if (!url) {
		throw new InstanceUrlError(
			`The credential's ${parameterName} "${displayed(text)}" is not a URL. Use the shape ${EXPECTED_URL_SHAPE}`,
		);
	}
	// A user name or password in the URL would be sent along by some HTTP layers and shown by others.
	if (
		url.username ||
		url.password ||
		/@/.test(text.replace(/^https?:\/\//i, '').split(/[/?#]/)[0])
	) {
		throw new InstanceUrlError(
			`The credential's ${parameterName} must not contain a user name or password ("${displayed(text)}"). Coupa signs in with the Client ID and Secret, an API key or a token: enter them in their own fields and the URL as ${EXPECTED_URL_SHAPE}`,
		);
	}
	const host = url.hostname.toLowerCase();
	const isLoopback = isLoopbackHost(host);
	if (!isLoopback && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) {
		throw new InstanceUrlError(
			`The credential's ${parameterName} "${displayed(text)}" has no valid host name. Use the shape ${EXPECTED_URL_SHAPE}`,
		);
	}
	// Plain http would send the client secret and tokens in clear text; only a local test server may use it.
	if (url.protocol === 'http:' && !isLoopback) {
		throw new InstanceUrlError(
			`The credential's ${parameterName} must use https:// (${HTTPS_ONLY})`,
		);
	}
	return url.origin;
}

/** Where the client credentials grant fetches its token: the field's value, or `{instance}/oauth2/token`. */
export function resolveAccessTokenUrl(instanceUrl: unknown, accessTokenUrl: unknown): string {
	// Checked even when the token comes from elsewhere: the token then travels to the instance.
	const instance = normaliseInstanceUrl(instanceUrl);
	const custom = typeof accessTokenUrl === 'string' ? accessTokenUrl.trim() : '';
	if (!custom) return `${instance}/oauth2/token`;
	const origin = normaliseInstanceUrl(custom, 'Access Token URL');
	return `${origin}${new URL(/^https?:\/\//i.test(custom) ? custom : `https://${custom}`).pathname}`;
}

/**
 * Why a request must not carry a Coupa secret: it would travel over plain http to another
 * machine. The last check before `authenticate` adds a key or token, whatever built the request
 * (this package's nodes, or n8n's HTTP Request node using the credential).
 */
export function plainHttpProblem(request: {
	url?: string;
	uri?: unknown;
	baseURL?: string;
}): string | undefined {
	const target =
		typeof request.url === 'string'
			? request.url
			: typeof request.uri === 'string'
				? request.uri
				: '';
	const base = request.baseURL || undefined;
	const url = URL.canParse(target, base) ? new URL(target, base) : undefined;
	if (url?.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
	return `Refused to send the Coupa credential to ${url.origin} over plain http://. Use https:// (${HTTPS_ONLY}).`;
}
