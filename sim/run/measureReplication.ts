import type { Scenario } from '../scenario/schema.ts';
import { confirmLatencyMetrics } from '../workload/confirmLatency.ts';
import type { Fleet } from '../workload/fleet.ts';
import type { PublisherLedger } from '../workload/publisherLedger.ts';
import { fleetMetrics, type FleetSeries } from './fleetMetrics.ts';
import { measureWindows, type Window, type WindowMetrics } from './measure.ts';
import { attachModelMetrics } from './modelMetrics.ts';
import { isTimeVarying, timeWindowMetrics } from './timeWindows.ts';
import type { Tracker } from './tracker.ts';
import { warmupPoint, type WarmupRule } from './warmupPoint.ts';
import type { World } from './world.ts';

/** Finest batches for intervals from a single run; coarser levels merge them pairwise (see stats/sectioning.ts). */
export const BATCHES = 20;

type HistogramBuckets = { lo: number; hi: number; count: number }[];

/** What a finished replication's tracker gives the report, whether it ran in virtual or wall time. */
export interface ReplicationMeasurement {
  warmupMs: number;
  warmupRule: WarmupRule;
  metrics: WindowMetrics;
  batches: WindowMetrics[];
  batchLevels: WindowMetrics[][];
  series: { tMs: number[]; queueLength: number[]; inSystem: number[]; busyConsumers: number[]; throughputPerSec: number[]; inConsumerBuffers?: number[] };
  histograms: { waitMs: HistogramBuckets; sojournMs: HistogramBuckets };
  fleet?: FleetSeries;
}

/**
 * The after-run statistics of one replication: the warm-up cut, the whole window and its batches
 * (with confirm latency, time windows, fleet and pipeline metrics where the scenario has them), the
 * series and the histograms.
 */
export function measureReplication(
  scenario: Scenario,
  tracker: Tracker,
  ledger: PublisherLedger,
  run: { buckets: number; durationMs: number; consumers: number; classes: number[]; batches?: boolean; fleets?: Fleet[]; flows?: World['flows'] },
): ReplicationMeasurement {
  const { buckets, durationMs } = run;
  tracker.queueLength.finish();
  tracker.inSystem.finish();
  tracker.busy.finish();
  const bucketMs = tracker.queueLength.bucketMs;
  const warmup = warmupPoint(scenario, tracker, durationMs);
  const fromBucket = Math.min(buckets - 1, Math.round(warmup.warmupMs / bucketMs));
  const window = (from: number, to: number): Window => ({ fromBucket: from, toBucket: to, fromMs: from * bucketMs, toMs: to === buckets ? durationMs : to * bucketMs });
  const batchBuckets = (buckets - fromBucket) / BATCHES;
  const batchWindows =
    run.batches !== false && batchBuckets >= 1
      ? Array.from({ length: BATCHES }, (_, b) => window(fromBucket + Math.floor(b * batchBuckets), fromBucket + Math.floor((b + 1) * batchBuckets)))
      : [];
  const windows = [window(fromBucket, buckets), ...batchWindows];
  const measured = measureWindows(tracker, tracker.samples, windows[0]!, batchWindows, run.consumers, run.classes);
  if (ledger.confirms.count > 0) {
    const latency = confirmLatencyMetrics(ledger.confirms, windows);
    measured.metrics.forEach((m, k) => Object.assign(m, latency[k]));
    // Each batch level too, so a single replication's interval for it comes from the same adaptive batches.
    measured.batchLevelWindows.forEach((levelWindows, level) => {
      const levelLatency = confirmLatencyMetrics(ledger.confirms, levelWindows);
      measured.batchLevels[level]!.forEach((m, k) => Object.assign(m, levelLatency[k]));
    });
  }
  if (isTimeVarying(scenario)) Object.assign(measured.metrics[0]!, timeWindowMetrics(tracker, durationMs));
  const fleet = run.fleets !== undefined && run.fleets.length > 0 ? fleetMetrics(scenario, tracker, run.fleets, durationMs) : undefined;
  if (fleet !== undefined) Object.assign(measured.metrics[0]!, fleet.metrics);
  if (run.flows !== undefined) attachModelMetrics(scenario, tracker, run.flows, measured, windows);
  const [metrics, ...batches] = measured.metrics as [WindowMetrics, ...WindowMetrics[]];
  return {
    warmupMs: fromBucket * bucketMs,
    warmupRule: warmup.rule,
    metrics,
    batches,
    batchLevels: measured.batchLevels,
    series: seriesOf(tracker, buckets),
    histograms: { waitMs: measured.waitHistogram.map(roundBucket), sojournMs: measured.sojournHistogram.map(roundBucket) },
    ...(fleet !== undefined ? { fleet: fleet.series } : {}),
  };
}

const chartValue = (v: number) => Number(v.toPrecision(6));

function seriesOf(tracker: Tracker, buckets: number): ReplicationMeasurement['series'] {
  const width = tracker.queueLength.bucketMs;
  const range = Array.from({ length: buckets }, (_, b) => b);
  return {
    tMs: range.map((b) => chartValue(b * width)),
    queueLength: range.map((b) => chartValue(tracker.queueLength.area[b]! / width)),
    inSystem: range.map((b) => chartValue(tracker.inSystem.area[b]! / width)),
    busyConsumers: range.map((b) => chartValue(tracker.busy.area[b]! / width)),
    throughputPerSec: range.map((b) => chartValue((tracker.completions.count[b]! * 1000) / width)),
    ...tracker.consumerBuffers.seriesOf(buckets),
  };
}

const roundBucket = (b: { lo: number; hi: number; count: number }) => ({ lo: chartValue(b.lo), hi: chartValue(b.hi), count: b.count });
