import type { Random } from '../../engine/random.ts';
import { checkParameter, DistributionError, type Distribution } from './distribution.ts';

/** Uniform on [min, max]. */
export function uniform(min: number, max: number): Distribution {
  checkParameter('uniform', 'min', min, 0, true);
  checkParameter('uniform', 'max', max, 0, true);
  if (!(max >= min)) throw new DistributionError(`uniform: max (${max}) must be ≥ min (${min})`);
  const mean = (min + max) / 2;
  const variance = ((max - min) * (max - min)) / 12;
  const width = max - min;
  return {
    kind: 'uniform',
    mean,
    scv: mean === 0 ? 0 : variance / (mean * mean),
    sample: (random: Random) => min + width * random.next(),
  };
}

/** The uniform with this mean and scv; scv ≤ 1/3 keeps the lower end at or above zero. */
export function uniformFromMoments(mean: number, scv: number): Distribution {
  checkParameter('uniform', 'mean', mean);
  checkParameter('uniform', 'scv', scv, 0, true);
  if (scv > 1 / 3) throw new DistributionError(`uniform: scv must be ≤ 1/3 for a non-negative range, got ${scv}`);
  const halfWidth = mean * Math.sqrt(3 * scv);
  return uniform(mean - halfWidth, mean + halfWidth);
}
