import type { Interval, RunResult } from '../run/simulate.ts';

/** The relative gap the lab aims for between calibrated simulation and the real engine. */
export const GAP_TARGET = 0.1;
/** How precise the real run must be for its gap to be judged against the target. */
export const REAL_PRECISION_TARGET = 0.05;

export interface GapRow {
  metric: string;
  unit: string;
  simulated: Interval;
  real: Interval;
  /** (simulated − real) / real, or null when the real value is 0 or missing. */
  relativeGap: number | null;
  /** The real run's own 95 % half-width ÷ |mean|, or null without an interval. */
  realRelativeHalfWidth: number | null;
  /** Judged only when the real run is precise enough: within GAP_TARGET or not. */
  verdict: 'within-target' | 'beyond-target' | 'real-run-too-imprecise' | 'no-value';
}

type Pick = (r: RunResult) => Interval | undefined;

const METRICS: { metric: string; unit: string; pick: Pick }[] = [
  { metric: 'throughput', unit: '/s', pick: (r) => r.summary.throughput },
  { metric: 'wait mean', unit: 'ms', pick: (r) => r.summary.wait },
  { metric: 'wait p99', unit: 'ms', pick: (r) => r.summary.wait.p99 },
  { metric: 'sojourn mean', unit: 'ms', pick: (r) => r.summary.sojourn },
  { metric: 'sojourn p99', unit: 'ms', pick: (r) => r.summary.sojourn.p99 },
  { metric: 'queue length', unit: '', pick: (r) => r.summary.queueLength },
  { metric: 'utilization', unit: '', pick: (r) => r.summary.utilization },
  { metric: 'confirm latency mean', unit: 'ms', pick: (r) => r.summary.confirmLatency },
  { metric: 'confirm latency p99', unit: 'ms', pick: (r) => r.summary.confirmLatency?.p99 },
];

const NONE: Interval = { mean: null, ci95: null };

/** Per metric: the simulation beside one real run, with the relative gap and whether it meets the target. */
export function gapRows(simulated: RunResult, real: RunResult): GapRow[] {
  return METRICS.filter((m) => m.pick(simulated) !== undefined || m.pick(real) !== undefined).map(({ metric, unit, pick }) => {
    const sim = pick(simulated) ?? NONE;
    const actual = pick(real) ?? NONE;
    const relativeGap = sim.mean !== null && actual.mean !== null && actual.mean !== 0 ? round((sim.mean - actual.mean) / actual.mean) : null;
    const realRelativeHalfWidth = actual.ci95 !== null && actual.mean !== null && actual.mean !== 0 ? round((actual.ci95[1] - actual.ci95[0]) / 2 / Math.abs(actual.mean)) : null;
    const verdict: GapRow['verdict'] =
      relativeGap === null ? 'no-value' : realRelativeHalfWidth === null || realRelativeHalfWidth > REAL_PRECISION_TARGET ? 'real-run-too-imprecise' : Math.abs(relativeGap) <= GAP_TARGET ? 'within-target' : 'beyond-target';
    return { metric, unit, simulated: sim, real: actual, relativeGap, realRelativeHalfWidth, verdict };
  });
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
