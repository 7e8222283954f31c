import type { CommittedState } from '../../durable/txStore/backend.ts';
import { PostgresBackend, type PostgresBackendOptions } from './postgresBackend.ts';

/**
 * Opens a broker-side store from a URL: connects, takes the store's lock, creates the schema when
 * absent and reads the committed state. Rejects with a PostgresStoreError naming what failed
 * (unreachable, credentials, database, schema, version), the URL printed without its password:
 * a CLI prints its message and exits 2.
 */
export async function openPostgresBackend(options: PostgresBackendOptions): Promise<{ backend: PostgresBackend; state: CommittedState }> {
  const backend = new PostgresBackend(options);
  const state = await backend.openAsync();
  return { backend, state };
}
