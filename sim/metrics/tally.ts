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
  private values: Float64Array | undefined;
  private sortedUpTo = -1;
  private readonly histogram: HdrHistogram | undefined;

  constructor(readonly mode: PercentileMode = 'exact') {
    if (mode === 'exact') this.values = new Float64Array(1024);
    else this.histogram = new HdrHistogram();
  }

  /** Zero for exact percentiles; the histogram's bound otherwise. */
  get relativeError(): number {
    return this.histogram?.relativeError ?? 0;
  }

  record(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`a tally records finite numbers, got ${x}`);
    this.n++;
    const delta = x - this.meanValue;
    this.meanValue += delta / this.n;
    this.m2 += delta * (x - this.meanValue);
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    if (this.histogram !== undefined) {
      this.histogram.record(x);
      return;
    }
    if (this.n > this.values!.length) {
      const bigger = new Float64Array(this.values!.length * 2);
      bigger.set(this.values!);
      this.values = bigger;
    }
    this.values![this.n - 1] = x;
    this.sortedUpTo = -1;
  }

  get count(): number {
    return this.n;
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
    if (this.histogram !== undefined) return Math.min(this.maxValue, Math.max(this.minValue, this.histogram.quantile(q)));
    const sorted = this.sorted();
    return sorted[Math.max(1, Math.ceil(q * this.n)) - 1]!;
  }

  /** The recorded values in increasing order (exact mode only). */
  sorted(): Float64Array {
    if (this.values === undefined) throw new Error('sorted values are kept only in exact mode');
    if (this.sortedUpTo !== this.n) {
      this.values.subarray(0, this.n).sort();
      this.sortedUpTo = this.n;
    }
    return this.values.subarray(0, this.n);
  }
}
