import { erlangC } from './erlang.ts';
import { requireNonNegative, requirePositive, requireServers, unstable, type TheoryResult } from './result.ts';

export const ALLEN_CUNNEEN = 'Allen–Cunneen G/G/c approximation (M/M/c wait scaled by (ca² + cs²)/2)';

/**
 * G/G/c, approximately (Allen–Cunneen): Wq ≈ Wq(M/M/c) · (ca² + cs²)/2, with Wq(M/M/c) = C/(cμ − λ).
 * Exact for M/M/c; good within a few per cent for moderate variability at high load.
 */
export function ggc(lambda: number, mu: number, c: number, ca2: number, cs2: number): TheoryResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireServers('c', c);
  requireNonNegative('ca2', ca2);
  requireNonNegative('cs2', cs2);
  const a = lambda / mu;
  const rho = a / c;
  const inputs = { lambda, mu, c, ca2, cs2 };
  if (rho >= 1) return unstable('ggc', inputs, rho, { approximation: ALLEN_CUNNEEN });
  const pWait = erlangC(c, a);
  const Wq = (pWait / (c * mu - lambda)) * ((ca2 + cs2) / 2);
  const W = Wq + 1 / mu;
  return {
    model: 'ggc',
    inputs,
    stable: true,
    rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    Pwait: pWait,
    throughput: lambda,
    approximation: ALLEN_CUNNEEN,
  };
}
