// The CI subset of mutation testing (npm run mutate:ci): sim/theory only, in Stryker's incremental
// mode against the committed .ci/stryker-incremental.json, so only mutants in code or tests changed
// since that file was written are run again; the score (reused results included) must stay >= 80 %.
// Refresh the file after changing sim/theory: npm run mutate:ci, then commit it.
import { readFileSync } from 'node:fs';

const { $schema, ...base } = JSON.parse(readFileSync(new URL('../stryker.config.json', import.meta.url), 'utf8'));

export default {
  ...base,
  mutate: ['sim/theory/**/*.ts', '!**/*.test.ts'],
  incremental: true,
  incrementalFile: '.ci/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only'],
  thresholds: { ...base.thresholds, break: 80 },
};
