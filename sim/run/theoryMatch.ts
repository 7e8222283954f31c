import { Broker } from '../../engine/index.ts';
import { makeDistribution } from '../dist/spec.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { ggc } from '../theory/allenCunneen.ts';
import { md1 } from '../theory/md1.ts';
import { mg1 } from '../theory/mg1.ts';
import { mm1 } from '../theory/mm1.ts';
import { mmc } from '../theory/mmc.ts';
import { mmck } from '../theory/mmck.ts';
import { priorityNonPreemptive } from '../theory/priorityNonPreemptive.ts';
import type { TheoryResult } from '../theory/result.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { priorityClasses } from './replication.ts';
import { declareTopology } from './topology.ts';
import { hasFleet } from '../workload/fleet.ts';

export interface TheoryPrediction {
  model: string;
  inputs: { lambda: number; mu: number; c?: number; K?: number; cs2?: number; lambdas?: number[] };
  /** In the run's units: times in milliseconds, lengths in messages. */
  values: { Wq: number; W: number; Lq: number; L: number; Pblock?: number; classes?: { priority: number; Wq: number; W: number }[] };
  approximation?: string;
  stable: boolean;
}

export type { TheoryVerdict } from './verdicts.ts';

/**
 * Whether the scenario is a queueing model theory can answer exactly — and which one. It is when
 * every producer is Poisson into one queue, that queue's consumers are identical, take one message
 * at a time (prefetch 1, manual ack, no failures), there is no network latency, no TTL and no fault.
 * Then arrival = enqueue, service = the consumer's service time, and c consumers are c servers.
 */
export function predict(scenario: Scenario): TheoryPrediction | { notApplicable: string } {
  const why = (reason: string) => ({ notApplicable: reason });
  if (scenario.faults.length > 0) return why('faults are injected');
  if (scenario.consumers.some(hasFleet)) return why('the consumer count changes over time (late start, schedule or autoscaler): no steady-state model; see model.fleet');
  if (scenario.consumers.some((c) => c.forward !== undefined)) return why('a pipeline of stages: see model.jackson for network theory');
  if (scenario.producers.some((p) => p.patienceMs !== undefined)) return why('messages are impatient: see model.impatience for Erlang-A');
  if (scenario.producers.some((p) => makeArrivals(p.arrivals).timeVarying === true)) {
    return why('the load varies with time: there is no steady state to match; see model.timeVarying for windowed metrics and the pointwise-stationary approximation');
  }
  if (scenario.producers.some((p) => p.confirmWindow !== undefined)) {
    return why('closed-loop producers (a confirm window): such networks have no product-form theory in general, and an open model would not describe them');
  }
  const net = scenario.network;
  for (const link of [net.publishLatencyMs, net.deliverLatencyMs, net.ackLatencyMs]) {
    if (link !== undefined && !(link.dist === 'deterministic' && link.mean === 0)) return why('the network has latency');
  }
  let lambdaPerSec = 0;
  for (const p of scenario.producers) {
    const arrivals = makeArrivals(p.arrivals);
    if (!arrivals.poisson) return why(`producer arrivals are ${p.arrivals.process}, not Poisson${p.arrivals.process === 'batch' ? ': see model.batch for M^X/M/c' : ''}`);
    if (p.messageTtlMs !== undefined) return why('messages carry a TTL');
    lambdaPerSec += arrivals.ratePerSec * p.count;
  }
  const target = singleTargetQueue(scenario);
  if (target === undefined) return why('producers do not all route to one queue');
  const queue = scenario.broker.queues.find((q) => q.name === target)!;
  if (queue.messageTtlMs !== undefined) return why('the queue has a TTL');
  const consumers = scenario.consumers.filter((c) => c.queue === target);
  if (consumers.length === 0) return why('the queue has no consumers');
  const first = consumers[0]!;
  for (const c of consumers) {
    if (c.prefetch !== 1 || c.ack !== 'manual') return why('consumers must have prefetch 1 and manual ack to be servers');
    if (c.failureProbability > 0) return why('consumers fail some messages');
    if (JSON.stringify(c.serviceTimeMs) !== JSON.stringify(first.serviceTimeMs)) return why('consumers have different service times');
  }
  const c = consumers.reduce((n, x) => n + x.count, 0);
  const service = makeDistribution(first.serviceTimeMs);
  const mu = 1000 / service.mean;
  const lambda = lambdaPerSec;
  const classes = priorityClasses(scenario);
  const exponential = first.serviceTimeMs.dist === 'exponential';

  let result: TheoryResult;
  if (queue.maxLength !== undefined) {
    if (queue.overflow !== 'reject-publish') return why('a length limit matches M/M/c/K only with overflow reject-publish');
    if (!exponential) return why('M/M/c/K needs exponential service');
    if (classes.length > 0) return why('priority classes with a length limit have no closed form here');
    result = mmck(lambda, mu, c, queue.maxLength + c);
  } else if (classes.length > 0) {
    if (c !== 1) return why('priority classes are modelled on one consumer');
    const shares = classShares(scenario, classes, queue.maxPriority ?? 255);
    result = priorityNonPreemptive({ lambda: shares.map((s) => s * lambda), mu: classes.map(() => mu), cs2: classes.map(() => service.scv) });
  } else if (c === 1) {
    result = exponential ? mm1(lambda, mu) : service.scv === 0 ? md1(lambda, mu) : mg1(lambda, mu, service.scv);
  } else {
    result = exponential ? mmc(lambda, mu, c) : ggc(lambda, mu, c, 1, service.scv);
  }
  const ms = (seconds: number | null) => (seconds === null ? NaN : seconds * 1000);
  const inputs: TheoryPrediction['inputs'] = { lambda, mu };
  if (c > 1 || result.model === 'mmc' || result.model === 'mmck' || result.model === 'ggc') inputs.c = c;
  if (result.model === 'mmck') inputs.K = queue.maxLength! + c;
  if (!exponential) inputs.cs2 = service.scv;
  if (classes.length > 0) inputs.lambdas = (result.classes ?? []).map((k) => k.lambda);
  return {
    model: result.model,
    inputs,
    stable: result.stable,
    values: {
      Wq: ms(result.Wq),
      W: ms(result.W),
      Lq: result.Lq ?? NaN,
      L: result.L ?? NaN,
      ...(result.Pblock !== undefined ? { Pblock: result.Pblock } : {}),
      ...(result.classes !== undefined ? { classes: result.classes.map((k, i) => ({ priority: classes[i]!, Wq: ms(k.Wq), W: ms(k.W) })) } : {}),
    },
    ...(result.approximation !== undefined ? { approximation: result.approximation } : {}),
  };
}

