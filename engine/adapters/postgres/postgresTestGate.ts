import { afterAll, beforeAll, describe, it } from 'vitest';
import { postgresUnavailableReason, REQUIRE_POSTGRES, startTestCluster, type ClusterOptions, type TestCluster } from './testCluster.ts';

/**
 * For test files that need a PostgreSQL server: true when it can run here. When it cannot, a
 * skipped test says why, or under QLAB_REQUIRE_POSTGRES=1 (CI) a failing one does, as
 * QLAB_REQUIRE_RABBITMQ does for the RabbitMQ tests.
 */
export function postgresTestsCanRun(what: string): boolean {
  const reason = postgresUnavailableReason();
  if (reason === undefined) return true;
  describe('PostgreSQL unavailable', () => {
    if (REQUIRE_POSTGRES) {
      it(`QLAB_REQUIRE_POSTGRES=1 but ${what} cannot run`, () => {
        throw new Error(`PostgreSQL is required here (QLAB_REQUIRE_POSTGRES=1): ${reason}`);
      });
    } else {
      it.skip(`${what} skipped: ${reason}`, () => {});
    }
  });
  return false;
}

/**
 * A throwaway cluster for the enclosing describe block: started before its tests, destroyed after.
 * The returned object forwards to it (use it inside tests and hooks only).
 */
export function useTestCluster(options: ClusterOptions = {}): TestCluster {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster(options);
  }, 180_000);
  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);
  const started = (): TestCluster => {
    if (cluster === undefined) throw new Error('the test cluster has not started (use it inside tests)');
    return cluster;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get password() {
      return started().password;
    },
    get dataDir() {
      return started().dataDir;
    },
    urlFor: (parts) => started().urlFor(parts),
    stop: (mode) => started().stop(mode),
    start: () => started().start(),
    destroy: () => started().destroy(),
  };
}
