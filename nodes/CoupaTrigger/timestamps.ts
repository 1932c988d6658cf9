/**
 * Which of Coupa's timestamps a resource's records carry, from its schema in the digest of
 * Coupa's specs: the trigger can only watch an object through `created-at` or `updated-at`
 * (currencies have neither).
 */
import { schemaFields } from '../shared/schema/digest';
import type { CoupaResource } from '../shared/schema/catalog';

export const TIMESTAMP_FIELDS = ['created-at', 'updated-at'] as const;
export type TimestampField = (typeof TIMESTAMP_FIELDS)[number];

/** The timestamps the resource's records carry; every one when the digest has no schema for it. */
export function timestampsOf(resource: CoupaResource): Set<TimestampField> {
	if (resource.schema === undefined) return new Set(TIMESTAMP_FIELDS);
	const names = new Set(schemaFields(resource.schema).map((field) => field.name));
	return new Set(TIMESTAMP_FIELDS.filter((name) => names.has(name)));
}
