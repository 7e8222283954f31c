import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReplicationResult } from '../run/replication.ts';
import { SimulationInvariantError } from '../run/invariantError.ts';
import { runTask, type ReplicationTask, type TaskOutcome, type TaskProgress } from './task.ts';

const WORKER = fileURLToPath(new URL('../../bin/qlab-worker.js', import.meta.url));

export function defaultWorkers(): number {
  return availableParallelism();
}

/** A failed replication: a broken invariant keeps its name, so the CLI can tell it from a crash. */
export class TaskError extends Error {
  constructor(
    readonly taskName: string,
    message: string,
  ) {
    super(message);
    this.name = taskName === 'SimulationInvariantError' ? 'SimulationInvariantError' : 'TaskError';
  }
}

/**
 * Runs replication tasks, in this thread (workers ≤ 1, or a single task) or spread over worker
 * threads. Each replication depends only on its scenario and seed, and results are put back in task
 * order, so the outcome is identical whatever the number of workers.
 */
export async function runTasks(
  tasks: ReplicationTask[],
  workers: number,
  onDone?: (done: number, total: number) => void,
  /** Given, a failed task is reported here and the others go on (soak); its result stays undefined. */
  onFailure?: (task: ReplicationTask, error: Error) => void,
  /** Where a running replication is (about twice a second), for progress inside long ones. */
  onProgress?: (progress: TaskProgress) => void,
): Promise<ReplicationResult[]> {
  const results: ReplicationResult[] = new Array(tasks.length);
  let done = 0;
  const accept = (outcome: TaskOutcome) => {
    if ('error' in outcome) {
      const e = outcome.error;
      const error = e.name === 'SimulationInvariantError' ? new SimulationInvariantError(e.invariant!, e.seed!, e.atMs!) : new TaskError(e.name, e.message);
      if (e.faultSchedule !== undefined) Object.assign(error, { faultSchedule: e.faultSchedule, seed: e.seed }); // for the replay file
      if (onFailure === undefined) throw error;
      onFailure(tasks.find((t) => t.index === outcome.index)!, error);
      onDone?.(++done, tasks.length);
      return;
    }
    results[tasks.findIndex((t) => t.index === outcome.index)] = outcome.result;
    onDone?.(++done, tasks.length);
  };
  const threads = Math.min(workers, tasks.length);
  if (threads <= 1) {
    for (const task of tasks) {
      let last = performance.now();
      const report = (progress: TaskProgress['progress']) => {
        if (performance.now() - last < 500) return;
        last = performance.now();
        onProgress?.({ index: task.index, progress });
      };
      accept(runTask(task, onProgress ? report : undefined));
      await new Promise<void>((resolve) => setImmediate(resolve)); // let progress reach the terminal
    }
    return results;
  }
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let failed = false;
    const pool: Worker[] = [];
    const stopAll = () => pool.forEach((w) => void w.terminate());
    const feed = (worker: Worker) => {
      if (next < tasks.length) worker.postMessage(tasks[next++]);
      else worker.postMessage(null);
    };
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER);
      pool.push(worker);
      worker.on('message', (outcome: TaskOutcome | TaskProgress) => {
        if (failed) return;
        if ('progress' in outcome) return onProgress?.(outcome);
        try {
          accept(outcome);
        } catch (error) {
          failed = true;
          stopAll();
          return reject(error);
        }
        if (++finished === tasks.length) {
          stopAll();
          return resolve();
        }
        feed(worker);
      });
      worker.on('error', (error) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(error);
      });
      feed(worker);
    }
  });
  return results;
}
