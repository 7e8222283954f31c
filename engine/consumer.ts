import { Deque } from './deque.ts';
import type { QueuedMessage } from './queue/queuedMessage.ts';
import type { Queue } from './queue/queue.ts';
import type { Delivery } from './types.ts';

/** An unacknowledged delivery: what a delivery tag points at until it is settled. */
export interface UnackedDelivery {
  tag: number;
  message: QueuedMessage;
  queue: Queue;
  channel: Channel;
  settled: boolean;
}

/**
 * The scope of `multiple` acks. AMQP numbers delivery tags per channel; here every consumer is its
 * own channel and `get` uses one shared channel, so `ack(tag, { multiple: true })` settles the
 * deliveries of the same consumer up to that tag.
 */
export class Channel {
  /** Unsettled deliveries in tag order (settled ones are dropped from the front lazily). */
  readonly unacked = new Deque<UnackedDelivery>();
  count = 0;

  dropSettledFront(): void {
    while (this.unacked.length > 0 && this.unacked.peekFront()!.settled) this.unacked.popFront();
  }
}

export class Consumer {
  readonly channel = new Channel();

  constructor(
    readonly tag: string,
    readonly queue: Queue,
    readonly prefetch: number,
    readonly autoAck: boolean,
    readonly exclusive: boolean,
    readonly onDelivery: (delivery: Delivery) => void,
  ) {}

  get hasCapacity(): boolean {
    return this.prefetch === 0 || this.channel.count < this.prefetch;
  }
}
