import { CryptoRandom } from './adapters/cryptoRandom.ts';
import { RealClock } from './adapters/realClock.ts';
import type { Clock } from './clock.ts';
import { Channel, Consumer, type UnackedDelivery } from './consumer.ts';
import { bindingRecord, Durability } from './durable/durability.ts';
import { DEFAULT_LOG_POLICY, type FsyncPolicy, type LogPolicy } from './durable/messageLog.ts';
import type { Topology } from './durable/records.ts';
import { recoverLog, type RecoveredLog, type RecoveryReport } from './durable/recovery.ts';
import { EngineError } from './errors.ts';
import type { Storage } from './storage.ts';
import { firstDifference, parseConsumeOptions, parseExchangeOptions, parseQueueOptions } from './options.ts';
import { retryDelayMs } from './queue/backoff.ts';
import { Queue } from './queue/queue.ts';
import { DELAYED, GONE, QueuedMessage, READY, UNACKED } from './queue/queuedMessage.ts';
import type { Random } from './random.ts';
import { Exchange, type Binding } from './routing/exchange.ts';
import { isXMatch } from './routing/headersMatch.ts';
import type {
  BrokerObserver,
  BrokerOptions,
  ConfirmCallback,
  ConsumeOptions,
  DeathEntry,
  DeathReason,
  Delivery,
  ExchangeOptions,
  ExchangeType,
  HeaderValue,
  MessageProperties,
  PublishResult,
  QueueInfo,
  QueueOptions,
} from './types.ts';

const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers'];
const PREDECLARED: readonly [string, ExchangeType][] = [
  ['amq.direct', 'direct'],
  ['amq.fanout', 'fanout'],
  ['amq.topic', 'topic'],
  ['amq.headers', 'headers'],
  ['amq.match', 'headers'],
];
/** Dead-lettering that keeps bouncing between full queues is cut off at this depth. */
const MAX_DEAD_LETTER_DEPTH = 32;
const NO_DEATHS: readonly DeathEntry[] = Object.freeze([]);
const NONE: readonly string[] = Object.freeze([]);
const textEncoder = new TextEncoder();

type EnqueueOutcome = 'accepted' | 'rejected' | 'duplicate';

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
}

/** A broker on real files in `dir`, with the real clock (see Broker.open). */
export interface OpenOptions extends Omit<DurableBrokerOptions, 'storage' | 'clock'> {
  dir: string;
}

export type PublishOutcome = PublishResult & { ack: boolean };
type ReturnCause = 'failure' | 'consumer-gone';

/**
 * An AMQP 0-9-1 style broker in one process: exchanges route published messages to queues, queues
 * hold them (by priority, with TTL, length limits and dead-lettering) and deliver them to consumers
 * under prefetch limits, and consumers settle them with ack, nack or reject.
 *
 * Time, timers and randomness come only from the injected Clock and Random, so the same broker runs
 * in real time or under the simulator's virtual clock. Everything happens synchronously inside the
 * call that causes it: a publish that finds a waiting consumer has delivered to it by the time
 * `publish` returns. Deliveries made while a consumer callback is running are queued and made
 * after it returns, so a consumer that acks from inside its callback never recurses.
 *
 * Bodies and properties are not copied: treat them as immutable once published.
 */
export class Broker {
  readonly clock: Clock;
  private readonly random: Random;
  private readonly observer: BrokerObserver | undefined;
  private readonly exchanges = new Map<string, Exchange>();
  private readonly queues = new Map<string, Queue>();
  private readonly consumersByTag = new Map<string, Consumer>();
  private readonly unacked = new Map<number, UnackedDelivery>();
  private readonly getChannel = new Channel();
  private nextDeliveryTag = 1;
  private nextConsumerId = 1;
  private nextQueueId = 1;
  private dispatching = false;
  private readonly dispatchList: Queue[] = [];
  private readonly routeScratch = new Set<string>();
  private deadLetterDepth = 0;
  private closed = false;
  private durability: Durability | undefined;
  /** What recovery found, for a broker opened from storage. */
  recoveryReport: RecoveryReport | undefined;

  constructor(options: BrokerOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.random = options.random ?? new CryptoRandom();
    this.observer = options.observer;
    this.exchanges.set('', new Exchange('', 'direct', true, undefined));
    for (const [name, type] of PREDECLARED) this.exchanges.set(name, new Exchange(name, type, true, undefined));
  }

  /**
   * A durable broker recovered from `options.storage`: replays the log (checking every record),
   * restores durable exchanges, queues, bindings and every unsettled persistent message in its
   * order and priority (delivered-but-unacked ones come back redelivered), then logs from a fresh
   * segment. Completes through the callback, so it runs unchanged in virtual time.
   */
  static recover(options: DurableBrokerOptions, done: (error: Error | null, broker: Broker | null) => void): void {
    const policy = logPolicy(options);
    const broker = new Broker(options);
    const startedMs = broker.clock.now();
    recoverLog(options.storage, (error, recovered) => {
      if (error || recovered === null) return done(error ?? new Error('recovery returned nothing'), null);
      try {
        broker.restore(recovered, options.storage, policy);
      } catch (restoreError) {
        return done(restoreError as Error, null);
      }
      broker.recoveryReport = { ...recovered.report, durationMs: broker.clock.now() - startedMs };
      done(null, broker);
    });
  }

  /**
   * Opens (or creates) a durable broker on real files in `dir`, with the real clock. The file
   * adapter is loaded only here, so the engine itself also runs where there is no file system.
   */
  static async open(options: OpenOptions): Promise<Broker> {
    const { dir, ...rest } = options;
    const { FileStorage } = await import('./adapters/fileStorage.ts');
    const storage = new FileStorage(dir);
    return new Promise((resolve, reject) => {
      Broker.recover({ ...rest, storage }, (error, broker) => (error || broker === null ? reject(error) : resolve(broker)));
    });
  }

