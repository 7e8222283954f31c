import { describe, expect, it } from 'vitest';
import { runReplication } from '../run/replication.ts';
import { Scenario } from '../scenario/schema.ts';

const run = (producer: Record<string, unknown>) =>
  runReplication(
    Scenario.parse({
      name: 'sizes',
      durationSec: 50,
      warmupSec: 0,
      replications: 1,
      producers: [{ routingKey: 'q', persistent: true, arrivals: { process: 'poisson', ratePerSec: 20 }, ...producer }],
      broker: { durability: { fsync: 'batch' }, queues: [{ name: 'q', durable: true }] },
      consumers: [{ queue: 'q', serviceTimeMs: { dist: 'exponential', mean: 10 } }],
    }),
    1,
    { batches: false },
  );

describe('message sizes from a distribution', () => {
  it('drive the durable log: bytes appended grow with the mean size (about 4,000 more bytes per message)', () => {
    const fixed = run({ bodyBytes: 100 });
    const sized = run({ bodySizeBytes: { dist: 'exponential', mean: 4100 } });
    const messages = sized.accounting.attempted;
    const extraPerMessage = (sized.disk!.bytesAppended - fixed.disk!.bytesAppended) / messages;
    // Same seed, same arrivals: the difference is the body sizes (mean 4,100 vs 100), within 10 % sampling noise over ~1,000 messages.
    expect(extraPerMessage).toBeGreaterThan(3600);
    expect(extraPerMessage).toBeLessThan(4400);
  });
});
