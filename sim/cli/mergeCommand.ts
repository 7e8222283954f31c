import { reportOf, scenariosOf, type JobSpec } from '../report/jobs.ts';
import type { ReplicationResult } from '../run/replication.ts';
import { parseCommandArgs } from './args.ts';
import { emitReport, readShard, slug } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab merge <part.json> [...] [--out file] [--json]

Combines the parts written by \`--shard i/N\` (from any number of machines, in any order) into the
very report one machine would have written.
`;

export function run(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('merge', argv, { out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('qlab merge: give the shard files to merge');
  const parts = positionals.map((file) => ({ file, part: readShard(file) }));
  const spec = parts[0]!.part.spec;
  const specText = JSON.stringify(spec);
  const results: (ReplicationResult | undefined)[] = new Array(parts[0]!.part.taskCount);
  for (const { file, part } of parts) {
    if (JSON.stringify(part.spec) !== specText || part.taskCount !== results.length) throw new UsageError(`${file}: a shard of a different job than ${parts[0]!.file}`);
    for (const { index, result } of part.results) {
      if (index < 0 || index >= results.length) throw new UsageError(`${file}: task ${index} is out of range`);
      if (results[index] !== undefined) throw new UsageError(`${file}: task ${index} appears in more than one part`);
      results[index] = result;
    }
  }
  const missing = results.findIndex((r) => r === undefined);
  if (missing >= 0) throw new UsageError(`task ${missing} is in none of the parts: a shard is missing`);
  const { report } = reportOf(spec as JobSpec, scenariosOf(spec as JobSpec), results as ReplicationResult[]);
  emitReport(report, values.out ?? `reports/${slug(spec.title)}.json`, values.json === true, `merged ${parts.length} parts, ${results.length} replications\n`);
  return 0;
}
