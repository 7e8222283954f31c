import { describe, expect, it } from 'vitest';
import { randomStreams } from '../random/streams.ts';
import { Scenario } from '../scenario/schema.ts';
import { makeArrivals } from './arrivals.ts';

/** Arrival times over [0, horizonMs) from a process, as a producer consumes it. */
function times(spec: Parameters<typeof makeArrivals>[0], horizonMs: number, seed = 7): number[] {
  const process = makeArrivals(spec);
  const random = randomStreams(seed).stream('arrivals');
  const out: number[] = [];
  for (let t = process.nextGapMs(random); t < horizonMs; t += process.nextGapMs(random)) out.push(t);
  return out;
}
const countIn = (ts: number[], from: number, to: number) => ts.filter((t) => t >= from && t < to).length;

describe('time-varying arrivals', () => {
  it('a piecewise schedule gives each segment its Poisson count (4-sigma bands) and stops at a final rate 0', () => {
    const ts = times({ process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 10 }, { fromSec: 1000, ratePerSec: 50 }, { fromSec: 1500, ratePerSec: 0 }] }, 3_000_000);
    for (const [from, to, rate] of [[0, 1000, 10], [1000, 1500, 50]] as const) {
      const expected = rate * (to - from);
      expect(Math.abs(countIn(ts, from * 1000, to * 1000) - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
    expect(countIn(ts, 1_500_000, 3_000_000)).toBe(0);
  });

  it('a repeating schedule repeats, and states its time-average rate', () => {
    const spec = { process: 'schedule' as const, rates: [{ fromSec: 0, ratePerSec: 1 }, { fromSec: 50, ratePerSec: 9 }], repeatSec: 100 };
    expect(makeArrivals(spec).ratePerSec).toBeCloseTo(5, 12);
    const ts = times(spec, 1_000_000);
    const lowHalves = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((n, k) => n + countIn(ts, k * 100_000, k * 100_000 + 50_000), 0);
    expect(Math.abs(lowHalves - 500)).toBeLessThan(4 * Math.sqrt(500));
    expect(Math.abs(ts.length - 5000)).toBeLessThan(4 * Math.sqrt(5000));
  });

  it('a sinusoid by thinning: more arrivals in the high half-period than the low one, the mean rate overall', () => {
    const ts = times({ process: 'sinusoidal', meanRatePerSec: 20, amplitude: 0.8, periodSec: 100, phaseSec: 0 }, 2_000_000);
    expect(Math.abs(ts.length - 40_000)).toBeLessThan(4 * Math.sqrt(40_000));
    let high = 0;
    for (let k = 0; k < 20; k++) high += countIn(ts, k * 100_000, k * 100_000 + 50_000);
    // ∫ over the high half = 20·(50 + 0.8·100/π) per period.
    const expected = 20 * 20 * (50 + (0.8 * 100) / Math.PI);
    expect(Math.abs(high - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('batches arrive together: gaps of 0 inside a batch, a deterministic size gives exact batches', () => {
    const ts = times({ process: 'batch', batchesPerSec: 1, batchSize: { dist: 'deterministic', mean: 4 } }, 100_000);
    expect(ts.length % 4).toBe(0);
    for (let i = 0; i < ts.length; i += 4) expect(new Set(ts.slice(i, i + 4)).size).toBe(1);
  });

  it('schema errors name the field', () => {
    const base = { name: 'x', durationSec: 10, broker: { queues: [{ name: 'q' }] } };
    const bad = Scenario.safeParse({ ...base, producers: [{ routingKey: 'q', arrivals: { process: 'schedule', rates: [{ fromSec: 5, ratePerSec: 1 }] } }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path.join('.')).toBe('producers.0.arrivals.rates.0.fromSec');
    const unordered = Scenario.safeParse({ ...base, producers: [{ routingKey: 'q', arrivals: { process: 'schedule', rates: [{ fromSec: 0, ratePerSec: 1 }, { fromSec: 0, ratePerSec: 2 }] } }] });
    expect(unordered.error!.issues[0]!.message).toMatch(/fromSec must increase/);
  });
});
