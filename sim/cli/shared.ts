import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultWorkers, runTasks } from '../parallel/pool.ts';
import type { ReplicationTask } from '../parallel/task.ts';
import { numberFlag } from './args.ts';
import { reportOf, scenariosOf, shardTasks, SpecError, tasksOf, TOOL, type JobSpec } from '../report/jobs.ts';
import type { Report } from '../report/schema.ts';
import { checkWritable, OutputError, writeFileAtomic, writeJsonAtomic } from '../report/write.ts';
import type { ReplicationResult, MessageRecords } from '../run/replication.ts';
import type { RunResult } from '../run/simulate.ts';
import { loadScenario } from '../scenario/load.ts';
import { formatWarnings, scenarioWarnings } from '../scenario/warnings.ts';
import type { Scenario } from '../scenario/schema.ts';
import { checkBudget, DEFAULT_MAX_MESSAGES, type Budget } from './estimate.ts';
import { Progress } from './progress.ts';
import { UsageError } from './usageError.ts';

/** Help lines for the flags every simulating command takes for its work budget. */
export const BUDGET_HELP = `
Before simulating, the work is estimated (messages ≈ Σ producer count × rate × durationSec ×
replications) and refused (exit 2) above 100,000,000 messages. Progress, even inside one long
replication, goes to stderr.
  --max-messages N   raise (or lower) that budget
  --force            run whatever the estimate
`;

const DEFAULT_BUDGET: Budget = { maxMessages: DEFAULT_MAX_MESSAGES, force: false };

/** Flags every simulation command takes. */
export const SIM_FLAGS = {
  'max-messages': { type: 'string' },
  force: { type: 'boolean' },
  seed: { type: 'string' },
  replications: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function loadOrUsage(file: string): { scenario: Scenario; raw: unknown } {
  const loaded = loadScenario(file);
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
  process.stderr.write(formatWarnings(file, scenarioWarnings(loaded.scenario, loaded.raw)));
  return { scenario: loaded.scenario, raw: loaded.raw };
}

export function runSettings(values: { seed?: string; replications?: string; workers?: string; 'max-messages'?: string; force?: boolean }, scenario: Scenario) {
  return {
    budget: { maxMessages: numberFlag('max-messages', values['max-messages'], { min: 0 }) ?? DEFAULT_MAX_MESSAGES, force: values.force === true } satisfies Budget,
    seed: numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? scenario.seed,
    replications: numberFlag('replications', values.replications, { integer: true, min: 1 }) ?? scenario.replications,
    workers: numberFlag('workers', values.workers, { integer: true, min: 1 }) ?? defaultWorkers(),
  };
}

export function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index < count)) throw new UsageError(`--shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '${text}'`);
  return { index, count };
}

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'scenario';
}

/** Runs a job's tasks (all of them, or one shard's) with progress on stderr. */
export async function executeTasks(tasks: ReplicationTask[], workers: number, label: string, budget: Budget = DEFAULT_BUDGET): Promise<ReplicationResult[]> {
  checkBudget(label, tasks, budget);
  const progress = new Progress(label, 'replications');
  const position = new Map(tasks.map((t, i) => [t.index, i + 1]));
  try {
    return await runTasks(
      tasks,
      workers,
      (done, total) => progress.update(done, total),
      undefined,
      ({ index, progress: p }) => progress.inside(position.get(index) ?? 0, tasks.length, p.simulatedMs, p.durationMs, p.messages),
    );
  } finally {
    progress.finish();
  }
}

export interface JobOutcome {
  report: Report;
  results: RunResult[];
  records: MessageRecords | undefined;
}

