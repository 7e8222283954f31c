import { parseValues, parsePath, type ParamValue } from '../report/params.ts';
import { sweepPoints } from '../report/jobs.ts';
import { parseCommandArgs } from './args.ts';
import { duration, num, stateLabel, table } from './format.ts';
import { checkOutputs, emitReport, executeJob, loadOrUsage, parseShard, runSettings, SIM_FLAGS, slug, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab sweep <scenario.json> --param path=v1,v2,... | path=from:to:step [--param ...]
           [--seed N] [--replications R] [--out file] [--json] [--workers N] [--shard i/N]

Runs the scenario at every combination of the parameters' values (a grid) and writes one report
holding the series. Paths name scenario fields: consumers[0].count, producers[0].arrivals.ratePerSec,
broker.durability.fsync. Every point uses the same seeds (common random numbers).

  qlab sweep scenarios/teaching/utilization-sweep.json --param producers[0].arrivals.ratePerSec=0.1:0.95:0.05
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('sweep', argv, { ...SIM_FLAGS, param: { type: 'string', multiple: true }, shard: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`qlab sweep: give exactly one scenario file (got ${positionals.length})`);
  if (values.param === undefined || values.param.length === 0) throw new UsageError('qlab sweep: give at least one --param path=values');
  const params = values.param.map(parseParam);
  const { scenario, raw } = loadOrUsage(positionals[0]!);
  checkOutputs(values.out ?? `reports/${slug(scenario.name)}-sweep.json`);
  const settings = runSettings(values, scenario);
  const outcome = await executeJob(
    {
      kind: 'sweep',
      title: `${scenario.name} sweep`,
      description: scenario.description,
      seed: settings.seed,
      replications: settings.replications,
      points: sweepPoints(raw, params),
      sweep: { params },
    },
    { workers: settings.workers, budget: settings.budget, shard: parseShard(values.shard), out: values.out, label: `${scenario.name} sweep` },
  );
  if (outcome === undefined) return 0;
  const rows = [[...params.map((p) => p.path), 'throughput /s', 'wait mean', 'wait p99', 'Lq', 'utilization', 'theory Wq', 'verdict Wq', 'family', 'state']];
  outcome.report.runs.forEach((point, i) => {
    const r = outcome.results[i]!;
    rows.push([
      ...params.map((p) => String(point.params?.[p.path])),
      num(r.summary.throughput.mean),
      duration(r.summary.wait.mean),
      duration(r.summary.wait.p99.mean),
      num(r.summary.queueLength.mean),
      r.summary.utilization.mean === null ? '—' : `${num(r.summary.utilization.mean * 100, 3)} %`,
      r.theory ? duration(r.theory.values.Wq) : '—',
      r.theory?.verdict.Wq ?? '',
      r.theory?.family.verdict ?? '',
      stateLabel(r),
    ]);
  });
  emitReport(outcome.report, values.out ?? `reports/${slug(scenario.name)}-sweep.json`, values.json === true, `${scenario.name}: ${outcome.report.runs.length} points\n${table(rows)}\n`);
  return 0;
}

function parseParam(text: string): { path: string; values: ParamValue[] } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param must be path=values, got '${text}'`);
  const path = text.slice(0, eq);
  try {
    parsePath(path);
    return { path, values: parseValues(text.slice(eq + 1)) };
  } catch (error) {
    throw new UsageError(`--param ${path}: ${(error as Error).message}`);
  }
}
