/**
 * The package in n8n's editor, in a real browser (Debian's Chromium driven by playwright-core): the
 * node found by searching "Coupa" in the nodes panel, its resources and operations, its parameters,
 * the filter Field list and a custom field typed in its expression mode (run against the simulator),
 * the record picker searching purchase orders and its URL mode,
 * its icon on the canvas in the light and the dark theme, and the credential dialog whose fields
 * switch with Authentication Type. Screenshots go to artifacts/editor/.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';
import { chromium, selectors } from 'playwright-core';

import { RESOURCES } from '../nodes/shared/schema/catalog';
import { Coupa } from '../dist/nodes/Coupa/Coupa.node';
import { CoupaSimulator } from '../test/coupa-simulator';
import {
	check,
	finish,
	importIntoN8n,
	n8nWithPackedPackage,
	ROOT,
	simulatorCredential,
	startN8n,
	timed,
} from './n8n';

const SHOTS = path.join(ROOT, 'artifacts', 'editor');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Editor timings (ms), written to artifacts/editor/timings.json for the docs and the closing note. */
const timings: Record<string, number> = {};

async function measured<T>(label: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const result = await work();
	timings[label] = Date.now() - started;
	console.log(`     ${label}: ${timings[label]} ms`);
	return result;
}

async function shot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
	console.log(`     screenshot artifacts/editor/${name}.png`);
}

const WORKFLOW_ID = 'editorCoupa00001';

