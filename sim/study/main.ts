/**
 * `npm run coverage-study [-- --seeds N] [--only text] [--from E]`: the full coverage study, one
 * markdown row per case as it finishes (stdout), progress on stderr. `--from E` starts at experiment
 * E (seed 1000·E), so a long case can be split across processes and the counts added.
 */
import { parseArgs } from 'node:util';
import { coverageOf, formatRow, TABLE_HEADER } from './coverage.ts';
import { FULL_CASES } from './studies.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '200' }, only: { type: 'string' }, from: { type: 'string', default: '0' } } });
const from = Number(values.from);
if (!Number.isInteger(from) || from < 0) {
  process.stderr.write(`--from must be a whole number ≥ 0, got '${values.from}'\n`);
  process.exit(2);
}
const seeds = Number(values.seeds);
if (!Number.isInteger(seeds) || seeds < 1) {
  process.stderr.write(`--seeds must be a whole number ≥ 1, got '${values.seeds}'\n`);
  process.exit(2);
}
process.stdout.write(`${TABLE_HEADER}\n`);
for (const c of FULL_CASES.filter((x) => values.only === undefined || x.name.includes(values.only))) {
  const started = Date.now();
  const row = coverageOf(
    c,
    seeds,
    (done) => {
      if (done % 10 === 0) process.stderr.write(`${c.name}: ${done}/${seeds} seeds, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    },
    from,
  );
  process.stdout.write(`${formatRow(row)}\n`);
}
