import { describe, expect, it } from 'vitest';
import { closeBackend, commitOps, declareQueue, deliver, enqueue, message, openBackend, txBackendConformance } from './backendConformance.ts';
import { connectPostgres, PostgresStoreError } from './connection.ts';
import { openPostgresBackend, PostgresBackend, type PostgresBackendOptions } from './index.ts';
import { postgresTestsCanRun, useTestCluster } from './postgresTestGate.ts';

const RUN = postgresTestsCanRun('the PostgreSQL store conformance tests');

describe.runIf(RUN)('PostgresBackend on a throwaway cluster', () => {
  const cluster = useTestCluster();
  let schemas = 0;

  /** A fresh schema per test: a new empty store on the same cluster. */
  async function freshSchema(): Promise<string> {
    const schema = `store_${++schemas}`;
    const admin = await connectPostgres(cluster.url);
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    return schema;
  }
  const storeWith = (extra: Partial<PostgresBackendOptions>) => async () => {
    const schema = await freshSchema();
    return () => new PostgresBackend({ url: cluster.url, schema, ...extra });
  };

  describe('conformance, synchronous commit', () => txBackendConformance(storeWith({ durability: 'sync' })));
  describe('conformance, asynchronous commit', () => txBackendConformance(storeWith({ durability: 'async' })));

  it('a transaction that fails commits nothing, and the backend then refuses every later commit', async () => {
    const schema = await freshSchema();
    const b = new PostgresBackend({ url: cluster.url, schema });
    await openBackend(b);
    await commitOps(b, [declareQueue('q'), enqueue(message(1, 'q'))]);
    // Valid statements first (an insert, the id watermark, a delivery), then one the server refuses.
    const failing = commitOps(b, [enqueue(message(2, 'q')), deliver(1), enqueue(message(3, 'q', { level: 40_000 }))]);
    const after = commitOps(b, [enqueue(message(4, 'q'))]);
    await expect(failing).rejects.toThrow(/commit failed, nothing of it committed.*smallint out of range/);
    await expect(after).rejects.toThrow(/commit failed/);
    await closeBackend(b).catch(() => {});
    const { backend, state } = await openPostgresBackend({ url: cluster.url, schema });
    expect(state.messages).toEqual([message(1, 'q')]);
    expect(state.nextLogId).toBe(2);
    await closeBackend(backend);
  }, 60_000);

  it('a string PostgreSQL cannot store (U+0000) is refused before anything is sent', async () => {
    const schema = await freshSchema();
    const b = new PostgresBackend({ url: cluster.url, schema });
    await openBackend(b);
    await expect(commitOps(b, [declareQueue('q'), enqueue(message(1, 'q', { routingKey: 'a\0b' }))])).rejects.toThrow(/cannot hold U\+0000/);
    await closeBackend(b).catch(() => {});
    const { backend, state } = await openPostgresBackend({ url: cluster.url, schema });
    expect(state.topology.queues).toEqual([]);
    await closeBackend(backend);
  }, 60_000);

  it('one broker per store: a second open waits for the lock, then names the store it could not take', async () => {
    const schema = await freshSchema();
    const { backend } = await openPostgresBackend({ url: cluster.url, schema });
    await expect(openPostgresBackend({ url: cluster.url, schema, lockWaitMs: 300 })).rejects.toThrow(/another broker holds the store in schema "store_\d+"/);
    await closeBackend(backend);
    const again = await openPostgresBackend({ url: cluster.url, schema, lockWaitMs: 300 });
    await closeBackend(again.backend);
  }, 60_000);

  it('abandon() ends the session at once: a restarted broker takes the store without waiting', async () => {
    const schema = await freshSchema();
    const { backend } = await openPostgresBackend({ url: cluster.url, schema });
    await commitOps(backend, [declareQueue('q'), enqueue(message(1, 'q'))]);
    backend.commit([enqueue(message(2, 'q'))], () => {});
    backend.abandon();
    // A session left open would keep the advisory lock, and this open would fail after 2 s.
    const { backend: restarted, state } = await openPostgresBackend({ url: cluster.url, schema, lockWaitMs: 2_000 });
    expect(state.messages.map((m) => m.logId).slice(0, 1)).toEqual([1]);
    await closeBackend(restarted);
  }, 60_000);

  it('the broker session runs with synchronous_commit as the durability setting says, fsync on', async () => {
    for (const [durability, setting] of [['sync', 'on'], ['async', 'off']] as const) {
      const schema = await freshSchema();
      const { backend } = await openPostgresBackend({ url: cluster.url, schema, durability });
      await commitOps(backend, [declareQueue('q')]);
      const settings = await backend.serverSettings();
      expect(settings.synchronous_commit).toBe(setting);
      expect(settings.fsync).toBe('on');
      expect(settings.server_version).toMatch(/^\d+/);
      await closeBackend(backend);
    }
  }, 60_000);

  describe('bad input: one clear error naming what failed, without the password', () => {
    const failure = async (options: PostgresBackendOptions): Promise<PostgresStoreError> => {
      const error = await openPostgresBackend(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PostgresStoreError);
      expect((error as Error).message).not.toContain(cluster.password);
      return error as PostgresStoreError;
    };

    it('an unreachable server', async () => {
      const url = `postgres://qlab:secret-pw@127.0.0.1:1/postgres`;
      const error = await failure({ url });
      expect(error.reason).toBe('unreachable');
      expect(error.message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/qlab:\*\*\*@127\.0\.0\.1:1\/postgres: ECONNREFUSED/);
      expect(error.message).not.toContain('secret-pw');
    }, 30_000);

    it('wrong credentials', async () => {
      const error = await failure({ url: cluster.urlFor({ password: 'wrong-password' }) });
      expect(error.reason).toBe('credentials');
      expect(error.message).toMatch(/refused the credentials: password authentication failed for user "qlab"/);
      expect(error.message).not.toContain('wrong-password');
    }, 30_000);

    it('a missing database', async () => {
      const error = await failure({ url: cluster.urlFor({ database: 'no_such_db' }) });
      expect(error.reason).toBe('database');
      expect(error.message).toMatch(/database "no_such_db" does not exist/);
    }, 30_000);

    it('a missing schema', async () => {
      const error = await failure({ url: cluster.url, schema: 'no_such_schema' });
      expect(error.reason).toBe('schema');
      expect(error.message).toMatch(/schema "no_such_schema" does not exist/);
    }, 30_000);

    it('a schema from another version, or a partial one', async () => {
      const schema = await freshSchema();
      const { backend } = await openPostgresBackend({ url: cluster.url, schema });
      await closeBackend(backend);
      const admin = await connectPostgres(cluster.url);
      await admin.query(`UPDATE ${schema}.qlab_store SET schema_version = 99`);
      expect((await failure({ url: cluster.url, schema })).message).toMatch(/holds a qlab store of version 99; this qlab reads version 1/);
      await admin.query(`DROP TABLE ${schema}.qlab_messages`);
      expect((await failure({ url: cluster.url, schema })).message).toMatch(/holds some of qlab's tables but not qlab_messages/);
      await admin.end();
    }, 30_000);

    it('a URL that is not a postgres URL', async () => {
      const error = await failure({ url: 'mysql://root:pw@127.0.0.1/db' });
      expect(error.reason).toBe('url');
      expect(error.message).toBe('store URL mysql://root:***@127.0.0.1/db: not a postgres:// or postgresql:// URL');
    });
  });
});
