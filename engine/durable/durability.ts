import type { Clock } from '../clock.ts';
import type { QueuedMessage } from '../queue/queuedMessage.ts';
import { StorageError, type Storage } from '../storage.ts';
import type { ExchangeType, HeaderValue, QueueOptions } from '../types.ts';
import { MessageLog, type LogPolicy, type SegmentState } from './messageLog.ts';
import { RecordType, type BindingRecord } from './records.ts';
import type { DurableBrokerView, MessageStore } from './store.ts';

export type { DurableBrokerView } from './store.ts';

/**
 * Writes what must survive a restart into the log: durable topology, persistent messages on
 * durable queues, their deliveries and their settlement. Transient messages and non-durable
 * queues are never written, so they are gone after a restart, as in RabbitMQ.
 */
export class Durability implements MessageStore {
  readonly log: MessageLog;
  private nextLogId: number;

  constructor(
    private readonly storage: Storage,
    clock: Clock,
    policy: LogPolicy,
    segments: SegmentState[],
    nextSegment: number,
    nextLogId: number,
    private readonly broker: DurableBrokerView,
  ) {
    this.nextLogId = nextLogId;
    this.log = new MessageLog(storage, clock, policy, segments, nextSegment, broker.topology(), (oldest) => this.copyForward(oldest));
  }

  declaredExchange(name: string, type: ExchangeType, alternateExchange: string | undefined): void {
    this.log.append({ type: RecordType.DeclareExchange, exchange: alternateExchange === undefined ? { name, type } : { name, type, alternateExchange } });
  }

  deletedExchange(name: string): void {
    this.log.append({ type: RecordType.DeleteExchange, name });
  }

  declaredQueue(name: string, options: QueueOptions): void {
    this.log.append({ type: RecordType.DeclareQueue, queue: { name, options } });
  }

  /** The queue's logged messages go with it; their segments no longer count them. */
  deletedQueue(name: string, messages: QueuedMessage[]): void {
    const seq = this.log.append({ type: RecordType.DeleteQueue, name });
    for (const m of messages) if (m.logId >= 0) this.log.noteSettled(m.segment, seq);
  }

  bound(binding: BindingRecord): void {
    this.log.append({ type: RecordType.Bind, binding });
  }

  unbound(binding: BindingRecord): void {
    this.log.append({ type: RecordType.Unbind, binding });
  }

  /** Logs a persistent message that entered a durable queue. */
  enqueued(queue: string, message: QueuedMessage): void {
    message.logId = this.nextLogId++;
    this.writeEnqueue(queue, message);
    this.log.maybeRoll(() => this.broker.topology());
  }

  delivered(message: QueuedMessage): void {
    this.log.append({ type: RecordType.Deliver, logId: message.logId });
  }

  /** The message left its queue for good (acked, dead-lettered, expired, purged). */
  retired(message: QueuedMessage): void {
    const seq = this.log.append({ type: RecordType.Settle, logId: message.logId });
    this.log.noteSettled(message.segment, seq);
  }

  get position(): number {
    return this.log.lastSeq;
  }

  /** Calls back once everything logged so far is as durable as the policy promises. */
  whenDurable(sinceSeq: number, callback: (ack: boolean) => void): boolean {
    if (this.log.lastSeq <= sinceSeq) return false;
    this.log.whenDurable(this.log.lastSeq, callback);
    return true;
  }

  afterDurable(callback: (ok: boolean) => void): void {
    this.log.whenDurable(this.log.lastSeq, callback);
  }

  /** A log that cannot write (read-only or unwritable directory) fails here, not later as nacks. */
  whenStarted(callback: (error: Error | null) => void): void {
    this.log.whenStarted((startError) => {
      if (startError === null) return callback(null);
      this.kill();
      (this.storage as { close?: (cb: () => void) => void }).close?.(() => {});
      callback(new StorageError(`cannot write to the log: ${startError.message}`));
    });
  }

  /** Syncs the log, marks the clean close, and closes the storage's files. */
  close(done: (error: Error | null) => void): void {
    this.log.close((error) => {
      this.log.stop();
      const storage = this.storage as { close?: (cb: (e: Error | null) => void) => void };
      if (storage.close !== undefined) storage.close((closeError) => done(error ?? closeError));
      else done(error);
    });
  }

  kill(): void {
    this.log.stop();
  }

  get failed(): Error | null {
    return this.log.failed;
  }

  private writeEnqueue(queue: string, message: QueuedMessage): void {
    this.log.append({
      type: RecordType.Enqueue,
      message: {
        logId: message.logId,
        queue,
        seq: message.seq,
        level: message.level,
        expiresAtMs: message.expiresAtMs,
        deliveryCount: message.deliveryCount,
        exchange: message.exchange,
        routingKey: message.routingKey,
        properties: message.properties,
        deaths: message.deaths,
        body: message.body,
      },
    });
    message.segment = this.log.noteEnqueued();
  }

  /** Re-logs the live messages of the oldest segment into the active one, so the oldest can be deleted. */
  private copyForward(oldest: SegmentState): void {
    this.broker.forEachLoggedMessage((queue, message) => {
      if (message.segment !== oldest.number) return;
      const from = message.segment;
      this.writeEnqueue(queue, message);
      this.log.noteSettled(from, this.log.lastSeq);
    });
  }
}

export function bindingRecord(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue>): BindingRecord {
  return { queue, exchange, bindingKey, args };
}
