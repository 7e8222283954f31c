import { describe } from 'vitest';
import { EventLoop } from '../../../sim/kernel/eventLoop.ts';
import { messageStoreConformance, type StoreHarness } from '../store.conformance.ts';
import type { CommitPolicy } from './commitPolicy.ts';
import { MemoryDatabase } from './memoryBackend.ts';
import { databaseHarness, recoverOnDatabase } from './testing.ts';

function harness(durability: 'sync' | 'async', policy: Partial<CommitPolicy>): () => Promise<StoreHarness> {
  return async () => {
    const loop = new EventLoop();
    // Latency grows with the transaction, so group commits and per-publish commits interleave differently.
    const db = new MemoryDatabase(loop, { durability, walWriterDelayMs: 20, commitLatencyMs: (ops) => 0.5 + 0.1 * ops.length });
    // An acknowledged async commit is flushed at the WAL writer's next wake-up, within one delay.
    return databaseHarness(loop, db, () => recoverOnDatabase(loop, db, policy), durability === 'sync' ? 0 : 20);
  };
}

describe('transactional store, in-memory database, commit per publish', () => messageStoreConformance(harness('sync', { commit: 'perPublish' })));
describe('transactional store, in-memory database, group commit', () => messageStoreConformance(harness('sync', { commit: 'group', groupMaxOps: 5, groupMs: 1 })));
describe('transactional store, in-memory database, synchronous_commit off', () => messageStoreConformance(harness('async', { commit: 'group', groupMaxOps: 8, groupMs: 0.5 })));
