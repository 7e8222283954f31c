import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.ts';
import { logGamma, regularizedBeta, regularizedGammaQ } from './special.ts';
import { studentTCdf, studentTQuantile } from './studentT.ts';

const runs = { seed: 11, numRuns: 200 };

describe('special functions', () => {
  it('logGamma matches factorials and Γ(½) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // Γ(x+1) = x·Γ(x) across the range the shift and the series meet.
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (x) => {
      const scale = Math.max(1, Math.abs(logGamma(x + 1)));
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x)) / scale).toBeLessThan(1e-13);
    }), runs);
  });

  it('regularized beta has the closed forms I_x(a, 1) = xᵃ and I_x(1, b) = 1 − (1 − x)ᵇ', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.05, max: 50, noNaN: true }), (x, a) => {
      expect(regularizedBeta(x, a, 1)).toBeCloseTo(Math.pow(x, a), 12);
      expect(regularizedBeta(x, 1, a)).toBeCloseTo(1 - Math.pow(1 - x, a), 12);
    }), runs);
  });

  it('regularized gamma Q(1, x) = e^−x and Q(½, z²) = erfc(z)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 700, noNaN: true }), (x) => {
      expect(regularizedGammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 11);
    }), runs);
    expect(regularizedGammaQ(0.5, 1)).toBeCloseTo(0.157299207050285, 14); // erfc(1)
  });
});

describe('normal and Student t', () => {
  it('give the textbook quantiles', () => {
    // Two-sided 95 % and 99 % critical values as printed in any t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736174707],
      [0.975, 2, 4.302652729749464],
      [0.975, 5, 2.570581835636314],
      [0.975, 10, 2.228138851986274],
      [0.975, 30, 2.042272456301238],
      [0.995, 1, 63.65674116287399],
      [0.995, 9, 3.249835541592143],
    ];
    for (const [p, df, t] of table) expect(studentTQuantile(p, df) / t).toBeCloseTo(1, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12); // Python's statistics.NormalDist agrees
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(1.959963984540054, 10);
  });

  it('quantile inverts the CDF for any degrees of freedom, not only table rows', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.5, max: 1e5, noNaN: true }), (p, df) => {
      expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }), runs);
    fc.assert(fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
    }), runs);
  });

  it('t quantiles fall towards the normal as degrees of freedom grow', () => {
    let previous = Infinity;
    for (const df of [1, 2, 3, 5, 10, 30, 100, 1000]) {
      const t = studentTQuantile(0.975, df);
      expect(t).toBeLessThan(previous);
      expect(t).toBeGreaterThan(1.959963984540054);
      previous = t;
    }
  });

  it('reject probabilities outside (0, 1) and non-positive degrees of freedom', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/degrees of freedom/);
    expect(() => normalQuantile(0)).toThrow(RangeError);
  });
});
