// Copies what `tsc` does not emit (icons and the codex JSON files) into dist/, and minifies the
// generated data files tsc copied (the spec digest, the Compass facts: read at load time, and
// their indentation is a large share of their size).
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

async function minifyData() {
	const folder = 'dist/nodes/shared/schema';
	for (const name of readdirSync(folder).filter((n) => n.endsWith('.json'))) {
		const file = `${folder}/${name}`;
		writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))));
	}
}

exports['build:assets'] = parallel(copyIcons, copyCodex, minifyData);
