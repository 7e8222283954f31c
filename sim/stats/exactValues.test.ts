import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.ts';
import { covers, meanAndVariance, tInterval } from './interval.ts';
import { replicate, summarize } from './replications.ts';
import { gamma, logGamma, regularizedBeta, regularizedGammaQ, solveIncreasing } from './special.ts';
import { studentTCdf, studentTQuantile } from './studentT.ts';

/**
 * Exact values and edge cases of the statistics' building blocks. Expectations are closed forms
 * (binomial sums for I_x with whole a, b; Poisson sums for Q(n, x); the Cauchy and t(2) CDFs) or
 * values printed by SciPy 1.x (special.gamma, special.erfc, stats.norm, stats.t), never this code's
 * own output.
 */
describe('special functions: exact values', () => {
  it('logGamma: Γ(1) = Γ(2) = 1, Γ(0.001) = 999.42377…, and non-positive or NaN x are refused', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(gamma(5)).toBeCloseTo(24, 11);
    expect(gamma(0.001) / 999.4237724845956).toBeCloseTo(1, 12);
    expect(gamma(15) / 87178291200).toBeCloseTo(1, 12); // 14!, right where the shift stops
    expect(gamma(30.5) / 4.8226969334909086e31).toBeCloseTo(1, 12); // no shift at all
    expect(() => logGamma(0)).toThrow(/logGamma needs x > 0, got 0/);
    expect(() => logGamma(-1)).toThrow(RangeError);
    expect(() => logGamma(NaN)).toThrow(RangeError);
  });

  it('regularizedBeta: binomial tails on both sides of the continued fraction switch', () => {
    // I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a) for whole a, b.
    expect(regularizedBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 14); // 0.5 > (a+1)/(a+b+2) = 3/7: the symmetric branch
    expect(regularizedBeta(0.9, 2, 3)).toBeCloseTo(0.9963, 14);
    expect(regularizedBeta(0.1, 2, 3)).toBeCloseTo(1 - 0.9 ** 4 - 4 * 0.1 * 0.9 ** 3, 14); // lower branch
    expect(regularizedBeta(0.3, 5, 2)).toBeCloseTo(6 * 0.3 ** 5 * 0.7 + 0.3 ** 6, 14);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('regularizedBeta refuses a, b ≤ 0 and x outside [0, 1], naming the values', () => {
    expect(() => regularizedBeta(0.5, 0, 1)).toThrow('regularizedBeta needs a, b > 0, got a=0, b=1');
    expect(() => regularizedBeta(0.5, 1, 0)).toThrow('regularizedBeta needs a, b > 0, got a=1, b=0');
    expect(() => regularizedBeta(0.5, NaN, 1)).toThrow(RangeError);
    expect(() => regularizedBeta(-0.1, 1, 1)).toThrow('regularizedBeta needs 0 ≤ x ≤ 1, got -0.1');
    expect(() => regularizedBeta(1.1, 1, 1)).toThrow(RangeError);
    expect(() => regularizedBeta(NaN, 1, 1)).toThrow(RangeError);
  });

  it('regularizedGammaQ: Poisson sums on both the series and the fraction side, erfc(2), and its edges', () => {
    // Q(n, x) = e^−x Σ_{k<n} x^k / k! for whole n.
    expect(regularizedGammaQ(3, 2)).toBeCloseTo(5 * Math.exp(-2), 14); // x < a + 1: series
    expect(regularizedGammaQ(3, 10) / (61 * Math.exp(-10))).toBeCloseTo(1, 12); // fraction
    expect(regularizedGammaQ(3, 4) / (13 * Math.exp(-4))).toBeCloseTo(1, 12); // x = a + 1 exactly
    expect(regularizedGammaQ(0.5, 4) / 0.004677734981047266).toBeCloseTo(1, 12); // erfc(2)
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
    expect(() => regularizedGammaQ(0, 1)).toThrow('regularizedGammaQ needs a > 0, got 0');
    expect(() => regularizedGammaQ(NaN, 1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, -1)).toThrow('regularizedGammaQ needs x ≥ 0, got -1');
    expect(() => regularizedGammaQ(1, NaN)).toThrow(RangeError);
  });

  it('solveIncreasing finds the crossing to the last bit, and stays inside its bracket', () => {
    expect(solveIncreasing((x) => x * x * x, 8, 0, 10)).toBeCloseTo(2, 14);
    expect(solveIncreasing((x) => x, 0.25, 0, 1)).toBe(0.25);
    expect(solveIncreasing((x) => x, 5, 0, 1)).toBeCloseTo(1, 14); // target above the range: its top
    expect(solveIncreasing((x) => x, -5, 0, 1)).toBeCloseTo(0, 14);
  });
});

describe('normal and Student t: exact values', () => {
  it('normalCdf: Φ(0) = ½, Φ(1.96), Φ(−1), symmetric, NaN stays NaN', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(1)).toBeCloseTo(1 - 0.15865525393145707, 14);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it('normalQuantile: sign by side, ½ → 0, and (0, 1) only', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 12);
    expect(() => normalQuantile(1)).toThrow('normalQuantile needs 0 < p < 1, got 1');
    expect(() => normalQuantile(NaN)).toThrow(RangeError);
  });

  it('studentTCdf: Cauchy (df 1) and t(2) closed forms, ½ at 0, the normal beyond 1e7 df', () => {
    // df 1: F(t) = ½ + atan(t)/π. df 2: F(t) = ½ + t / (2√(2 + t²)).
    for (const t of [-3, -1, -0.2, 0.2, 1, 3]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
    expect(studentTCdf(0, 3)).toBe(0.5);
    expect(studentTCdf(1.96, 2e7)).toBe(normalCdf(1.96));
    expect(studentTCdf(1.96, 1e7)).toBeCloseTo(0.9750021048517795, 7);
    expect(() => studentTCdf(1, 0)).toThrow('degrees of freedom must be > 0, got 0');
    expect(() => studentTCdf(1, NaN)).toThrow(RangeError);
  });

  it('studentTQuantile: t(0.975, 4) and t(0.95, 4) from the table, negative below ½, 0 at ½', () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764451051977934, 11);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 11);
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.1318467863266495, 11);
    expect(studentTQuantile(0.75, 1)).toBeCloseTo(1, 12); // Cauchy quartile
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.975, 2e7)).toBe(normalQuantile(0.975));
    expect(() => studentTQuantile(0, 3)).toThrow('studentTQuantile needs 0 < p < 1, got 0');
    expect(() => studentTQuantile(NaN, 3)).toThrow(RangeError);
  });
});

