import type { Clock } from '../../clock.ts';
import type { QueuedMessage } from '../../queue/queuedMessage.ts';
import type { ExchangeType, QueueOptions } from '../../types.ts';
import { RecordType, type BindingRecord } from '../records.ts';
import type { MessageStore } from '../store.ts';
import type { TxBackend, TxOp } from './backend.ts';
import type { CommitPolicy } from './commitPolicy.ts';

interface Waiter {
  /** Every op up to this position must be committed. */
  position: number;
  callback: (ack: boolean) => void;
}

/**
 * The transactional design of the message store: each change the broker makes becomes an op; ops
 * are committed through a TxBackend as transactions, either one per publish or grouped (ops that
 * arrive while a commit is in flight, or up to groupMaxOps / groupMs, go in the next one). A
 * publisher confirm waits for the transaction holding its message; if a commit fails, the store
 * stops, as the file log does on a failed fsync: that confirm and every later one is negative until
 * the broker reopens the store (then it reads back only what was committed, so it never disagrees
 * with the database).
 */
export class TransactionalStore implements MessageStore {
  private pending: TxOp[] = [];
  /** Ops written so far (the store's position), issued to the backend, and acknowledged by it. */
  private written = 0;
  private issued = 0;
  private committed = 0;
  private inFlight = 0;
  private readonly waiters: Waiter[] = [];
  private flushTimer = -1;
  private stopped = false;
  private failure: Error | null = null;

  constructor(
    private readonly backend: TxBackend,
    private readonly clock: Clock,
    private readonly policy: CommitPolicy,
    private nextLogId: number,
  ) {}

  declaredExchange(name: string, type: ExchangeType, alternateExchange: string | undefined): void {
    this.write({ type: RecordType.DeclareExchange, exchange: alternateExchange === undefined ? { name, type } : { name, type, alternateExchange } });
  }

  deletedExchange(name: string): void {
    this.write({ type: RecordType.DeleteExchange, name });
  }

  declaredQueue(name: string, options: QueueOptions): void {
    this.write({ type: RecordType.DeclareQueue, queue: { name, options } });
  }

  /** The database deletes the queue's messages with it (one op, as the log's one record). */
  deletedQueue(name: string, _messages: QueuedMessage[]): void {
    this.write({ type: RecordType.DeleteQueue, name });
  }

  bound(binding: BindingRecord): void {
    this.write({ type: RecordType.Bind, binding });
  }

  unbound(binding: BindingRecord): void {
    this.write({ type: RecordType.Unbind, binding });
  }

  enqueued(queue: string, message: QueuedMessage): void {
    message.logId = this.nextLogId++;
    const { seq, level, expiresAtMs, deliveryCount, exchange, routingKey, properties, deaths, body } = message;
    this.write({ type: RecordType.Enqueue, message: { logId: message.logId, queue, seq, level, expiresAtMs, deliveryCount, exchange, routingKey, properties, deaths, body } });
  }

  delivered(message: QueuedMessage): void {
    this.write({ type: RecordType.Deliver, logId: message.logId });
  }

  retired(message: QueuedMessage): void {
    this.write({ type: RecordType.Settle, logId: message.logId });
  }

  get position(): number {
    return this.written;
  }

  /** Per publish, the publish's ops are committed now, as its own transaction. */
  whenDurable(sinceMark: number, callback: (ack: boolean) => void): boolean {
    if (this.written <= sinceMark) return false;
    this.wait(this.written, callback);
    if (this.policy.commit === 'perPublish') this.flush();
    return true;
  }

  afterDurable(callback: (ok: boolean) => void): void {
    this.wait(this.written, callback);
    this.flush();
  }

  whenStarted(callback: (error: Error | null) => void): void {
    callback(this.failure);
  }

  /** Commits what is pending, waits for every issued commit, then lets the backend disconnect. */
  close(done: (error: Error | null) => void): void {
    this.afterDurable(() => {
      this.stopTimer();
      this.stopped = true;
      const failure = this.failure;
      this.backend.close((error) => done(failure ?? error));
    });
  }

  kill(): void {
    this.stopped = true;
    this.stopTimer();
    this.backend.abandon();
  }

  get failed(): Error | null {
    return this.failure;
  }

  private write(op: TxOp): void {
    if (this.stopped) return;
    this.pending.push(op);
    this.written++;
    if (this.failure !== null) return;
    if (this.policy.commit === 'group' && this.pending.length >= this.policy.groupMaxOps && this.inFlight === 0) return this.flush();
    if (this.flushTimer !== -1) return;
    // Ops no publish confirm asked for (deliveries, acks, topology) still commit within groupMs (per publish: this turn).
    const delayMs = this.policy.commit === 'group' ? this.policy.groupMs : 0;
    this.flushTimer = this.clock.setTimer(this.clock.now() + delayMs, () => {
      this.flushTimer = -1;
      if (this.policy.commit === 'perPublish' || this.inFlight === 0) this.flush();
    });
  }

  private wait(position: number, callback: (ack: boolean) => void): void {
    if (this.failure !== null) return callback(false);
    if (position <= this.committed) return callback(true);
    this.waiters.push({ position, callback });
  }

  /** Issues the pending ops as one transaction (group commit: only when none is in flight). */
  private flush(): void {
    if (this.stopped || this.failure !== null || this.pending.length === 0) return;
    if (this.policy.commit === 'group' && this.inFlight > 0) return;
    this.stopTimer();
    const ops = this.pending;
    this.pending = [];
    this.issued += ops.length;
    const upTo = this.issued;
    this.inFlight++;
    this.backend.commit(ops, (error) => this.committedUpTo(upTo, error));
  }

  private committedUpTo(upTo: number, error: Error | null): void {
    if (this.stopped) return;
    this.inFlight--;
    if (error !== null) return this.fail(error);
    if (this.failure !== null) return;
    this.committed = upTo;
    let done = 0;
    while (done < this.waiters.length && this.waiters[done]!.position <= upTo) done++;
    for (const waiter of this.waiters.splice(0, done)) waiter.callback(true);
    // Group commit: what arrived while this commit was in flight goes next, at once.
    if (this.policy.commit === 'group') this.flush();
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.stopTimer();
    for (const waiter of this.waiters.splice(0)) waiter.callback(false);
  }

  private stopTimer(): void {
    if (this.flushTimer !== -1) this.clock.cancelTimer(this.flushTimer);
    this.flushTimer = -1;
  }
}
