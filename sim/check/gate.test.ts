import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { simulate } from '../run/simulate.ts';
import { gate } from './gate.ts';
import { holm } from './holm.ts';
import { parseTarget } from '../plan/targets.ts';
import type { Report } from '../report/schema.ts';

/** A small M/M/1 (ρ = 0.5), quick enough to run a few hundred times. */
function mm1(serviceMeanMs = 10) {
  const loaded = parseScenario(
    {
      name: 'gate-mm1',
      durationSec: 40,
      warmupSec: 4,
      replications: 5,
      producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 50 } }],
      broker: { queues: [{ name: 'work' }] },
      consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: serviceMeanMs } }],
    },
    'gate-mm1',
  );
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

const asBaseline = (result: ReturnType<typeof simulate>): Report => ({ runs: [{ label: 'gate-mm1', result }] }) as unknown as Report;

describe('the scenario-metric gate', () => {
  it('holm rejects the smallest p-values step-down and stops at the first it keeps', () => {
    expect(holm([0.01, 0.04, 0.03, 0.5], 0.05).map((h) => h.rejected)).toEqual([true, false, false, false]);
    expect(holm([0.001, 0.016, 0.02], 0.05).map((h) => h.rejected)).toEqual([true, true, true]);
  });

  it('on unchanged code, 100 seed pairs fail at most 5 times even with --max-change 0 (family-wise 5 %)', () => {
    const scenario = mm1();
    let failures = 0;
    for (let k = 0; k < 100; k++) {
      const baseline = simulate(scenario, { seed: 1 + 10 * k });
      const current = simulate(scenario, { seed: 5001 + 10 * k });
      const rows = gate([{ label: 'gate-mm1', result: current, expect: [] }], asBaseline(baseline), 0);
      expect(rows.filter((r) => r.p !== null).length).toBeGreaterThanOrEqual(6);
      if (rows.some((r) => r.failed)) failures++;
    }
    expect(failures).toBeLessThanOrEqual(5);
  }, 600_000);

  it('fails a 60 % slower service beyond a 10 % allowance, with the adjusted interval entirely beyond it', () => {
    const rows = gate([{ label: 'gate-mm1', result: simulate(mm1(16), { seed: 7 }), expect: [] }], asBaseline(simulate(mm1(10), { seed: 1 })), 0.1);
    const wait = rows.find((r) => r.metric === 'mean wait')!;
    expect(wait.failed).toBe(true);
    expect(wait.adjusted![0]).toBeGreaterThan(0.1);
    // Throughput is set by the arrivals, not the service: unchanged, so it passes.
    expect(rows.find((r) => r.metric === 'throughput')!.failed).toBe(false);
  }, 120_000);

  it('an expectation fails only when the metric is surely on the wrong side; a count fails on any violation', () => {
    const result = simulate(mm1(), { seed: 3 });
    const rows = gate([{ label: 'gate-mm1', result, expect: ['mean wait < 1ms', 'mean wait < 1s', 'utilization < 50.5%', 'lost = 0'].map(parseTarget) }], undefined, 0.1);
    expect(rows.map((r) => r.failed)).toEqual([true, false, false, false]);
  }, 120_000);
});
