import { describe, expect, it } from 'vitest';
import { simulate } from '../run/simulate.ts';
import { Scenario } from '../scenario/schema.ts';
import { StreamTally } from '../stats/streamTally.ts';
import { ConfirmLatencyBuckets, confirmLatencyMetrics } from './confirmLatency.ts';

/** A deterministic stream of (send time, latency) pairs: latencies lognormal-ish over 4 decades. */
function confirmsOf(count: number, endMs: number): { sentMs: Float64Array; latencyMs: Float64Array } {
  let state = 12345;
  const u = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  const sentMs = new Float64Array(count);
  const latencyMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    sentMs[i] = u() * endMs * 1.1; // a tenth lands in the drain, in no window
    latencyMs[i] = Math.exp(6 * u() - 1) * (u() < 0.01 ? 30 : 1);
  }
  return { sentMs, latencyMs };
}

const grid = { endMs: 60_000, buckets: 400, exact: false };

describe('confirm latency, streamed per time bucket', () => {
  it('holds memory per bucket, not per confirm: 10× the confirms grow the data held by under 20 %', () => {
    const whole = new StreamTally(false);
    const held = (count: number) => {
      const c = new ConfirmLatencyBuckets(grid);
      const { sentMs, latencyMs } = confirmsOf(count, grid.endMs);
      for (let i = 0; i < count; i++) {
        c.record(sentMs[i]!, latencyMs[i]!);
        whole.record(latencyMs[i]!);
      }
      expect(c.count).toBe(count);
      return c.bytes;
    };
    const small = held(100_000);
    const large = held(1_000_000);
    expect(large).toBeLessThan(small * 1.2);
    // The bound: one histogram per bucket, each no wider than one histogram of every value plus its growth slack (2 × 64 counts of 4 bytes); 'exact' would hold 8 MB here.
    expect(large).toBeLessThanOrEqual(grid.buckets * (whole.bytes + 512));
    expect(large).toBeLessThan(8 * 1_000_000);
  });

  it('gives each window the exact mean and max, and p50/p99 within the histogram bound (0.39 %) of the nearest-rank order statistic', () => {
    const count = 200_000;
    const { sentMs, latencyMs } = confirmsOf(count, grid.endMs);
    const hdr = new ConfirmLatencyBuckets(grid);
    const exact = new ConfirmLatencyBuckets({ ...grid, exact: true });
    for (let i = 0; i < count; i++) [hdr, exact].forEach((c) => c.record(sentMs[i]!, latencyMs[i]!));
    const windows = [
      { fromBucket: 0, toBucket: 400 },
      { fromBucket: 37, toBucket: 400 },
      { fromBucket: 100, toBucket: 120 },
    ];
    const streamed = confirmLatencyMetrics(hdr, windows);
    const kept = confirmLatencyMetrics(exact, windows);
    windows.forEach((w, k) => {
      // Independent reference: filter the raw pairs by send time and sort.
      const inside = Array.from(latencyMs.filter((_, i) => sentMs[i]! >= (w.fromBucket * grid.endMs) / 400 && sentMs[i]! < (w.toBucket * grid.endMs) / 400)).sort((a, b) => a - b);
      const rank = (q: number) => inside[Math.ceil(q * inside.length) - 1]!;
      const mean = inside.reduce((a, b) => a + b, 0) / inside.length;
      for (const m of [streamed[k]!, kept[k]!]) {
        expect(m.confirmLatencyMeanMs).toBeCloseTo(mean, 6);
        expect(m.confirmLatencyMaxMs).toBe(inside[inside.length - 1]);
      }
      expect(kept[k]!.confirmLatencyP50Ms).toBe(rank(0.5));
      expect(kept[k]!.confirmLatencyP99Ms).toBe(rank(0.99));
      expect(Math.abs(streamed[k]!.confirmLatencyP50Ms! / rank(0.5) - 1)).toBeLessThanOrEqual(2 ** -8);
      expect(Math.abs(streamed[k]!.confirmLatencyP99Ms! / rank(0.99) - 1)).toBeLessThanOrEqual(2 ** -8);
    });
  });

  it('a run with confirms reports the same latencies with hdr and exact percentiles, within the histogram bound', () => {
    const scenario = (percentiles: 'hdr' | 'exact') =>
      Scenario.parse({
        name: 'confirms',
        durationSec: 30,
        replications: 2,
        producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 200 }, persistent: true, confirms: true }],
        broker: { durability: { fsync: 'batch' }, queues: [{ name: 'q', durable: true }] },
        consumers: [{ queue: 'q', count: 2, prefetch: 10, serviceTimeMs: { dist: 'exponential', mean: 5 } }],
        network: { publishLatencyMs: { dist: 'exponential', mean: 1 } },
        output: { percentiles },
      });
    const [hdr, exact] = [simulate(scenario('hdr')), simulate(scenario('exact'))];
    const [a, b] = [hdr.summary.confirmLatency!, exact.summary.confirmLatency!];
    expect(a.mean).toBeCloseTo(b.mean!, 6);
    expect(Math.abs(a.p50.mean! / b.p50.mean! - 1)).toBeLessThanOrEqual(2 ** -8);
    expect(Math.abs(a.p99.mean! / b.p99.mean! - 1)).toBeLessThanOrEqual(2 ** -8);
    expect(a.p99.ci95).not.toBeNull();
  }, 60_000);
});
