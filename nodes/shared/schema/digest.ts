/**
 * Types of the generated digest of Coupa's R39 specs (`digest-r39.json`, written by
 * `npm run generate`), and the one place that loads it.
 */
import digestJson from './digest-r39.json';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface DigestField {
	/** Hyphenated, as Coupa spells it. */
	name: string;
	type: 'string' | 'integer' | 'number' | 'boolean' | 'dateTime' | 'date' | 'object' | 'array';
	/** The spec's format where it says more than the type (`string(255)`, `decimal(30,4)`). */
	format?: string;
	/** Element type of an array of plain values. */
	items?: string;
	enum?: string[];
	required?: boolean;
	readOnly?: boolean;
	/** The schema an object or array field refers to. */
	ref?: string;
}

export interface DigestOperation {
	/** Operation value: get, getAll, create, update, delete, or the camelCased action path. */
	value: string;
	method: HttpMethod;
	/** Path under `/api/`, with `{id}` and the parents' `{parent_id}` placeholders. */
	path: string;
	kind: 'collection' | 'member' | 'memberAction' | 'collectionAction';
	action?: string;
	/** A GET of the collection that answers a list. */
	list?: boolean;
	/** Path parameters beyond the record's and its parents' ids. */
	params?: string[];
	/** The record schema, where it differs from the resource's. */
	schema?: string;
	/** Fields of a multipart form (`attachment[file]`, `file`): the operation uploads a file. */
	form?: string[];
	query?: string[];
}

export interface DigestResource {
	value: string;
	/** The spec's tag (resource group). */
	tag: string;
	/** The spec file's module, e.g. "Core Platform", "Purchasing". */
	module: string;
	/** Collection path under `/api/`, e.g. `suppliers/{supplier_id}/addresses`. */
	path: string;
	/** Path parameters of the parent records, outermost first. */
	parents: string[];
	schema?: string;
	operations: DigestOperation[];
}

export interface Digest {
	release: string;
	sources: string[];
	counts: { operations: number; foldedPatch: number; tags: number; resources: number };
	resources: DigestResource[];
	schemas: Record<string, DigestField[]>;
}

export const DIGEST = digestJson as unknown as Digest;

/** The fields of a schema of the digest (none for an unknown name). */
export function schemaFields(schema: string | undefined): DigestField[] {
	return (schema && DIGEST.schemas[schema]) || [];
}
