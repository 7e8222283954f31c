import { describe, it } from 'vitest';
import { postgresUnavailableReason, REQUIRE_POSTGRES } from './testCluster.ts';

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
