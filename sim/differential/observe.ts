import type { HeaderValue, Observation, SeenMessage } from './case.ts';

/** Keys sorted, so JSON of equal objects is equal text whatever order a side built them in. */
export function sortedKeys<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]])) as T;
}

/** One `x-death` entry without its wall-clock `time`, keys sorted. */
export function normalizeDeath(entry: Record<string, unknown>): Record<string, unknown> {
  const { time: _time, ...rest } = entry;
  return sortedKeys(rest);
}

/** The fields both runners fill from a delivery; undefined ones are left out so JSON and objects agree. */
export function seenMessage(fields: {
  id: string;
  redelivered: boolean;
  exchange: string;
  routingKey: string;
  priority: number | undefined;
  expiration: string | undefined;
  headers: Record<string, unknown> | undefined;
  xDeath: Record<string, unknown>[] | undefined;
}): SeenMessage {
  const seen: SeenMessage = { id: fields.id, redelivered: fields.redelivered, exchange: fields.exchange, routingKey: fields.routingKey };
  if (fields.priority !== undefined) seen.priority = fields.priority;
  if (fields.expiration !== undefined) seen.expiration = fields.expiration;
  const headers = Object.fromEntries(Object.entries(fields.headers ?? {}).filter(([key, value]) => key !== 'x-death' && value !== undefined));
  if (Object.keys(headers).length > 0) seen.headers = sortedKeys(headers as Record<string, HeaderValue>);
  if (fields.xDeath !== undefined && fields.xDeath.length > 0) seen.xDeath = fields.xDeath.map(normalizeDeath);
  return seen;
}

/**
 * Deliveries arrive on several channels whose interleaving RabbitMQ does not define; each
 * consumer's own order is what both sides promise. So a step's deliveries are grouped by consumer
 * tag (stable within a consumer); everything else keeps the order it happened in.
 */
export function orderStep(observations: Observation[]): Observation[] {
  const deliveries = observations.filter((o) => o.op === 'deliver');
  const others = observations.filter((o) => o.op !== 'deliver');
  const byConsumer = [...deliveries].sort((a, b) => (a.consumer < b.consumer ? -1 : a.consumer > b.consumer ? 1 : 0));
  return [...others, ...byConsumer];
}
