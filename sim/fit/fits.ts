import { makeDistribution, type DistributionSpec } from '../dist/spec.ts';
import { randomStreams } from '../random/streams.ts';
import type { ArrivalSpec } from '../scenario/schema.ts';
import { lag1Autocorrelation } from '../stats/batchMeans.ts';
import { makeArrivals } from '../workload/arrivals.ts';
import { fitMmpp2Em, type Mmpp2 } from './mmpp2Em.ts';

export interface DataSummary {
  n: number;
  meanMs: number;
  scv: number;
  /** Lag-1 autocorrelation of consecutive values (near 0: independent; well above: bursts). */
  lag1: number;
  /** Values beyond ±2/√n are unlikely for independent data. */
  lag1Bound: number;
}

export interface Fit {
  name: 'exponential' | 'erlang' | 'hyperexponential' | 'lognormal' | 'mmpp2';
  /** The scenario fragment this fit writes. */
  fragment: { arrivals: ArrivalSpec } | { serviceTimeMs: DistributionSpec };
  /** Two-sample Kolmogorov–Smirnov statistic against SAMPLE values drawn from the fit (seeded). */
  ks: number;
  /** scv and lag-1 autocorrelation of that sample, to compare with the data's. */
  scv: number;
  lag1: number;
  method: string;
}

export interface FitResult {
  data: DataSummary;
  fits: Fit[];
  chosen: Fit;
  reason: string;
}

/** Values drawn from each fitted model for its KS statistic: enough that the sample's own KS noise (≈ 1.36/√SAMPLE) stays near 0.01. */
const SAMPLE = 20_000;
/** A KS statistic this small is an acceptable marginal fit: correlation then decides for the MMPP. */
const ACCEPTABLE_KS = 0.1;

export function summarize(values: number[]): DataSummary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { n, meanMs: mean, scv: mean > 0 ? variance / (mean * mean) : 0, lag1: n > 2 ? lag1Autocorrelation(values) : 0, lag1Bound: 2 / Math.sqrt(n) };
}

/**
 * Fits inter-arrival gaps (`arrivals`) or service times (`service`) by moments — exponential (the
 * mean), Erlang (k = round(1/scv), when that is ≥ 2), balanced-means hyperexponential (scv > 1),
 * lognormal (mean and scv) — and, for arrivals with scv > 1, a two-state MMPP by maximum likelihood
 * (Rydén's EM, sim/fit/mmpp2Em.ts), started from burst and quiet runs of the gaps. Each fit is judged by a two-sample KS statistic against a seeded sample
 * from it, and by that sample's scv and lag-1 autocorrelation. The choice: the MMPP when the data
 * are positively correlated beyond 2/√n and its KS is below 0.1 or within 1.5× the best renewal
 * fit's (a renewal process cannot produce correlated gaps, and bursts drive waits); otherwise the fit with the smallest KS.
 */
export function fitData(values: number[], as: 'arrivals' | 'service'): FitResult {
  const data = summarize(values);
  if (!(data.meanMs > 0)) throw new RangeError('every value is 0: nothing to fit');
  const sorted = [...values].sort((a, b) => a - b);
  const fits: Fit[] = [];
  const renewal = (name: Fit['name'], spec: DistributionSpec, method: string) => {
    const dist = makeDistribution(spec);
    const random = randomStreams(1).stream(`fit/${name}`);
    const sample = Array.from({ length: SAMPLE }, () => dist.sample(random));
    const fragment =
      as === 'service'
        ? { serviceTimeMs: spec }
        : name === 'exponential'
          ? { arrivals: { process: 'poisson' as const, ratePerSec: 1000 / data.meanMs } }
          : { arrivals: { process: 'renewal' as const, interArrivalMs: spec } };
    fits.push({ name, fragment, ks: ks(sorted, sample), scv: summarize(sample).scv, lag1: summarize(sample).lag1, method });
  };
  const mean = data.meanMs;
  renewal('exponential', { dist: 'exponential', mean }, 'mean');
  if (data.scv > 0 && Math.round(1 / data.scv) >= 2) renewal('erlang', { dist: 'erlang', mean, k: Math.max(1, Math.round(1 / data.scv)) }, 'mean, k = round(1/scv)');
  if (data.scv > 1) renewal('hyperexponential', { dist: 'hyperexponential', mean, scv: data.scv }, 'mean and scv (balanced means)');
  if (data.scv > 0) renewal('lognormal', { dist: 'lognormal', mean, scv: data.scv }, 'mean and scv');
  if (as === 'arrivals' && data.scv > 1) {
    const em = fitMmpp2(values);
    if (em !== undefined) {
      const mmpp = em.spec;
      const process = makeArrivals(mmpp);
      const random = randomStreams(1).stream('fit/mmpp2');
      const sample = Array.from({ length: SAMPLE }, () => process.nextGapMs(random));
      const s = summarize(sample);
      fits.push({ name: 'mmpp2', fragment: { arrivals: mmpp }, ks: ks(sorted, sample), scv: s.scv, lag1: s.lag1, method: em.method });
    }
  }
  const renewals = fits.filter((f) => f.name !== 'mmpp2');
  const bestRenewal = renewals.reduce((a, b) => (b.ks < a.ks ? b : a));
  const mmpp = fits.find((f) => f.name === 'mmpp2');
  const r = (x: number) => Number(x.toPrecision(3));
  if (mmpp !== undefined && data.lag1 > data.lag1Bound && mmpp.ks <= Math.max(1.5 * bestRenewal.ks, ACCEPTABLE_KS)) {
    return {
      data,
      fits,
      chosen: mmpp,
      reason: `the gaps are positively correlated (lag-1 autocorrelation ${r(data.lag1)} > 2/√n = ${r(data.lag1Bound)}): a renewal fit cannot reproduce bursts; the two-state MMPP has KS ${r(mmpp.ks)} (best renewal: ${bestRenewal.name}, ${r(bestRenewal.ks)}) and lag-1 ${r(mmpp.lag1)}`,
    };
  }
  const best = fits.reduce((a, b) => (b.ks < a.ks ? b : a));
  const correlation =
    data.lag1 > data.lag1Bound
      ? `; note: the values are correlated (lag-1 ${r(data.lag1)} > ${r(data.lag1Bound)}), which no renewal fit reproduces`
      : `; values look independent (lag-1 ${r(data.lag1)}, within ±${r(data.lag1Bound)})`;
  return { data, fits, chosen: best, reason: `smallest KS statistic (${r(best.ks)}) of the fits; data scv ${r(data.scv)}, fit's ${r(best.scv)}${correlation}` };
}

