import { noteRoom, type Queue, type QueueChannel, type QueueConsumer, type QueueDelivery } from '../queue/queue.ts';
import { UNACKED, type QueuedMessage } from '../queue/queuedMessage.ts';
import type { Delivery } from '../types.ts';
import type { BrokerCore } from './core.ts';

/**
 * Delivery to consumers: round-robin among those under their prefetch limit, as RabbitMQ's
 * rabbit_queue_consumers does. Queues that may have something to deliver wait in a list; it is
 * drained outside any consumer callback, so deliveries made while a callback runs are made after
 * it returns (a consumer that acks from inside its callback never recurses).
 */
export class Dispatcher {
  private dispatching = false;
  private readonly pending: Queue[] = [];

  constructor(private readonly core: BrokerCore) {}

  request(queue: Queue): void {
    if (queue.dispatchPending || queue.consumers.length === 0) return;
    queue.dispatchPending = true;
    this.pending.push(queue);
  }

  /** Delivers to consumers with room until no queue in the list can deliver more. */
  run(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length > 0) {
        const queue = this.pending.shift()!;
        queue.dispatchPending = false;
        while (!queue.deleted && queue.ready.count > 0) {
          const consumer = nextConsumerWithRoom(queue);
          if (consumer === undefined) break;
          const delivery = this.deliver(queue, queue.ready.shift()!, consumer.channel, consumer.tag, consumer.autoAck);
          consumer.onDelivery(delivery);
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** Hands `message` out on `channel`: settled at once with autoAck, otherwise unacked under a new tag. */
  deliver(queue: Queue, message: QueuedMessage, channel: QueueChannel, consumerTag: string | undefined, autoAck: boolean): Delivery {
    const core = this.core;
    message.deliveryCount++;
    const deliveryTag = core.nextDeliveryTag++;
    const delivery: Delivery = {
      deliveryTag,
      consumerTag,
      queue: queue.name,
      body: message.body,
      properties: message.properties,
      exchange: message.exchange,
      routingKey: message.routingKey,
      redelivered: message.deliveryCount > 1,
      deliveryCount: message.deliveryCount,
      deaths: message.deaths,
    };
    const now = core.clock.now();
    if (autoAck) {
      core.retire(message);
      core.observer?.delivered?.(delivery, now);
      core.observer?.acked?.(queue.name, message.properties, now);
      core.depthChanged(queue);
      return delivery;
    }
    message.state = UNACKED;
    if (message.logId >= 0) core.durability?.delivered(message);
    const record: QueueDelivery = { tag: deliveryTag, message, queue, channel, settled: false };
    core.unacked.set(deliveryTag, record);
    channel.unacked.pushBack(record);
    channel.count++;
    noteRoom(channel.owner);
    queue.unackedCount++;
    core.observer?.delivered?.(delivery, now);
    core.depthChanged(queue);
    return delivery;
  }
}

/**
 * Round-robin over the queue's consumers, skipping those at their prefetch limit: the first with
 * room at or after the turn, wrapping round. The set of those with room answers without visiting
 * busy consumers (a scan of 1,000 busy consumers per publish made an overloaded queue 3.4× slower).
 */
function nextConsumerWithRoom(queue: Queue): QueueConsumer | undefined {
  const n = queue.consumers.length;
  const index = queue.withRoom.nextFrom(queue.nextConsumer, n);
  if (index < 0) return undefined;
  queue.nextConsumer = (index + 1) % n;
  return queue.consumers[index];
}
