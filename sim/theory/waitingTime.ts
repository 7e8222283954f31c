import { solveIncreasing } from '../stats/special.ts';
import type { Percentiles } from './result.ts';

/**
 * Waiting and sojourn time distributions of M/M/c under FIFO (M/M/1 is c = 1). An arrival waits
 * with probability Pwait, and then for an exponential time of rate θ = cμ − λ:
 *   P(Wq > t) = Pwait · e^(−θt).
 * The sojourn W = Wq + S adds an independent exponential(μ) service, so
 *   P(W > t) = (1 − Pwait)·e^(−μt) + Pwait·P(Exp(θ) + Exp(μ) > t),
 * with the hypoexponential tail (θe^(−μt) − μe^(−θt)) / (θ − μ), or (1 + μt)e^(−μt) when θ = μ.
 */
export function waitTail(t: number, pWait: number, theta: number): number {
  return t < 0 ? 1 : pWait * Math.exp(-theta * t);
}

export function sojournTail(t: number, pWait: number, theta: number, mu: number): number {
  if (t < 0) return 1;
  const both =
    Math.abs(theta - mu) < 1e-12 * mu
      ? (1 + mu * t) * Math.exp(-mu * t)
      : (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
  return (1 - pWait) * Math.exp(-mu * t) + pWait * both;
}

/** The q-quantile of Wq: zero while the probability of not waiting covers q. */
export function waitQuantile(q: number, pWait: number, theta: number): number {
  return 1 - q >= pWait ? 0 : Math.log(pWait / (1 - q)) / theta;
}

export function sojournQuantile(q: number, pWait: number, theta: number, mu: number): number {
  // The tail is decreasing; bracket the answer by doubling, then bisect.
  let hi = 1 / Math.min(theta, mu);
  while (sojournTail(hi, pWait, theta, mu) > 1 - q) hi *= 2;
  return solveIncreasing((t) => -sojournTail(t, pWait, theta, mu), -(1 - q), 0, hi);
}

export function mmcPercentiles(pWait: number, theta: number, mu: number): { Wq: Percentiles; W: Percentiles } {
  const at = (f: (q: number) => number): Percentiles => ({ p50: f(0.5), p90: f(0.9), p99: f(0.99) });
  return {
    Wq: at((q) => waitQuantile(q, pWait, theta)),
    W: at((q) => sojournQuantile(q, pWait, theta, mu)),
  };
}
