/**
 * Tests run the built package (dist/) through n8n's engine; TypeScript tests are transpiled only.
 * COUPA_ENGINE=<name> runs them against another n8n release installed by `scripts/engines install`
 * into .engines/<name>/: every `require` of n8n's packages, by the harness, by dist/ (as n8n hands a
 * community package its own n8n-workflow) and by n8n's packages themselves, resolves there.
 */
const path = require('node:path');
const { enginePackages } = require('./scripts/engines');

const engine = process.env.COUPA_ENGINE;

module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	watchman: false,
	testTimeout: 60000,
	moduleNameMapper: engine ? enginePackages(engine) : {},
};
