import { requirePositive, requireServers } from './result.ts';

export interface DeterministicPatienceResult {
  model: 'mmc+d';
  inputs: { lambda: number; mu: number; c: number; patience: number };
  /** Always true: a wait is never longer than the patience, so the queue stays finite at any load. */
  stable: true;
  /** Offered utilisation per server λ/(cμ) (may exceed 1). */
  rho: number;
  /** P(an arrival abandons) = P(its offered wait ≥ the patience). */
  Pabandon: number;
  /** P(an arrival has to wait at all). */
  Pwait: number;
  /** Mean wait of all arrivals: E[min(V, D)] (an abandoning one waits exactly D). */
  Wq: number;
  /** Mean wait of the arrivals that are served: E[V | V < D]. */
  WqServed: number;
  WServed: number;
  /** Mean number waiting, λ·Wq by Little, and in system (waiting + busy servers). */
  Lq: number;
  L: number;
  /** Served per unit time, λ(1 − Pabandon). */
  throughput: number;
}

/**
 * M/M/c+D: Poisson arrivals λ, c exponential servers μ, FCFS, and every waiting customer leaves
 * once it has waited exactly D (deterministic patience; a message TTL). Exact, from the offered
 * (virtual) waiting time V (Baccelli & Hébuterne, "On queues with impatient customers", 1981;
 * Zeltyn & Mandelbaum, Queueing Systems 51, 2005, M/M/n+G with H(x) = ∫₀ˣ Ḡ = min(x, D)):
 * with all c servers busy a joining customer raises V by an Exp(cμ) amount, and only arrivals with
 * V < D join, so by level crossing V has on (0, ∞) the density
 *   f(v) = λ·π(c−1)·exp(λ·min(v, D) − cμ·v),
 * and below c busy servers the M/M/c birth–death weights π(j) = π(c−1)·(c−1)!/j!·(μ/λ)^(c−1−j).
 * Then Pabandon = ∫_D^∞ f, Pwait = ∫_0^∞ f, the served wait E[V; V < D] and Wq = E[min(V, D)].
 * Everything is computed relative to the largest weight (in logarithms) so no term overflows.
 */
export function mmcPlusD(lambda: number, mu: number, c: number, patience: number): DeterministicPatienceResult {
  requirePositive('lambda', lambda);
  requirePositive('mu', mu);
  requireServers('c', c);
  requirePositive('patience', patience);
  const a = lambda - c * mu;
  const D = patience;
  // Log-weights: idle-level j < c relative to π(c−1), and the density's pieces relative to λπ(c−1).
  const logIdle: number[] = [];
  for (let j = c - 1, t = 0; j >= 0; t += Math.log(j) + Math.log(mu) - Math.log(lambda), j--) logIdle[j] = t;
  // ∫₀^D e^{a v} dv, ∫₀^D v e^{a v} dv and the tail ∫_D^∞ e^{λD − cμ v} dv = e^{aD}/(cμ), as log-scaled values.
  const logScale = Math.max(0, a * D);
  const body = expIntegral(a, D, logScale);
  const bodyFirstMoment = firstMomentIntegral(a, D, logScale);
  const tail = Math.exp(a * D - logScale) / (c * mu);
  // Normalise: Σ π(j) + λπ(c−1)(body + tail) = 1, everything × e^{−logScale}.
  const logLambda = Math.log(lambda);
  const maxLog = Math.max(...logIdle.map((t) => t - logScale), logLambda + Math.log(body + tail));
  let total = Math.exp(logLambda + Math.log(body + tail) - maxLog);
  for (const t of logIdle) total += Math.exp(t - logScale - maxLog);
  const density = Math.exp(logLambda - maxLog) / total; // λπ(c−1)·e^{logScale}·(scale): multiply the scaled integrals
  const Pabandon = density * tail;
  const Pwait = density * (body + tail);
  const servedWaitSum = density * bodyFirstMoment;
  const Wq = servedWaitSum + D * Pabandon;
  const WqServed = Pabandon < 1 ? servedWaitSum / (1 - Pabandon) : 0;
  let busy = 0;
  logIdle.forEach((t, j) => (busy += j * Math.exp(t - logScale - maxLog)));
  busy = busy / total + c * Pwait;
  const Lq = lambda * Wq;
  return {
    model: 'mmc+d',
    inputs: { lambda, mu, c, patience },
    stable: true,
    rho: lambda / (c * mu),
    Pabandon,
    Pwait,
    Wq,
    WqServed,
    WServed: WqServed + 1 / mu,
    Lq,
    L: Lq + busy,
    throughput: lambda * (1 - Pabandon),
  };
}

/** e^{−s}·∫₀^D e^{a v} dv, stable as a → 0 and without overflow for large aD (s = max(0, aD)). */
function expIntegral(a: number, D: number, s: number): number {
  const x = a * D;
  if (Math.abs(x) < 1e-8) return D * (1 + x / 2) * Math.exp(-s);
  return x > 0 ? -Math.expm1(-x) / a : Math.expm1(x) / a;
}

/** e^{−s}·∫₀^D v·e^{a v} dv = e^{−s}(e^{aD}(aD − 1) + 1)/a², by series near a = 0. */
function firstMomentIntegral(a: number, D: number, s: number): number {
  const x = a * D;
  if (Math.abs(x) < 1e-4) return D * D * (1 / 2 + x / 3 + (x * x) / 8 + (x * x * x) / 30) * Math.exp(-s);
  return x > 0 ? (x - 1 + Math.exp(-x)) / (a * a) : (Math.exp(x) * (x - 1) + 1) / (a * a);
}
