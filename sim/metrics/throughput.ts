/** Completions counted over an observation window: rate = count / window length. */
export class ThroughputCounter {
  private windowStartMs: number;
  private completions = 0;

  constructor(startMs: number) {
    this.windowStartMs = startMs;
  }

  record(count = 1): void {
    this.completions += count;
  }

  get count(): number {
    return this.completions;
  }

  /** Restarts the window at `tMs` (warm-up deletion). */
  reset(tMs: number): void {
    this.windowStartMs = tMs;
    this.completions = 0;
  }

  /** Completions per second over [window start, tMs]. */
  ratePerSec(tMs: number): number {
    const spanMs = tMs - this.windowStartMs;
    return spanMs > 0 ? (this.completions * 1000) / spanMs : 0;
  }
}
