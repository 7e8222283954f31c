import { TheoryInputError, requireNonNegative, requirePositive } from './result.ts';

/** Per-class inputs of a single-server priority queue; index 0 is the highest priority. */
export interface PriorityInputs {
  lambda: number[];
  mu: number[];
  /** Service-time scv per class; 1 (exponential) when omitted. */
  cs2?: number[];
}

export interface PriorityClassLoad {
  lambda: number;
  mu: number;
  cs2: number;
  /** ρ_k = λ_k/μ_k. */
  rho: number;
  /** σ_k = ρ_0 + … + ρ_k, the load of this class and all above it. */
  sigma: number;
  /** σ_{k−1}, the load strictly above this class (0 for class 0). */
  sigmaAbove: number;
  /** λ_k·E[S_k²]/2 = λ_k(1 + cs²_k)/(2μ_k²): this class's share of the mean residual work. */
  residual: number;
}

/** Checks the per-class lists and derives each class's load figures. */
export function priorityLoads(inputs: PriorityInputs): PriorityClassLoad[] {
  const { lambda, mu } = inputs;
  const cs2 = inputs.cs2 ?? lambda.map(() => 1);
  if (lambda.length === 0) throw new TheoryInputError('lambda', 'needs at least one class');
  if (mu.length !== lambda.length) throw new TheoryInputError('mu', `needs one rate per class (${lambda.length}), got ${mu.length}`);
  if (cs2.length !== lambda.length) throw new TheoryInputError('cs2', `needs one value per class (${lambda.length}), got ${cs2.length}`);
  lambda.forEach((v, k) => requirePositive(`lambda[${k}]`, v));
  mu.forEach((v, k) => requirePositive(`mu[${k}]`, v));
  cs2.forEach((v, k) => requireNonNegative(`cs2[${k}]`, v));
  let sigma = 0;
  return lambda.map((l, k) => {
    const m = mu[k]!;
    const s2 = cs2[k]!;
    const rho = l / m;
    const sigmaAbove = sigma;
    sigma += rho;
    return { lambda: l, mu: m, cs2: s2, rho, sigma, sigmaAbove, residual: (l * (1 + s2)) / (2 * m * m) };
  });
}
