import { describe, expect, it } from 'vitest';
import { runReplication } from '../run/replication.ts';
import { loadScenario } from '../scenario/load.ts';
import { Scenario } from '../scenario/schema.ts';

const deterministic = (mean: number) => ({ dist: 'deterministic' as const, mean });

describe('a consumer across broker crashes', () => {
  it('serves every message for its full service time, even one started just after a crash abandoned another', () => {
    // Service takes exactly 10 ms and messages arrive every 3.3 ms; crashes land mid-service and the
    // broker is back at once, so the consumer starts a new message while the abandoned one's
    // completion would still be due.
    const scenario = Scenario.parse({
      name: 'stale-service-timer',
      durationSec: 1,
      drainSec: 10,
      producers: [{ routingKey: 'work', arrivals: { process: 'deterministic', ratePerSec: 300 } }],
      broker: { queues: [{ name: 'work' }] },
      consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: deterministic(10) }],
      faults: [{ kind: 'broker-crash', atSec: [0.1051, 0.4077, 0.7013], mttrSec: 0, fixedRestart: true }],
      output: { records: true },
    });
    const r = runReplication(scenario, 1, { records: true });
    expect(r.crashes).toBe(3);
    const rec = r.records!;
    const served = rec.message.map((_, i) => i).filter((i) => rec.endMs[i] !== null && rec.deliveries[i] === 1);
    expect(served.length).toBeGreaterThan(100);
    for (const i of served) expect(rec.endMs[i]! - rec.serviceStartMs[i]!).toBeCloseTo(10, 9);
  });

  it('the reliability scenario that crashed at seed 18 (stale service timer) runs clean', () => {
    // The scenario as shipped then (the shipped one has since gained consumer crashes and a confirm window).
    const loaded = loadScenario('sim/workload/staleTimerSeed18.json');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const r = runReplication(loaded.scenario, 18);
    expect(r.crashes).toBeGreaterThan(0);
    expect(r.accounting.lost).toBe(0);
  });
});
