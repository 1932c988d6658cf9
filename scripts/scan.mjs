// n8n's verified-node scanner (@n8n/scan-community-package), run here on what would be published.
// The scanner itself downloads a package from npm and its provenance-attested source; this runs its
// two analysis legs on the local equivalents: the source (nodes/, credentials/, package.json) and
// the packed tarball (compiled .js and the published package.json). Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'coupa-scan-'));
try {
	execFileSync('npm', ['pack', '--pack-destination', work], { cwd: root, stdio: 'ignore' });
	const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
	const packed = path.join(work, 'package');
	mkdirSync(packed);
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', packed, '--strip-components=1']);

	const legs = [
		[
			'source (nodes/, credentials/, package.json)',
			await analyzePackage(root, SOURCE_FILE_PATTERNS),
		],
		[
			`packed ${tarball} (dist .js, package.json)`,
			await analyzePackage(packed, ['**/*.js', 'package.json']),
		],
	];
	let passed = true;
	for (const [what, result] of legs) {
		console.log(
			`${result.passed ? 'passed' : 'FAILED'}: n8n scanner on the ${what}${result.message ? `: ${result.message}` : ''}`,
		);
		if (result.details) console.log(result.details);
		passed &&= result.passed;
	}
	process.exitCode = passed ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
