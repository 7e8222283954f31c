import type { Random } from '../../engine/random.ts';
import { checkParameter, DistributionError, openUniform, type Distribution } from './distribution.ts';

/**
 * Two-phase hyperexponential fitted to a mean and an scv > 1 with balanced means (each phase carries
 * half the mean: p₁/μ₁ = p₂/μ₂), the usual fit for highly variable service times:
 * p₁ = ½(1 + √((scv − 1)/(scv + 1))), μ₁ = 2p₁/mean, μ₂ = 2p₂/mean.
 */
export function hyperexponential(mean: number, scv: number): Distribution {
  checkParameter('hyperexponential', 'mean', mean);
  if (!(Number.isFinite(scv) && scv > 1)) {
    throw new DistributionError(`hyperexponential: scv must be a finite number > 1, got ${scv}`);
  }
  const p1 = 0.5 * (1 + Math.sqrt((scv - 1) / (scv + 1)));
  const mean1 = mean / (2 * p1);
  const mean2 = mean / (2 * (1 - p1));
  return {
    kind: 'hyperexponential',
    mean,
    scv,
    sample: (random: Random) => {
      const phaseMean = random.next() < p1 ? mean1 : mean2;
      return -phaseMean * Math.log(openUniform(random));
    },
  };
}
