import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectPostgres } from './connection.ts';
import { postgresTestsCanRun, useTestCluster } from './postgresTestGate.ts';
import { startTestCluster } from './testCluster.ts';

const RUN = postgresTestsCanRun('the throwaway PostgreSQL cluster tests');

describe.runIf(RUN)('a throwaway PostgreSQL cluster', () => {
  const cluster = useTestCluster();

  it('listens on loopback with fsync on and survives an immediate shutdown (a database crash)', async () => {
    const client = await connectPostgres(cluster.url);
    const settings = await client.query("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'listen_addresses', 'port') ORDER BY name");
    expect(settings.rows).toEqual([
      { name: 'fsync', setting: 'on' },
      { name: 'listen_addresses', setting: '127.0.0.1' },
      { name: 'port', setting: String(cluster.port) },
    ]);
    await client.query('CREATE TABLE kept (n int)');
    await client.query('INSERT INTO kept VALUES (1)');
    await client.end();
    await cluster.stop('immediate');
    await cluster.start();
    const again = await connectPostgres(cluster.url);
    expect((await again.query('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
    await again.end();
  }, 180_000);

  it('destroy() stops the server and leaves no directory behind', async () => {
    const other = await startTestCluster();
    const dir = dirname(other.dataDir);
    expect(existsSync(dir)).toBe(true);
    await other.destroy();
    expect(existsSync(dir)).toBe(false);
    await expect(connectPostgres(other.url)).rejects.toThrow(/cannot reach PostgreSQL at postgres:\/\/qlab:\*\*\*@127\.0\.0\.1/);
  }, 180_000);
});
