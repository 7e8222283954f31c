import { describe, expect, it } from 'vitest';
import { runReplication } from '../run/replication.ts';
import { Scenario, type ScenarioInput } from './schema.ts';
import { formatWarnings, scenarioWarnings } from './warnings.ts';

const base: ScenarioInput = {
  name: 'w',
  durationSec: 10,
  producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 20 } }],
  broker: { queues: [{ name: 'work' }] },
  consumers: [{ queue: 'work', serviceTimeMs: { dist: 'exponential', mean: 5 } }],
};
const warningsOf = (raw: ScenarioInput) => scenarioWarnings(Scenario.parse(raw), raw).map((w) => `${w.path.join('.')}: ${w.message}`);

describe('unroutable messages are counted and warned about', () => {
  it('a misspelt routing key is warned about, naming the field, and its messages are counted as unroutable', () => {
    const raw = { ...base, producers: [{ routingKey: 'wrok', arrivals: { process: 'poisson' as const, ratePerSec: 20 } }] };
    expect(warningsOf(raw)).toEqual([expect.stringMatching(/^producers\.0\.routingKey: routing key 'wrok' reaches no queue through the default exchange/)]);
    const r = runReplication(Scenario.parse(raw), 1);
    expect(r.accounting.published).toBeGreaterThan(100);
    expect(r.accounting.unroutable).toBe(r.accounting.published);
    expect(r.accounting.returned).toBe(0);
  });

  it('mandatory publishes that reach no queue are returned; bound keys and topic patterns are fine', () => {
    const raw: ScenarioInput = {
      ...base,
      broker: { exchanges: [{ name: 'events', type: 'topic' }], queues: [{ name: 'work' }], bindings: [{ queue: 'work', exchange: 'events', bindingKey: 'order.*' }] },
      producers: [
        { exchange: 'events', routingKeys: [{ key: 'order.created', weight: 1 }, { key: 'invoice.paid', weight: 1 }], arrivals: { process: 'poisson', ratePerSec: 40 }, mandatory: true },
      ],
    };
    expect(warningsOf(raw)).toEqual([expect.stringMatching(/^producers\.0\.routingKeys\.1\.key: routing key 'invoice\.paid' reaches no queue through exchange 'events': no binding matches/)]);
    const r = runReplication(Scenario.parse(raw), 2);
    expect(r.accounting.unroutable).toBeGreaterThan(50);
    expect(r.accounting.returned).toBe(r.accounting.unroutable);
    expect(r.accounting.acked + r.accounting.unroutable).toBe(r.accounting.published);
  });

  it('a scenario whose keys all route has no warnings', () => {
    expect(warningsOf(base)).toEqual([]);
  });
});

describe('faults that make no sense as written are warned about', () => {
  it('crashes of an in-memory broker, of non-durable queues and non-persistent messages, and a defaulted mttrSec', () => {
    expect(warningsOf({ ...base, faults: [{ kind: 'broker-crash', atSec: [3] }] })).toEqual([
      expect.stringMatching(/^faults\.0\.mttrSec: not given: the broker restarts after 5 s on average \(the default\)/),
      expect.stringMatching(/^faults\.0: the broker is in memory .* each crash wipes every queue and message/),
    ]);
    const durable: ScenarioInput = { ...base, broker: { durability: { fsync: 'always' }, queues: [{ name: 'work' }] }, faults: [{ kind: 'broker-crash', atSec: [3], mttrSec: 1 }] };
    expect(warningsOf(durable)).toEqual([
      expect.stringMatching(/queue 'work' is not durable: each crash wipes it/),
      expect.stringMatching(/producer 0 publishes non-persistent messages/),
    ]);
  });

  it('disk faults without a disk, a latency spike on an instant network, and faults after the run', () => {
    const w = warningsOf({
      ...base,
      faults: [
        { kind: 'disk-stall', atSec: 1, durationSec: 1 },
        { kind: 'latency-spike', fromSec: 1, toSec: 2, factor: 10 },
        { kind: 'consumer-crash', atSec: [12], consumer: 0 },
      ],
    });
    expect(w).toEqual([
      expect.stringMatching(/^faults\.0\.kind: disk-stall has no effect: the broker has no disk/),
      expect.stringMatching(/^faults\.1\.factor: has no effect: the network has no latency/),
      expect.stringMatching(/^faults\.2\.atSec: crash times at or after durationSec \(10 s\) never fire/),
    ]);
  });

  it('formats as one stderr line per warning with the file and JSON path', () => {
    expect(formatWarnings('s.json', [{ path: ['producers', 0, 'routingKey'], message: 'm' }])).toBe('warning: s.json: $.producers[0].routingKey: m\n');
  });
});
