import { ACKED, DEAD_LETTERED, IN_BROKER, type Tracker } from '../run/tracker.ts';
import { ConfirmLatencyBuckets, type ConfirmGrid } from './confirmLatency.ts';

/** Jepsen-style outcome of the logical messages of publishers with a confirm window (each possibly published several times). */
export interface PublisherOutcome {
  /** Logical messages (one per arrival), and publish attempts in all (first tries + republishes). */
  messages: number;
  attempts: number;
  retries: number;
  /** Attempts that got no confirm in time, a nack, or found the broker down. */
  timeouts: number;
  nacks: number;
  unavailable: number;
  /** Messages the publisher gave up on after maxRetries. */
  abandoned: number;
  /** Publishes and confirms a drop-mode partition swallowed. */
  droppedOnWire: number;
  confirmsDropped: number;
  /** Republishes a queue discarded by message-id dedup. */
  deduplicated: number;
  /**
   * Messages the publisher holds confirmed: ok (in the system: acked, dead-lettered or still held) or
   * lost (none of that). ok + lost + recovered + failed = messages.
   */
  ok: number;
  lost: number;
  /** Messages acked more than once in one queue (republished after a lost confirm, no dedup): overlaps the four above. */
  duplicated: number;
  /** Messages never confirmed (given up, or still pending at the end) that the system has all the same: Jepsen's "recovered". */
  recovered: number;
  /** Never confirmed and not in the system: the publisher knows it failed. */
  failed: number;
}

/**
 * What the publishers saw: every publish attempt of a logical message (tracker ids, first try first),
 * the confirm latencies, and the counters. Shared by the producers of one replication.
 */
export class PublisherLedger {
  private readonly attempts: number[][] = [];
  readonly counts = { retries: 0, timeouts: 0, nacks: 0, unavailable: 0, abandoned: 0, droppedOnWire: 0, confirmsDropped: 0, deduplicated: 0 };
  /** Positive confirms' latencies, binned by when their publish was sent (streaming: memory per bucket, not per confirm). */
  readonly confirms: ConfirmLatencyBuckets;

  /** `grid`: the run's time buckets (pass the tracker's `samples`). */
  constructor(grid: ConfirmGrid) {
    this.confirms = new ConfirmLatencyBuckets(grid);
  }

  /** A new logical message whose first attempt is tracker message `id`; returns its index. */
  message(id: number): number {
    this.attempts.push([id]);
    return this.attempts.length - 1;
  }

  retry(logical: number, id: number): void {
    this.attempts[logical]!.push(id);
    this.counts.retries++;
  }

  confirmed(sentMs: number, latencyMs: number): void {
    this.confirms.record(sentMs, latencyMs);
  }

  get windowed(): boolean {
    return this.attempts.length > 0;
  }

  /** The final ledger, judged on where the tracker saw every copy of every attempt end up. */
  outcome(tracker: Tracker): PublisherOutcome {
    let ok = 0;
    let duplicated = 0;
    let lost = 0;
    let recovered = 0;
    let failed = 0;
    let attempts = 0;
    const ackedIn = new Map<number, number>();
    for (const ids of this.attempts) {
      attempts += ids.length;
      let confirmed = false;
      let present = false;
      ackedIn.clear();
      for (const id of ids) {
        if (tracker.msgConfirmed[id] === 1) confirmed = true;
        for (let c = tracker.msgFirstCopy[id]!; c >= 0; c = tracker.copyNext[c]!) {
          const outcome = tracker.outcome[c];
          if (outcome === ACKED) ackedIn.set(tracker.copyQueue[c]!, (ackedIn.get(tracker.copyQueue[c]!) ?? 0) + 1);
          if (outcome === ACKED || outcome === DEAD_LETTERED || outcome === IN_BROKER) present = true;
        }
      }
      if ([...ackedIn.values()].some((n) => n > 1)) duplicated++;
      if (confirmed) {
        if (present) ok++;
        else lost++;
      } else if (present) {
        recovered++;
      } else {
        failed++;
      }
    }
    return { messages: this.attempts.length, attempts, ...this.counts, ok, duplicated, lost, recovered, failed };
  }
}
