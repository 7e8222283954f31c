import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketSeries } from './bucketSeries.ts';

describe('BucketSeries', () => {
  it('its bucket areas add up to the exact integral of the step function, for any steps and bucket counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.double({ min: 0, max: 50, noNaN: true }), v: fc.integer({ min: 0, max: 20 }) }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 97 }),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        (steps, buckets, endMs) => {
          const s = new BucketSeries(endMs, buckets);
          let t = 0;
          let value = 0;
          let exact = 0;
          for (const step of steps) {
            const next = t + step.dt;
            exact += value * (Math.min(next, endMs) - Math.min(t, endMs));
            t = next;
            s.set(t, step.v);
            value = step.v;
          }
          exact += value * Math.max(0, endMs - Math.min(t, endMs));
          s.finish();
          const total = s.area.reduce((a, b) => a + b, 0);
          expect(Math.abs(total - exact)).toBeLessThanOrEqual(1e-9 * Math.max(1, exact));
          expect(s.mean(0, buckets)).toBeCloseTo(exact / endMs, 9);
        },
      ),
      { seed: 31, numRuns: 300 },
    );
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