  // ─── topology ──────────────────────────────────────────────────────────────

  declareExchange(name: string, type: ExchangeType, options?: ExchangeOptions): void {
    this.checkOpen();
    requireString('exchange name', name);
    if (!EXCHANGE_TYPES.includes(type)) {
      throw new EngineError('INVALID_ARGUMENT', `declareExchange('${name}'): type must be one of ${EXCHANGE_TYPES.join(', ')}, got '${type}'`);
    }
    const parsed = parseExchangeOptions(options, `declareExchange('${name}')`);
    const existing = this.exchanges.get(name);
    if (existing !== undefined) {
      const wanted = { type, durable: parsed.durable === true, alternateExchange: parsed.alternateExchange };
      const current = { type: existing.type, durable: existing.durable, alternateExchange: existing.alternateExchange };
      const differs = firstDifference(wanted, current);
      if (differs === undefined) return;
      if (name === '' || name.startsWith('amq.')) throw new EngineError('ACCESS_REFUSED', `exchange '${name}' is predeclared and cannot be redeclared`);
      throw new EngineError(
        'PRECONDITION_FAILED',
        `inequivalent arg '${differs}' for exchange '${name}': received ${JSON.stringify((wanted as Record<string, unknown>)[differs])} but current is ${JSON.stringify((current as Record<string, unknown>)[differs])}`,
      );
    }
    if (name === '' || name.startsWith('amq.')) throw new EngineError('ACCESS_REFUSED', `exchange name '${name}' is reserved`);
    this.exchanges.set(name, new Exchange(name, type, parsed.durable === true, parsed.alternateExchange));
    if (parsed.durable === true) this.durability?.declaredExchange(name, type, parsed.alternateExchange);
  }

  deleteExchange(name: string, options: { ifUnused?: boolean } = {}): void {
    this.checkOpen();
    const exchange = this.exchange(name, 'deleteExchange');
    if (name === '' || name.startsWith('amq.')) throw new EngineError('ACCESS_REFUSED', `exchange '${name}' is predeclared and cannot be deleted`);
    if (options.ifUnused === true && exchange.bindingCount > 0) {
      throw new EngineError('PRECONDITION_FAILED', `exchange '${name}' in use: it has ${exchange.bindingCount} bindings`);
    }
    this.exchanges.delete(name);
    if (exchange.durable) this.durability?.deletedExchange(name);
  }

  /** Declares a queue (idempotent with the same options). An empty name asks for a generated one. */
  declareQueue(name: string, options?: QueueOptions): { queue: string; messageCount: number; consumerCount: number } {
    this.checkOpen();
    requireString('queue name', name);
    const parsed = parseQueueOptions(options, `declareQueue('${name}')`);
    let queueName = name;
    if (queueName === '') {
      do queueName = `amq.gen-${this.nextQueueId++}`;
      while (this.queues.has(queueName));
    } else if (queueName.startsWith('amq.')) {
      throw new EngineError('ACCESS_REFUSED', `queue name '${name}' is reserved (names starting 'amq.' are the broker's)`);
    }
    const existing = this.queues.get(queueName);
    if (existing !== undefined) {
      const differs = firstDifference(normalizeQueueOptions(parsed), normalizeQueueOptions(existing.options));
      if (differs !== undefined) {
        throw new EngineError(
          'PRECONDITION_FAILED',
          `inequivalent arg '${differs}' for queue '${queueName}': received ${JSON.stringify((parsed as Record<string, unknown>)[differs])} but current is ${JSON.stringify((existing.options as Record<string, unknown>)[differs])}`,
        );
      }
    } else {
      this.queues.set(queueName, new Queue(queueName, parsed));
      if (parsed.durable === true) this.durability?.declaredQueue(queueName, parsed);
    }
    const queue = this.queues.get(queueName)!;
    return { queue: queueName, messageCount: queue.ready.count, consumerCount: queue.consumers.length };
  }

  bindQueue(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue> = {}): void {
    this.checkOpen();
    const [target, source] = this.bindingEnds(queue, exchange, bindingKey, args, 'bindQueue');
    if (source.bind(target.name, bindingKey, args) && target.durable && source.durable) {
      this.durability?.bound(bindingRecord(target.name, exchange, bindingKey, args));
    }
  }

  /** Removes a binding; removing one that does not exist is not an error (as in AMQP). */
  unbindQueue(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue> = {}): void {
    this.checkOpen();
    const [target, source] = this.bindingEnds(queue, exchange, bindingKey, args, 'unbindQueue');
    if (source.unbind(target.name, bindingKey, args) && target.durable && source.durable) {
      this.durability?.unbound(bindingRecord(target.name, exchange, bindingKey, args));
    }
  }

  /** Deletes a queue, its bindings and its messages; its consumers are cancelled. Returns the ready count it had. */
  deleteQueue(name: string, options: { ifUnused?: boolean; ifEmpty?: boolean } = {}): number {
    this.checkOpen();
    const queue = this.queue(name, 'deleteQueue');
    if (options.ifUnused === true && queue.consumers.length > 0) {
      throw new EngineError('PRECONDITION_FAILED', `queue '${name}' in use: it has ${queue.consumers.length} consumers`);
    }
    if (options.ifEmpty === true && queue.ready.count > 0) {
      throw new EngineError('PRECONDITION_FAILED', `queue '${name}' not empty: it has ${queue.ready.count} ready messages`);
    }
    const count = queue.ready.count;
    const logged: QueuedMessage[] = [];
    this.forEachMessageOf(queue, (message) => message.logId >= 0 && logged.push(message));
    for (const exchange of this.exchanges.values()) exchange.unbindQueue(name);
    for (const consumer of [...queue.consumers]) this.detachConsumer(consumer, false);
    const gets = this.getChannel.unacked;
    for (let i = 0; i < gets.length; i++) {
      const record = gets.at(i)!;
      if (record.queue === queue && !record.settled) {
        this.forgetUnacked(record);
        record.message.state = GONE;
      }
    }
    this.getChannel.dropSettledFront();
    this.discardWaiting(queue, 'forget');
    queue.deleted = true;
    this.queues.delete(name);
    if (queue.durable) this.durability?.deletedQueue(name, logged);
    return count;
  }

