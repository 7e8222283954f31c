import type { DeathEntry, MessageProperties } from '../types.ts';

export const READY = 0;
export const UNACKED = 1;
export const DELAYED = 2;
export const GONE = 3;
export type MessageState = typeof READY | typeof UNACKED | typeof DELAYED | typeof GONE;

// `bits` packs the state (2 bits), the in-expiry-heap flag, whether a death history exists and the
// priority level (8 bits). An idle ready message is what a long queue holds a million of: each
// field costs 8 bytes on 64-bit Node, each double field another 16-byte box.
const STATE_MASK = 0b11;
const IN_EXPIRY_HEAP = 0b100;
const HAS_DEATHS = 0b1000;
const LEVEL_SHIFT = 4;

const NO_DEATHS: readonly DeathEntry[] = Object.freeze([]);
/** The death history of the few messages that have one (dead-lettered before), off the common path. */
const deathsOf = new WeakMap<QueuedMessage, readonly DeathEntry[]>();

/**
 * One message in one queue (a message routed to three queues is three of these, sharing the body).
 * It is in exactly one place at a time, which its `state` names: ready (in the ready buffer),
 * unacked (delivered, awaiting settlement), delayed (waiting out a retry backoff, its timer in
 * `queue.delayed`) or gone.
 */
export class QueuedMessage {
  private bits: number;
  deliveryCount = 0;
  /** Its id in the durable log, or −1 if it is not logged (transient, or a non-durable queue). */
  logId = -1;
  /** The log segment holding its latest Enqueue record. */
  segment = -1;
  /** Absolute expiry time; null (no box for a double) without a TTL. */
  private readonly expiry: number | null;

  constructor(
    /** Order of arrival in this queue: requeues restore it, and recovery replays it. */
    readonly seq: number,
    readonly body: Uint8Array,
    readonly properties: MessageProperties,
    readonly exchange: string,
    readonly routingKey: string,
    /** Priority level in this queue (already clamped to its maxPriority). */
    level: number,
    /** Absolute expiry time, Infinity without a TTL. */
    expiresAtMs: number,
    deaths: readonly DeathEntry[],
  ) {
    this.bits = (level << LEVEL_SHIFT) | (deaths.length > 0 ? HAS_DEATHS : 0) | READY;
    this.expiry = expiresAtMs === Infinity ? null : expiresAtMs;
    if (deaths.length > 0) deathsOf.set(this, deaths);
  }

  get state(): MessageState {
    return (this.bits & STATE_MASK) as MessageState;
  }

  set state(state: MessageState) {
    this.bits = (this.bits & ~STATE_MASK) | state;
  }

  /** True while an entry for this message sits in the queue's expiry heap. */
  get inExpiryHeap(): boolean {
    return (this.bits & IN_EXPIRY_HEAP) !== 0;
  }

  set inExpiryHeap(inHeap: boolean) {
    this.bits = inHeap ? this.bits | IN_EXPIRY_HEAP : this.bits & ~IN_EXPIRY_HEAP;
  }

  /** Priority level in this queue (already clamped to its maxPriority). */
  get level(): number {
    return this.bits >>> LEVEL_SHIFT;
  }

  /** Absolute expiry time, Infinity without a TTL. */
  get expiresAtMs(): number {
    return this.expiry ?? Infinity;
  }

  /** Its `x-death`-style history, newest first (see broker/deathHistory.ts); empty for most. */
  get deaths(): readonly DeathEntry[] {
    return (this.bits & HAS_DEATHS) === 0 ? NO_DEATHS : deathsOf.get(this)!;
  }
}
