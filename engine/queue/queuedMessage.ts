import type { TimerId } from '../clock.ts';
import type { DeathEntry, MessageProperties } from '../types.ts';

export const READY = 0;
export const UNACKED = 1;
export const DELAYED = 2;
export const GONE = 3;
export type MessageState = typeof READY | typeof UNACKED | typeof DELAYED | typeof GONE;

/**
 * One message in one queue (a message routed to three queues is three of these, sharing the body).
 * It is in exactly one place at a time, which its `state` names: ready (in the ready buffer),
 * unacked (delivered, awaiting settlement), delayed (waiting out a retry backoff) or gone.
 */
export class QueuedMessage {
  state: MessageState = READY;
  deliveryCount = 0;
  /** Retry backoff timer while delayed. */
  delayTimer: TimerId = -1;
  /** True while an entry for this message sits in the queue's expiry heap. */
  inExpiryHeap = false;
  /** Its id in the durable log, or −1 if it is not logged (transient, or a non-durable queue). */
  logId = -1;
  /** The log segment holding its latest Enqueue record. */
  segment = -1;

  constructor(
    /** Order of arrival in this queue: requeues restore it, and recovery replays it. */
    readonly seq: number,
    readonly body: Uint8Array,
    readonly properties: MessageProperties,
    readonly exchange: string,
    readonly routingKey: string,
    /** Priority level in this queue (already clamped to its maxPriority). */
    readonly level: number,
    readonly enqueuedAtMs: number,
    /** Absolute expiry time, Infinity without a TTL. */
    readonly expiresAtMs: number,
    readonly deaths: readonly DeathEntry[],
  ) {}
}