  /** Removes every ready and delayed message. Returns how many. */
  purgeQueue(name: string): number {
    this.checkOpen();
    const queue = this.queue(name, 'purgeQueue');
    const count = queue.ready.count + queue.delayed.size;
    this.discardWaiting(queue, 'retire');
    return count;
  }

  // ─── publishing ────────────────────────────────────────────────────────────

  /**
   * Routes a message through `exchange` to every queue its bindings (or, failing those, its
   * alternate exchange) select. `onConfirm` is the publisher confirm: called with true once every
   * reached queue has taken the message (also for an unroutable message, as RabbitMQ does), and
   * with false if any queue refused it (overflow `reject-publish`); the queues that took it keep it.
   */
  publish(
    exchange: string,
    routingKey: string,
    body: Uint8Array | string,
    properties: MessageProperties = {},
    onConfirm?: ConfirmCallback,
  ): PublishResult {
    this.checkOpen();
    const source = this.exchanges.get(exchange);
    if (source === undefined) throw new EngineError('NOT_FOUND', `no exchange '${exchange}'`);
    if (typeof routingKey !== 'string') throw new EngineError('INVALID_ARGUMENT', `publish: routingKey must be a string, got ${typeof routingKey}`);
    checkProperties(properties);
    const bytes = typeof body === 'string' ? textEncoder.encode(body) : body;
    if (!(bytes instanceof Uint8Array)) throw new EngineError('INVALID_ARGUMENT', 'publish: body must be a Uint8Array or a string');
    const targets = this.route(source, routingKey, properties.headers);
    const loggedBefore = this.durability?.log.lastSeq ?? 0;
    // Most publishes are accepted everywhere: then the routed list is the result, and nothing else is allocated.
    let accepted: string[] | undefined;
    let rejected: string[] | undefined;
    let duplicates: string[] | undefined;
    for (let i = 0; i < targets.length; i++) {
      const name = targets[i]!;
      const outcome = this.enqueue(this.queues.get(name)!, bytes, properties, exchange, routingKey, NO_DEATHS);
      if (outcome === 'accepted') {
        if (accepted !== undefined) accepted.push(name);
        continue;
      }
      accepted ??= targets.slice(0, i);
      if (outcome === 'rejected') (rejected ??= []).push(name);
      else (duplicates ??= []).push(name);
    }
    const result: PublishResult = {
      queues: accepted ?? targets,
      rejected: rejected ?? NONE,
      duplicates: duplicates ?? NONE,
      unroutable: targets.length === 0,
    };
    this.runDispatch();
    if (onConfirm !== undefined) {
      // A refusal is known at once; an acceptance waits until what it wrote is as durable as promised.
      if (result.rejected.length > 0) onConfirm(false);
      else if (this.durability === undefined || !this.durability.whenDurable(loggedBefore, onConfirm)) onConfirm(true);
    }
    return result;
  }

  /** `publish` with the confirm as a Promise, for real-mode code: resolves once confirmed (`ack` false if refused). */
  publishAndConfirm(exchange: string, routingKey: string, body: Uint8Array | string, properties: MessageProperties = {}): Promise<PublishOutcome> {
    return new Promise((resolve, reject) => {
      let result: PublishResult | undefined;
      let ack: boolean | undefined;
      try {
        result = this.publish(exchange, routingKey, body, properties, (confirmed) => {
          ack = confirmed;
          if (result !== undefined) resolve({ ...result, ack });
        });
      } catch (error) {
        return reject(error);
      }
      if (ack !== undefined) resolve({ ...result, ack });
    });
  }

  // ─── consuming ─────────────────────────────────────────────────────────────

  /** Starts a consumer; returns its tag. Deliveries arrive through `onDelivery`. */
  consume(queue: string, options: ConsumeOptions, onDelivery: (delivery: Delivery) => void): string {
    this.checkOpen();
    const source = this.queue(queue, 'consume');
    const parsed = parseConsumeOptions(options, `consume('${queue}')`);
    if (typeof onDelivery !== 'function') throw new EngineError('INVALID_ARGUMENT', `consume('${queue}'): onDelivery must be a function`);
    const tag = parsed.consumerTag ?? this.generateConsumerTag();
    if (this.consumersByTag.has(tag)) throw new EngineError('PRECONDITION_FAILED', `consumer tag '${tag}' is already in use`);
    if (source.consumers.some((c) => c.exclusive)) {
      throw new EngineError('ACCESS_REFUSED', `queue '${queue}' has an exclusive consumer`);
    }
    if (parsed.exclusive === true && source.consumers.length > 0) {
      throw new EngineError('ACCESS_REFUSED', `cannot consume exclusively from queue '${queue}': it has ${source.consumers.length} consumers`);
    }
    const consumer = new Consumer(tag, source, parsed.prefetch ?? 0, parsed.autoAck === true, parsed.exclusive === true, onDelivery);
    this.consumersByTag.set(tag, consumer);
    source.consumers.push(consumer);
    this.requestDispatch(source);
    this.runDispatch();
    return tag;
  }

