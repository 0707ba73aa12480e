// Three tiers by suffix: *.spec.ts (unit, pure), *.int-spec.ts (real Kafka/Postgres/Redis),
// *.e2e-spec.ts (through the public surfaces). Select one with --selectProjects unit|int|e2e.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tests}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,tests}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/setup/timeouts.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,tests}/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/setup/timeouts.ts'],
    },
  ],
};
