import { mmc } from './mmc.ts';
import type { TheoryResult } from './result.ts';

/**
 * M/M/1: ρ = λ/μ, L = ρ/(1 − ρ), W = 1/(μ − λ), Wq = ρ/(μ − λ), P0 = 1 − ρ, and W is exponential
 * with rate μ − λ. It is M/M/c with c = 1; the test suite checks the closed forms above against it.
 */
export function mm1(lambda: number, mu: number): TheoryResult {
  return mmc(lambda, mu, 1, 'mm1');
}
