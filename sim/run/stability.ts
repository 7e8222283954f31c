import type { ReplicationResult } from './replication.ts';

/**
 * Whether steady-state numbers mean anything for this run:
 * - `unstable`: offered load ≥ capacity — theory says so (ρ ≥ 1 where a model applies), or the run
 *   shows it where no theory applies: the number in the system rises through all four quarters of
 *   the measurement window, by more than 1 % of the throughput per second, in most replications.
 * - `not-yet-steady`: a stable system whose run is too short — the backlog still rising where theory
 *   says stable, MSER suspected the warm-up outlasts half the run, or batch sizes never made batch
 *   means uncorrelated. Suggests a longer run.
 * - `steady`: neither.
 */
export interface SteadyState {
  status: 'steady' | 'unstable' | 'not-yet-steady';
  reason: string;
  /** Backlog growth in messages per second over the measurement window (mean over replications). */
  growthPerSec: number;
  /** Offered load λ / (c·μ) where theory applies. */
  rho?: number;
  suggestion?: string;
}

/** Growth above this share of the throughput, rising through all four quarters, is "sustained". */
const GROWTH_SHARE = 0.01;

export function assessStability(
  runs: ReplicationResult[],
  theory: { stable: boolean; rho?: number } | undefined,
  throughputPerSec: number,
  declinedForLength: string | undefined,
): SteadyState {
  const growth = runs.map(backlogGrowth);
  const growthPerSec = round(growth.reduce((s, g) => s + g.perSec, 0) / Math.max(1, growth.length));
  const rho = theory?.rho !== undefined && Number.isFinite(theory.rho) ? { rho: round(theory.rho) } : {};
  if (theory !== undefined && !theory.stable) {
    return { status: 'unstable', reason: `offered load ≥ capacity (theory: ρ = ${fmt(theory.rho)} ≥ 1); backlog grows ${fmt(growthPerSec)} messages/s`, growthPerSec, ...rho };
  }
  const rising = growth.filter((g) => g.rising && g.perSec > GROWTH_SHARE * Math.max(throughputPerSec, 1e-9)).length;
  // Where theory applies and says stable, a rising backlog is a transient the run has not outlasted.
  if (rising * 2 > runs.length && theory !== undefined) {
    return { status: 'not-yet-steady', reason: `the backlog is still rising (${fmt(growthPerSec)} messages/s) though theory says stable (ρ = ${fmt(theory.rho)})`, growthPerSec, ...rho, suggestion: 'run longer (e.g. 4× durationSec)' };
  }
  if (rising * 2 > runs.length) {
    return { status: 'unstable', reason: `the backlog grows through the run (${fmt(growthPerSec)} messages/s in ${rising} of ${runs.length} replications): offered load exceeds capacity`, growthPerSec, ...rho };
  }
  const suspect = runs.filter((r) => r.warmupRule === 'mser5-suspect').length;
  if (suspect > 0 || declinedForLength !== undefined) {
    const why = suspect > 0 ? `MSER-5 found the warm-up may outlast half the run in ${suspect} of ${runs.length} replications` : `the run is too short for a valid interval (${declinedForLength})`;
    return { status: 'not-yet-steady', reason: why, growthPerSec, ...rho, suggestion: 'run longer (e.g. 4× durationSec) or use more replications' };
  }
  return { status: 'steady', reason: 'no sustained backlog growth; warm-up and intervals valid', growthPerSec, ...rho };
}

/** Least-squares slope of the number in the system over the measurement window, per second, and whether its quarter means rise monotonically. */
export function backlogGrowth(run: ReplicationResult): { perSec: number; rising: boolean } {
  const { tMs, inSystem } = run.series;
  const from = tMs.findIndex((t) => t >= run.warmupMs);
  const xs = tMs.slice(Math.max(0, from));
  const ys = inSystem.slice(Math.max(0, from));
  const n = ys.length;
  if (n < 8) return { perSec: 0, rising: false };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const quarter = (k: number) => {
    const part = ys.slice(Math.floor((k * n) / 4), Math.floor(((k + 1) * n) / 4));
    return part.reduce((a, b) => a + b, 0) / part.length;
  };
  const q = [0, 1, 2, 3].map(quarter);
  return { perSec: sxx > 0 ? (sxy / sxx) * 1000 : 0, rising: q[0]! < q[1]! && q[1]! < q[2]! && q[2]! < q[3]! };
}

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '?' : Number(v.toPrecision(3)).toString();
}

function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : 0;
}
