import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomStreams } from '../random/streams.ts';
import {
  deterministic,
  DistributionError,
  DistributionSpec,
  empirical,
  erlang,
  exponential,
  gammaDistribution,
  hyperexponential,
  lognormal,
  makeDistribution,
  trace,
  uniform,
  uniformFromMoments,
  weibull,
  weibullFromMoments,
  type Distribution,
} from './index.ts';

/**
 * Sample moments against the stated ones. With n draws the sample mean has standard error √(var/n);
 * the sample variance has standard error √((μ₄ − σ⁴)/n), estimated from the draws' own fourth moment.
 * scv̂ = s²/m² is bounded by linearising: |Δscv|/scv ≲ |Δs²|/σ² + 2|Δm|/μ. Every check allows Z = 5
 * standard errors: a two-sided false-alarm rate below 6·10⁻⁷ per check, so the few hundred checks
 * here (fixed seeds, so CI is stable anyway) fail by chance with probability below 10⁻³.
 */
const Z = 5;
const N = 200_000;

function checkMoments(d: Distribution, seed: number): void {
  const r = randomStreams(seed).stream(d.kind);
  const xs = new Float64Array(N);
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const x = d.sample(r);
    if (!(x >= 0 && Number.isFinite(x))) throw new Error(`${d.kind} drew ${x}`);
    xs[i] = x;
    sum += x;
  }
  const m = sum / N;
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const c = (x - m) * (x - m);
    m2 += c;
    m4 += c * c;
  }
  const variance = m2 / (N - 1);
  const mu4 = m4 / N;
  const trueVariance = d.scv * d.mean * d.mean;
  const seMean = Math.sqrt(trueVariance / N);
  expect(Math.abs(m - d.mean), `${d.kind} mean ${m} vs ${d.mean}`).toBeLessThanOrEqual(Z * seMean + 1e-12 * d.mean);
  if (d.scv === 0) {
    expect(variance).toBeLessThan(1e-20 * d.mean * d.mean + 1e-300);
    return;
  }
  const seVariance = Math.sqrt(Math.max(mu4 - variance * variance, 0) / N);
  const scvHat = variance / (m * m);
  const tolerance = d.scv * Z * (seVariance / trueVariance + (2 * seMean) / d.mean);
  expect(Math.abs(scvHat - d.scv), `${d.kind} scv ${scvHat} vs ${d.scv}`).toBeLessThanOrEqual(tolerance);
}

const mean = fc.double({ min: 0.01, max: 1e4, noNaN: true });
const runs = { seed: 424242, numRuns: 12 };

