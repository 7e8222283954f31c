import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchCases, type BenchCase, type BenchResult } from '../bench/benchmark.ts';
import { acrossRounds, compareResults, failed, MIN_SAMPLES, type Comparison } from '../bench/compare.ts';
import { deterministicFigures } from '../bench/deterministic.ts';
import { durableBatchBench, inFlightBenches, recoveryBench } from '../bench/durableBench.ts';
import { engineMemoryBench, engineTopicBench } from '../bench/engineBench.ts';
import { kernelBench } from '../bench/kernelBench.ts';
import { readyHeapFigure } from '../bench/memoryBench.ts';
import { freshMm1, simpyPeerFigures } from '../bench/peerBench.ts';
import { consumersBench, queuesBench } from '../bench/scaleBench.ts';
import { simMm1Bench, simMm1DurableBench } from '../bench/simBench.ts';
import { writeJsonAtomic } from '../report/write.ts';
import { parseCommandArgs, numberFlag } from './args.ts';
import { num, table } from './format.ts';
import { checkOutputs, writeOrUsage } from './shared.ts';
import { UsageError } from './usageError.ts';

const HELP = `qlab bench [--quick] [--only name,...] [--json] [--out file]
           [--deterministic [--check file]]
           [--baseline file] [--threshold 10%]
           [--against git-ref] [--rounds N]

Benchmarks with tinybench; each result { name, unit, value, rme, samples } (value a rate: higher is
better; rme the relative margin of error of the mean, %).
  sim.kernel             events/s of the event loop (schedule + pop, ~1,000 pending)
  sim.mm1                engine-in-the-loop M/M/1, simulated messages per wall-clock second
  sim.mm1-durable        the same with SimDisk and fsync batch
  engine.memory          in-memory publish → deliver → ack per second
  engine.topic           routed publishes per second with 10,000 topic bindings
  engine.consumers-N     overloaded queue, N busy consumers (prefetch 1): publish + ack per second
  engine.queues-N        publishes spread over N queues, each with a consumer: msg/s
  engine.ready-heap      idle ready messages per MB of heap with 1 million queued (after a forced
                         GC; the bytes per message are printed too)
  engine.durable-batch   real disk, fsync batch, publish with confirms + ack
  engine.durable-always-N  real disk, fsync always, N = 1, 64, 256 publishes in flight: 1 is one
                         fdatasync per message, more is group commit (publishes written during a
                         sync share the next); mean confirm latency (Little's law) printed
  engine.durable-batch-N   the same with fsync batch (5 ms, or at once when the log is idle)
  engine.recovery        recovery of a log of 1 million ready messages (200,000 with --quick)
  peer.*                 M/M/1 at ρ = 0.8 against SimPy 2.3.1 (Debian python3-simpy, when installed):
                         customers per CPU second warm and for a first run in a fresh process, and
                         the ratios (full runs, or --only peer)
Deterministic figures (events, log bytes, appends and syncs per simulated message) come with every
run; they do not depend on the machine and are compared exactly.

  --quick            shorter runs (CI)
  --only a,b         just these benchmarks (name prefixes)
  --out file         write the results as JSON (a baseline for later)
  --deterministic    only the deterministic figures; --check file compares them exactly with a
                     committed set (sim/bench/deterministic.json), exit 1 on any difference
  --baseline file    compare with earlier results: exit 1 if a deterministic figure changes, or if
                     a rate surely drops by more than --threshold (default 10 %): the whole 95 %
                     interval of its change (from both sides' rme and samples) lies below it.
                     A figure with fewer than ${MIN_SAMPLES} samples on a side is reported
                     too-few-samples and fails nothing
  --against ref      measure git ref (e.g. the merge base) in a temporary worktree and this tree
                     alternately, --rounds times (default 3, at least ${MIN_SAMPLES} for a verdict), and
                     compare the rounds' means by confidence as above (the rounds are the samples):
                     on a noisy shared machine both sides suffer the same noise
`;

