import type { DistributionSpec } from '../dist/spec.ts';
import { makeDistribution } from '../dist/spec.ts';

/**
 * The exact probabilities of a bulk publish's size as batch arrivals draw it — a draw of the spec
 * rounded to the nearest whole number (halves up, as Math.round), at least 1 — so the theory uses
 * the very batch sizes the simulation publishes. `pmf[k]` = P(size = k), pmf[0] = 0; cut where the
 * remaining tail is below 1e-16 and renormalised. Undefined for shapes whose distribution function
 * is not at hand here (the caller says why no theory).
 */
export function batchSizePmf(spec: DistributionSpec): number[] | undefined {
  const cdf = cdfOf(spec);
  if (cdf === undefined) return undefined;
  const pmf = [0, cdf(1.5)];
  let covered = pmf[1]!;
  for (let k = 2; 1 - covered > 1e-16; k++) {
    const p = Math.max(0, cdf(k + 0.5) - cdf(k - 0.5));
    pmf.push(p);
    covered += p;
    if (k > 1_000_000) break;
  }
  const total = pmf.reduce((a, b) => a + b, 0);
  return pmf.map((p) => p / total);
}

/** P(draw < x), the left limit, which is what rounding half up needs: round(d) = k ⇔ d ∈ [k − ½, k + ½). */
function cdfOf(spec: DistributionSpec): ((x: number) => number) | undefined {
  switch (spec.dist) {
    case 'deterministic':
      return (x) => (spec.mean < x ? 1 : 0);
    case 'exponential':
      return (x) => 1 - Math.exp(-x / spec.mean);
    case 'uniform': {
      const d = makeDistribution(spec);
      const half = Math.sqrt(3 * d.scv) * d.mean;
      const [lo, hi] = [d.mean - half, d.mean + half];
      return (x) => (hi === lo ? (lo < x ? 1 : 0) : Math.min(1, Math.max(0, (x - lo) / (hi - lo))));
    }
    case 'empirical':
      return empiricalCdf(spec.samples);
    default:
      return undefined;
  }
}

/** The empirical distribution samples by inverse CDF between the sorted samples at quantiles i/(n − 1). */
function empiricalCdf(samples: readonly number[]): (x: number) => number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  return (x) => {
    if (n === 1) return sorted[0]! < x ? 1 : 0;
    if (x <= sorted[0]!) return 0;
    if (x > sorted[n - 1]!) return 1;
    let i = 0;
    while (sorted[i + 1]! < x) i++;
    const [a, b] = [sorted[i]!, sorted[i + 1]!];
    return (i + (b > a ? (x - a) / (b - a) : 1)) / (n - 1);
  };
}
