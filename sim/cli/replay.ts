import { dirname, join } from 'node:path';
import { readReplay, replayOf, scheduleDifference } from '../faults/replayFile.ts';
import type { FaultEvent } from '../faults/faultLog.ts';
import { writeJsonAtomic } from '../report/write.ts';
import { runReplication, type ReplicationResult } from '../run/replication.ts';
import { summarizeRuns } from '../run/simulate.ts';
import { parseScenario } from '../scenario/load.ts';
import { formatRun } from './format.ts';
import { slug } from './shared.ts';
import { UsageError } from './usageError.ts';

/**
 * After a failed replication: writes a replay file beside the report (the scenario with the exact
 * fault schedule, the seed) and says how to rerun and shrink it. Never hides the original error: a
 * file that cannot be written is only mentioned.
 */
export function writeReplayOnFailure(error: unknown, raw: unknown, name: string, reportPath: string): string | undefined {
  const e = error as { seed?: unknown; faultSchedule?: FaultEvent[]; invariant?: string; message?: string };
  if (typeof e?.seed !== 'number' || e.faultSchedule === undefined) return undefined;
  const path = join(dirname(reportPath), `${slug(name)}.seed-${e.seed}.replay.json`);
  try {
    writeJsonAtomic(path, replayOf(raw, e.seed, e.faultSchedule, e.invariant ?? e.message));
    process.stderr.write(`replay file: ${path} (exact fault schedule, ${e.faultSchedule.length} events)\n  rerun it:  qlab run --replay ${path}\n  shrink it: qlab shrink ${path}\n`);
    return path;
  } catch (writeError) {
    process.stderr.write(`(could not write the replay file ${path}: ${(writeError as Error).message})\n`);
    return undefined;
  }
}

/**
 * `qlab run --replay <file>`: reruns the one replication a replay file holds, in this thread, checks
 * it met exactly the recorded fault schedule, and says whether the recorded failure reproduced.
 * Exit 1 if it failed (as recorded) or if the schedule differs; 0 if it ran clean and none was recorded.
 */
export function runReplay(file: string, json: boolean): number {
  const read = readReplay(file);
  if (!read.ok) throw new UsageError(read.error);
  const { replay } = read;
  const loaded = parseScenario(replay.scenario, `${file}: scenario`);
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
  let result: ReplicationResult | undefined;
  let failure: string | undefined;
  let schedule: FaultEvent[];
  try {
    result = runReplication(loaded.scenario, replay.seed, { batches: true });
    schedule = result.faults?.schedule ?? [];
  } catch (error) {
    const e = error as Error & { invariant?: string; faultSchedule?: FaultEvent[] };
    failure = `${e.name}: ${e.invariant ?? e.message.split('\n')[0]}`;
    schedule = e.faultSchedule ?? [];
  }
  const difference = scheduleDifference(replay.faultSchedule, schedule);
  process.stderr.write(difference === undefined ? `replay: same fault schedule as recorded (${schedule.length} events)\n` : `replay: the fault schedule differs from the recording — ${difference}\n`);
  if (result === undefined) {
    process.stderr.write(`replay: ${replay.failure !== undefined ? 'the recorded failure reproduces' : 'it fails'}: ${failure}\n`);
    return 1;
  }
  const summary = summarizeRuns(loaded.scenario, [result]);
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(formatRun(summary, `${loaded.scenario.name} — replay of seed ${replay.seed}`));
  if (replay.failure !== undefined) process.stderr.write(`replay: the recorded failure did not reproduce (${replay.failure})\n`);
  return difference !== undefined || replay.failure !== undefined ? 1 : 0;
}
