import { LogHistogram } from './logHistogram.ts';

/**
 * Observations of one quantity in one time bucket, recorded as the run goes: count, sum, min, max,
 * and either a log-linear histogram ('hdr': fixed relative error, memory independent of the count)
 * or every value ('exact': 8 bytes per value). Tallies of a window's buckets merge into the window's.
 */
export class StreamTally {
  n = 0;
  private sum = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  private readonly histogram_: LogHistogram | undefined;
  private values: Float64Array | undefined;
  private sortedUpTo = -1;

  constructor(readonly exact: boolean) {
    if (exact) this.values = new Float64Array(16);
    else this.histogram_ = new LogHistogram();
  }

  record(x: number): void {
    this.n++;
    this.sum += x;
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    if (this.histogram_ !== undefined) {
      this.histogram_.record(x < 0 ? 0 : x);
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

  merge(other: StreamTally): void {
    if (other.exact !== this.exact) throw new RangeError('can only merge tallies of the same mode');
    if (other.n === 0) return;
    if (this.histogram_ !== undefined) this.histogram_.merge(other.histogram_!);
    else {
      const values = new Float64Array(Math.max(this.n + other.n, 16));
      values.set(this.values!.subarray(0, this.n));
      values.set(other.values!.subarray(0, other.n), this.n);
      this.values = values;
      this.sortedUpTo = -1;
    }
    this.n += other.n;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  get mean(): number {
    return this.n > 0 ? this.sum / this.n : NaN;
  }
  get max(): number {
    return this.n > 0 ? this.maxValue : NaN;
  }

  /** The q-quantile: nearest rank (exact), or its histogram bucket's midpoint clamped to [min, max]. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    if (this.histogram_ !== undefined) return Math.min(this.maxValue, Math.max(this.minValue, this.histogram_.quantile(q)));
    return this.sorted()[Math.max(1, Math.ceil(q * this.n)) - 1]!;
  }

  /** How many values exceed `threshold` (binned: values in buckets above the threshold's, see LogHistogram). */
  countAbove(threshold: number): number {
    if (Number.isNaN(threshold)) return 0;
    if (this.histogram_ !== undefined) return threshold >= this.maxValue ? 0 : this.histogram_.countAbove(threshold);
    const sorted = this.sorted();
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= threshold) lo = mid + 1;
      else hi = mid;
    }
    return sorted.length - lo;
  }

  /** The distribution as buckets (2^bits per power of two) for the report's charts. */
  histogram(bits = 5): { lo: number; hi: number; count: number }[] {
    if (this.histogram_ !== undefined) return this.histogram_.buckets(bits);
    const h = new LogHistogram();
    for (const v of this.sorted()) h.record(Math.max(0, v));
    return h.buckets(bits);
  }

  private sorted(): Float64Array {
    if (this.sortedUpTo !== this.n) {
      this.values = this.values!.subarray(0, this.n).sort();
      this.sortedUpTo = this.n;
    }
    return this.values!;
  }
}
