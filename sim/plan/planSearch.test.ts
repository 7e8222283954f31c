import { describe, expect, it } from 'vitest';
import { setPath } from '../report/params.ts';
import { simulate } from '../run/simulate.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { Planner } from './planner.ts';
import { simulatedPoint } from './points.ts';
import { planConsumers } from './planSearch.ts';
import { smallRestarts } from './smallRestarts.fixture.ts';
import { parseTarget } from './targets.ts';

const raw = smallRestarts();
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