/** Runs a whole job and builds its report; a shard instead writes its part and returns undefined. */
export async function executeJob(
  spec: JobSpec,
  options: { workers: number; shard?: { index: number; count: number }; out?: string; records?: boolean; label: string; budget?: Budget },
): Promise<JobOutcome | undefined> {
  let scenarios: Scenario[];
  try {
    scenarios = scenariosOf(spec);
  } catch (error) {
    if (error instanceof SpecError) throw new UsageError(error.message);
    throw error;
  }
  const all = tasksOf(spec, scenarios, { records: options.records === true });
  if (options.shard !== undefined) {
    const mine = shardTasks(all, options.shard.index, options.shard.count);
    const results = await executeTasks(mine, options.workers, options.label, options.budget);
    const part: ShardFile = {
      version: 1,
      kind: 'shard',
      tool: TOOL,
      spec,
      shard: options.shard,
      taskCount: all.length,
      results: mine.map((t, i) => ({ index: t.index, result: results[i]! })),
    };
    const out = options.out ?? `reports/${slug(spec.title)}.shard-${options.shard.index}-of-${options.shard.count}.json`;
    writeOrUsage(() => writeJsonAtomic(out, part));
    process.stderr.write(`shard ${options.shard.index}/${options.shard.count}: ${mine.length} of ${all.length} replications → ${out} (combine the parts with qlab merge)\n`);
    return undefined;
  }
  const results = await executeTasks(all, options.workers, options.label, options.budget);
  const built = reportOf(spec, scenarios, results);
  return { report: built.report, results: built.results, records: results[0]?.records };
}

/** What `--shard` writes: the raw results of its tasks, to be merged. */
export interface ShardFile {
  version: 1;
  kind: 'shard';
  tool: typeof TOOL;
  spec: JobSpec;
  shard: { index: number; count: number };
  taskCount: number;
  results: { index: number; result: ReplicationResult }[];
}

export const ShardFileSchema = z.object({
  version: z.literal(1),
  kind: z.literal('shard'),
  tool: z.object({ name: z.literal('queuelab'), version: z.string() }),
  spec: z.object({ kind: z.enum(['run', 'sweep', 'compare']), title: z.string(), seed: z.number(), replications: z.number(), points: z.array(z.unknown()) }).passthrough(),
  shard: z.object({ index: z.number(), count: z.number() }),
  taskCount: z.number(),
  results: z.array(z.object({ index: z.number(), result: z.unknown() })),
});

export function readShard(file: string): ShardFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot read it`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not JSON`);
  }
  const parsed = ShardFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: not a qlab shard file (${parsed.error.issues[0]!.path.join('.') || 'root'}: ${parsed.error.issues[0]!.message})`);
  return parsed.data as unknown as ShardFile;
}

/** Checks every output path up front, so a bad one fails before minutes of simulation, not after. */
export function checkOutputs(...paths: (string | undefined)[]): void {
  for (const path of paths) if (path !== undefined) writeOrUsage(() => checkWritable(path));
}

export function writeOrUsage(write: () => void): void {
  try {
    write();
  } catch (error) {
    if (error instanceof OutputError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes the report (atomically) and prints it as JSON or says where it went. */
export function emitReport(report: Report, out: string, json: boolean, text: string): void {
  writeOrUsage(() => writeJsonAtomic(out, report));
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${text}report: ${out}\n`);
}

export function recordsCsv(records: MessageRecords): string {
  const header = 'message,queue,priority,arrivalMs,firstDeliveryMs,serviceStartMs,endMs,deliveries,outcome';
  const cell = (v: string | number | null) => (v === null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  const lines = records.message.map((_, i) =>
    [records.message[i]!, records.queue[i]!, records.priority[i]!, records.arrivalMs[i]!, records.firstDeliveryMs[i]!, records.serviceStartMs[i]!, records.endMs[i]!, records.deliveries[i]!, records.outcome[i]!].map(cell).join(','),
  );
  return `${header}\n${lines.join('\n')}\n`;
}

export function writeRecords(file: string, records: MessageRecords | undefined): void {
  if (records === undefined) return;
  writeOrUsage(() => writeFileAtomic(file, recordsCsv(records)));
}
