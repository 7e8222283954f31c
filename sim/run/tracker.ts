import type { BrokerObserver, DeathReason, Delivery, MessageProperties } from '../../engine/index.ts';
import { BucketSeries } from './bucketSeries.ts';
import { SimulationInvariantError } from './invariantError.ts';

/** Where a queue copy of a message is, as far as the run can tell. */
export const IN_BROKER = 0;
export const ACKED = 1;
export const DEAD_LETTERED = 2;
/** The broker crashed while holding it, and it has not come back (yet). */
export const VANISHED = 3;

/** The property the simulator stamps on every message it publishes, to follow it through the broker. */
export const ID_PROPERTY = 'qlabId';

const REASONS: readonly DeathReason[] = ['rejected', 'expired', 'maxlen', 'delivery_limit'];

/**
 * Everything one replication observes: the broker's observer events plus what the simulated
 * clients report (service start and end, publishes refused, crashes). Kept as parallel typed arrays
 * — one row per published message and one per queue copy of it — so a million-message run
 * allocates almost nothing per message.
 */
export class Tracker implements BrokerObserver {
  // Per published message, indexed by its id.
  private messageCapacity = 1024;
  messages = 0;
  msgCreatedMs = new Float64Array(this.messageCapacity);
  msgPublished = new Uint8Array(this.messageCapacity);
  msgConfirmed = new Uint8Array(this.messageCapacity);
  /** A queue refused it (overflow reject-publish): M/M/c/K blocking. */
  msgRejected = new Uint8Array(this.messageCapacity);
  msgFirstCopy = new Int32Array(this.messageCapacity).fill(-1);

  // Per queue copy.
  private copyCapacity = 1024;
  copies = 0;
  copyMessage = new Int32Array(this.copyCapacity);
  copyQueue = new Int32Array(this.copyCapacity);
  copyNext = new Int32Array(this.copyCapacity);
  copyClass = new Uint8Array(this.copyCapacity);
  arrivalMs = new Float64Array(this.copyCapacity);
  firstDeliveryMs = new Float64Array(this.copyCapacity);
  serviceStartMs = new Float64Array(this.copyCapacity);
  endMs = new Float64Array(this.copyCapacity);
  deliveries = new Uint16Array(this.copyCapacity);
  outcome = new Uint8Array(this.copyCapacity);
  /** Broker incarnation in which the copy is delivered and not yet settled; 0 when none. */
  outstanding = new Int32Array(this.copyCapacity);
  /** The consumer instance it was last delivered to. */
  holder = new Int32Array(this.copyCapacity);
  duplicateSeen = new Uint8Array(this.copyCapacity);

  readonly queueIndex = new Map<string, number>();
  private readonly ready: Float64Array;
  private readonly held: Float64Array;
  private totalReady = 0;
  private totalHeld = 0;
  /** Copies the broker holds right now (ready, unacked or delayed), for the drain check. */
  inBroker = 0;
  brokerEpoch = 0;

  readonly queueLength: BucketSeries;
  readonly inSystem: BucketSeries;
  readonly busy: BucketSeries;
  readonly completions: BucketSeries;

  readonly counts = {
    published: 0,
    refused: 0,
    unavailable: 0,
    confirmed: 0,
    deliveries: 0,
    redeliveries: 0,
    duplicated: 0,
    unexpected: 0,
    dropped: 0,
    failures: 0,
    unroutable: 0,
    returned: 0,
  };
  readonly deadLetteredBy: Record<DeathReason, number> = { rejected: 0, expired: 0, maxlen: 0, delivery_limit: 0 };

  constructor(
    queues: readonly string[],
    readonly seed: number,
    endMs: number,
    buckets: number,
    /** Priorities above this are one class, as the queue serves them at this level. */
    private readonly maxPriority = 255,
  ) {
    queues.forEach((q, i) => this.queueIndex.set(q, i));
    this.ready = new Float64Array(queues.length);
    this.held = new Float64Array(queues.length);
    this.queueLength = new BucketSeries(endMs, buckets);
    this.inSystem = new BucketSeries(endMs, buckets);
    this.busy = new BucketSeries(endMs, buckets);
    this.completions = new BucketSeries(endMs, buckets);
  }

  // ─── the simulated clients ─────────────────────────────────────────────────

  /** A producer created a message; returns its id. */
  created(atMs: number): number {
    const id = this.messages++;
    if (id === this.messageCapacity) this.growMessages();
    this.msgCreatedMs[id] = atMs;
    return id;
  }

  publishOutcome(id: number, outcome: 'published' | 'unavailable'): void {
    if (outcome === 'published') {
      this.msgPublished[id] = 1;
      this.counts.published++;
    } else {
      this.counts.unavailable++;
    }
  }

