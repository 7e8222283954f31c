import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runReplication } from '../run/replication.ts';
import { simulate } from '../run/simulate.ts';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';

const scenario = (over: Partial<ScenarioInput>) =>
  Scenario.parse({
    name: 'fleet',
    durationSec: 100,
    warmupSec: 0,
    replications: 1,
    producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 20 } }],
    broker: { queues: [{ name: 'q' }] },
    ...over,
  });

describe('consumer fleets', () => {
  it('a schedule sets the count at its times; the time-average follows; nothing is lost', () => {
    const s = scenario({ consumers: [{ queue: 'q', count: 2, serviceTimeMs: { dist: 'exponential', mean: 50 }, schedule: [{ atSec: 30, count: 4 }, { atSec: 60, count: 1 }] }] });
    const r = runReplication(s, 1, { batches: false });
    expect(r.fleet).toEqual({ tMs: [0, 30_000, 60_000], consumers: [2, 4, 1] });
    expect(r.metrics['fleet.meanConsumers']).toBeCloseTo((2 * 30 + 4 * 30 + 1 * 40) / 100, 10);
    expect(r.drained).toBe(true);
    expect(r.accounting.lost).toBe(0);
  });

  it('build-and-drain: a backlog built before the consumers start drains at their full rate', () => {
    // 10 s of 50/s, then nothing; 5 consumers at exactly 100 ms start at 20 s: drain = backlog × 0.1 s / 5.
    const s = scenario({
      producers: [{ routingKey: 'q', arrivals: { process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 50 }, { fromSec: 10, ratePerSec: 0 }] } }],
      consumers: [{ queue: 'q', count: 5, serviceTimeMs: { dist: 'deterministic', mean: 100 }, startAtSec: 20 }],
    });
    const r = simulate(s, { replications: 2 });
    const drain = r.model!.fleet!.drain!;
    expect(drain.backlogAtStart).toBeGreaterThan(400);
    expect(r.model!.fleet!.drain!.drainSec.mean).toBeCloseTo((Math.ceil(drain.backlogAtStart / 5) * 0.1), 0);
    expect(r.theoryNotApplicable).toMatch(/consumer count changes/);
  });

  it('autoscaler (property): the count stays within [min, max], changes are at least the cooldown apart, every message is served', { timeout: 120_000 }, () => {
    const policy = fc.record({
      min: fc.integer({ min: 1, max: 3 }),
      extra: fc.integer({ min: 0, max: 5 }),
      target: fc.integer({ min: 1, max: 10 }),
      intervalSec: fc.integer({ min: 1, max: 10 }),
      reactionDelaySec: fc.integer({ min: 0, max: 10 }),
      cooldownSec: fc.integer({ min: 0, max: 20 }),
      prefetch: fc.integer({ min: 1, max: 4 }),
      seed: fc.nat(1000),
    });
    fc.assert(
      fc.property(policy, (p) => {
        const s = scenario({
          durationSec: 60,
          producers: [{ routingKey: 'q', arrivals: { process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 5 }, { fromSec: 20, ratePerSec: 40 }, { fromSec: 40, ratePerSec: 2 }] } }],
          consumers: [{ queue: 'q', count: p.min, prefetch: p.prefetch, serviceTimeMs: { dist: 'exponential', mean: 100 }, autoscale: { min: p.min, max: p.min + p.extra, targetBacklogPerConsumer: p.target, intervalSec: p.intervalSec, reactionDelaySec: p.reactionDelaySec, cooldownSec: p.cooldownSec } }],
        });
        const r = runReplication(s, p.seed, { batches: false });
        const { tMs, consumers } = r.fleet!;
        for (const c of consumers) expect(c >= p.min && c <= p.min + p.extra).toBe(true);
        for (let i = 2; i < tMs.length; i++) expect(tMs[i]! - tMs[i - 1]!).toBeGreaterThanOrEqual(p.cooldownSec * 1000);
        expect(r.drained).toBe(true);
        expect(r.accounting.lost).toBe(0);
        expect(r.accounting.duplicated).toBe(0);
      }),
      { numRuns: 20 },
    );
  });
});
