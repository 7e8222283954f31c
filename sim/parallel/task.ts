import type { FaultEvent } from '../faults/faultLog.ts';
import { checkReplication, runReplication, type ReplicationCheck, type ReplicationProgress, type ReplicationResult } from '../run/replication.ts';
import type { Scenario } from '../scenario/schema.ts';

/** One replication to run: what a worker thread receives (plain data, structured-cloneable). */
export interface ReplicationTask {
  index: number;
  scenario: Scenario;
  seed: number;
  records: boolean;
  batches: boolean;
  /** Only simulate and judge it (invariants, end-of-run loss): no after-run statistics (the soak). */
  checkOnly?: boolean;
}

export type TaskOutcome =
  | { index: number; result: ReplicationResult }
  | { index: number; checked: ReplicationCheck }
  | { index: number; error: { name: string; message: string; invariant?: string; seed?: number; atMs?: number; faultSchedule?: FaultEvent[] } };

/** A running task's progress, as a worker posts it. */
export interface TaskProgress {
  index: number;
  progress: ReplicationProgress;
}

export function runTask(task: ReplicationTask, onProgress?: (progress: ReplicationProgress) => void): TaskOutcome {
  try {
    if (task.checkOnly === true) return { index: task.index, checked: checkReplication(task.scenario, task.seed, onProgress) };
    return { index: task.index, result: runReplication(task.scenario, task.seed, { records: task.records, batches: task.batches, ...(onProgress ? { onProgress } : {}) }) };
  } catch (error) {
    const e = error as Error & { invariant?: string; seed?: number; atMs?: number; faultSchedule?: FaultEvent[] };
    return { index: task.index, error: { name: e.name, message: e.message, invariant: e.invariant, seed: e.seed, atMs: e.atMs, faultSchedule: e.faultSchedule } };
  }
}
