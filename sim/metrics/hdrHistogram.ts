import { bucketIndexOf, bucketLowerBound, bucketQuantile, MAX_EXPONENT, MIN_EXPONENT } from './logBuckets.ts';
/**
 * A log-linear histogram in the style of HdrHistogram: each power of two is split into 2^subBucketBits
 * equal sub-buckets, and a quantile is reported as the midpoint of its bucket. Any reported quantile
 * is therefore within a relative error of 2^−(subBucketBits+1) of the exact order statistic
 * (0.39 % with the default 7 bits), with memory fixed however many values are recorded.
 */


export class HdrHistogram {
  readonly relativeError: number;
  private readonly subBuckets: number;
  private readonly counts: Float64Array;
  private zeros = 0;
  private total = 0;

  constructor(readonly subBucketBits = 7) {
    if (!Number.isInteger(subBucketBits) || subBucketBits < 1 || subBucketBits > 16) {
      throw new RangeError(`subBucketBits must be a whole number in 1..16, got ${subBucketBits}`);
    }
    this.subBuckets = 1 << subBucketBits;
    this.counts = new Float64Array((MAX_EXPONENT - MIN_EXPONENT + 1) * this.subBuckets);
    this.relativeError = Math.pow(2, -(subBucketBits + 1));
  }

  get count(): number {
    return this.total;
  }

  record(value: number): void {
    if (!(value >= 0) || value === Infinity) throw new RangeError(`histogram values must be finite and ≥ 0, got ${value}`);
    this.total++;
    if (value === 0) {
      this.zeros++;
      return;
    }
    this.counts[this.indexOf(value)]!++;
  }

  /** Adds every value `other` holds (same resolution). */
  merge(other: HdrHistogram): void {
    if (other.subBucketBits !== this.subBucketBits) throw new RangeError('can only merge histograms of the same resolution');
    for (let i = 0; i < this.counts.length; i++) this.counts[i] = this.counts[i]! + other.counts[i]!;
    this.zeros += other.zeros;
    this.total += other.total;
  }

  /** The q-quantile (0 ≤ q ≤ 1) as the nearest-rank order statistic's bucket midpoint. */
  quantile(q: number): number {
    return bucketQuantile(q, this.counts, 0, this.zeros, this.total, this.subBucketBits);
  }


  /**
   * Non-empty buckets as [lower bound, upper bound, count], for plotting; `bits` below the
   * histogram's own merges neighbouring sub-buckets into 2^bits per power of two.
   */
  buckets(bits = this.subBucketBits): { lo: number; hi: number; count: number }[] {
    const merge = 1 << Math.max(0, this.subBucketBits - bits);
    const out: { lo: number; hi: number; count: number }[] = [];
    if (this.zeros > 0) out.push({ lo: 0, hi: 0, count: this.zeros });
    for (let i = 0; i < this.counts.length; i += merge) {
      let count = 0;
      for (let j = i; j < i + merge; j++) count += this.counts[j]!;
      if (count > 0) out.push({ lo: this.lowerBoundOf(i), hi: this.lowerBoundOf(i + merge), count });
    }
    return out;
  }

  private indexOf(value: number): number {
    return bucketIndexOf(value, this.subBucketBits);
  }

  private lowerBoundOf(index: number): number {
    return bucketLowerBound(index, this.subBucketBits);
  }
}
