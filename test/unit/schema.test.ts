/** Facts the package states twice for speed or size, held equal to their source. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_SCOPE_OF_CATALOG } from '../../nodes/shared/schema/catalog';
import { DEFAULT_SCOPE } from '../../nodes/shared/schema/defaultScope';

describe('schema', () => {
	test("the credentials' default scope is the catalog's", () => {
		expect(DEFAULT_SCOPE).toBe(DEFAULT_SCOPE_OF_CATALOG);
	});

	test('loading a credential does not load the API digest', () => {
		for (const credential of ['CoupaApi', 'CoupaOAuth2Api']) {
			const seen = new Set<string>();
			const visit = (file: string) => {
				if (seen.has(file)) return;
				seen.add(file);
				const text = readFileSync(file, 'utf8');
				for (const [, target] of text.matchAll(/from '(\.[^']+)'/g)) {
					visit(join(file, '..', target.endsWith('.json') ? target : `${target}.ts`));
				}
			};
			visit(join(__dirname, '../../credentials', `${credential}.credentials.ts`));
			expect([...seen].filter((file) => /digest|catalog|overlay/.test(file))).toEqual([]);
		}
	});
});
