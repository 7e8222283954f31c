import type { FaultEvent } from '../faults/faultLog.ts';
import { runReplication, type ReplicationProgress, type ReplicationResult } from '../run/replication.ts';
import type { Scenario } from '../scenario/schema.ts';

/** One replication to run: what a worker thread receives (plain data, structured-cloneable). */
export interface ReplicationTask {
  index: number;
  scenario: Scenario;
  seed: number;
  records: boolean;
  batches: boolean;
}

export type TaskOutcome =
  | { index: number; result: ReplicationResult }
  | { index: number; error: { name: string; message: string; invariant?: string; seed?: number; atMs?: number; faultSchedule?: FaultEvent[] } };

/** A running task's progress, as a worker posts it. */
export interface TaskProgress {
  index: number;
  progress: ReplicationProgress;
}

export function runTask(task: ReplicationTask, onProgress?: (progress: ReplicationProgress) => void): TaskOutcome {
  try {
    return { index: task.index, result: runReplication(task.scenario, task.seed, { records: task.records, batches: task.batches, ...(onProgress ? { onProgress } : {}) }) };
  } catch (error) {
    const e = error as Error & { invariant?: string; seed?: number; atMs?: number; faultSchedule?: FaultEvent[] };
    return { index: task.index, error: { name: e.name, message: e.message, invariant: e.invariant, seed: e.seed, atMs: e.atMs, faultSchedule: e.faultSchedule } };
  }
}
