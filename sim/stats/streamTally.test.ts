import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HdrHistogram } from '../metrics/hdrHistogram.ts';
import { LogHistogram } from './logHistogram.ts';
import { StreamTally } from './streamTally.ts';

const values = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e7, noNaN: true })), { minLength: 1, maxLength: 300 });

describe('LogHistogram', () => {
  it('gives the quantiles and chart buckets of HdrHistogram for the same values, however they are split and merged', () => {
    fc.assert(
      fc.property(values, fc.nat(), (xs, cut) => {
        const dense = new HdrHistogram();
        const [a, b] = [new LogHistogram(), new LogHistogram()];
        xs.forEach((x, i) => {
          dense.record(x);
          (i < cut % (xs.length + 1) ? a : b).record(x);
        });
        const merged = new LogHistogram();
        merged.merge(b);
        merged.merge(a);
        for (const q of [0, 0.1, 0.5, 0.9, 0.99, 0.999, 1]) expect(merged.quantile(q)).toBe(dense.quantile(q));
        expect(merged.buckets(5)).toEqual(dense.buckets(5));
        expect(merged.count).toBe(xs.length);
      }),
    );
  });

  it('counts the values in buckets above a reported quantile, which is within the bucket error of the exact count above it', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (xs, q) => {
        const h = new LogHistogram();
        for (const x of xs) h.record(x);
        const t = h.quantile(q);
        const binned = h.countAbove(t);
        // Exact counts above the bucket's bounds bracket the binned count.
        const above = (v: number) => xs.filter((x) => x > v).length;
        expect(binned).toBeLessThanOrEqual(above(t * (1 - h.relativeError * 1.01)));
        expect(binned).toBeGreaterThanOrEqual(above(t * (1 + h.relativeError * 1.01)));
      }),
    );
  });

  it('holds a few kB for a wide range of waits (at most twice the range used), not the dense 107 kB', () => {
    const h = new LogHistogram();
    for (let x = 0.01; x < 1e6; x *= 1.001) h.record(x);
    expect(h.bytes).toBeLessThan(2 * 4 * 128 * 28);
  });
});

describe('StreamTally', () => {
  it('in exact mode gives nearest-rank quantiles and exact counts above any threshold, merged or not', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 1e7, noNaN: true }), (xs, t) => {
        const [a, b] = [new StreamTally(true), new StreamTally(true)];
        xs.forEach((x, i) => (i % 2 === 0 ? a : b).record(x));
        a.merge(b);
        const sorted = [...xs].sort((p, q) => p - q);
        expect(a.quantile(0.99)).toBe(sorted[Math.ceil(0.99 * xs.length) - 1]);
        expect(a.countAbove(t)).toBe(xs.filter((x) => x > t).length);
        expect(a.mean).toBeCloseTo(xs.reduce((s, x) => s + x, 0) / xs.length, 6);
      }),
    );
  });

  it('in histogram mode keeps quantiles within the stated relative error of the exact order statistic', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const [h, e] = [new StreamTally(false), new StreamTally(true)];
        for (const x of xs) {
          h.record(x);
          e.record(x);
        }
        for (const q of [0.5, 0.9, 0.99]) expect(Math.abs(h.quantile(q) - e.quantile(q))).toBeLessThanOrEqual(e.quantile(q) * 2 ** -8 * 1.0001);
        expect(h.max).toBe(e.max);
      }),
    );
  });
});
