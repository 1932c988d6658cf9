/**
 * The n8n releases this package is tested on (the CI engine matrix), and their installation.
 *
 *   node scripts/engines.js install [name...]   installs engines into .engines/<name>/ (all by default)
 *   node scripts/engines.js node <name>         prints the Node version that engine runs on
 *   node scripts/engines.js names               prints the engine names, current first
 *
 * `scripts/engine <name> <command>` runs a command against one of them. The current engine is the
 * project's own devDependencies (node_modules/); each other one gets n8n-core, n8n-workflow and
 * n8n-nodes-base of that n8n release from the npm registry in its own folder, and jest.config.js
 * points every require of them there when COUPA_ENGINE names it.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const devDependencies = JSON.parse(
	readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
).devDependencies;

/** Exact versions: those each n8n release pins in its own package.json (`npm view n8n@<v> dependencies`). */
const ENGINES = {
	2.41: {
		n8n: '2.41.1',
		node: '24.21.0',
		packages: {
			'n8n-core': devDependencies['n8n-core'],
			'n8n-workflow': devDependencies['n8n-workflow'],
			'n8n-nodes-base': devDependencies['n8n-nodes-base'],
		},
		current: true,
	},
	// The last 1.x line, which many self-hosted instances still run.
	1.123: {
		n8n: '1.123.81',
		node: '22.23.3',
		packages: { 'n8n-core': '1.122.48', 'n8n-workflow': '1.120.31', 'n8n-nodes-base': '1.121.53' },
	},
	// The oldest supported: the first release whose n8n-workflow has NodeConnectionTypes (1.83).
	1.85: {
		n8n: '1.85.4',
		node: '22.23.3',
		packages: { 'n8n-core': '1.84.0', 'n8n-workflow': '1.83.0', 'n8n-nodes-base': '1.84.0' },
	},
};

/**
 * n8n-nodes-base 1.x depends on xlsx as a tarball on cdn.sheetjs.com, outside the npm registry
 * (unreachable from many CI sandboxes). The registry's last xlsx stands in: only n8n's spreadsheet
 * nodes use it, and no test runs them. n8n 2.x no longer depends on it.
 */
const OVERRIDES = { xlsx: '0.18.5' };

const N8N_PACKAGES = Object.keys(ENGINES['2.41'].packages);

function engine(name) {
	const found = ENGINES[name];
	if (!found)
		throw new Error(`Unknown engine "${name}"; the engines are ${Object.keys(ENGINES).join(', ')}`);
	return found;
}

/** Where an engine's packages live. */
function engineModules(name) {
	return engine(name).current
		? path.join(ROOT, 'node_modules')
		: path.join(ROOT, '.engines', name, 'node_modules');
}

/** jest's moduleNameMapper sending n8n's packages (and their subpaths) to an engine's folder. */
function enginePackages(name) {
	const modules = engineModules(name);
	return { [`^(${N8N_PACKAGES.join('|')})(/.*)?$`]: `${modules}/$1$2` };
}

/** Installs an engine unless the same versions are already there; returns the seconds it took. */
function install(name) {
	const { packages, current } = engine(name);
	if (current) return 0;
	const folder = path.join(ROOT, '.engines', name);
	const specs = Object.entries(packages).map(([pkg, version]) => `${pkg}@${version}`);
	// Written last, so an interrupted install is redone.
	const mark = path.join(folder, 'installed.json');
	if (existsSync(mark) && readFileSync(mark, 'utf8') === JSON.stringify(specs)) return 0;
	const started = Date.now();
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify({ name: `engine-${name}`, private: true, overrides: OVERRIDES }),
	);
	execFileSync(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', ...specs],
		{ cwd: folder, stdio: 'inherit' },
	);
	writeFileSync(mark, JSON.stringify(specs));
	return (Date.now() - started) / 1000;
}

module.exports = { ENGINES, OVERRIDES, engine, engineModules, enginePackages, install };

if (require.main === module) {
	const [command, ...names] = process.argv.slice(2);
	if (command === 'install') {
		for (const name of names.length ? names : Object.keys(ENGINES)) {
			const seconds = install(name);
			if (seconds)
				console.error(
					`engine ${name} (n8n ${engine(name).n8n}) installed in ${seconds.toFixed(0)} s`,
				);
		}
	} else if (command === 'node' && names.length === 1) {
		console.log(engine(names[0]).node);
	} else if (command === 'names') {
		console.log(
			Object.keys(ENGINES)
				.sort((a, b) => Number(Boolean(ENGINES[b].current)) - Number(Boolean(ENGINES[a].current)))
				.join(' '),
		);
	} else {
		console.error('usage: node scripts/engines.js install [name...] | node <name> | names');
		process.exit(2);
	}
}
