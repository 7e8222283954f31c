import { studentTCdf, studentTQuantile } from '../stats/studentT.ts';
import type { Interval } from '../run/simulate.ts';

/** A metric's estimate as the gate needs it: mean, standard error and degrees of freedom. */
export interface Estimate {
  mean: number;
  se: number;
  df: number;
}

/**
 * The estimate behind a report interval. Intervals from replications or batches carry se and df;
 * quantile intervals (exceedance method) are asymmetric and carry neither, so their se is read off
 * the interval's width as if it were a t interval with `fallbackDf` degrees of freedom.
 */
export function estimateOf(i: Interval | undefined, fallbackDf: number): Estimate | undefined {
  if (i === undefined || i.mean === null || i.ci95 === null) return undefined;
  if (i.se !== undefined && i.df !== undefined) return { mean: i.mean, se: i.se, df: i.df };
  const df = Math.max(1, fallbackDf);
  return { mean: i.mean, se: (i.ci95[1] - i.ci95[0]) / (2 * studentTQuantile(0.975, df)), df };
}

export interface ChangeTest {
  /** Relative change current/baseline − 1. */
  change: number;
  /** 95 % interval of the relative change. */
  ci95: [number, number];
  /**
   * p-value of H₀ "|change| ≤ maxChange", two-sided in form (2 × the one-sided tail beyond the nearer
   * bound): p ≤ level exactly when the (1 − level) interval lies entirely beyond ±maxChange, and at
   * maxChange 0 it is the ordinary two-sided test of "no change".
   */
  p: number;
  /** The interval at another level (Holm's adjusted one, for failures). */
  intervalAt(level: number): [number, number];
}

/**
 * The relative change of a metric between two independent runs, on the log scale (a ratio of two
 * positive means): log r = log c − log b, se² ≈ (se_c/c)² + (se_b/b)² (delta method), degrees of
 * freedom by Welch–Satterthwaite. p = 2·P(T ≥ (|log r| − |log-bound|) / se), the bound on the
 * side the estimate fell.
 */
export function changeTest(baseline: Estimate, current: Estimate, maxChange: number): ChangeTest | undefined {
  if (!(baseline.mean > 0) || !(current.mean > 0)) return undefined;
  const vb = (baseline.se / baseline.mean) ** 2;
  const vc = (current.se / current.mean) ** 2;
  const se = Math.sqrt(vb + vc);
  const df = vb + vc > 0 ? (vb + vc) ** 2 / (vb ** 2 / baseline.df + vc ** 2 / current.df) : Infinity;
  const logRatio = Math.log(current.mean / baseline.mean);
  const bound = logRatio >= 0 ? Math.log(1 + maxChange) : Math.log(1 - Math.min(maxChange, 0.999999));
  const p = se === 0 ? (Math.abs(logRatio) > Math.abs(bound) ? 0 : 1) : 2 * studentTCdf(-((Math.abs(logRatio) - Math.abs(bound)) / se), Math.min(df, 1e6));
  const intervalAt = (level: number): [number, number] => {
    const t = se === 0 ? 0 : studentTQuantile(1 - level / 2, Math.min(df, 1e6));
    return [Math.exp(logRatio - t * se) - 1, Math.exp(logRatio + t * se) - 1];
  };
  return { change: Math.exp(logRatio) - 1, ci95: intervalAt(0.05), p: Math.min(1, Math.max(0, p)), intervalAt };
}
