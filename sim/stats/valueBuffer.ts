/**
 * Every recorded value, for exact (nearest-rank) percentiles: a Float64Array that doubles when full
 * (8 bytes per value, amortised O(1) per push) and is sorted in place only when a rank is asked for
 * after new values came in. Shared by the run's tallies (sim/metrics/tally.ts) and the per-bucket
 * streaming tallies (sim/stats/streamTally.ts) in their 'exact' mode.
 */
export class ValueBuffer {
  private values: Float64Array;
  private n = 0;
  /** n when the values were last sorted; −1 when unsorted. */
  private sortedUpTo = -1;

  constructor(initialCapacity = 16) {
    this.values = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.n;
  }

  push(x: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = x;
    this.sortedUpTo = -1;
  }

  /** Appends every value of `other` (left unchanged). */
  append(other: ValueBuffer): void {
    if (other.n === 0) return;
    const n = this.n + other.n;
    if (n > this.values.length) {
      const bigger = new Float64Array(Math.max(n, this.values.length));
      bigger.set(this.values.subarray(0, this.n));
      this.values = bigger;
    }
    this.values.set(other.values.subarray(0, other.n), this.n);
    this.n = n;
    this.sortedUpTo = -1;
  }

  /** The values in increasing order (a view: valid until the next push or append). */
  sorted(): Float64Array {
    if (this.sortedUpTo !== this.n) {
      this.values.subarray(0, this.n).sort();
      this.sortedUpTo = this.n;
    }
    return this.values.subarray(0, this.n);
  }

  /** The nearest-rank q-quantile, the ⌈q·n⌉-th smallest value (NaN when empty). */
  nearestRank(q: number): number {
    if (this.n === 0) return NaN;
    return this.sorted()[Math.max(1, Math.ceil(q * this.n)) - 1]!;
  }

  /** How many values exceed `threshold`. */
  countAbove(threshold: number): number {
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
}
