import { parseCommandArgs } from './args.ts';
import { formatRun } from './format.ts';
import { checkOutputs, emitReport, executeJob, loadOrUsage, parseShard, runSettings, SIM_FLAGS, slug, writeRecords } from './shared.ts';
import { precisionGoal } from '../run/precision.ts';
import { executePrecisionJob, parsePrecision } from './precisionRun.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab run <scenario.json> [--seed N] [--replications R] [--out file] [--json] [--records file.csv]
                              [--workers N] [--shard i/N] [--precision 5%]

Simulates a scenario: the real engine in virtual time, R independent replications (seeds N, N+1, …),
every metric with its 95 % interval, theory and verdict where the scenario is an analysable model.

  --seed N           master seed (default: the scenario's)
  --replications R   (default: the scenario's)
  --out file         report path (default: reports/<scenario name>.json), written atomically
  --json             print the report as JSON on stdout (progress stays on stderr)
  --records file     one CSV row per message of the first replication
  --workers N        replications in parallel on worker threads (default: the core count);
                     the result is identical whatever N
  --shard i/N        run only shard i (0 ≤ i < N) and write a part for qlab merge
  --precision P      add replications (doubling from R, at most the scenario's
                     precision.maxReplications, default 200) until every metric's 95 %
                     half-width is below P of its mean (5% or 0.05); also the scenario's
                     precision field. Not with --shard.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, { ...SIM_FLAGS, records: { type: 'string' }, shard: { type: 'string' }, precision: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`qlab run: give exactly one scenario file (got ${positionals.length})`);
  const file = positionals[0]!;
  const { scenario, raw } = loadOrUsage(file);
  checkOutputs(values.out ?? `reports/${slug(scenario.name)}.json`, values.records);
  const settings = runSettings(values, scenario);
  const shard = parseShard(values.shard);
  const goal = precisionGoal(scenario, parsePrecision(values.precision));
  if (goal !== undefined && shard !== undefined) {
    throw new UsageError('qlab run: --precision (or the scenario\'s precision field) decides how many replications to run from the results so far, so the work cannot be split into shards in advance; run it without --shard');
  }
  const spec = { kind: 'run' as const, title: scenario.name, description: scenario.description, seed: settings.seed, replications: settings.replications, points: [{ label: scenario.name, raw }] };
  const outcome =
    goal !== undefined
      ? await executePrecisionJob(spec, goal, { workers: settings.workers, records: values.records !== undefined, label: scenario.name })
      : await executeJob(spec, { workers: settings.workers, shard, out: values.out, records: values.records !== undefined, label: scenario.name });
  if (outcome === undefined) return 0;
  if (values.records !== undefined) writeRecords(values.records, outcome.records);
  const out = values.out ?? `reports/${slug(scenario.name)}.json`;
  emitReport(outcome.report, out, values.json === true, formatRun(outcome.results[0]!, `${scenario.name}${scenario.description ? ` — ${scenario.description}` : ''}`));
  return 0;
}
