import type { Clock } from './clock.ts';
import type { Random } from './random.ts';

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';

export interface ExchangeOptions {
  durable?: boolean;
  /** Where messages go that no binding of this exchange matches. */
  alternateExchange?: string;
}

export type OverflowPolicy = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

export interface RetryPolicy {
  backoff: 'fixed' | 'exponential';
  /** Delay before the first retry. */
  delayMs: number;
  /** Cap on the exponential delay. */
  maxDelayMs?: number;
  /**
   * Fraction of the delay that is random, in [0, 1]: the delay becomes base × (1 − jitter × U), U
   * uniform on [0, 1) from the broker's Random. 0 is no jitter; 1 is "full jitter" on (0, base].
   */
  jitter?: number;
}

export interface QueueOptions {
  durable?: boolean;
  /** Priorities 0..maxPriority (1–255); without it the queue ignores priorities. */
  maxPriority?: number;
  /** Per-queue message TTL, counted from when the message entered this queue. */
  messageTtlMs?: number;
  /** Most ready messages the queue holds (unacked and delayed ones do not count, as in RabbitMQ). */
  maxLength?: number;
  overflow?: OverflowPolicy;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  /** Deliveries a message may fail (be returned) before it is dead-lettered as `delivery_limit`. */
  deliveryLimit?: number;
  /** Delay requeued (nacked or rejected) messages before they are ready again. */
  retry?: RetryPolicy;
  /** Publishes whose messageId this queue accepted within this window are not enqueued again. */
  dedupWindowMs?: number;
}

export type HeaderValue = string | number | boolean | null;

export interface MessageProperties {
  messageId?: string;
  /** 0 when absent; above the queue's maxPriority counts as the maximum. */
  priority?: number;
  /** Per-message TTL; the lower of this and the queue's TTL wins. */
  expirationMs?: number;
  headers?: Record<string, HeaderValue>;
  /** Written to the log (on a durable queue) so it survives a restart. */
  persistent?: boolean;
  timestampMs?: number;
  contentType?: string;
  correlationId?: string;
  replyTo?: string;
  /** Anything else the application wants to carry. */
  [key: string]: unknown;
}

export type DeathReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

/** One entry of a message's dead-letter history, like RabbitMQ's `x-death` header (newest first). */
export interface DeathEntry {
  queue: string;
  reason: DeathReason;
  /** How many times the message died in this queue for this reason. */
  count: number;
  /** When it first died in this queue for this reason (clock milliseconds); a repeat only counts up, as in RabbitMQ 3.10. */
  timeMs: number;
  /** The exchange the message had been published to (the dead-letter exchange, after a first death). */
  exchange: string;
  routingKeys: string[];
  /** The message's own expiration (properties.expirationMs), which dead-lettering removes; absent if it had none. */
  originalExpirationMs?: number;
}

export interface Delivery {
  deliveryTag: number;
  /** Undefined for `get`. */
  consumerTag: string | undefined;
  queue: string;
  body: Uint8Array;
  properties: MessageProperties;
  exchange: string;
  routingKey: string;
  /** True if the message was delivered before (and returned). */
  redelivered: boolean;
  /** This delivery's number: 1 for the first. */
  deliveryCount: number;
  /** Dead-letter history, newest first (empty if it never died). */
  deaths: readonly DeathEntry[];
}

export interface PublishResult {
  /** Queues that accepted the message. */
  readonly queues: readonly string[];
  /** Queues that refused it (full, with overflow reject-publish or reject-publish-dlx). */
  readonly rejected: readonly string[];
  /** Queues that had already accepted this messageId within their dedup window. */
  readonly duplicates: readonly string[];
  /** No binding matched, alternate exchanges included. */
  readonly unroutable: boolean;
}

/** Publisher confirm: ack = true once the broker has taken responsibility, false if it refused. */
export type ConfirmCallback = (ack: boolean) => void;

export interface ConsumeOptions {
  /** Most unacknowledged deliveries at once; 0 means no limit (as in AMQP). */
  prefetch?: number;
  /** Settle on delivery: no ack expected. */
  autoAck?: boolean;
  consumerTag?: string;
  /** No other consumer may attach to the queue while this one is on it. */
  exclusive?: boolean;
}

export interface QueueInfo {
  name: string;
  ready: number;
  unacked: number;
  delayed: number;
  consumers: number;
}

/**
 * Optional hooks that see every message movement, for measurement (the simulator) and tracing.
 * Called synchronously; they must not call back into the broker.
 */
export interface BrokerObserver {
  /** A message entered a queue (the moment of arrival). */
  enqueued?(queue: string, properties: MessageProperties, atMs: number): void;
  delivered?(delivery: Delivery, atMs: number): void;
  acked?(queue: string, properties: MessageProperties, atMs: number): void;
  /** A message left a queue without being acked: dead-lettered (if the queue has a DLX) or dropped. */
  deadLettered?(queue: string, properties: MessageProperties, reason: DeathReason, atMs: number): void;
  /** A requeued message was routed nowhere, or a dead-letter hop was a cycle: it is gone. */
  dropped?(queue: string, properties: MessageProperties, why: string, atMs: number): void;
  /** A queue's counts changed (after any enqueue, delivery, settlement, requeue, expiry or purge). */
  depthChanged?(queue: string, ready: number, unacked: number, delayed: number, atMs: number): void;
  /** A restarted durable broker brought this message back from its log. */
  recovered?(queue: string, properties: MessageProperties, deliveryCount: number, atMs: number): void;
}

export interface BrokerOptions {
  clock?: Clock;
  random?: Random;
  observer?: BrokerObserver;
}
