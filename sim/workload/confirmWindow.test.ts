import { describe, expect, it } from 'vitest';
import { runReplication } from '../run/replication.ts';
import { simulate } from '../run/simulate.ts';
import { Scenario } from '../scenario/schema.ts';

const scenario = (over: { faults?: unknown[]; window?: unknown; dedup?: boolean; ratePerSec?: number; serviceMs?: number } = {}) =>
  Scenario.parse({
    name: 'confirm window',
    durationSec: 20,
    drainSec: 20,
    replications: 2,
    producers: [
      {
        routingKey: 'q',
        arrivals: { process: 'poisson', ratePerSec: over.ratePerSec ?? 100 },
        persistent: true,
        confirms: true,
        messageIds: true,
        confirmWindow: over.window ?? { maxInFlight: 20, confirmTimeoutMs: 500 },
      },
    ],
    broker: { durability: { fsync: 'always' }, queues: [{ name: 'q', durable: true, ...(over.dedup ? { dedupWindowMs: 60_000 } : {}) }] },
    consumers: [{ queue: 'q', count: 2, prefetch: 10, serviceTimeMs: { dist: 'exponential', mean: over.serviceMs ?? 5 } }],
    network: { publishLatencyMs: { dist: 'exponential', mean: 1 } },
    faults: over.faults ?? [],
  });

const cutConfirms = { kind: 'partition', between: 'producers-broker', fromSec: 5, toSec: 7, direction: 'from-broker' };

describe('publishers with a confirm window', () => {
  it('never have more than maxInFlight publishes unconfirmed: a slow disk throttles them (closed loop)', () => {
    // fsync takes ~50 ms: with one publish in flight at a time, at most ~20 confirms a second get through.
    const s = scenario({ window: { maxInFlight: 1, confirmTimeoutMs: 60_000 }, ratePerSec: 100 });
    const slow = { ...s, broker: { ...s.broker, disk: { ...s.broker.disk, syncLatencyMs: { dist: 'deterministic' as const, mean: 50 } } }, drainSec: 1 };
    const r = runReplication(slow, 1);
    const perSec = r.accounting.confirmed / slow.durationSec;
    expect(perSec).toBeLessThan(20); // each confirm waits for at least one 50 ms fsync, one at a time
    expect(r.accounting.published).toBeLessThanOrEqual(r.accounting.confirmed + 1);
    const wide = runReplication({ ...slow, producers: [{ ...slow.producers[0]!, confirmWindow: { ...slow.producers[0]!.confirmWindow!, maxInFlight: 100 } }] }, 1);
    expect(wide.accounting.confirmed / slow.durationSec).toBeGreaterThan(80); // group commit: many per fsync
  });

  it('report publish-to-confirm latency with intervals', () => {
    const r = simulate(scenario());
    const c = r.summary.confirmLatency!;
    expect(c.mean).toBeGreaterThan(2); // the network round trip's mean of 2 × 1 ms, plus an fsync
    expect(c.p50.mean!).toBeLessThanOrEqual(c.p99.mean!);
    expect(c.ci95).not.toBeNull();
  });

  it('a partition that swallows confirms makes the retries duplicate what already landed (Jepsen: duplicated, nothing lost)', () => {
    const r = simulate(scenario({ faults: [cutConfirms] }));
    const p = r.publishers!;
    expect(p.confirmsDropped).toBeGreaterThan(50);
    expect(p.retries).toBe(p.timeouts + p.nacks + p.unavailable);
    expect(p.duplicated).toBeGreaterThan(0);
    expect(r.accounting.acked).toBeGreaterThan(p.messages); // the extra copies were served
    expect(p.lost).toBe(0);
    expect(p.ok + p.lost + p.recovered + p.failed).toBe(p.messages);
    expect(r.faults!.byKind.partition).toEqual({ scheduled: 2, fired: 2 });
  });

  it('message-id dedup on the queue absorbs those republishes: no duplicates', () => {
    const r = simulate(scenario({ faults: [cutConfirms], dedup: true }));
    expect(r.publishers!.retries).toBeGreaterThan(50);
    expect(r.publishers!.deduplicated).toBe(r.publishers!.retries);
    expect(r.publishers!.duplicated).toBe(0);
    expect(r.accounting.acked).toBe(r.publishers!.messages);
  });

  it('a partition that swallows publishes: they are retried and land once; nothing duplicated', () => {
    const r = simulate(scenario({ faults: [{ ...cutConfirms, direction: 'to-broker' }] }));
    expect(r.publishers!.droppedOnWire).toBeGreaterThan(50);
    expect(r.publishers!.duplicated).toBe(0);
    expect(r.publishers!.ok).toBe(r.publishers!.messages);
  });

  it('a publisher that runs out of retries while the broker is down gives up on messages: failed, not lost', () => {
    const r = simulate(scenario({ faults: [{ kind: 'broker-crash', atMs: [5000], downMs: [2000] }], window: { maxInFlight: 20, maxRetries: 2, retryBackoffMs: 100 } }));
    const p = r.publishers!;
    expect(p.unavailable).toBeGreaterThan(0);
    expect(p.abandoned).toBe(p.failed + p.recovered);
    expect(p.failed).toBeGreaterThan(0);
    expect(p.lost).toBe(0);
  });

  it('a delay-mode partition holds publishes until it heals: confirm latency p99 grows, nothing is retried within a long timeout', () => {
    const held = simulate(scenario({ faults: [{ kind: 'partition', between: 'producers-broker', fromSec: 5, toSec: 6, mode: 'delay' }], window: { maxInFlight: 20, confirmTimeoutMs: 10_000 } }));
    const clean = simulate(scenario({ window: { maxInFlight: 20, confirmTimeoutMs: 10_000 } }));
    expect(held.publishers!.retries).toBe(0);
    expect(held.summary.confirmLatency!.mean!).toBeGreaterThan(clean.summary.confirmLatency!.mean! * 2);
  });

  it('a confirm window needs confirms', () => {
    const raw = { name: 'x', durationSec: 1, broker: { queues: [{ name: 'q' }] }, producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 1 }, confirmWindow: { maxInFlight: 1 } }] };
    const parsed = Scenario.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/confirm window needs confirms/);
  });
});
