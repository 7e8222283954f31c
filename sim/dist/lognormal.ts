import type { Random } from '../../engine/random.ts';
import { checkParameter, standardNormal, type Distribution } from './distribution.ts';

/** Lognormal with the given mean and scv: σ² = ln(1 + scv), μ = ln(mean) − σ²/2. */
export function lognormal(mean: number, scv: number): Distribution {
  checkParameter('lognormal', 'mean', mean);
  checkParameter('lognormal', 'scv', scv);
  const sigma2 = Math.log1p(scv);
  const sigma = Math.sqrt(sigma2);
  const mu = Math.log(mean) - sigma2 / 2;
  return { kind: 'lognormal', mean, scv, sample: (random: Random) => Math.exp(mu + sigma * standardNormal(random)) };
}
