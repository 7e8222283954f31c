import { Broker } from '../../engine/index.ts';
import { makeDistribution } from '../dist/spec.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { jacksonNetwork } from '../theory/jackson.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { declareTopology } from './topology.ts';
import { hasFleet } from '../workload/fleet.ts';

export interface JacksonStation {
  queue: string;
  /** Consumers (servers), service rate per consumer (/s), external and total arrival rate (/s). */
  c: number;
  mu: number;
  externalLambda: number;
  lambda: number;
  /** Visits per flow: λᵢ / Σγ. */
  visits: number;
  rho: number;
  /** Times in ms, lengths in messages; NaN when unstable. */
  Wq: number;
  W: number;
  Lq: number;
  L: number;
}

export interface JacksonPrediction {
  model: 'jackson';
  stable: boolean;
  stations: JacksonStation[];
  /** Routing probabilities between the stations (row: from, column: to). */
  routing: number[][];
  /** End-to-end mean sojourn of a flow (first publish → last service end), ms: Σ visitsᵢ·Wᵢ = L / Σγ. */
  W: number;
}

/**
 * Open Jackson network theory for a pipeline, when the scenario is one: Poisson producers, each of
 * their routing keys and each forward route reaching exactly one queue, one message per forward,
 * every reached queue served by identical consumers with exponential service, prefetch 1, manual ack
 * and no failures, and no network latency, TTL, patience, length limit or fault. Each station is
 * then an independent M/M/c at the rate the traffic equations give (Jackson's theorem).
 */
export function predictJackson(scenario: Scenario): JacksonPrediction | { notApplicable: string } {
  const why = (reason: string) => ({ notApplicable: `no Jackson network theory: ${reason}` });
  if (scenario.faults.length > 0) return why('faults are injected');
  const net = scenario.network;
  for (const link of [net.publishLatencyMs, net.deliverLatencyMs, net.ackLatencyMs]) {
    if (link !== undefined && !(link.dist === 'deterministic' && link.mean === 0)) return why('the network has latency');
  }
  if (scenario.consumers.some(hasFleet)) return why('the consumer count changes over time');
  const probe = topologyProbe(scenario);
  try {
    const queues = scenario.broker.queues.map((q) => q.name);
    const index = new Map(queues.map((q, i) => [q, i]));
    const gamma = queues.map(() => 0);
    for (const p of scenario.producers) {
      const arrivals = makeArrivals(p.arrivals);
      if (!arrivals.poisson) return why(`producer arrivals are ${p.arrivals.process}, not Poisson`);
      if (p.messageTtlMs !== undefined || p.patienceMs !== undefined) return why('messages carry a TTL (impatience)');
      const keys = p.routingKeys ?? [{ key: p.routingKey!, weight: 1 }];
      const total = keys.reduce((s, k) => s + k.weight, 0);
      for (const k of keys) {
        const target = probe(p.exchange, k.key);
        if (target === undefined) return why(`producer key '${k.key}' does not reach exactly one queue`);
        gamma[index.get(target)!]! += (arrivals.ratePerSec * p.count * k.weight) / total;
      }
    }
    const routing = queues.map(() => queues.map(() => 0));
    const servers = queues.map(() => ({ c: 0, mu: 0 }));
    for (const [i, queue] of queues.entries()) {
      const consumers = scenario.consumers.filter((c) => c.queue === queue);
      if (consumers.length === 0) continue;
      const first = consumers[0]!;
      for (const c of consumers) {
        if (c.prefetch !== 1 || c.ack !== 'manual') return why(`consumers of '${queue}' must have prefetch 1 and manual ack to be servers`);
        if (c.failureProbability > 0) return why(`consumers of '${queue}' fail some messages`);
        if (c.serviceTimeMs.dist !== 'exponential') return why(`service at '${queue}' is ${c.serviceTimeMs.dist}, not exponential`);
        if (JSON.stringify(c.serviceTimeMs) !== JSON.stringify(first.serviceTimeMs) || JSON.stringify(c.forward) !== JSON.stringify(first.forward)) {
          return why(`consumers of '${queue}' differ in service or forwarding`);
        }
      }
      servers[i] = { c: consumers.reduce((n, c) => n + c.count, 0), mu: 1000 / makeDistribution(first.serviceTimeMs).mean };
      if (first.forward === undefined) continue;
      if (first.forward.messages !== 1) return why(`'${queue}' forwards ${first.forward.messages} messages per service (a flow splits: end-to-end time is not a sum of visits)`);
      for (const route of first.forward.routes) {
        const target = probe(first.forward.exchange, route.routingKey);
        if (target === undefined) return why(`forward key '${route.routingKey}' from '${queue}' does not reach exactly one queue`);
        routing[i]![index.get(target)!]! += route.probability;
      }
    }
    for (const [i, q] of scenario.broker.queues.entries()) {
      if (q.messageTtlMs !== undefined || q.maxLength !== undefined) return why(`queue '${q.name}' has a TTL or length limit`);
      if (servers[i]!.c === 0 && (gamma[i]! > 0 || routing.some((row) => row[i]! > 0))) return why(`queue '${q.name}' gets messages but has no consumers`);
    }
    const used = queues.map((_, i) => i).filter((i) => servers[i]!.c > 0);
    const sub = (m: number[][]) => used.map((i) => used.map((j) => m[i]![j]!));
    const result = jacksonNetwork(
      used.map((i) => ({ name: queues[i]!, mu: servers[i]!.mu, c: servers[i]!.c, externalLambda: gamma[i]! })),
      sub(routing),
    );
    const external = gamma.reduce((a, b) => a + b, 0);
    const ms = (s: number | null) => (s === null ? NaN : s * 1000);
    const stations = used.map((i, k) => {
      const r = result.stations[k]!;
      return { queue: queues[i]!, c: servers[i]!.c, mu: servers[i]!.mu, externalLambda: gamma[i]!, lambda: result.lambda[k]!, visits: result.lambda[k]! / external, rho: r.rho, Wq: ms(r.Wq), W: ms(r.W), Lq: r.Lq ?? NaN, L: r.L ?? NaN };
    });
    return { model: 'jackson', stable: result.stable, stations, routing: sub(routing), W: ms(result.W) };
  } catch (error) {
    return why((error as Error).message);
  } finally {
    probe.close();
  }
}

/** Where one publish routes, found on a scratch broker with the scenario's topology: the one queue, or undefined. */
function topologyProbe(scenario: Scenario): ((exchange: string, key: string) => string | undefined) & { close(): void } {
  const broker = new Broker({ clock: new EventLoop(), random: randomStreams(0).stream('probe') });
  declareTopology(broker, scenario.broker);
  const probe = (exchange: string, key: string) => {
    const result = broker.publish(exchange, key, new Uint8Array(0), {});
    const targets = [...result.queues, ...result.rejected];
    for (const q of targets) broker.purgeQueue(q);
    return targets.length === 1 ? targets[0] : undefined;
  };
  return Object.assign(probe, { close: () => broker.close() });
}
