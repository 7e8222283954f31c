import { requirePositive, requireServers, TheoryInputError } from './result.ts';

export interface BatchQueueResult {
  model: 'mxm1' | 'mxmc';
  inputs: { batchRate: number; mu: number; c: number; meanBatch: number };
  stable: boolean;
  /** Offered utilisation per server, λ_b·E[X]/(cμ). */
  rho: number;
  /** Message arrival rate λ_b·E[X]. */
  lambda: number;
  /** Mean wait of a message (arrival → start of service), by Little from Lq; null when unstable. */
  Wq: number | null;
  W: number | null;
  Lq: number | null;
  L: number | null;
  /** Probability a message waits (finds all servers busy, counting those ahead of it in its own batch). */
  Pwait: number | null;
  /** How the numbers were made: the closed form (c = 1) or the level recursion, with its truncation. */
  method: string;
  /** Estimated relative error of L from truncating the recursion (0 for the closed form). */
  truncationError: number;
}

/**
 * Batch-size moments from a pmf given as `pmf[k]` = P(X = k), k ≥ 1 (pmf[0] must be 0).
 */
export function batchMoments(pmf: readonly number[]): { mean: number; second: number } {
  let total = 0;
  let mean = 0;
  let second = 0;
  pmf.forEach((p, k) => {
    if (!(p >= 0) || (k === 0 && p > 0)) throw new TheoryInputError(`pmf[${k}]`, `must be ≥ 0 (and 0 at k = 0: a batch has at least one message), got ${p}`);
    total += p;
    mean += k * p;
    second += k * k * p;
  });
  if (Math.abs(total - 1) > 1e-9) throw new TheoryInputError('pmf', `(batch-size probabilities) must sum to 1, got ${total}`);
  return { mean, second };
}

/**
 * M^X/M/1, exact (Gross & Harris, Fundamentals of Queueing Theory, §3.2 bulk input; Chaudhry &
 * Templeton, A First Course in Bulk Queues, 1983): batches arrive Poisson at rate λ_b, each of X
 * messages, served one at a time, FCFS, at rate μ. A message waits for the work found (the batches
 * ahead, an M/G/1 wait with batch service S = X exponentials: E[S²] = (E[X] + E[X²])/μ²) plus the
 * messages ahead of it in its own batch (E[X²] − E[X])/(2E[X]) on average (size-biased position):
 *   Wq = λ_b(E[X] + E[X²]) / (2μ²(1 − ρ)) + (E[X²] − E[X]) / (2μE[X]),  ρ = λ_b E[X]/μ.
 */
export function mxm1(batchRate: number, mu: number, pmf: readonly number[]): BatchQueueResult {
  requirePositive('batchRate', batchRate);
  requirePositive('mu', mu);
  const { mean, second } = batchMoments(pmf);
  const lambda = batchRate * mean;
  const rho = lambda / mu;
  const base = { model: 'mxm1' as const, inputs: { batchRate, mu, c: 1, meanBatch: mean }, rho, lambda, method: 'closed form (M^X/G/1 batch wait plus the position in the batch)', truncationError: 0 };
  if (rho >= 1) return { ...base, stable: false, Wq: null, W: null, Lq: null, L: null, Pwait: null };
  const Wq = (batchRate * (mean + second)) / (2 * mu * mu * (1 - rho)) + (second - mean) / (2 * mu * mean);
  // A message starts at once only if it is first in its batch and the server is idle: P = (1 − ρ)/E[X].
  return { ...base, stable: true, Wq, W: Wq + 1 / mu, Lq: lambda * Wq, L: lambda * (Wq + 1 / mu), Pwait: 1 - (1 - rho) / mean };
}

