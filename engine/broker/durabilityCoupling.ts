import { bindingRecord } from '../durable/durability.ts';
import { logStoreOpener } from '../durable/logStore.ts';
import { DEFAULT_LOG_POLICY, type FsyncPolicy, type LogPolicy } from '../durable/messageLog.ts';
import type { Topology } from '../durable/records.ts';
import type { RecoveredMessage, RecoveryReport } from '../durable/recovery.ts';
import type { OpenedStore, StoreOpener } from '../durable/store.ts';
import type { TxBackend } from '../durable/txStore/backend.ts';
import { commitPolicy, type CommitPolicy } from '../durable/txStore/commitPolicy.ts';
import { txStoreOpener } from '../durable/txStore/txStoreOpener.ts';
import { EngineError } from '../errors.ts';
import { Queue } from '../queue/queue.ts';
import { QueuedMessage } from '../queue/queuedMessage.ts';
import { Exchange } from '../routing/exchange.ts';
import type { Storage } from '../storage.ts';
import type { BrokerOptions } from '../types.ts';
import type { BrokerCore } from './core.ts';
import type { DeadLettering } from './deadLettering.ts';
import type { Expiry } from './expiry.ts';
import { dropHeadOverLimit } from './publishing.ts';

/** A broker whose durable state lives in `storage` (see Broker.recover). */
export interface DurableBrokerOptions extends BrokerOptions {
  storage: Storage;
  /** `always`: confirm after fsync (group commit); `batch`: fsync every batchMs / batchRecords; `never`: confirm on write. */
  fsync?: FsyncPolicy;
  batchMs?: number;
  batchRecords?: number;
  /** Roll to a new log segment at this size (default 16 MiB). */
  segmentBytes?: number;
  /** Copy live messages forward once there are more segments than this (default 8). */
  maxSegments?: number;
  /** `truncate`: on a damaged log, keep what is intact, drop the rest and report it in recoveryReport.repaired. */
  repair?: 'truncate';
}

/**
 * A broker whose durable state lives in a database behind `backend` (see Broker.recover): the
 * transactional store, committing per publish or in groups (see CommitPolicy).
 */
export interface TransactionalBrokerOptions extends BrokerOptions, Partial<CommitPolicy> {
  backend: TxBackend;
}

/** A broker on real files in `dir`, with the real clock (see Broker.open). */
export interface OpenOptions extends Omit<DurableBrokerOptions, 'storage' | 'clock'> {
  dir: string;
}

/**
 * Everything that couples the broker to its message store, in one place: validating the store's
 * settings, opening it, replaying what it recovered into queues, the topology a new log segment
 * starts with, and closing or abandoning the store at close and kill. (The per-operation calls —
 * enqueue, deliver, settle, declare — are one-line calls on `core.durability` where the operation
 * happens.)
 */
export class DurabilityCoupling {
  /** What recovery found, for a broker opened from storage. */
  recoveryReport: RecoveryReport | undefined;

  constructor(
    private readonly core: BrokerCore,
    private readonly expiry: Expiry,
    private readonly deadLettering: DeadLettering,
  ) {}

  /** Replays `storage`'s log into this (new, empty) broker and starts logging; completes through `done`. */
  recover(options: DurableBrokerOptions, done: (error: Error | null) => void): void {
    const policy = logPolicy(options);
    this.open(logStoreOpener(options.storage, this.core.clock, policy, { repair: options.repair }), done);
  }

  /** Reads the committed state behind `options.backend` into this (new, empty) broker and starts committing. */
  recoverTransactional(options: TransactionalBrokerOptions, done: (error: Error | null) => void): void {
    this.open(txStoreOpener(options.backend, this.core.clock, commitPolicy(options)), done);
  }

  /** Opens a store, rebuilds the broker from what it recovered and starts writing; completes through `done`. */
  open(opener: StoreOpener, done: (error: Error | null) => void): void {
    const startedMs = this.core.clock.now();
    opener((error, opened) => {
      if (error || opened === null) return done(error ?? new Error('the store opened with nothing'));
      try {
        this.restore(opened);
      } catch (restoreError) {
        return done(restoreError as Error);
      }
      this.recoveryReport = { ...opened.state.report, durationMs: this.core.clock.now() - startedMs };
      this.core.durability!.whenStarted(done);
    });
  }

  /** Makes the store durable and releases it (after the broker stopped its timers). */
  close(done?: (error: Error | null) => void): void {
    const durability = this.core.durability;
    if (durability === undefined) return done?.(null);
    durability.close((error) => done?.(error));
  }

  /** Abandons the store as a crash would: no more writes, syncs or callbacks. */
  kill(): void {
    this.core.durability?.kill();
  }

