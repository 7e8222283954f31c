import { Scenario } from '../scenario/schema.ts';
import { erlangC } from '../theory/erlang.ts';
import { mg1 } from '../theory/mg1.ts';
import { priorityNonPreemptive } from '../theory/priorityNonPreemptive.ts';
import { mg1LognormalWaitQuantile } from './mg1WaitTail.ts';
import { priorityWaitQuantileExact } from './priorityWaitTail.ts';

/**
 * The coverage study's models: exactly solvable queues (theory from sim/theory, or the closed form
 * of the wait's tail), each at a stated run length on one path (replications or one replication).
 * The mean service time is 1 s throughout, so durationSec is also the number of mean service times.
 */
export interface CoverageCase {
  name: string;
  scenario: Scenario;
  /** Exact steady-state mean wait and p99 wait (ms); p99 undefined where no reference is known here. */
  waitMeanMs: number;
  waitP99Ms?: number;
  /** Where the p99 comes from when it is not a closed form. */
  p99Source?: string;
}

/** Computed once per process and only when a case is run (the references take seconds). */
function memo(f: () => number): () => number {
  let value: number | undefined;
  return () => (value ??= f());
}

const exp = { dist: 'exponential' as const, mean: 1000 };

function base(durationSec: number, replications: number, over: Record<string, unknown>): Scenario {
  return Scenario.parse({
    name: 'coverage',
    seed: 1,
    durationSec,
    replications,
    broker: { queues: [{ name: 'work' }] },
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 } }],
    consumers: [{ queue: 'work', count: 1, prefetch: 1, serviceTimeMs: exp }],
    output: { percentiles: 'hdr', seriesPoints: 400, records: false },
    ...over,
  });
}

const path = (replications: number, durationSec: number) => `${replications === 1 ? '1 rep' : `${replications} reps`} × ${durationSec} s`;

/** M/M/1: Wq = ρ/(μ − λ); P(Wq > t) = ρ e^{−(μ−λ)t}. */
export function mm1Case(rho: number, durationSec: number, replications: number): CoverageCase {
  return {
    name: `M/M/1 ρ=${rho}, ${path(replications, durationSec)}`,
    scenario: base(durationSec, replications, { producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: rho } }] }),
    waitMeanMs: (rho / (1 - rho)) * 1000,
    waitP99Ms: rho <= 0.01 ? 0 : (Math.log(rho / 0.01) / (1 - rho)) * 1000,
  };
}

/** M/M/c: Wq = C/(cμ − λ); P(Wq > t) = C e^{−(cμ−λ)t} with C the Erlang C probability of waiting. */
export function mmcCase(c: number, rho: number, durationSec: number, replications: number): CoverageCase {
  const lambda = rho * c;
  const C = erlangC(c, lambda);
  return {
    name: `M/M/${c} ρ=${rho}, ${path(replications, durationSec)}`,
    scenario: base(durationSec, replications, { producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: lambda } }], consumers: [{ queue: 'work', count: c, prefetch: 1, serviceTimeMs: exp }] }),
    waitMeanMs: (C / (c - lambda)) * 1000,
    waitP99Ms: C <= 0.01 ? 0 : (Math.log(C / 0.01) / (c - lambda)) * 1000,
  };
}

/**
 * M/G/1 with lognormal service: Pollaczek–Khinchine mean; p99 from the P–K geometric sum solved on a
 * 0.01 s grid (mg1WaitTail.ts), the midpoint of its bracket, which is narrower than 0.5 %.
 */
export function mg1Case(rho: number, scv: number, durationSec: number, replications: number): CoverageCase {
  const p99 = memo(() => {
    const { lower, upper } = mg1LognormalWaitQuantile(rho, scv, 0.99);
    return ((lower + upper) / 2) * 1000;
  });
  return {
    get waitP99Ms() {
      return p99();
    },
    p99Source: 'Pollaczek–Khinchine on a 0.01 s grid (bracket < 0.5 %)',
    name: `M/G/1 ρ=${rho} scv=${scv}, ${path(replications, durationSec)}`,
    scenario: base(durationSec, replications, {
      producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: rho } }],
      consumers: [{ queue: 'work', count: 1, prefetch: 1, serviceTimeMs: { dist: 'lognormal', mean: 1000, scv } }],
    }),
    waitMeanMs: mg1(rho, 1, scv).Wq! * 1000,
  };
}

/**
 * Two priority classes on one exponential server (Cobham); overall mean wait by the class shares. The
 * p99 is exact: the wait's transform inverted numerically (priorityWaitTail.ts, error about 1e−8 in
 * probability), checked against an independent textbook simulation (priorityReference.ts).
 */
export function priorityCase(rho: number, highShare: number, durationSec: number, replications: number): CoverageCase {
  const theory = priorityNonPreemptive({ lambda: [highShare * rho, (1 - highShare) * rho], mu: [1, 1], cs2: [1, 1] });
  return {
    waitP99Ms: priorityWaitQuantileExact(rho, highShare, 0.99) * 1000,
    p99Source: 'exact: Euler inversion of the wait transform (Abate & Whitt 1995)',
    name: `2-class priority ρ=${rho}, ${path(replications, durationSec)}`,
    scenario: base(durationSec, replications, {
      producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: rho }, priorityMix: { '0': 1 - highShare, '2': highShare } }],
      broker: { queues: [{ name: 'work', maxPriority: 2 }] },
    }),
    waitMeanMs: theory.Wq! * 1000,
  };
}
