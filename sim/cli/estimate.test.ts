import { describe, expect, it } from 'vitest';
import type { ReplicationTask } from '../parallel/task.ts';
import { runReplication, type ReplicationProgress } from '../run/replication.ts';
import { Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { checkBudget, estimateReplication } from './estimate.ts';
import { UsageError } from './usageError.ts';

const scenario = (over: Partial<ScenarioInput> = {}) =>
  Scenario.parse({
    name: 'est',
    durationSec: 100,
    producers: [{ count: 3, routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 20 } }],
    broker: { queues: [{ name: 'work' }] },
    consumers: [{ queue: 'work', serviceTimeMs: { dist: 'exponential', mean: 1 } }],
    ...over,
  });
const tasks = (s: Scenario, n: number): ReplicationTask[] => Array.from({ length: n }, (_, i) => ({ index: i, scenario: s, seed: i, records: false, batches: false }));

describe('estimating the work before doing it', () => {
  it('expected messages are count × long-run rate × duration, and the simulation agrees', () => {
    const s = scenario({ producers: [{ count: 3, routingKey: 'work', arrivals: { process: 'onoff', onRatePerSec: 40, meanOnSec: 1, meanOffSec: 1 } }] });
    const e = estimateReplication(s);
    expect(e.messages).toBeCloseTo(3 * 20 * 100, 6);
    const actual = runReplication(s, 1, { batches: false }).accounting.attempted;
    expect(Math.abs(actual - e.messages) / e.messages).toBeLessThan(0.15);
  });

  it('a schedule that does not repeat counts its segments, not its last rate: a burst then silence', () => {
    const burst = scenario({ producers: [{ count: 2, routingKey: 'work', arrivals: { process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 50 }, { fromSec: 30, ratePerSec: 0 }] } }] });
    const e = estimateReplication(burst);
    expect(e.messages).toBe(2 * 50 * 30);
    const actual = runReplication(burst, 1, { batches: false }).accounting.attempted;
    expect(Math.abs(actual / e.messages - 1)).toBeLessThan(0.05);
    // Rising, not repeating: 10/s for 40 s, then 100/s for the last 60 s.
    const ramp = scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 10 }, { fromSec: 40, ratePerSec: 100 }] } }] });
    expect(estimateReplication(ramp).messages).toBe(400 + 6000);
    // Repeating every 30 s over 100 s: three whole periods (20·10 + 5·20 each) and 10 s of the next.
    const daily = scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 10 }, { fromSec: 20, ratePerSec: 5 }], repeatSec: 30 } }] });
    expect(estimateReplication(daily).messages).toBe(3 * 250 + 100);
  });

  it('a sinusoid over a part period and bulk publishes are counted as the simulation publishes them', () => {
    const quarter = scenario({ producers: [{ routingKey: 'work', arrivals: { process: 'sinusoidal', meanRatePerSec: 20, amplitude: 1, periodSec: 400 } }] });
    // ∫₀¹⁰⁰ 20(1 + sin(2πt/400)) dt = 2000 + 20·400/(2π)
    const e = estimateReplication(quarter).messages;
    expect(e).toBeCloseTo(2000 + 8000 / (2 * Math.PI), 6);
    expect(Math.abs(runReplication(quarter, 1, { batches: false }).accounting.attempted / e - 1)).toBeLessThan(0.05);
    const bulk = scenario({ durationSec: 2000, producers: [{ routingKey: 'work', arrivals: { process: 'batch', batchesPerSec: 5, batchSize: { dist: 'uniform', min: 0, max: 4 } } }] });
    // round(U(0, 4)) at least 1: sizes 1 (x < 1.5), 2, 3 (a unit each), 4 (x ≥ 3.5) → (1.5 + 2 + 3 + 2)/4.
    const b = estimateReplication(bulk).messages;
    expect(b).toBeCloseTo((5 * 2000 * (1.5 * 1 + 2 + 3 + 0.5 * 4)) / 4, 6);
    expect(Math.abs(runReplication(bulk, 1, { batches: false }).accounting.attempted / b - 1)).toBeLessThan(0.05);
  });

  it('work over the budget is refused with the estimate, naming the flag that overrides it; --force runs it', () => {
    const huge = scenario({ durationSec: 1e9, producers: [{ count: 10_000, routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 1e9 } }] });
    expect(() => checkBudget('qlab run', tasks(huge, 5), { maxMessages: 1e8, force: false })).toThrow(UsageError);
    expect(() => checkBudget('qlab run', tasks(huge, 5), { maxMessages: 1e8, force: false })).toThrow(/refusing to simulate about 5\.0e\+22 messages .*5 replications.*--max-messages N \(or --force\)/);
    expect(checkBudget('qlab run', tasks(huge, 5), { maxMessages: 1e8, force: true }).messages).toBeCloseTo(5e22, -18);
    expect(() => checkBudget('qlab run', tasks(scenario(), 2), { maxMessages: 11_999, force: false })).toThrow(/about 12,000 messages/);
    expect(checkBudget('qlab run', tasks(scenario(), 2), { maxMessages: 12_000, force: false }).messages).toBe(12_000);
  });
});

describe('progress inside one replication', () => {
  it('reports simulated time and messages so far, increasing, while a replication runs', () => {
    const seen: ReplicationProgress[] = [];
    runReplication(scenario({ durationSec: 2000 }), 1, { batches: false, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(5);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.simulatedMs).toBeGreaterThanOrEqual(seen[i - 1]!.simulatedMs);
      expect(seen[i]!.messages).toBeGreaterThanOrEqual(seen[i - 1]!.messages);
    }
    expect(seen[0]!.durationMs).toBe(2_000_000);
  });

  it('slicing the run for progress changes nothing in the result', () => {
    const s = scenario({ durationSec: 500 });
    const plain = runReplication(s, 7, { batches: false });
    const sliced = runReplication(s, 7, { batches: false, onProgress: () => {} });
    expect(sliced).toEqual(plain);
  });
});
