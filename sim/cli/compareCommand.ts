import { basename } from 'node:path';
import { parseCommandArgs } from './args.ts';
import { COLUMNS, compareTable, compareTitle, DEFAULT_METRICS, parseMetrics } from './compareTable.ts';
import { checkOutputs, emitReport, executeJob, loadOrUsage, runSettings, SIM_FLAGS, slug, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab compare <scenario.json> <scenario.json> [...] [--seed N] [--replications R] [--out file] [--json] [--workers N]

Runs several scenarios with the same seeds and shows them side by side — e.g. the reliability
settings: what each costs in throughput and delay, and what each loses under crashes. One row per
setting; the columns fit 100 characters (the defaults are dropped from the end when they would not).
  --metrics a,b,…   the columns, from:
${Object.entries(COLUMNS).map(([k, c]) => `                      ${k.padEnd(17)} ${c.about}`).join('\n')}
                    default: ${DEFAULT_METRICS.join(',')}
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('compare', argv, { ...SIM_FLAGS, metrics: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (positionals.length < 2) throw new UsageError('qlab compare: give at least two scenario files');
  const metrics = parseMetrics(values.metrics);
  const loaded = positionals.map((file) => ({ file, ...loadOrUsage(file) }));
  const first = loaded[0]!.scenario;
  checkOutputs(values.out);
  const settings = runSettings(values, first);
  const outcome = await executeJob(
    {
      kind: 'compare',
      title: compareTitle(positionals),
      description: `The same seeds for each: ${loaded.map((l) => l.scenario.name).join(', ')}`,
      seed: settings.seed,
      replications: settings.replications,
      points: loaded.map((l) => ({ label: l.scenario.name || basename(l.file), raw: l.raw })),
    },
    { workers: settings.workers, budget: settings.budget, label: 'compare' },
  );
  if (outcome === undefined) return 0;
  const width = process.stdout.isTTY ? Math.max(60, process.stdout.columns ?? 100) : 100;
  const { text, dropped } = compareTable(outcome.report.runs.map((r) => r.label), outcome.results, metrics, width);
  const note = dropped.length > 0 ? `${wrap(`(${dropped.join(', ')} left out to fit; choose columns with --metrics)`, width)}\n` : '';
  emitReport(outcome.report, values.out ?? `reports/${slug(outcome.report.title)}.json`, values.json === true, `${outcome.report.title}\n${text}\n${note}`);
  return 0;
}

/** Words wrapped to lines of at most `width` characters. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}
