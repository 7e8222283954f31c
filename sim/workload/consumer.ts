import type { Delivery } from '../../engine/index.ts';
import type { Random } from '../../engine/random.ts';
import type { Distribution } from '../dist/distribution.ts';
import { makeDistribution } from '../dist/spec.ts';
import { Lifetime } from '../run/lifetime.ts';
import { SimulationInvariantError } from '../run/invariantError.ts';
import type { World } from '../run/world.ts';
import type { ConsumerSpec } from '../scenario/schema.ts';
import { Forwarder } from './forwarder.ts';

interface Held {
  tag: number;
  copy: number;
  incarnation: number;
}

/**
 * A consumer process: one connection, one message served at a time. Deliveries cross the deliver
 * link into a local buffer (as many as prefetch allows); each is served for a service time drawn
 * from its own stream, then acked — or, with `failureProbability`, nacked (requeued, through the
 * queue's retry policy if any, or dead-lettered) — over the ack link.
 *
 * When the broker dies every connection dies with it: the message being served is abandoned and
 * the consumer reconnects when a broker is up again. A consumer crash (a fault) drops its
 * connection too, so the broker requeues its unacked deliveries, and it reconnects after a delay.
 *
 * Every timer of a connection (deliveries and acks on the wire, the service in progress) belongs
 * to that connection's Lifetime and is cancelled when it drops: a service timer of a dead
 * connection that fired later used to complete the next connection's message early (and, one
 * timer too many, crash on an empty consumer).
 */
export class SimConsumer {
  private readonly service: Distribution;
  private readonly serviceStream: Random;
  private readonly failureStream: Random;
  /** Deliveries received and waiting for service (at most prefetch of them). */
  private buffer: Held[] = [];
  private bufferHead = 0;
  private busy = false;
  /** The message in service (one at a time, so no closure per service). */
  private current: Held | undefined;
  /** The live connection's timers; replaced at every connect, ended at every drop. */
  private connection: Lifetime | undefined;
  private connections = 0;
  private consumerTag: string | undefined;
  private incarnation = -1;
  private crashed = false;
  /** A pipeline stage: what it publishes after service (undefined: it only acks). */
  private readonly forwarder: Forwarder | undefined;

  constructor(
    private readonly world: World,
    private readonly spec: ConsumerSpec,
    label: string,
    /** Its index among all consumer instances. */
    private readonly index: number,
  ) {
    const streams = world.streams.stream(label);
    this.service = makeDistribution(spec.serviceTimeMs);
    this.serviceStream = streams.stream('service');
    this.failureStream = streams.stream('failure');
    this.forwarder = spec.forward === undefined ? undefined : new Forwarder(world, spec.forward, streams.stream('forward'));
    world.whenUp(() => this.connect());
  }

  /** Fleet control: whether this instance is meant to be consuming. A fleet starts its instances inactive and activates them. */
  private active = true;
  /** Told to stop: it finishes the message in service, sends its ack, then cancels. */
  private retiring = false;
  private acksOnWire = 0;
  /** Time spent serving so far (for a utilisation autoscaler), and since when the current service runs. */
  private servedMs = 0;
  private busySinceMs = 0;

  busyMs(nowMs: number): number {
    return this.servedMs + (this.busy ? nowMs - this.busySinceMs : 0);
  }

  get consuming(): boolean {
    return this.active && !this.retiring;
  }

  /** Starts consuming (again); a retirement under way is called off. */
  activate(): void {
    this.retiring = false;
    if (this.active) return;
    this.active = true;
    this.connect();
  }

  /** Stops consuming once the message in service is done and acked. */
  retire(): void {
    if (!this.active) return;
    this.retiring = true;
    this.leaveIfIdle();
  }

  /** Held back from the start (a fleet instance not yet wanted). */
  deactivate(): void {
    this.active = false;
  }

  private leaveIfIdle(): void {
    if (!this.retiring || this.busy || this.acksOnWire > 0) return;
    const { broker, tracker } = this.world;
    const live = broker !== undefined && this.consumerTag !== undefined && this.incarnation === this.world.incarnation;
    if (live) tracker.returnedAllOf(this.index); // its prefetched messages go back to the queue
    const tag = this.consumerTag;
    this.dropConnection();
    if (live) broker.cancel(tag!);
    this.retiring = false;
    this.active = false;
  }

  get meanServiceMs(): number {
    return this.service.mean;
  }

  /** The broker died: the connection and everything on it is gone. */
  brokerLost(): void {
    this.dropConnection();
  }

  /** A consumer crash (fault): its broker sees the connection drop at once; it comes back after `reconnectMs`. */
  crash(reconnectMs: number): void {
    if (this.crashed) return;
    const { broker, tracker, loop } = this.world;
    const live = broker !== undefined && this.consumerTag !== undefined && this.incarnation === this.world.incarnation;
    if (live) tracker.returnedAllOf(this.index);
    const tag = this.consumerTag;
    this.dropConnection();
    this.crashed = true;
    if (live) broker.cancel(tag!);
    loop.after(reconnectMs, () => {
      this.crashed = false;
      this.connect();
    });
  }

