import { adaptiveSectioning, clipAtZero, declined, sectioning, type SectionedEstimate } from '../stats/sectioning.ts';
import type { WindowMetrics } from './measure.ts';
import type { HistogramBuckets, ReplicationResult } from './replication.ts';

/**
 * How an interval was made (named in the report beside every interval):
 * - `replications`: Student t across the replications' whole-window values (each replication one
 *   independent observation).
 * - `batch-sectioning`: one replication; batches of the measurement window whose size doubles until
 *   the lag-1 autocorrelation of the batch values passes (stats/sectioning.ts), interval centred
 *   on the whole-window value, its variance widened by the remaining lag-1 correlation (Skart).
 * - `replications-exceedance` / `batch-exceedance` (quantiles): the point estimate θ̂ is the quantile
 *   of ALL observations (pooled over replications, or the whole window of one run). Each
 *   replication (batch) gives the share of its observations above θ̂; those shares are means, so
 *   they get an interval [p̂ − h, p̂ + h] as above, and the quantile's interval is the pooled
 *   distribution read at 1 − p̂ − h and 1 − p̂ + h (the order-statistic interval of Law & Kelton §9.4,
 *   with batches or replications supplying the variance under autocorrelation). Per-batch
 *   quantiles are NOT averaged: an order statistic of a few hundred correlated waits is biased and
 *   its spread understates the whole run's.
 * - `none`: no interval by design (a maximum has no steady-state value to cover).
 */
export type IntervalMethod = 'replications' | 'batch-sectioning' | 'replications-exceedance' | 'batch-exceedance' | 'none';

/** A point estimate with its 95 % interval, the method that made it, or why there is none. */
export interface Interval {
  mean: number | null;
  ci95: [number, number] | null;
  method?: IntervalMethod;
  /** Why no interval is given (unstable, run too short, …). */
  declined?: string;
  /** Standard error and degrees of freedom behind ci95 (for tests against theory). */
  se?: number;
  df?: number;
}

export type MetricKind = 'mean' | 'quantile' | 'max';

/**
 * The interval of one metric from the runs. Replications: the point estimate is the replications'
 * average (means) or the quantile of all their observations pooled (quantiles, from the merged
 * histograms); one replication: the whole window's value. Lower ends are clipped at 0 (every metric
 * here is non-negative).
 */
export function intervalOf(key: string, kind: MetricKind, runs: ReplicationResult[], pooled?: HistogramBuckets): Interval {
  const byReplication = runs.length >= 2;
  const method: IntervalMethod = byReplication ? 'replications' : 'batch-sectioning';
  const values = runs.map((r) => r.metrics[key] ?? NaN);
  if (kind === 'max') {
    const finite = values.filter(Number.isFinite);
    return finite.length === 0 ? { mean: null, ci95: null } : { mean: round(average(finite)), ci95: null, method: 'none', declined: 'a maximum has no steady-state value' };
  }
  if (kind === 'quantile') return quantileInterval(key, runs, pooled);
  let e: SectionedEstimate;
  if (byReplication) {
    const finite = values.filter(Number.isFinite);
    if (finite.length === 0) return { mean: null, ci95: null };
    e = sectioning(average(finite), finite);
  } else {
    const whole = values[0]!;
    if (!Number.isFinite(whole)) return { mean: null, ci95: null };
    const levels = (runs[0]!.batchLevels ?? []).map((level) => level.map((o: WindowMetrics) => o[key] ?? NaN));
    e = levels.length === 0 ? declined(whole, 0, 'no batches: the measurement window is shorter than the batch count') : adaptiveSectioning(whole, levels);
  }
  return toInterval(clipAtZero(e), method);
}

