import { describe } from 'vitest';
import type { CommitPolicy } from '../../engine/index.ts';
import { databaseHarness, recoverOnDatabase } from '../../engine/durable/txStore/testing.ts';
import { messageStoreConformance, type StoreHarness } from '../../engine/durable/store.conformance.ts';
import { lognormal } from '../dist/lognormal.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import { simDatabase } from './simDatabase.ts';

/** The store contract on the simulated database, with lognormal commit latencies. */
function harness(synchronousCommit: 'on' | 'off', policy: Partial<CommitPolicy>, seed: number): () => Promise<StoreHarness> {
  let run = 0;
  return async () => {
    const loop = new EventLoop();
    const streams = randomStreams(seed + run++);
    const walWriterDelayMs = 20;
    const db = simDatabase(loop, streams.stream('db'), {
      synchronousCommit,
      walWriterDelayMs,
      roundTripMs: lognormal(0.2, 0.3),
      walFlushMs: lognormal(1, 0.5),
      perOpMs: 0.01,
      openMs: 1,
      openPerMessageMs: 0.001,
    });
    const open = () => recoverOnDatabase(loop, db, policy, streams.stream('broker'));
    return databaseHarness(loop, db, open, synchronousCommit === 'on' ? 0 : walWriterDelayMs);
  };
}

describe('transactional store on the simulated database, per publish', () => messageStoreConformance(harness('on', { commit: 'perPublish' }, 100), { runs: 25 }));
describe('transactional store on the simulated database, group commit', () => messageStoreConformance(harness('on', { commit: 'group', groupMaxOps: 6, groupMs: 0.7 }, 200), { runs: 25 }));
describe('transactional store on the simulated database, synchronous_commit off', () => messageStoreConformance(harness('off', { commit: 'group', groupMs: 0.3 }, 300), { runs: 25 }));
