import type { ParamValue } from '../report/params.ts';
import type { Scenario } from '../scenario/schema.ts';
import { crashWindows } from './faultWindows.ts';
import type { PlanOutcome } from './formatPlan.ts';
import { outagesOf } from './outageModel.ts';
import type { Planner } from './planner.ts';
import { fewestStableConsumers, loadOf, theoryConsumers } from './screen.ts';
import { searchFewest } from './search.ts';

/** The fewest consumers: theory (with the scenario's broker restarts folded in) picks the start, simulation confirms. */
export async function planConsumers(planner: Planner, scenario: Scenario, path: string, maxFlag: number | undefined): Promise<PlanOutcome> {
  const load = loadOf(scenario);
  const others = 'unknown' in load ? 0 : load.consumers - (scenario.consumers.find((c) => c.queue === load.queue)?.count ?? 0);
  const from = 'unknown' in load ? 1 : Math.max(1, fewestStableConsumers(load) - others);
  const outages = outagesOf(scenario);
  const theory = 'unknown' in load ? undefined : theoryConsumers(load, planner.targets, from + others, (maxFlag ?? 10_000) + others, outages);
  const start = theory === undefined ? from : theory.consumers - others;
  // Without --max the search stays near theory: a target no consumer count can meet (losses to a
  // crash, a fault window's backlog) must not send it simulating hundreds of consumers.
  const max = maxFlag ?? Math.max(2 * start, start + 8);
  const at = (c: number) => ({ [path]: c });
  const answer = await searchFewest({ from, start, max, meets: async (cs) => (await planner.evaluateMany(cs.map(at))).map((p) => p.meets) });
  // The value just below the answer says why it is the answer: simulate it unless theory screened it.
  if (answer !== null && answer > 1) await planner.evaluate(at(answer - 1));
  return {
    kind: 'search',
    vary: [path],
    answer: answer === null ? null : at(answer),
    below: answer === null || answer <= 1 ? null : at(answer - 1),
    load: 'unknown' in load ? load.unknown : load,
    theory: theory === undefined ? null : { from, to: start, predicted: theory.predicted, ...(theory.unreachable ? { unreachable: true } : {}), ...(outages !== undefined ? { outages } : {}) },
    max,
    crashes: answer === null ? [] : crashWindows(planner.point(at(answer))!.result!),
    wallSec: 0,
  };
}

/** Every combination of the parameters' values, simulated; the first that meets every target is the answer. */
export async function planGrid(planner: Planner, params: { path: string; values: ParamValue[] }[]): Promise<PlanOutcome> {
  const combos = params.reduce<Record<string, ParamValue>[]>((acc, p) => acc.flatMap((c) => p.values.map((v) => ({ ...c, [p.path]: v }))), [{}]);
  await planner.evaluateMany(combos);
  const first = combos.find((c) => planner.point(c)!.meets) ?? null;
  const point = first === null ? undefined : planner.point(first);
  return {
    kind: 'grid',
    vary: params.map((p) => p.path),
    values: params.map((p) => p.values),
    answer: first,
    below: null,
    load: null,
    theory: null,
    max: 0,
    crashes: point?.result !== undefined ? crashWindows(point.result) : [],
    wallSec: 0,
  };
}
