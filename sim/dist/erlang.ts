import type { Random } from '../../engine/random.ts';
import { checkParameter, DistributionError, openUniform, type Distribution } from './distribution.ts';

/** Erlang-k: the sum of k exponential phases, each of mean mean/k; scv = 1/k. */
export function erlang(k: number, mean: number): Distribution {
  if (!Number.isInteger(k) || k < 1) throw new DistributionError(`erlang: k must be a whole number ≥ 1, got ${k}`);
  checkParameter('erlang', 'mean', mean);
  const phaseMean = mean / k;
  return {
    kind: 'erlang',
    mean,
    scv: 1 / k,
    sample: (random: Random) => {
      // −(m/k)·ln Πuᵢ, taking the log every few factors so the product cannot underflow.
      let total = 0;
      let product = 1;
      for (let i = 0; i < k; i++) {
        product *= openUniform(random);
        if (product < 1e-280) {
          total += Math.log(product);
          product = 1;
        }
      }
      return -phaseMean * (total + Math.log(product));
    },
  };
}
