/**
 * The record pickers (resource locators' "From List" mode): Coupa's records of the chosen object,
 * named as a person knows them, 50 a page, the search text matched by Coupa itself.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CoupaResource } from '../schema/catalog';
import { lowerName, RESOURCES_BY_VALUE } from '../schema/catalog';
import {
	recordName,
	recordPageUrl,
	searchField,
	titleFieldList,
	titleFields,
} from '../schema/recordKeys';
import { readForEditor } from '../operations/editorRead';
import { filterKey } from '../operations/filters';
import {
	fillPathTemplate,
	parentTarget,
	RecordIdError,
	resolveRecordId,
} from '../operations/recordId';
import { assertInstanceUrl } from '../transport/request';

/** Coupa's page size: one page of the picker is one call. */
export const PICKER_PAGE_SIZE = 50;

const MAX_SEARCH_LENGTH = 200;

function chosenResource(ctx: ILoadOptionsFunctions): CoupaResource {
	const value = ctx.getNodeParameter('resource', '') as string;
	const resource = RESOURCES_BY_VALUE.get(value);
	if (!resource) throw new NodeOperationError(ctx.getNode(), 'Choose a Coupa resource first');
	return resource;
}

/** The query that matches the search text, or undefined when nothing can match it. */
function searchQuery(resource: CoupaResource, text: string): IDataObject | undefined {
	if (text === '') return {};
	// Objects only their id names (approvals, receipts) are searched by id.
	if (/^\d{1,18}$/.test(text) && titleFields(resource).includes('id')) return { id: text };
	const field = searchField(resource);
	return field ? { [`${filterKey(field)}[contains]`]: text } : undefined;
}

async function searchCollection(
	ctx: ILoadOptionsFunctions,
	resource: CoupaResource,
	path: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// A search box, not a document: a bounded query string.
	const match = searchQuery(resource, (filter ?? '').trim().slice(0, MAX_SEARCH_LENGTH));
	if (!match) return { results: [] };
	const offset = /^\d{1,9}$/.test(paginationToken ?? '') ? Number(paginationToken) : 0;
	const { instance, records } = await readForEditor(ctx, resource, path, {
		...match,
		// Newest first, and only the fields that name a record: a page stays small.
		order_by: 'id',
		dir: 'desc',
		fields: JSON.stringify(titleFieldList(resource)),
		limit: PICKER_PAGE_SIZE,
		offset,
	});
	return {
		results: records
			.filter((record) => record.id !== undefined && record.id !== null)
			.map((record) => ({
				name: recordName(resource, record),
				value: String(record.id),
				url: recordPageUrl(instance, resource, String(record.id)),
			})),
		// A full page may have a next one; a short page is the last.
		paginationToken:
			records.length >= PICKER_PAGE_SIZE ? String(offset + records.length) : undefined,
	};
}

/** The collection path of a resource, with its parent's id when it is nested. */
async function collectionPath(
	ctx: ILoadOptionsFunctions,
	resource: CoupaResource,
): Promise<string> {
	const parent = parentTarget(resource);
	if (!parent) return resource.path;
	const { instance } = await assertInstanceUrl(ctx);
	let parentId: string;
	try {
		parentId = resolveRecordId(ctx.getNodeParameter('parentId', ''), parent, instance);
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Choose the ${lowerName(parent.name)} first: ${(error as Error).message}`,
			{
				description: error instanceof RecordIdError ? error.description : undefined,
			},
		);
	}
	return fillPathTemplate(resource.path, { parentId });
}

/** Records of the chosen resource, for the `id` picker. */
export async function searchRecords(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const resource = chosenResource(this);
	return await searchCollection(
		this,
		resource,
		await collectionPath(this, resource),
		filter,
		paginationToken,
	);
}

/** Records of the parent object of a nested collection, for the `parentId` picker. */
export async function searchParents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const resource = chosenResource(this);
	const parent = resource.parent?.resource
		? RESOURCES_BY_VALUE.get(resource.parent.resource)
		: undefined;
	if (!parent || parent.path.includes('{')) {
		throw new NodeOperationError(
			this.getNode(),
			`${resource.name} records cannot be listed by parent: enter the parent's ID or URL`,
		);
	}
	return await searchCollection(this, parent, parent.path, filter, paginationToken);
}
