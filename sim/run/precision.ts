import type { Scenario } from '../scenario/schema.ts';
import type { Interval } from './intervals.ts';
import type { RunResult, RunSummary } from './simulate.ts';

export type PrecisionMetric = NonNullable<NonNullable<Scenario['precision']>['metrics']>[number];

export interface PrecisionGoal {
  relativeHalfWidth: number;
  metrics: PrecisionMetric[];
  maxReplications: number;
}

/** What a precision-driven run reached: per metric the relative half-width (null when no interval). */
export interface PrecisionOutcome {
  target: number;
  met: boolean;
  replications: number;
  maxReplications: number;
  reached: Record<string, number | null>;
  /** Why it stopped short, when it did. */
  stopped?: string;
}

export const DEFAULT_PRECISION_METRICS: PrecisionMetric[] = ['wait', 'sojourn', 'queueLength', 'throughput'];
export const DEFAULT_MAX_REPLICATIONS = 200;

export function precisionGoal(scenario: Scenario, cliTarget?: number): PrecisionGoal | undefined {
  const p = scenario.precision;
  const target = cliTarget ?? p?.relativeHalfWidth;
  if (target === undefined) return undefined;
  return { relativeHalfWidth: target, metrics: p?.metrics ?? DEFAULT_PRECISION_METRICS, maxReplications: p?.maxReplications ?? DEFAULT_MAX_REPLICATIONS };
}

function intervalOfMetric(s: RunSummary, m: PrecisionMetric): Interval {
  switch (m) {
    case 'wait.p99':
      return s.wait.p99;
    case 'sojourn.p99':
      return s.sojourn.p99;
    default:
      return s[m];
  }
}

/** Relative half-width of each goal metric in `result`; met when every one is below the target. */
export function assessPrecision(result: RunResult, goal: PrecisionGoal): { met: boolean; reached: Record<string, number | null> } {
  const reached: Record<string, number | null> = {};
  let met = true;
  for (const m of goal.metrics) {
    const i = intervalOfMetric(result.summary, m);
    const rel = i.ci95 === null || i.mean === null || i.mean === 0 ? null : Number(((i.ci95[1] - i.ci95[0]) / 2 / Math.abs(i.mean)).toPrecision(6));
    reached[m] = rel;
    if (rel === null || rel >= goal.relativeHalfWidth) met = false;
  }
  return { met, reached };
}

/**
 * The replication counts a precision-driven run evaluates: start (at least 2), then doubling, capped
 * at maxReplications. Every stopping decision is taken on replications 0 … R−1 in index order, so
 * the outcome — and the report — are the same whatever the number of workers.
 */
export function nextReplications(current: number, goal: PrecisionGoal): number {
  return Math.min(goal.maxReplications, current * 2);
}
