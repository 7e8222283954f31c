import { performance } from 'node:perf_hooks';
import { reportRunOf, TOOL, type JobSpec } from '../report/jobs.ts';
import { parsePath, parseValues, type ParamValue } from '../report/params.ts';
import { REPORT_VERSION, type Report } from '../report/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { formatPlan, planSection, type PlanOutcome } from '../plan/formatPlan.ts';
import { label, Planner } from '../plan/planner.ts';
import { planConsumers, planGrid } from '../plan/planSearch.ts';
import { QUEUES_PARAM } from '../plan/spreadQueues.ts';
import { parseTarget, TARGET_HELP, TargetError, type Target } from '../plan/targets.ts';
import { parseCommandArgs, numberFlag } from './args.ts';
import { checkOutputs, emitReport, loadOrUsage, runSettings, SIM_FLAGS, slug, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab plan <scenario.json> --target "p99 wait < 200ms" [--target "lost = 0" …]
          [--vary consumers | --vary P --values v1,v2,… [--vary Q --values …]] [--max N]
          [--seed N] [--replications R] [--out file] [--json] [--workers N]

Finds the setting that meets every target, confirmed by simulation. A statistic meets a target only
when its whole 95 % interval does. Settings whose offered load is at or above capacity (ρ ≥ 1) are
screened out by theory and never simulated. For the consumer count (monotone: more consumers never
hurt) the G/G/c approximation (Allen–Cunneen), with the scenario's broker restarts as fluid
backlogs, picks where to start; that value and the one below are simulated together, then a bracket
and a bisection confirm the fewest consumers. A setting whose first replication already misses a
target clearly (its own interval wholly above it) gets no more replications. Other parameters
are evaluated on the grid of --values (one or two parameters; the feasible region is shown). Exit 0: found; 1: nothing in range meets the
targets (the binding ones are named); 2: bad input.

  --target   ${TARGET_HELP}
  --vary     consumers (the default; consumers[0].count), prefetch (consumers[0].prefetch),
             batchMs (broker.durability.batchMs), maxLength (broker.queues[0].maxLength) or any
             field path; with --values for anything but consumers. queues: the work queue
             (consumers[0]'s) split into N copies behind the scenario's exchange, producers'
             routing keys spread evenly over them, each consumer group divided among them
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
  let outcome: PlanOutcome;
  try {
    outcome = params[0]!.values === undefined ? await planConsumers(planner, scenario, params[0]!.path, max) : await planGrid(planner, params as { path: string; values: ParamValue[] }[]);
  } finally {
    await planner.close();
  }
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
    if (path === QUEUES_PARAM) {
      let values: ParamValue[] | undefined;
      try {
        values = valueLists[i] === undefined ? undefined : parseValues(valueLists[i]!);
      } catch (error) {
        throw new UsageError(`--values: ${(error as Error).message}`);
      }
      if (values === undefined || values.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 1)) throw new UsageError('--vary queues: give --values with whole numbers ≥ 1 (e.g. 1,2,4)');
      return { path, values };
    }
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

