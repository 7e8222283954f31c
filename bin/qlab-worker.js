// A worker thread for `qlab --workers N`: runs replication tasks sent by the pool
// (sim/parallel/pool.ts), from the fresh bundle when there is one (bin/compiled.js), else from the
// TypeScript sources through tsx's loader.
import { freshBuild } from './compiled.js';

const built = freshBuild('worker');
if (built !== undefined) await import(built);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../sim/parallel/workerMain.ts');
}
