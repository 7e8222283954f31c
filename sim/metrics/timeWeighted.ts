/**
 * A piecewise-constant quantity observed over time (queue length, busy consumers): its time-weighted
 * mean and maximum, and a down-sampled series of per-bucket time averages.
 *
 * The series holds at most `maxPoints` buckets: when it would overflow, neighbouring buckets are
 * merged pairwise and the bucket width doubles, so memory stays bounded however long the run and the
 * series always spans the whole observed window.
 */
export interface SeriesPoint {
  /** Start of the bucket. */
  tMs: number;
  /** Time-average over the bucket. */
  mean: number;
  /** Largest value held during the bucket. */
  max: number;
}

export class TimeWeighted {
  private startMs: number;
  private lastMs: number;
  private value: number;
  private area = 0;
  private maxValue: number;

  private bucketMs: number;
  private readonly maxPoints: number;
  private bucketStartMs: number;
  private bucketArea = 0;
  private bucketMax: number;
  private points: SeriesPoint[] = [];

  constructor(startMs: number, initialValue = 0, options: { bucketMs?: number; maxPoints?: number } = {}) {
    this.startMs = startMs;
    this.lastMs = startMs;
    this.value = initialValue;
    this.maxValue = initialValue;
    this.bucketMs = options.bucketMs ?? 1000;
    // Even, so that merging pairs leaves no bucket over and the open bucket stays on the new grid.
    this.maxPoints = 2 * Math.ceil((options.maxPoints ?? 512) / 2);
    if (!(this.bucketMs > 0)) throw new RangeError(`bucketMs must be > 0, got ${this.bucketMs}`);
    if (!(this.maxPoints >= 2)) throw new RangeError(`maxPoints must be ≥ 2, got ${this.maxPoints}`);
    this.bucketStartMs = startMs;
    this.bucketMax = initialValue;
  }

  get current(): number {
    return this.value;
  }

  /** The quantity changes to `value` at `tMs` (times must not go backwards). */
  set(tMs: number, value: number): void {
    this.advance(tMs);
    this.value = value;
    if (value > this.maxValue) this.maxValue = value;
    if (value > this.bucketMax) this.bucketMax = value;
  }

  add(tMs: number, delta: number): void {
    this.set(tMs, this.value + delta);
  }

  /** Time-weighted mean over [start, tMs]. */
  mean(tMs: number = this.lastMs): number {
    this.advance(tMs);
    const span = this.lastMs - this.startMs;
    return span > 0 ? this.area / span : this.value;
  }

  get max(): number {
    return this.maxValue;
  }

  /** Forgets everything before `tMs` (warm-up deletion); the current value carries on. */
  reset(tMs: number): void {
    this.advance(tMs);
    this.startMs = tMs;
    this.area = 0;
    this.maxValue = this.value;
  }

  /** The down-sampled series up to `tMs`, including the partial bucket in progress. */
  series(tMs: number = this.lastMs): SeriesPoint[] {
    this.advance(tMs);
    const open = this.lastMs - this.bucketStartMs;
    if (open <= 0) return this.points.slice();
    return [...this.points, { tMs: this.bucketStartMs, mean: this.bucketArea / open, max: this.bucketMax }];
  }

  private advance(tMs: number): void {
    if (tMs < this.lastMs) throw new RangeError(`time went backwards: ${tMs} ms after ${this.lastMs} ms`);
    this.area += this.value * (tMs - this.lastMs);
    // Close every bucket that ends by tMs; a long quiet stretch fills its buckets with the held value.
    while (this.bucketStartMs + this.bucketMs <= tMs) {
      const end = this.bucketStartMs + this.bucketMs;
      this.bucketArea += this.value * (end - Math.max(this.lastMs, this.bucketStartMs));
      this.points.push({ tMs: this.bucketStartMs, mean: this.bucketArea / this.bucketMs, max: this.bucketMax });
      this.bucketStartMs = end;
      this.bucketArea = 0;
      this.bucketMax = this.value;
      if (this.points.length >= this.maxPoints) this.mergeBuckets();
    }
    this.bucketArea += this.value * (tMs - Math.max(this.lastMs, this.bucketStartMs));
    this.lastMs = tMs;
  }

  /** Halves the resolution: pairs of buckets become one of twice the width. */
  private mergeBuckets(): void {
    const merged: SeriesPoint[] = [];
    for (let i = 0; i + 1 < this.points.length; i += 2) {
      const a = this.points[i]!;
      const b = this.points[i + 1]!;
      merged.push({ tMs: a.tMs, mean: (a.mean + b.mean) / 2, max: Math.max(a.max, b.max) });
    }
    this.bucketMs *= 2;
    this.points = merged;
  }
}
