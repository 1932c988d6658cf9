/** Coupa's rate-limit floor for a listing of `records`: every call past the burst at 25 per second. */
export const floorSeconds = (records: number) => (Math.floor(records / 50) + 1 - 20) / 25;