describe('t intervals and replications: exact values', () => {
  it('tInterval of 1..5: mean 3, s = √2.5, half-width t(0.975, 4)·s/√5, and at 90 % t(0.95, 4)', () => {
    const e = tInterval([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.n).toBe(5);
    expect(e.stdDev).toBeCloseTo(Math.sqrt(2.5), 14);
    const half = 2.7764451051977934 * Math.sqrt(2.5 / 5);
    expect(e.halfWidth!).toBeCloseTo(half, 10);
    expect(e.ci95![0]).toBeCloseTo(3 - half, 10);
    expect(e.ci95![1]).toBeCloseTo(3 + half, 10);
    expect(tInterval([1, 2, 3, 4, 5], 0.9).halfWidth!).toBeCloseTo(2.1318467863266495 * Math.sqrt(0.5), 10);
  });

  it('tInterval of one value: that mean, no interval, zero spread; refuses no values and a level outside (0, 1)', () => {
    expect(tInterval([7])).toEqual({ mean: 7, ci95: null, halfWidth: null, n: 1, stdDev: 0 });
    expect(() => tInterval([])).toThrow('an interval needs at least one observation');
    expect(() => tInterval([1, 2], 1)).toThrow('confidence level must be in (0, 1), got 1');
    expect(() => tInterval([1, 2], 0)).toThrow(RangeError);
  });

  it('meanAndVariance is exact far from zero (Welford), and 0 for one value', () => {
    const big = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const { mean, variance } = meanAndVariance(big);
    expect(mean).toBe(1e9 + 10);
    expect(variance).toBeCloseTo(30, 9); // deviations −6, −3, 3, 6: 90 / 3
    expect(meanAndVariance([5])).toEqual({ mean: 5, variance: 0 });
  });

  it('covers includes both ends and nothing outside; no interval covers nothing', () => {
    const e = tInterval([1, 2, 3, 4, 5]);
    const [lo, hi] = e.ci95!;
    expect(covers(e, lo)).toBe(true);
    expect(covers(e, hi)).toBe(true);
    expect(covers(e, lo - 1e-9)).toBe(false);
    expect(covers(e, hi + 1e-9)).toBe(false);
    expect(covers(tInterval([3]), 3)).toBe(false);
  });

  it('replicate gives replication i the seed seed + i, accepts a single replication, and two values already make an interval', () => {
    const { seeds, runs } = replicate(3, 40, (seed, index) => ({ seed, index }));
    expect(seeds).toEqual([40, 41, 42]);
    expect(runs).toEqual([{ seed: 40, index: 0 }, { seed: 41, index: 1 }, { seed: 42, index: 2 }]);
    const one = replicate(1, 9, (seed) => ({ x: seed }));
    expect(one.seeds).toEqual([9]);
    expect(one.estimates.x).toEqual({ mean: 9, ci95: null, halfWidth: null, n: 1, stdDev: 0 });
    // n = 2: t(0.975, 1) · s / √2 with s = √2 for [1, 3].
    expect(tInterval([1, 3]).halfWidth!).toBeCloseTo(12.706204736174707, 10);
  });

  it('replicate refuses a non-whole or non-positive count; summarize refuses no runs and uses the level', () => {
    for (const bad of [0, -1, 1.5, NaN]) expect(() => replicate(bad, 1, () => ({ x: 1 }))).toThrow(`replications must be a whole number ≥ 1, got ${bad}`);
    expect(() => summarize([])).toThrow('nothing to summarise: no runs');
    const runs = [{ x: 1, y: 10 }, { x: 2, y: 10 }, { x: 3, y: 10 }, { x: 4, y: 10 }, { x: 5, y: 10 }];
    const at90 = summarize(runs, 0.9);
    expect(Object.keys(at90)).toEqual(['x', 'y']);
    expect(at90.x.halfWidth!).toBeCloseTo(2.1318467863266495 * Math.sqrt(0.5), 10);
    expect(at90.y.halfWidth).toBe(0);
    const r = replicate(5, 100, (_seed, i) => ({ x: i + 1 }), 0.9);
    expect(r.estimates.x.halfWidth!).toBeCloseTo(2.1318467863266495 * Math.sqrt(0.5), 10);
  });
});
