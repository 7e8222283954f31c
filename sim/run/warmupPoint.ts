import type { Scenario } from '../scenario/schema.ts';
import { meanAndVariance } from '../stats/interval.ts';
import { mser5 } from '../stats/warmup.ts';
import type { Tracker } from './tracker.ts';

/**
 * How the warm-up was chosen: the scenario's fixed time; MSER-5's cut; the default tenth because
 * MSER's cut was not confirmed as a low (empty-start) prefix; or that default because MSER was suspect (its
 * minimum at the end of the searched range: the run may be too short to reach steady state).
 */
export type WarmupRule = 'fixed' | 'mser5' | 'mser5-unconfirmed' | 'mser5-suspect';

export interface WarmupPoint {
  warmupMs: number;
  rule: WarmupRule;
}

/** MSER searches, and may delete, at most this share of the run. */
export const MAX_WARMUP_SHARE = 0.5;
/** The default warm-up, and the fallback of "auto": a tenth of the run. */
export const DEFAULT_WARMUP_SHARE = 0.1;

/**
 * The warm-up: `warmupSec` when the scenario fixes it (default a tenth of the run), or with "auto"
 * MSER-5 on the time-ordered series of the number in the system averaged per time bucket (every
 * batch of 5 spans the same simulated time, and no per-message data is needed).
 *
 * MSER minimises the spread of what is kept, so on a strongly autocorrelated series it also cuts
 * off stationary high excursions — biasing the mean LOW, the same way as the empty start it is meant
 * to remove (measured: M/M/1 ρ = 0.95 from empty, plain MSER-5 moved the mean wait further from
 * theory, not closer). Every run here starts empty, so a real transient is a prefix BELOW the rest.
 * MSER's cut is kept only when the deleted prefix's mean is below the rest's by more than two
 * batch-means standard errors of the rest; otherwise, and when MSER is suspect, the fallback is the
 * default tenth of the run (a data-independent cut adds no selection bias), and a suspect result
 * marks the run "not yet steady".
 */
export function warmupPoint(scenario: Scenario, tracker: Tracker, durationMs: number): WarmupPoint {
  if (scenario.warmupSec !== 'auto') return { warmupMs: (scenario.warmupSec ?? scenario.durationSec / 10) * 1000, rule: 'fixed' };
  const width = tracker.inSystem.bucketMs;
  const averages = Array.from(tracker.inSystem.area, (a) => a / width);
  const fallback = DEFAULT_WARMUP_SHARE * durationMs;
  const result = mser5(averages, { maxShare: MAX_WARMUP_SHARE });
  if (result.suspect) return { warmupMs: fallback, rule: 'mser5-suspect' };
  if (result.truncate > 0 && isLowTransient(averages, result.truncate)) return { warmupMs: result.truncate * width, rule: 'mser5' };
  return { warmupMs: fallback, rule: 'mser5-unconfirmed' };
}

/** The first `cut` values sit below the rest by more than 2 standard errors (10 batch means of the rest). */
export function isLowTransient(series: ArrayLike<number>, cut: number): boolean {
  const rest = Array.from(series).slice(cut);
  const size = Math.floor(rest.length / 10);
  if (size < 1) return false;
  const batches = Array.from({ length: 10 }, (_, b) => mean(rest.slice(rest.length - (10 - b) * size, rest.length - (9 - b) * size)));
  const se = Math.sqrt(meanAndVariance(batches).variance / 10);
  return mean(Array.from(series).slice(0, cut)) < mean(rest) - 2 * se;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