  /** Stops a consumer; its unacknowledged deliveries go back to their original positions, marked redelivered. */
  cancel(consumerTag: string): void {
    this.checkOpen();
    const consumer = this.consumersByTag.get(consumerTag);
    if (consumer === undefined) throw new EngineError('NOT_FOUND', `no consumer with tag '${consumerTag}'`);
    this.detachConsumer(consumer, true);
    this.runDispatch();
  }

  /** Takes one ready message if there is one (AMQP basic.get). */
  get(queue: string, options: { autoAck?: boolean } = {}): Delivery | undefined {
    this.checkOpen();
    const source = this.queue(queue, 'get');
    const message = source.ready.shift();
    if (message === undefined) return undefined;
    return this.deliver(source, message, this.getChannel, undefined, options.autoAck === true);
  }

  ack(deliveryTag: number, options: { multiple?: boolean } = {}): void {
    this.checkOpen();
    for (const record of this.settleable(deliveryTag, options.multiple === true, 'ack')) {
      this.forgetUnacked(record);
      this.retire(record.message);
      this.observer?.acked?.(record.queue.name, record.message.properties, this.clock.now());
      this.depthChanged(record.queue);
      this.requestDispatch(record.queue);
    }
    this.runDispatch();
  }

  /** Negative acknowledgement: requeue (default, through the queue's retry policy if any) or dead-letter as `rejected`. */
  nack(deliveryTag: number, options: { requeue?: boolean; multiple?: boolean } = {}): void {
    this.checkOpen();
    this.settleNegatively(this.settleable(deliveryTag, options.multiple === true, 'nack'), options.requeue !== false);
  }

  reject(deliveryTag: number, options: { requeue?: boolean } = {}): void {
    this.checkOpen();
    this.settleNegatively(this.settleable(deliveryTag, false, 'reject'), options.requeue !== false);
  }

  // ─── introspection ─────────────────────────────────────────────────────────

  queueInfo(name: string): QueueInfo {
    this.checkOpen();
    const queue = this.queue(name, 'queueInfo');
    return { name, ready: queue.ready.count, unacked: queue.unackedCount, delayed: queue.delayed.size, consumers: queue.consumers.length };
  }

  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  exchangeNames(): string[] {
    return [...this.exchanges.keys()];
  }

  bindingsOf(exchange: string): Binding[] {
    return this.exchange(exchange, 'bindingsOf').bindings();
  }

  /**
   * Shuts down: stops every timer and, for a durable broker, syncs the log and closes its files
   * before calling `done`. The broker refuses further calls.
   */
  close(done?: (error: Error | null) => void): void {
    if (this.closed) return done?.(null);
    this.stopTimers();
    this.closed = true;
    const durability = this.durability;
    if (durability === undefined) return done?.(null);
    durability.log.syncAll((error) => {
      durability.log.stop();
      const storage = this.storage as { close?: (cb: (e: Error | null) => void) => void } | undefined;
      if (storage?.close !== undefined) storage.close((closeError) => done?.(error ?? closeError));
      else done?.(error);
    });
  }

  /**
   * Stops dead, as a crashed process would: no more timers, writes, syncs or callbacks, nothing
   * flushed. What was not yet durable is the storage's to keep or lose. For the simulator.
   */
  kill(): void {
    if (this.closed) return;
    this.stopTimers();
    this.durability?.log.stop();
    this.closed = true;
  }

  /**
   * Calls back once every change made so far (publishes, acks, topology) is as durable as the fsync
   * policy promises — a barrier, like waiting for a confirm. Immediately for an in-memory broker.
   */
  afterDurable(callback: (ok: boolean) => void): void {
    const log = this.durability?.log;
    if (log === undefined) return callback(true);
    log.whenDurable(log.lastSeq, callback);
  }

  /** The storage error that stopped the durable log, if any (every confirm since is negative). */
  get storageError(): Error | null {
    return this.durability?.log.failed ?? null;
  }

  // ─── internals ─────────────────────────────────────────────────────────────

  private route(source: Exchange, routingKey: string, headers: Record<string, HeaderValue> | undefined): string[] {
    // The default exchange (no bindings, no alternate) is most of the traffic: no set, no copying.
    if (source.name === '') return this.queues.has(routingKey) ? [routingKey] : [];
    const out = this.routeScratch;
    out.clear();
    source.route(routingKey, headers, out);
    if (out.size === 0 && source.alternateExchange !== undefined) {
      const visited = [source];
      for (let next = this.exchanges.get(source.alternateExchange); next !== undefined && !visited.includes(next); next = next.alternateExchange === undefined ? undefined : this.exchanges.get(next.alternateExchange)) {
        visited.push(next);
        if (next.name === '') {
          if (this.queues.has(routingKey)) out.add(routingKey);
        } else {
          next.route(routingKey, headers, out);
        }
        if (out.size > 0) break;
      }
    }
    const targets = out.size === 1 ? [out.values().next().value as string] : [...out];
    out.clear();
    return targets;
  }

  private enqueue(
    queue: Queue,
    body: Uint8Array,
    properties: MessageProperties,
    exchange: string,
    routingKey: string,
    deaths: readonly DeathEntry[],
  ): EnqueueOutcome {
    const now = this.clock.now();
    if (queue.dedup !== undefined && properties.messageId !== undefined && queue.dedup.seen(properties.messageId, now)) {
      return 'duplicate';
    }
    const overflow = queue.options.overflow ?? 'drop-head';
    if (overflow !== 'drop-head' && queue.isFull) {
      if (overflow === 'reject-publish-dlx') {
        const refused = this.newMessage(queue, body, properties, exchange, routingKey, deaths, now);
        this.deadLetter(queue, refused, 'maxlen');
      }
      return 'rejected';
    }
    const message = this.newMessage(queue, body, properties, exchange, routingKey, deaths, now);
    queue.ready.pushBack(message);
    if (properties.persistent === true && queue.durable) this.durability?.enqueued(queue.name, message);
    this.observer?.enqueued?.(queue.name, properties, now);
    if (message.expiresAtMs !== Infinity) this.trackExpiry(queue, message);
    this.dropHeadOverLimit(queue);
    this.depthChanged(queue);
    this.requestDispatch(queue);
    return 'accepted';
  }

