import { describe } from 'vitest';
import { EventLoop } from '../../../sim/kernel/eventLoop.ts';
import { txBackendConformance } from '../../adapters/postgres/backendConformance.ts';
import { MemoryDatabase } from './memoryBackend.ts';
import { loopDriven } from './testing.ts';

/** The backend contract PostgresBackend passes (engine/adapters/postgres/backendConformance.ts), on the in-memory database. */
for (const durability of ['sync', 'async'] as const) {
  describe(`the in-memory database as a TxBackend (${durability} commit)`, () =>
    txBackendConformance(async () => {
      const loop = new EventLoop();
      const db = new MemoryDatabase(loop, { durability, walWriterDelayMs: 20, commitLatencyMs: (ops) => 0.5 + 0.1 * ops.length });
      return () => loopDriven(loop, db.connect());
    }),
  );
}
