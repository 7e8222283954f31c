import { describe, expect, it } from 'vitest';
import { exponential } from '../dist/exponential.ts';
import { randomStreams } from '../random/streams.ts';
import { lag1Autocorrelation } from './batchMeans.ts';
import { adaptiveSectioning } from './sectioning.ts';
import { covers, tInterval } from './interval.ts';
import { replicate } from './replications.ts';
import { fixedWarmupIndex, mser5 } from './warmup.ts';

describe('t intervals and replications', () => {
  it('cover the true mean about 95 % of the time across 200 seeded experiments', () => {
    // Each experiment: 10 replications, each reporting the mean of 50 exponential(1) draws (nearly
    // normal by the CLT). The coverage count is Binomial(200, ≈0.95): sd ≈ 3 experiments, so the
    // required 184–196 (92–98 %) is about ±2 sd. Seeds are fixed, so the outcome is stable in CI.
    const service = exponential(1);
    let covered = 0;
    for (let experiment = 0; experiment < 200; experiment++) {
      const { estimates } = replicate(10, 1000 * experiment, (seed) => {
        const r = randomStreams(seed).stream('draws');
        let sum = 0;
        for (let i = 0; i < 50; i++) sum += service.sample(r);
        return { mean: sum / 50 };
      });
      if (covers(estimates.mean, 1)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(184);
    expect(covered).toBeLessThanOrEqual(196);
  });

  it('give replication i the seed seed + i so it can be replayed alone', () => {
    const { seeds, runs } = replicate(3, 40, (seed, index) => ({ seed, index }));
    expect(seeds).toEqual([40, 41, 42]);
    expect(runs.map((r) => r.seed)).toEqual(seeds);
  });

  it('report no interval from a single observation rather than a made-up one', () => {
    expect(tInterval([3]).ci95).toBeNull();
    expect(tInterval([1, 3]).ci95).not.toBeNull();
  });
});

describe('warm-up deletion', () => {
  it('fixed: drops observations before the warm-up time', () => {
    expect(fixedWarmupIndex([0, 1, 2, 5, 5, 9], 5)).toBe(3);
    expect(fixedWarmupIndex([0, 1], 10)).toBe(2);
  });

  it('MSER-5 truncates an initial transient and leaves a stationary series alone', () => {
    const r = randomStreams(3).stream('noise');
    const noise = () => r.next() - 0.5;
    const transient = Array.from({ length: 5000 }, (_, i) => (i < 600 ? 20 * (1 - i / 600) : 0) + noise());
    const cut = mser5(transient).truncate;
    expect(cut).toBeGreaterThanOrEqual(450);
    expect(cut).toBeLessThanOrEqual(800);
    const stationary = Array.from({ length: 5000 }, noise);
    expect(mser5(stationary).truncate).toBeLessThan(1250);
  });
});

describe('batch means', () => {
  it('on a strongly autocorrelated series, widens batches until their means decorrelate and still covers', () => {
    // AR(1) with φ = 0.95 around 0: consecutive observations are far from independent. Over 100
    // seeded runs the batch-means interval should cover 0 at close to its nominal 95 %; we require
    // ≥ 85 % (Binomial(100, 0.95) falls below 88 with probability < 0.5 %, leaving room for the
    // method's small-sample bias). A naive t interval over raw observations covers far less.
    let coveredBatch = 0;
    let coveredNaive = 0;
    let printed = 0;
    for (let run = 0; run < 100; run++) {
      const r = randomStreams(run).stream('ar1');
      const xs = new Float64Array(20_000);
      let x = 0;
      for (let i = 0; i < xs.length; i++) {
        x = 0.95 * x + (r.next() - 0.5);
        xs[i] = x;
      }
      // What a one-replication run does: 20 batches, merged pairwise while correlated (sectioning.ts).
      const batches = (b: number) => Array.from({ length: b }, (_, k) => xs.subarray((k * xs.length) / b, ((k + 1) * xs.length) / b).reduce((a, v) => a + v, 0) / (xs.length / b));
      const whole = xs.reduce((a, v) => a + v, 0) / xs.length;
      const estimate = adaptiveSectioning(whole, [batches(20), batches(10)]);
      // Batches of 1000–2000 steps against a correlation time of ~20: the lag-1 test fails both levels
      // only by chance (≈ 10 % × 10 %), so nearly every run prints an interval.
      if (estimate.ci95 !== null) printed++;
      if (estimate.ci95 !== null && estimate.ci95[0] <= 0 && 0 <= estimate.ci95[1]) coveredBatch++;
      if (covers(tInterval(xs), 0)) coveredNaive++;
      expect(estimate.sections).toBeGreaterThanOrEqual(10);
    }
    expect(printed).toBeGreaterThanOrEqual(95);
    expect(coveredBatch).toBeGreaterThanOrEqual(Math.ceil(0.85 * printed));
    expect(coveredNaive).toBeLessThan(60);
  });

  it('measures lag-1 autocorrelation', () => {
    expect(lag1Autocorrelation([1, -1, 1, -1, 1, -1, 1, -1])).toBeLessThan(-0.8);
    expect(lag1Autocorrelation([1, 2, 3, 4, 5, 6, 7, 8])).toBeGreaterThan(0.5);
  });
});
