import type { Clock } from '../clock.ts';
import type { QueuedMessage } from '../queue/queuedMessage.ts';
import type { Storage } from '../storage.ts';
import type { ExchangeType, HeaderValue, QueueOptions } from '../types.ts';
import { MessageLog, type LogPolicy, type SegmentState } from './messageLog.ts';
import { RecordType, type BindingRecord, type Topology } from './records.ts';

/** What the durability layer needs to see of the broker. */
export interface DurableBrokerView {
  topology(): Topology;
  /** Every message still in a durable queue (ready, delayed or unacked). */
  forEachLoggedMessage(visit: (queue: string, message: QueuedMessage) => void): void;
}

/**
 * Writes what must survive a restart into the log: durable topology, persistent messages on
 * durable queues, their deliveries and their settlement. Transient messages and non-durable
 * queues are never written, so they are gone after a restart, as in RabbitMQ.
 */
export class Durability {
  readonly log: MessageLog;
  private nextLogId: number;

  constructor(storage: Storage, clock: Clock, policy: LogPolicy, segments: SegmentState[], nextSegment: number, nextLogId: number, private readonly broker: DurableBrokerView) {
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

  /** Calls back once everything logged so far is as durable as the policy promises. */
  whenDurable(sinceSeq: number, callback: (ack: boolean) => void): boolean {
    if (this.log.lastSeq <= sinceSeq) return false;
    this.log.whenDurable(this.log.lastSeq, callback);
    return true;
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
