import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Delivery } from '../../engine/index.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { RandomStream } from '../random/streams.ts';
import type { ConsumerSpec, ProducerSpec, Scenario } from '../scenario/schema.ts';
import { ID_PROPERTY, type Tracker } from '../run/tracker.ts';
import type { WallClockLoop } from '../real/wallClockLoop.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import type { PublisherLedger } from '../workload/publisherLedger.ts';
import { weightedChoice } from '../workload/weightedChoice.ts';
import { routedQueues } from './rabbitTopology.ts';

/** What clients of one run share: the clock, the tracker, and each queue's depth as the clients see it. */
export interface RabbitSide {
  loop: WallClockLoop;
  tracker: Tracker;
  ledger: PublisherLedger;
  scenario: Scenario;
  /** Per queue: published and not yet delivered, delivered and not yet acked. */
  ready: Map<string, number>;
  unacked: Map<string, number>;
  pendingConfirms: number;
}

export function depth(side: RabbitSide, queue: string, readyDelta: number, unackedDelta: number): void {
  const ready = (side.ready.get(queue) ?? 0) + readyDelta;
  const unacked = (side.unacked.get(queue) ?? 0) + unackedDelta;
  side.ready.set(queue, ready);
  side.unacked.set(queue, unacked);
  // Client-side view: a message counts as in the queue from its publish to its delivery.
  side.tracker.depthChanged(queue, Math.max(0, ready), Math.max(0, unacked), 0, side.loop.now());
}

const MESSAGE_ID_PREFIX = 'qlab-';

/** A producer on its own channel (replaced after a broker restart; undefined while there is none): arrivals on the sampled schedule (lateness measured by the loop), persistent and confirmed as the scenario says. */
export function startRabbitProducer(side: RabbitSide, spec: ProducerSpec, channelOf: () => Channel | ConfirmChannel | undefined, streams: RandomStream, stopAtMs: number): void {
  const arrivals = makeArrivals(spec.arrivals);
  const arrivalStream = streams.stream('arrivals');
  const choices = streams.stream('choices');
  const pickKey = spec.routingKeys !== undefined ? weightedChoice(spec.routingKeys.map((k) => ({ value: k.key, weight: k.weight }))) : () => spec.routingKey!;
  const mix = Object.entries(spec.priorityMix ?? {}).filter(([, w]) => w > 0);
  const pickPriority = mix.length > 0 ? weightedChoice(mix.map(([p, w]) => ({ value: Number(p), weight: w }))) : undefined;
  const body = Buffer.alloc(spec.bodyBytes);
  let intendedMs = side.loop.now();
  const scheduleNext = () => {
    intendedMs += arrivals.nextGapMs(arrivalStream);
    if (intendedMs < stopAtMs) side.loop.setTimer(intendedMs, arrive);
  };
  // Named `arrive` so the loop counts its lateness as the producer's.
  const arrive = () => {
    const { tracker, loop } = side;
    const nowMs = loop.now();
    const id = tracker.created(nowMs);
    const key = pickKey(choices);
    const priority = pickPriority?.(choices);
    const properties = { [ID_PROPERTY]: id, ...(priority !== undefined ? { priority } : {}) };
    scheduleNext();
    const options = { persistent: spec.persistent, messageId: `${MESSAGE_ID_PREFIX}${id}`, mandatory: spec.mandatory, ...(priority !== undefined ? { priority } : {}), ...(spec.headers ? { headers: spec.headers } : {}) };
    if (!send(channelOf(), spec, key, body, options, id, nowMs)) return tracker.publishOutcome(id, 'unavailable');
    const queues = routedQueues(side.scenario, spec.exchange, key);
    tracker.publishOutcome(id, 'published');
    if (queues.length === 0) tracker.unroutable(spec.mandatory);
    for (const q of queues) {
      tracker.enqueued(q, properties, nowMs);
      depth(side, q, 1, 0);
    }
  };
  // Returns false when there is no open channel: the publish found no broker (unavailable, as in the simulator).
  const send = (channel: Channel | ConfirmChannel | undefined, spec: ProducerSpec, key: string, body: Buffer, options: object, id: number, sentMs: number): boolean => {
    if (channel === undefined) return false;
    try {
      if (!spec.confirms) return channel.publish(spec.exchange, key, body, options), true;
      side.pendingConfirms++;
      (channel as ConfirmChannel).publish(spec.exchange, key, body, options, (error) => {
        side.pendingConfirms--;
        // A channel that closed under the publish (a broker restart) never answered it: unconfirmed, not refused.
        if (error && /closed/i.test(String((error as Error).message ?? error))) return;
        if (error === null || error === undefined) side.ledger.confirmed(sentMs, side.loop.now() - sentMs);
        side.tracker.confirm(id, error === null || error === undefined);
      });
      return true;
    } catch {
      if (spec.confirms) side.pendingConfirms--;
      return false; // the channel closed between the restart and our noticing it
    }
  };
  scheduleNext();
}

