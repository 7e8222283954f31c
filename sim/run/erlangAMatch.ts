import { makeDistribution } from '../dist/spec.ts';
import type { Scenario } from '../scenario/schema.ts';
import { erlangA } from '../theory/erlangA.ts';
import { mmcPlusD } from '../theory/mmcPlusD.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { hasFleet } from '../workload/fleet.ts';

export interface ErlangAPrediction {
  /** Erlang-A (exponential patience, rate θ) or M/M/c+D (deterministic patience D, in seconds). */
  model: 'erlangA' | 'mmc+d';
  inputs: { lambda: number; mu: number; c: number; theta?: number; patience?: number };
  /** Times in ms, lengths in messages. */
  values: { Pabandon: number; WqServed: number; Wq: number; Lq: number; L: number; Pwait: number };
}

/**
 * Erlang-A theory for impatient messages, when the scenario is M/M/c+M on the real broker: Poisson
 * producers with exponential patience into one queue (patience is the per-message TTL, and the
 * engine expires a message at its exact deadline wherever it is in the queue), its consumers
 * identical with exponential service, prefetch 1, manual ack, no failures, and no delivery latency.
 * A message in a consumer's prefetch buffer or on the wire cannot expire, so a larger prefetch or a
 * latency would make waiting messages patient. Deterministic patience (every message the same TTL)
 * gets the exact M/M/c+D instead (sim/theory/mmcPlusD.ts).
 */
export function predictErlangA(scenario: Scenario, queue: string | undefined): ErlangAPrediction | { notApplicable: string } | undefined {
  const impatient = scenario.producers.filter((p) => p.patienceMs !== undefined);
  if (impatient.length === 0) return undefined;
  const why = (reason: string) => ({ notApplicable: `no Erlang-A theory: ${reason}` });
  if (impatient.length !== scenario.producers.length) return why('some producers are patient, some not');
  if (scenario.faults.length > 0) return why('faults are injected');
  if (queue === undefined) return why('producers do not all route to one queue');
  const net = scenario.network;
  for (const link of [net.publishLatencyMs, net.deliverLatencyMs, net.ackLatencyMs]) {
    if (link !== undefined && !(link.dist === 'deterministic' && link.mean === 0)) return why('the network has latency (a message on the wire cannot expire)');
  }
  if (scenario.consumers.some(hasFleet)) return why('the consumer count changes over time');
  const first = impatient[0]!;
  let lambda = 0;
  for (const p of impatient) {
    if (p.patienceMs!.dist !== 'exponential' && p.patienceMs!.dist !== 'deterministic') return why(`patience is ${p.patienceMs!.dist}, neither exponential nor deterministic (M/M/c+G has no exact form here)`);
    if (p.patienceMs!.dist !== first.patienceMs!.dist) return why('producers have patience of different shapes');
    if (makeDistribution(p.patienceMs!).mean !== makeDistribution(first.patienceMs!).mean) return why('producers have different mean patience');
    const arrivals = makeArrivals(p.arrivals);
    if (!arrivals.poisson) return why(`producer arrivals are ${p.arrivals.process}, not Poisson`);
    lambda += arrivals.ratePerSec * p.count;
  }
  const q = scenario.broker.queues.find((x) => x.name === queue)!;
  if (q.messageTtlMs !== undefined || q.maxLength !== undefined) return why(`queue '${queue}' also has a queue TTL or length limit`);
  const consumers = scenario.consumers.filter((c) => c.queue === queue);
  if (consumers.length === 0) return why('the queue has no consumers');
  for (const c of consumers) {
    if (c.prefetch !== 1 || c.ack !== 'manual') return why('consumers must have prefetch 1 and manual ack (a prefetched message never expires)');
    if (c.failureProbability > 0 || c.forward !== undefined) return why('consumers fail or forward messages');
    if (c.serviceTimeMs.dist !== 'exponential' || JSON.stringify(c.serviceTimeMs) !== JSON.stringify(consumers[0]!.serviceTimeMs)) return why('service is not exponential and alike for all consumers');
  }
  const mu = 1000 / makeDistribution(consumers[0]!.serviceTimeMs).mean;
  const patienceSec = makeDistribution(first.patienceMs!).mean / 1000;
  const c = consumers.reduce((n, x) => n + x.count, 0);
  if (first.patienceMs!.dist === 'deterministic') {
    if (!(patienceSec > 0)) return why('patience 0: every message that waits expires at once (M/M/c/c, Erlang B)');
    const d = mmcPlusD(lambda, mu, c, patienceSec);
    return {
      model: 'mmc+d',
      inputs: { lambda, mu, c, patience: patienceSec },
      values: { Pabandon: d.Pabandon, WqServed: d.WqServed * 1000, Wq: d.Wq * 1000, Lq: d.Lq, L: d.L, Pwait: d.Pwait },
    };
  }
  const theta = 1 / patienceSec;
  const r = erlangA(lambda, mu, c, theta);
  return {
    model: 'erlangA',
    inputs: { lambda, mu, c, theta },
    values: { Pabandon: r.Pabandon, WqServed: r.WqServed * 1000, Wq: r.Wq * 1000, Lq: r.Lq, L: r.L, Pwait: r.Pwait },
  };
}
