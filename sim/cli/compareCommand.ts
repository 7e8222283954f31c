import { basename } from 'node:path';
import { parseCommandArgs } from './args.ts';
import { duration, interval, num, stateLabel, table } from './format.ts';
import { compareFaultRows } from './formatFaults.ts';
import { checkOutputs, emitReport, executeJob, loadOrUsage, runSettings, SIM_FLAGS, slug, BUDGET_HELP } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab compare <scenario.json> <scenario.json> [...] [--seed N] [--replications R] [--out file] [--json] [--workers N]

Runs several scenarios with the same seeds and shows them side by side — e.g. the reliability
settings: what each costs in throughput and delay, and what each loses under crashes.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('compare', argv, SIM_FLAGS);
  if (values.help) {
    process.stdout.write(HELP + BUDGET_HELP);
    return 0;
  }
  if (positionals.length < 2) throw new UsageError('qlab compare: give at least two scenario files');
  const loaded = positionals.map((file) => ({ file, ...loadOrUsage(file) }));
  const first = loaded[0]!.scenario;
  checkOutputs(values.out);
  const settings = runSettings(values, first);
  const outcome = await executeJob(
    {
      kind: 'compare',
      title: `compare ${loaded.map((l) => l.scenario.name).join(' vs ')}`,
      description: loaded.map((l) => `${l.scenario.name}: ${l.scenario.description}`).join('\n'),
      seed: settings.seed,
      replications: settings.replications,
      points: loaded.map((l) => ({ label: l.scenario.name || basename(l.file), raw: l.raw })),
    },
    { workers: settings.workers, budget: settings.budget, label: 'compare' },
  );
  if (outcome === undefined) return 0;
  const rs = outcome.results;
  const row = (label: string, cell: (i: number) => string) => [label, ...rs.map((_, i) => cell(i))];
  const rows = [
    ['', ...outcome.report.runs.map((r) => r.label)],
    row('state', (i) => stateLabel(rs[i]!)),
    row('throughput /s', (i) => interval(rs[i]!.summary.throughput)),
    row('wait mean', (i) => duration(rs[i]!.summary.wait.mean)),
    row('wait p99', (i) => duration(rs[i]!.summary.wait.p99.mean)),
    row('sojourn p99', (i) => duration(rs[i]!.summary.sojourn.p99.mean)),
    row('published', (i) => num(rs[i]!.accounting.published)),
    row('confirmed', (i) => num(rs[i]!.accounting.confirmed)),
    row('lost (confirmed)', (i) => num(rs[i]!.accounting.lost)),
    row('lost (unconfirmed)', (i) => num(rs[i]!.accounting.lostUnconfirmed)),
    row('duplicated', (i) => num(rs[i]!.accounting.duplicated)),
    row('unavailable', (i) => num(rs[i]!.accounting.unavailable)),
    row('unavailable at end', (i) => num(rs[i]!.accounting.unavailableAtEnd)),
    row('unroutable', (i) => num(rs[i]!.accounting.unroutable)),
    row('crashes', (i) => num(rs[i]!.summary.recovery.crashes)),
    ...compareFaultRows(rs),
  ];
  emitReport(outcome.report, values.out ?? `reports/${slug(outcome.report.title)}.json`, values.json === true, `${table(rows)}\n`);
  return 0;
}
