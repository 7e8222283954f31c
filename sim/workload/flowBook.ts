import type { Tracker } from '../run/tracker.ts';

/**
 * Flows through a pipeline, by correlation id: a flow starts with a producer's publish (its root
 * message) and ends when the last message it caused has been served. `pending` counts the flow's
 * queue copies not yet served; a consumer that forwards adds the copies its publishes made. A copy
 * that is dead-lettered keeps its message id (and so its flow and correlation id): it stops being
 * pending, and each copy the dead-letter exchange puts in a queue is pending in its place, one hop
 * further — so a flow completes when its message is consumed from the dead-letter queue. A flow
 * whose copy expires or is rejected with nowhere to go, is refused or is never served never
 * completes (counted as incomplete).
 *
 * Also keeps each message's patience (its per-message TTL), so an abandoned message's wait — its
 * patience — is known when it is measured.
 */
export class FlowBook {
  /** Root message of each forwarded message (absent: the message is its own root). */
  private readonly rootOf = new Map<number, number>();
  private readonly pending = new Map<number, number>();
  private readonly hopsOf = new Map<number, number>();
  /** Copies already served once (a redelivered duplicate is not counted twice). */
  private readonly served = new Set<number>();
  /** Completed flows: root message, start (first publish) and end (last service end), hops. */
  readonly startMs: number[] = [];
  readonly endMs: number[] = [];
  readonly hops: number[] = [];
  /** Forwarded publishes that found no broker, or that reached no queue. */
  lostForwards = 0;
  readonly patienceMs = new Map<number, number>();

  /** Messages dead-lettered at least once: any later copy of one is a dead-letter hop. */
  private readonly deadLettered = new Set<number>();
  /** Per flow, copies dead-lettered and not (yet) put into another queue; while any, the flow cannot complete. */
  private readonly unplaced = new Map<number, number>();
  /** Per flow not yet counting, copies dead-lettered before its first service (subtracted when it starts counting). */
  private readonly goneEarly = new Map<number, number>();

  constructor(private readonly tracker: Tracker) {
    tracker.copyListener = this;
  }

  /** A copy of `message` was dead-lettered: it will not be served where it was. */
  copyLeft(message: number): void {
    const root = this.root(message);
    this.deadLettered.add(message);
    this.unplaced.set(root, (this.unplaced.get(root) ?? 0) + 1);
    if (this.pending.has(root)) this.pending.set(root, this.pending.get(root)! - 1);
    else this.goneEarly.set(root, (this.goneEarly.get(root) ?? 0) + 1);
  }

  /** `message` got a copy in a queue; only a dead-letter hop's copy changes the flow (a publish's copies are counted as it is published). */
  copyAdded(message: number): void {
    if (!this.deadLettered.has(message)) return;
    const root = this.root(message);
    const unplaced = this.unplaced.get(root) ?? 0;
    if (unplaced > 0) {
      if (unplaced === 1) this.unplaced.delete(root);
      else this.unplaced.set(root, unplaced - 1);
      this.hopsOf.set(message, (this.hopsOf.get(message) ?? 1) + 1);
    }
    if (this.pending.has(root)) this.pending.set(root, this.pending.get(root)! + 1);
  }

  root(message: number): number {
    return this.rootOf.get(message) ?? message;
  }

  /** A forwarded message `child` belongs to the flow of `parent`. */
  adopt(child: number, parent: number): void {
    const root = this.root(parent);
    this.rootOf.set(child, root);
    this.hopsOf.set(child, (this.hopsOf.get(parent) ?? 1) + 1);
  }

  /** The forwarded publish of `child` made `copies` queue copies. */
  published(child: number, copies: number): void {
    const root = this.root(child);
    this.pending.set(root, (this.pending.get(root) ?? 0) + copies);
    if (copies === 0) this.lostForwards++;
  }

  /**
   * Copy `copy` was served successfully; `forward` publishes what follows it (in this event) and
   * returns nothing. Returns whether this was the copy's first service.
   */
  servedCopy(copy: number, atMs: number, forward: (() => void) | undefined): boolean {
    if (this.served.has(copy)) return false;
    this.served.add(copy);
    const message = this.tracker.copyMessage[copy]!;
    const root = this.root(message);
    if (!this.pending.has(root)) this.pending.set(root, this.copiesOf(root) - (this.goneEarly.get(root) ?? 0));
    forward?.();
    const left = this.pending.get(root)! - 1;
    if (left > 0 || this.unplaced.has(root)) {
      this.pending.set(root, left);
      return true;
    }
    this.pending.delete(root);
    this.startMs.push(this.tracker.msgCreatedMs[root]!);
    this.endMs.push(atMs);
    this.hops.push(this.hopsOf.get(message) ?? 1);
    return true;
  }

  /** Flows started and not completed. */
  get incomplete(): number {
    return this.pending.size;
  }

  private copiesOf(message: number): number {
    let n = 0;
    for (let c = this.tracker.msgFirstCopy[message]!; c >= 0; c = this.tracker.copyNext[c]!) n++;
    return n;
  }
}
