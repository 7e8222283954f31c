import { describe, expect, it } from 'vitest';
import { setPath } from '../report/params.ts';
import { simulate } from '../run/simulate.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { Planner } from './planner.ts';
import { simulatedPoint } from './points.ts';
import { planConsumers } from './planSearch.ts';
import { parseTarget } from './targets.ts';

/**
 * A small sizing-through-restarts case, small enough to simulate every consumer count: 100 msg/s
 * from confirm-window publishers, 40 ms exponential work (ρ < 1 needs 5 consumers), the broker down
 * 1 s at 15 s and at 30 s of a 45 s run.
 */
const raw = {
  name: 'small-restarts',
  durationSec: 45,
  warmupSec: 5,
  replications: 3,
  seed: 1,
  producers: [
    {
      count: 2,
      routingKey: 'work',
      arrivals: { process: 'poisson', ratePerSec: 50 },
      persistent: true,
      confirms: true,
      messageIds: true,
      confirmWindow: { maxInFlight: 16, confirmTimeoutMs: 1000, maxRetries: 20, retryBackoffMs: 100 },
    },
  ],
  broker: { queues: [{ name: 'work', durable: true }], durability: { fsync: 'batch', batchMs: 5 } },
  consumers: [{ queue: 'work', count: 5, prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 40 } }],
  faults: [{ kind: 'broker-crash', atSec: [15, 30], mttrSec: 1, fixedRestart: true }],
};
const PATH = 'consumers[0].count';

function scenarioWith(count: number): Scenario {
  const parsed = parseScenario(setPath(raw, PATH, count), 'small-restarts');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}

describe('planning through broker restarts', () => {
  // Every count from the stability bound up, with every replication: which meet, as the planner judges them.
  const counts = [5, 6, 7, 8, 9, 10, 11, 12];
  const runs = new Map(counts.map((c) => [c, simulate(scenarioWith(c))]));

  for (const text of ['mean wait < 45ms', 'mean wait < 25ms']) {
    it(`finds the exhaustive answer for "${text}" with the bracket never above it and at most 3 settings simulated`, async () => {
      const targets = [parseTarget(text), parseTarget('lost = 0')];
      const meets = counts.map((c) => simulatedPoint({ [PATH]: c }, runs.get(c)!, targets).meets);
      // The true answer: the fewest from which every larger count meets too.
      const truth = counts.find((_, i) => meets.slice(i).every(Boolean))!;
      expect(truth).toBeGreaterThan(5);
      expect(truth).toBeLessThan(12);
      const planner = new Planner(raw, targets, { seed: 1, replications: 3, workers: 1, budget: { maxMessages: 1e8, force: false } });
      const outcome = await planConsumers(planner, scenarioWith(5), PATH, undefined);
      await planner.close();
      expect(outcome.answer).toEqual({ [PATH]: truth });
      // The screened range (ρ ≥ 1) and theory's starting point never lie above the true answer's neighbour.
      expect(outcome.theory!.from).toBeLessThanOrEqual(truth);
      expect(Math.abs(outcome.theory!.to - truth)).toBeLessThanOrEqual(1);
      expect(outcome.theory!.outages).toMatchObject({ count: 2, downSec: 1, heldPerSec: 100 });
      const simulated = planner.points().filter((p) => p.result !== undefined);
      expect(simulated.length).toBeLessThanOrEqual(3);
      // What the planner simulated is exactly what a full run gives at that count (same seeds).
      for (const p of simulated.filter((q) => q.stoppedEarly === undefined)) {
        expect(p.result!.summary.wait.mean).toBe(runs.get(p.params[PATH] as number)!.summary.wait.mean);
      }
    }, 300_000);
  }
});
