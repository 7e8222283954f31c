import type { Clock } from './clock.ts';
import { Consumers } from './broker/consumers.ts';
import { BrokerCore } from './broker/core.ts';
import { DeadLettering } from './broker/deadLettering.ts';
import { Dispatcher } from './broker/dispatch.ts';
import { DurabilityCoupling, type DurableBrokerOptions, type OpenOptions, type TransactionalBrokerOptions } from './broker/durabilityCoupling.ts';
import { Exchanges } from './broker/exchanges.ts';
import { Expiry } from './broker/expiry.ts';
import { Publishing } from './broker/publishing.ts';
import { Queues } from './broker/queues.ts';
import { Router } from './broker/routing.ts';
import { Settlement } from './broker/settlement.ts';
import type { RecoveryReport } from './durable/recovery.ts';
import type { Binding } from './routing/exchange.ts';
import type {
  BrokerOptions,
  ConfirmCallback,
  ConsumeOptions,
  Delivery,
  ExchangeOptions,
  ExchangeType,
  HeaderValue,
  MessageProperties,
  PublishResult,
  QueueInfo,
  QueueOptions,
} from './types.ts';

export type { DurableBrokerOptions, OpenOptions, TransactionalBrokerOptions } from './broker/durabilityCoupling.ts';
export type PublishOutcome = PublishResult & { ack: boolean };

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
 *
 * This class is a facade: the work is done in `engine/broker/`, one file per RabbitMQ seam —
 * routing, exchanges and queues (topology), publishing, dispatch, consumers, settlement,
 * dead-lettering, expiry and durability coupling — over one shared `BrokerCore`.
 */
export class Broker {
  readonly clock: Clock;
  private readonly core: BrokerCore;
  private readonly exchanges: Exchanges;
  private readonly queues: Queues;
  private readonly publishing: Publishing;
  private readonly consumers: Consumers;
  private readonly settlement: Settlement;
  private readonly expiry: Expiry;
  private readonly durable: DurabilityCoupling;

  constructor(options: BrokerOptions = {}) {
    const core = new BrokerCore(options);
    const router = new Router(core);
    const dispatcher = new Dispatcher(core);
    // Dead-lettering republishes through publishing's enqueue, which dead-letters in turn (maxlen).
    const deadLettering = new DeadLettering(core, router, (q, body, p, x, rk, deaths) => this.publishing.enqueue(q, body, p, x, rk, deaths));
    this.core = core;
    this.clock = core.clock;
    this.expiry = new Expiry(core, deadLettering, dispatcher);
    this.publishing = new Publishing(core, router, deadLettering, this.expiry, dispatcher);
    this.settlement = new Settlement(core, deadLettering, this.expiry, dispatcher);
    this.consumers = new Consumers(core, dispatcher, this.settlement);
    this.exchanges = new Exchanges(core);
    this.queues = new Queues(core, this.consumers, this.expiry);
    this.durable = new DurabilityCoupling(core, this.expiry, deadLettering);
  }

