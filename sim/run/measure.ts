import type { BucketSamples, WindowSamples } from './bucketSamples.ts';
import type { Tracker } from './tracker.ts';
import type { StreamTally } from '../stats/streamTally.ts';

export { account, type Accounting } from './accounting.ts';

/** Scalar metrics of one window of one run; NaN where the window saw nothing to measure. */
export type WindowMetrics = Record<string, number>;

export interface Window {
  fromBucket: number;
  toBucket: number;
  fromMs: number;
  toMs: number;
}

const QUANTILES: [string, number][] = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
  ['p999', 0.999],
];

export type PercentileMode = 'exact' | 'hdr';

export interface MeasuredWindows {
  metrics: WindowMetrics[];
  /**
   * The batches' metrics at each batch size: level 0 is the `batches` given, each next level merges
   * neighbouring batches pairwise (the oldest left over when the count is odd), down to 2 batches.
   */
  batchLevels: WindowMetrics[][];
  /** The windows of each batch level, for metrics measured outside this pass (confirm latency). */
  batchLevelWindows: Window[][];
  /** The whole window's wait and sojourn distributions, for the report's histograms. */
  waitHistogram: { lo: number; hi: number; count: number }[];
  sojournHistogram: { lo: number; hi: number; count: number }[];
}

/**
 * The metrics of a window and of its consecutive sub-windows (batches), all made of whole time
 * buckets, from the statistics the run recorded as it went (BucketSamples: per-bucket tallies of
 * wait and sojourn by arrival time; the tracker's bucket series for the time-averages and
 * completions). Nothing here walks per-message rows: a window's samples are the merge of its buckets'.
 * Percentiles are exact (nearest rank) or from log-linear histograms (within 0.39 %).
 */
export function measureWindows(
  tracker: Tracker,
  samples: BucketSamples,
  whole: Window,
  batches: Window[],
  consumers: number,
  classes: readonly number[],
): MeasuredWindows {
  const metricsOf = (window: Window, s: WindowSamples): WindowMetrics => {
    const out: WindowMetrics = {
      throughputPerSec: tracker.completions.rate(window.fromBucket, window.toBucket),
      offeredPerSec: (s.offered * 1000) / (window.toMs - window.fromMs),
      blockingProbability: s.reached > 0 ? s.refused / s.reached : NaN,
      queueLengthMean: tracker.queueLength.mean(window.fromBucket, window.toBucket),
      queueLengthMax: tracker.queueLength.peak(window.fromBucket, window.toBucket),
      inSystemMean: tracker.inSystem.mean(window.fromBucket, window.toBucket),
      inSystemMax: tracker.inSystem.peak(window.fromBucket, window.toBucket),
      utilization: consumers > 0 ? tracker.busy.mean(window.fromBucket, window.toBucket) / consumers : NaN,
      ...distribution('wait', s.wait),
      ...distribution('sojourn', s.sojourn),
    };
    for (const k of classes) {
      out[`class${k}.waitMeanMs`] = s.classWait.get(k)?.mean ?? NaN;
      out[`class${k}.sojournMeanMs`] = s.classSojourn.get(k)?.mean ?? NaN;
    }
    return out;
  };
  const wholeSamples = samples.window(whole.fromBucket, whole.toBucket);
  const wholeMetrics = metricsOf(whole, wholeSamples);
  const histograms = { waitHistogram: wholeSamples.wait.histogram(), sojournHistogram: wholeSamples.sojourn.histogram() };
  if (batches.length === 0) return { metrics: [wholeMetrics], batchLevels: [], batchLevelWindows: [], ...histograms };
  const levelWindows: Window[][] = [batches];
  for (let last = batches; last.length >= 4; last = levelWindows[levelWindows.length - 1]!) {
    const skip = last.length % 2;
    const next: Window[] = [];
    for (let i = skip; i + 1 < last.length; i += 2) {
      const [a, b] = [last[i]!, last[i + 1]!];
      next.push({ fromBucket: a.fromBucket, toBucket: b.toBucket, fromMs: a.fromMs, toMs: b.toMs });
    }
    levelWindows.push(next);
  }
  const levelMetrics = levelWindows.map((windows) =>
    windows.map((w) => {
      const s = samples.window(w.fromBucket, w.toBucket);
      return { plain: metricsOf(w, s), counts: exceedances(s, wholeMetrics) };
    }),
  );
  const batchLevels = levelMetrics.map((level) => level.map((m) => ({ ...m.plain, ...m.counts })));
  return { metrics: [wholeMetrics, ...levelMetrics[0]!.map((m) => m.plain)], batchLevels, batchLevelWindows: levelWindows, ...histograms };
}

/**
 * In one batch, how many waits (sojourns) it measured and how many exceed the WHOLE window's
 * quantile estimate (`waitN`, `waitP99Ms.above`, …): the batch means of these indicators give the
 * quantile's interval by inverting the empirical distribution (see intervals.ts), a method whose
 * batches behave like any batch means, unlike per-batch quantiles. With histogram percentiles the
 * count is binned: values in histogram buckets above the estimate's bucket.
 */
function exceedances(s: WindowSamples, wholeMetrics: WindowMetrics): WindowMetrics {
  const out: WindowMetrics = { waitN: s.wait.n, sojournN: s.sojourn.n };
  for (const [label] of QUANTILES) {
    const k = label.toUpperCase();
    out[`wait${k}Ms.above`] = s.wait.countAbove(wholeMetrics[`wait${k}Ms`] ?? NaN);
    out[`sojourn${k}Ms.above`] = s.sojourn.countAbove(wholeMetrics[`sojourn${k}Ms`] ?? NaN);
  }
  return out;
}

function distribution(name: string, tally: StreamTally): WindowMetrics {
  const out: WindowMetrics = { [`${name}MeanMs`]: tally.mean, [`${name}MaxMs`]: tally.max };
  for (const [label, q] of QUANTILES) out[`${name}${label.toUpperCase()}Ms`] = tally.quantile(q);
  return out;
}