async function main(): Promise<void> {
	rmSync(SHOTS, { recursive: true, force: true });
	mkdirSync(SHOTS, { recursive: true });
	const coupa = await CoupaSimulator.start();
	const { userFolder, env } = await n8nWithPackedPackage('editor-');
	let browser: Browser | undefined;
	try {
		const credential = simulatorCredential(coupa, 'coupaEditorCred1', [
			'core.common.read',
			'core.purchase_order.read',
		]);
		// A saved workflow with a Coupa node, to see the node's icon on the canvas.
		const saved = {
			id: WORKFLOW_ID,
			name: 'Coupa in the editor',
			active: false,
			nodes: [
				{
					id: 'c0000000-0000-4000-8000-000000000001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'c0000000-0000-4000-8000-000000000002',
					name: 'Coupa',
					type: 'n8n-nodes-coupa.coupa',
					typeVersion: 1,
					position: [240, 0],
					parameters: { resource: 'purchaseOrder', operation: 'getAll', returnAll: true },
					credentials: { coupaApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: { Start: { main: [[{ node: 'Coupa', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		};
		await timed('import credential and workflow', () =>
			importIntoN8n(env, userFolder, [credential], [saved]),
		);
		const n8n = await timed('n8n start', () => startN8n(env));
		try {
			browser = await chromium.launch({
				executablePath: CHROMIUM,
				args: [
					'--no-sandbox',
					'--disable-gpu',
					'--disable-quic',
					'--no-first-run',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-sync',
				],
			});
			selectors.setTestIdAttribute('data-test-id');
			const [name, value] = n8n.cookie.split('=');
			const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
			await context.addCookies([{ name, value, url: n8n.base }]);
			const page = await context.newPage();
			page.setDefaultTimeout(30_000);
			await timed('editor checks', () => editorChecks(page, n8n.base, coupa));
			timings.descriptionBytes = JSON.stringify(new Coupa().description).length;
			// What n8n sends the editor for this package: each node type's description, the tool
			// variant n8n makes of a usableAsTool node included.
			const types = await page
				.evaluate(async (base) => await (await fetch(`${base}/types/nodes.json`)).text(), n8n.base)
				.catch(() => '');
			if (types) {
				const all = JSON.parse(types) as Array<{ name: string }>;
				const ours = all.filter((type) => /coupa/i.test(type.name));
				timings.nodeTypesPayloadBytes = JSON.stringify(ours).length;
				timings.nodeTypesPayloadAllBytes = types.length;
				console.log(
					`     node types: ${ours.map((t) => t.name).join(', ')}: ${timings.nodeTypesPayloadBytes} of ${types.length} bytes`,
				);
			}
			writeFileSync(path.join(SHOTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
		} finally {
			await n8n.stop();
		}
	} finally {
		await browser?.close();
		await coupa.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	finish('editor');
}

/** A saved workflow opens read-only when another tab edits it; the test is the only editor. */
async function openWorkflow(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.getByTestId('canvas-node').first().waitFor();
	await page.waitForTimeout(1000);
	const editHere = page.getByRole('button', { name: 'Edit here' });
	if (await editHere.isVisible()) await editHere.click();
}

/** The icon the canvas shows for the Coupa node. */
async function canvasIcon(page: Page): Promise<string> {
	const icon = page
		.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-coupa.coupa"] img')
		.first();
	await icon.waitFor();
	return (await icon.getAttribute('src')) ?? '';
}

/** Runs a group of checks; a failure is one failed check, and the other groups still run. */
async function section(page: Page, name: string, work: () => Promise<void>): Promise<void> {
	try {
		await work();
	} catch (error) {
		check(`${name}: ran to the end`, false, (error as Error).message.split('\n')[0]);
		await shot(page, `failed-${name.replace(/[^a-z]+/gi, '-')}`).catch(() => undefined);
		// Closes a dropdown left open; the node's panel stays for the next checks.
		await page.keyboard.press('Escape');
	}
}

/**
 * Opens a dropdown parameter and picks the option titled `title`. An option's accessible name is its
 * title followed by its description, so the title is matched as the exact text of a part of it.
 */
async function choose(page: Page, dropdown: Locator, title: string): Promise<void> {
	await dropdown.click();
	await page
		.getByRole('option')
		.filter({ has: page.getByText(title, { exact: true }) })
		.click();
}

/**
 * A custom field, absent from the schema's list, typed in the Field's expression mode (n8n's options
 * take no free text): the node run from the editor sends it to Coupa as a filter.
 */
async function customFieldCheck(page: Page, coupa: CoupaSimulator, field: Locator): Promise<void> {
	const ndv = page.getByTestId('ndv');
	// The run starts from the saved workflow: it waits for n8n's autosave of the typed condition.
	const saved = page.waitForResponse((response) => {
		const sent = response.request();
		return (
			sent.method() === 'PATCH' &&
			sent.url().includes(`/rest/workflows/${WORKFLOW_ID}`) &&
			(sent.postData() ?? '').includes('"field":"=custom-fields[project-code]","value":"PRJ-105"')
		);
	});
	saved.catch(() => undefined); // awaited below; a failed step before then must not leave it unhandled
	await field.hover();
	await ndv
		.locator('[data-test-id$="field-parameter-input-options-container"]')
		.getByTestId('radio-button-expression')
		.first()
		.click();
	const editor = field.getByTestId('inline-expression-editor-input');
	await editor.click();
	await editor.pressSequentially('custom-fields[project-code]');
	await ndv
		.locator('[data-parameter-path="parameters.filters.conditions[0].value"]')
		.locator('input')
		.fill('PRJ-105');
	await saved;
	// n8n marks a value outside an options list as "not supported" unless the parameter allows it.
	const fieldInput = ndv.locator(
		'[data-test-id="parameter-input-field"]:has([data-parameter-path="parameters.filters.conditions[0].field"])',
	);
	const issues = await fieldInput.getByTestId('parameter-issues').count();
	check(
		'the custom field is not marked as an unsupported value',
		issues === 0,
		`${issues} issue marks`,
	);
	coupa.clearLog();
	await ndv.getByTestId('node-execute-button').first().click();
	const output = page.getByTestId('output-panel');
	// The run ends with an item count, or with an error in the output panel.
	await output
		.getByText(/^\d+ items?$/)
		.or(output.getByText(/No output data returned|Problem in node|error/i))
		.first()
		.waitFor();
	const sent = coupa.apiRequests().filter((r) => r.path === '/api/purchase_orders');
	check(
		'a custom field typed as an expression is sent to Coupa as a filter',
		sent.length > 0 && sent.every((r) => r.query['custom-fields[project-code]'] === 'PRJ-105'),
		sent.map((r) => r.search).join(' '),
	);
	// Only purchase order 5 carries project code PRJ-105 in the simulator.
	const found = await output
		.getByText('PO-00005')
		.first()
		.waitFor({ timeout: 10_000 })
		.then(
			() => true,
			() => false,
		);
	check(
		'the run returns the one purchase order with that custom field',
		found && (await output.innerText()).includes('1 item'),
	);
	await shot(page, '14-filter-custom-field-expression');
}

/**
 * In the open Get Many purchase orders node: the filter condition's Field list from the schema, then
 * a custom field typed in expression mode.
 */
async function filterFieldChecks(page: Page, coupa: CoupaSimulator): Promise<void> {
	const ndv = page.getByTestId('ndv');
	const fieldOptionsLoaded = page.waitForResponse(
		(response) =>
			response.url().endsWith('/rest/dynamic-node-parameters/options') &&
			response.request().postDataJSON()?.methodName === 'getFilterFields',
	);
	fieldOptionsLoaded.catch(() => undefined); // awaited below, after the click that sends it
	await ndv.getByRole('button', { name: 'Add Condition' }).click();
	// n8n disables a select while it loads its options from the server, and a click on it then is lost:
	// the response is awaited and the select's own input clicked, which Playwright holds until enabled.
	const field = ndv.locator('[data-parameter-path="parameters.filters.conditions[0].field"]');
	const options = page.getByRole('option');
	await measured('load and open the filter Field list', async () => {
		const loaded = await fieldOptionsLoaded;
		check(
			'the editor loads the Field list from getFilterFields',
			loaded.status() === 200,
			`HTTP ${loaded.status()}`,
		);
		await field.locator('input').click();
		await options.filter({ hasText: 'PO Number' }).first().waitFor();
	});
	const fields = await options.allInnerTexts();
	check(
		'the filter Field list offers the schema fields by name',
		fields.some((f) => f.includes('PO Number')) &&
			fields.some((f) => f.includes('Supplier › Name')),
		`${fields.length} fields`,
	);
	await shot(page, '10-filter-field-list');
	await page.keyboard.press('Escape');
	await customFieldCheck(page, coupa, field);
}

/** The Get operation's record picker searching purchase orders in Coupa, and its URL mode. */
async function pickerChecks(page: Page, coupa: CoupaSimulator): Promise<void> {
	const ndv = page.getByTestId('ndv');
	await choose(page, ndv.getByTestId('parameter-input-operation'), 'Get');
	const picker = ndv.getByTestId('resource-locator-id');
	await picker.waitFor();
	coupa.clearLog();
	await picker.getByTestId('rlc-input').click();
	await page.getByTestId('rlc-search').fill('PO-0012');
	const items = page.getByTestId('rlc-item');
	await items.filter({ hasText: 'PO-00120' }).first().waitFor();
	const listed = await items.allInnerTexts();
	const searched = coupa.apiRequests().some((r) => r.query['po-number[contains]'] === 'PO-0012');
	check(
		'the record picker lists purchase orders by PO number and supplier, searched by Coupa',
		searched &&
			listed.length > 0 &&
			listed.every((text) => text.includes('PO-0012') && text.includes('Acme Supply')),
		`${listed.length} listed`,
	);
	await shot(page, '11-record-picker-search');
	await page.keyboard.press('Escape');

	await picker.getByTestId('rlc-mode-selector').click();
	await page.getByTestId('mode-url').click();
	await picker.getByTestId('rlc-input').fill(`${coupa.url}/order_headers/5`);
	await page.waitForTimeout(500);
	check(
		'the URL mode takes the page address of a purchase order',
		(await picker.getByTestId('rlc-input').inputValue()).endsWith('/order_headers/5'),
	);
	await shot(page, '12-record-picker-url');
}

/** Supplier > Create: the resource mapper with Coupa's required supplier fields at the top. */
async function mapperChecks(page: Page): Promise<void> {
	const ndv = page.getByTestId('ndv');
	await choose(page, ndv.getByTestId('parameter-input-resource'), 'Supplier');
	await choose(page, ndv.getByTestId('parameter-input-operation'), 'Create');
	const mapper = ndv
		.getByTestId('mapping-fields-container')
		.getByText('Name', { exact: true })
		.first();
	await mapper.waitFor({ timeout: 20_000 });
	check(
		'Supplier > Create shows the field mapper with the required Name field',
		await mapper.isVisible(),
	);
	await shot(page, '13-mapper-supplier-create');
}

/**
 * The time from a click on a node in the nodes panel to its list of actions, for n8n's own largest
 * node (Notion, the largest description among n8n's nodes) and for Coupa, in the same editor: the
 * figures go to timings.json; a timing is reported, never asserted.
 */
async function timeActionLists(page: Page): Promise<void> {
	for (const [label, name] of [
		["list n8n's largest node's actions (Notion) in the nodes panel", 'Notion'],
		['list the Coupa actions in the nodes panel, same steps', 'Coupa'],
	] as const) {
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill(name);
		const item = page
			.getByTestId('node-creator-item-name')
			.filter({ hasText: new RegExp(`^${name}$`) });
		await item.first().waitFor();
		await measured(label, async () => {
			await item.first().click();
			await page
				.getByTestId('node-creator')
				.getByText(/^Actions \(\d+\)$/)
				.first()
				.waitFor();
		});
		await page.keyboard.press('Escape');
		await page.keyboard.press('Escape');
	}
}

async function editorChecks(page: Page, base: string, coupa: CoupaSimulator): Promise<void> {
	// The nodes panel: search, the node, its actions grouped by resource.
	await openWorkflow(page, `${base}/workflow/${WORKFLOW_ID}`);
	await timeActionLists(page).catch((error: Error) =>
		console.log(`     (action list timings not taken: ${error.message.split('\n')[0]})`),
	);
	await openWorkflow(page, `${base}/workflow/${WORKFLOW_ID}`);
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill('Coupa');
	const found = page.getByTestId('node-creator-item-name').filter({ hasText: /^Coupa$/ });
	await found.first().waitFor();
	check('searching "Coupa" in the nodes panel finds the Coupa node', (await found.count()) >= 1);
	// n8n merges the trigger into the Coupa entry and shows the trigger's description there.
	const entry = (await page.getByTestId('node-creator').innerText()).toLowerCase();
	check(
		'the nodes panel describes the Coupa entry by its actions, not only the trigger',
		entry.includes('read, create, update and act on coupa records'),
	);
	await shot(page, '01-nodes-panel-search');
	const panel = page.getByTestId('node-creator');
	await measured('list the Coupa actions in the nodes panel', async () => {
		await found.first().click();
		await panel.getByText('Get many purchase orders', { exact: true }).waitFor();
	});
	const actions = (await panel.innerText()).toLowerCase();
	// The list is virtual (only what fits is rendered), so the count in its header is compared.
	const offered = new Coupa().description.properties
		.filter((p) => p.name === 'operation')
		.reduce((sum, p) => sum + (p.options?.length ?? 0), 0);
	check(
		'the actions panel offers every operation of every resource',
		actions.includes(`actions (${offered})`),
		`${offered} operations`,
	);
	const groups = RESOURCES.filter((resource) =>
		actions.includes(`${resource.name.toLowerCase()} actions`),
	);
	check(
		'the actions are grouped by resource',
		groups.length >= 5 && groups[0] === RESOURCES[0],
		groups.map((g) => g.name).join(', '),
	);
	check(
		'actions read as sentences',
		actions.includes('get many currencies') &&
			actions.includes('create an account') &&
			!actions.includes(' a invoice'),
	);
	await shot(page, '02-nodes-panel-actions');

	// The node's parameters, opened from an action.
	const ndv = page.getByTestId('ndv');
	await measured('open the node from an action', async () => {
		await panel.getByText('Get many purchase orders', { exact: true }).click();
		await ndv.getByTestId('parameter-input-limit').waitFor();
	});
	for (const parameter of ['resource', 'operation', 'returnAll', 'limit']) {
		check(
			`the Get Many parameters show ${parameter}`,
			await ndv.getByTestId(`parameter-input-${parameter}`).isVisible(),
		);
	}
	check(
		'the credential is picked for the new node',
		(await ndv.getByTestId('node-credentials-select').innerText()).includes('Coupa (simulator)') ||
			(await ndv.getByTestId('node-credentials-select').locator('input').inputValue()).includes(
				'Coupa (simulator)',
			),
	);
	await shot(page, '03-node-parameters');
	const options = page.getByRole('option');
	await measured('open the Resource list', async () => {
		await ndv.getByTestId('parameter-input-resource').click();
		await options.first().waitFor();
	});
	const listed = await options.allInnerTexts();
	// Each option shows its name, then the resource's one-line description.
	const names = listed.map((text) => text.split('\n')[0].trim());
	check(
		'the Resource list holds every resource of the catalog',
		RESOURCES.every((resource) => names.includes(resource.name)),
		`${listed.length} options`,
	);
	await shot(page, '04-resource-list');
	await page.keyboard.press('Escape');
	await section(page, 'filter field list and a custom field', () => filterFieldChecks(page, coupa));
	await section(page, 'record picker and URL mode', () => pickerChecks(page, coupa));
	await section(page, 'the field mapper of Supplier > Create', () => mapperChecks(page));

	// The credential dialog: its fields follow Authentication Type.
	await ndv.getByTestId('credential-edit-button').click();
	const dialog = page.getByTestId('credential-edit-dialog');
	await dialog.waitFor();
	const fieldsShown = async () => {
		const shown: string[] = [];
		for (const field of [
			'url',
			'authType',
			'clientId',
			'clientSecret',
			'scope',
			'accessTokenUrl',
			'token',
		]) {
			if (await dialog.getByTestId(`parameter-input-${field}`).isVisible()) shown.push(field);
		}
		return shown.join(',');
	};
	await dialog.getByTestId('parameter-input-clientId').waitFor();
	const oauthFields = await fieldsShown();
	check(
		'OAuth 2.0 client credentials shows URL, client id and secret, scope, token URL',
		oauthFields === 'url,authType,clientId,clientSecret,scope,accessTokenUrl',
		oauthFields,
	);
	// The dialog tests a saved credential as it opens, as the Test connection button does.
	const tested = await dialog
		.getByText('Connection tested successfully')
		.waitFor({ timeout: 20_000 })
		.then(
			() => true,
			() => false,
		);
	check('Test connection passes in the dialog', tested);
	await shot(page, '05-credential-oauth2');
	for (const [label, expected, file] of [
		['API Key (Deprecated)', 'url,authType,token', '06-credential-api-key'],
		['Access Token', 'url,authType,token', '07-credential-access-token'],
	]) {
		await dialog.getByTestId('parameter-input-authType').click();
		await page.getByRole('option', { name: label }).click();
		await dialog.getByTestId('parameter-input-token').waitFor();
		await page.waitForTimeout(300); // the closing dropdown's animation
		const fields = await fieldsShown();
		check(`${label} shows only URL and the token`, fields === expected, fields);
		await shot(page, file);
	}

	// The icon on the canvas, light and dark, each in a page of its own.
	const context = page.context();
	await page.close();
	const light = await context.newPage();
	await openWorkflow(light, `${base}/workflow/${WORKFLOW_ID}`);
	const lightIcon = await canvasIcon(light);
	check('the light theme shows the light icon', /coupa\.svg/.test(lightIcon), lightIcon);
	await shot(light, '08-canvas-light');
	await light.close();
	const dark = await context.newPage();
	await dark.addInitScript("window.localStorage.setItem('N8N_THEME', 'dark')");
	await openWorkflow(dark, `${base}/workflow/${WORKFLOW_ID}`);
	const darkIcon = await canvasIcon(dark);
	check('the dark theme shows the dark icon', /coupa\.dark\.svg/.test(darkIcon), darkIcon);
	await shot(dark, '09-canvas-dark');
	await dark.close();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
