import { readFileSync } from 'node:fs';
import { judgeReplication } from '../faults/judge.ts';
import { isReplayFile, readReplay } from '../faults/replayFile.ts';
import { shrink, type Size } from '../faults/shrink.ts';
import { parseCommandArgs, numberFlag } from './args.ts';
import { checkOutputs, loadOrUsage, slug, writeOrUsage } from './shared.ts';
import { writeFileAtomic } from '../report/write.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab shrink <scenario.json | file.replay.json> [--seed N] [--max-runs N] [--strict] [--out file]

Reduces a failing replication to a minimal scenario that still fails the same way: the random
fault times are made exact, then faults, fault events, run length, producers and consumers are cut
one at a time, keeping every cut after which the run still fails. Each try is one replication;
progress goes to stderr. The result is a scenario file (exact fault schedule, the seed, one
replication): run it with qlab run.

  --seed N        the failing replication's seed (default: the replay file's, or the scenario's)
  --max-runs N    at most this many replications (default 200)
  --strict        also count as a failure a loss of confirmed messages blamed on an injected
                  fault (a lying or corrupting disk): finds the smallest schedule that loses data
  --out file      where to write it (default: reports/<name>.seed-<N>.shrunk.json)

Exit code 0 with the shrunk scenario written; 1 if the replication does not fail; 2 bad input.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('shrink', argv, {
    seed: { type: 'string' },
    'max-runs': { type: 'string' },
    strict: { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`qlab shrink: give exactly one scenario or replay file (got ${positionals.length})`);
  const file = positionals[0]!;
  const { raw, seed: fileSeed, name } = loadInput(file);
  const seed = numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? fileSeed;
  const maxRuns = numberFlag('max-runs', values['max-runs'], { integer: true, min: 1 }) ?? 200;
  const out = values.out ?? `reports/${slug(name)}.seed-${seed}.shrunk.json`;
  checkOutputs(out);
  const started = performance.now();
  const result = shrink(raw, seed, judgeReplication(values.strict === true), {
    maxRuns,
    onRun: (n, size, failed) =>
      process.stderr.write(`shrink: run ${n}/${maxRuns} (${((performance.now() - started) / 1000).toFixed(1)} s): ${describe(size)} — ${n === 1 ? (failed ? 'fails' : 'does not fail') : failed ? 'still fails' : 'passes'}\n`),
  });
  if ('notFailing' in result) {
    process.stderr.write(`qlab shrink: seed ${seed} of ${file} does not fail${values.strict ? '' : ' (add --strict to count confirmed losses blamed on injected faults)'}: nothing to shrink\n`);
    return 1;
  }
  const { $schema: _schema, ...scenario } = result.scenario;
  writeOrUsage(() => writeFileAtomic(out, `${JSON.stringify({ ...scenario, name: `${String(scenario.name)} (shrunk)` }, null, 2)}\n`));
  process.stdout.write(
    `failure: ${result.failure}\n` +
      `before: ${describe(result.before)}\nafter:  ${describe(result.after)}\n` +
      `${result.runs} replications${result.exhausted ? ' (the --max-runs budget ran out: a smaller one may exist)' : ''}\n` +
      `shrunk scenario: ${out}\n  run it: qlab run ${out}\n`,
  );
  return 0;
}

function describe(size: Size): string {
  return `${size.faultEvents} fault events, ${size.durationSec} s, ${size.producers} producers, ${size.consumers} consumers`;
}

function loadInput(file: string): { raw: unknown; seed: number; name: string } {
  let text: unknown;
  try {
    text = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    text = undefined; // loadOrUsage says precisely what is wrong with it
  }
  if (isReplayFile(text)) {
    const read = readReplay(file);
    if (!read.ok) throw new UsageError(read.error);
    return { raw: read.replay.scenario, seed: read.replay.seed, name: String(read.replay.scenario.name ?? 'scenario') };
  }
  const { scenario, raw } = loadOrUsage(file);
  return { raw, seed: scenario.seed, name: scenario.name };
}
