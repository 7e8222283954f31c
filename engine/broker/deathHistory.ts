import type { QueuedMessage } from '../queue/queuedMessage.ts';
import type { DeathEntry, DeathReason, MessageProperties } from '../types.ts';

/**
 * The message's history with this death added, newest first, as RabbitMQ 3.10's x-death: an
 * existing (queue, reason) entry keeps its first time, exchange, routing keys and original
 * expiration, counts up, and moves to the front; a new one goes in front.
 */
export function recordDeath(message: QueuedMessage, queue: string, reason: DeathReason, nowMs: number): DeathEntry[] {
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
export function isDeadLetterCycle(deaths: readonly DeathEntry[], target: string): boolean {
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
export function deadLetterProperties(message: QueuedMessage, queue: string, reason: DeathReason): MessageProperties {
  const { expirationMs: _dropped, ...rest } = message.properties;
  if (message.deaths.length > 0) return message.properties.expirationMs === undefined ? message.properties : rest;
  return {
    ...rest,
    headers: { ...rest.headers, 'x-first-death-reason': reason, 'x-first-death-queue': queue, 'x-first-death-exchange': message.exchange },
  };
}