/** Two-sample KS statistic: the largest gap between the empirical CDFs (`a` sorted). */
export function ks(a: readonly number[], b: number[]): number {
  const s = [...b].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < s.length) {
    const x = Math.min(a[i]!, s[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < s.length && s[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / s.length));
  }
  return d;
}

/**
 * The MMPP2 by EM from the burst/quiet-runs start (or, without one, rates 2 and ½ of the mean rate
 * switching every 100 mean gaps); the busier state becomes "on". Undefined if EM cannot start.
 */
function fitMmpp2(values: number[]): { spec: Extract<ArrivalSpec, { process: 'onoff' }>; method: string } | undefined {
  const meanMs = values.reduce((a, b) => a + b, 0) / values.length;
  const runs = burstQuietRuns(values);
  const start: Mmpp2 = runs
    ? { lambda: [runs.onRatePerSec / 1000, Math.max(runs.offRatePerSec / 1000, 1e-3 / meanMs)], q: [1 / (runs.meanOnSec * 1000), 1 / (runs.meanOffSec * 1000)] }
    : { lambda: [2 / meanMs, 0.5 / meanMs], q: [0.01 / meanMs, 0.01 / meanMs] };
  const fit = fitMmpp2Em(values, start);
  if (!Number.isFinite(fit.logLikelihood) || !fit.lambda.every((x) => Number.isFinite(x) && x >= 0) || !fit.q.every((x) => x > 0)) return undefined;
  const on = fit.lambda[0] >= fit.lambda[1] ? 0 : 1;
  const off = 1 - on;
  const r = (x: number) => Number(x.toPrecision(6));
  return {
    spec: {
      process: 'onoff',
      onRatePerSec: r(fit.lambda[on]! * 1000),
      offRatePerSec: r(fit.lambda[off]! * 1000),
      meanOnSec: r(1 / fit.q[on]! / 1000),
      meanOffSec: r(1 / fit.q[off]! / 1000),
    },
    method: `maximum likelihood by EM (Rydén 1996), ${fit.iterations} iterations${fit.converged ? '' : ' (not converged)'}, log-likelihood ${fit.logLikelihood.toFixed(1)}, started from burst/quiet runs`,
  };
}

/** A rough start: gaps judged burst or quiet by the mean of 5 neighbours against the overall mean; each state's rate from its counts and time. */
function burstQuietRuns(values: number[]): Extract<ArrivalSpec, { process: 'onoff' }> | undefined {
  const threshold = values.reduce((a, b) => a + b, 0) / values.length;
  const runs = { burst: { count: 0, time: 0, runs: 0 }, quiet: { count: 0, time: 0, runs: 0 } };
  let last: 'burst' | 'quiet' | undefined;
  // A state is judged on a few neighbouring gaps, not one: a single long gap inside a burst is noise.
  const half = 2;
  const local = (i: number) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++, n++) sum += values[j]!;
    return sum / n;
  };
  for (const [i, v] of values.entries()) {
    const state = local(i) < threshold ? 'burst' : 'quiet';
    const r = runs[state];
    r.count++;
    r.time += v;
    if (state !== last) r.runs++;
    last = state;
  }
  if (runs.burst.runs === 0 || runs.quiet.runs === 0 || runs.burst.time <= 0) return undefined;
  return {
    process: 'onoff',
    onRatePerSec: (runs.burst.count / runs.burst.time) * 1000,
    offRatePerSec: (runs.quiet.count / runs.quiet.time) * 1000,
    meanOnSec: runs.burst.time / runs.burst.runs / 1000,
    meanOffSec: runs.quiet.time / runs.quiet.runs / 1000,
  };
}
