/**
 * A call in a slot of the package's limiter, for the benchmark's baselines and model (the package
 * itself takes and releases its slots in transport/request). `acquire` is the limiter of the
 * module instance the caller measures against (the built one for the baselines).
 */
import type { RequestRates, RequestSlot } from '../nodes/shared/transport/rateLimiter';
import { acquireRequestSlot } from '../nodes/shared/transport/rateLimiter';

type Acquire = (rates: RequestRates) => Promise<RequestSlot>;

export function limitedBy(acquire: Acquire) {
	return async <T>(
		rates: RequestRates,
		send: () => Promise<T>,
		statusOf: (error: unknown) => number | undefined,
	): Promise<T> => {
		const slot = await acquire(rates);
		const sent = send();
		void sent.then(() => 200, statusOf).then((status) => slot.release({ status }));
		return await sent;
	};
}

export const sendLimited = limitedBy(acquireRequestSlot);
