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

/** What a caller hears while tasks run. */
export interface TaskCallbacks {
  onDone?: (done: number, total: number) => void;
  /** Given, a failed task is reported here and the others go on (soak); its result stays undefined. */
  onFailure?: (task: ReplicationTask, error: Error) => void;
  /** Where a running replication is (about twice a second), for progress inside long ones. */
  onProgress?: (progress: TaskProgress) => void;
  /** Every task as it ends, with its error if it failed; given, failures go here and the others go on. */
  onSettled?: (task: ReplicationTask, error?: Error) => void;
}

/**
 * Runs replication tasks, in this thread (workers ≤ 1, or a single task) or spread over worker
 * threads. Each replication depends only on its scenario and seed, and results are put back in task
 * order, so the outcome is identical whatever the number of workers.
 */
export async function runTasks(
  tasks: ReplicationTask[],
  workers: number,
  onDone?: TaskCallbacks['onDone'],
  onFailure?: TaskCallbacks['onFailure'],
  onProgress?: TaskCallbacks['onProgress'],
): Promise<ReplicationResult[]> {
  const pool = new WorkerPool(Math.min(workers, tasks.length));
  try {
    return await pool.run(tasks, { onDone, onFailure, onProgress });
  } finally {
    await pool.close();
  }
}

/**
 * Worker threads that stay up across calls to `run`, so a caller with many batches (the soak) pays
 * each thread's start — loading the TypeScript loader and compiling the simulator, about a second
 * each — once, not once per batch. One `run` at a time. With size ≤ 1 tasks run in this thread.
 */
export class WorkerPool {
  private readonly threads: Worker[] = [];
  /** A thread that crashed or was stopped mid-task: the pool is not used again. */
  private broken = false;

  constructor(readonly size: number) {}

  async run(tasks: ReplicationTask[], callbacks: TaskCallbacks = {}): Promise<ReplicationResult[]> {
    if (this.broken) throw new Error('worker pool: used after a failure stopped it');
    const results: ReplicationResult[] = new Array(tasks.length);
    const position = new Map(tasks.map((t, i) => [t.index, i]));
    let done = 0;
    const accept = (outcome: TaskOutcome) => {
      const i = position.get(outcome.index)!;
      if ('error' in outcome) {
        const error = errorOf(outcome.error);
        if (callbacks.onSettled !== undefined) callbacks.onSettled(tasks[i]!, error);
        else if (callbacks.onFailure !== undefined) callbacks.onFailure(tasks[i]!, error);
        else throw error;
      } else {
        if ('result' in outcome) results[i] = outcome.result;
        callbacks.onSettled?.(tasks[i]!);
      }
      callbacks.onDone?.(++done, tasks.length);
    };
    if (this.size <= 1 || tasks.length <= 1) await runHere(tasks, accept, callbacks.onProgress);
    else await this.runOnThreads(tasks, accept, callbacks.onProgress);
    return results;
  }

  /** The threads' ids, in order (a persistent pool keeps them across runs). */
  get threadIds(): number[] {
    return this.threads.map((w) => w.threadId);
  }

  /** Stops the threads (they hold no state between tasks). */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((w) => w.terminate()));
  }

  private thread(i: number): Worker {
    while (this.threads.length <= i) this.threads.push(new Worker(WORKER));
    return this.threads[i]!;
  }

  private runOnThreads(tasks: ReplicationTask[], accept: (outcome: TaskOutcome) => void, onProgress: TaskCallbacks['onProgress']): Promise<void> {
    const count = Math.min(this.size, tasks.length);
    return new Promise<void>((resolve, reject) => {
      let next = 0;
      let finished = 0;
      let failed = false;
      const detach: (() => void)[] = [];
      const end = (error?: unknown) => {
        detach.forEach((off) => off());
        if (error === undefined) return resolve();
        // A thread may still be mid-task: stop them all, and never hand this pool work again.
        this.broken = true;
        void this.close();
        reject(error);
      };
      for (let i = 0; i < count; i++) {
        const worker = this.thread(i);
        const feed = () => {
          if (next < tasks.length) worker.postMessage(tasks[next++]);
        };
        const onMessage = (outcome: TaskOutcome | TaskProgress) => {
          if (failed) return;
          if ('progress' in outcome) return onProgress?.(outcome);
          try {
            accept(outcome);
          } catch (error) {
            failed = true;
            return end(error);
          }
          if (++finished === tasks.length) return end();
          feed();
        };
        const onError = (error: Error) => {
          if (failed) return;
          failed = true;
          end(error);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        detach.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
        });
        feed();
      }
    });
  }
}

async function runHere(tasks: ReplicationTask[], accept: (outcome: TaskOutcome) => void, onProgress: TaskCallbacks['onProgress']): Promise<void> {
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
}

function errorOf(e: Extract<TaskOutcome, { error: unknown }>['error']): Error {
  const error = e.name === 'SimulationInvariantError' ? new SimulationInvariantError(e.invariant!, e.seed!, e.atMs!) : new TaskError(e.name, e.message);
  if (e.faultSchedule !== undefined) Object.assign(error, { faultSchedule: e.faultSchedule, seed: e.seed }); // for the replay file
  return error;
}
