import type { FaultEvent } from '../faults/faultLog.ts';
import { StreamTally } from '../stats/streamTally.ts';
import type { BucketSamples } from './bucketSamples.ts';
import { intervalOf, type Interval } from './intervals.ts';
import type { HistogramBuckets, ReplicationResult } from './replication.ts';

/**
 * Waits and sojourns split by when the message arrived: inside a fault window (a broker outage and
 * the drain of its backlog after the restart) or in steady state (the rest of the measurement
 * window). Averaged together, a few seconds of outage hide in hours of calm; a planner sizing
 * "through restarts" wants each on its own. Resolution is the run's time bucket: a bucket that
 * overlaps a window belongs to it. A window runs from the crash to the restart, then through the
 * backlog's drain: the backlog is the mean ready queue above twice the measurement window's mean
 * queue length (at least one message), looked for within a second (or the outage's length) of the
 * restart, and drained at the first bucket back under that level, or the next crash, or the end of
 * the run. Only broker crashes open a window.
 */
export interface FaultWindowPart {
  /** Messages that arrived in this part and were delivered (wait samples). */
  arrivals: number;
  /** waitMeanMs, waitP50Ms … sojournMaxMs, as a window's metrics name them. */
  metrics: Record<string, number>;
  histograms: { waitMs: HistogramBuckets; sojournMs: HistogramBuckets };
}

export interface ReplicationFaultWindows {
  /** [from, to) of each window, in virtual ms (whole buckets). */
  windowsMs: [number, number][];
  steady: FaultWindowPart;
  fault: FaultWindowPart;
}

const STATS: [string, (t: StreamTally) => number][] = [
  ['MeanMs', (t) => t.mean],
  ['P50Ms', (t) => t.quantile(0.5)],
  ['P90Ms', (t) => t.quantile(0.9)],
  ['P99Ms', (t) => t.quantile(0.99)],
  ['P999Ms', (t) => t.quantile(0.999)],
  ['MaxMs', (t) => t.max],
];

export function measureFaultWindows(samples: BucketSamples, schedule: FaultEvent[], queueLength: number[], warmupMs: number): ReplicationFaultWindows {
  const from = Math.min(samples.buckets, Math.round(warmupMs / samples.bucketMs));
  const measured = queueLength.slice(from);
  const steadyLevel = Math.max(1, (2 * measured.reduce((s, v) => s + v, 0)) / Math.max(1, measured.length));
  const crashes = schedule.filter((e) => e.kind === 'broker-crash').sort((a, b) => a.atMs - b.atMs);
  const inFault = new Uint8Array(samples.buckets);
  const windowsMs: [number, number][] = [];
  crashes.forEach((crash, k) => {
    const first = samples.bucketOf(crash.atMs);
    if (first < 0) return;
    const restart = crash.atMs + (crash.downMs ?? 0);
    const stop = Math.min(samples.buckets, crashes[k + 1] === undefined ? samples.buckets : Math.max(first + 1, samples.bucketOf(crashes[k + 1]!.atMs)));
    // The backlog may come back a little after the restart (publishers retry after a backoff): the
    // drain starts at the first bucket above the steady level within a second (or the outage's
    // length) of the restart, and ends at the first one back under it.
    const restartBucket = Math.min(stop - 1, Math.max(first, samples.bucketOf(restart)));
    const graceEnd = Math.min(stop, samples.bucketOf(restart + Math.max(1000, crash.downMs ?? 0)) + 1 || stop);
    let last = restartBucket;
    let b = restartBucket;
    while (b < graceEnd && (queueLength[b] ?? 0) <= steadyLevel) b++;
    if (b < graceEnd) {
      while (b < stop && (queueLength[b] ?? 0) > steadyLevel) b++;
      last = Math.min(b, stop - 1);
    }
    for (let b = first; b <= last; b++) inFault[b] = 1;
    windowsMs.push([first * samples.bucketMs, (last + 1) * samples.bucketMs]);
  });
  return { windowsMs, steady: partOf(samples, from, (b) => inFault[b] === 0), fault: partOf(samples, from, (b) => inFault[b] === 1) };
}