/** A quantile's interval by exceedance shares (see IntervalMethod). */
function quantileInterval(key: string, runs: ReplicationResult[], pooled?: HistogramBuckets): Interval {
  const q = quantileOfKey(key)!;
  const name = key.startsWith('wait') ? 'wait' : 'sojourn';
  if (runs.length >= 2) {
    const h = pooled ?? [];
    const theta = bucketQuantile(h, q);
    if (!Number.isFinite(theta)) return { mean: null, ci95: null };
    const shares = runs.map((r) => shareAbove(name === 'wait' ? r.histograms.waitMs : r.histograms.sojournMs, theta)).filter(Number.isFinite);
    const e = sectioning(shareAbove(h, theta), shares);
    return invert(theta, e, h, 'replications-exceedance');
  }
  const run = runs[0]!;
  const theta = run.metrics[key] ?? NaN;
  if (!Number.isFinite(theta)) return { mean: null, ci95: null };
  const levels = (run.batchLevels ?? []).map((level) => level.map((o) => (o[`${name}N`]! > 0 ? o[`${key}.above`]! / o[`${name}N`]! : NaN)));
  const base = run.batchLevels?.[0] ?? [];
  const n = base.reduce((s, o) => s + (o[`${name}N`] ?? 0), 0);
  const above = base.reduce((s, o) => s + (o[`${key}.above`] ?? 0), 0);
  if (levels.length === 0 || n === 0) return toInterval(declined(theta, 0, 'no batches: the measurement window is shorter than the batch count'), 'batch-exceedance');
  const e = adaptiveSectioning(above / n, levels);
  return invert(theta, e, name === 'wait' ? run.histograms.waitMs : run.histograms.sojournMs, 'batch-exceedance');
}

/** The quantile interval from the interval of the share above θ̂, read off the distribution `h`. */
function invert(theta: number, share: SectionedEstimate, h: HistogramBuckets, method: IntervalMethod): Interval {
  if (share.ci95 === null) return { mean: round(theta), ci95: null, method, declined: share.declined ?? 'no interval' };
  const [lo, hi] = share.ci95;
  const upper = lo <= 0 ? h[h.length - 1]!.hi : bucketQuantile(h, 1 - lo);
  const lower = hi >= 1 ? 0 : bucketQuantile(h, 1 - hi);
  return { mean: round(theta), ci95: [round(Math.max(0, Math.min(lower, theta))), round(Math.max(upper, theta))], method };
}

/** The share of a histogram's observations above x (linear inside the bucket that straddles it). */
export function shareAbove(buckets: HistogramBuckets, x: number): number {
  let n = 0;
  let above = 0;
  for (const b of buckets) {
    n += b.count;
    if (b.lo > x) above += b.count;
    else if (b.hi > x && b.hi > b.lo) above += (b.count * (b.hi - x)) / (b.hi - b.lo);
  }
  return n > 0 ? above / n : NaN;
}

export function toInterval(e: SectionedEstimate, method: IntervalMethod): Interval {
  if (e.ci95 === null) return { mean: round(e.mean), ci95: null, method, declined: e.declined ?? 'no interval' };
  return { mean: round(e.mean), ci95: [round(e.ci95[0]), round(e.ci95[1])], method, se: round(e.se!), df: e.df! };
}

/** An interval withheld for a reason that applies to the whole run (e.g. the system is unstable). */
export function withhold(i: Interval, reason: string): Interval {
  if (i.mean === null) return i;
  return { mean: i.mean, ci95: null, ...(i.method !== undefined ? { method: i.method } : {}), declined: reason };
}

const QUANTILE_KEYS: Record<string, number> = { P50: 0.5, P90: 0.9, P99: 0.99, P999: 0.999 };

function quantileOfKey(key: string): number | undefined {
  const m = /P(50|90|99|999)Ms$/.exec(key);
  return m === null ? undefined : QUANTILE_KEYS[`P${m[1]}`];
}

/**
 * The q-quantile of the observations a histogram counts, interpolating linearly inside the bucket
 * that holds rank ⌈q·n⌉ (buckets are 2.2 % wide, so this is within about 1 % of the order statistic).
 */
export function bucketQuantile(buckets: HistogramBuckets, q: number): number {
  const n = buckets.reduce((s, b) => s + b.count, 0);
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const b of buckets) {
    if (seen + b.count >= rank) return b.lo + ((rank - seen - 0.5) / b.count) * (b.hi - b.lo);
    seen += b.count;
  }
  return buckets[buckets.length - 1]!.hi;
}

function average(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Reports keep 12 significant digits: enough for any measurement, and stable text across platforms. */
export function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
}
