import { describe, expect, it } from 'vitest';
import { randomStreams } from '../random/streams.ts';
import { tInterval } from './interval.ts';
import { adaptiveSectioning, clipAtZero, correlationInflation, sectioning } from './sectioning.ts';

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

  it('widen the chosen level by its remaining lag-1 correlation, (1 + φ)/(1 − φ) in variance, and never narrow it', () => {
    // Batch values with lag-1 correlation 0.205, positive but inside the test's 0.287 at 20 batches.
    const xs = [4.6, 5.3, 5.1, 5.0, 4.9, 5.2, 5.4, 5.0, 4.7, 4.8, 5.1, 5.3, 5.2, 4.9, 4.6, 4.8, 5.0, 5.2, 5.1, 4.9];
    const e = adaptiveSectioning(5, [xs]);
    const plain = sectioning(5, xs);
    expect(e.lag1!).toBeGreaterThan(0);
    expect(e.se! / plain.se!).toBeCloseTo(Math.sqrt((1 + e.lag1!) / (1 - e.lag1!)), 12);
    expect((e.ci95![1] - e.ci95![0]) / (plain.ci95![1] - plain.ci95![0])).toBeCloseTo(e.se! / plain.se!, 12);
    expect(correlationInflation(-0.3)).toBe(1);
    expect(correlationInflation(0.2)).toBeCloseTo(1.5, 12);
  });

  it('cover an AR(1) mean (φ = 0.9, batches of 100–200 steps) at least as often as plain batches, and at ≥ 90 % over 400 seeds', () => {
    let [inflated, plain, printed] = [0, 0, 0];
    for (let seed = 0; seed < 400; seed++) {
      const xs = ar1(0.9, 4000, 100 + seed);
      const whole = xs.reduce((a, b) => a + b, 0) / xs.length;
      const e = adaptiveSectioning(whole, [batchesOf(xs, 20), batchesOf(xs, 10)]);
      if (e.ci95 === null) continue;
      printed++;
      if (e.ci95[0] <= 0 && 0 <= e.ci95[1]) inflated++;
      const p = sectioning(whole, e.sections === 20 ? batchesOf(xs, 20) : batchesOf(xs, 10));
      if (p.ci95![0] <= 0 && 0 <= p.ci95![1]) plain++;
    }
    expect(printed).toBeGreaterThan(300);
    expect(inflated).toBeGreaterThanOrEqual(plain);
    expect(inflated / printed).toBeGreaterThanOrEqual(0.9);
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
