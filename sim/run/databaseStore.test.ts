import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load.ts';
import { scenarioWarnings } from '../scenario/warnings.ts';
import { checkReplication } from './replication.ts';

function scenario(file: string) {
  const loaded = loadScenario(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

const ASYNC = 'scenarios/reliability/postgres-async-commit-manual-ack-confirms.json';

describe('the postgres store in the simulator', () => {
  it('synchronous_commit off: broker crashes alone lose nothing confirmed; only the database crash does', () => {
    const s = scenario(ASYNC);
    const withoutDatabaseCrash = { ...s, faults: s.faults.filter((f) => f.kind !== 'database-crash') };
    const lost = (sc: typeof s) => [1, 2, 3].map((seed) => checkReplication(sc, seed).accounting.lost).reduce((a, b) => a + b, 0);
    expect(lost(withoutDatabaseCrash)).toBe(0);
    expect(lost(s)).toBeGreaterThan(0);
  }, 300_000);

  it('a database crash brings the broker down until the database is back: its publishes are unavailable meanwhile', () => {
    const s = scenario('scenarios/reliability/postgres-per-publish-manual-ack-confirms.json');
    const only = { ...s, faults: s.faults.filter((f) => f.kind === 'database-crash') };
    const run = checkReplication(only, 1);
    const none = checkReplication({ ...s, faults: s.faults.filter((f) => f.kind === 'consumer-crash') }, 1);
    expect(run.faults!.byKind['database-crash']!.fired).toBe(1);
    // Without it only a publish made while the broker first opens (openMs) can find it down; with it,
    // the publisher's attempts during the 2 s outage do (it retries every 0.5 s).
    expect(none.accounting.unavailable).toBeLessThanOrEqual(1);
    expect(run.accounting.unavailable).toBeGreaterThan(none.accounting.unavailable + 2);
    expect(run.accounting.lost).toBe(0);
    expect(run.drained).toBe(true);
  }, 300_000);

  it('warns when a database crash has no database, and when disk faults hit a store that writes no log', () => {
    const s = scenario(ASYNC);
    const onLog = { ...s, broker: { ...s.broker, durability: { fsync: 'always' as const, batchMs: 5, batchRecords: 10_000, segmentBytes: 1 << 24 } } };
    expect(scenarioWarnings(onLog, {}).map((w) => w.message).join('\n')).toMatch(/database-crash|has no database/);
    const stall = { ...s, faults: [...s.faults, { kind: 'disk-stall' as const, atSec: 1, durationSec: 1 }] };
    expect(scenarioWarnings(stall, {}).map((w) => w.message).join('\n')).toMatch(/postgres store writes no log/);
  });
});
