/**
 * Deadlines shared by every exchange with Coupa, the sign-in included: the default Timeout, a
 * timer that never keeps n8n's process alive, and how a time is written in messages.
 */

/**
 * One request's whole exchange, body included. Coupa answers a page of 50 full records in a few
 * seconds; a minute leaves room for a slow instance while a stalled or trickling server fails in
 * a minute rather than n8n's 5 minutes per attempt. Test connection, which has no node options,
 * signs in under this limit too.
 */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * How often a request that timed out is sent again (never more than Max Retries). A second full
 * Timeout without an answer means Coupa or the network to it is down: more attempts would only
 * hide that for minutes. A slow Coupa needs a longer Timeout, not more of them.
 */
export const MAX_TIMEOUT_RETRIES = 1;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Resolves with `value` after `ms`; `clear` drops the listener. Built on `AbortSignal.timeout`,
 * whose timer never keeps n8n's process alive.
 */
export function timer<T>(
	ms: number,
	value: T,
): { promise: Promise<T>; signal: AbortSignal; clear: () => void } {
	const signal = AbortSignal.timeout(Math.max(1, Math.ceil(ms)));
	let onAbort: () => void = () => undefined;
	const promise = new Promise<T>((resolve) => {
		onAbort = () => resolve(value);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	return { promise, signal, clear: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * What an exchange tells the sign-in it may trigger (n8n runs the credential's preAuthentication
 * inside the exchange, with only the caller's helpers): when the exchange must end, and, while the
 * sign-in runs, the token endpoint it waits on, so a stall there is reported as the sign-in's.
 * It rides on the helpers object under this key; a sign-in without it (Test connection) gets the
 * default Timeout.
 */
export const SIGN_IN_WATCH = 'coupaSignInWatch';

export interface SignInWatch {
	/** Epoch ms by which the sign-in must have ended. */
	deadline: number;
	/** The token endpoint while a token request for this exchange is in flight. */
	waitingOn?: string;
	/**
	 * The token endpoint whose request ended at its deadline. Told here because n8n 1.x hands the
	 * sign-in's error on rewrapped, without the error itself.
	 */
	timedOutAt?: string;
}
