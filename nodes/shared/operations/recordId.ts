/**
 * The record a node acts on, from whatever the user gave: a resource locator value (From List,
 * By ID, By URL), or a plain id or URL as workflows saved before the locator hold. Every id is
 * checked here, before any request: Coupa ids are whole numbers, and a URL must be a page (or API
 * address) of the right object on the credential's own instance.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CoupaResource } from '../schema/catalog';
import { aRecord, lowerName, RESOURCES, RESOURCES_BY_VALUE } from '../schema/catalog';
import { assertInstanceUrl } from '../transport/request';

export class RecordIdError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/** What an id or a URL must point at. */
export interface RecordTarget {
	/** "Purchase Order", "Supplier". */
	name: string;
	/** The parameter as the editor shows it, for messages. */
	label: string;
	/** The record's page in the web UI: `/{uiPath}/{id}`. */
	uiPath?: string;
	/** The collection under `/api/` (`suppliers/{parentId}/addresses`); the record is `{apiPath}/{id}`. */
	apiPath: string;
}

export function idTarget(resource: CoupaResource): RecordTarget {
	return {
		name: resource.name,
		label: `${resource.name} ID`,
		uiPath: resource.overlay.uiPath,
		apiPath: resource.path,
	};
}

/** The parent record of a nested collection (`suppliers/{parentId}/addresses` → a supplier). */
export function parentTarget(resource: CoupaResource): RecordTarget | undefined {
	if (!resource.parent) return undefined;
	const parent = resource.parent.resource
		? RESOURCES_BY_VALUE.get(resource.parent.resource)
		: undefined;
	return {
		name: resource.parent.name,
		label: `${resource.parent.name} ID`,
		uiPath: parent?.overlay.uiPath,
		apiPath: parent?.path ?? resource.path.slice(0, resource.path.indexOf('/{parentId}')),
	};
}

/** Coupa ids are positive 64-bit integers. */
const MAX_RECORD_ID = 9223372036854775807n;

/**
 * The package's one id rule: a positive whole number that fits Coupa's 64-bit ids, written in
 * digits only; leading zeros (an id copied from a padded export) are dropped. Undefined otherwise.
 */
export function coupaRecordId(text: string): string | undefined {
	if (!/^\d{1,40}$/.test(text)) return undefined;
	const id = text.replace(/^0+/, '');
	return id !== '' && id.length <= 19 && BigInt(id) <= MAX_RECORD_ID ? id : undefined;
}
const EXAMPLE_ID = 'Coupa record IDs are whole numbers such as 1234.';

function wholeNumber(text: string, target: RecordTarget): string {
	const id = coupaRecordId(text);
	if (id === undefined) {
		throw new RecordIdError(
			`The ${target.label} "${text.slice(0, 40)}" is not a Coupa record ID`,
			`${EXAMPLE_ID} Pick the record from the list, paste its page URL, or map the "id" field of a previous Coupa item.`,
		);
	}
	return id;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `order_headers` matches `/order_headers/1005`, `/order_headers/show/1005` and `/order_headers/1005/edit`. */
function pagePattern(uiPath: string): RegExp {
	const base = uiPath.replace(/\/show$/, '');
	return new RegExp(`^/${escapeRegExp(base)}/(?:show/)?(\\d+)(?:/|$)`, 'i');
}

/** `suppliers/{parentId}/addresses` matches `/api/suppliers/12/addresses/5`. */
function apiPattern(apiPath: string): RegExp {
	const collection = apiPath
		.split(/\{[^}]+\}/)
		.map(escapeRegExp)
		.join('\\d+');
	return new RegExp(`^/api/${collection}/(\\d+)(?:/|$)`, 'i');
}

/** The object whose web page a path is, to say what a wrong URL points at. */
function objectOfPage(pathname: string): CoupaResource | undefined {
	return RESOURCES.find(
		(resource) => resource.overlay.uiPath && pagePattern(resource.overlay.uiPath).test(pathname),
	);
}

