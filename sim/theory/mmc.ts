import { birthDeathLogWeights, normalisedWeights } from './birthDeath.ts';
import { erlangC } from './erlang.ts';
import { requirePositive, requireServers, unstable, type TheoryResult } from './result.ts';
import { mmcPercentiles } from './waitingTime.ts';

/**
 * M/M/c: Poisson arrivals (λ), c servers with exponential service (μ each), unbounded FIFO queue.
 * With a = λ/μ and ρ = a/c < 1, and C the Erlang C probability of waiting:
 *   Lq = C·ρ/(1 − ρ),  Wq = C/(cμ − λ),  W = Wq + 1/μ,  L = λW.
 * Erlang C comes from the Erlang B recurrence and P0 from logarithms, so c = 1,000 and beyond is
 * finite and exact at any load.
 */
export function mmc(lambda: number, mu: number, c: number, model = 'mmc'): TheoryResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireServers('c', c);
  const a = lambda / mu;
  const rho = a / c;
  const inputs: TheoryResult['inputs'] = model === 'mm1' ? { lambda, mu } : { lambda, mu, c };
  if (rho >= 1) return unstable(model, inputs, rho, { Pwait: 1 });
  const pWait = erlangC(c, a);
  const Wq = pWait / (c * mu - lambda);
  const W = Wq + 1 / mu;
  const P0 = emptyProbability(a, c, rho);
  return {
    model,
    inputs,
    stable: true,
    rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    P0,
    Pwait: pWait,
    throughput: lambda,
    percentiles: mmcPercentiles(pWait, c * mu - lambda, mu),
  };
}

/**
 * P0 = 1 / (Σ_{k<c} aᵏ/k! + aᶜ/(c!(1 − ρ))), summed in logarithms (log-sum-exp), because either
 * part can overflow on its own: aᶜ/c! for heavy load on many servers, c!/aᶜ for light load.
 */
function emptyProbability(a: number, c: number, rho: number): number {
  const logTerms = birthDeathLogWeights(a, c, c);
  logTerms[c] = logTerms[c]! - Math.log1p(-rho); // the waiting states, a geometric tail
  const { weights, largest } = normalisedWeights(logTerms);
  let sum = 0;
  for (const w of weights) sum += w;
  return Math.exp(-largest - Math.log(sum));
}
