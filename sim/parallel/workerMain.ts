import { parentPort } from 'node:worker_threads';
import { runTask, type ReplicationTask, type TaskProgress } from './task.ts';

parentPort!.on('message', (task: ReplicationTask | null) => {
  if (task === null) return process.exit(0);
  // Progress at most every half second of wall time, so the parent can show it for long replications.
  let last = performance.now();
  const onProgress = (progress: TaskProgress['progress']) => {
    const now = performance.now();
    if (now - last < 500) return;
    last = now;
    parentPort!.postMessage({ index: task.index, progress } satisfies TaskProgress);
  };
  parentPort!.postMessage(runTask(task, onProgress));
});
