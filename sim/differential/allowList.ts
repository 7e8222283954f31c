import type { Observation } from './case.ts';

/**
 * Known, documented differences between the engine and RabbitMQ 3.10, by case. Each names the row
 * of the README's "Differences from RabbitMQ" table (`id`) and, where it can, says exactly what the
 * engine does instead (`engineExpects`: the RabbitMQ recording edited by the documented rule), so
 * the rest of the case is still compared strictly. Without `engineExpects` the whole case is exempt.
 * An entry whose case no longer differs is stale and fails the test: remove it.
 */
export interface AllowedDifference {
  id: string;
  why: string;
  engineExpects?: (rabbitmq: readonly Observation[]) => Observation[];
}

/** Quorum queues add `x-delivery-count` to every delivery; the engine's one queue type does not. */
function withoutDeliveryCountHeader(observations: readonly Observation[]): Observation[] {
  return observations.map((o) => {
    if ((o.op !== 'get' && o.op !== 'deliver') || o.headers === undefined || !('x-delivery-count' in o.headers)) return o;
    const { 'x-delivery-count': _count, ...headers } = o.headers;
    const { headers: _all, ...rest } = o;
    return Object.keys(headers).length > 0 ? { ...rest, headers } : rest;
  }) as Observation[];
}

export const ALLOWED_DIFFERENCES: Readonly<Record<string, AllowedDifference>> = {
  'ttl-behind-live-head': {
    id: 'ttl-exact-time',
    why: 'the engine expires the short-lived message at its deadline although a live one is ahead of it',
    engineExpects: (rabbitmq) =>
      rabbitmq.map((o) => {
        if (o.op === 'count' && o.queue === 'q') return { ...o, messages: 1 };
        if (o.op === 'count' && o.queue === 'dead') return { ...o, messages: 1 };
        return o;
      }),
  },
  'delivery-limit-quorum': {
    id: 'delivery-limit-any-queue',
    why: 'RabbitMQ 3.10 needs a quorum queue for x-delivery-limit; quorum queues add x-delivery-count, the engine does not',
    engineExpects: withoutDeliveryCountHeader,
  },
  'delivery-limit-quorum-cancel': {
    id: 'delivery-limit-any-queue',
    why: 'quorum queues add x-delivery-count, the engine does not; the count of returns matches',
    engineExpects: withoutDeliveryCountHeader,
  },
  'delivery-limit-classic-refused': {
    id: 'delivery-limit-any-queue',
    why: 'RabbitMQ 3.10 refuses x-delivery-limit on a classic queue (406); the engine accepts it on any queue',
    engineExpects: () => [{ step: 1, op: 'count', queue: 'q', messages: 0, consumers: 0 }],
  },
  'requeue-order-quorum': {
    id: 'delivery-limit-any-queue',
    why: 'a quorum queue puts returned messages behind the rest; the engine keeps classic-queue order (see requeue-separate-nacks)',
  },
};
