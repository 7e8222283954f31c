import { requireNonNegative, requirePositive, unstable, type TheoryResult } from './result.ts';

/**
 * M/G/1 by Pollaczek–Khinchine: with ρ = λ/μ and the service time's squared coefficient of
 * variation cs²,  Wq = ρ(1 + cs²) / (2μ(1 − ρ)),  W = Wq + 1/μ,  Lq = λWq,  L = λW.
 * Only the service time's first two moments matter. cs² = 1 gives M/M/1 and cs² = 0 gives M/D/1.
 */
export function mg1(lambda: number, mu: number, cs2: number, model = 'mg1'): TheoryResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireNonNegative('cs2', cs2);
  const rho = lambda / mu;
  const inputs: TheoryResult['inputs'] = model === 'md1' ? { lambda, mu } : { lambda, mu, cs2 };
  if (rho >= 1) return unstable(model, inputs, rho);
  const Wq = (rho * (1 + cs2)) / (2 * mu * (1 - rho));
  const W = Wq + 1 / mu;
  return { model, inputs, stable: true, rho, L: lambda * W, Lq: lambda * Wq, W, Wq, P0: 1 - rho, throughput: lambda };
}
