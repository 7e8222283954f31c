import { describe } from 'vitest';
import { messageStoreConformance, type StoreHarness } from '../../durable/store.conformance.ts';
import type { CommitPolicy } from '../../durable/txStore/commitPolicy.ts';
import type { CommitDurability } from '../../durable/txStore/backend.ts';
import { RealClock } from '../realClock.ts';
import { connectPostgres } from './connection.ts';
import { recoverBrokerOnPostgres } from './brokerOnPostgres.ts';
import { postgresTestsCanRun, useTestCluster } from './postgresTestGate.ts';
import type { TestCluster } from './testCluster.ts';

/**
 * The store contract (engine/durable/store.conformance.ts) on a real PostgreSQL: the same suite the
 * file log, the in-memory database and the simulated database pass, here through Broker.recover on
 * a TransactionalStore over PostgresBackend, in real time. A broker crash is kill() (the backend
 * cuts its socket); a store crash is `pg_ctl stop -m immediate` and a restart.
 */
const RUN = postgresTestsCanRun('the store conformance suite on PostgreSQL');
const WAL_WRITER_DELAY_MS = 50;
const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function harness(cluster: TestCluster, durability: CommitDurability, policy: Partial<CommitPolicy>): () => Promise<StoreHarness> {
  let stores = 0;
  const tag = `${durability}_${policy.commit ?? 'perPublish'}`.toLowerCase();
  return async () => {
    // A fresh schema per harness: a new empty store on the same cluster.
    const schema = `conf_${tag}_${++stores}`;
    const admin = await connectPostgres(cluster.url);
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const clock = new RealClock();
    return {
      open: () => recoverBrokerOnPostgres({ ...policy, url: cluster.url, schema, durability }),
      // Real time: an event is about a tenth of a millisecond of the server's work.
      advance: (events) => sleepMs(Math.ceil(events / 4)),
      settle: async () => {
        await new Promise<void>((resolve) => setTimeout(resolve, 300));
      },
      crashBroker: async (broker) => broker.kill(),
      crashStore: async (broker) => {
        await cluster.stop('immediate');
        broker.kill();
        await cluster.start();
      },
      // PostgreSQL flushes an asynchronous commit within three wal_writer_delay periods.
      storeCrashLossWindowMs: durability === 'sync' ? 0 : 3 * WAL_WRITER_DELAY_MS,
      now: () => clock.now(),
    };
  };
}

describe.runIf(RUN)('the store conformance suite on PostgreSQL', () => {
  const cluster = useTestCluster({ settings: { wal_writer_delay: `'${WAL_WRITER_DELAY_MS}ms'` } });
  const options = { runs: 10 };
  describe('synchronous commit, per publish', () => messageStoreConformance(harness(cluster, 'sync', { commit: 'perPublish' }), options));
  describe('synchronous commit, group commit', () => messageStoreConformance(harness(cluster, 'sync', { commit: 'group', groupMaxOps: 5, groupMs: 1 }), options));
  describe('synchronous_commit off, per publish', () => messageStoreConformance(harness(cluster, 'async', { commit: 'perPublish' }), options));
  describe('synchronous_commit off, group commit', () => messageStoreConformance(harness(cluster, 'async', { commit: 'group', groupMaxOps: 8, groupMs: 0.5 }), options));
});
