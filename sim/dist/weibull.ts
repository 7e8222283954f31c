import type { Random } from '../../engine/random.ts';
import { logGamma, solveIncreasing } from '../stats/special.ts';
import { checkParameter, DistributionError, openUniform, type Distribution } from './distribution.ts';

/** Weibull with the given shape k and scale λ: sampled as λ·(−ln U)^(1/k). */
export function weibull(shape: number, scale: number): Distribution {
  checkParameter('weibull', 'shape', shape);
  checkParameter('weibull', 'scale', scale);
  const g1 = Math.exp(logGamma(1 + 1 / shape));
  const g2 = Math.exp(logGamma(1 + 2 / shape));
  const mean = scale * g1;
  const scv = g2 / (g1 * g1) - 1;
  if (!Number.isFinite(mean) || !Number.isFinite(scv)) {
    throw new DistributionError(`weibull: shape ${shape} is too small for a finite mean and scv`);
  }
  const inverseShape = 1 / shape;
  return {
    kind: 'weibull',
    mean,
    scv,
    sample: (random: Random) => scale * Math.pow(-Math.log(openUniform(random)), inverseShape),
  };
}

const MIN_SHAPE = 0.05;
const MAX_SHAPE = 500;

/**
 * The Weibull with this mean and scv. The scv Γ(1+2/k)/Γ(1+1/k)² − 1 falls as the shape k grows, so
 * the shape is found by bisection on ln k; shapes from 0.05 to 500 cover scv from about 2·10⁻⁵ up to
 * astronomically heavy tails.
 */
export function weibullFromMoments(mean: number, scv: number): Distribution {
  checkParameter('weibull', 'mean', mean);
  checkParameter('weibull', 'scv', scv);
  const scvOf = (logShape: number) => {
    const k = Math.exp(logShape);
    return Math.exp(logGamma(1 + 2 / k) - 2 * logGamma(1 + 1 / k)) - 1;
  };
  const lowest = scvOf(Math.log(MAX_SHAPE));
  const highest = scvOf(Math.log(MIN_SHAPE));
  if (!(scv >= lowest && scv <= highest)) {
    throw new DistributionError(`weibull: scv must be between ${lowest.toPrecision(3)} and ${highest.toPrecision(3)}, got ${scv}`);
  }
  // scvOf decreases in ln k, so solve the increasing −scvOf for −scv.
  const logShape = solveIncreasing((x) => -scvOf(x), -scv, Math.log(MIN_SHAPE), Math.log(MAX_SHAPE));
  const shape = Math.exp(logShape);
  const scale = mean / Math.exp(logGamma(1 + 1 / shape));
  return { ...weibull(shape, scale), mean, scv };
}