/** The one queue every producer's messages reach, found by routing probes through a scratch broker with the scenario's topology. */
export function singleTargetQueue(scenario: Scenario): string | undefined {
  const broker = new Broker({ clock: new EventLoop(), random: randomStreams(0).stream('probe') });
  declareTopology(broker, scenario.broker);
  const reached = new Set<string>();
  for (const p of scenario.producers) {
    for (const key of p.routingKeys?.map((k) => k.key) ?? [p.routingKey!]) {
      const result = broker.publish(p.exchange, key, new Uint8Array(0), p.headers !== undefined ? { headers: p.headers } : {});
      // A queue that refused the probe (a full one) is still where the message routes.
      const targets = [...result.queues, ...result.rejected];
      if (targets.length !== 1) return undefined;
      reached.add(targets[0]!);
    }
  }
  broker.close();
  return reached.size === 1 ? [...reached][0] : undefined;
}

/** Share of all arrivals in each class (classes highest priority first), from the producers' mixes and rates. */
function classShares(scenario: Scenario, classes: number[], maxPriority: number): number[] {
  const rate = new Map<number, number>(classes.map((k) => [k, 0]));
  let total = 0;
  for (const p of scenario.producers) {
    const r = makeArrivals(p.arrivals).ratePerSec * p.count;
    const mix = Object.entries(p.priorityMix ?? { '0': 1 });
    const weights = mix.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of mix) {
      const level = Math.min(Number(k), maxPriority); // the queue serves higher priorities at its maximum
      rate.set(level, (rate.get(level) ?? 0) + (r * w) / weights);
    }
    total += r;
  }
  return classes.map((k) => rate.get(k)! / total);
}
