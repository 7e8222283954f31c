/// <reference lib="webworker" />
import { simulate } from '../../sim/run/simulate.ts';
import { Scenario } from '../../sim/scenario/schema.ts';

export interface PlaygroundSettings {
  lambda: number;
  mu: number;
  consumers: number;
  prefetch: number;
  highShare: number;
  failure: number;
  run: number;
}

/** Builds the scenario the sliders describe and runs it with the lab's own simulation code. */
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
    consumers: [
      {
        queue: 'work',
        count: s.consumers,
        prefetch: s.prefetch,
        serviceTimeMs: { dist: 'exponential', mean: 1000 / s.mu },
        failureProbability: s.failure,
      },
    ],
    output: { seriesPoints: 200 },
  });
  const result = simulate(scenario);
  const { records: _records, scenario: _scenario, replications: _replications, ...rest } = result;
  (self as unknown as Worker).postMessage({ run: s.run, result: JSON.parse(JSON.stringify(rest)), wallMs: performance.now() - started });
};
