import type { Random } from '../../engine/random.ts';
import { checkParameter, openUniform, standardNormal, type Distribution } from './distribution.ts';

/** Gamma with shape k = 1/scv and scale θ = mean·scv (so mean = kθ and scv = 1/k). */
export function gammaDistribution(mean: number, scv: number): Distribution {
  checkParameter('gamma', 'mean', mean);
  checkParameter('gamma', 'scv', scv);
  const shape = 1 / scv;
  const scale = mean * scv;
  return { kind: 'gamma', mean, scv, sample: (random: Random) => scale * standardGamma(shape, random) };
}

/**
 * A Gamma(shape, 1) draw by Marsaglia & Tsang's squeeze method (2000); for shape < 1 it draws
 * Gamma(shape + 1) and multiplies by U^(1/shape).
 */
export function standardGamma(shape: number, random: Random): number {
  if (shape < 1) return standardGamma(shape + 1, random) * Math.pow(openUniform(random), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = openUniform(random);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