  /**
   * A durable broker recovered from `options.storage`: replays the log (checking every record),
   * restores durable exchanges, queues, bindings and every unsettled persistent message in its
   * order and priority (delivered-but-unacked ones come back redelivered), then logs from a fresh
   * segment. Completes through the callback, so it runs unchanged in virtual time.
   *
   * With `options.backend` instead of `storage`, the broker persists in a database through the
   * transactional store: it reads the committed state back (delivered-but-unacked messages again
   * come back redelivered) and commits per publish or in groups.
   */
  static recover(options: DurableBrokerOptions | TransactionalBrokerOptions, done: (error: Error | null, broker: Broker | null) => void): void {
    const broker = new Broker(options);
    const opened = (error: Error | null) => (error ? done(error, null) : done(null, broker));
    if ('backend' in options) broker.durable.recoverTransactional(options, opened);
    else broker.durable.recover(options, opened);
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

  /** What recovery found, for a broker opened from storage. */
  get recoveryReport(): RecoveryReport | undefined {
    return this.durable.recoveryReport;
  }

  // ─── topology ──────────────────────────────────────────────────────────────

  declareExchange(name: string, type: ExchangeType, options?: ExchangeOptions): void {
    this.exchanges.declare(name, type, options);
  }

  deleteExchange(name: string, options: { ifUnused?: boolean } = {}): void {
    this.exchanges.delete(name, options.ifUnused === true);
  }

  /** Declares a queue (idempotent with the same options). An empty name asks for a generated one. */
  declareQueue(name: string, options?: QueueOptions): { queue: string; messageCount: number; consumerCount: number } {
    return this.queues.declare(name, options);
  }

  bindQueue(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue> = {}): void {
    this.exchanges.bind(queue, exchange, bindingKey, args);
  }

  /** Removes a binding; removing one that does not exist is not an error (as in AMQP). */
  unbindQueue(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue> = {}): void {
    this.exchanges.unbind(queue, exchange, bindingKey, args);
  }

  /** Deletes a queue, its bindings and its messages; its consumers are cancelled. Returns the ready count it had. */
  deleteQueue(name: string, options: { ifUnused?: boolean; ifEmpty?: boolean } = {}): number {
    return this.queues.delete(name, options);
  }

  /** Removes every ready and delayed message. Returns how many. */
  purgeQueue(name: string): number {
    return this.queues.purge(name);
  }

  // ─── publishing ────────────────────────────────────────────────────────────

  /**
   * Routes a message through `exchange` to every queue its bindings (or, failing those, its
   * alternate exchange) select. `onConfirm` is the publisher confirm: called with true once every
   * reached queue has taken the message (also for an unroutable message, as RabbitMQ does), and
   * with false if any queue refused it (overflow `reject-publish`); the queues that took it keep it.
   */
  publish(exchange: string, routingKey: string, body: Uint8Array | string, properties: MessageProperties = {}, onConfirm?: ConfirmCallback): PublishResult {
    return this.publishing.publish(exchange, routingKey, body, properties, onConfirm);
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
    return this.consumers.consume(queue, options, onDelivery);
  }

  /** Stops a consumer; its unacknowledged deliveries go back to their original positions, marked redelivered. */
  cancel(consumerTag: string): void {
    this.consumers.cancel(consumerTag);
  }

  /** Takes one ready message if there is one (AMQP basic.get). */
  get(queue: string, options: { autoAck?: boolean } = {}): Delivery | undefined {
    return this.consumers.get(queue, options.autoAck === true);
  }

  ack(deliveryTag: number, options?: { multiple?: boolean }): void {
    this.settlement.ack(deliveryTag, options?.multiple === true);
  }

  /** Negative acknowledgement: requeue (default, through the queue's retry policy if any) or dead-letter as `rejected`. */
  nack(deliveryTag: number, options: { requeue?: boolean; multiple?: boolean } = {}): void {
    this.settlement.settleNegatively(deliveryTag, options.multiple === true, options.requeue !== false, 'nack');
  }

  reject(deliveryTag: number, options: { requeue?: boolean } = {}): void {
    this.settlement.settleNegatively(deliveryTag, false, options.requeue !== false, 'reject');
  }

  // ─── introspection ─────────────────────────────────────────────────────────

  queueInfo(name: string): QueueInfo {
    this.core.checkOpen();
    const queue = this.core.queue(name, 'queueInfo');
    return { name, ready: queue.ready.count, unacked: queue.unackedCount, delayed: queue.delayed.size, consumers: queue.consumers.length };
  }

  queueNames(): string[] {
    return [...this.core.queues.keys()];
  }

  exchangeNames(): string[] {
    return [...this.core.exchanges.keys()];
  }

  bindingsOf(exchange: string): Binding[] {
    return this.core.exchange(exchange, 'bindingsOf').bindings();
  }

  // ─── lifecycle ─────────────────────────────────────────────────────────────

  /**
   * Shuts down: stops every timer and, for a durable broker, syncs the log and closes its files
   * before calling `done`. The broker refuses further calls.
   */
  close(done?: (error: Error | null) => void): void {
    if (this.core.closed) return done?.(null);
    this.expiry.stopTimers();
    this.core.closed = true;
    this.durable.close(done);
  }

  /**
   * Stops dead, as a crashed process would: no more timers, writes, syncs or callbacks, nothing
   * flushed. What was not yet durable is the storage's to keep or lose. For the simulator.
   */
  kill(): void {
    if (this.core.closed) return;
    this.expiry.stopTimers();
    this.durable.kill();
    this.core.closed = true;
  }

  /**
   * Calls back once every change made so far (publishes, acks, topology) is as durable as the fsync
   * policy promises — a barrier, like waiting for a confirm. Immediately for an in-memory broker.
   */
  afterDurable(callback: (ok: boolean) => void): void {
    this.durable.afterDurable(callback);
  }

  /** The storage error that stopped the durable log, if any (every confirm since is negative). */
  get storageError(): Error | null {
    return this.durable.storageError;
  }
}
