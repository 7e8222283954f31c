import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HdrHistogram } from './hdrHistogram.ts';
import { Tally } from './tally.ts';
import { ThroughputCounter } from './throughput.ts';
import { TimeWeighted } from './timeWeighted.ts';

const runs = { seed: 99, numRuns: 150 };
const steps = fc.array(fc.record({ dtMs: fc.integer({ min: 0, max: 5000 }), value: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 300, size: 'max' }); // 'max': the declared lengths, not ~10

describe('TimeWeighted', () => {
  it('averages a step function by the time each value was held', () => {
    const q = new TimeWeighted(0);
    q.set(10, 4); // 0 for 10 ms
    q.set(30, 1); // 4 for 20 ms
    expect(q.mean(40)).toBeCloseTo((0 * 10 + 4 * 20 + 1 * 10) / 40, 12);
    expect(q.max).toBe(4);
  });

  it('forgets the warm-up on reset but keeps the current value', () => {
    const q = new TimeWeighted(0);
    q.set(0, 100);
    q.set(50, 2);
    q.reset(60);
    expect(q.mean(70)).toBe(2);
    expect(q.max).toBe(2);
  });

  it('keeps its down-sampled series bounded and its area equal to the exact one', () => {
    fc.assert(fc.property(steps, fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 20 }), (path, bucketMs, maxPoints) => {
      const q = new TimeWeighted(0, 0, { bucketMs, maxPoints });
      let t = 0;
      let area = 0;
      let value = 0;
      let peak = 0;
      for (const s of path) {
        area += value * s.dtMs;
        t += s.dtMs;
        q.set(t, s.value);
        value = s.value;
        peak = Math.max(peak, value);
      }
      const series = q.series(t);
      expect(series.length).toBeLessThanOrEqual(2 * Math.ceil(maxPoints / 2) + 1);
      // Buckets tile [0, t]: the widths follow from consecutive starts, and the last ends at t.
      let seriesArea = 0;
      for (let i = 0; i < series.length; i++) {
        const end = i + 1 < series.length ? series[i + 1]!.tMs : t;
        seriesArea += series[i]!.mean * (end - series[i]!.tMs);
        expect(series[i]!.max).toBeLessThanOrEqual(peak);
      }
      expect(seriesArea).toBeCloseTo(area, 6);
      if (t > 0) expect(q.mean(t)).toBeCloseTo(area / t, 9);
    }), runs);
  });

  it('rejects time going backwards', () => {
    const q = new TimeWeighted(10);
    expect(() => q.set(5, 1)).toThrow(/backwards/);
  });
});

describe('Tally', () => {
  const values = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 500, size: 'max' });

  it('keeps the mean and variance a two-pass computation gives', () => {
    fc.assert(fc.property(values, (xs) => {
      const t = new Tally();
      xs.forEach((x) => t.record(x));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
      expect(t.mean).toBeCloseTo(mean, 6);
      expect(Math.abs(t.variance - variance)).toBeLessThanOrEqual(1e-9 * Math.max(1, variance));
      expect(t.min).toBe(Math.min(...xs));
      expect(t.max).toBe(Math.max(...xs));
    }), runs);
  });

  it('exact percentiles are nearest-rank order statistics', () => {
    fc.assert(fc.property(values, fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
      const t = new Tally('exact');
      xs.forEach((x) => t.record(x));
      const sorted = [...xs].sort((a, b) => a - b);
      expect(t.quantile(q)).toBe(sorted[Math.max(1, Math.ceil(q * xs.length)) - 1]);
    }), runs);
  });

  it('HDR percentiles stay within the stated relative error of the exact ones', () => {
    // The bound holds from 2^-40 ms up (a picosecond); anything smaller shares the lowest bucket.
    const measurable = values.map((xs) => xs.map((x) => (x < 1e-9 ? 0 : x)));
    fc.assert(fc.property(measurable, fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
      const exact = new Tally('exact');
      const hdr = new Tally('hdr');
      xs.forEach((x) => {
        exact.record(x);
        hdr.record(x);
      });
      const e = exact.quantile(q);
      expect(Math.abs(hdr.quantile(q) - e)).toBeLessThanOrEqual(hdr.relativeError * e);
    }), runs);
  });

  it('HDR histogram lists buckets that hold every value once', () => {
    const h = new HdrHistogram(4);
    [0, 1, 1.01, 3, 1000].forEach((x) => h.record(x));
    const buckets = h.buckets();
    expect(buckets.reduce((a, b) => a + b.count, 0)).toBe(5);
    for (const b of buckets) expect(b.hi).toBeGreaterThanOrEqual(b.lo);
    expect(h.relativeError).toBe(1 / 32);
  });
});

describe('ThroughputCounter', () => {
  it('counts completions per second over its window', () => {
    const c = new ThroughputCounter(0);
    c.record(5);
    c.reset(1000);
    c.record(30);
    expect(c.ratePerSec(4000)).toBe(10);
  });
});

describe('merging tallies', () => {
  it('gives what recording everything into one tally gives, in both modes', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 50, size: 'max' }), { minLength: 1, maxLength: 6 }), fc.constantFrom('exact' as const, 'hdr' as const), (parts, mode) => {
      const whole = new Tally(mode);
      const merged = new Tally(mode);
      for (const part of parts) {
        const t = new Tally(mode);
        part.forEach((x) => {
          t.record(x);
          whole.record(x);
        });
        merged.merge(t);
      }
      expect(merged.count).toBe(whole.count);
      if (whole.count === 0) return;
      expect(merged.mean).toBeCloseTo(whole.mean, 6);
      expect(Math.abs(merged.variance - whole.variance)).toBeLessThanOrEqual(1e-6 * Math.max(1, whole.variance));
      expect([merged.min, merged.max]).toEqual([whole.min, whole.max]);
      for (const q of [0, 0.5, 0.9, 0.99, 1]) expect(merged.quantile(q)).toBe(whole.quantile(q));
    }), { seed: 5, numRuns: 200 });
  });
});
