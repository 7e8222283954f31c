/**
 * The bucket layout of HdrHistogram-style log-linear histograms, shared by the dense histogram
 * (sim/metrics/hdrHistogram.ts) and the sparse per-time-bucket one (sim/stats/logHistogram.ts) so
 * the two always agree bucket for bucket: each power of two from 2^MIN_EXPONENT to 2^MAX_EXPONENT
 * is split into 2^subBucketBits equal sub-buckets.
 */
export const MIN_EXPONENT = -40; // 2^-40 ms ≈ 1 picosecond: smaller positive values share the lowest bucket
export const MAX_EXPONENT = 64;

// The bucket of a double is read off its IEEE-754 bits: the exponent field is the power of two and
// the top mantissa bits are the sub-bucket. Far cheaper than log2 and pow, and exact.
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f ? 1 : 0; // which word holds sign and exponent

/** The global bucket index of a positive finite value. */
export function bucketIndexOf(value: number, subBucketBits: number): number {
  bits[0] = value;
  const high = words[HIGH]!;
  const exponent = ((high >>> 20) & 0x7ff) - 1023;
  if (exponent < MIN_EXPONENT) return 0;
  if (exponent > MAX_EXPONENT) throw new RangeError(`histogram value too large: ${value}`);
  const sub = (high & 0xfffff) >>> (20 - subBucketBits); // the top mantissa bits: (value/2^e − 1)·2^bits
  return (exponent - MIN_EXPONENT) * (1 << subBucketBits) + sub;
}

/** The smallest value of bucket `index`. */
export function bucketLowerBound(index: number, subBucketBits: number): number {
  const subBuckets = 1 << subBucketBits;
  const exponent = Math.floor(index / subBuckets) + MIN_EXPONENT;
  const sub = index % subBuckets;
  return Math.pow(2, exponent) * (1 + sub / subBuckets);
}

/** The value a quantile falling in bucket `index` is reported as. */
export function bucketMidpoint(index: number, subBucketBits: number): number {
  return 0.5 * (bucketLowerBound(index, subBucketBits) + bucketLowerBound(index + 1, subBucketBits));
}

/**
 * The nearest-rank q-quantile (0 ≤ q ≤ 1) of a histogram: `zeros` values of 0, then `counts[i]`
 * values in bucket `firstIndex + i`, `total` values in all. Reported as the bucket's midpoint; NaN
 * when empty.
 */
export function bucketQuantile(q: number, counts: ArrayLike<number>, firstIndex: number, zeros: number, total: number, subBucketBits: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * total));
  if (rank <= zeros) return 0;
  let seen = zeros;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return bucketMidpoint(firstIndex + i, subBucketBits);
  }
  return NaN; // unreachable: the counts add up to total
}
