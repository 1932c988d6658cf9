// Copies what `tsc` does not emit (icons and the codex JSON files) into dist/, and minifies the
// API digest tsc copied (it is read at load time; its indentation is a third of its size).
const { readFileSync, writeFileSync } = require('node:fs');
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

async function minifyDigest() {
	const file = 'dist/nodes/shared/schema/digest-r39.json';
	writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))));
}

exports['build:assets'] = parallel(copyIcons, copyCodex, minifyDigest);
