/** Tests run the built package (dist/) through n8n's engine; TypeScript tests are transpiled only. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	watchman: false,
	testTimeout: 60000,
};
