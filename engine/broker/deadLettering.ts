import type { Queue } from '../queue/queue.ts';
import { GONE, type QueuedMessage } from '../queue/queuedMessage.ts';
import type { DeathEntry, DeathReason, MessageProperties } from '../types.ts';
import type { BrokerCore } from './core.ts';
import { deadLetterProperties, isDeadLetterCycle, recordDeath } from './deathHistory.ts';
import type { Router } from './routing.ts';

/** Dead-lettering that keeps bouncing between full queues is cut off at this depth. */
const MAX_DEAD_LETTER_DEPTH = 32;

export type EnqueueOutcome = 'accepted' | 'rejected' | 'duplicate';

/** Puts a message into a queue (publishing's enqueue, passed in so the two files do not import each other). */
export type Enqueue = (
  queue: Queue,
  body: Uint8Array,
  properties: MessageProperties,
  exchange: string,
  routingKey: string,
  deaths: readonly DeathEntry[],
) => EnqueueOutcome;

/**
 * A message leaves a queue as `rejected`, `expired`, `maxlen` or `delivery_limit` (RabbitMQ's
 * rabbit_dead_letter). With a dead-letter exchange it is republished there, with the dead-letter
 * routing key if set, its per-message expiration removed and the death recorded in its x-death
 * history; without one it is dropped. A hop that would be a cycle (RabbitMQ's rule) is dropped.
 */
export class DeadLettering {
  private depth = 0;

  constructor(
    private readonly core: BrokerCore,
    private readonly router: Router,
    private readonly enqueue: Enqueue,
  ) {}

  deadLetter(queue: Queue, message: QueuedMessage, reason: DeathReason): void {
    const now = this.core.clock.now();
    message.state = GONE;
    this.core.observer?.deadLettered?.(queue.name, message.properties, reason, now);
    // Settle the original after its dead-letter copies are logged: a crash in between duplicates, never loses.
    try {
      this.republish(queue, message, reason, now);
    } finally {
      this.core.retire(message);
    }
  }

  private republish(queue: Queue, message: QueuedMessage, reason: DeathReason, now: number): void {
    const { core } = this;
    const dlxName = queue.options.deadLetterExchange;
    if (dlxName === undefined) return;
    const dlx = core.exchanges.get(dlxName);
    if (dlx === undefined) {
      core.observer?.dropped?.(queue.name, message.properties, `dead-letter exchange '${dlxName}' does not exist`, now);
      return;
    }
    if (this.depth >= MAX_DEAD_LETTER_DEPTH) {
      core.observer?.dropped?.(queue.name, message.properties, 'dead-letter chain too deep', now);
      return;
    }
    const deaths = recordDeath(message, queue.name, reason, now);
    const routingKey = queue.options.deadLetterRoutingKey ?? message.routingKey;
    const properties = deadLetterProperties(message, queue.name, reason);
    const targets = this.router.route(dlx, routingKey, properties.headers);
    if (targets.length === 0) core.observer?.dropped?.(queue.name, properties, `dead-letter exchange '${dlxName}' routed it nowhere`, now);
    this.depth++;
    try {
      for (const name of targets) {
        if (isDeadLetterCycle(deaths, name)) {
          core.observer?.dropped?.(name, properties, 'dead-letter cycle', now);
          continue;
        }
        this.enqueue(core.queues.get(name)!, message.body, properties, dlxName, routingKey, deaths);
      }
    } finally {
      this.depth--;
    }
  }
}
