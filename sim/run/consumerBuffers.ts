import { BucketSeries } from './bucketSeries.ts';

/**
 * Messages a consumer has been delivered but has not started serving: in its prefetch buffer, or
 * still on the deliver link. The broker's counts cannot show them with auto-ack (it forgets a
 * message at delivery), and with manual ack they hide inside "unacked" beside the ones in service;
 * so the simulated consumers report them here, and the report carries the time-average per bucket
 * (`series.inConsumerBuffers`). Memory: one number per consumer instance plus the buckets.
 */
export class ConsumerBuffers {
  readonly series: BucketSeries;
  private readonly held: number[] = [];
  private recorded = false;

  constructor(endMs: number, buckets: number) {
    this.series = new BucketSeries(endMs, buckets);
  }

  /** Consumer `consumer` was delivered a message (it now holds it, on the wire or in its buffer). */
  received(consumer: number, atMs: number): void {
    this.recorded = true;
    this.held[consumer] = (this.held[consumer] ?? 0) + 1;
    this.series.add(atMs, 1);
  }

  /** It took one from its buffer into service. */
  started(consumer: number, atMs: number): void {
    const n = this.held[consumer] ?? 0;
    if (n === 0) return;
    this.held[consumer] = n - 1;
    this.series.add(atMs, -1);
  }

  /** Its connection dropped: everything it held is gone (requeued by the broker, or lost with auto-ack). */
  lost(consumer: number, atMs: number): void {
    const n = this.held[consumer] ?? 0;
    if (n === 0) return;
    this.held[consumer] = 0;
    this.series.add(atMs, -n);
  }

  /** The report's series, or nothing when no consumer reported (a mode whose clients do not). */
  seriesOf(buckets: number): { inConsumerBuffers?: number[] } {
    if (!this.recorded) return {};
    this.series.finish();
    const width = this.series.bucketMs;
    return { inConsumerBuffers: Array.from({ length: buckets }, (_, b) => Number((this.series.area[b]! / width).toPrecision(6))) };
  }
}
