import { EngineError } from '../errors.ts';
import { retryDelayMs } from '../queue/backoff.ts';
import type { Queue, QueueDelivery } from '../queue/queue.ts';
import { DELAYED, GONE, READY, type QueuedMessage } from '../queue/queuedMessage.ts';
import type { BrokerCore } from './core.ts';
import type { DeadLettering } from './deadLettering.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Expiry } from './expiry.ts';
import { dropHeadOverLimit } from './publishing.ts';

/** Why deliveries come back: a consumer's nack/reject, or its going away (cancel, crash, queue deleted). */
export type ReturnCause = 'failure' | 'consumer-gone';

/**
 * basic.ack, basic.nack and basic.reject, and the return of unsettled deliveries to their queue
 * (RabbitMQ's requeue_and_run): back at their arrival position, then drop-head enforced.
 */
export class Settlement {
  constructor(
    private readonly core: BrokerCore,
    private readonly deadLettering: DeadLettering,
    private readonly expiry: Expiry,
    private readonly dispatcher: Dispatcher,
  ) {}

  ack(deliveryTag: number, multiple: boolean): void {
    const { core } = this;
    core.checkOpen();
    // A single ack (nearly every one) settles its record without building a list of one.
    if (!multiple) this.ackOne(this.unackedRecord(deliveryTag, 'ack'));
    else for (const record of this.settleable(deliveryTag, true, 'ack')) this.ackOne(record);
    this.dispatcher.run();
  }

  private ackOne(record: QueueDelivery): void {
    const { core } = this;
    core.forgetUnacked(record);
    core.retire(record.message);
    core.observer?.acked?.(record.queue.name, record.message.properties, core.clock.now());
    core.depthChanged(record.queue);
    this.dispatcher.request(record.queue);
  }

  /** nack (multiple or not) and reject: requeue (through the queue's retry policy if any) or dead-letter as `rejected`. */
  settleNegatively(deliveryTag: number, multiple: boolean, requeue: boolean, operation: 'nack' | 'reject'): void {
    this.core.checkOpen();
    const records = this.settleable(deliveryTag, multiple, operation);
    for (const record of records) this.core.forgetUnacked(record);
    if (requeue) {
      this.returnToQueues(records, 'failure');
    } else {
      for (const record of records) this.deadLettering.deadLetter(record.queue, record.message, 'rejected');
    }
    for (const record of records) {
      this.core.depthChanged(record.queue);
      this.dispatcher.request(record.queue);
    }
    this.dispatcher.run();
  }

  /**
   * Puts returned deliveries back: a message past its delivery limit or its TTL is dead-lettered,
   * one nacked on a queue with a retry policy waits out its backoff, and the rest go back to their
   * original (arrival-order) position in their priority level, as RabbitMQ requeues. Then each
   * queue's drop-head limit holds again.
   */
  returnToQueues(records: QueueDelivery[], cause: ReturnCause): void {
    // Highest seq first: each usually lands at the front of its level, the cheapest insertion.
    const ordered = [...records].sort((a, b) =>
      a.queue === b.queue ? b.message.seq - a.message.seq : a.queue.name < b.queue.name ? -1 : 1,
    );
    const now = this.core.clock.now();
    for (const { queue, message } of ordered) this.returnOne(queue, message, cause, now);
    let previous: Queue | undefined;
    for (const { queue } of ordered) {
      if (queue !== previous && !queue.deleted) dropHeadOverLimit(queue, this.deadLettering);
      previous = queue;
    }
  }

  private returnOne(queue: Queue, message: QueuedMessage, cause: ReturnCause, now: number): void {
    if (queue.deleted) {
      message.state = GONE;
      return;
    }
    const limit = queue.options.deliveryLimit;
    if (limit !== undefined && message.deliveryCount > limit) return this.deadLettering.deadLetter(queue, message, 'delivery_limit');
    if (message.expiresAtMs <= now) return this.deadLettering.deadLetter(queue, message, 'expired');
    const retry = queue.options.retry;
    if (cause === 'failure' && retry !== undefined) {
      message.state = DELAYED;
      const delayMs = retryDelayMs(retry, message.deliveryCount, this.core.random);
      queue.delayed.set(message, this.core.clock.setTimer(now + delayMs, () => this.endDelay(queue, message)));
    } else {
      message.state = READY;
      queue.ready.requeue(message);
    }
    if (message.expiresAtMs !== Infinity) this.expiry.track(queue, message);
  }

  /** A retried message's backoff is over: back to its arrival position, like any requeue. */
  private endDelay(queue: Queue, message: QueuedMessage): void {
    if (message.state !== DELAYED || queue.deleted) return;
    queue.delayed.delete(message);
    message.state = READY;
    queue.ready.requeue(message);
    dropHeadOverLimit(queue, this.deadLettering);
    this.core.depthChanged(queue);
    this.dispatcher.request(queue);
    this.dispatcher.run();
  }

  /** The unacked deliveries a settle call covers; throws (changing nothing) for a bad tag. */
  private settleable(deliveryTag: number, multiple: boolean, operation: string): QueueDelivery[] {
    const record = this.unackedRecord(deliveryTag, operation);
    if (!multiple) return [record];
    const records: QueueDelivery[] = [];
    const deque = record.channel.unacked;
    for (let i = 0; i < deque.length; i++) {
      const r = deque.at(i)!;
      if (r.tag > deliveryTag) break;
      if (!r.settled) records.push(r);
    }
    return records;
  }

  /** The unacked delivery under `deliveryTag`; throws (changing nothing) for a bad tag. */
  private unackedRecord(deliveryTag: number, operation: string): QueueDelivery {
    if (!Number.isSafeInteger(deliveryTag) || deliveryTag < 1) {
      throw new EngineError('INVALID_ARGUMENT', `${operation}: delivery tag must be a whole number ≥ 1, got ${deliveryTag}`);
    }
    const record = this.core.unacked.get(deliveryTag);
    if (record === undefined) throw new EngineError('PRECONDITION_FAILED', `${operation}: unknown delivery tag ${deliveryTag}`);
    return record;
  }
}
