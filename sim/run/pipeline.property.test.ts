import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scenario } from '../scenario/schema.ts';
import { runReplication } from './replication.ts';

// Pipelines on the real engine, random shapes: every flow started completes once the run has
// drained (nothing expires or is refused), the flow book sees each copy once, and the run is
// deterministic. A failure prints fast-check's seed and the shrunk pipeline.
const pipeline = fc.record({
  stages: fc.integer({ min: 2, max: 3 }),
  forward: fc.array(fc.record({ to: fc.nat(2), probability: fc.double({ min: 0, max: 0.45, noNaN: true }) }), { minLength: 3, maxLength: 3 }),
  messages: fc.integer({ min: 1, max: 2 }),
  prefetch: fc.integer({ min: 1, max: 3 }),
  seed: fc.nat(1000),
});

type Pipeline = typeof pipeline extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(p: Pipeline): Scenario {
  const queues = Array.from({ length: p.stages }, (_, i) => `s${i}`);
  return Scenario.parse({
    name: 'pipeline-property',
    durationSec: 20,
    warmupSec: 0,
    replications: 1,
    seed: p.seed,
    producers: [{ routingKey: 's0', arrivals: { process: 'poisson', ratePerSec: 2 } }],
    broker: { queues: queues.map((name) => ({ name })) },
    consumers: queues.map((q, i) => ({
      queue: q,
      count: 2,
      prefetch: p.prefetch,
      serviceTimeMs: { dist: 'exponential', mean: 20 },
      // Each stage forwards to some stage (feedback included) with probability < 1/2 per message sent, so flows end.
      forward: { routes: [{ routingKey: queues[p.forward[i]!.to % p.stages]!, probability: p.forward[i]!.probability / p.messages }], messages: p.messages },
    })),
  });
}

describe('pipelines (property)', () => {
  it('every started flow completes after the drain; reruns are identical', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(pipeline, (p) => {
        const s = scenarioOf(p);
        const r = runReplication(s, p.seed, { batches: false });
        expect(r.drained).toBe(true);
        expect(r.metrics['e2e.completed']).toBe(r.metrics['e2e.started']);
        expect(r.accounting.lost).toBe(0);
        const again = runReplication(s, p.seed, { batches: false });
        expect(again.metrics).toEqual(r.metrics);
      }),
      { numRuns: 25 },
    );
  });
});
