import type { QueuedMessage } from '../queue/queuedMessage.ts';
import type { ExchangeType, QueueOptions } from '../types.ts';
import type { RecoveredMessage } from './liveMessages.ts';
import type { BindingRecord, Topology } from './records.ts';
import type { RecoveryReport } from './recovery.ts';

/** What a message store needs to see of the broker. */
export interface DurableBrokerView {
  topology(): Topology;
  /** Every message still in a durable queue (ready, delayed or unacked). */
  forEachLoggedMessage(visit: (queue: string, message: QueuedMessage) => void): void;
}

/**
 * Where the broker persists what must survive a restart: durable topology, persistent messages on
 * durable queues, their deliveries and their settlement. The broker calls these where the operation
 * happens (one line each); the store decides how and when it becomes durable. Two designs implement
 * it: the segmented file log (`Durability`) and the transactional store over a database
 * (`TransactionalStore`, engine/durable/txStore/).
 */
export interface MessageStore {
  declaredExchange(name: string, type: ExchangeType, alternateExchange: string | undefined): void;
  deletedExchange(name: string): void;
  declaredQueue(name: string, options: QueueOptions): void;
  /** The queue's logged messages (logId ≥ 0) go with it. */
  deletedQueue(name: string, messages: QueuedMessage[]): void;
  bound(binding: BindingRecord): void;
  unbound(binding: BindingRecord): void;
  /** A persistent message entered a durable queue: the store gives it its `logId`. */
  enqueued(queue: string, message: QueuedMessage): void;
  delivered(message: QueuedMessage): void;
  /** The message left its queue for good (acked, dead-lettered, expired, purged). */
  retired(message: QueuedMessage): void;
  /** A mark in the store's write order; `whenDurable(mark, …)` waits for what was written after it. */
  readonly position: number;
  /**
   * Calls back once everything written since `sinceMark` is as durable as the store promises (false:
   * it failed). Returns false, without calling back, when nothing was written since the mark.
   */
  whenDurable(sinceMark: number, callback: (ack: boolean) => void): boolean;
  /** A barrier: calls back once everything written so far is durable (false: it failed). */
  afterDurable(callback: (ok: boolean) => void): void;
  /** Calls back once the store can write, or with the error that stops it (checked at open). */
  whenStarted(callback: (error: Error | null) => void): void;
  /** Makes everything durable, then releases the storage or connection. */
  close(done: (error: Error | null) => void): void;
  /** The broker process died: no more writes, syncs, commits or callbacks. */
  kill(): void;
  /** The error that stopped the store, if any (every confirm since is negative). */
  readonly failed: Error | null;
}

/** The durable state a store hands back at open, for the broker to rebuild itself from. */
export interface RecoveredState {
  topology: Topology;
  /** Unsettled messages by queue, in arrival (seq) order. */
  messages: Map<string, RecoveredMessage[]>;
  report: Omit<RecoveryReport, 'durationMs'>;
}

/** An opened store: what it recovered, and how to start writing once the broker holds that state. */
export interface OpenedStore {
  state: RecoveredState;
  start(broker: DurableBrokerView): MessageStore;
}

/** Opens a store and reads back its durable state (through `done`, so it runs in virtual time). */
export type StoreOpener = (done: (error: Error | null, opened: OpenedStore | null) => void) => void;
