import { ValueBuffer } from '../stats/valueBuffer.ts';
import { HdrHistogram } from './hdrHistogram.ts';

/**
 * Observations of one quantity (waiting times, sojourn times): Welford's running mean and variance,
 * min and max, and percentiles — exact (every value kept, nearest-rank order statistics) or from an
 * HDR-style histogram whose relative error bound is `relativeError`.
 */
export type PercentileMode = 'exact' | 'hdr';

export class Tally {
  private n = 0;
  private meanValue = 0;
  private m2 = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  private readonly values: ValueBuffer | undefined;
  private readonly histogram_: HdrHistogram | undefined;

  constructor(readonly mode: PercentileMode = 'exact') {
    if (mode === 'exact') this.values = new ValueBuffer(1024);
    else this.histogram_ = new HdrHistogram();
  }

  /** Zero for exact percentiles; the histogram's bound otherwise. */
  get relativeError(): number {
    return this.histogram_?.relativeError ?? 0;
  }

  record(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`a tally records finite numbers, got ${x}`);
    this.n++;
    const delta = x - this.meanValue;
    this.meanValue += delta / this.n;
    this.m2 += delta * (x - this.meanValue);
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    if (this.histogram_ !== undefined) {
      this.histogram_.record(x);
      return;
    }
    this.values!.push(x);
  }

  get count(): number {
    return this.n;
  }

  /** Adds everything `other` recorded (same mode): Chan et al.'s pairwise update for mean and variance. */
  merge(other: Tally): void {
    if (other.mode !== this.mode) throw new RangeError('can only merge tallies of the same mode');
    if (other.n === 0) return;
    const n = this.n + other.n;
    const delta = other.meanValue - this.meanValue;
    this.meanValue += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
    if (this.histogram_ !== undefined) {
      this.histogram_.merge(other.histogram_!);
    } else {
      this.values!.append(other.values!);
    }
    this.n = n;
  }
  get mean(): number {
    return this.n > 0 ? this.meanValue : NaN;
  }
  /** Unbiased sample variance. */
  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }
  get min(): number {
    return this.n > 0 ? this.minValue : NaN;
  }
  get max(): number {
    return this.n > 0 ? this.maxValue : NaN;
  }

  /** The q-quantile, 0 ≤ q ≤ 1, as the nearest-rank order statistic (the ⌈q·n⌉-th smallest). */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    if (this.n === 0) return NaN;
    if (this.histogram_ !== undefined) return Math.min(this.maxValue, Math.max(this.minValue, this.histogram_.quantile(q)));
    return this.values!.nearestRank(q);
  }

  /** The distribution as histogram buckets (2^bits per power of two), for plotting. */
  histogram(bits = 5): { lo: number; hi: number; count: number }[] {
    if (this.histogram_ !== undefined) return this.histogram_.buckets(bits);
    const h = new HdrHistogram(bits);
    for (const v of this.sorted()) h.record(Math.max(0, v));
    return h.buckets(bits);
  }

  /** The recorded values in increasing order (exact mode only). */
  sorted(): Float64Array {
    if (this.values === undefined) throw new Error('sorted values are kept only in exact mode');
    return this.values.sorted();
  }
}
