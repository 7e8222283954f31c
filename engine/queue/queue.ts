import type { TimerId } from '../clock.ts';
import type { Channel, Consumer, UnackedDelivery } from '../consumer.ts';
import type { QueueOptions } from '../types.ts';
import { DedupWindow } from './dedupWindow.ts';
import { ExpiryHeap } from './expiryHeap.ts';
import { IndexSet } from './indexSet.ts';
import type { QueuedMessage } from './queuedMessage.ts';
import { ReadyBuffer } from './readyBuffer.ts';

/** A consumer of a queue, its channel, and a delivery it has not settled (consumer.ts is generic over the queue). */
export type QueueConsumer = Consumer<Queue>;
export type QueueChannel = Channel<Queue>;
export type QueueDelivery = UnackedDelivery<Queue>;

/** Call after a consumer's unacked count changed: keeps its queue's set of consumers with room exact. */
export function noteRoom(consumer: QueueConsumer | undefined): void {
  if (consumer !== undefined && consumer.position >= 0) consumer.queue.withRoom.set(consumer.position, consumer.hasCapacity);
}

/** A queue's state. The broker moves messages in and out; the queue keeps them in order. */
export class Queue {
  readonly ready: ReadyBuffer;
  readonly expiry = new ExpiryHeap();
  readonly dedup: DedupWindow | undefined;
  readonly consumers: QueueConsumer[] = [];
  /** Round-robin position among consumers. */
  nextConsumer = 0;
  /** Positions of the consumers under their prefetch limit (see noteRoom in broker/dispatch.ts). */
  readonly withRoom = new IndexSet();
  unackedCount = 0;
  /** Messages waiting out a retry backoff, each with its timer. */
  readonly delayed = new Map<QueuedMessage, TimerId>();
  /** Arrival counter: the seq of the next message. */
  nextSeq = 0;
  expiryTimer: TimerId = -1;
  expiryTimerAtMs = Infinity;
  /** Set while the queue waits in the broker's dispatch list. */
  dispatchPending = false;
  deleted = false;

  constructor(
    readonly name: string,
    readonly options: QueueOptions,
  ) {
    this.ready = new ReadyBuffer(options.maxPriority !== undefined ? options.maxPriority + 1 : 1);
    this.dedup = options.dedupWindowMs !== undefined ? new DedupWindow(options.dedupWindowMs) : undefined;
  }

  get durable(): boolean {
    return this.options.durable === true;
  }

  /** The priority level a message lands on: 0 without one, clamped to maxPriority, 0 on a non-priority queue. */
  levelOf(priority: number | undefined): number {
    const max = this.options.maxPriority;
    if (max === undefined || priority === undefined) return 0;
    return priority > max ? max : priority;
  }

  /** Absolute expiry for a message arriving now: the lower of the queue's and the message's TTL wins. */
  expiryFor(nowMs: number, expirationMs: number | undefined): number {
    const queueTtl = this.options.messageTtlMs ?? Infinity;
    const ttl = expirationMs === undefined ? queueTtl : Math.min(queueTtl, expirationMs);
    return nowMs + ttl;
  }

  get isFull(): boolean {
    return this.options.maxLength !== undefined && this.ready.count >= this.options.maxLength;
  }
}
