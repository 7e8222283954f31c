import { normalCdf, normalQuantile } from './normal.ts';
import { regularizedBeta, solveIncreasing } from './special.ts';

/** Beyond this many degrees of freedom the t distribution equals the normal to double precision. */
const NORMAL_LIMIT_DF = 1e7;

/** P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (df need not be an integer). */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (df > NORMAL_LIMIT_DF) return normalCdf(t);
  if (t === 0) return 0.5;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5); // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom, 0 < p < 1. */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1, got ${p}`);
  if (df > NORMAL_LIMIT_DF) return normalQuantile(p);
  if (p === 0.5) return 0;
  // P(T > |t|) = ½·I_x(df/2, ½) with x = df / (df + t²), increasing in x: solve for x on the smaller
  // tail probability itself (1 − p would lose a tiny p's digits), then map back to t.
  const tail = Math.min(p, 1 - p);
  const x = solveIncreasing((v) => 0.5 * regularizedBeta(v, df / 2, 0.5), tail, 0, 1);
  const t = Math.sqrt((df * (1 - x)) / x);
  return p < 0.5 ? -t : t;
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
}
