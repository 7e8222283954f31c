import { describe } from 'vitest';
import { txBackendConformance } from '../../engine/adapters/postgres/backendConformance.ts';
import { loopDriven } from '../../engine/durable/txStore/testing.ts';
import { lognormal } from '../dist/lognormal.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import { simDatabase } from './simDatabase.ts';

/** The backend contract PostgresBackend passes (engine/adapters/postgres/backendConformance.ts), on the simulated database. */
for (const synchronousCommit of ['on', 'off'] as const) {
  describe(`the simulated database as a TxBackend (synchronous_commit ${synchronousCommit})`, () => {
    let seed = 0;
    txBackendConformance(async () => {
      const loop = new EventLoop();
      const db = simDatabase(loop, randomStreams(++seed).stream('db'), {
        synchronousCommit,
        walWriterDelayMs: 20,
        roundTripMs: lognormal(0.2, 0.3),
        walFlushMs: lognormal(1, 0.5),
        perOpMs: 0.01,
        openMs: 1,
        openPerMessageMs: 0.001,
      });
      return () => loopDriven(loop, db.connect());
    });
  });
}
