import { describe, expect, it } from 'vitest';
import { lag1Autocorrelation } from '../stats/batchMeans.ts';
import { correlationInflation } from '../stats/sectioning.ts';
import { normalQuantile } from '../stats/normal.ts';
import { studentTQuantile } from '../stats/studentT.ts';
import { randomStreams } from '../random/streams.ts';
import { tInterval } from '../stats/interval.ts';
import { intervalOf } from './intervals.ts';
import type { ReplicationResult } from './replication.ts';

/** Standard normal draws by Box–Muller from a named stream (fixed seeds: the outcome is the same in every run). */
function normals(seed: number, n: number): number[] {
  const r = randomStreams(seed).stream('normals');
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next()));
}

const replicationsOf = (values: number[]) => values.map((v) => ({ metrics: { waitMeanMs: v } }) as unknown as ReplicationResult);
const oneRunOf = (batches: number[]) =>
  [{ metrics: { waitMeanMs: batches.reduce((a, b) => a + b, 0) / batches.length }, batchLevels: [batches.map((v) => ({ waitMeanMs: v }))] }] as unknown as ReplicationResult[];

/**
 * The half-width of the t interval over n independent N(μ, σ²) observations is h = t(0.975, n−1)·S/√n,
 * and (n−1)S²/σ² is χ²(n−1). Over M experiments, U = Σ (n−1)(h·√n / (t·σ))² is exactly χ²(M(n−1)):
 * mean M(n−1), sd √(2M(n−1)). An interval 10 % too narrow (or wide) scales U by 0.81 (1.21), about
 * 8 sd away at M = 400, n = 10; the band ±3.29 sd has a false-alarm rate of 0.1 % (normal
 * approximation to χ²(3600), accurate to well under that).
 */
function halfWidthStatistic(intervalFor: (xs: number[]) => { ci95: [number, number] | null; mean: number | null }, n: number, experiments: number): { z: number; covered: number } {
  const t = studentTQuantile(0.975, n - 1);
  let u = 0;
  let covered = 0;
  for (let e = 0; e < experiments; e++) {
    const xs = normals(7000 + e, n).map((z) => 100 + 10 * z); // σ = 10, μ = 100: well away from the clip at 0
    const i = intervalFor(xs);
    expect(i.ci95).not.toBeNull();
    const h = (i.ci95![1] - i.ci95![0]) / 2;
    u += (n - 1) * ((h * Math.sqrt(n)) / (t * 10)) ** 2;
    if (i.ci95![0] <= 100 && 100 <= i.ci95![1]) covered++;
  }
  const dof = experiments * (n - 1);
  return { z: (u - dof) / Math.sqrt(2 * dof), covered };
}

describe('interval half-widths follow their known sampling distribution', () => {
  const limit = normalQuantile(1 - 0.001 / 2); // 3.29: two-sided false-alarm rate 0.1 %

  it('across replications', () => {
    const { z, covered } = halfWidthStatistic((xs) => intervalOf('waitMeanMs', 'mean', replicationsOf(xs)), 10, 400);
    expect(Math.abs(z)).toBeLessThan(limit);
    // Coverage is Binomial(400, 0.95): sd 4.4; 364–396 is ±3.7 sd. (A 10 % narrower interval covers
    // about 92.7 %, which this band alone would often miss — the half-width statistic catches it.)
    expect(covered).toBeGreaterThanOrEqual(364);
    expect(covered).toBeLessThanOrEqual(396);
  });

  it('of the plain t interval (stats/interval.ts, used by replicate)', () => {
    const { z } = halfWidthStatistic((xs) => tInterval(xs), 10, 400);
    expect(Math.abs(z)).toBeLessThan(limit);
  });

  it('across the batches of one run (independent batches: the lag-1 test passes and the t interval applies)', () => {
    // The lag-1 test at 10 % declines ~10 % of independent series at the first level; those fall to
    // 10 batches (n = 10), so only experiments that stay at 20 batches are pooled here.
    const t = studentTQuantile(0.975, 19);
    let u = 0;
    let m = 0;
    for (let e = 0; e < 400; e++) {
      const xs = normals(9000 + e, 20).map((z) => 100 + 10 * z);
      const i = intervalOf('waitMeanMs', 'mean', oneRunOf(xs));
      if (i.ci95 === null || i.df !== 19) continue;
      // The chosen level's variance is inflated by (1 + φ)/(1 − φ), φ = max(0, lag-1) (sectioning.ts,
      // Skart's correlation adjustment); undone here, what is left must be the plain t half-width.
      const h = (i.ci95[1] - i.ci95[0]) / 2 / Math.sqrt(correlationInflation(lag1Autocorrelation(xs)));
      // Sectioning centres on the whole mean, which here equals the batch average: S is the usual one.
      u += 19 * ((h * Math.sqrt(20)) / (t * 10)) ** 2;
      m++;
    }
    expect(m).toBeGreaterThan(300);
    // Selecting on the lag-1 test barely changes S's distribution for independent data (r₁ and S² are
    // nearly independent for normal samples); the band is still ±3.29 sd.
    const z = (u - 19 * m) / Math.sqrt(2 * 19 * m);
    expect(Math.abs(z)).toBeLessThan(limit);
  });
});

describe('quantiles read off a histogram', () => {
  it('bucketQuantile and shareAbove invert each other within a bucket', async () => {
    const { bucketQuantile, shareAbove } = await import('./intervals.ts');
    const h = [
      { lo: 0, hi: 0, count: 50 },
      { lo: 1, hi: 2, count: 30 },
      { lo: 2, hi: 4, count: 20 },
    ];
    expect(bucketQuantile(h, 0.5)).toBe(0); // half the observations are exactly 0
    expect(shareAbove(h, 2)).toBeCloseTo(0.2, 12);
    expect(shareAbove(h, 3)).toBeCloseTo(0.1, 12);
    const q = bucketQuantile(h, 0.9);
    expect(q).toBeGreaterThan(2);
    expect(q).toBeLessThan(4);
    expect(shareAbove(h, q)).toBeCloseTo(0.1, 1);
  });
});