function cases(quick: boolean): BenchCase[] {
  return [kernelBench, simMm1Bench, simMm1DurableBench, engineMemoryBench, engineTopicBench, consumersBench(1), consumersBench(1000), queuesBench(1), queuesBench(1000), durableBatchBench, ...inFlightBenches(), recoveryBench(quick ? 200_000 : 1_000_000)];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'bench',
    argv,
    {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      deterministic: { type: 'boolean' },
      check: { type: 'string' },
      baseline: { type: 'string' },
      threshold: { type: 'string' },
      against: { type: 'string' },
      rounds: { type: 'string' },
      'fresh-mm1': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values['fresh-mm1'] !== undefined) {
    process.stdout.write(`${freshMm1(numberFlag('fresh-mm1', values['fresh-mm1'], { integer: true, min: 1 })!)}\n`);
    return 0;
  }
  const threshold = parseThreshold(values.threshold);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const selected = (name: string) => only === undefined || only.some((prefix) => name.startsWith(prefix));
  checkOutputs(values.out);
  const baseline = values.baseline !== undefined ? readResults(values.baseline) : undefined;
  const expected = values.check !== undefined ? readResults(values.check) : undefined;

  if (values.against !== undefined) return against(values.against, numberFlag('rounds', values.rounds, { integer: true, min: 1 }) ?? 3, threshold, values, only);

  let results: BenchResult[] = [];
  if (!values.deterministic) {
    for (const benchCase of cases(values.quick === true).filter((c) => selected(c.name))) {
      process.stderr.write(`bench ${benchCase.name}…\n`);
      const [result] = await runBenchCases([benchCase], { quick: values.quick === true });
      const inFlight = /^engine\.durable-\w+-(\d+)$/.exec(result!.name)?.[1];
      // A closed loop keeps exactly N unconfirmed: mean confirm latency = N / throughput (Little).
      if (inFlight !== undefined) process.stderr.write(`${result!.name}: mean confirm latency ${((Number(inFlight) / result!.value) * 1000).toFixed(2)} ms\n`);
      results.push(result!);
    }
    if (selected('engine.ready-heap')) {
      process.stderr.write('bench engine.ready-heap…\n');
      const heap = readyHeapFigure(values.quick === true ? 200_000 : 1_000_000);
      process.stderr.write(`engine.ready-heap: ${heap.bytesPerMessage.toFixed(1)} bytes of heap per idle ready message\n`);
      results.push(heap);
    }
    // Another program's speed: measured in full runs (or when named), never in the quick CI gate.
    if ((values.quick !== true && only === undefined) || only?.some((prefix) => prefix.startsWith('peer'))) {
      process.stderr.write('bench peer (SimPy 2.3.1)…\n');
      const quickPeer = values.quick === true;
      const peer = simpyPeerFigures(quickPeer ? 100_000 : 1_000_000, quickPeer ? 200_000 : 1_000_000, (line) => process.stderr.write(`${line}\n`));
      if (peer === undefined) process.stderr.write('peer: SimPy 2.3.1 not installed (Debian: apt-get install python3-simpy); no peer ratio\n');
      else results.push(...peer);
    }
  }
  if (values.deterministic || only === undefined) results.push(...deterministicFigures().filter((r) => selected(r.name) || only === undefined));
  results = results.filter((r) => selected(r.name) || values.deterministic);
  if (values.out !== undefined) writeOrUsage(() => writeJsonAtomic(values.out!, results));
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else process.stdout.write(`${formatResults(results)}\n`);

  const reference = expected ?? baseline;
  if (reference === undefined) return 0;
  const rows = compareResults(expected !== undefined ? reference.filter((r) => r.rme === 0) : reference, results, threshold);
  // --check compares exact figures only: no threshold is involved, so none is printed.
  const how = expected !== undefined ? 'exact figures, any difference fails' : `a rate fails when its change's 95 % interval lies below −${Math.round(threshold * 100)} %`;
  process.stdout.write(`\ncompared with ${values.check ?? values.baseline} (${how}):\n${formatComparison(rows)}\n`);
  return failed(rows) ? 1 : 0;
}

