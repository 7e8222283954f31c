import { describe, expect, it } from 'vitest';
import { randomStreams } from '../random/streams.ts';
import { tInterval } from './interval.ts';
import { adaptiveSectioning, clipAtZero, sectioning } from './sectioning.ts';

describe('sectioning', () => {
  it('centred on the sections’ own mean, is exactly the t interval', () => {
    const xs = [3, 5, 4, 8, 6, 5, 7];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const s = sectioning(mean, xs);
    const t = tInterval(xs);
    expect(s.ci95![0]).toBeCloseTo(t.ci95![0], 12);
    expect(s.ci95![1]).toBeCloseTo(t.ci95![1], 12);
    expect(s.df).toBe(6);
  });

  it('centred elsewhere, widens by the offset (the spread is measured around the whole-data estimate)', () => {
    const xs = [3, 5, 4, 8, 6, 5, 7];
    expect(sectioning(7, xs).se!).toBeGreaterThan(sectioning(38 / 7, xs).se!);
    expect(sectioning(7, xs).mean).toBe(7);
  });

  it('declines with fewer than two sections, and says why', () => {
    expect(sectioning(1, [1]).ci95).toBeNull();
    expect(sectioning(1, [1]).declined).toMatch(/fewer than two/);
  });
});

describe('adaptive batches', () => {
  const ar1 = (phi: number, n: number, seed: number) => {
    const r = randomStreams(seed).stream('ar1');
    let x = 0;
    return Array.from({ length: n }, () => (x = phi * x + (r.next() - 0.5)));
  };
  const batchesOf = (xs: number[], b: number) => Array.from({ length: b }, (_, i) => xs.slice((i * xs.length) / b, ((i + 1) * xs.length) / b).reduce((a, c) => a + c, 0) / (xs.length / b));

  it('use the finest level when its batch values pass the lag-1 test', () => {
    const xs = ar1(0, 2000, 1);
    const e = adaptiveSectioning(0, [batchesOf(xs, 20), batchesOf(xs, 10)]);
    expect(e.ci95).not.toBeNull();
    expect(e.sections).toBe(20);
  });

  it('decline, naming the reason, when batches stay correlated down to 10 (a run far too short for its correlation)', () => {
    // φ = 0.999: correlation time ≈ 1000 steps against batches of 100–200 steps.
    const xs = ar1(0.999, 2000, 2);
    const e = adaptiveSectioning(xs.reduce((a, b) => a + b, 0) / xs.length, [batchesOf(xs, 20), batchesOf(xs, 10)]);
    expect(e.ci95).toBeNull();
    expect(e.declined).toMatch(/still correlated at 10 batches .*run longer/);
  });

  it('clip lower ends at 0 and leave positive intervals alone', () => {
    const e = sectioning(0.1, [0, 0.5, -0.2, 0.4]);
    expect(e.ci95![0]).toBeLessThan(0);
    expect(clipAtZero(e).ci95![0]).toBe(0);
    expect(clipAtZero(e).ci95![1]).toBe(e.ci95![1]);
    const positive = sectioning(10, [9, 10, 11]);
    expect(clipAtZero(positive)).toEqual(positive);
  });
});
