/**
 * Tests run the built package (dist/) through n8n's engine; TypeScript tests are transpiled only.
 * COUPA_ENGINE=<name> runs them against another n8n release installed by `scripts/engines install`
 * into .engines/<name>/: every `require` of n8n's packages, by the harness, by dist/ (as n8n hands a
 * community package its own n8n-workflow) and by n8n's packages themselves, resolves there.
 */
const { engine: engineNamed, enginePackages } = require('./scripts/engines');

const engine = process.env.COUPA_ENGINE;
// n8n-core 1.x (axios through follow-redirects) leaves each request's 5-minute timeout timer
// running after the answer, which would hold jest open for 5 minutes after the last test. The
// current engine has no such timers, so a leak of this package's own still shows there.
const olderEngine = engine !== undefined && !engineNamed(engine).current;

module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	watchman: false,
	testTimeout: 60000,
	moduleNameMapper: engine ? enginePackages(engine) : {},
	forceExit: olderEngine,
};
