import { normalCdf } from '../stats/normal.ts';

/**
 * The M/G/1 (FIFO) waiting-time distribution with lognormal service, from the Pollaczek–Khinchine
 * form Wq = R₁ + … + R_N, N geometric (P(N = n) = (1 − ρ)ρⁿ), R the equilibrium (residual) service
 * time with CDF Fe(x) = (1/E[S]) ∫₀ˣ (1 − F(u)) du. Solved on a grid of step h by the renewal
 * recursion W = (1 − ρ)δ₀ + ρ (R ∗ W) twice: with R's mass on each cell rounded up (a stochastically
 * larger wait) and rounded down (a smaller one), so the exact quantile lies between the two answers.
 * Times in units of the mean service time.
 */
export function mg1LognormalWaitQuantile(rho: number, scv: number, q: number, step = 0.01): { lower: number; upper: number; meanBelowLower: number } {
  const sigma2 = Math.log1p(scv);
  const sigma = Math.sqrt(sigma2);
  const mu = -sigma2 / 2; // mean service 1
  // Fe(x) = x·(1 − F(x)) + E[S; S ≤ x], with E[S] = 1.
  const fe = (x: number) => (x <= 0 ? 0 : x * (1 - normalCdf((Math.log(x) - mu) / sigma)) + normalCdf((Math.log(x) - mu - sigma2) / sigma));
  const quantileOf = (roundUp: boolean) => {
    const w: number[] = [];
    const mass = (j: number) => (roundUp ? (j === 0 ? 0 : fe(j * step) - fe((j - 1) * step)) : fe((j + 1) * step) - fe(j * step));
    const r: number[] = [];
    let cdf = 0;
    let partialMean = 0;
    for (let k = 0; ; k++) {
      r.push(mass(k));
      let conv = 0;
      for (let j = 1; j <= k; j++) conv += r[j]! * w[k - j]!;
      // W_k = (1 − ρ)[k = 0] + ρ (r₀ W_k + Σ_{j≥1} r_j W_{k−j})
      const wk = ((k === 0 ? 1 - rho : 0) + rho * conv) / (1 - rho * r[0]!);
      w.push(wk);
      cdf += wk;
      partialMean += wk * k * step;
      if (cdf >= q) return { at: k * step, partialMean };
      if (k > 1e6) throw new RangeError('the M/G/1 wait quantile lies beyond the grid');
    }
  };
  const lower = quantileOf(false);
  // E[Wq; Wq below the quantile] of the rounded-down distribution, to check the method against the P–K mean.
  return { lower: lower.at, upper: quantileOf(true).at, meanBelowLower: lower.partialMean };
}
