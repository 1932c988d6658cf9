/**
 * Node subtitles that read as words ("Get Many: Purchase Order"): the editor only has parameter
 * values, so the expression turns a camelCase value into words, with the names that differ
 * from that (Get Many, UOM) carried along.
 */
import { RESOURCES } from '../schema/catalog';

/** `issueWithoutSend` → "Issue Without Send", as the expression below does it. */
export const wordsOf = (value: string) =>
	value.charAt(0).toUpperCase() + value.slice(1).replace(/([A-Z])/g, ' $1');

/** Expression code naming the value of `parameter`: its name in `names`, else its value in words. */
export function nameOfParameter(parameter: string, names: Array<[string, string]>): string {
	const exceptions = Object.fromEntries(names.filter(([value, name]) => wordsOf(value) !== name));
	const value = `String($parameter["${parameter}"] || "")`;
	return `(${JSON.stringify(exceptions)}[${value}] || ${value}.charAt(0).toUpperCase() + ${value}.slice(1).replace(/([A-Z])/g, " $1"))`;
}

/** Resource value → name, Custom API Call included. */
export const RESOURCE_NAMES: Array<[string, string]> = [
	...RESOURCES.map((resource): [string, string] => [resource.value, resource.name]),
	['custom', 'Custom API Call'],
];

/** Operation value → name; a value names the same operation on every resource. */
const OPERATION_NAMES: Array<[string, string]> = RESOURCES.flatMap((resource) =>
	resource.endpoints.map((endpoint): [string, string] => [endpoint.value, endpoint.name]),
);

/** The action node's subtitle: "Get Many: Purchase Order". */
export const COUPA_SUBTITLE = `={{ ${nameOfParameter('operation', OPERATION_NAMES)} + ": " + ${nameOfParameter('resource', RESOURCE_NAMES)} }}`;
