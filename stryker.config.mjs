// Mutation testing of the core flow (`npm run test:mutation`; docs/testing.md, "Mutation testing").
// Stryker changes the product code one small edit at a time (a `<` for a `<=`, a string emptied, a
// branch dropped) and runs the unit tests that cover the edit: a mutant the tests do not notice
// ("survived") is a behaviour no test pins down.
const config = {
  mutate: ['lib/auth/**/*.ts', 'lib/redis/**/*.ts', 'lib/security/**/*.ts', 'lib/cache-sizes.ts', '!**/*.test.ts'],
  // The unit tests; not bench/, whose test reads the product sources as text (Stryker's copies are
  // instrumented) and checks the benchmark's overlays, not the flow.
  testFiles: ['lib/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts', 'next.config.test.ts'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts' },
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: 'perTest',
  // Mutants that do not compile are dropped before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'test/mutation/tsconfig.json',
  // Static mutants (code run once, when its module is imported: constant tables, regular
  // expressions, copy) are left out: each would need every related test file run again in a fresh
  // environment, ~90 % of the run's time for a quarter of the mutants. Exact tests pin those values
  // (the security headers, the error copy, the limits at their boundary). A mutant in a function that
  // also runs at import (contentSecurityPolicy) is still run, against the tests that cover it.
  ignoreStatic: true,
  // 2 cores: one test runner and the type checker beside it.
  concurrency: 1,
  // Only the mutants of code (or tests) changed since the committed result file are run again;
  // without the file, every mutant is.
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  // The floor: below 90 % of valid mutants killed, the run fails.
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

export default config;
