/**
 * The demo: a Coupa workflow through n8n's real engine against the bundled Coupa simulator,
 * no Coupa account needed. Run it with `./dev demo`.
 */
import { CoupaSimulator } from '../test/coupa-simulator';
import { COUPA_NODE, credentialsWith, runNode } from '../test/harness/engine';
import { oauthCredential } from '../test/support/setup';

async function main(): Promise<void> {
	const coupa = await CoupaSimulator.start();
	console.log(`Coupa simulator listening on ${coupa.url}\n`);
	const credentials = credentialsWith(oauthCredential(coupa));
	try {
		const issued = await runNode(credentials, COUPA_NODE, {
			resource: 'purchaseOrder',
			operation: 'getAll',
			returnAll: true,
			filters: {
				conditions: [
					{ field: 'status', operator: 'eq', value: 'issued' },
					{ field: 'exported', operator: 'eq', value: 'false' },
				],
			},
		});
		if (issued.error) throw issued.error;
		console.log(`Issued purchase orders not yet exported: ${issued.items.length}`);
		console.table(
			// Fields of Coupa's order header: it carries no total, its lines carry the amounts.
			issued.items.slice(0, 10).map(({ json }) => ({
				id: json.id,
				'po-number': json['po-number'],
				version: json.version,
				supplier: (json.supplier as { name?: string } | undefined)?.name,
				currency: (json.currency as { code?: string } | undefined)?.code,
				lines: Array.isArray(json['order-lines']) ? json['order-lines'].length : undefined,
				'updated-at': json['updated-at'],
			})),
		);

		const first = issued.items[0]?.json;
		if (first) {
			const marked = await runNode(credentials, COUPA_NODE, {
				resource: 'purchaseOrder',
				operation: 'markExported',
				id: String(first.id),
			});
			if (marked.error) throw marked.error;
			console.log(
				`Marked ${String(first['po-number'])} exported: exported=${String(marked.items[0].json.exported)}\n`,
			);
		}

		const suppliers = await runNode(credentials, COUPA_NODE, {
			resource: 'supplier',
			operation: 'getAll',
			limit: 3,
			options: { fields: '["id","name","status"]' },
		});
		if (suppliers.error) throw suppliers.error;
		console.log('First three suppliers (fields picked by Coupa):');
		console.table(suppliers.items.map(({ json }) => json));

		const api = coupa.apiRequests();
		console.log(
			`\nRequests sent to Coupa's API: ${api.length}; token requests: ${coupa.tokenRequests().length} (one token, reused)`,
		);
		for (const request of api) {
			const query = new URLSearchParams(request.query).toString();
			console.log(
				`  ${request.method} ${request.path}${query ? `?${decodeURIComponent(query)}` : ''} -> ${request.status}`,
			);
		}
	} finally {
		await coupa.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
