import { bucketIndexOf, bucketLowerBound, bucketQuantile } from '../metrics/logBuckets.ts';
/**
 * A log-linear histogram with the buckets of HdrHistogram (sim/metrics/hdrHistogram.ts: each power
 * of two split into 2^subBucketBits equal sub-buckets, quantiles reported as the bucket midpoint,
 * relative error ≤ 2^−(subBucketBits+1), 0.39 % at 7 bits) but holding counts only over the range of
 * buckets actually used. A run keeps one per time bucket (hundreds), so the dense 107 kB array of
 * HdrHistogram per histogram would cost more than the messages; this one costs a few kB, and merging
 * the per-bucket histograms of a window gives exactly the counts one histogram of the window would hold.
 */
/** Buckets added beyond a new value's, so a slowly widening range does not reallocate at every value. */
const SLACK = 64;


export class LogHistogram {
  readonly relativeError: number;
  /** counts[i] is the count of global bucket `first + i`. */
  private counts = new Uint32Array(0);
  private first = 0;
  private zeros = 0;
  private total = 0;

  constructor(readonly subBucketBits = 7) {
    this.relativeError = Math.pow(2, -(subBucketBits + 1));
  }

  get count(): number {
    return this.total;
  }

  /** Bytes held by the counts (for memory accounting in tests). */
  get bytes(): number {
    return this.counts.byteLength;
  }

  record(value: number): void {
    if (!(value >= 0) || value === Infinity) throw new RangeError(`histogram values must be finite and ≥ 0, got ${value}`);
    this.total++;
    if (value === 0) {
      this.zeros++;
      return;
    }
    const index = this.indexOf(value);
    let i = index - this.first;
    if (i < 0 || i >= this.counts.length) {
      this.cover(index, index + 1);
      i = index - this.first;
    }
    this.counts[i]!++;
  }

  merge(other: LogHistogram): void {
    if (other.subBucketBits !== this.subBucketBits) throw new RangeError('can only merge histograms of the same resolution');
    if (other.total === 0) return;
    if (other.counts.length > 0) {
      this.cover(other.first, other.first + other.counts.length);
      const offset = other.first - this.first;
      for (let i = 0; i < other.counts.length; i++) this.counts[offset + i]! += other.counts[i]!;
    }
    this.zeros += other.zeros;
    this.total += other.total;
  }

  /** The q-quantile (0 ≤ q ≤ 1): the nearest-rank order statistic's bucket midpoint. */
  quantile(q: number): number {
    return bucketQuantile(q, this.counts, this.first, this.zeros, this.total, this.subBucketBits);
  }


  /**
   * Values whose bucket lies wholly above `threshold`'s bucket: the binned form of "values above the
   * threshold", exact when the threshold is a quantile this histogram reported (a bucket midpoint).
   */
  countAbove(threshold: number): number {
    if (!(threshold >= 0)) return threshold < 0 ? this.total : 0;
    const from = threshold === 0 ? -1 : this.indexOf(threshold);
    let n = 0;
    for (let i = Math.max(0, from + 1 - this.first); i < this.counts.length; i++) n += this.counts[i]!;
    return n;
  }

  /** Non-empty buckets as {lo, hi, count}, 2^bits per power of two (the same output as HdrHistogram.buckets). */
  buckets(bits = this.subBucketBits): { lo: number; hi: number; count: number }[] {
    const merge = 1 << Math.max(0, this.subBucketBits - bits);
    const out: { lo: number; hi: number; count: number }[] = [];
    if (this.zeros > 0) out.push({ lo: 0, hi: 0, count: this.zeros });
    const end = this.first + this.counts.length;
    for (let g = Math.floor(this.first / merge) * merge; g < end; g += merge) {
      let count = 0;
      for (let j = Math.max(g, this.first); j < Math.min(g + merge, end); j++) count += this.counts[j - this.first]!;
      if (count > 0) out.push({ lo: this.lowerBoundOf(g), hi: this.lowerBoundOf(g + merge), count });
    }
    return out;
  }

  /** Widens the held range to include global buckets [from, to). */
  private cover(from: number, to: number): void {
    const end = this.first + this.counts.length;
    if (this.counts.length > 0 && from >= this.first && to <= end) return;
    const empty = this.counts.length === 0;
    // Grow geometrically (at least the held length again on the side that grows), so a tally
    // whose values spread over many powers of two reallocates a few times, not once per 64 buckets.
    const margin = Math.max(SLACK, this.counts.length);
    const lo = empty || from < this.first ? Math.max(0, from - margin) : this.first;
    const hi = empty || to > end ? to + margin : end;
    const wider = new Uint32Array(hi - lo);
    if (!empty) wider.set(this.counts, this.first - lo);
    this.counts = wider;
    this.first = lo;
  }

  private indexOf(value: number): number {
    return bucketIndexOf(value, this.subBucketBits);
  }

  private lowerBoundOf(index: number): number {
    return bucketLowerBound(index, this.subBucketBits);
  }
}