/** The merged tallies of the measured buckets the predicate picks (runs of consecutive buckets merged at once). */
function partOf(samples: BucketSamples, from: number, picks: (bucket: number) => boolean): FaultWindowPart {
  const wait = new StreamTally(samples.exact);
  const sojourn = new StreamTally(samples.exact);
  for (let b = from; b < samples.buckets; ) {
    if (!picks(b)) {
      b++;
      continue;
    }
    let end = b;
    while (end < samples.buckets && picks(end)) end++;
    const w = samples.window(b, end);
    wait.merge(w.wait);
    sojourn.merge(w.sojourn);
    b = end;
  }
  const metrics: Record<string, number> = {};
  for (const [name, tally] of [['wait', wait], ['sojourn', sojourn]] as const) {
    for (const [suffix, stat] of STATS) metrics[`${name}${suffix}`] = tally.n > 0 ? stat(tally) : NaN;
  }
  return { arrivals: wait.n, metrics, histograms: { waitMs: wait.histogram(), sojournMs: sojourn.histogram() } };
}

export interface PartSummary {
  /** Share of the measured arrivals in this part, over all replications. */
  share: number;
  wait: Interval & { p50: Interval; p90: Interval; p99: Interval; p999: Interval; max: Interval };
  sojourn: Interval & { p50: Interval; p90: Interval; p99: Interval; p999: Interval; max: Interval };
}

export interface FaultWindowsSummary {
  windows: number;
  steady: PartSummary;
  fault: PartSummary;
}

/**
 * Across replications, each part's statistics with the same intervals as the run's own (means by
 * replications, quantiles by exceedance shares of the pooled histogram). One replication gives no
 * interval here: its batches mix both parts.
 */
export function summarizeFaultWindows(runs: ReplicationResult[], merge: (all: HistogramBuckets[]) => HistogramBuckets): FaultWindowsSummary | undefined {
  const parts = runs.map((r) => r.faultWindows);
  if (parts.some((p) => p === undefined)) return undefined;
  const all = parts as ReplicationFaultWindows[];
  const total = all.reduce((s, p) => s + p.steady.arrivals + p.fault.arrivals, 0);
  const summarize = (name: 'steady' | 'fault'): PartSummary => {
    const pseudo = all.map((p) => ({ metrics: p[name].metrics, histograms: p[name].histograms, batchLevels: [] }) as unknown as ReplicationResult);
    const pooled = (key: 'waitMs' | 'sojournMs') => (pseudo.length >= 2 ? merge(all.map((p) => p[name].histograms[key])) : undefined);
    const one = (key: string, kind: 'mean' | 'quantile' | 'max', pooledKey?: 'waitMs' | 'sojournMs'): Interval => {
      const interval = intervalOf(key, kind, pseudo, pooledKey === undefined ? undefined : pooled(pooledKey));
      return pseudo.length >= 2 || interval.mean === null || kind === 'max' ? interval : { mean: interval.mean, ci95: null, method: 'none', declined: 'one replication: a fault-window interval needs replications' };
    };
    const dist = (m: 'wait' | 'sojourn') => {
      const key = m === 'wait' ? 'waitMs' : 'sojournMs';
      return { ...one(`${m}MeanMs`, 'mean'), p50: one(`${m}P50Ms`, 'quantile', key), p90: one(`${m}P90Ms`, 'quantile', key), p99: one(`${m}P99Ms`, 'quantile', key), p999: one(`${m}P999Ms`, 'quantile', key), max: one(`${m}MaxMs`, 'max') };
    };
    const arrivals = all.reduce((s, p) => s + p[name].arrivals, 0);
    return { share: total > 0 ? Number((arrivals / total).toPrecision(6)) : 0, wait: dist('wait'), sojourn: dist('sojourn') };
  };
  return { windows: all.reduce((s, p) => s + p.windowsMs.length, 0), steady: summarize('steady'), fault: summarize('fault') };
}
