import { describe, expect, it } from 'vitest';
import { runReplication } from '../run/replication.ts';
import { Scenario } from '../scenario/schema.ts';

const scenario = (faults: unknown[]) =>
  Scenario.parse({
    name: 'partitions and pauses',
    durationSec: 10,
    drainSec: 10,
    replications: 1,
    producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 50 } }],
    broker: { queues: [{ name: 'q' }] },
    consumers: [{ queue: 'q', count: 2, prefetch: 5, serviceTimeMs: { dist: 'exponential', mean: 10 } }],
    network: { deliverLatencyMs: { dist: 'deterministic', mean: 0.5 }, ackLatencyMs: { dist: 'deterministic', mean: 0.5 } },
    faults,
  });

const clean = runReplication(scenario([]), 4);

describe('partition between broker and consumers', () => {
  it('drop mode: the connections drop, what they held is redelivered after the partition heals, nothing is lost', () => {
    const r = runReplication(scenario([{ kind: 'partition', between: 'broker-consumers', fromSec: 3, toSec: 5 }]), 4);
    expect(r.metrics.waitMaxMs).toBeGreaterThan(1900); // arrivals at 3 s waited for the heal at 5 s
    expect(r.accounting.acked).toBe(r.accounting.published);
    expect(r.faults?.byKind.partition).toEqual({ scheduled: 1, fired: 1 });
  });

  it('delay mode: deliveries and acks are held until it heals, nothing is redelivered', () => {
    const r = runReplication(scenario([{ kind: 'partition', between: 'broker-consumers', fromSec: 3, toSec: 5, mode: 'delay' }]), 4);
    expect(r.accounting.redeliveries).toBe(0);
    expect(r.metrics.waitMaxMs).toBeGreaterThan(1900);
    expect(clean.metrics.waitMaxMs).toBeLessThan(500);
    expect(r.accounting.acked).toBe(r.accounting.published);
  });
});

describe('process pauses (stop-the-world)', () => {
  it('a broker pause holds everything in and out of it for its length', () => {
    const r = runReplication(scenario([{ kind: 'pause', process: 'broker', atSec: [4], durationSec: 1.5 }]), 4);
    const completedBetween = (fromMs: number, toMs: number, run = r) =>
      run.series.tMs.reduce((n, t, b) => (t >= fromMs && t < toMs ? n + run.series.throughputPerSec[b]! : n), 0);
    // Consumers finish what they had within a few service times, then nothing arrives until 5.5 s.
    expect(completedBetween(4300, 5500)).toBe(0);
    expect(completedBetween(4300, 5500, clean)).toBeGreaterThan(0);
    expect(r.accounting.acked).toBe(r.accounting.published);
    expect(r.faults?.byKind.pause).toEqual({ scheduled: 1, fired: 1 });
  });

  it('a consumer pause stops its service and its deliveries until the pause ends', () => {
    const r = runReplication(scenario([{ kind: 'pause', process: 'consumer', consumer: 0, atSec: [4], durationSec: 1.5 }]), 4);
    expect(r.metrics.sojournMaxMs).toBeGreaterThan(1400);
    expect(r.accounting.redeliveries).toBe(0);
    expect(r.accounting.acked).toBe(r.accounting.published);
  });

  it('a broker pause while the broker is down does not fire, and a pause past the end is never planned to fire: both visible', () => {
    const r = runReplication(
      scenario([
        { kind: 'broker-crash', atMs: [3000], downMs: [2000] },
        { kind: 'pause', process: 'broker', atSec: [4, 60], durationSec: 1 },
      ]),
      4,
    );
    expect(r.faults?.byKind.pause).toEqual({ scheduled: 2, fired: 0 });
    expect(r.faults?.byKind['broker-crash']).toEqual({ scheduled: 1, fired: 1 });
  });
});