/** Interleaved same-job comparison with a git ref checked out in a temporary worktree. */
function against(ref: string, rounds: number, threshold: number, values: { quick?: boolean; json?: boolean }, only: string[] | undefined): number {
  const dir = mkdtempSync(join(tmpdir(), 'qlab-bench-base-'));
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8' });
  const added = git('worktree', 'add', '--detach', dir, ref);
  if (added.status !== 0) throw new UsageError(`--against ${ref}: ${added.stderr.trim().split('\n').pop()}`);
  try {
    const sameDeps = existsSync(join(dir, 'package-lock.json')) && readFileSync(join(dir, 'package-lock.json'), 'utf8') === readFileSync('package-lock.json', 'utf8');
    if (sameDeps) symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
    else if (spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' }).status !== 0) {
      process.stderr.write(`--against ${ref}: could not install its dependencies; nothing to compare\n`);
      return 0;
    }
    const help = spawnSync(process.execPath, [join(dir, 'bin', 'qlab.js'), 'bench', '--help'], { encoding: 'utf8' });
    if (help.status !== 0 || !help.stdout.includes('--json')) {
      process.stderr.write(`--against ${ref}: that version has no comparable qlab bench; nothing to compare\n`);
      return 0;
    }
    const args = ['bench', '--json', ...(values.quick ? ['--quick'] : []), ...(only ? ['--only', only.join(',')] : [])];
    const measure = (root: string, label: string): BenchResult[] | undefined => {
      process.stderr.write(`bench: ${label}…\n`);
      const r = spawnSync(process.execPath, [join(root, 'bin', 'qlab.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: root });
      if (r.status !== 0) {
        process.stderr.write(`bench of ${label} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}\n`);
        return undefined;
      }
      return (JSON.parse(r.stdout.trim().split('\n').pop()!) as BenchResult[]).filter((x) => x.rme !== 0);
    };
    const base: BenchResult[][] = [];
    const current: BenchResult[][] = [];
    for (let round = 1; round <= rounds; round++) {
      const b = measure(dir, `${ref} (round ${round}/${rounds})`);
      // An older version that cannot run this bench is no baseline: say so, and fail nothing.
      if (b === undefined) {
        process.stderr.write(`--against ${ref}: no comparable baseline; nothing compared\n`);
        return 0;
      }
      base.push(b);
      const c = measure(process.cwd(), `working tree (round ${round}/${rounds})`);
      if (c === undefined) throw new Error('the working tree\'s own bench failed');
      current.push(c);
    }
    const rows = compareResults(acrossRounds(base), acrossRounds(current), threshold);
    if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else process.stdout.write(`working tree against ${ref}, means of ${rounds} interleaved rounds each (a rate fails when its change's 95 % interval lies below −${Math.round(threshold * 100)} %):\n${formatComparison(rows)}\n`);
    return failed(rows) ? 1 : 0;
  } finally {
    git('worktree', 'remove', '--force', dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseThreshold(text: string | undefined): number {
  if (text === undefined) return 0.1;
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text.trim());
  if (m === null) throw new UsageError(`--threshold must be a percentage like 10%, got '${text}'`);
  return Number(m[1]) / 100;
}

function readResults(file: string): BenchResult[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UsageError(`${file}: cannot read it as bench results (JSON from qlab bench --out)`);
  }
  if (!Array.isArray(raw) || !raw.every((r) => typeof r?.name === 'string' && typeof r?.value === 'number')) {
    throw new UsageError(`${file}: not bench results (an array of { name, unit, value, rme, samples })`);
  }
  return raw as BenchResult[];
}

function formatResults(results: BenchResult[]): string {
  return table([
    ['benchmark', 'value', 'unit', '± rme', 'samples'],
    ...results.map((r) => [r.name, r.rme === 0 ? String(r.value) : num(r.value), r.unit, r.rme === 0 ? 'exact' : `${r.rme.toFixed(1)} %`, String(r.samples)]),
  ]);
}

function formatComparison(rows: Comparison[]): string {
  return table([
    ['benchmark', 'baseline', 'current', 'change  [95 %]', 'status'],
    ...rows.map((r) => [
      r.name,
      r.baseline === undefined ? '—' : num(r.baseline),
      r.current === undefined ? '—' : num(r.current),
      r.change === undefined ? '' : `${(r.change * 100).toFixed(1)} %${r.ci95 ? `  [${(r.ci95[0] * 100).toFixed(1)}, ${(r.ci95[1] * 100).toFixed(1)}]` : ''}`,
      r.status,
    ]),
  ]);
}
