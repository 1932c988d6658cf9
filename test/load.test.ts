/**
 * The built package loads in n8n as a community package does: the engine's own loader (n8n-core's
 * PackageDirectoryLoader) reads package.json's `n8n` section and loads each class the way n8n does.
 * CI runs this under every engine of the matrix (COUPA_ENGINE), so a dependency on something an
 * older n8n lacks (NodeConnectionTypes before n8n-workflow 1.83, say) fails here.
 */
import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeType } from 'n8n-workflow';
import path from 'node:path';

import { ENGINE_CORE_VERSION, ENGINE_WORKFLOW_VERSION } from './harness/compat';

const ROOT = path.resolve(__dirname, '..');

describe(`n8n-core ${ENGINE_CORE_VERSION} with n8n-workflow ${ENGINE_WORKFLOW_VERSION}`, () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
	});

	test('loads every node and credential', () => {
		expect(Object.keys(loader.known.nodes).sort()).toEqual([
			'coupa',
			'coupaCallOutTrigger',
			'coupaTrigger',
		]);
		expect(Object.keys(loader.known.credentials).sort()).toEqual([
			'coupaApi',
			'coupaCallOutApi',
			'coupaOAuth2Api',
		]);
	});

	test('the nodes connect as n8n expects: the Coupa node in and out, the trigger out only', () => {
		const description = (name: string) => (loader.nodeTypes[name].type as INodeType).description;
		expect([description('coupa').inputs, description('coupa').outputs]).toEqual([
			['main'],
			['main'],
		]);
		expect([description('coupaTrigger').inputs, description('coupaTrigger').outputs]).toEqual([
			[],
			['main'],
		]);
		expect([
			description('coupaCallOutTrigger').inputs,
			description('coupaCallOutTrigger').outputs,
		]).toEqual([[], ['main']]);
	});

	test('the Coupa node gets the Request Options n8n gives declarative nodes', () => {
		const { properties } = (loader.nodeTypes.coupa.type as INodeType).description;
		expect(properties.map((property) => property.name)).toContain('requestOptions');
	});
});
