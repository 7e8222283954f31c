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

/** A producer on its own channel: arrivals on the sampled schedule (lateness measured by the loop), persistent and confirmed as the scenario says. */
export function startRabbitProducer(side: RabbitSide, spec: ProducerSpec, channel: Channel | ConfirmChannel, streams: RandomStream, stopAtMs: number): void {
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
    const queues = routedQueues(side.scenario, spec.exchange, key);
    tracker.publishOutcome(id, 'published');
    if (queues.length === 0) tracker.unroutable(spec.mandatory);
    for (const q of queues) {
      tracker.enqueued(q, properties, nowMs);
      depth(side, q, 1, 0);
    }
    const options = { persistent: spec.persistent, messageId: `${MESSAGE_ID_PREFIX}${id}`, mandatory: spec.mandatory, ...(priority !== undefined ? { priority } : {}), ...(spec.headers ? { headers: spec.headers } : {}) };
    if (spec.confirms) {
      side.pendingConfirms++;
      (channel as ConfirmChannel).publish(spec.exchange, key, body, options, (error) => {
        side.pendingConfirms--;
        if (error === null || error === undefined) side.ledger.confirmed(nowMs, loop.now() - nowMs);
        tracker.confirm(id, error === null || error === undefined);
      });
    } else channel.publish(spec.exchange, key, body, options);
    scheduleNext();
  };
  scheduleNext();
}

/** A consumer on its own channel: prefetch, manual or auto ack, serving one message at a time for its sampled service time. */
export async function startRabbitConsumer(side: RabbitSide, spec: ConsumerSpec, channel: Channel, streams: RandomStream): Promise<void> {
  const service = makeDistribution(spec.serviceTimeMs);
  const serviceStream = streams.stream('service');
  const buffer: { msg: ConsumeMessage; copy: number; delivery: Delivery }[] = [];
  let busy = false;
  const manual = spec.ack === 'manual';
  const startNext = () => {
    const item = buffer.shift();
    if (item === undefined) return;
    busy = true;
    const { tracker, loop } = side;
    tracker.consumerBusy(loop.now(), 1);
    if (item.copy >= 0) tracker.serviceStarted(item.copy, loop.now());
    loop.after(service.sample(serviceStream), () => {
      busy = false;
      tracker.consumerBusy(loop.now(), -1);
      if (item.copy >= 0) tracker.serviceEnded(item.copy, loop.now(), true);
      if (manual) {
        channel.ack(item.msg);
        tracker.acked(spec.queue, item.delivery.properties, loop.now());
        depth(side, spec.queue, 0, -1);
      }
      startNext();
    });
  };
  if (spec.prefetch > 0) await channel.prefetch(spec.prefetch);
  await channel.consume(
    spec.queue,
    (msg) => {
      if (msg === null) return;
      const { tracker, loop } = side;
      const id = Number(String(msg.properties.messageId ?? '').slice(MESSAGE_ID_PREFIX.length));
      const delivery = { queue: spec.queue, properties: { [ID_PROPERTY]: Number.isInteger(id) ? id : -1 }, redelivered: msg.fields.redelivered } as unknown as Delivery;
      tracker.delivered(delivery, loop.now());
      depth(side, spec.queue, -1, manual ? 1 : 0);
      if (!manual) tracker.acked(spec.queue, delivery.properties, loop.now());
      buffer.push({ msg, copy: tracker.copyOf(delivery), delivery });
      if (!busy) startNext();
    },
    { noAck: !manual },
  );
}