describe('distributions', () => {
  it('exponential: sample mean and scv match the stated ones', () => {
    fc.assert(fc.property(mean, fc.nat(), (m, s) => checkMoments(exponential(m), s)), runs);
  });
  it('uniform: from min/max and from mean/scv', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 100, noNaN: true }), fc.nat(), (lo, w, s) =>
        checkMoments(uniform(lo, lo + w), s),
      ),
      runs,
    );
    fc.assert(fc.property(mean, fc.double({ min: 0.001, max: 1 / 3, noNaN: true }), fc.nat(), (m, v, s) => {
      const d = uniformFromMoments(m, v);
      expect(d.mean).toBeCloseTo(m, 9);
      expect(d.scv / v).toBeCloseTo(1, 9);
      checkMoments(d, s);
    }), runs);
  });
  it('erlang-k: scv is 1/k', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), mean, fc.nat(), (k, m, s) => {
      const d = erlang(k, m);
      expect(d.scv).toBe(1 / k);
      checkMoments(d, s);
    }), runs);
  });
  it('hyperexponential: balanced-means fit keeps the requested mean and scv', () => {
    fc.assert(fc.property(mean, fc.double({ min: 1.05, max: 4, noNaN: true }), fc.nat(), (m, v, s) =>
      checkMoments(hyperexponential(m, v), s),
    ), runs);
  });
  it('lognormal: from mean and scv', () => {
    fc.assert(fc.property(mean, fc.double({ min: 0.01, max: 2, noNaN: true }), fc.nat(), (m, v, s) =>
      checkMoments(lognormal(m, v), s),
    ), runs);
  });
  it('gamma: from mean and scv, including shapes below 1', () => {
    fc.assert(fc.property(mean, fc.double({ min: 0.01, max: 3, noNaN: true }), fc.nat(), (m, v, s) =>
      checkMoments(gammaDistribution(m, v), s),
    ), runs);
  });
  it('weibull: from shape and scale, and fitted from mean and scv', () => {
    fc.assert(fc.property(fc.double({ min: 0.6, max: 20, noNaN: true }), mean, fc.nat(), (k, scale, s) =>
      checkMoments(weibull(k, scale), s),
    ), runs);
    fc.assert(fc.property(mean, fc.double({ min: 0.01, max: 3, noNaN: true }), fc.nat(), (m, v, s) => {
      // Sampling uses the fitted (shape, scale), so matching sample moments checks the fit itself.
      const d = weibullFromMoments(m, v);
      checkMoments(d, s);
    }), runs);
  });
  it('weibull with shape 1 is the exponential, and the fit finds shape 1 for scv 1', () => {
    const w = weibull(1, 3);
    expect(w.mean).toBeCloseTo(3, 12);
    expect(w.scv).toBeCloseTo(1, 12);
    const r1 = randomStreams(5).stream('w');
    const r2 = randomStreams(5).stream('w');
    const fitted = weibullFromMoments(3, 1);
    for (let i = 0; i < 100; i++) expect(fitted.sample(r1)).toBeCloseTo(w.sample(r2), 6);
  });
  it('deterministic: always the value, scv 0', () => {
    const d = deterministic(3.5);
    const r = randomStreams(1).stream('d');
    expect(new Set(Array.from({ length: 100 }, () => d.sample(r)))).toEqual(new Set([3.5]));
    expect(d.scv).toBe(0);
  });
  it('empirical: interpolates between order statistics; two points make a uniform', () => {
    const d = empirical([1, 0]);
    expect(d.mean).toBeCloseTo(0.5, 12);
    expect(d.scv).toBeCloseTo(1 / 3, 12);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }).map((v) => v / 100), { minLength: 2, maxLength: 50, size: 'max' }), fc.nat(), (xs, s) => {
      const e = empirical(xs);
      const r = randomStreams(s).stream('e');
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      for (let i = 0; i < 100; i++) {
        const x = e.sample(r);
        expect(x >= lo && x <= hi).toBe(true);
      }
      if (e.mean > 0) checkMoments(e, s);
    }), { ...runs, numRuns: 30 });
  });
  it('trace: replays in order and starts over, drawing nothing from the stream', () => {
    const d = trace([3, 1, 2]);
    const r = randomStreams(1).stream('t');
    const before = randomStreams(1).stream('t').next();
    expect(Array.from({ length: 7 }, () => d.sample(r))).toEqual([3, 1, 2, 3, 1, 2, 3]);
    expect(r.next()).toBe(before);
    expect(d.mean).toBe(2);
    expect(d.scv).toBeCloseTo(2 / 3 / 4, 12);
  });
  it('reject bad parameters with an error naming the parameter', () => {
    expect(() => exponential(0)).toThrow(/exponential: mean must be/);
    expect(() => exponential(NaN)).toThrow(DistributionError);
    expect(() => erlang(1.5, 1)).toThrow(/erlang: k/);
    expect(() => hyperexponential(1, 1)).toThrow(/hyperexponential: scv must be a finite number > 1/);
    expect(() => lognormal(1, -1)).toThrow(/lognormal: scv/);
    expect(() => uniform(3, 2)).toThrow(/max \(2\) must be ≥ min \(3\)/);
    expect(() => uniformFromMoments(1, 0.5)).toThrow(/scv must be ≤ 1\/3/);
    expect(() => weibull(0.001, 1)).toThrow(/too small/);
    expect(() => weibullFromMoments(1, 1e15)).toThrow(/weibull: scv must be between/);
    expect(() => empirical([])).toThrow(/empirical/);
    expect(() => empirical([1, -2])).toThrow(/samples\[1\]/);
    expect(() => trace([1, Infinity])).toThrow(/values\[1\]/);
  });
});

describe('distribution specs', () => {
  it('build the distribution they describe', () => {
    const d = makeDistribution(DistributionSpec.parse({ dist: 'lognormal', mean: 5, scv: 2 }));
    expect([d.kind, d.mean, d.scv]).toEqual(['lognormal', 5, 2]);
    expect(makeDistribution(DistributionSpec.parse({ dist: 'uniform', min: 1, max: 3 })).mean).toBe(2);
    expect(makeDistribution(DistributionSpec.parse({ dist: 'weibull', mean: 2, scv: 0.5 })).mean).toBeCloseTo(2, 9);
  });
  it('name the offending field when a spec is bad', () => {
    const result = DistributionSpec.safeParse({ dist: 'exponential', mean: -1 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['mean']);
    const typo = DistributionSpec.safeParse({ dist: 'exponential', mean: 1, meen: 2 });
    expect(typo.success).toBe(false);
    expect(DistributionSpec.safeParse({ dist: 'uniform', min: 1 }).success).toBe(false);
    expect(DistributionSpec.safeParse({ dist: 'pareto', mean: 1 }).success).toBe(false);
  });
});
