import { regularizedGammaQ, solveIncreasing } from './special.ts';

/** Φ(x), the standard normal CDF, through erfc(z) = Q(1/2, z²). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const upperTail = 0.5 * regularizedGammaQ(0.5, (x * x) / 2); // P(Z > |x|)
  return x >= 0 ? 1 - upperTail : upperTail;
}

/** Φ⁻¹(p) for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  if (p === 0.5) return 0;
  // Solve for |x| on the smaller tail probability itself: forming 1 − p first would throw away the
  // digits of a tiny p.
  const tail = Math.min(p, 1 - p);
  const x = solveIncreasing((v) => -0.5 * regularizedGammaQ(0.5, (v * v) / 2), -tail, 0, 40);
  return p < 0.5 ? -x : x;
}
