import { changeTest, type Estimate } from '../check/change.ts';
import { studentTQuantile } from '../stats/studentT.ts';
import type { BenchResult } from './benchmark.ts';

export interface Comparison {
  name: string;
  unit: string;
  baseline: number | undefined;
  current: number | undefined;
  /** Relative change, current/baseline − 1 (higher is better for every timed figure: they are rates). */
  change: number | undefined;
  /** The 95 % interval of the change, when the figures came with their spread. */
  ci95?: [number, number];
  status: 'ok' | 'regression' | 'changed' | 'new' | 'missing' | 'too-few-samples';
}

/** Fewer timed samples (or rounds) than this on either side: no confidence, so no verdict. */
export const MIN_SAMPLES = 3;
/** Confidence the gate needs before calling a drop a regression (one-sided, per figure). */
const LEVEL = 0.05;

/**
 * Current figures against a baseline. Exact figures (rme 0, from the deterministic set) must match
 * exactly: any difference is `changed` and fails. Timed figures are rates (higher is better) and are
 * compared by confidence, not by a single best value: a figure regresses only when the whole 95 %
 * interval of its change lies below −threshold (a drop surely larger than the allowance); with too
 * few samples on either side it is `too-few-samples` and fails nothing.
 */
export function compareResults(baseline: BenchResult[], current: BenchResult[], threshold: number): Comparison[] {
  const base = new Map(baseline.map((r) => [r.name, r]));
  const rows: Comparison[] = [];
  for (const c of current) {
    const b = base.get(c.name);
    base.delete(c.name);
    if (b === undefined) {
      rows.push({ name: c.name, unit: c.unit, baseline: undefined, current: c.value, change: undefined, status: 'new' });
      continue;
    }
    const change = c.value / b.value - 1;
    const row = { name: c.name, unit: c.unit, baseline: b.value, current: c.value, change };
    if (c.samples === 1 && c.rme === 0) {
      rows.push({ ...row, status: c.value === b.value ? 'ok' : 'changed' });
      continue;
    }
    if (b.samples < MIN_SAMPLES || c.samples < MIN_SAMPLES) {
      rows.push({ ...row, status: 'too-few-samples' });
      continue;
    }
    const test = changeTest(estimateOf(b), estimateOf(c), threshold);
    if (test === undefined) {
      rows.push({ ...row, status: 'too-few-samples' });
      continue;
    }
    const [lo, hi] = test.intervalAt(2 * LEVEL);
    rows.push({ ...row, ci95: test.ci95, status: hi < -threshold && lo < hi ? 'regression' : 'ok' });
  }
  for (const b of base.values()) rows.push({ name: b.name, unit: b.unit, baseline: b.value, current: undefined, change: undefined, status: 'missing' });
  return rows;
}

/** A figure's mean and standard error from its rme (the 95 % margin of error, in % of the mean). */
function estimateOf(r: BenchResult): Estimate {
  const df = Math.max(1, r.samples - 1);
  return { mean: r.value, se: (r.value * r.rme) / 100 / studentTQuantile(0.975, df), df };
}

export function failed(rows: Comparison[]): boolean {
  return rows.some((r) => r.status === 'regression' || r.status === 'changed');
}

/**
 * For interleaved rounds: each benchmark's mean over the rounds, its samples the number of rounds
 * and its rme their 95 % margin of error (so a noisy round widens the interval instead of being
 * hidden behind a lucky best one).
 */
export function acrossRounds(rounds: BenchResult[][]): BenchResult[] {
  const byName = new Map<string, BenchResult[]>();
  for (const round of rounds) for (const r of round) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return [...byName.values()].map((all) => {
    const n = all.length;
    const mean = all.reduce((s, r) => s + r.value, 0) / n;
    const sd = n > 1 ? Math.sqrt(all.reduce((s, r) => s + (r.value - mean) ** 2, 0) / (n - 1)) : 0;
    const rme = n > 1 && mean > 0 ? ((studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n) / mean) * 100 : 0;
    return { name: all[0]!.name, unit: all[0]!.unit, value: mean, rme: n > 1 ? rme : all[0]!.rme, samples: n };
  });
}
