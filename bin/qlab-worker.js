// A worker thread for `qlab --workers N`: registers the TypeScript loader, then runs replication
// tasks sent by the pool (sim/parallel/pool.ts).
import { register } from 'tsx/esm/api';

register();
await import('../sim/parallel/workerMain.ts');
