import { simulate } from '../run/simulate.ts';
import type { Interval } from '../run/intervals.ts';
import type { CoverageCase } from './cases.ts';

export interface CoverageRow {
  name: string;
  seeds: number;
  mean: Tally;
  p99?: Tally;
}

/** Per metric: seeds that printed an interval, and of those, how many covered the exact value. */
export interface Tally {
  printed: number;
  covered: number;
}

/**
 * Runs a case over `seeds` fixed seeds (experiment e uses seed 1000·e, so its replications
 * 1000·e … 1000·e + R − 1 never overlap another experiment's) and counts, for the mean wait and the
 * p99 wait, the runs that printed an interval and those whose interval covered the exact value. A
 * declined interval is never counted as covered.
 */
export function coverageOf(c: CoverageCase, seeds: number, onSeed?: (done: number) => void, firstExperiment = 0): CoverageRow {
  const mean: Tally = { printed: 0, covered: 0 };
  const p99: Tally = { printed: 0, covered: 0 };
  for (let e = firstExperiment; e < firstExperiment + seeds; e++) {
    const r = simulate(c.scenario, { seed: 1000 * e });
    count(mean, r.summary.wait, c.waitMeanMs);
    if (c.waitP99Ms !== undefined) count(p99, r.summary.wait.p99, c.waitP99Ms);
    onSeed?.(e + 1 - firstExperiment);
  }
  return { name: c.name, seeds, mean, ...(c.waitP99Ms !== undefined ? { p99 } : {}) };
}

function count(t: Tally, i: Interval, exact: number): void {
  if (i.ci95 === null) return;
  t.printed++;
  if (i.ci95[0] <= exact && exact <= i.ci95[1]) t.covered++;
}

export function formatRow(r: CoverageRow): string {
  const cell = (t: Tally | undefined) => (t === undefined ? '— | —' : `${pct(t.covered, t.printed)} (${t.covered}/${t.printed}) | ${pct(r.seeds - t.printed, r.seeds)}`);
  return `| ${r.name} | ${r.seeds} | ${cell(r.mean)} | ${cell(r.p99)} |`;
}

export const TABLE_HEADER = '| case | seeds | mean wait: coverage (covered/printed) | declined | p99 wait: coverage | declined |\n|---|---|---|---|---|---|';

function pct(a: number, b: number): string {
  return b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`;
}
