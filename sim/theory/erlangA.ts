import { requirePositive, requireServers } from './result.ts';

export interface ErlangAResult {
  model: 'erlangA';
  inputs: { lambda: number; mu: number; c: number; theta: number };
  /** Always true: impatience keeps the queue finite at any load. */
  stable: true;
  /** Offered utilisation per server λ/(cμ) (may exceed 1). */
  rho: number;
  /** Probability an arrival abandons (its patience runs out before service starts). */
  Pabandon: number;
  /** P(served) by the tagged-arrival recursion (PASTA); 1 − Pabandon up to truncation, computed apart as a check. */
  Pserved: number;
  /** Probability an arrival has to wait (finds every server busy). */
  Pwait: number;
  /** Mean wait of all arrivals (an abandoning one waits its patience), = Lq/λ. */
  Wq: number;
  /** Mean wait of the arrivals that are served. */
  WqServed: number;
  /** Mean sojourn of the served: WqServed + 1/μ. */
  WServed: number;
  /** Mean waiting and mean in system (waiting + in service). */
  Lq: number;
  L: number;
  /** Served per unit time, λ(1 − Pabandon). */
  throughput: number;
}

/**
 * Erlang-A (M/M/c+M): Poisson arrivals λ, c servers at rate μ, and each waiting customer abandons
 * at rate θ (exponential patience of mean 1/θ). Exact, from the birth–death chain with birth λ and
 * death min(n,c)μ + (n−c)⁺θ, summed in logarithms until the terms are below 1e-17 of the largest.
 * Pabandon = θ·Lq/λ (abandonments per unit time over arrivals). The served customers' mean wait is
 * exact too: an arrival that finds j others waiting moves up at rate cμ + iθ with i ahead, and
 * abandons at rate θ, so P(served | j) = Πᵢ₌₀ʲ rᵢ/(rᵢ+θ) and E[wait; served | j] = P(served | j)·Σᵢ₌₀ʲ 1/(rᵢ+θ),
 * with rᵢ = cμ + iθ (competing exponentials: the time to the next event does not depend on which).
 * Rates per unit time; times come back in the reciprocal unit.
 */
export function erlangA(lambda: number, mu: number, c: number, theta: number): ErlangAResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireServers('c', c);
  requirePositive('theta', theta);
  const logWeights: number[] = [0];
  let largest = 0;
  for (let n = 1; ; n++) {
    const death = Math.min(n, c) * mu + Math.max(n - c, 0) * theta;
    const t = logWeights[n - 1]! + Math.log(lambda) - Math.log(death);
    logWeights.push(t);
    if (t > largest) largest = t;
    if (n > c && t - largest < -40 && death > lambda) break;
    if (n > 50_000_000) throw new RangeError('erlangA: the chain does not converge (θ too small for this load)');
  }
  let total = 0;
  const p = logWeights.map((t) => Math.exp(t - largest));
  for (const w of p) total += w;
  let L = 0;
  let Lq = 0;
  let Pwait = 0;
  let served = 0;
  let servedWait = 0;
  let passAll = 1;
  let stageTimes = 0;
  for (let n = 0; n < p.length; n++) {
    const pn = p[n]! / total;
    L += n * pn;
    if (n < c) {
      served += pn;
      continue;
    }
    const j = n - c;
    const r = c * mu + j * theta;
    passAll *= r / (r + theta);
    stageTimes += 1 / (r + theta);
    Lq += j * pn;
    Pwait += pn;
    served += pn * passAll;
    servedWait += pn * passAll * stageTimes;
  }
  const WqServed = served > 0 ? servedWait / served : 0;
  const Pabandon = (theta * Lq) / lambda;
  return {
    model: 'erlangA',
    inputs: { lambda, mu, c, theta },
    stable: true,
    rho: lambda / (c * mu),
    Pabandon,
    Pserved: served,
    Pwait,
    Wq: Lq / lambda,
    WqServed,
    WServed: WqServed + 1 / mu,
    Lq,
    L,
    throughput: lambda * (1 - Pabandon),
  };
}
