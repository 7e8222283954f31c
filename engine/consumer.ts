import { Deque } from './deque.ts';
import type { QueuedMessage } from './queue/queuedMessage.ts';
import type { Delivery } from './types.ts';

/**
 * An unacknowledged delivery: what a delivery tag points at until it is settled. `Q` is the queue
 * type; it is a parameter so that this file, one layer above the queue, need not import it (the
 * queue holds its consumers, so importing it back would be a cycle). See `queue/queue.ts`.
 */
export interface UnackedDelivery<Q> {
  tag: number;
  message: QueuedMessage;
  queue: Q;
  channel: Channel<Q>;
  settled: boolean;
}

/**
 * The scope of `multiple` acks. AMQP numbers delivery tags per channel; here every consumer is its
 * own channel and `get` uses one shared channel, so `ack(tag, { multiple: true })` settles the
 * deliveries of the same consumer up to that tag.
 */
export class Channel<Q> {
  /** Unsettled deliveries in tag order (settled ones are dropped from the front lazily). */
  readonly unacked = new Deque<UnackedDelivery<Q>>();
  count = 0;

  /** The consumer this channel belongs to (undefined for `get`'s shared channel). */
  constructor(readonly owner?: Consumer<Q>) {}

  dropSettledFront(): void {
    while (this.unacked.length > 0 && this.unacked.peekFront()!.settled) this.unacked.popFront();
  }
}

export class Consumer<Q> {
  readonly channel: Channel<Q> = new Channel<Q>(this);
  /** Its index in the queue's consumer list, −1 once it has left. */
  position = -1;

  constructor(
    readonly tag: string,
    readonly queue: Q,
    readonly prefetch: number,
    readonly autoAck: boolean,
    readonly exclusive: boolean,
    readonly onDelivery: (delivery: Delivery) => void,
  ) {}

  get hasCapacity(): boolean {
    return this.prefetch === 0 || this.channel.count < this.prefetch;
  }
}
