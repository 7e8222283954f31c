import type { Random } from '../../engine/random.ts';
import { DistributionError, type Distribution } from './distribution.ts';

/**
 * The distribution of observed samples, sampled by inverse CDF: the sorted samples are the quantiles
 * at 0, 1/(n−1), …, 1 and values in between are interpolated linearly, so the draws are continuous
 * rather than a resampling of the n observed points. Its mean and scv are those of that
 * interpolated distribution (exact, computed segment by segment), not the raw sample moments.
 */
export function empirical(samples: readonly number[]): Distribution {
  if (samples.length === 0) throw new DistributionError('empirical: samples must not be empty');
  samples.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new DistributionError(`empirical: samples[${i}] must be a finite number ≥ 0, got ${v}`);
    }
  });
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 1) return { kind: 'empirical', mean: sorted[0]!, scv: 0, sample: () => sorted[0]! };
  let first = 0;
  let second = 0;
  for (let i = 0; i + 1 < n; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    first += (a + b) / 2;
    second += (a * a + a * b + b * b) / 3;
  }
  const mean = first / (n - 1);
  const variance = Math.max(0, second / (n - 1) - mean * mean);
  return {
    kind: 'empirical',
    mean,
    scv: mean === 0 ? 0 : variance / (mean * mean),
    sample: (random: Random) => {
      const position = random.next() * (n - 1);
      const i = Math.floor(position);
      const a = sorted[i]!;
      return a + (sorted[i + 1]! - a) * (position - i);
    },
  };
}
