import { scaledWait } from './allenCunneen.ts';
import { mm1 } from './mm1.ts';
import { requireNonNegative, type TheoryResult } from './result.ts';

export const KINGMAN = "Kingman's G/G/1 approximation (heavy-traffic; exact for M/G/1)";

/**
 * G/G/1, approximately (Kingman 1961): Wq ≈ (ρ/(1 − ρ)) · ((ca² + cs²)/2) · (1/μ) — the M/M/1 wait
 * scaled by (ca² + cs²)/2, with ca² and cs² the squared coefficients of variation of inter-arrival
 * and service times. Exact for Poisson arrivals (ca² = 1: Pollaczek–Khinchine), increasingly
 * accurate as ρ → 1.
 */
export function gg1(lambda: number, mu: number, ca2: number, cs2: number): TheoryResult {
  requireNonNegative('ca2', ca2);
  requireNonNegative('cs2', cs2);
  return scaledWait(mm1(lambda, mu), 'gg1', { lambda, mu, ca2, cs2 }, (ca2 + cs2) / 2, KINGMAN);
}
