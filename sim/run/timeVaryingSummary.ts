import { makeDistribution } from '../dist/spec.ts';
import type { Scenario } from '../scenario/schema.ts';
import { ggc } from '../theory/allenCunneen.ts';
import { mmc } from '../theory/mmc.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { intervalOf, round, type Interval } from './intervals.ts';
import type { ReplicationResult } from './replication.ts';
import { singleTargetQueue } from './theoryMatch.ts';
import { TIME_WINDOWS } from './timeWindows.ts';
import { hasFleet } from '../workload/fleet.ts';

export const PSA_LABEL =
  'pointwise-stationary approximation (an approximation, not a verdict): each window is taken as the steady state of M/M/c (M/G/c by Allen–Cunneen when service is not exponential) at the offered rate at the window’s mid-point; it ignores the backlog carried from window to window, so it is good only when the rate changes slowly against the service time and ρ(t) < 1';

export interface TimeWindowSummary {
  fromSec: number;
  toSec: number;
  arrivalsPerSec: Interval;
  waitMs: Interval;
  /** Mean over replications of each one's nearest-rank p99 wait in the window, with the spread across replications. */
  waitP99Ms: Interval;
  queueLength: Interval;
  /** Offered rate at the mid-point and the approximation there (null values: ρ ≥ 1, no steady state to approximate). */
  psa?: { lambdaPerSec: number; rho: number; Wq: number | null; Lq: number | null };
}

export interface TimeVaryingSummary {
  steadyState: string;
  windows: TimeWindowSummary[];
  /** The window with the highest measured arrival rate, and its wait: the SLO during the peak. */
  peak: { window: number; fromSec: number; toSec: number; arrivalsPerSec: number | null; waitP99Ms: number | null; waitMs: number | null };
  approximation?: string;
  approximationNotApplicable?: string;
}

/** Time-windowed metrics of a time-varying run with the pointwise-stationary approximation beside them, labelled as such. */
export function timeVaryingSummary(scenario: Scenario, runs: ReplicationResult[]): TimeVaryingSummary {
  const spanSec = scenario.durationSec / TIME_WINDOWS;
  const interval = (key: string) => intervalOf(key, 'mean', runs);
  const psa = psaModel(scenario);
  const windows: TimeWindowSummary[] = Array.from({ length: TIME_WINDOWS }, (_, k) => ({
    fromSec: round(k * spanSec),
    toSec: round((k + 1) * spanSec),
    arrivalsPerSec: interval(`tw.${k}.arrivalsPerSec`),
    waitMs: interval(`tw.${k}.waitMeanMs`),
    waitP99Ms: interval(`tw.${k}.waitP99Ms`),
    queueLength: interval(`tw.${k}.queueLengthMean`),
    ...('at' in psa ? { psa: psa.at((k + 0.5) * spanSec * 1000) } : {}),
  }));
  let peak = 0;
  windows.forEach((w, k) => {
    if ((w.arrivalsPerSec.mean ?? -1) > (windows[peak]!.arrivalsPerSec.mean ?? -1)) peak = k;
  });
  const p = windows[peak]!;
  return {
    steadyState: 'none: the load varies with time, so no steady-state verdict is given; read the windows',
    windows,
    peak: { window: peak, fromSec: p.fromSec, toSec: p.toSec, arrivalsPerSec: p.arrivalsPerSec.mean, waitP99Ms: p.waitP99Ms.mean, waitMs: p.waitMs.mean },
    ...('at' in psa ? { approximation: PSA_LABEL } : { approximationNotApplicable: psa.notApplicable }),
  };
}

type Psa = { at: (tMs: number) => NonNullable<TimeWindowSummary['psa']> } | { notApplicable: string };

function psaModel(scenario: Scenario): Psa {
  const why = (reason: string): Psa => ({ notApplicable: `no pointwise-stationary approximation: ${reason}` });
  const queue = singleTargetQueue(scenario);
  if (queue === undefined) return why('producers do not all route to one queue');
  if (scenario.consumers.some((c) => c.forward !== undefined)) return why('a pipeline');
  if (scenario.consumers.some(hasFleet)) return why('the number of consumers itself changes over time');
  const consumers = scenario.consumers.filter((c) => c.queue === queue);
  if (consumers.length === 0) return why('the queue has no consumers');
  if (consumers.some((c) => c.prefetch !== 1 || c.ack !== 'manual' || JSON.stringify(c.serviceTimeMs) !== JSON.stringify(consumers[0]!.serviceTimeMs))) {
    return why('consumers must be identical with prefetch 1 and manual ack');
  }
  const processes = scenario.producers.map((p) => ({ arrivals: makeArrivals(p.arrivals), count: p.count, process: p.arrivals.process }));
  const bulk = processes.find((p) => p.process === 'batch' || p.process === 'onoff');
  if (bulk !== undefined) return why(`${bulk.process} arrivals are not Poisson at any instant`);
  const service = makeDistribution(consumers[0]!.serviceTimeMs);
  const mu = 1000 / service.mean;
  const c = consumers.reduce((n, x) => n + x.count, 0);
  const exponential = consumers[0]!.serviceTimeMs.dist === 'exponential';
  return {
    at(tMs) {
      const lambda = processes.reduce((sum, p) => sum + p.count * (p.arrivals.rateAtMs?.(tMs) ?? p.arrivals.ratePerSec), 0);
      const rho = lambda / (c * mu);
      if (lambda <= 0) return { lambdaPerSec: 0, rho: 0, Wq: 0, Lq: 0 };
      const r = exponential ? mmc(lambda, mu, c) : ggc(lambda, mu, c, 1, service.scv);
      return { lambdaPerSec: round(lambda), rho: round(rho), Wq: r.Wq === null ? null : round(r.Wq * 1000), Lq: r.Lq === null ? null : round(r.Lq) };
    },
  };
}