/** The id in a Coupa URL of the target's record on `instance`. */
export function idFromUrl(text: string, target: RecordTarget, instance: string): string {
	const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`;
	// A host as typed, before URL parsing turns `12` into the address 0.0.0.12.
	const typedHost = withScheme.replace(/^https?:\/\//i, '').split(/[/?#]/)[0];
	const url =
		URL.canParse(withScheme) && (typedHost.includes('.') || /^localhost(:|$)/i.test(typedHost))
			? new URL(withScheme)
			: undefined;
	const expected = `${instance}/${target.uiPath ?? `api/${target.apiPath}`}/1234`;
	if (!url) {
		throw new RecordIdError(
			`The ${target.label} is not a URL`,
			`Paste the address of the record's page in Coupa, e.g. ${expected}.`,
		);
	}
	const own = new URL(instance);
	// Only the host is compared: the same instance may be reached over http and https (a local test server).
	if (url.host.toLowerCase() !== own.host.toLowerCase()) {
		throw new RecordIdError(
			`The ${target.label} URL is on ${url.host}, not on the credential's Coupa instance ${own.host}`,
			'A record of another Coupa instance cannot be read with this credential. Paste a URL of the instance the credential connects to, or choose the credential of the other instance.',
		);
	}
	const pathname = url.pathname.replace(/\/{2,}/g, '/');
	for (const pattern of [target.uiPath && pagePattern(target.uiPath), apiPattern(target.apiPath)]) {
		const match = pattern ? pattern.exec(pathname) : null;
		if (match) return wholeNumber(match[1], target);
	}
	const other = objectOfPage(pathname);
	throw new RecordIdError(
		other
			? `The ${target.label} URL is the page of ${aRecord(other.name)}, not of ${aRecord(target.name)}`
			: `The ${target.label} URL is not the page of ${aRecord(target.name)}`,
		`Open the ${lowerName(target.name)} in Coupa and paste its address, e.g. ${expected}.`,
	);
}

/** A resource locator value (`{ __rl, mode, value }`), or a plain value saved before the locator. */
function locatorParts(value: unknown): { mode?: string; raw: unknown } {
	if (value !== null && typeof value === 'object' && 'value' in value) {
		const locator = value as { mode?: unknown; value: unknown };
		return {
			mode: typeof locator.mode === 'string' ? locator.mode : undefined,
			raw: locator.value,
		};
	}
	return { raw: value };
}

/** A plain value is read as a URL only when it starts like one: a scheme, or a host with a dot. */
const looksLikeUrl = (text: string) => /^(https?:\/\/|[^/\s]+\.[^/\s]+\/)/i.test(text);

/**
 * The record id a locator value names: From List and By ID hold the id, By URL a page address.
 * A plain value from an older workflow is an id, or a URL when it looks like one.
 */
export function resolveRecordId(value: unknown, target: RecordTarget, instance: string): string {
	const { mode, raw } = locatorParts(value);
	const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : '';
	if (text === '') {
		throw new RecordIdError(
			`The ${target.label} is empty`,
			`${EXAMPLE_ID} Pick the record from the list, or enter its ID or page URL.`,
		);
	}
	const isUrl = mode === 'url' || (mode === undefined && looksLikeUrl(text));
	return isUrl ? idFromUrl(text, target, instance) : wholeNumber(text, target);
}

/** The id a locator value holds without checking it (for messages about a call already checked). */
export function plainRecordId(value: unknown): string | undefined {
	const { mode, raw } = locatorParts(value);
	const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : '';
	if (mode === 'url' || (mode === undefined && looksLikeUrl(text)))
		return /\/(?:show\/)?(\d+)(?:[/?#]|$)/.exec(text)?.[1];
	return text || undefined;
}

/** Fills a path template's `{id}` and `{parentId}`; refuses a template whose placeholder has no value. */
export function fillPathTemplate(
	template: string,
	ids: { id?: string; parentId?: string },
): string {
	return template.replace(/\{(id|parentId)\}/g, (placeholder, name: 'id' | 'parentId') => {
		const id = ids[name];
		if (id === undefined)
			throw new RecordIdError(
				`No value for ${placeholder} in ${template}`,
				'This is a bug of the Coupa node: please report it.',
			);
		return encodeURIComponent(id);
	});
}

/**
 * Puts the record's and its parent's ids into a path template (`/purchase_orders/{id}/issue`),
 * resolved from their pickers and refused, before any request, when they cannot be one. Other
 * placeholders stay for the caller.
 */
export async function fillRecordIds(
	ctx: IExecuteSingleFunctions,
	template: string,
): Promise<string> {
	const needsId = template.includes('{id}');
	const needsParent = template.includes('{parentId}');
	if (!needsId && !needsParent) return template;
	const resource = RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource', '') as string);
	// The Custom API Call has no resource: its path is checked where it is built.
	if (!resource) return template;
	const { instance } = await assertInstanceUrl(ctx, ctx.getItemIndex());
	try {
		const ids: { id?: string; parentId?: string } = {};
		const parent = parentTarget(resource);
		if (needsParent && parent)
			ids.parentId = resolveRecordId(ctx.getNodeParameter('parentId', ''), parent, instance);
		if (needsId)
			ids.id = resolveRecordId(ctx.getNodeParameter('id', ''), idTarget(resource), instance);
		return fillPathTemplate(template, ids);
	} catch (error) {
		const description = error instanceof RecordIdError ? error.description : undefined;
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			itemIndex: ctx.getItemIndex(),
			description,
		});
	}
}