  /**
   * With overflow `drop-head`, dead-letters (`maxlen`) from the head until the ready count is within
   * maxLength. RabbitMQ 3.10 runs this after a publish and after a requeue; with `reject-publish`
   * and `reject-publish-dlx` a requeue may leave the queue over its limit (its maybe_drop_head).
   */
  private dropHeadOverLimit(queue: Queue): void {
    const maxLength = queue.options.maxLength;
    if (maxLength === undefined || (queue.options.overflow ?? 'drop-head') !== 'drop-head') return;
    while (queue.ready.count > maxLength) this.deadLetter(queue, queue.ready.shift()!, 'maxlen');
  }

  private newMessage(
    queue: Queue,
    body: Uint8Array,
    properties: MessageProperties,
    exchange: string,
    routingKey: string,
    deaths: readonly DeathEntry[],
    now: number,
  ): QueuedMessage {
    return new QueuedMessage(
      queue.nextSeq++,
      body,
      properties,
      exchange,
      routingKey,
      queue.levelOf(properties.priority),
      now,
      queue.expiryFor(now, properties.expirationMs),
      deaths,
    );
  }

  private requestDispatch(queue: Queue): void {
    if (queue.dispatchPending || queue.consumers.length === 0) return;
    queue.dispatchPending = true;
    this.dispatchList.push(queue);
  }