/**
 * A consumer on its own channel: prefetch, manual or auto ack, serving one message at a time for its
 * sampled service time. After a broker restart it is attached to a fresh channel; what it held on
 * the dead one is gone (the broker requeues what was unacked).
 */
export class RabbitConsumer {
  private readonly service;
  private readonly serviceStream: RandomStream;
  private buffer: { msg: ConsumeMessage; copy: number; delivery: Delivery }[] = [];
  private busy = false;
  private channel: Channel | undefined;
  private generation = 0;

  constructor(private readonly side: RabbitSide, private readonly spec: ConsumerSpec, streams: RandomStream) {
    this.service = makeDistribution(spec.serviceTimeMs);
    this.serviceStream = streams.stream('service');
  }

  /** The channel died with the broker connection. */
  lost(): void {
    this.generation++;
    this.channel = undefined;
    this.buffer = [];
    if (this.busy) {
      this.busy = false;
      this.side.tracker.consumerBusy(this.side.loop.now(), -1);
    }
  }

  async attach(channel: Channel): Promise<void> {
    const { spec } = this;
    const manual = spec.ack === 'manual';
    this.channel = channel;
    const generation = this.generation;
    if (spec.prefetch > 0) await channel.prefetch(spec.prefetch);
    await channel.consume(
      spec.queue,
      (msg) => {
        if (msg === null || generation !== this.generation) return;
        const { tracker, loop } = this.side;
        const id = Number(String(msg.properties.messageId ?? '').slice(MESSAGE_ID_PREFIX.length));
        const delivery = { queue: spec.queue, properties: { [ID_PROPERTY]: Number.isInteger(id) ? id : -1 }, redelivered: msg.fields.redelivered } as unknown as Delivery;
        tracker.delivered(delivery, loop.now());
        depth(this.side, spec.queue, -1, manual ? 1 : 0);
        if (!manual) tracker.acked(spec.queue, delivery.properties, loop.now());
        this.buffer.push({ msg, copy: tracker.copyOf(delivery), delivery });
        if (!this.busy) this.startNext();
      },
      { noAck: !manual },
    );
  }

  private startNext(): void {
    const item = this.buffer.shift();
    if (item === undefined) return;
    const { tracker, loop } = this.side;
    const generation = this.generation;
    this.busy = true;
    tracker.consumerBusy(loop.now(), 1);
    if (item.copy >= 0) tracker.serviceStarted(item.copy, loop.now());
    loop.after(this.service.sample(this.serviceStream), () => {
      if (generation !== this.generation) return; // its channel died meanwhile
      this.busy = false;
      tracker.consumerBusy(loop.now(), -1);
      if (item.copy >= 0) tracker.serviceEnded(item.copy, loop.now(), true);
      if (this.spec.ack === 'manual') {
        try {
          this.channel?.ack(item.msg);
          tracker.acked(this.spec.queue, item.delivery.properties, loop.now());
          depth(this.side, this.spec.queue, 0, -1);
        } catch {
          // The channel closed under the ack: the broker will redeliver the message.
        }
      }
      this.startNext();
    });
  }
}
