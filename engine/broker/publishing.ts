import { EngineError } from '../errors.ts';
import type { Queue } from '../queue/queue.ts';
import { QueuedMessage } from '../queue/queuedMessage.ts';
import type { ConfirmCallback, DeathEntry, MessageProperties, PublishResult } from '../types.ts';
import type { BrokerCore } from './core.ts';
import type { DeadLettering, EnqueueOutcome } from './deadLettering.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Expiry } from './expiry.ts';
import type { Router } from './routing.ts';

const NO_DEATHS: readonly DeathEntry[] = Object.freeze([]);
const NONE: readonly string[] = Object.freeze([]);
const textEncoder = new TextEncoder();

/** basic.publish: routing a message to queues, each queue's admission (dedup, max-length overflow), and the confirm. */
export class Publishing {
  constructor(
    private readonly core: BrokerCore,
    private readonly router: Router,
    private readonly deadLettering: DeadLettering,
    private readonly expiry: Expiry,
    private readonly dispatcher: Dispatcher,
  ) {}

  publish(exchange: string, routingKey: string, body: Uint8Array | string, properties: MessageProperties, onConfirm?: ConfirmCallback): PublishResult {
    const { core } = this;
    core.checkOpen();
    const source = core.exchanges.get(exchange);
    if (source === undefined) throw new EngineError('NOT_FOUND', `no exchange '${exchange}'`);
    if (typeof routingKey !== 'string') throw new EngineError('INVALID_ARGUMENT', `publish: routingKey must be a string, got ${typeof routingKey}`);
    checkProperties(properties);
    const bytes = typeof body === 'string' ? textEncoder.encode(body) : body;
    if (!(bytes instanceof Uint8Array)) throw new EngineError('INVALID_ARGUMENT', 'publish: body must be a Uint8Array or a string');
    const targets = this.router.route(source, routingKey, properties.headers);
    const loggedBefore = core.durability?.position ?? 0;
    const result = this.enqueueAll(targets, bytes, properties, exchange, routingKey);
    this.dispatcher.run();
    if (onConfirm !== undefined) {
      // A refusal is known at once; an acceptance waits until what it wrote is as durable as promised.
      if (result.rejected.length > 0) onConfirm(false);
      else if (core.durability === undefined || !core.durability.whenDurable(loggedBefore, onConfirm)) onConfirm(true);
    }
    return result;
  }

  private enqueueAll(targets: string[], body: Uint8Array, properties: MessageProperties, exchange: string, routingKey: string): PublishResult {
    // Most publishes are accepted everywhere: then the routed list is the result, and nothing else is allocated.
    let accepted: string[] | undefined;
    let rejected: string[] | undefined;
    let duplicates: string[] | undefined;
    for (let i = 0; i < targets.length; i++) {
      const name = targets[i]!;
      const outcome = this.enqueue(this.core.queues.get(name)!, body, properties, exchange, routingKey, NO_DEATHS);
      if (outcome === 'accepted') {
        if (accepted !== undefined) accepted.push(name);
        continue;
      }
      accepted ??= targets.slice(0, i);
      if (outcome === 'rejected') (rejected ??= []).push(name);
      else (duplicates ??= []).push(name);
    }
    return { queues: accepted ?? targets, rejected: rejected ?? NONE, duplicates: duplicates ?? NONE, unroutable: targets.length === 0 };
  }

  /** One queue takes (or refuses) a message: dedup, then overflow, then the ready buffer, the log and the TTL. */
  enqueue(queue: Queue, body: Uint8Array, properties: MessageProperties, exchange: string, routingKey: string, deaths: readonly DeathEntry[]): EnqueueOutcome {
    const { core } = this;
    const now = core.clock.now();
    if (queue.dedup !== undefined && properties.messageId !== undefined && queue.dedup.seen(properties.messageId, now)) {
      return 'duplicate';
    }
    const overflow = queue.options.overflow ?? 'drop-head';
    if (overflow !== 'drop-head' && queue.isFull) {
      if (overflow === 'reject-publish-dlx') {
        this.deadLettering.deadLetter(queue, newMessage(queue, body, properties, exchange, routingKey, deaths, now), 'maxlen');
      }
      return 'rejected';
    }
    const message = newMessage(queue, body, properties, exchange, routingKey, deaths, now);
    queue.ready.pushBack(message);
    if (properties.persistent === true && queue.durable) core.durability?.enqueued(queue.name, message);
    core.observer?.enqueued?.(queue.name, properties, now);
    if (message.expiresAtMs !== Infinity) this.expiry.track(queue, message);
    // RabbitMQ hands a publish straight to a consumer with room before the limit applies (so even
    // maxLength 0 reaches a waiting consumer); here delivery comes a moment later, from the head.
    if (queue.options.maxLength !== undefined && queue.ready.count > queue.options.maxLength) {
      dropHeadOverLimit(queue, this.deadLettering, roomAmongConsumers(queue));
    }
    core.depthChanged(queue);
    this.dispatcher.request(queue);
    return 'accepted';
  }
}

/**
 * With overflow `drop-head`, dead-letters (`maxlen`) from the head until the ready count is within
 * maxLength. RabbitMQ 3.10 runs this after a publish and after a requeue; with `reject-publish`
 * and `reject-publish-dlx` a requeue may leave the queue over its limit (its maybe_drop_head).
 */
export function dropHeadOverLimit(queue: Queue, deadLettering: DeadLettering, deliverableNow = 0): void {
  const maxLength = queue.options.maxLength;
  if (maxLength === undefined || (queue.options.overflow ?? 'drop-head') !== 'drop-head') return;
  while (queue.ready.count > maxLength + deliverableNow) deadLettering.deadLetter(queue, queue.ready.shift()!, 'maxlen');
}

/** How many more deliveries the queue's consumers can take now (Infinity if one has no prefetch limit). */
function roomAmongConsumers(queue: Queue): number {
  let room = 0;
  for (const consumer of queue.consumers) {
    if (consumer.prefetch === 0) return Infinity;
    room += Math.max(0, consumer.prefetch - consumer.channel.count);
  }
  return room;
}

function newMessage(
  queue: Queue,
  body: Uint8Array,
  properties: MessageProperties,
  exchange: string,
  routingKey: string,
  deaths: readonly DeathEntry[],
  now: number,
): QueuedMessage {
  const level = queue.levelOf(properties.priority);
  return new QueuedMessage(queue.nextSeq++, body, properties, exchange, routingKey, level, queue.expiryFor(now, properties.expirationMs), deaths);
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
