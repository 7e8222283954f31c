import type { Delivery, MessageProperties } from '../../engine/index.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { RandomStream } from '../random/streams.ts';
import type { ConsumerSpec, ProducerSpec, Scenario } from '../scenario/schema.ts';
import { ID_PROPERTY, type Tracker } from '../run/tracker.ts';
import { routedQueues } from '../rabbitmqMode/rabbitTopology.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import type { PublisherLedger } from '../workload/publisherLedger.ts';
import { weightedChoice } from '../workload/weightedChoice.ts';
import type { BrokerChild } from './ipc/brokerProcess.ts';
import type { WallClockLoop } from './wallClockLoop.ts';

/** What the clients of one child-broker run share. `broker` is set only while a child is up and recovered. */
export interface ChildSide {
  loop: WallClockLoop;
  tracker: Tracker;
  ledger: PublisherLedger;
  scenario: Scenario;
  broker: BrokerChild | undefined;
  /** Bumped at every crash: a service that ends after one belongs to a dead connection. */
  incarnation: number;
  /** Publishes waiting for their confirm, by sequence number (cleared at a crash: those answers never come). */
  pendingConfirms: Map<number, { id: number; sentMs: number }>;
  nextSeq: number;
  /** The clients' own count, kept apart from the tracker so tests can check the accounting against it. */
  own: { sent: number; unavailable: number; confirmed: Set<number>; delivered: Set<number>; ackSent: Set<number> };
}

/** A producer: arrivals on the sampled schedule (lateness measured by the loop); a publish while the broker is down is unavailable, as in the simulator. */
export function startChildProducer(side: ChildSide, spec: ProducerSpec, streams: RandomStream, stopAtMs: number): void {
  const arrivals = makeArrivals(spec.arrivals);
  const arrivalStream = streams.stream('arrivals');
  const choices = streams.stream('choices');
  const pickKey = spec.routingKeys !== undefined ? weightedChoice(spec.routingKeys.map((k) => ({ value: k.key, weight: k.weight }))) : () => spec.routingKey!;
  const mix = Object.entries(spec.priorityMix ?? {}).filter(([, w]) => w > 0);
  const pickPriority = mix.length > 0 ? weightedChoice(mix.map(([p, w]) => ({ value: Number(p), weight: w }))) : undefined;
  let intendedMs = side.loop.now();
  const scheduleNext = () => {
    intendedMs += arrivals.nextGapMs(arrivalStream);
    if (intendedMs < stopAtMs) side.loop.setTimer(intendedMs, arrive);
  };
  // Named `arrive` so the loop counts its lateness as the producer's.
  const arrive = () => {
    const { tracker, loop, broker } = side;
    const nowMs = loop.now();
    const id = tracker.created(nowMs);
    const key = pickKey(choices);
    const properties: MessageProperties = { [ID_PROPERTY]: id };
    if (pickPriority !== undefined) properties.priority = pickPriority(choices);
    if (spec.persistent) properties.persistent = true;
    if (spec.messageIds) properties.messageId = `m${id}`;
    if (spec.messageTtlMs !== undefined) properties.expirationMs = spec.messageTtlMs;
    if (spec.headers !== undefined) properties.headers = spec.headers;
    scheduleNext();
    if (broker === undefined) {
      side.own.unavailable++;
      return tracker.publishOutcome(id, 'unavailable');
    }
    side.own.sent++;
    tracker.publishOutcome(id, 'published');
    // Sent is published: a publish the kill cuts off before the child reads it is lost like any other copy.
    const queues = routedQueues(side.scenario, spec.exchange, key);
    if (queues.length === 0) tracker.unroutable(spec.mandatory);
    for (const q of queues) tracker.enqueued(q, properties, nowMs);
    const seq = side.nextSeq++;
    if (spec.confirms) side.pendingConfirms.set(seq, { id, sentMs: nowMs });
    broker.send('publish', { seq, exchange: spec.exchange, routingKey: key, bodyBytes: spec.bodyBytes, properties, confirm: spec.confirms });
  };
  scheduleNext();
}

/** A confirm frame: the producer's answer, counted by the tracker and the clients' own tally. */
export function confirmed(side: ChildSide, seq: number, ack: boolean): void {
  const pending = side.pendingConfirms.get(seq);
  if (pending === undefined) return;
  side.pendingConfirms.delete(seq);
  if (ack) {
    side.ledger.confirmed(pending.sentMs, side.loop.now() - pending.sentMs);
    side.own.confirmed.add(pending.id);
  }
  side.tracker.confirm(pending.id, ack);
}

interface Held {
  deliveryTag: number;
  copy: number;
  id: number;
}

/**
 * A consumer: subscribes on every broker start (prefetch, manual or auto ack) and serves one
 * delivery at a time for its sampled service time. A crash drops its buffer and the message in
 * service (under manual ack the broker still has them; under auto ack they are lost in the consumer).
 */
export class ChildConsumer {
  private readonly service;
  private readonly serviceStream: RandomStream;
  private readonly failureStream: RandomStream;
  private buffer: Held[] = [];
  private busy = false;
  readonly tag: () => string;

  constructor(private readonly side: ChildSide, private readonly spec: ConsumerSpec, readonly index: number, streams: RandomStream) {
    this.service = makeDistribution(spec.serviceTimeMs);
    this.serviceStream = streams.stream('service');
    this.failureStream = streams.stream('failures');
    this.tag = () => `consumer-${index}.${side.incarnation}`;
  }

  connect(): void {
    this.side.broker?.send('consume', { tag: this.tag(), queue: this.spec.queue, prefetch: this.spec.prefetch, autoAck: this.spec.ack === 'auto' });
  }

  /** The broker died: the connection and everything on it is gone. */
  brokerLost(): void {
    this.buffer = [];
    if (this.busy) {
      this.busy = false;
      this.side.tracker.consumerBusy(this.side.loop.now(), -1);
    }
  }

  receive(delivery: Pick<Delivery, 'queue' | 'properties' | 'deliveryTag'>): void {
    const copy = this.side.tracker.copyOf(delivery as Delivery);
    const id = delivery.properties[ID_PROPERTY];
    if (typeof id === 'number') this.side.own.delivered.add(id);
    this.buffer.push({ deliveryTag: delivery.deliveryTag, copy, id: typeof id === 'number' ? id : -1 });
    if (!this.busy) this.startNext();
  }

  private startNext(): void {
    const item = this.buffer.shift();
    if (item === undefined) return;
    const { loop, tracker } = this.side;
    const incarnation = this.side.incarnation;
    this.busy = true;
    tracker.consumerBusy(loop.now(), 1);
    if (item.copy >= 0) tracker.serviceStarted(item.copy, loop.now());
    loop.after(this.service.sample(this.serviceStream), () => {
      if (incarnation !== this.side.incarnation) return; // its connection died with the broker
      this.busy = false;
      tracker.consumerBusy(loop.now(), -1);
      const failed = this.spec.failureProbability > 0 && this.failureStream.next() < this.spec.failureProbability;
      if (item.copy >= 0) tracker.serviceEnded(item.copy, loop.now(), !failed);
      if (this.spec.ack === 'manual') {
        if (!failed && this.side.broker !== undefined) this.side.own.ackSent.add(item.id);
        if (failed && this.spec.onFailure === 'requeue' && item.copy >= 0) tracker.returned(item.copy);
        this.side.broker?.send(failed ? 'nack' : 'ack', { deliveryTag: item.deliveryTag, requeue: this.spec.onFailure === 'requeue' });
      }
      this.startNext();
    });
  }
}