  /** The broker routed a publish to no queue; a mandatory one comes back to its publisher (basic.return). */
  unroutable(mandatory: boolean): void {
    this.counts.unroutable++;
    if (mandatory) this.counts.returned++;
  }

  rejected(id: number): void {
    this.msgRejected[id] = 1;
  }

  confirm(id: number, ack: boolean): void {
    if (!ack) {
      this.counts.refused++;
      return;
    }
    if (this.msgConfirmed[id] === 0) {
      this.msgConfirmed[id] = 1;
      this.counts.confirmed++;
    }
  }

  /** The copy a delivery is of, or −1 (a delivery of something never published). */
  copyOf(delivery: Delivery): number {
    const id = delivery.properties[ID_PROPERTY];
    const queue = this.queueIndex.get(delivery.queue);
    return typeof id === 'number' && queue !== undefined ? this.findCopy(id, queue) : -1;
  }

  serviceStarted(copy: number, atMs: number): void {
    if (this.serviceStartMs[copy]! < 0) this.serviceStartMs[copy] = atMs;
  }

  serviceEnded(copy: number, atMs: number, success: boolean): void {
    if (!success) {
      this.counts.failures++;
      return;
    }
    if (this.endMs[copy]! < 0) {
      this.endMs[copy] = atMs;
      this.completions.tick(atMs);
    }
  }

  /** The client gave the delivery back (nack with requeue). */
  returned(copy: number): void {
    this.outstanding[copy] = 0;
  }

  /** Consumer `holder` took delivery of `copy`. */
  heldBy(copy: number, holder: number): void {
    this.holder[copy] = holder;
  }

  /** Consumer `holder` went away: the broker takes back everything it held unacked. Rare, so a scan. */
  returnedAllOf(holder: number): void {
    for (let c = 0; c < this.copies; c++) if (this.outstanding[c] !== 0 && this.holder[c] === holder) this.outstanding[c] = 0;
  }

  consumerBusy(atMs: number, delta: number): void {
    this.busy.add(atMs, delta);
  }

  /** The broker died: it holds nothing now, and what it held may or may not come back. */
  brokerCrashed(atMs: number): void {
    this.brokerEpoch++;
    for (let c = 0; c < this.copies; c++) {
      if (this.outcome[c] === IN_BROKER) this.outcome[c] = VANISHED;
      this.outstanding[c] = 0;
    }
    this.inBroker = 0;
    this.ready.fill(0);
    this.held.fill(0);
    this.totalReady = 0;
    this.totalHeld = 0;
    this.queueLength.set(atMs, 0);
    this.inSystem.set(atMs, 0);
  }

  brokerStarted(): void {
    this.brokerEpoch++;
  }

  // ─── BrokerObserver ────────────────────────────────────────────────────────

  enqueued(queue: string, properties: MessageProperties, atMs: number): void {
    const id = properties[ID_PROPERTY];
    const q = this.queueIndex.get(queue);
    if (typeof id !== 'number' || id >= this.messages || q === undefined) {
      this.counts.unexpected++;
      return;
    }
    let copy = this.findCopy(id, q);
    if (copy < 0) {
      copy = this.newCopy(id, q, Math.min(properties.priority ?? 0, this.maxPriority), atMs);
    } else if (this.outcome[copy] !== IN_BROKER) {
      // Back in a queue it had left (dead-lettered round to it again).
      this.outcome[copy] = IN_BROKER;
      this.inBroker++;
    }
  }

  delivered(delivery: Delivery, atMs: number): void {
    this.counts.deliveries++;
    if (delivery.redelivered) this.counts.redeliveries++;
    const copy = this.copyOf(delivery);
    if (copy < 0) {
      this.counts.unexpected++;
      return;
    }
    if (this.outstanding[copy] === this.brokerEpoch) {
      throw new SimulationInvariantError(`message ${this.copyMessage[copy]} delivered from '${delivery.queue}' while a delivery of it is still unacked`, this.seed, atMs);
    }
    if (this.outcome[copy] === ACKED && this.duplicateSeen[copy] === 0) {
      this.duplicateSeen[copy] = 1;
      this.counts.duplicated++;
    }
    this.deliveries[copy]!++;
    if (this.firstDeliveryMs[copy]! < 0) this.firstDeliveryMs[copy] = atMs;
    this.outstanding[copy] = this.brokerEpoch;
  }

  acked(queue: string, properties: MessageProperties, _atMs: number): void {
    this.settle(queue, properties, ACKED);
  }

