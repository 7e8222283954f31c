import { runTasks } from '../parallel/pool.ts';
import type { ReplicationTask } from '../parallel/task.ts';
import { parseCommandArgs } from './args.ts';
import { Progress } from './progress.ts';
import { loadOrUsage, runSettings } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab soak <scenario.json> [...] [--seeds N] [--seed S] [--workers N]

Runs each scenario once per seed (S, S+1, …, S+N−1; one replication each) and checks every
invariant of every run: no exception, no stale timer, no confirmed message lost where the engine
promises none, nothing delivered that was never published. Prints each failure with the command
that replays it; exits 1 if any run failed. Nothing is written.

  --seeds N    seeds per scenario (default 1000)
  --seed S     first seed (default 1)
  --workers N  replications in parallel (default: the core count)

The documented soak: npm run soak  (every reliability scenario over 1,000 seeds)
`;

/** Runs at most this many replications at a time, so memory stays flat however many seeds. */
const CHUNK = 256;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('soak', argv, { seeds: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('qlab soak: give at least one scenario file');
  const loaded = positionals.map((file) => ({ file, ...loadOrUsage(file) }));
  const seeds = runSettings({ replications: values.seeds, seed: values.seed ?? '1', workers: values.workers }, loaded[0]!.scenario);
  const count = values.seeds === undefined ? 1000 : seeds.replications;
  const total = count * loaded.length;
  const progress = new Progress('soak', 'runs');
  const startedMs = performance.now();
  let done = 0;
  let failed = 0;
  const lines: string[] = [];
  for (const { file, scenario } of loaded) {
    let failures = 0;
    for (let from = 0; from < count; from += CHUNK) {
      const tasks: ReplicationTask[] = [];
      for (let i = from; i < Math.min(count, from + CHUNK); i++) tasks.push({ index: i, scenario, seed: seeds.seed + i, records: false, batches: false });
      const base = done;
      await runTasks(
        tasks,
        seeds.workers,
        (d) => progress.update(base + d, total),
        (task, error) => {
          failures++;
          progress.finish();
          process.stderr.write(`FAIL ${file} seed ${task.seed}: ${error.message.slice(0, 500)}\n  replay: qlab run ${file} --seed ${task.seed} --replications 1 --workers 1\n`);
        },
      );
      done += tasks.length;
      if (!process.stderr.isTTY) process.stderr.write(`soak: ${done}/${total} runs, ${failed + failures} failed, ${((performance.now() - startedMs) / 1000).toFixed(0)} s\n`);
    }
    failed += failures;
    const line = `${failures === 0 ? 'ok  ' : 'FAIL'} ${file}: ${count} seeds (${seeds.seed}…${seeds.seed + count - 1}), ${failures} failed`;
    lines.push(line);
    progress.finish();
    process.stderr.write(`${line}\n`);
  }
  progress.finish();
  const seconds = (performance.now() - startedMs) / 1000;
  process.stdout.write(`${lines.join('\n')}\nsoak: ${done} runs, ${failed} failed, ${seconds.toFixed(0)} s\n`);
  return failed > 0 ? 1 : 0;
}
