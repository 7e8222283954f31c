import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketSeries } from './bucketSeries.ts';

describe('BucketSeries', () => {
  it('its bucket areas are the exact integral of the step function over each bucket, for any steps and bucket counts', () => {
    // size 'max' so the declared 200 steps really occur (fast-check's default keeps arrays near 10),
    // and the signal walks across many buckets instead of a few; the counters prove it.
    let runs = 0;
    let longRuns = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.double({ min: 0, max: 50, noNaN: true }), v: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 200, size: 'max' }),
        fc.integer({ min: 1, max: 97 }),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        (steps, buckets, endMs) => {
          runs++;
          if (steps.length >= 100) longRuns++;
          const s = new BucketSeries(endMs, buckets);
          const widthMs = endMs / buckets;
          const perBucket = new Array<number>(buckets).fill(0);
          // The reference integrates each constant piece against every bucket's [b·w, (b+1)·w).
          const hold = (fromMs: number, toMs: number, v: number) => {
            for (let b = 0; b < buckets; b++) {
              const overlap = Math.min(toMs, (b + 1) * widthMs, endMs) - Math.max(fromMs, b * widthMs);
              if (overlap > 0) perBucket[b]! += v * overlap;
            }
          };
          let t = 0;
          let value = 0;
          let exact = 0;
          for (const step of steps) {
            const next = t + step.dt;
            exact += value * (Math.min(next, endMs) - Math.min(t, endMs));
            hold(t, next, value);
            t = next;
            s.set(t, step.v);
            value = step.v;
          }
          exact += value * Math.max(0, endMs - Math.min(t, endMs));
          hold(t, endMs, value);
          s.finish();
          const total = s.area.reduce((a, b) => a + b, 0);
          expect(Math.abs(total - exact)).toBeLessThanOrEqual(1e-9 * Math.max(1, exact));
          expect(s.mean(0, buckets)).toBeCloseTo(exact / endMs, 9);
          for (let b = 0; b < buckets; b++) expect(Math.abs(s.area[b]! - perBucket[b]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, exact));
        },
      ),
      { seed: 31, numRuns: 300 },
    );
    expect(runs).toBe(300);
    expect(longRuns).toBeGreaterThanOrEqual(100); // 138 of 300 have 100+ steps with this seed
  });

  it('counts ticks per bucket and turns them into a rate per second', () => {
    const s = new BucketSeries(10_000, 10);
    for (let t = 0; t < 10_000; t += 100) s.tick(t);
    expect(s.rate(0, 10)).toBeCloseTo(10, 12);
    expect(s.rate(5, 10)).toBeCloseTo(10, 12);
  });

  it('keeps the peak of every bucket the signal passed through', () => {
    const s = new BucketSeries(100, 4);
    s.set(10, 5);
    s.set(11, 0);
    s.set(60, 2);
    s.finish();
    expect([...s.max]).toEqual([5, 0, 2, 2]);
    expect(s.peak(0, 4)).toBe(5);
  });
});
