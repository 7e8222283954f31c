import type { Random } from '../../engine/random.ts';
import { checkParameter, openUniform, type Distribution } from './distribution.ts';

/** Exponential with the given mean (rate 1/mean): memoryless, scv 1, the M in M/M/1. */
export function exponential(mean: number): Distribution {
  checkParameter('exponential', 'mean', mean);
  return { kind: 'exponential', mean, scv: 1, sample: (random: Random) => -mean * Math.log(openUniform(random)) };
}