  private connect(): void {
    const broker = this.world.broker;
    if (broker === undefined || this.crashed || !this.active) return;
    if (this.connection !== undefined) this.dropConnection(); // never two live connections
    this.connection = new Lifetime(this.world.loop, `consumer ${this.index} (connection ${++this.connections})`, this.world.seed);
    this.incarnation = this.world.incarnation;
    this.consumerTag = broker.consume(this.spec.queue, { prefetch: this.spec.prefetch, autoAck: this.spec.ack === 'auto' }, this.onDelivery);
  }

  private dropConnection(): void {
    this.connection?.end();
    this.connection = undefined;
    this.current = undefined;
    this.consumerTag = undefined;
    this.world.tracker.consumerBuffers.lost(this.index, this.world.loop.now());
    this.buffer = [];
    this.bufferHead = 0;
    if (this.busy) {
      this.busy = false;
      this.servedMs += this.world.loop.now() - this.busySinceMs;
      this.world.tracker.consumerBusy(this.world.loop.now(), -1);
    }
  }

  /** A stop-the-world pause (fault) until this virtual time: deliveries and service completions wait for it. */
  private pausedUntilMs = 0;

  pause(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
  }

  private readonly onDelivery = (delivery: Delivery): void => {
    const copy = this.world.tracker.copyOf(delivery);
    if (copy >= 0) this.world.tracker.heldBy(copy, this.index);
    this.world.tracker.consumerBuffers.received(this.index, this.world.loop.now());
    const item: Held = { tag: delivery.deliveryTag, copy, incarnation: this.world.incarnation };
    const link = this.world.network.deliver;
    if (link.instant) return this.receive(item);
    this.world.inFlight++;
    // If the connection drops first the delivery is lost on the wire (the broker requeues it).
    this.connection!.after(link.delayMs(), () => {
      this.world.inFlight--;
      this.receive(item);
    }, this.leftTheWire);
  };

  private readonly leftTheWire = (): void => {
    this.world.inFlight--;
  };

  private readonly ackLeftTheWire = (): void => {
    this.world.inFlight--;
    this.acksOnWire--;
  };

  private receive(item: Held): void {
    // A paused consumer takes the delivery when it resumes; the wait belongs to the connection, so a drop cancels it.
    if (this.world.loop.now() < this.pausedUntilMs) return void this.connection!.setTimer(this.pausedUntilMs, () => this.receive(item));
    this.buffer.push(item);
    if (!this.busy) this.startNext();
  }

  private startNext(): void {
    if (this.bufferHead === this.buffer.length) return;
    const item = this.buffer[this.bufferHead++]!;
    if (this.bufferHead === this.buffer.length) {
      this.buffer.length = 0;
      this.bufferHead = 0;
    }
    const { loop, tracker } = this.world;
    this.busy = true;
    this.busySinceMs = loop.now();
    tracker.consumerBuffers.started(this.index, loop.now());
    tracker.consumerBusy(loop.now(), 1);
    if (item.copy >= 0) tracker.serviceStarted(item.copy, loop.now());
    this.current = item;
    this.connection!.after(this.service.sample(this.serviceStream), this.finish);
  }

  private readonly finish = (): void => {
    if (this.world.loop.now() < this.pausedUntilMs) return void this.connection!.setTimer(this.pausedUntilMs, this.finish);
    const item = this.current;
    const { loop, tracker, seed } = this.world;
    if (item === undefined || !this.busy) throw new SimulationInvariantError(`consumer ${this.index}: a service ended with no message in service`, seed, loop.now());
    this.current = undefined;
    this.busy = false;
    this.servedMs += loop.now() - this.busySinceMs;
    tracker.consumerBusy(loop.now(), -1);
    const failed = this.spec.failureProbability > 0 && this.failureStream.next() < this.spec.failureProbability;
    if (item.copy >= 0) tracker.serviceEnded(item.copy, loop.now(), !failed);
    if (!failed && item.copy >= 0 && this.world.flows !== undefined) {
      if (this.forwarder !== undefined) this.forwarder.served(item.copy);
      else this.world.flows.servedCopy(item.copy, loop.now(), undefined);
    }
    if (this.spec.ack === 'manual') this.settle(item, failed);
    if (this.retiring) return this.leaveIfIdle();
    if (!this.busy) this.startNext();
  };

  private settle(item: Held, failed: boolean): void {
    const link = this.world.network.ack;
    if (link.instant) return this.sendSettlement(item, failed);
    this.world.inFlight++;
    this.acksOnWire++;
    // An ack still on the wire when the connection drops is lost with it.
    this.connection!.after(link.delayMs(), () => {
      this.world.inFlight--;
      this.acksOnWire--;
      this.sendSettlement(item, failed);
      if (this.retiring) this.leaveIfIdle();
    }, this.ackLeftTheWire);
  }

  private sendSettlement(item: Held, failed: boolean): void {
    const { broker, tracker } = this.world;
    // An ack for a broker that has restarted since is lost on the wire.
    if (broker === undefined || this.connection === undefined || item.incarnation !== this.world.incarnation) return;
    if (!failed) return broker.ack(item.tag);
    const requeue = this.spec.onFailure === 'requeue';
    if (requeue && item.copy >= 0) tracker.returned(item.copy); // before: the nack may redeliver at once
    broker.nack(item.tag, { requeue });
  }
}
