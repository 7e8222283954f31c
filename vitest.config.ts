import { configDefaults, defineConfig } from 'vitest/config';

// Mutation testing (`npm run mutate`, StrykerJS) reruns the tests once per mutant and sets
// QLAB_MUTATION=1. There it leaves out the tests that cannot see a mutant or are too slow to rerun
// hundreds of times: the CLI and browser tests run the code in child processes (which never have the
// mutant switched on), and simulate.test.ts's 200-seed coverage study takes a minute by itself.
// `npm test` always runs everything.
const mutationOnly = process.env.QLAB_MUTATION === '1'
  ? ['sim/cli/**', 'bin/**', 'web/**', 'engine/adapters/sigkill.test.ts', 'sim/run/simulate.test.ts']
  : [];

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'sim/**/*.test.ts', 'scenarios/**/*.test.ts', 'bin/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...mutationOnly],
    globalSetup: ['bin/buildBeforeTests.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
