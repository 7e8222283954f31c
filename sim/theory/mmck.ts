import { birthDeathLogWeights, normalisedWeights } from './birthDeath.ts';
import { TheoryInputError, requirePositive, requireServers, type TheoryResult } from './result.ts';

/**
 * M/M/c/K: c exponential servers and room for K messages in all (K − c waiting); an arrival that
 * finds K present is refused. The birth–death chain has pₙ ∝ aⁿ/n! for n ≤ c and
 * pₙ ∝ aᶜ/c!·ρ^(n−c) above, computed in logarithms (normalised by the largest term) so no term
 * overflows for large c or K. Refused with Pblock = p_K; accepted throughput λ(1 − p_K);
 * L = Σ n·pₙ, Lq = Σ (n − c)⁺·pₙ, and W, Wq by Little's law on the accepted rate.
 * K = c is Erlang's loss system, whose Pblock is Erlang B. Always stable: the queue is bounded.
 */
export function mmck(lambda: number, mu: number, c: number, K: number): TheoryResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireServers('c', c);
  if (!(Number.isInteger(K) && K >= c)) throw new TheoryInputError('K', `must be a whole number ≥ c (${c}), got ${K}`);
  if (K > 50_000_000) throw new TheoryInputError('K', `must be at most 50,000,000, got ${K}`);
  const a = lambda / mu;
  const rho = a / c;
  const { weights } = normalisedWeights(birthDeathLogWeights(a, c, K));
  let total = 0;
  let L = 0;
  let Lq = 0;
  for (let n = 0; n <= K; n++) {
    const weight = weights[n]!;
    total += weight;
    L += n * weight;
    if (n > c) Lq += (n - c) * weight;
  }
  L /= total;
  Lq /= total;
  const P0 = weights[0]! / total;
  const Pblock = weights[K]! / total;
  const throughput = lambda * (1 - Pblock);
  return {
    model: 'mmck',
    inputs: { lambda, mu, c, K },
    stable: true,
    rho,
    L,
    Lq,
    W: L / throughput,
    Wq: Lq / throughput,
    P0,
    Pblock,
    throughput,
  };
}
