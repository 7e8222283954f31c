import { Scenario } from '../scenario/schema.ts';

/**
 * The coverage study's models: each an exactly solvable queue (theory from sim/theory), a run length
 * and a path (replications or one replication). Times in seconds of simulated time; the mean service
 * time is 1 s throughout, so durationSec is also the number of service times.
 */
export interface CoverageCase {
  name: string;
  scenario: Scenario;
  /** Exact steady-state mean wait and p99 wait (ms). */
  waitMeanMs: number;
  waitP99Ms: number;
}

const exp = (mean: number) => ({ dist: 'exponential' as const, mean });

function base(over: Record<string, unknown>): Scenario {
  return Scenario.parse({
    name: 'coverage',
    seed: 1,
    broker: { queues: [{ name: 'work' }] },
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 0.5 } }],
    consumers: [{ queue: 'work', count: 1, prefetch: 1, serviceTimeMs: exp(1000) }],
    output: { percentiles: 'hdr', seriesPoints: 400, records: false },
    ...over,
  });
}

/** M/M/1 p-quantile of the wait: P(Wq > t) = ρ e^{−μ(1−ρ)t}. */
function mm1WaitQuantileMs(rho: number, q: number): number {
  return rho <= 1 - q ? 0 : (Math.log(rho / (1 - q)) / (1 - rho)) * 1000;
}

export function mm1Case(rho: number, durationSec: number, replications: number): CoverageCase {
  return {
    name: `M/M/1 ρ=${rho} ${replications === 1 ? '1 rep' : `${replications} reps`} × ${durationSec} s`,
    scenario: base({ durationSec, replications, producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: rho } }] }),
    waitMeanMs: (rho / (1 - rho)) * 1000,
    waitP99Ms: mm1WaitQuantileMs(rho, 0.99),
  };
}