  deadLettered(queue: string, properties: MessageProperties, reason: DeathReason, _atMs: number): void {
    if (REASONS.includes(reason)) this.deadLetteredBy[reason]++;
    this.settle(queue, properties, DEAD_LETTERED);
  }

  dropped(): void {
    this.counts.dropped++;
  }

  depthChanged(queue: string, ready: number, unacked: number, delayed: number, atMs: number): void {
    const q = this.queueIndex.get(queue);
    if (q === undefined) return;
    if (ready < 0 || unacked < 0 || delayed < 0) {
      throw new SimulationInvariantError(`queue '${queue}' reports negative counts (${ready}, ${unacked}, ${delayed})`, this.seed, atMs);
    }
    const held = ready + unacked + delayed;
    this.totalReady += ready - this.ready[q]!;
    this.totalHeld += held - this.held[q]!;
    this.ready[q] = ready;
    this.held[q] = held;
    this.queueLength.set(atMs, this.totalReady);
    this.inSystem.set(atMs, this.totalHeld);
  }

  recovered(queue: string, properties: MessageProperties): void {
    const id = properties[ID_PROPERTY];
    const q = this.queueIndex.get(queue);
    const copy = typeof id === 'number' && q !== undefined && id < this.messages ? this.findCopy(id, q) : -1;
    if (copy < 0) {
      this.counts.unexpected++;
      return;
    }
    if (this.outcome[copy] === VANISHED) {
      this.outcome[copy] = IN_BROKER;
      this.inBroker++;
    }
  }

  // ─── internals ─────────────────────────────────────────────────────────────

  private settle(queue: string, properties: MessageProperties, outcome: number): void {
    const id = properties[ID_PROPERTY];
    const q = this.queueIndex.get(queue);
    const copy = typeof id === 'number' && q !== undefined && id < this.messages ? this.findCopy(id, q) : -1;
    if (copy < 0) return;
    if (this.outcome[copy] === IN_BROKER) this.inBroker--;
    this.outcome[copy] = outcome;
    this.outstanding[copy] = 0;
  }

  findCopy(message: number, queue: number): number {
    for (let c = this.msgFirstCopy[message]!; c >= 0; c = this.copyNext[c]!) if (this.copyQueue[c] === queue) return c;
    return -1;
  }

  private newCopy(message: number, queue: number, priority: number, atMs: number): number {
    const c = this.copies++;
    if (c === this.copyCapacity) this.growCopies();
    this.copyMessage[c] = message;
    this.copyQueue[c] = queue;
    this.copyClass[c] = priority;
    this.copyNext[c] = this.msgFirstCopy[message]!;
    this.msgFirstCopy[message] = c;
    this.arrivalMs[c] = atMs;
    this.firstDeliveryMs[c] = -1;
    this.serviceStartMs[c] = -1;
    this.endMs[c] = -1;
    this.outcome[c] = IN_BROKER;
    this.inBroker++;
    return c;
  }

  private growMessages(): void {
    this.messageCapacity *= 2;
    this.msgCreatedMs = grow(this.msgCreatedMs, new Float64Array(this.messageCapacity));
    this.msgPublished = grow(this.msgPublished, new Uint8Array(this.messageCapacity));
    this.msgConfirmed = grow(this.msgConfirmed, new Uint8Array(this.messageCapacity));
    this.msgRejected = grow(this.msgRejected, new Uint8Array(this.messageCapacity));
    this.msgFirstCopy = grow(this.msgFirstCopy, new Int32Array(this.messageCapacity).fill(-1));
  }

  private growCopies(): void {
    this.copyCapacity *= 2;
    const n = this.copyCapacity;
    this.copyMessage = grow(this.copyMessage, new Int32Array(n));
    this.copyQueue = grow(this.copyQueue, new Int32Array(n));
    this.copyNext = grow(this.copyNext, new Int32Array(n));
    this.copyClass = grow(this.copyClass, new Uint8Array(n));
    this.arrivalMs = grow(this.arrivalMs, new Float64Array(n));
    this.firstDeliveryMs = grow(this.firstDeliveryMs, new Float64Array(n));
    this.serviceStartMs = grow(this.serviceStartMs, new Float64Array(n));
    this.endMs = grow(this.endMs, new Float64Array(n));
    this.deliveries = grow(this.deliveries, new Uint16Array(n));
    this.outcome = grow(this.outcome, new Uint8Array(n));
    this.outstanding = grow(this.outstanding, new Int32Array(n));
    this.holder = grow(this.holder, new Int32Array(n));
    this.duplicateSeen = grow(this.duplicateSeen, new Uint8Array(n));
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
