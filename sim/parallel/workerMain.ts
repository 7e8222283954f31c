import { parentPort } from 'node:worker_threads';
import { runTask, type ReplicationTask } from './task.ts';

parentPort!.on('message', (task: ReplicationTask | null) => {
  if (task === null) return process.exit(0);
  parentPort!.postMessage(runTask(task));
});
