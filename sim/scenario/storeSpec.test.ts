import { describe, expect, it } from 'vitest';
import { Scenario } from './schema.ts';

const base = {
  name: 'store',
  durationSec: 1,
  producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 10 } }],
  consumers: [{ queue: 'q', serviceTimeMs: { dist: 'exponential', mean: 1 } }],
};
const withDurability = (durability: unknown, faults: unknown[] = []) =>
  Scenario.safeParse({ ...base, broker: { durability, queues: [{ name: 'q', durable: true }] }, faults });
const messages = (r: ReturnType<typeof withDurability>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

describe('broker.durability.store', () => {
  it('the log needs fsync; postgres refuses it and takes its settings, defaults filled', () => {
    expect(messages(withDurability({}))).toEqual(['broker.durability.fsync: the log store needs fsync: always, batch or never']);
    expect(messages(withDurability({ store: 'postgres', fsync: 'always' }))).toEqual([
      'broker.durability.fsync: fsync is the log’s setting; the postgres store takes postgres.synchronousCommit',
    ]);
    expect(messages(withDurability({ fsync: 'always', postgres: {} }))).toEqual(['broker.durability.postgres: postgres settings need store: "postgres"']);
    const ok = withDurability({ store: 'postgres', postgres: { commit: 'group' } });
    expect(ok.success && ok.data.broker.durability?.postgres).toMatchObject({ commit: 'group', groupMaxOps: 1000, groupMs: 2, synchronousCommit: 'on', walWriterDelayMs: 200 });
  });

  it('a misspelt setting and a bad database-crash are errors naming the field', () => {
    expect(messages(withDurability({ store: 'postgres', postgres: { synchronous_commit: 'off' } })).join('\n')).toMatch(/synchronous_commit/);
    expect(messages(withDurability({ store: 'postgres' }, [{ kind: 'database-crash', atSec: [], downSec: 1 }])).join('\n')).toMatch(/faults\.0\.atSec/);
  });
});