  afterDurable(callback: (ok: boolean) => void): void {
    const store = this.core.durability;
    if (store === undefined) return callback(true);
    store.afterDurable(callback);
  }

  get storageError(): Error | null {
    return this.core.durability?.failed ?? null;
  }

  /** Rebuilds state from what the store recovered, then starts writing. */
  private restore(opened: OpenedStore): void {
    const { core } = this;
    const recovered = opened.state;
    for (const e of recovered.topology.exchanges) core.exchanges.set(e.name, new Exchange(e.name, e.type, true, e.alternateExchange));
    for (const q of recovered.topology.queues) core.queues.set(q.name, new Queue(q.name, q.options));
    for (const b of recovered.topology.bindings) core.exchanges.get(b.exchange)?.bind(b.queue, b.bindingKey, b.args);
    for (const [name, messages] of recovered.messages) this.restoreMessages(core.queues.get(name)!, messages);
    core.durability = opened.start({
      topology: () => this.durableTopology(),
      forEachLoggedMessage: (visit) => {
        for (const queue of core.queues.values()) if (queue.durable) core.forEachMessageOf(queue, (m) => m.logId >= 0 && visit(queue.name, m));
      },
    });
    // Deliveries unacked at the crash come back ready, which can take a queue over its maxLength:
    // RabbitMQ applies drop-head when a recovered queue starts (process_args_policy after bq_init).
    for (const queue of core.queues.values()) dropHeadOverLimit(queue, this.deadLettering);
  }

  /** Recovered messages come in arrival (seq) order, so the ready buffer is rebuilt by appending. */
  private restoreMessages(queue: Queue, messages: readonly RecoveredMessage[]): void {
    const { core } = this;
    const now = core.clock.now();
    for (const m of messages) {
      const message = new QueuedMessage(m.seq, m.body, m.properties, m.exchange, m.routingKey, m.level, m.expiresAtMs, m.deaths);
      message.deliveryCount = m.deliveryCount;
      message.logId = m.logId;
      message.segment = m.segment ?? -1;
      queue.ready.pushBack(message);
      queue.nextSeq = Math.max(queue.nextSeq, m.seq + 1);
      if (message.expiresAtMs !== Infinity) this.expiry.track(queue, message);
      core.observer?.recovered?.(queue.name, message.properties, message.deliveryCount, now);
    }
    core.depthChanged(queue);
  }

  /** The durable topology: what a new log segment starts with. */
  private durableTopology(): Topology {
    const { exchanges, queues } = this.core;
    const durableExchanges = [...exchanges.values()].filter((e) => e.durable && e.name !== '' && !e.name.startsWith('amq.'));
    return {
      exchanges: durableExchanges.map((e) => (e.alternateExchange === undefined ? { name: e.name, type: e.type } : { name: e.name, type: e.type, alternateExchange: e.alternateExchange })),
      queues: [...queues.values()].filter((q) => q.durable).map((q) => ({ name: q.name, options: q.options })),
      bindings: [...exchanges.values()]
        .filter((e) => e.durable)
        .flatMap((e) => e.bindings().filter((b) => queues.get(b.queue)?.durable === true).map((b) => bindingRecord(b.queue, e.name, b.bindingKey, b.args))),
    };
  }
}

function logPolicy(options: DurableBrokerOptions): LogPolicy {
  const policy: LogPolicy = {
    fsync: options.fsync ?? DEFAULT_LOG_POLICY.fsync,
    batchMs: options.batchMs ?? DEFAULT_LOG_POLICY.batchMs,
    batchRecords: options.batchRecords ?? DEFAULT_LOG_POLICY.batchRecords,
    segmentBytes: options.segmentBytes ?? DEFAULT_LOG_POLICY.segmentBytes,
    maxSegments: options.maxSegments ?? DEFAULT_LOG_POLICY.maxSegments,
  };
  if (!['always', 'batch', 'never'].includes(policy.fsync)) throw new EngineError('INVALID_ARGUMENT', `fsync must be always, batch or never, got '${policy.fsync}'`);
  if (!(policy.batchMs > 0)) throw new EngineError('INVALID_ARGUMENT', `batchMs must be > 0, got ${policy.batchMs}`);
  if (!(Number.isInteger(policy.batchRecords) && policy.batchRecords >= 1)) throw new EngineError('INVALID_ARGUMENT', `batchRecords must be a whole number ≥ 1, got ${policy.batchRecords}`);
  if (!(policy.segmentBytes >= 1024)) throw new EngineError('INVALID_ARGUMENT', `segmentBytes must be ≥ 1024, got ${policy.segmentBytes}`);
  if (!(Number.isInteger(policy.maxSegments) && policy.maxSegments >= 2)) throw new EngineError('INVALID_ARGUMENT', `maxSegments must be a whole number ≥ 2, got ${policy.maxSegments}`);
  return policy;
}
