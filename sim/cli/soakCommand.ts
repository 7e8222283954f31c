import { WorkerPool } from '../parallel/pool.ts';
import type { ReplicationTask } from '../parallel/task.ts';
import { parseCommandArgs } from './args.ts';
import { checkBudget } from './estimate.ts';
import { num } from './format.ts';
import { loadOrUsage, runSettings } from './shared.ts';
import { SoakProgress } from './soakProgress.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab soak <scenario.json> [...] [--seeds N] [--seed S] [--workers N] [--max-messages N] [--force]

Runs each scenario once per seed (S, S+1, …, S+N−1; one replication each) and checks every
invariant of every run: no exception, no stale timer, no confirmed message lost where the engine
promises none, nothing delivered that was never published, and the end-of-run loss judgement.
The after-run statistics (intervals, percentiles, series) are skipped: a soak only judges.
Prints each failure with the command that replays it; exits 1 if any run failed. Nothing is
written. Before starting, the work is estimated (messages ≈ Σ rate × durationSec × seeds) and
refused above the budget (100,000,000 messages) unless --force; progress goes to stderr.

  --seeds N         seeds per scenario (default 1000)
  --seed S          first seed (default 1)
  --workers N       runs in parallel (default: the core count); the threads stay up for the whole soak
  --max-messages N  the work budget
  --force           run whatever the estimate

The documented soak: npm run soak  (every reliability scenario over 1,000 seeds)
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('soak', argv, {
    seeds: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    'max-messages': { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('qlab soak: give at least one scenario file');
  const loaded = positionals.map((file) => ({ file, ...loadOrUsage(file) }));
  const settings = runSettings({ ...values, replications: values.seeds ?? '1000', seed: values.seed ?? '1' }, loaded[0]!.scenario);
  const count = settings.replications;
  const first = settings.seed;
  // All runs of all scenarios as one stream of tasks, so no thread idles at a scenario's end.
  const tasks: ReplicationTask[] = loaded.flatMap(({ scenario }, s) =>
    Array.from({ length: count }, (_, i) => ({ index: s * count + i, scenario, seed: first + i, records: false, batches: false, checkOnly: true })),
  );
  const estimate = checkBudget('qlab soak', tasks, settings.budget);
  const progress = new SoakProgress(tasks.length);
  progress.start(`soak: ${loaded.length} scenario${loaded.length === 1 ? '' : 's'} × ${count} seeds (${first}…${first + count - 1}) = ${num(tasks.length)} runs, about ${num(Math.round(estimate.messages))} messages, ${settings.workers} worker${settings.workers === 1 ? '' : 's'}`);

  const failures = new Array<number>(loaded.length).fill(0);
  const remaining = new Array<number>(loaded.length).fill(count);
  const lines: string[] = [];
  let lastDoneMs = performance.now();
  const scenarioFinished = (s: number) => {
    const now = performance.now();
    const line = `${failures[s] === 0 ? 'ok  ' : 'FAIL'} ${loaded[s]!.file}: ${count} seeds (${first}…${first + count - 1}), ${failures[s]} failed, ${((now - lastDoneMs) / 1000).toFixed(0)} s`;
    lastDoneMs = now;
    lines.push(line);
    progress.line(line);
  };
  const pool = new WorkerPool(settings.workers);
  try {
    await pool.run(tasks, {
      onSettled: (task, error) => {
        const s = Math.floor(task.index / count);
        if (error !== undefined) {
          failures[s]!++;
          progress.line(`FAIL ${loaded[s]!.file} seed ${task.seed}: ${error.message.slice(0, 500)}\n  replay: qlab run ${loaded[s]!.file} --seed ${task.seed} --replications 1 --workers 1`);
        }
        progress.update(error !== undefined);
        if (--remaining[s]! === 0) scenarioFinished(s);
      },
    });
  } finally {
    await pool.close();
    progress.finish();
  }
  const failed = failures.reduce((a, b) => a + b, 0);
  process.stdout.write(`${lines.join('\n')}\nsoak: ${tasks.length} runs, ${failed} failed, ${progress.elapsedSec().toFixed(0)} s\n`);
  return failed > 0 ? 1 : 0;
}
