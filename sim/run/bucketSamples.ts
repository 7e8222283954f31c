import { StreamTally } from '../stats/streamTally.ts';

/** A window's merged samples: wait and sojourn (overall and per priority class) and publish counts. */
export interface WindowSamples {
  wait: StreamTally;
  sojourn: StreamTally;
  classWait: Map<number, StreamTally>;
  classSojourn: Map<number, StreamTally>;
  offered: number;
  reached: number;
  refused: number;
}

/**
 * The run's per-message statistics recorded as it goes, by time bucket of the message's arrival
 * (waits, sojourns) or creation (offered, reached, refused): a wait is recorded when its service
 * first starts, a sojourn when its service first ends successfully. Any window of whole buckets (the
 * measurement window after the warm-up, one batch) is a merge of buckets, so nothing per message
 * needs keeping once it has settled; memory is per bucket (a few kB each with 'hdr' percentiles).
 * Arrivals at or after endMs (the drain) are in no bucket, as in no window.
 */
export class BucketSamples {
  readonly bucketMs: number;
  private readonly wait: (StreamTally | undefined)[];
  private readonly sojourn: (StreamTally | undefined)[];
  private readonly classWait = new Map<number, (StreamTally | undefined)[]>();
  private readonly classSojourn = new Map<number, (StreamTally | undefined)[]>();
  private readonly offeredCount: Float64Array;
  private readonly reachedCount: Float64Array;
  private readonly refusedCount: Float64Array;

  constructor(
    readonly endMs: number,
    readonly buckets: number,
    readonly exact: boolean,
    /** Priority levels to tally per class (none: no per-class tallies). */
    private readonly classes: readonly number[],
  ) {
    this.bucketMs = endMs / buckets;
    this.wait = new Array(buckets).fill(undefined);
    this.sojourn = new Array(buckets).fill(undefined);
    for (const k of classes) {
      this.classWait.set(k, new Array(buckets).fill(undefined));
      this.classSojourn.set(k, new Array(buckets).fill(undefined));
    }
    this.offeredCount = new Float64Array(buckets);
    this.reachedCount = new Float64Array(buckets);
    this.refusedCount = new Float64Array(buckets);
  }

  bucketOf(tMs: number): number {
    if (!(tMs >= 0 && tMs < this.endMs)) return -1;
    return Math.min(this.buckets - 1, Math.floor(tMs / this.bucketMs));
  }

  recordWait(arrivalMs: number, waitMs: number, priorityClass: number): void {
    const b = this.bucketOf(arrivalMs);
    if (b < 0) return;
    this.tallyOf(this.wait, b).record(waitMs);
    const perClass = this.classes.length > 0 ? this.classWait.get(priorityClass) : undefined;
    if (perClass !== undefined) this.tallyOf(perClass, b).record(waitMs);
  }

  recordSojourn(arrivalMs: number, sojournMs: number, priorityClass: number): void {
    const b = this.bucketOf(arrivalMs);
    if (b < 0) return;
    this.tallyOf(this.sojourn, b).record(sojournMs);
    const perClass = this.classes.length > 0 ? this.classSojourn.get(priorityClass) : undefined;
    if (perClass !== undefined) this.tallyOf(perClass, b).record(sojournMs);
  }

  offered(createdMs: number): void {
    const b = this.bucketOf(createdMs);
    if (b >= 0) this.offeredCount[b]!++;
  }

  reached(createdMs: number): void {
    const b = this.bucketOf(createdMs);
    if (b >= 0) this.reachedCount[b]!++;
  }

  refused(createdMs: number): void {
    const b = this.bucketOf(createdMs);
    if (b >= 0) this.refusedCount[b]!++;
  }

  /** The merged samples of buckets [from, to). */
  window(from: number, to: number): WindowSamples {
    const merged = (row: (StreamTally | undefined)[]) => {
      const t = new StreamTally(this.exact);
      for (let b = from; b < to; b++) if (row[b] !== undefined) t.merge(row[b]!);
      return t;
    };
    const sum = (a: Float64Array) => {
      let s = 0;
      for (let b = from; b < to; b++) s += a[b]!;
      return s;
    };
    const byClass = (m: Map<number, (StreamTally | undefined)[]>) => new Map([...m].map(([k, row]) => [k, merged(row)] as const));
    return {
      wait: merged(this.wait),
      sojourn: merged(this.sojourn),
      classWait: byClass(this.classWait),
      classSojourn: byClass(this.classSojourn),
      offered: sum(this.offeredCount),
      reached: sum(this.reachedCount),
      refused: sum(this.refusedCount),
    };
  }

  private tallyOf(row: (StreamTally | undefined)[], b: number): StreamTally {
    let t = row[b];
    if (t === undefined) row[b] = t = new StreamTally(this.exact);
    return t;
  }
}
