import { Broker } from '../../broker.ts';
import type { CommitPolicy } from '../../durable/txStore/commitPolicy.ts';
import { CryptoRandom } from '../cryptoRandom.ts';
import { RealClock } from '../realClock.ts';
import { PostgresBackend, type PostgresBackendOptions } from './postgresBackend.ts';

/**
 * A real-time broker persisting in PostgreSQL: the transactional store (commit per publish or in
 * groups) over a PostgresBackend, recovered from what the store holds. Rejects with recovery's
 * error (a PostgresStoreError naming what failed when the store cannot be opened).
 */
export function recoverBrokerOnPostgres(options: PostgresBackendOptions & Partial<CommitPolicy>): Promise<Broker> {
  const { commit, groupMaxOps, groupMs, ...store } = options;
  const policy = { ...(commit === undefined ? {} : { commit }), ...(groupMaxOps === undefined ? {} : { groupMaxOps }), ...(groupMs === undefined ? {} : { groupMs }) };
  const backend = new PostgresBackend(store);
  return new Promise((resolve, reject) =>
    Broker.recover({ ...policy, backend, clock: new RealClock(), random: new CryptoRandom() }, (error, broker) => (error || broker === null ? reject(error) : resolve(broker))),
  );
}
