import { makeDistribution } from '../dist/spec.ts';
import { singleTargetQueue } from '../run/theoryMatch.ts';
import type { Scenario } from '../scenario/schema.ts';
import { erlangC } from '../theory/erlang.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { approximateWithOutages, type Outages } from './outageModel.ts';
import type { Target } from './targets.ts';

/**
 * The offered load of a scenario whose producers all reach one queue: λ (messages/s), each
 * consumer's service rate μ and the variabilities that Allen–Cunneen's G/G/c approximation takes.
 * Faults, the network and consumer failures only lower capacity, so "λ ≥ cμ" found here means
 * unstable whatever they do: that is what lets the planner skip such settings without simulating.
 */
export interface Load {
  lambdaPerSec: number;
  muPerSec: number;
  ca2: number;
  cs2: number;
  consumers: number;
  queue: string;
}

export function loadOf(scenario: Scenario): Load | { unknown: string } {
  let lambdaPerSec = 0;
  let weightedCa2 = 0;
  for (const p of scenario.producers) {
    const arrivals = makeArrivals(p.arrivals);
    if (!Number.isFinite(arrivals.ratePerSec)) return { unknown: `producer arrivals ${p.arrivals.process} have no finite rate` };
    lambdaPerSec += arrivals.ratePerSec * p.count;
    weightedCa2 += (arrivals.ca2 ?? 1) * arrivals.ratePerSec * p.count;
  }
  const queue = singleTargetQueue(scenario);
  if (queue === undefined) return { unknown: 'producers do not all route to one queue' };
  const consumers = scenario.consumers.filter((c) => c.queue === queue);
  if (consumers.length === 0) return { unknown: 'the queue has no consumers' };
  const first = JSON.stringify(consumers[0]!.serviceTimeMs);
  if (consumers.some((c) => JSON.stringify(c.serviceTimeMs) !== first)) return { unknown: 'consumers have different service times' };
  const service = makeDistribution(consumers[0]!.serviceTimeMs);
  // Several independent streams merged are closer to Poisson; a rate-weighted ca² is an upper estimate.
  const ca2 = lambdaPerSec > 0 ? weightedCa2 / lambdaPerSec : 1;
  return { lambdaPerSec, muPerSec: 1000 / service.mean, ca2, cs2: service.scv, consumers: consumers.reduce((n, c) => n + c.count, 0), queue };
}

/** Offered load per consumer, ρ = λ / (cμ). */
export function rhoOf(load: Load, consumers = load.consumers): number {
  return load.lambdaPerSec / (consumers * load.muPerSec);
}

/** The fewest consumers with ρ < 1: below it there is no steady state to simulate. */
export function fewestStableConsumers(load: Load): number {
  const c = Math.max(1, Math.ceil(load.lambdaPerSec / load.muPerSec));
  return rhoOf(load, c) < 1 ? c : c + 1;
}

/**
 * A target's value by the G/G/c approximation (Allen–Cunneen: the M/M/c wait scaled by
 * (ca² + cs²)/2, its tail kept exponential), at c consumers; undefined for what it cannot predict
 * (counts, confirm latency, maxima). Only a starting point for the simulated search.
 */
export function approximateTarget(load: Load, c: number, target: Target): number | undefined {
  // Without restarts there is no fault window to predict; a (steady) target is the plain steady state.
  if (target.window === 'fault') return undefined;
  const { lambdaPerSec: lambda, muPerSec: mu } = load;
  const rho = rhoOf(load, c);
  if (rho >= 1) return Infinity;
  if (target.metric === 'utilization') return rho;
  const factor = (load.ca2 + load.cs2) / 2;
  const pWait = erlangC(c, lambda / mu);
  const thetaPerSec = (c * mu - lambda) / Math.max(factor, 1e-9);
  const meanWaitSec = pWait / thetaPerSec;
  if (target.metric === 'queueLength' && target.stat === 'mean') return lambda * meanWaitSec;
  if (target.metric !== 'wait' && target.metric !== 'sojourn') return undefined;
  const q = { mean: NaN, p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999, max: NaN }[target.stat];
  if (Number.isNaN(q) && target.stat !== 'mean') return undefined;
  const waitSec = target.stat === 'mean' ? meanWaitSec : 1 - q >= pWait ? 0 : Math.log(pWait / (1 - q)) / thetaPerSec;
  // Sojourn adds a service; its mean is a rough stand-in for the convolution.
  return (waitSec + (target.metric === 'sojourn' ? 1 / mu : 0)) * 1000;
}

/** The fewest consumers the approximation says meet every target it can predict; `from` when it predicts none. */
export function theoryConsumers(load: Load, targets: Target[], from: number, max: number, outages?: Outages): { consumers: number; predicted: boolean; unreachable?: true } {
  const approximate = (c: number, t: Target) => (outages === undefined ? approximateTarget(load, c, t) : approximateWithOutages(load, outages, c, t));
  const predictable = targets.filter((t) => approximate(from, t) !== undefined);
  if (predictable.length === 0) return { consumers: from, predicted: false };
  const ok = (c: number) => predictable.every((t) => {
    const v = approximate(c, t)!;
    return t.op === '<' ? v < t.value : v <= t.value;
  });
  // The approximations fall as consumers are added: gallop to a count that meets, then bisect.
  if (ok(from)) return { consumers: from, predicted: true };
  let miss = from;
  let hit = Math.min(max, from + 1);
  for (let step = 2; !ok(hit); step *= 2) {
    // No count up to max meets them by theory: the search starts at the stability bound and says so.
    if (hit >= max) return { consumers: from, predicted: true, unreachable: true };
    miss = hit;
    hit = Math.min(max, miss + step);
  }
  while (hit - miss > 1) {
    const mid = Math.floor((miss + hit) / 2);
    if (ok(mid)) hit = mid;
    else miss = mid;
  }
  return { consumers: hit, predicted: true };
}
