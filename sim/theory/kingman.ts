import { requireNonNegative, requirePositive, unstable, type TheoryResult } from './result.ts';

export const KINGMAN = "Kingman's G/G/1 approximation (heavy-traffic; exact for M/G/1)";

/**
 * G/G/1, approximately (Kingman 1961): Wq ≈ (ρ/(1 − ρ)) · ((ca² + cs²)/2) · (1/μ), with ca² and cs²
 * the squared coefficients of variation of inter-arrival and service times. Exact for Poisson
 * arrivals (ca² = 1: Pollaczek–Khinchine), increasingly accurate as ρ → 1.
 */
export function gg1(lambda: number, mu: number, ca2: number, cs2: number): TheoryResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireNonNegative('ca2', ca2);
  requireNonNegative('cs2', cs2);
  const rho = lambda / mu;
  const inputs = { lambda, mu, ca2, cs2 };
  if (rho >= 1) return unstable('gg1', inputs, rho, { approximation: KINGMAN });
  const Wq = (rho / (1 - rho)) * ((ca2 + cs2) / 2) * (1 / mu);
  const W = Wq + 1 / mu;
  return { model: 'gg1', inputs, stable: true, rho, L: lambda * W, Lq: lambda * Wq, W, Wq, throughput: lambda, approximation: KINGMAN };
}
