import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { runChildReplication } from './childReplication.ts';
import { realModeRefusal } from './realGuard.ts';
import { killAllBrokerChildren, livingBrokerChildren } from './ipc/brokerProcess.ts';

afterEach(() => killAllBrokerChildren());

function scenario(extra: Record<string, unknown>): Scenario {
  const raw = {
    name: 'tiny-crash',
    durationSec: 4,
    warmupSec: 0.2,
    drainSec: 20,
    producers: [{ routingKey: 'work', persistent: true, confirms: true, arrivals: { process: 'deterministic', ratePerSec: 50 } }],
    broker: { durability: { fsync: 'always' }, queues: [{ name: 'work', durable: true }] },
    consumers: [{ queue: 'work', count: 2, prefetch: 1, ack: 'manual', serviceTimeMs: { dist: 'deterministic', mean: 3 } }],
    faults: [{ kind: 'broker-crash', atSec: [2], mttrSec: 0.5, fixedRestart: true }],
    ...extra,
  };
  const loaded = parseScenario(raw, 'tiny-crash');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

describe('real mode with a broker crash (the engine in a child process, SIGKILLed and restarted)', () => {
  it('fsync always + confirms: every confirmed message is delivered after the restart, and the accounting is the clients\' own count', async () => {
    const { replication, own } = await runChildReplication(scenario({}), 1);
    const { accounting, crashes, recoveryMs, liveness } = { ...replication.result, liveness: { drained: replication.result.drained } };
    expect(crashes).toBe(1);
    expect(recoveryMs).toHaveLength(1);
    expect(liveness.drained).toBe(true);
    // The outage was seen: publishes while the child was dead or recovering found no broker.
    expect(own.unavailable).toBeGreaterThan(0);
    expect(accounting.unavailable).toBe(own.unavailable);
    expect(accounting.published).toBe(own.sent);
    expect(accounting.attempted).toBe(own.sent + own.unavailable);
    expect(accounting.confirmed).toBe(own.confirmed.size);
    expect(accounting.delivered).toBe(own.delivered.size);
    expect([...own.confirmed].filter((id) => !own.delivered.has(id))).toEqual([]);
    expect(accounting.lost).toBe(0);
    expect(accounting.duplicated).toBe(0);
    expect(accounting.lostInConsumer).toBe(0);
    expect(livingBrokerChildren()).toBe(0);
  }, 180_000);

  it('an in-memory broker loses its backlog at the kill: lost and lostUnconfirmed are the sent messages the client never acked (give or take an ack on the wire at the kill)', async () => {
    const s = scenario({
      broker: { queues: [{ name: 'work' }] },
      producers: [{ routingKey: 'work', confirms: true, arrivals: { process: 'deterministic', ratePerSec: 60 } }],
      // One slow consumer: a backlog builds, so the kill has something to lose.
      consumers: [{ queue: 'work', count: 1, prefetch: 1, ack: 'manual', serviceTimeMs: { dist: 'deterministic', mean: 25 } }],
    });
    const { replication, own } = await runChildReplication(s, 2);
    const { accounting } = replication.result;
    expect(replication.result.crashes).toBe(1);
    // Lost = a copy that vanished unacked. The client knows which it never acked; an ack it sent in
    // the instant before the kill may not have been read by the broker (one per consumer at most).
    const neverAcked = (ids: Iterable<number>) => [...ids].filter((id) => !own.ackSent.has(id)).length;
    expect(accounting.lost).toBeGreaterThan(0);
    expect(accounting.lost - neverAcked(own.confirmed)).toBeGreaterThanOrEqual(0);
    expect(accounting.lost - neverAcked(own.confirmed)).toBeLessThanOrEqual(1);
    expect(accounting.lost + accounting.lostUnconfirmed - (own.sent - own.ackSent.size)).toBeGreaterThanOrEqual(0);
    expect(accounting.lost + accounting.lostUnconfirmed - (own.sent - own.ackSent.size)).toBeLessThanOrEqual(1);
    expect(accounting.acked).toBeLessThanOrEqual(own.ackSent.size);
    expect(accounting.confirmed).toBe(own.confirmed.size);
    expect(livingBrokerChildren()).toBe(0);
  }, 180_000);

  it('refuses by name what the broker child cannot run, and lets a broker-crash scenario through', () => {
    expect(realModeRefusal(scenario({}))).toBeUndefined();
    const refusal = realModeRefusal(scenario({ faults: [{ kind: 'broker-crash', atSec: [1], mttrSec: 1 }, { kind: 'disk-stall', atSec: 1, durationSec: 1 }] }));
    expect(refusal).toMatch(/child process.*faults 'disk-stall'/);
    expect(realModeRefusal(scenario({ network: { publishLatencyMs: { dist: 'deterministic', mean: 1 } } }))).toMatch(/network: simulated link latencies/);
  });
});
