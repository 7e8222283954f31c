import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scenario } from '../scenario/schema.ts';
import { faultCase } from './faultArbitrary.ts';
import { runReplication } from './replication.ts';

/**
 * The fault property: whatever the schedule of broker crashes, consumer crashes, disk stalls, slow
 * disks and latency spikes, a replication finishes without an exception, every invariant checked
 * during the run holds (stale timers, unacked redelivery, negative depths, confirmed loss where
 * the engine promises none, messages never published), and the accounting adds up.
 *
 * CI runs QLAB_FAULT_RUNS cases (default 2,000); the long run is `npm run test:faults`
 * (20,000). A failure prints fast-check's seed and the shrunk scenario and replication seed.
 */
const runs = Number(process.env.QLAB_FAULT_RUNS ?? 2000);
const seed = process.env.QLAB_FAULT_SEED === undefined ? 20261122 : Number(process.env.QLAB_FAULT_SEED);

describe('random fault schedules over random small scenarios', () => {
  it(`never throw, keep every invariant, and account for every message (${runs} cases)`, () => {
    fc.assert(
      fc.property(faultCase(), ({ scenario: input, seed: runSeed }) => {
        const scenario = Scenario.parse(input);
        const r = runReplication(scenario, runSeed, { batches: false });
        const a = r.accounting;
        expect(a.unexpected).toBe(0);
        expect(a.confirmed).toBeLessThanOrEqual(a.published);
        expect(a.returned).toBeLessThanOrEqual(a.unroutable);
        expect(a.unroutable).toBeLessThanOrEqual(a.published);
        expect(a.published + a.unavailable).toBeLessThanOrEqual(a.attempted);
        if (r.drained) expect(a.published + a.unavailable).toBe(a.attempted);
      }),
      { numRuns: runs, seed, endOnFailure: false },
    );
  }, Math.max(60_000, runs * 100)); // about 15 ms a case measured; generous for a loaded machine
});
