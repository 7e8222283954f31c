import { parseCommandArgs } from './args.ts';
import { formatRun } from './format.ts';
import { checkOutputs, emitReport, executeJob, loadOrUsage, parseShard, runSettings, SIM_FLAGS, slug, writeRecords, BUDGET_HELP } from './shared.ts';
import { runReplay, writeReplayOnFailure } from './replay.ts';
import { precisionGoal } from '../run/precision.ts';
import { executePrecisionJob, parsePrecision } from './precisionRun.ts';
import { UsageError } from './usageError.ts';
import { splitMode } from './modeFlag.ts';

const HELP = `qlab run <scenario.json> [--seed N] [--replications R] [--out file] [--json] [--records file.csv]
                              [--workers N] [--shard i/N] [--precision 5%]
qlab run <scenario.json> --mode real|rabbitmq [...]   (qlab run --mode real --help)
qlab run --replay <file.replay.json> [--json]

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
  --replay file      rerun exactly the one failing replication a replay file holds (written next to
                     the reports when an invariant breaks) and check it met the same fault schedule
  --precision P      add replications (doubling from R, at most the scenario's
                     precision.maxReplications, default 200) until every metric's 95 %
                     half-width is below P of its mean (5% or 0.05); also the scenario's
                     precision field. Not with --shard.
`;

export async function run(argv: string[]): Promise<number> {
  const { mode, rest } = splitMode(argv);
  if (mode !== undefined && mode !== 'sim') return (await import('./realRunCommand.ts')).runRealMode(argv);
  argv = rest;
  const { values, positionals } = parseCommandArgs('run', argv, { ...SIM_FLAGS, records: { type: 'string' }, shard: { type: 'string' }, replay: { type: 'string' }, precision: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (values.replay !== undefined) {
    if (positionals.length > 0) throw new UsageError('qlab run: --replay takes the replay file instead of a scenario');
    const other = (['seed', 'replications', 'out', 'workers', 'shard', 'records'] as const).filter((flag) => values[flag] !== undefined);
    if (other.length > 0) throw new UsageError(`qlab run: --replay reruns exactly the recorded replication; --${other[0]} does not apply`);
    return runReplay(values.replay, values.json === true);
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
  const outcome = await (
    goal !== undefined
      ? executePrecisionJob(spec, goal, { workers: settings.workers, budget: settings.budget, records: values.records !== undefined, label: scenario.name })
      : executeJob(spec, { workers: settings.workers, budget: settings.budget, shard, out: values.out, records: values.records !== undefined, label: scenario.name })
  ).catch((error: unknown) => {
    writeReplayOnFailure(error, raw, scenario.name, values.out ?? `reports/${slug(scenario.name)}.json`);
    throw error;
  });
  if (outcome === undefined) return 0;
  if (values.records !== undefined) writeRecords(values.records, outcome.records);
  const out = values.out ?? `reports/${slug(scenario.name)}.json`;
  emitReport(outcome.report, out, values.json === true, formatRun(outcome.results[0]!, `${scenario.name}${scenario.description ? ` — ${scenario.description}` : ''}`));
  return 0;
}
