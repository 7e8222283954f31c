import { performance } from 'node:perf_hooks';
import { reportOf, reportRunOf, scenariosOf, tasksOf, TOOL, type JobSpec } from '../report/jobs.ts';
import { parsePath, parseValues, setPath, type ParamValue } from '../report/params.ts';
import { REPORT_VERSION, type Report } from '../report/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { crashWindows } from '../plan/faultWindows.ts';
import { formatPlan, planSection, type PlanOutcome } from '../plan/formatPlan.ts';
import { screenedPoint, screenReason, simulatedPoint, type PlanPoint } from '../plan/points.ts';
import { fewestStableConsumers, loadOf, theoryConsumers } from '../plan/screen.ts';
import { searchFewest } from '../plan/search.ts';
import { parseTarget, TARGET_HELP, TargetError, type Target } from '../plan/targets.ts';
import { parseCommandArgs, numberFlag } from './args.ts';
import { checkOutputs, emitReport, executeTasks, loadOrUsage, runSettings, SIM_FLAGS, slug, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab plan <scenario.json> --target "p99 wait < 200ms" [--target "lost = 0" …]
          [--vary consumers | --vary P --values v1,v2,… [--vary Q --values …]] [--max N]
          [--seed N] [--replications R] [--out file] [--json] [--workers N]

Finds the setting that meets every target, confirmed by simulation. A statistic meets a target only
when its whole 95 % interval does. Settings whose offered load is at or above capacity (ρ ≥ 1) are
screened out by theory and never simulated. For the consumer count (monotone: more consumers never
hurt) the G/G/c approximation (Allen–Cunneen) picks where to start, then a bracket and a bisection
confirm the fewest consumers by simulation. Other parameters are evaluated on the grid of --values
(one or two parameters; the feasible region is shown). Exit 0: found; 1: nothing in range meets the
targets (the binding ones are named); 2: bad input.

  --target   ${TARGET_HELP}
  --vary     consumers (the default; consumers[0].count), prefetch (consumers[0].prefetch),
             batchMs (broker.durability.batchMs), maxLength (broker.queues[0].maxLength) or any
             field path; with --values for anything but consumers
  --values   the values of the --vary before it: v1,v2,… or from:to:step
  --max N    consumers: give up above this many (default: twice where the search starts, at
             least 8 more)
`;

const ALIASES: Record<string, string> = {
  consumers: 'consumers[0].count',
  prefetch: 'consumers[0].prefetch',
  batchMs: 'broker.durability.batchMs',
  maxLength: 'broker.queues[0].maxLength',
};

export async function run(argv: string[]): Promise<number> {
  const flags = { ...SIM_FLAGS, target: { type: 'string', multiple: true }, vary: { type: 'string', multiple: true }, values: { type: 'string', multiple: true }, max: { type: 'string' } } as const;
  const { values, positionals } = parseCommandArgs('plan', argv, flags);
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`qlab plan: give exactly one scenario file (got ${positionals.length})`);
  if (values.target === undefined) throw new UsageError('qlab plan: --target is required, e.g. --target "p99 wait < 200ms"');
  const targets = values.target.map((text) => {
    try {
      return parseTarget(text);
    } catch (error) {
      if (error instanceof TargetError) throw new UsageError(`--target: ${error.message}`);
      throw error;
    }
  });
  const params = parseParams(values.vary ?? [], values.values ?? []);
  const max = numberFlag('max', values.max, { integer: true, min: 1 });
  const { scenario, raw } = loadOrUsage(positionals[0]!);
  const out = values.out ?? `reports/${slug(scenario.name)}-plan.json`;
  checkOutputs(out);
  const settings = runSettings(values, scenario);
  const started = performance.now();
  const planner = new Planner(raw, targets, settings);
  const outcome = params[0]!.values === undefined ? await planner.consumers(scenario, params[0]!.path, max) : await planner.grid(params as { path: string; values: ParamValue[] }[]);
  outcome.wallSec = (performance.now() - started) / 1000;
  const simulated = planner.points().filter((p) => p.result !== undefined);
  const spec: JobSpec = {
    kind: 'run',
    title: `${scenario.name} plan`,
    description: `${targets.map((t) => t.text).join(' and ')}, varying ${params.map((p) => p.path).join(' × ')}`,
    seed: settings.seed,
    replications: settings.replications,
    points: simulated.map((p) => ({ label: label(p.params), raw: null, params: p.params })),
  };
  if (simulated.length === 0) throw new UsageError(`qlab plan: every setting in range is unstable by theory (ρ ≥ 1); nothing to simulate`);
  const report: Report = {
    version: REPORT_VERSION,
    kind: 'plan',
    tool: TOOL,
    title: spec.title,
    description: spec.description,
    runs: simulated.map((p, i) => reportRunOf(spec.points[i]!, p.result!)),
    plan: planSection(outcome, targets, planner.points()),
  };
  emitReport(report, out, values.json === true, formatPlan(outcome, targets, planner.points()));
  return outcome.answer === null ? 1 : 0;
}

function parseParams(vary: string[], valueLists: string[]): { path: string; values?: ParamValue[] }[] {
  if (vary.length > 2) throw new UsageError('--vary: at most two parameters at once');
  if (valueLists.length > vary.length) throw new UsageError('--values: each --values follows its --vary');
  const names = vary.length === 0 ? ['consumers'] : vary;
  return names.map((name, i) => {
    const path = ALIASES[name] ?? name;
    try {
      parsePath(path);
    } catch (error) {
      throw new UsageError(`--vary: ${(error as Error).message}`);
    }
    const text = valueLists[i];
    if (text === undefined) {
      if (path !== ALIASES.consumers || names.length > 1) throw new UsageError(`--vary ${name}: give its --values (only the consumer count alone is searched; other parameters are not monotone, so they are evaluated on a grid)`);
      return { path };
    }
    try {
      return { path, values: parseValues(text) };
    } catch (error) {
      throw new UsageError(`--values: ${(error as Error).message}`);
    }
  });
}

function label(params: Record<string, ParamValue>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Simulates settings once each (memoised), after theory's screening. */
class Planner {
  private readonly evaluated = new Map<string, PlanPoint>();

  constructor(
    private readonly raw: unknown,
    private readonly targets: Target[],
    private readonly settings: ReturnType<typeof runSettings>,
  ) {}

  points(): PlanPoint[] {
    return [...this.evaluated.values()];
  }

  async evaluate(params: Record<string, ParamValue>): Promise<PlanPoint> {
    const key = JSON.stringify(params);
    const known = this.evaluated.get(key);
    if (known !== undefined) return known;
    const pointRaw = Object.entries(params).reduce((r, [path, v]) => setPath(r, path, v), this.raw);
    const spec: JobSpec = { kind: 'run', title: label(params), description: '', seed: this.settings.seed, replications: this.settings.replications, points: [{ label: label(params), raw: pointRaw }] };
    let scenarios: Scenario[];
    try {
      scenarios = scenariosOf(spec);
    } catch (error) {
      throw new UsageError(`--vary ${label(params)}: ${(error as Error).message}`);
    }
    const screened = screenReason(scenarios[0]!);
    let point: PlanPoint;
    if (screened !== undefined) {
      point = screenedPoint(params, screened, this.targets);
    } else {
      const results = await executeTasks(tasksOf(spec, scenarios), this.settings.workers, `plan ${label(params)}`, this.settings.budget);
      point = simulatedPoint(params, reportOf(spec, scenarios, results).results[0]!, this.targets);
    }
    this.evaluated.set(key, point);
    process.stderr.write(`plan: ${label(params)} ${point.screened !== undefined ? 'screened out (ρ ≥ 1), not simulated' : point.meets ? 'meets the targets' : 'misses'}\n`);
    return point;
  }

  async consumers(scenario: Scenario, path: string, maxFlag: number | undefined): Promise<PlanOutcome> {
    const load = loadOf(scenario);
    const others = 'unknown' in load ? 0 : load.consumers - (scenario.consumers.find((c) => c.queue === load.queue)?.count ?? 0);
    const from = 'unknown' in load ? 1 : Math.max(1, fewestStableConsumers(load) - others);
    const theory = 'unknown' in load ? undefined : theoryConsumers(load, this.targets, from + others, (maxFlag ?? 10_000) + others);
    const start = theory === undefined ? from : theory.consumers - others;
    // Without --max the search stays near theory: a target no consumer count can meet (losses to a
    // crash, a fault window's backlog) must not send it simulating hundreds of consumers.
    const max = maxFlag ?? Math.max(2 * start, start + 8);
    const answer = await searchFewest({ from, start, max, meets: async (c) => (await this.evaluate({ [path]: c })).meets });
    // The value just below the answer says why it is the answer: simulate it unless theory screened it.
    if (answer !== null && answer > 1) await this.evaluate({ [path]: answer - 1 });
    return {
      kind: 'search',
      vary: [path],
      answer: answer === null ? null : { [path]: answer },
      below: answer === null || answer <= 1 ? null : { [path]: answer - 1 },
      load: 'unknown' in load ? load.unknown : load,
      theory: theory === undefined ? null : { from, to: start, predicted: theory.predicted },
      max,
      crashes: answer === null ? [] : crashWindows(this.evaluated.get(JSON.stringify({ [path]: answer }))!.result!),
      wallSec: 0,
    };
  }

  async grid(params: { path: string; values: ParamValue[] }[]): Promise<PlanOutcome> {
    const combos = params.reduce<Record<string, ParamValue>[]>((acc, p) => acc.flatMap((c) => p.values.map((v) => ({ ...c, [p.path]: v }))), [{}]);
    for (const combo of combos) await this.evaluate(combo);
    const first = combos.find((c) => this.evaluated.get(JSON.stringify(c))!.meets) ?? null;
    const point = first === null ? undefined : this.evaluated.get(JSON.stringify(first));
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
}
