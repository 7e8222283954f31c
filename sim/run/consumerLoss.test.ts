import { describe, expect, it } from 'vitest';
import { Scenario } from '../scenario/schema.ts';
import { runReplication } from './replication.ts';

const deterministic = (mean: number) => ({ dist: 'deterministic' as const, mean });

/** One consumer crashing while its buffer is full: 50 msg/s offered, 25 ms service, prefetch 10. */
const crashing = (ack: 'auto' | 'manual') =>
  Scenario.parse({
    name: `consumer-crash-${ack}`,
    durationSec: 4,
    drainSec: 30,
    producers: [{ routingKey: 'work', arrivals: { process: 'deterministic', ratePerSec: 50 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', count: 1, prefetch: 10, ack, serviceTimeMs: deterministic(25) }],
    faults: [{ kind: 'consumer-crash', consumer: 0, atSec: [1.001, 2.5], reconnectAfterSec: 0.2 }],
  });

describe('lost in consumer (auto ack)', () => {
  it('counts what an auto-ack consumer had received but not finished when it crashed', () => {
    const r = runReplication(crashing('auto'), 1, { records: true });
    // The broker let every message go at delivery; the ones the crashes dropped were never served.
    expect(r.accounting.acked).toBe(r.accounting.published);
    expect(r.accounting.lostInConsumer).toBeGreaterThan(0);
    const served = r.records!.endMs.filter((t) => t !== null).length;
    expect(served).toBe(r.accounting.acked - r.accounting.lostInConsumer);
    expect(r.accounting.lost).toBe(0);
  });

  it('is zero under manual ack: the crashed consumer’s deliveries are requeued and served', () => {
    const r = runReplication(crashing('manual'), 1);
    expect(r.accounting.lostInConsumer).toBe(0);
    expect(r.accounting.redeliveries).toBeGreaterThan(0);
    expect(r.accounting.acked).toBe(r.accounting.published);
  });
});
