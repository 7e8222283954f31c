import { lag1Autocorrelation } from './batchMeans.ts';
import { studentTQuantile } from './studentT.ts';

/**
 * A point estimate with its interval, or the reason no interval is given. `se` and `df` let a
 * verdict turn the interval back into a test statistic.
 */
export interface SectionedEstimate {
  mean: number;
  ci95: [number, number] | null;
  se: number | null;
  df: number | null;
  /** Sections (batches or replications) the spread came from. */
  sections: number;
  /** Why no interval is given (null when one is). */
  declined: string | null;
  /** Lag-1 autocorrelation of the chosen batches (batch path only). */
  lag1?: number;
}

/**
 * Sectioning (Asmussen & Glynn 2007 §IV.5; Nakayama 2014): the interval is centred on the estimate
 * from ALL the data (`whole`: the whole-run or pooled quantile, or mean), and its spread comes from
 * the b section estimates' deviations around it, S² = Σ(θᵢ − θ̂)² / (b − 1), giving
 * θ̂ ± t(1 − α/2, b − 1)·S/√b. Unlike averaging per-section quantiles (biased for small sections:
 * an order statistic of a few hundred values is not the quantile), the centre carries only the
 * whole run's small bias; the sections' own bias only widens S, so the interval errs wide, not narrow.
 */
export function sectioning(whole: number, sections: ArrayLike<number>, level = 0.95): SectionedEstimate {
  const b = sections.length;
  if (!Number.isFinite(whole)) return declined(whole, b, 'nothing measured');
  if (b < 2) return declined(whole, b, 'fewer than two sections: spread unknown');
  let sum = 0;
  for (let i = 0; i < b; i++) sum += (sections[i]! - whole) ** 2;
  const se = Math.sqrt(sum / (b - 1) / b);
  const half = studentTQuantile(1 - (1 - level) / 2, b - 1) * se;
  return { mean: whole, ci95: [whole - half, whole + half], se, df: b - 1, sections: b, declined: null };
}

export const MIN_BATCHES = 10;

/**
 * Batch sizes that adapt: `levels[0]` holds the finest batches (equal slices of the measurement
 * window) and each next level merges neighbours pairwise, so batch size doubles. The first level
 * whose batch estimates pass the lag-1 test is used: r₁ ≤ z(0.90)/√b, a one-sided test at 10 %,
 * stricter than the usual 5 % because the test has little power at these b and positive
 * correlation between batches is what makes intervals too narrow. Levels with fewer than
 * `MIN_BATCHES` batches are not used: if no level passes, the run is too short for a valid
 * interval and none is given. The chosen level's variance is then inflated by its remaining lag-1
 * correlation (correlationInflation).
 */
export function adaptiveSectioning(whole: number, levels: ArrayLike<number>[], level = 0.95): SectionedEstimate {
  if (!Number.isFinite(whole)) return declined(whole, 0, 'nothing measured');
  let last: { b: number; r1: number } | undefined;
  for (const raw of levels) {
    const sections = Array.from(raw).filter(Number.isFinite);
    const b = sections.length;
    if (b < MIN_BATCHES) break;
    const r1 = lag1Autocorrelation(sections);
    last = { b, r1 };
    if (r1 <= LAG1_Z / Math.sqrt(b)) return { ...inflate(sectioning(whole, sections, level), correlationInflation(r1)), lag1: r1 };
  }
  if (last === undefined) return declined(whole, 0, `fewer than ${MIN_BATCHES} batches with data: run longer`);
  return { ...declined(whole, last.b, `batch means still correlated at ${last.b} batches (lag-1 ${last.r1.toFixed(2)}): run longer`), lag1: last.r1 };
}

/**
 * The correlation adjustment of Skart (Tafazzoli, Wilson, Lada & Steiger 2011, INFORMS J. Computing
 * 23(2):297–314, §3) and Sequest for steady-state quantiles (Alexopoulos, Goldsman, Mokashi, Tien &
 * Wilson 2019, Operations Research 67(4):1162–1183): the batch estimates' variance is multiplied by
 * A = (1 + φ)/(1 − φ), φ = max(0, lag-1 autocorrelation), the ratio of the variance of the mean of b
 * AR(1) terms to that of b independent ones. The lag-1 test above has little power at 10–20
 * batches, so a level that passes it may still be positively correlated, and then S²/b understates
 * the estimator's variance. Measured (200 seeds, one replication, scratch re-analysis of the same
 * runs): M/G/1 scv 4 p99 coverage 89.9 % → 92.0 %, M/M/1 ρ 0.8 p99 91.9 % → 93.4 %.
 */
export function correlationInflation(lag1: number): number {
  const phi = Math.max(0, Math.min(lag1, 0.9));
  return (1 + phi) / (1 - phi);
}

/** The interval widened by a variance factor (≥ 1), still centred on the estimate. */
function inflate(e: SectionedEstimate, varianceFactor: number): SectionedEstimate {
  if (e.ci95 === null || e.se === null || varianceFactor <= 1) return e;
  const k = Math.sqrt(varianceFactor);
  const half = ((e.ci95[1] - e.ci95[0]) / 2) * k;
  return { ...e, ci95: [e.mean - half, e.mean + half], se: e.se * k };
}

/** z(0.90): the one-sided 10 % point of the standard normal. */
const LAG1_Z = 1.2815515655446004;

export function declined(mean: number, sections: number, reason: string): SectionedEstimate {
  return { mean, ci95: null, se: null, df: null, sections, declined: reason };
}

/** Non-negative quantities never get a negative bound: the lower end is clipped at 0 (the interval only shrinks, so coverage of a non-negative value is unchanged). */
export function clipAtZero(e: SectionedEstimate): SectionedEstimate {
  if (e.ci95 === null || e.ci95[0] >= 0) return e;
  return { ...e, ci95: [0, Math.max(0, e.ci95[1])] };
}
