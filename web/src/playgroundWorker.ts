/// <reference lib="webworker" />
import { simulate } from '../../sim/run/simulate.ts';
import { Scenario } from '../../sim/scenario/schema.ts';

export type ServiceShape = 'exponential' | 'deterministic' | 'lognormal';

export interface PlaygroundSettings {
  lambda: number;
  mu: number;
  consumers: number;
  prefetch: number;
  highShare: number;
  failure: number;
  /** Squared coefficient of variation of a lognormal service time. */
  scv: number;
  service: ServiceShape;
  run: number;
}

/** One message's path for the strip: arrival, delivery (into a consumer's buffer), service start and end, in ms. */
export interface MessagePath {
  arrivalMs: number;
  deliveredMs: number | null;
  serviceStartMs: number | null;
  endMs: number | null;
}

/** How many messages the strip follows. */
export const FOLLOWED = 40;

function serviceTimeMs(s: PlaygroundSettings): Record<string, unknown> {
  const mean = 1000 / s.mu;
  return s.service === 'lognormal' ? { dist: 'lognormal', mean, scv: s.scv } : { dist: s.service, mean };
}

/** Builds the scenario the controls describe and runs it with the lab's own simulation code. */
self.onmessage = (event: MessageEvent<PlaygroundSettings>) => {
  const s = event.data;
  const started = performance.now();
  const durationSec = Math.min(20_000, Math.max(200, 15_000 / s.lambda));
  const scenario = Scenario.parse({
    name: 'playground',
    durationSec,
    replications: 3,
    seed: 1,
    producers: [
      {
        routingKey: 'work',
        arrivals: { process: 'poisson', ratePerSec: s.lambda },
        ...(s.highShare > 0 ? { priorityMix: { '0': 1 - s.highShare, '2': s.highShare } } : {}),
      },
    ],
    broker: { queues: [{ name: 'work', ...(s.highShare > 0 ? { maxPriority: 2 } : {}) }] },
    consumers: [{ queue: 'work', count: s.consumers, prefetch: s.prefetch, serviceTimeMs: serviceTimeMs(s), failureProbability: s.failure }],
    output: { seriesPoints: 200 },
  });
  const result = simulate(scenario, { records: true });
  const { records, scenario: _scenario, replications: _replications, ...rest } = result;
  const order = records ? records.arrivalMs.map((_, i) => i).sort((a, b) => records.arrivalMs[a]! - records.arrivalMs[b]!).slice(0, FOLLOWED) : [];
  const paths: MessagePath[] = order.map((i) => ({
    arrivalMs: records!.arrivalMs[i]!,
    deliveredMs: records!.firstDeliveryMs[i]!,
    serviceStartMs: records!.serviceStartMs[i]!,
    endMs: records!.endMs[i]!,
  }));
  (self as unknown as Worker).postMessage({ run: s.run, result: JSON.parse(JSON.stringify(rest)), paths, wallMs: performance.now() - started });
};
