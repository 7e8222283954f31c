import type { BrokerObserver, DeathReason, Delivery, MessageProperties } from '../../engine/index.ts';
import { BucketSeries } from './bucketSeries.ts';
import { BucketSamples } from './bucketSamples.ts';
import { ConsumerBuffers } from './consumerBuffers.ts';
import { SimulationInvariantError } from './invariantError.ts';
import { ACKED, DEAD_LETTERED, IN_BROKER, NACKED, TrackerRows, UNAVAILABLE, VANISHED } from './trackerRows.ts';

export { ACKED, DEAD_LETTERED, IN_BROKER, VANISHED } from './trackerRows.ts';

/** The property the simulator stamps on every message it publishes, to follow it through the broker. */
export const ID_PROPERTY = 'qlabId';

const REASONS: readonly DeathReason[] = ['rejected', 'expired', 'maxlen', 'delivery_limit'];

/**
 * Everything one replication observes: the broker's observer events plus what the simulated
 * clients report (service start and end, publishes refused, crashes). Kept as parallel typed arrays
 * — one row per published message and one per queue copy of it — so a million-message run
 * allocates almost nothing per message.
 */
export class Tracker extends TrackerRows implements BrokerObserver {
  readonly queueIndex = new Map<string, number>();
  /** The last queue name looked up and its index: most runs have one queue, and every observer call names it. */
  private lastQueueName: string | undefined;
  private lastQueue = -1;
  /** The last delivery the broker reported and its copy: the consumer receiving it asks again at once. */
  private lastDelivery: Delivery | undefined;
  private lastDeliveryCopy = -1;
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
  readonly consumerBuffers: ConsumerBuffers;
  /** Waits, sojourns and publish counts by time bucket, recorded as they happen. */
  readonly samples: BucketSamples;

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
    statistics: { exact?: boolean; classes?: readonly number[] } = {},
  ) {
    super();
    queues.forEach((q, i) => this.queueIndex.set(q, i));
    this.ready = new Float64Array(queues.length);
    this.held = new Float64Array(queues.length);
    this.queueLength = new BucketSeries(endMs, buckets);
    this.inSystem = new BucketSeries(endMs, buckets);
    this.busy = new BucketSeries(endMs, buckets);
    this.completions = new BucketSeries(endMs, buckets);
    this.consumerBuffers = new ConsumerBuffers(endMs, buckets);
    this.samples = new BucketSamples(endMs, buckets, statistics.exact ?? false, statistics.classes ?? []);
  }

  // ─── the simulated clients ─────────────────────────────────────────────────

  /** A producer created a message; returns its id. */
  created(atMs: number): number {
    this.samples.offered(atMs);
    return this.newMessage(atMs);
  }

  publishOutcome(id: number, outcome: 'published' | 'unavailable'): void {
    const m = this.msgRow(id);
    if (outcome === 'published') {
      this.msgPublished[m] = 1;
      this.counts.published++;
      this.samples.reached(this.msgCreatedMs[m]!);
    } else {
      this.msgPublished[m] = UNAVAILABLE;
      this.counts.unavailable++;
    }
  }

  /** The broker routed a publish to no queue; a mandatory one comes back to its publisher (basic.return). */
  unroutable(mandatory: boolean): void {
    this.counts.unroutable++;
    if (mandatory) this.counts.returned++;
  }

  rejected(id: number): void {
    const m = this.msgRow(id);
    if (this.msgRejected[m] === 1) return;
    this.msgRejected[m] = 1;
    this.samples.refused(this.msgCreatedMs[m]!);
  }

  confirm(id: number, ack: boolean): void {
    // A retired message was settled, confirm included, so a late answer for it is only counted.
    const live = id >= this.msgBase;
    const m = this.msgRow(id);
    if (!ack) {
      this.counts.refused++;
      if (live && this.msgConfirmed[m] === 0) this.msgConfirmed[m] = NACKED;
      return;
    }
    if (!live) this.counts.confirmed++;
    else if (this.msgConfirmed[m] !== 1) {
      this.msgConfirmed[m] = 1;
      this.counts.confirmed++;
    }
  }

  /** The copy a delivery is of, or −1 (a delivery of something never published). */
  copyOf(delivery: Delivery): number {
    if (delivery === this.lastDelivery) return this.lastDeliveryCopy;
    const id = delivery.properties[ID_PROPERTY];
    const queue = this.indexOfQueue(delivery.queue);
    return typeof id === 'number' && queue !== undefined ? this.findCopy(id, queue) : -1;
  }

  /** The index of a queue by name (undefined: not one of the scenario's). */
  indexOfQueue(name: string): number | undefined {
    if (name === this.lastQueueName) return this.lastQueue;
    const q = this.queueIndex.get(name);
    if (q === undefined) return undefined;
    this.lastQueueName = name;
    this.lastQueue = q;
    return q;
  }

  serviceStarted(copy: number, atMs: number): void {
    const r = this.row(copy);
    if (this.serviceStartMs[r]! >= 0) return;
    this.serviceStartMs[r] = atMs;
    this.samples.recordWait(this.arrivalMs[r]!, atMs - this.arrivalMs[r]!, this.copyClass[r]!);
  }

  serviceEnded(copy: number, atMs: number, success: boolean): void {
    const r = this.row(copy);
    this.inHands[r] = 0;
    if (!success) {
      this.counts.failures++;
      return;
    }
    if (this.endMs[r]! < 0) {
      this.endMs[r] = atMs;
      this.completions.tick(atMs);
      this.samples.recordSojourn(this.arrivalMs[r]!, atMs - this.arrivalMs[r]!, this.copyClass[r]!);
    }
  }

  /** The client gave the delivery back (nack with requeue). */
  returned(copy: number): void {
    this.outstanding[this.row(copy)] = 0;
  }

  /** Consumer `holder` took delivery of `copy`. */
  heldBy(copy: number, holder: number): void {
    const r = this.row(copy);
    this.holder[r] = holder;
    this.inHands[r] = 1;
  }

  /** Consumer `holder` went away: the broker takes back everything it held unacked. Rare, so a scan. */
  returnedAllOf(holder: number): void {
    for (let c = this.copyBase; c < this.copies; c++) {
      const r = this.row(c);
      if (this.outstanding[r] !== 0 && this.holder[r] === holder) this.outstanding[r] = 0;
    }
  }

  consumerBusy(atMs: number, delta: number): void {
    this.busy.add(atMs, delta);
  }

  /** The broker died: it holds nothing now, and what it held may or may not come back. */
  brokerCrashed(atMs: number): void {
    this.brokerEpoch++;
    for (let c = this.copyBase; c < this.copies; c++) {
      const r = this.row(c);
      if (this.outcome[r] === IN_BROKER) this.outcome[r] = VANISHED;
      this.outstanding[r] = 0;
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
    const q = this.indexOfQueue(queue);
    if (typeof id !== 'number' || id >= this.messages || id < this.msgBase || q === undefined) {
      this.counts.unexpected++;
      return;
    }
    let copy = this.findCopy(id, q);
    if (copy < 0) {
      copy = this.newCopy(id, q, Math.min(properties.priority ?? 0, this.maxPriority), atMs);
      this.copyListener?.copyAdded(id);
    } else if (this.outcome[this.row(copy)] !== IN_BROKER) {
      // Back in a queue it had left (dead-lettered round to it again).
      this.outcome[this.row(copy)] = IN_BROKER;
      this.inBroker++;
      this.copyListener?.copyAdded(id);
    }
  }

  /** Told when a copy is dead-lettered and when a message gains a copy, so pipeline flows can follow a message through its dead-letter hop (FlowBook). */
  copyListener: { copyLeft(message: number): void; copyAdded(message: number): void } | undefined;

  delivered(delivery: Delivery, atMs: number): void {
    this.counts.deliveries++;
    if (delivery.redelivered) this.counts.redeliveries++;
    const copy = this.copyOf(delivery);
    this.lastDelivery = delivery;
    this.lastDeliveryCopy = copy;
    if (copy < 0) {
      this.counts.unexpected++;
      return;
    }
    const r = this.row(copy);
    if (this.outstanding[r] === this.brokerEpoch) {
      throw new SimulationInvariantError(`message ${this.copyMessage[r]} delivered from '${delivery.queue}' while a delivery of it is still unacked`, this.seed, atMs);
    }
    if (this.outcome[r] === ACKED && this.duplicateSeen[r] === 0) {
      this.duplicateSeen[r] = 1;
      this.counts.duplicated++;
    }
    this.deliveries[r]!++;
    if (this.firstDeliveryMs[r]! < 0) this.firstDeliveryMs[r] = atMs;
    this.outstanding[r] = this.brokerEpoch;
  }

  acked(queue: string, properties: MessageProperties, _atMs: number): void {
    this.settle(queue, properties, ACKED);
  }

  deadLettered(queue: string, properties: MessageProperties, reason: DeathReason, _atMs: number): void {
    if (REASONS.includes(reason)) this.deadLetteredBy[reason]++;
    this.settle(queue, properties, DEAD_LETTERED);
    const id = properties[ID_PROPERTY];
    if (typeof id === 'number' && id >= this.msgBase && id < this.messages) this.copyListener?.copyLeft(id);
  }

  dropped(): void {
    this.counts.dropped++;
  }

  depthChanged(queue: string, ready: number, unacked: number, delayed: number, atMs: number): void {
    const q = this.indexOfQueue(queue);
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
    const q = this.indexOfQueue(queue);
    const copy = typeof id === 'number' && q !== undefined && id < this.messages ? this.findCopy(id, q) : -1;
    if (copy < 0) {
      this.counts.unexpected++;
      return;
    }
    if (this.outcome[this.row(copy)] === VANISHED) {
      this.outcome[this.row(copy)] = IN_BROKER;
      this.inBroker++;
    }
  }

  // ─── internals ─────────────────────────────────────────────────────────────

  private settle(queue: string, properties: MessageProperties, outcome: number): void {
    const id = properties[ID_PROPERTY];
    const q = this.indexOfQueue(queue);
    const copy = typeof id === 'number' && q !== undefined && id < this.messages ? this.findCopy(id, q) : -1;
    if (copy < 0) return;
    const r = this.row(copy);
    if (this.outcome[r] === IN_BROKER) this.inBroker--;
    this.outcome[r] = outcome;
    this.outstanding[r] = 0;
  }

  protected override newCopy(message: number, queue: number, priority: number, atMs: number): number {
    this.inBroker++;
    return super.newCopy(message, queue, priority, atMs);
  }
}