  /** Delivers to consumers with room until no queue in the dispatch list can deliver more. */
  private runDispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.dispatchList.length > 0) {
        const queue = this.dispatchList.shift()!;
        queue.dispatchPending = false;
        while (!queue.deleted && queue.ready.count > 0) {
          const consumer = this.nextConsumerWithRoom(queue);
          if (consumer === undefined) break;
          const delivery = this.deliver(queue, queue.ready.shift()!, consumer.channel, consumer.tag, consumer.autoAck);
          consumer.onDelivery(delivery);
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** Round-robin over the queue's consumers, skipping those at their prefetch limit. */
  private nextConsumerWithRoom(queue: Queue): Consumer | undefined {
    const consumers = queue.consumers;
    const n = consumers.length;
    for (let k = 0; k < n; k++) {
      const index = (queue.nextConsumer + k) % n;
      const consumer = consumers[index]!;
      if (consumer.hasCapacity) {
        queue.nextConsumer = (index + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  private deliver(queue: Queue, message: QueuedMessage, channel: Channel, consumerTag: string | undefined, autoAck: boolean): Delivery {
    message.deliveryCount++;
    const deliveryTag = this.nextDeliveryTag++;
    const delivery: Delivery = {
      deliveryTag,
      consumerTag,
      queue: queue.name,
      body: message.body,
      properties: message.properties,
      exchange: message.exchange,
      routingKey: message.routingKey,
      redelivered: message.deliveryCount > 1,
      deliveryCount: message.deliveryCount,
      deaths: message.deaths,
    };
    const now = this.clock.now();
    if (autoAck) {
      this.retire(message);
      this.observer?.delivered?.(delivery, now);
      this.observer?.acked?.(queue.name, message.properties, now);
      this.depthChanged(queue);
      return delivery;
    }
    message.state = UNACKED;
    if (message.logId >= 0) this.durability?.delivered(message);
    const record: UnackedDelivery = { tag: deliveryTag, message, queue, channel, settled: false };
    this.unacked.set(deliveryTag, record);
    channel.unacked.pushBack(record);
    channel.count++;
    queue.unackedCount++;
    this.observer?.delivered?.(delivery, now);
    this.depthChanged(queue);
    return delivery;
  }

  /** The unacked deliveries a settle call covers; throws (changing nothing) for a bad tag. */
  private settleable(deliveryTag: number, multiple: boolean, operation: string): UnackedDelivery[] {
    if (!Number.isSafeInteger(deliveryTag) || deliveryTag < 1) {
      throw new EngineError('INVALID_ARGUMENT', `${operation}: delivery tag must be a whole number ≥ 1, got ${deliveryTag}`);
    }
    const record = this.unacked.get(deliveryTag);
    if (record === undefined) throw new EngineError('PRECONDITION_FAILED', `${operation}: unknown delivery tag ${deliveryTag}`);
    if (!multiple) return [record];
    const records: UnackedDelivery[] = [];
    const deque = record.channel.unacked;
    for (let i = 0; i < deque.length; i++) {
      const r = deque.at(i)!;
      if (r.tag > deliveryTag) break;
      if (!r.settled) records.push(r);
    }
    return records;
  }

  /** Takes a delivery out of the unacked set (and its channel's count); the caller says where the message goes. */
  private forgetUnacked(record: UnackedDelivery): void {
    this.unacked.delete(record.tag);
    record.settled = true;
    record.channel.count--;
    record.queue.unackedCount--;
    record.channel.dropSettledFront();
  }

  /** Tells the observer a queue's counts changed. */
  private depthChanged(queue: Queue): void {
    this.observer?.depthChanged?.(queue.name, queue.ready.count, queue.unackedCount, queue.delayed.size, this.clock.now());
  }

  /** The message leaves its queue for good; a logged one gets its Settle record. */
  private retire(message: QueuedMessage): void {
    message.state = GONE;
    if (message.logId >= 0) this.durability?.retired(message);
  }

  private settleNegatively(records: UnackedDelivery[], requeue: boolean): void {
    for (const record of records) this.forgetUnacked(record);
    if (requeue) {
      this.returnToQueues(records, 'failure');
    } else {
      for (const record of records) this.deadLetter(record.queue, record.message, 'rejected');
    }
    for (const record of records) {
      this.depthChanged(record.queue);
      this.requestDispatch(record.queue);
    }
    this.runDispatch();
  }

  /**
   * Puts returned deliveries back: a message past its delivery limit or its TTL is dead-lettered,
   * one nacked on a queue with a retry policy waits out its backoff, and the rest go back to their
   * original (arrival-order) position in their priority level, as RabbitMQ requeues.
   */
  private returnToQueues(records: UnackedDelivery[], cause: ReturnCause): void {
    const now = this.clock.now();
    // Highest seq first: each usually lands at the front of its level, the cheapest insertion.
    const ordered = [...records].sort((a, b) =>
      a.queue === b.queue ? b.message.seq - a.message.seq : a.queue.name < b.queue.name ? -1 : 1,
    );
    for (const { queue, message } of ordered) {
      if (queue.deleted) {
        message.state = GONE;
        continue;
      }
      const limit = queue.options.deliveryLimit;
      if (limit !== undefined && message.deliveryCount > limit) {
        this.deadLetter(queue, message, 'delivery_limit');
        continue;
      }
      if (message.expiresAtMs <= now) {
        this.deadLetter(queue, message, 'expired');
        continue;
      }
      const retry = queue.options.retry;
      if (cause === 'failure' && retry !== undefined) {
        message.state = DELAYED;
        queue.delayed.add(message);
        const delayMs = retryDelayMs(retry, message.deliveryCount, this.random);
        message.delayTimer = this.clock.setTimer(now + delayMs, () => this.endDelay(queue, message));
      } else {
        message.state = READY;
        queue.ready.requeue(message);
      }
      if (message.expiresAtMs !== Infinity) this.trackExpiry(queue, message);
    }
    let previous: Queue | undefined;
    for (const { queue } of ordered) {
      if (queue !== previous && !queue.deleted) this.dropHeadOverLimit(queue);
      previous = queue;
    }
  }

  private endDelay(queue: Queue, message: QueuedMessage): void {
    if (message.state !== DELAYED || queue.deleted) return;
    queue.delayed.delete(message);
    message.delayTimer = -1;
    message.state = READY;
    queue.ready.requeue(message);
    this.dropHeadOverLimit(queue);
    this.depthChanged(queue);
    this.requestDispatch(queue);
    this.runDispatch();
  }

  /**
   * A message leaves `queue` for `reason`. With a dead-letter exchange it is republished there (with
   * the dead-letter routing key if set, its per-message expiration removed, and the death recorded
   * in its history); without one it is dropped. A message that would reach a queue it already died
   * in, with no rejection anywhere in its history, is in a cycle and is dropped (RabbitMQ's rule).
   */
  private deadLetter(queue: Queue, message: QueuedMessage, reason: DeathReason): void {
    const now = this.clock.now();
    message.state = GONE;
    this.observer?.deadLettered?.(queue.name, message.properties, reason, now);
    // Settle the original after its dead-letter copies are logged: a crash in between duplicates, never loses.
    try {
      this.republishDead(queue, message, reason, now);
    } finally {
      this.retire(message);
    }
  }

  private republishDead(queue: Queue, message: QueuedMessage, reason: DeathReason, now: number): void {
    const dlxName = queue.options.deadLetterExchange;
    if (dlxName === undefined) return;
    const dlx = this.exchanges.get(dlxName);
    if (dlx === undefined) {
      this.observer?.dropped?.(queue.name, message.properties, `dead-letter exchange '${dlxName}' does not exist`, now);
      return;
    }
    if (this.deadLetterDepth >= MAX_DEAD_LETTER_DEPTH) {
      this.observer?.dropped?.(queue.name, message.properties, 'dead-letter chain too deep', now);
      return;
    }
    const deaths = recordDeath(message, queue.name, reason, now);
    const routingKey = queue.options.deadLetterRoutingKey ?? message.routingKey;
    const properties = deadLetterProperties(message, queue.name, reason);
    const targets = this.route(dlx, routingKey, properties.headers);
    if (targets.length === 0) this.observer?.dropped?.(queue.name, properties, `dead-letter exchange '${dlxName}' routed it nowhere`, now);
    this.deadLetterDepth++;
    try {
      for (const name of targets) {
        if (isDeadLetterCycle(deaths, name)) {
          this.observer?.dropped?.(name, properties, 'dead-letter cycle', now);
          continue;
        }
        this.enqueue(this.queues.get(name)!, message.body, properties, dlxName, routingKey, deaths);
      }
    } finally {
      this.deadLetterDepth--;
    }
  }

  private trackExpiry(queue: Queue, message: QueuedMessage): void {
    if (message.inExpiryHeap) return;
    message.inExpiryHeap = true;
    queue.expiry.push(message);
    if (message.expiresAtMs < queue.expiryTimerAtMs) this.scheduleExpiry(queue);
  }

  /** One timer per queue, at its earliest deadline: messages expire at their exact time. */
  private scheduleExpiry(queue: Queue): void {
    if (queue.expiryTimer !== -1) this.clock.cancelTimer(queue.expiryTimer);
    queue.expiryTimer = -1;
    queue.expiryTimerAtMs = Infinity;
    const next = queue.expiry.peek();
    if (next === undefined) return;
    queue.expiryTimerAtMs = next.expiresAtMs;
    queue.expiryTimer = this.clock.setTimer(next.expiresAtMs, () => this.expireDue(queue));
  }

  private expireDue(queue: Queue): void {
    queue.expiryTimer = -1;
    queue.expiryTimerAtMs = Infinity;
    if (queue.deleted || this.closed) return;
    const now = this.clock.now();
    for (let next = queue.expiry.peek(); next !== undefined && next.expiresAtMs <= now; next = queue.expiry.peek()) {
      queue.expiry.pop();
      next.inExpiryHeap = false;
      if (next.state === READY) {
        next.state = GONE;
        queue.ready.noteRemoved();
        this.deadLetter(queue, next, 'expired');
      } else if (next.state === DELAYED) {
        this.clock.cancelTimer(next.delayTimer);
        queue.delayed.delete(next);
        this.deadLetter(queue, next, 'expired');
      }
      // Unacked messages do not expire while a consumer holds them; they are checked when returned.
    }
    this.depthChanged(queue);
    this.scheduleExpiry(queue);
    this.runDispatch();
  }

  /**
   * Drops every ready and delayed message of `queue` and stops its timers. `retire` logs each
   * one's settlement (a purge); `forget` does not (the queue's deletion is logged instead).
   */
  private discardWaiting(queue: Queue, mode: 'retire' | 'forget'): void {
    const leave = (message: QueuedMessage) => (mode === 'retire' ? this.retire(message) : (message.state = GONE));
    for (const message of [...queue.ready.messages()]) leave(message);
    queue.ready.clear();
    for (const message of queue.delayed) {
      this.clock.cancelTimer(message.delayTimer);
      leave(message);
    }
    queue.delayed.clear();
    if (queue.expiryTimer !== -1) this.clock.cancelTimer(queue.expiryTimer);
    queue.expiryTimer = -1;
    queue.expiryTimerAtMs = Infinity;
    if (mode === 'retire') {
      this.scheduleExpiry(queue);
      this.depthChanged(queue);
    }
  }

  /** Cancels every timer the broker owns, leaving its state as it is. */
  private stopTimers(): void {
    for (const queue of this.queues.values()) {
      if (queue.expiryTimer !== -1) this.clock.cancelTimer(queue.expiryTimer);
      queue.expiryTimer = -1;
      queue.expiryTimerAtMs = Infinity;
      for (const message of queue.delayed) this.clock.cancelTimer(message.delayTimer);
    }
  }

  private forEachMessageOf(queue: Queue, visit: (message: QueuedMessage) => void): void {
    for (const message of queue.ready.messages()) visit(message);
    for (const message of queue.delayed) visit(message);
    for (const record of this.unacked.values()) if (record.queue === queue) visit(record.message);
  }

  /** The durable topology: what a new log segment starts with. */
  private durableTopology(): Topology {
    const exchanges = [...this.exchanges.values()].filter((e) => e.durable && e.name !== '' && !e.name.startsWith('amq.'));
    const queues = [...this.queues.values()].filter((q) => q.durable);
    const durableExchange = (name: string) => this.exchanges.get(name)?.durable === true;
    return {
      exchanges: exchanges.map((e) => (e.alternateExchange === undefined ? { name: e.name, type: e.type } : { name: e.name, type: e.type, alternateExchange: e.alternateExchange })),
      queues: queues.map((q) => ({ name: q.name, options: q.options })),
      bindings: [...this.exchanges.values()]
        .filter((e) => durableExchange(e.name))
        .flatMap((e) => e.bindings().filter((b) => this.queues.get(b.queue)?.durable === true).map((b) => bindingRecord(b.queue, e.name, b.bindingKey, b.args))),
    };
  }

  private storage: Storage | undefined;

  /** Rebuilds state from a recovered log, then starts logging to a fresh segment. */
  private restore(recovered: RecoveredLog, storage: Storage, policy: LogPolicy): void {
    for (const e of recovered.topology.exchanges) {
      this.exchanges.set(e.name, new Exchange(e.name, e.type, true, e.alternateExchange));
    }
    for (const q of recovered.topology.queues) this.queues.set(q.name, new Queue(q.name, q.options));
    for (const b of recovered.topology.bindings) this.exchanges.get(b.exchange)?.bind(b.queue, b.bindingKey, b.args);
    const now = this.clock.now();
    for (const [name, messages] of recovered.messages) {
      const queue = this.queues.get(name)!;
      for (const m of messages) {
        const message = new QueuedMessage(m.seq, m.body, m.properties, m.exchange, m.routingKey, m.level, now, m.expiresAtMs, m.deaths);
        message.deliveryCount = m.deliveryCount;
        message.logId = m.logId;
        message.segment = m.segment!;
        queue.ready.pushBack(message);
        queue.nextSeq = Math.max(queue.nextSeq, m.seq + 1);
        if (message.expiresAtMs !== Infinity) this.trackExpiry(queue, message);
        this.observer?.recovered?.(name, message.properties, message.deliveryCount, now);
      }
      this.depthChanged(queue);
    }
    this.storage = storage;
    this.durability = new Durability(storage, this.clock, policy, recovered.segments, recovered.nextSegment, recovered.nextLogId, {
      topology: () => this.durableTopology(),
      forEachLoggedMessage: (visit) => {
        for (const queue of this.queues.values()) if (queue.durable) this.forEachMessageOf(queue, (m) => m.logId >= 0 && visit(queue.name, m));
      },
    });
  }

  private detachConsumer(consumer: Consumer, requeue: boolean): void {
    const queue = consumer.queue;
    const index = queue.consumers.indexOf(consumer);
    if (index >= 0) {
      queue.consumers.splice(index, 1);
      if (queue.nextConsumer > index) queue.nextConsumer--;
      if (queue.nextConsumer >= queue.consumers.length) queue.nextConsumer = 0;
    }
    this.consumersByTag.delete(consumer.tag);
    const records: UnackedDelivery[] = [];
    for (let i = 0; i < consumer.channel.unacked.length; i++) {
      const record = consumer.channel.unacked.at(i)!;
      if (!record.settled) records.push(record);
    }
    for (const record of records) this.forgetUnacked(record);
    if (requeue) {
      this.returnToQueues(records, 'consumer-gone');
      this.depthChanged(queue);
      this.requestDispatch(queue);
    } else {
      for (const record of records) record.message.state = GONE;
    }
  }

  private bindingEnds(
    queue: string,
    exchange: string,
    bindingKey: string,
    args: Record<string, HeaderValue>,
    operation: string,
  ): [Queue, Exchange] {
    if (exchange === '') throw new EngineError('ACCESS_REFUSED', `${operation}: the default exchange's bindings are implicit and cannot be changed`);
    const source = this.exchange(exchange, operation);
    const target = this.queue(queue, operation);
    if (typeof bindingKey !== 'string') throw new EngineError('INVALID_ARGUMENT', `${operation}: bindingKey must be a string`);
    if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new EngineError('INVALID_ARGUMENT', `${operation}: args must be an object`);
    for (const [key, value] of Object.entries(args)) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        throw new EngineError('INVALID_ARGUMENT', `${operation}: args.${key} must be a string, number, boolean or null`);
      }
    }
    if (source.type === 'headers' && args['x-match'] !== undefined && !isXMatch(args['x-match'])) {
      throw new EngineError('INVALID_ARGUMENT', `${operation}: args.x-match must be all, any, all-with-x or any-with-x, got '${String(args['x-match'])}'`);
    }
    return [target, source];
  }

  private exchange(name: string, operation: string): Exchange {
    const exchange = this.exchanges.get(name);
    if (exchange === undefined) throw new EngineError('NOT_FOUND', `${operation}: no exchange '${name}'`);
    return exchange;
  }

  private queue(name: string, operation: string): Queue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw new EngineError('NOT_FOUND', `${operation}: no queue '${name}'`);
    return queue;
  }

  private generateConsumerTag(): string {
    let tag: string;
    do tag = `amq.ctag-${this.nextConsumerId++}`;
    while (this.consumersByTag.has(tag));
    return tag;
  }

  private checkOpen(): void {
    if (this.closed) throw new EngineError('BROKER_CLOSED', 'the broker is closed');
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

function requireString(what: string, value: unknown): void {
  if (typeof value !== 'string') throw new EngineError('INVALID_ARGUMENT', `${what} must be a string, got ${typeof value}`);
}

function checkProperties(properties: MessageProperties): void {
  if (properties === null || typeof properties !== 'object') throw new EngineError('INVALID_ARGUMENT', 'publish: properties must be an object');
  const { priority, expirationMs } = properties;
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= 255)) {
    throw new EngineError('INVALID_ARGUMENT', `publish: properties.priority must be a whole number 0–255, got ${priority}`);
  }
  if (expirationMs !== undefined && !(Number.isFinite(expirationMs) && expirationMs >= 0)) {
    throw new EngineError('INVALID_ARGUMENT', `publish: properties.expirationMs must be a finite number ≥ 0, got ${expirationMs}`);
  }
}

/** Options as compared on redeclaration: absent and default are the same thing. */
function normalizeQueueOptions(options: QueueOptions): QueueOptions {
  return { ...options, durable: options.durable === true, overflow: options.overflow ?? 'drop-head' };
}

/**
 * The message's history with this death added, newest first, as RabbitMQ 3.10's x-death: an
 * existing (queue, reason) entry keeps its first time, exchange, routing keys and original
 * expiration, counts up, and moves to the front; a new one goes in front.
 */
function recordDeath(message: QueuedMessage, queue: string, reason: DeathReason, nowMs: number): DeathEntry[] {
  const deaths = [...message.deaths];
  const index = deaths.findIndex((d) => d.queue === queue && d.reason === reason);
  if (index >= 0) {
    const previous = deaths.splice(index, 1)[0]!;
    deaths.unshift({ ...previous, count: previous.count + 1 });
    return deaths;
  }
  const entry: DeathEntry = { queue, reason, count: 1, timeMs: nowMs, exchange: message.exchange, routingKeys: [message.routingKey] };
  const expirationMs = message.properties.expirationMs;
  deaths.unshift(expirationMs === undefined ? entry : { ...entry, originalExpirationMs: expirationMs });
  return deaths;
}

/**
 * RabbitMQ's cycle rule (rabbit_dead_letter:is_cycle): reaching `target` is a cycle if it is in the
 * history and no death from the newest back to target's newest entry was a rejection.
 */
function isDeadLetterCycle(deaths: readonly DeathEntry[], target: string): boolean {
  for (const death of deaths) {
    if (death.reason === 'rejected') return false;
    if (death.queue === target) return true;
  }
  return false;
}

/**
 * The dead-lettered copy's properties: without its per-message expiration (it is kept in the death
 * entry), and on its first death with the headers x-first-death-queue, -reason and -exchange.
 */
function deadLetterProperties(message: QueuedMessage, queue: string, reason: DeathReason): MessageProperties {
  const { expirationMs: _dropped, ...rest } = message.properties;
  if (message.deaths.length > 0) return message.properties.expirationMs === undefined ? message.properties : rest;
  return {
    ...rest,
    headers: { ...rest.headers, 'x-first-death-reason': reason, 'x-first-death-queue': queue, 'x-first-death-exchange': message.exchange },
  };
}
