import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { runReplication } from './replication.ts';

const promised = (over: Partial<ScenarioInput> = {}): Scenario =>
  Scenario.parse({
    name: 'unavailable',
    durationSec: 2,
    drainSec: 5,
    producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 500 }, persistent: true, confirms: true }],
    broker: { durability: { fsync: 'always' }, queues: [{ name: 'q', durable: true }] },
    // Slower than the arrivals, so the queue holds plenty when the broker goes down.
    consumers: [{ queue: 'q', prefetch: 5, serviceTimeMs: { dist: 'exponential', mean: 4 } }],
    ...over,
  });

describe('a broker still down or recovering when the run ends: unavailable, not lost', () => {
  it('a restart long after the drain: the confirmed messages on disk are unavailable at end, none lost', () => {
    const r = runReplication(promised({ faults: [{ kind: 'broker-crash', atSec: [1], mttrSec: 1e6, fixedRestart: true }] }), 3);
    expect(r.drained).toBe(false);
    expect(r.accounting.lost).toBe(0);
    expect(r.accounting.unavailableAtEnd).toBeGreaterThan(100);
    expect(r.simulatedMs).toBe(7000); // the recovery for the judgement is not part of the run
  });

  it('a recovery still reading a slow disk when the drain ends: the same', () => {
    const slowDisk = promised({ faults: [{ kind: 'broker-crash', atSec: [1.5], mttrSec: 0, fixedRestart: true }] });
    slowDisk.broker.disk.readMBPerSec = 0.001;
    const r = runReplication(slowDisk, 4);
    expect(r.drained).toBe(false);
    expect(r.accounting.lost).toBe(0);
    expect(r.accounting.unavailableAtEnd).toBeGreaterThan(100);
  });

  it('real loss is still loss: with fsync never, what the crash dropped from the page cache stays lost', () => {
    const never = promised({ faults: [{ kind: 'broker-crash', atSec: [1], mttrSec: 1e6, fixedRestart: true }] });
    never.broker.durability!.fsync = 'never';
    const r = runReplication(never, 3);
    expect(r.accounting.lost + r.accounting.lostUnconfirmed).toBeGreaterThan(0);
  });

  it('a broker that is up at the end is judged as it is (no extra recovery)', () => {
    const r = runReplication(promised({ faults: [{ kind: 'broker-crash', atSec: [1], mttrSec: 0.1, fixedRestart: true }] }), 3);
    expect(r.drained).toBe(true);
    expect(r.accounting.unavailableAtEnd).toBe(0);
    expect(r.accounting.lost).toBe(0);
  });
});
