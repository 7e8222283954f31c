/**
 * `qlab plan --vary queues --values 1,2,4`: the scenario's work queue (the one consumers[0] reads)
 * split into N copies behind the scenario's own exchange, as a sharded RabbitMQ deployment does it:
 * copy i is `<queue>.q<i>`, bound with the original binding key + `.q<i>`; each producer that reached
 * the queue publishes with its routing key(s) + `.q<i>`, i chosen at random with equal weight, so load
 * spreads evenly; each consumer group of the queue is split over the copies (its count divided,
 * the first copies taking the remainder). The total consumer count stays what the scenario (or a
 * `--vary consumers` value) says. N = 1 leaves the scenario untouched.
 */
export const QUEUES_PARAM = 'queues';

export class SpreadError extends Error {}

type Raw = Record<string, unknown>;
interface RawProducer { exchange?: string; routingKey?: string; routingKeys?: { key: string; weight: number }[] }
interface RawBinding { queue: string; exchange: string; bindingKey?: string }
interface RawConsumer { queue: string; count?: number }

export function spreadOverQueues(raw: unknown, n: number): unknown {
  if (!Number.isInteger(n) || n < 1) throw new SpreadError(`queues must be a whole number ≥ 1 (got ${n})`);
  if (n === 1) return raw;
  const s = structuredClone(raw) as Raw;
  const broker = (s.broker ?? {}) as Raw;
  const consumers = (s.consumers ?? []) as RawConsumer[];
  const queue = consumers[0]?.queue;
  if (queue === undefined) throw new SpreadError('queues: the scenario has no consumer, so no work queue to spread');
  const queues = (broker.queues ?? []) as Raw[];
  const spec = queues.find((q) => q.name === queue);
  if (spec === undefined) throw new SpreadError(`queues: no queue '${queue}' in broker.queues`);
  const exchanges = (broker.exchanges ?? []) as { name: string; type: string }[];
  const bindings = (broker.bindings ?? []) as RawBinding[];
  const copy = (i: number) => `${queue}.q${i}`;
  const copies = Array.from({ length: n }, (_, i) => i);

  const producers = (s.producers ?? []) as RawProducer[];
  for (const [k, p] of producers.entries()) {
    const exchange = p.exchange ?? '';
    const keys = p.routingKeys ?? [{ key: p.routingKey ?? '', weight: 1 }];
    const reaches = exchange === '' ? keys.some((x) => x.key === queue) : bindings.some((b) => b.exchange === exchange && b.queue === queue);
    if (!reaches) continue;
    if (exchange === '' && keys.some((x) => x.key !== queue)) throw new SpreadError(`queues: producers[${k}] also publishes to other queues; spread needs a producer that only feeds '${queue}'`);
    if (exchange !== '') {
      const type = exchanges.find((e) => e.name === exchange)?.type;
      if (type !== 'direct' && type !== 'topic') throw new SpreadError(`queues: exchange '${exchange}' is ${type ?? 'unknown'}; spreading by routing key needs a direct or topic exchange`);
      const other = bindings.find((b) => b.exchange === exchange && b.queue !== queue);
      if (other !== undefined) throw new SpreadError(`queues: exchange '${exchange}' also routes to '${other.queue}'; changing its routing keys would change that route`);
    }
    delete p.routingKey;
    p.routingKeys = keys.flatMap((x) => copies.map((i) => ({ key: `${x.key}.q${i}`, weight: x.weight / n })));
  }
  broker.queues = queues.flatMap((q) => (q.name === queue ? copies.map((i) => ({ ...structuredClone(q), name: copy(i) })) : [q]));
  broker.bindings = bindings.flatMap((b) => (b.queue === queue ? copies.map((i) => ({ ...b, queue: copy(i), bindingKey: `${b.bindingKey ?? ''}.q${i}` })) : [b]));
  s.consumers = consumers.flatMap((c, k) => {
    if (c.queue !== queue) return [c];
    const count = c.count ?? 1;
    if (count < n) throw new SpreadError(`queues ${n}: consumers[${k}] has ${count} consumer${count === 1 ? '' : 's'}, fewer than the queues (each copy needs one)`);
    return copies.map((i) => ({ ...structuredClone(c), queue: copy(i), count: Math.floor(count / n) + (i < count % n ? 1 : 0) }));
  });
  s.broker = broker;
  return s;
}
