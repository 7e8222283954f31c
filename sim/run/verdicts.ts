import { studentTCdf } from '../stats/studentT.ts';
import type { Interval } from './intervals.ts';

/**
 * Per metric: `inside`/`outside` the 95 % interval (exact theory); `within-tolerance` /
 * `beyond-tolerance` when theory is an approximation (Allen–Cunneen, Kingman) — the interval must
 * come within APPROXIMATION_TOLERANCE of the approximate value, a strict inside/outside would test
 * the approximation's error rather than the simulator; `no-interval` when none was given.
 */
export type TheoryVerdict = 'inside' | 'outside' | 'within-tolerance' | 'beyond-tolerance' | 'no-interval';

/** Relative tolerance for approximate theory (Allen–Cunneen is typically within 10 % for moderate scv). */
export const APPROXIMATION_TOLERANCE = 0.15;
/** Family-wise error level of the family verdict. */
export const FAMILY_LEVEL = 0.05;

export function metricVerdict(interval: Interval, value: number | undefined, approximate: boolean): TheoryVerdict {
  if (value === undefined || !Number.isFinite(value) || interval.ci95 === null) return 'no-interval';
  const [lo, hi] = interval.ci95;
  if (approximate) {
    const slack = APPROXIMATION_TOLERANCE * Math.abs(value);
    return lo <= value + slack && value - slack <= hi ? 'within-tolerance' : 'beyond-tolerance';
  }
  return lo <= value && value <= hi ? 'inside' : 'outside';
}

export interface FamilyVerdict {
  /** `consistent`: no metric rejected by Holm's step-down at `level`; `not-tested`: no exact theory with an interval. */
  verdict: 'consistent' | 'inconsistent' | 'not-tested' | 'approximate';
  level: number;
  method: 'holm';
  /** Metrics tested (those with an interval of non-zero spread), each with its two-sided p-value; `rejected` marks Holm's rejections. */
  tests: { metric: string; p: number; rejected: boolean }[];
}

/**
 * One verdict for all compared metrics at family-wise level `level`: each metric gives a two-sided
 * t-test p-value of H₀ "the simulation's steady-state value equals theory" (from its interval's se
 * and df), and Holm's step-down procedure rejects the smallest p-values while p₍ᵢ₎ ≤ level/(m − i + 1).
 * Holm controls the family-wise error at `level` whatever the dependence between the metrics (Wq,
 * W, Lq, L are strongly correlated, so it is conservative), where separate 5 % tests would flag a
 * correct simulator in up to 1 − 0.95^m of runs.
 */
export function familyVerdict(compared: { metric: string; interval: Interval; value: number | undefined }[], approximate: boolean, level = FAMILY_LEVEL): FamilyVerdict {
  const tests = compared
    .filter((c) => c.value !== undefined && Number.isFinite(c.value) && c.interval.mean !== null && c.interval.se !== undefined && c.interval.se > 0 && c.interval.df !== undefined && c.interval.ci95 !== null)
    .map((c) => ({ metric: c.metric, p: pValue(c.interval.mean!, c.interval.se!, c.interval.df!, c.value!), rejected: false }));
  if (approximate) return { verdict: tests.length === 0 ? 'not-tested' : 'approximate', level, method: 'holm', tests };
  if (tests.length === 0) return { verdict: 'not-tested', level, method: 'holm', tests };
  const order = tests.map((_, i) => i).sort((a, b) => tests[a]!.p - tests[b]!.p);
  for (let k = 0; k < order.length; k++) {
    const t = tests[order[k]!]!;
    if (t.p > level / (order.length - k)) break;
    t.rejected = true;
  }
  return { verdict: tests.some((t) => t.rejected) ? 'inconsistent' : 'consistent', level, method: 'holm', tests: tests.map((t) => ({ ...t, p: Number(t.p.toPrecision(6)) })) };
}

export function pValue(mean: number, se: number, df: number, value: number): number {
  if (se === 0) return mean === value ? 1 : 0;
  const t = Math.abs(mean - value) / se;
  return Math.min(1, 2 * (1 - studentTCdf(t, df)));
}