/**
 * M^X/M/c by the level-crossing recursion of its birth–death-with-batches chain, exact level by
 * level: the rate up across the cut between n and n + 1 (a batch arriving at j ≤ n with more than
 * n − j messages) equals the rate down (one of min(n+1, c) servers finishing), so
 *   p(n+1)·min(n+1, c)·μ = λ_b Σ_{j≤n} p(j)·P(X > n − j).
 * The only error is where the recursion stops: once the levels decay geometrically (ratio r), the
 * mass beyond is p(N)·r/(1 − r); it stops when that tail, weighted by level, is below 1e-13 of L,
 * and reports that estimate. Lq by level, Wq = Lq/λ by Little.
 */
export function mxmc(batchRate: number, mu: number, c: number, pmf: readonly number[]): BatchQueueResult {
  requirePositive('batchRate', batchRate);
  requirePositive('mu', mu);
  requireServers('c', c);
  const { mean } = batchMoments(pmf);
  const lambda = batchRate * mean;
  const rho = lambda / (c * mu);
  const base = { model: 'mxmc' as const, inputs: { batchRate, mu, c, meanBatch: mean }, rho, lambda };
  if (rho >= 1) return { ...base, stable: false, Wq: null, W: null, Lq: null, L: null, Pwait: null, method: 'unstable', truncationError: 0 };
  const levels = levelRecursion(batchRate, mu, c, pmf);
  let total = 0;
  let L = 0;
  let Lq = 0;
  levels.p.forEach((w, n) => {
    total += w;
    L += n * w;
    Lq += Math.max(0, n - c) * w;
  });
  L /= total;
  Lq /= total;
  const Wq = Lq / lambda;
  return {
    ...base,
    stable: true,
    Wq,
    W: Wq + 1 / mu,
    Lq,
    L,
    Pwait: messageWaitProbability(levels.p, total, c, pmf, mean),
    method: `level-crossing recursion over levels 0..${levels.p.length - 1}`,
    truncationError: levels.tailEstimate / Math.max(L * total, Number.MIN_VALUE),
  };
}

/** Unnormalised level weights p(0) = 1, p(1), … until the level-weighted geometric tail is negligible. */
function levelRecursion(batchRate: number, mu: number, c: number, pmf: readonly number[]): { p: number[]; tailEstimate: number } {
  const survival: number[] = [1]; // P(X > m)
  for (let m = 1; m < pmf.length; m++) survival.push(Math.max(0, survival[m - 1]! - pmf[m]!));
  const tail = (m: number) => (m < survival.length ? survival[m]! : 0);
  const p = [1];
  let weighted = 0;
  for (let n = 0; ; n++) {
    let up = 0;
    for (let j = Math.max(0, n - survival.length + 1); j <= n; j++) up += p[j]! * tail(n - j);
    const next = (batchRate * up) / (Math.min(n + 1, c) * mu);
    p.push(next);
    weighted += (n + 1) * next;
    const r = next / p[n]!;
    if (n + 1 > c + pmf.length && r < 1) {
      // Σ_{k≥1} (N+k) p(N) r^k = p(N)·(N·r/(1−r) + r/(1−r)²)
      const N = n + 1;
      const tailEstimate = next * ((N * r) / (1 - r) + r / ((1 - r) * (1 - r)));
      if (tailEstimate < 1e-13 * weighted || next === 0) return { p, tailEstimate };
    }
    if (n > 5_000_000) throw new RangeError('mxmc: the level recursion does not converge (load too close to 1)');
  }
}

/**
 * P(a message waits): a batch arriving at level j puts its i-th message (i = 1..X) straight into
 * service only if j + i ≤ c. By PASTA batches see the time-stationary levels; per message, divide
 * by E[X].
 */
function messageWaitProbability(p: readonly number[], total: number, c: number, pmf: readonly number[], mean: number): number {
  let immediate = 0;
  for (let j = 0; j < c && j < p.length; j++) {
    let served = 0;
    pmf.forEach((q, k) => (served += q * Math.min(k, c - j)));
    immediate += (p[j]! / total) * served;
  }
  return 1 - immediate / mean;
}
