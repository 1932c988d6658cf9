/**
 * The words the editor shows read as a person would write them, checked on the built nodes: the
 * actions panel's sentences, the Operation and Resource lists, and every label, description and
 * hint. Generated fallbacks (a path's words after a resource name in brackets, a word that is no
 * verb, a repeated name, an acronym in lower case) fail here.
 */
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (file: string, name: string): INodeTypeDescription =>
	new (require(path.resolve(__dirname, '..', file))[name])().description;
const coupa = load('dist/nodes/Coupa/Coupa.node.js', 'Coupa');
const trigger = load('dist/nodes/CoupaTrigger/CoupaTrigger.node.js', 'CoupaTrigger');

type Option = INodePropertyOptions & { action?: string };

const show = (property: INodeProperties, key: string) =>
	(property.displayOptions?.show?.[key] ?? []) as string[];
const operationProperties = coupa.properties.filter((p) => p.name === 'operation');
/** Every Operation option with its resource, Custom API Call aside. */
const operations = operationProperties.flatMap((p) =>
	((p.options ?? []) as Option[])
		.filter((o) => o.value !== '__CUSTOM_API_CALL__' && show(p, 'resource')[0] !== 'custom')
		.map((option) => ({ resource: show(p, 'resource')[0], option })),
);
const resourceNames = [coupa, trigger].flatMap((node) =>
	(
		(node.properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[]
	).map((o) => o.name),
);

/** The verbs an action starts with: the imperative a person writes in n8n ("Create a supplier"). */
const VERBS = new Set(
	`Abandon Acknowledge Add Adjust Approve Assign Attach Award Bypass Calculate Cancel Close Complete Copy Create Delete Dispute Download
	End Estimate Export Fail Finish Flip Get Hold Ignore Issue Load Log Mark Notify Pause Pay Put Receive Reject Release Remove
	Reopen Resolve Restart Retrieve Revalidate Reverse Review Run Save Search Send Set Soft-Close Soft-close Submit Sync Track
	Unassign Unresolve Update Upload Validate Void Withdraw Go`.split(/\s+/),
);

/** Acronyms and names as Coupa writes them, in the wrong case. */
const LOWER_ACRONYMS =
	/\b(asn|ASNs?\b(?=[a-z])|uom|sftp|Sftp|pdf|Pdf|cxml|Cxml|CXML|ccc|Ccc|csp|Csp|Asn|Uom|coupa pay|Coupa pay|coupa Pay)\b/;
/** A phrase said twice in a row: "budget line budget line adjustment". */
const REPEATED = /\b(\w+(?: \w+)*) \1\b/i;
/** "a invoice", "an user", "an purchase order". */
const WRONG_ARTICLE = /\b(?:a [aeio]\w|an (?:[bcdfghjklmnpqrstvwxyz]|us|uo|uni))/;
/** The generated fallback: path words with the resource in brackets, "(integration run)". */
const RAW_SUFFIX = /\([a-z]+(?: [a-z]+)*\)$/;
/** Words a title keeps in lower case. */
const SMALL = new Set([
	'a',
	'an',
	'and',
	'as',
	'at',
	'by',
	'for',
	'in',
	'of',
	'on',
	'or',
	'the',
	'to',
]);

function badTitle(name: string): string | undefined {
	const words = name.split(' ');
	const word = words.find(
		(w, i) => !(i > 0 && SMALL.has(w)) && !/^[A-Z0-9]/.test(w) && w !== 'cXML',
	);
	return word;
}

describe('the actions panel', () => {
	test('has the operations it had (789 with Custom API Call)', () => {
		expect(operations.length).toBeGreaterThan(780);
	});

	test.each(['action', 'name'] as const)('every operation %s starts with a verb', (key) => {
		const bad = operations
			.filter(({ option }) => !VERBS.has(String(option[key]).split(' ')[0]))
			.map(({ resource, option }) => `${resource}/${option.value}: ${option[key]}`);
		expect(bad).toEqual([]);
	});

	test('no action ends with the words of a path in brackets', () => {
		const bad = operations
			.filter(({ option }) => RAW_SUFFIX.test(option.action ?? ''))
			.map(({ resource, option }) => `${resource}/${option.value}: ${option.action}`);
		expect(bad).toEqual([]);
	});

	test('no name, action or description repeats a phrase, misses an article or lowers an acronym', () => {
		const texts = operations.flatMap(({ resource, option }) =>
			[option.name, option.action ?? '', option.description ?? ''].map(
				(text) => `${resource}/${String(option.value)}: ${text}`,
			),
		);
		const bad = texts.filter((text) => {
			const words = text.slice(text.indexOf(': ') + 2);
			return REPEATED.test(words) || WRONG_ARTICLE.test(words) || LOWER_ACRONYMS.test(words);
		});
		expect(bad).toEqual([]);
	});

	test('operation names are in title case', () => {
		const bad = operations
			.filter(({ option }) => badTitle(option.name))
			.map(({ resource, option }) => `${resource}/${option.value}: ${option.name}`);
		expect(bad).toEqual([]);
	});
});

describe('the Resource lists', () => {
	test('names are titles without a repeated phrase or a lowered acronym', () => {
		expect(resourceNames.length).toBeGreaterThan(100);
		expect(
			resourceNames.filter(
				(name) => REPEATED.test(name) || LOWER_ACRONYMS.test(name) || badTitle(name),
			),
		).toEqual([]);
	});
});

/** Every label, description, hint and placeholder of a node, options and fixed collections included. */
function texts(
	properties: Array<INodeProperties | INodePropertyOptions | INodePropertyCollection>,
	where = '',
): string[] {
	return properties.flatMap((p) => {
		const here = `${where}${'name' in p ? String(p.name) : ''}`;
		const own = ['displayName', 'description', 'hint', 'placeholder'].flatMap((key) => {
			const value = (p as unknown as Record<string, unknown>)[key];
			return typeof value === 'string' && !value.startsWith('=')
				? [`${here}.${key}: ${value}`]
				: [];
		});
		const nested = ('options' in p && Array.isArray(p.options) ? p.options : []) as Array<
			INodeProperties | INodePropertyOptions | INodePropertyCollection
		>;
		const values = ('values' in p && Array.isArray(p.values) ? p.values : []) as INodeProperties[];
		return [...own, ...texts(nested, `${here}/`), ...texts(values, `${here}/`)];
	});
}

describe('labels, descriptions and hints', () => {
	test.each([
		['coupa', coupa],
		['coupaTrigger', trigger],
	])('%s: no repeated phrase, wrong article or lowered acronym', (_, node) => {
		// Field names in backticks or quotes, JSON and addresses are Coupa's spelling, not words.
		const prose = (text: string) => text.replace(/`[^`]*`|"[^"]*"|\{[^}]*\}|\S+:\/\/\S+/g, '');
		const bad = [...new Set(texts(node.properties))].filter((text) => {
			const words = prose(text.slice(text.indexOf(': ') + 2));
			return REPEATED.test(words) || WRONG_ARTICLE.test(words) || LOWER_ACRONYMS.test(words);
		});
		expect(bad).toEqual([]);
	});
});

describe('JSON Body', () => {
	const writes = ['create', 'update', 'upsert'];
	/** n8n's displayOptions for a resource and operation: every `show` list holds it, no `hide` list does. */
	const shownFor = (property: INodeProperties, resource: string, operation: string) => {
		const { show: shown = {}, hide = {} } = property.displayOptions ?? {};
		const holds = (lists: typeof shown, key: string, value: string) =>
			((lists[key] ?? []) as string[]).includes(value);
		return (
			(!shown.resource || holds(shown, 'resource', resource)) &&
			(!shown.operation || holds(shown, 'operation', operation)) &&
			!holds(hide, 'resource', resource) &&
			!holds(hide, 'operation', operation)
		);
	};
	const indexOf = (name: string, resource: string, operation: string) =>
		coupa.properties.findIndex((p) => p.name === name && shownFor(p, resource, operation));

	test('comes after the mapped fields on Create, Update and Create or Update', () => {
		const bad = operations
			.filter(({ option }) => writes.includes(String(option.value)))
			.filter(({ resource, option }) => {
				const body = indexOf('jsonBody', resource, String(option.value));
				const fields = indexOf('columns', resource, String(option.value));
				return body >= 0 && !(fields >= 0 && fields < body);
			})
			.map(({ resource, option }) => `${resource}/${option.value}`);
		expect(bad).toEqual([]);
	});

	test('speaks of the fields above only where the mapper is shown above it', () => {
		const bad = operations
			.filter(({ resource, option }) => {
				const body = indexOf('jsonBody', resource, String(option.value));
				if (body < 0 || !/above/.test(coupa.properties[body].hint ?? '')) return false;
				const fields = indexOf('columns', resource, String(option.value));
				return fields < 0 || fields > body;
			})
			.map(({ resource, option }) => `${resource}/${option.value}`);
		expect(bad).toEqual([]);
	});
});
