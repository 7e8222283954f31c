/**
 * The PostgreSQL message store, for Node programs only (the CLI, real mode, calibration, tests):
 * import it from here, never through engine/index.ts, so the browser bundle and the simulator
 * never load the `pg` client (isolation.test.ts).
 */
export { PostgresBackend, type PostgresBackendOptions } from './postgresBackend.ts';
export { PostgresStoreError, redactUrl, connectPostgres, type PostgresFailure } from './connection.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { openPostgresBackend } from './openBackend.ts';
export { startTestCluster, findPostgresBin, postgresUnavailableReason, type TestCluster } from './testCluster.ts';
// The contract the backend implements, for callers outside engine/ (sim/ may import only public entries).
export type { TxBackend, TxOp, CommittedState, CommitDurability } from '../../durable/txStore/backend.ts';
export { RecordType } from '../../durable/records.ts';
