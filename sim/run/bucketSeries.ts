/**
 * A piecewise-constant signal (queue length, busy consumers) and a counter (completions) recorded
 * into fixed time buckets over [0, endMs]: area and maximum per bucket for the signal, count per
 * bucket for the counter. Any window made of whole buckets — after the warm-up, one batch of a
 * batch-means run — is then a sum over buckets, and the buckets are the report's time series.
 */
export class BucketSeries {
  readonly bucketMs: number;
  readonly area: Float64Array;
  readonly max: Float64Array;
  readonly count: Float64Array;
  private value = 0;
  private lastMs = 0;
  /** The bucket advance() starts from when lastMs is `bucketAtMs` (set() has just computed it): one division per change, not two. */
  private bucketAtMs = 0;
  private bucketAtLast = 0;

  constructor(
    readonly endMs: number,
    readonly buckets: number,
  ) {
    this.bucketMs = endMs / buckets;
    this.area = new Float64Array(buckets);
    this.max = new Float64Array(buckets);
    this.count = new Float64Array(buckets);
  }

  get current(): number {
    return this.value;
  }

  /** The signal changes to `value` at `tMs`. Times beyond endMs are ignored. */
  set(tMs: number, value: number): void {
    this.advance(tMs);
    this.value = value;
    const b = this.bucketOf(tMs);
    if (b < this.buckets && value > this.max[b]!) this.max[b] = value;
    this.bucketAtMs = tMs;
    this.bucketAtLast = Math.min(this.buckets - 1, b);
  }

  add(tMs: number, delta: number): void {
    this.set(tMs, this.value + delta);
  }

  /** Counts one event at `tMs` (a completion). */
  tick(tMs: number): void {
    const b = this.bucketOf(tMs);
    if (b < this.buckets) this.count[b]!++;
  }

  /** Closes the signal at endMs. */
  finish(): void {
    this.advance(this.endMs);
  }

  /** Time-average of the signal over buckets [from, to). */
  mean(from: number, to: number): number {
    let area = 0;
    for (let b = from; b < to; b++) area += this.area[b]!;
    return to > from ? area / ((to - from) * this.bucketMs) : NaN;
  }

  peak(from: number, to: number): number {
    let peak = 0;
    for (let b = from; b < to; b++) if (this.max[b]! > peak) peak = this.max[b]!;
    return peak;
  }

  /** Events per second over buckets [from, to). */
  rate(from: number, to: number): number {
    let n = 0;
    for (let b = from; b < to; b++) n += this.count[b]!;
    return to > from ? (n * 1000) / ((to - from) * this.bucketMs) : NaN;
  }

  bucketOf(tMs: number): number {
    return Math.min(this.buckets, Math.max(0, Math.floor(tMs / this.bucketMs)));
  }

  /** Integrates the held value up to tMs, bucket by bucket, walking bucket indices (no float loops). */
  private advance(tMs: number): void {
    const until = Math.min(tMs, this.endMs);
    if (until <= this.lastMs) return;
    let b = this.lastMs === this.bucketAtMs ? this.bucketAtLast : Math.min(this.buckets - 1, this.bucketOf(this.lastMs));
    while (this.lastMs < until && b < this.buckets) {
      const bucketEnd = b + 1 >= this.buckets ? this.endMs : (b + 1) * this.bucketMs;
      const stop = Math.min(until, bucketEnd);
      if (stop > this.lastMs) {
        this.area[b] = this.area[b]! + this.value * (stop - this.lastMs);
        if (this.value > this.max[b]!) this.max[b] = this.value;
        this.lastMs = stop;
      }
      if (stop >= bucketEnd) b++;
      else break;
    }
  }
}
