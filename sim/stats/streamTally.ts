import { LogHistogram } from './logHistogram.ts';
import { ValueBuffer } from './valueBuffer.ts';

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
  private readonly values: ValueBuffer | undefined;

  constructor(readonly exact: boolean) {
    if (exact) this.values = new ValueBuffer(16);
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
    this.values!.push(x);
  }

  merge(other: StreamTally): void {
    if (other.exact !== this.exact) throw new RangeError('can only merge tallies of the same mode');
    if (other.n === 0) return;
    if (this.histogram_ !== undefined) this.histogram_.merge(other.histogram_!);
    else this.values!.append(other.values!);
    this.n += other.n;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  /** Bytes of recorded data held: the histogram's counts, or 8 per value kept ('exact'). */
  get bytes(): number {
    return this.histogram_ !== undefined ? this.histogram_.bytes : 8 * this.values!.length;
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
    return this.values!.nearestRank(q);
  }

  /** How many values exceed `threshold` (binned: values in buckets above the threshold's, see LogHistogram). */
  countAbove(threshold: number): number {
    if (Number.isNaN(threshold)) return 0;
    if (this.histogram_ !== undefined) return threshold >= this.maxValue ? 0 : this.histogram_.countAbove(threshold);
    return this.values!.countAbove(threshold);
  }

  /** The distribution as buckets (2^bits per power of two) for the report's charts. */
  histogram(bits = 5): { lo: number; hi: number; count: number }[] {
    if (this.histogram_ !== undefined) return this.histogram_.buckets(bits);
    const h = new LogHistogram();
    for (const v of this.values!.sorted()) h.record(Math.max(0, v));
    return h.buckets(bits);
  }
}
