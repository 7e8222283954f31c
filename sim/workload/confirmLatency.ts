import { StreamTally } from '../stats/streamTally.ts';
import type { WindowMetrics } from '../run/measure.ts';

/** The time grid confirms are binned on: the run's buckets (the tracker's BucketSamples has these fields). */
export interface ConfirmGrid {
  readonly endMs: number;
  readonly buckets: number;
  /** Keep every latency (exact percentiles) or a log histogram per bucket ('hdr', within 0.39 %). */
  readonly exact: boolean;
}

/**
 * Publish-to-confirm latencies recorded as they arrive, by the time bucket their publish was sent in,
 * like the run's waits (sim/run/bucketSamples.ts): any window of whole buckets (the measurement
 * window, one batch) is a merge of buckets, so with 'hdr' percentiles memory is per bucket (a few kB),
 * not per message. Sends at or after endMs (the drain) are in no bucket, as in no window.
 */
export class ConfirmLatencyBuckets {
  /** Positive confirms received, in the window or not. */
  count = 0;
  private readonly bucketMs: number;
  private readonly tallies: (StreamTally | undefined)[];

  constructor(readonly grid: ConfirmGrid) {
    this.bucketMs = grid.endMs / grid.buckets;
    this.tallies = new Array(grid.buckets).fill(undefined);
  }

  record(sentMs: number, latencyMs: number): void {
    this.count++;
    if (!(sentMs >= 0 && sentMs < this.grid.endMs)) return;
    const b = Math.min(this.grid.buckets - 1, Math.floor(sentMs / this.bucketMs));
    (this.tallies[b] ??= new StreamTally(this.grid.exact)).record(latencyMs);
  }

  /** The merged latencies of buckets [from, to). */
  window(from: number, to: number): StreamTally {
    const t = new StreamTally(this.grid.exact);
    for (let b = from; b < to; b++) if (this.tallies[b] !== undefined) t.merge(this.tallies[b]!);
    return t;
  }

  /** Bytes of latency data held: at most one tally per bucket, however many confirms came back. */
  get bytes(): number {
    return this.tallies.reduce((n, t) => n + (t === undefined ? 0 : t.bytes), 0);
  }
}

/**
 * Publish-to-confirm latency (send → positive confirm back at the publisher) per window, by the
 * time the publish was sent, as extra keys of the window metrics: so it gets its mean and interval
 * from the replications (or batch means) like every other metric.
 */
export function confirmLatencyMetrics(confirms: ConfirmLatencyBuckets, windows: { fromBucket: number; toBucket: number }[]): WindowMetrics[] {
  return windows.map((w) => {
    const tally = confirms.window(w.fromBucket, w.toBucket);
    return {
      confirmLatencyMeanMs: tally.mean,
      confirmLatencyP50Ms: tally.quantile(0.5),
      confirmLatencyP99Ms: tally.quantile(0.99),
      confirmLatencyMaxMs: tally.max,
    };
  });
}
