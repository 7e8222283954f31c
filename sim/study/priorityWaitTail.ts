/**
 * The exact waiting-time tail of a two-class non-preemptive priority M/M/1 queue (both classes
 * exponential with mean service 1, FIFO within a class), for the coverage study's p99 reference.
 *
 * Laplace–Stieltjes transforms (Takagi 1991, Queueing Analysis vol. 1 §3.5; Kleinrock 1976 §3.6), with
 * B*(s) = 1/(1 + s), λ = λ_H + λ_L, ρ = λ:
 *  - high class: W_H*(s) = ((1 − ρ)s + λ_L(1 − B*(s))) / (s − λ_H + λ_H B*(s)), which reduces to an
 *    atom 1 − ρ at 0 and P(W_H > t) = ρ e^{−(1−λ_H)t};
 *  - low class: W_L*(s) = (1 − ρ) σ(s) / (s − λ_L + λ_L B*(σ(s))), σ(s) = s + λ_H − λ_H G_H*(s), with
 *    G_H* the M/M/1 busy-period transform of the high class,
 *    G_H*(s) = ((1 + λ_H + s) − √((1 + λ_H + s)² − 4λ_H)) / (2λ_H).
 * P(W_L > t) is the inverse of (1 − W_L*(s))/s by the Euler algorithm of Abate & Whitt (1995,
 * "Numerical inversion of Laplace transforms of probability distributions", ORSA J. Computing 7:36–43):
 * discretisation error ≈ e^{−A} = 1e−8 at A = 18.4, Euler summation over 11 terms after 15.
 */

type Complex = [number, number];
const add = (a: Complex, b: Complex): Complex => [a[0] + b[0], a[1] + b[1]];
const sub = (a: Complex, b: Complex): Complex => [a[0] - b[0], a[1] - b[1]];
const mul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const scale = (a: Complex, k: number): Complex => [a[0] * k, a[1] * k];
function div(a: Complex, b: Complex): Complex {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}
/** The principal square root (real part ≥ 0): the branch that keeps |G_H*(s)| ≤ 1 for Re s > 0. */
function sqrt(a: Complex): Complex {
  const r = Math.hypot(a[0], a[1]);
  const re = Math.sqrt((r + a[0]) / 2);
  const im = Math.sqrt(Math.max(0, (r - a[0]) / 2));
  return [re, a[1] < 0 ? -im : im];
}
const ONE: Complex = [1, 0];

/** (1 − W_L*(s))/s: the transform of the low class's P(W_L > t). */
function lowTailTransform(s: Complex, lambdaHigh: number, lambdaLow: number): Complex {
  const rho = lambdaHigh + lambdaLow;
  let sigma = s;
  if (lambdaHigh > 0) {
    const b = add(s, [1 + lambdaHigh, 0]);
    const busy = scale(sub(b, sqrt(sub(mul(b, b), [4 * lambdaHigh, 0]))), 1 / (2 * lambdaHigh));
    sigma = add(s, scale(sub(ONE, busy), lambdaHigh));
  }
  const service = div(ONE, add(ONE, sigma));
  const w = div(scale(sigma, 1 - rho), add(sub(s, [lambdaLow, 0]), scale(service, lambdaLow)));
  return div(sub(ONE, w), s);
}

const EULER_A = 18.4;
const EULER_N = 15;
const EULER_M = 11;

/** f(t) from its Laplace transform by Abate & Whitt's Euler algorithm (for t > 0). */
export function eulerInversion(transform: (s: Complex) => Complex, t: number): number {
  const h = Math.PI / t;
  const u = Math.exp(EULER_A / 2) / t;
  const x = EULER_A / (2 * t);
  const partial: number[] = [];
  let sum = transform([x, 0])[0] / 2;
  for (let k = 1; k <= EULER_N + EULER_M; k++) {
    sum += (k % 2 === 0 ? 1 : -1) * transform([x, k * h])[0];
    if (k >= EULER_N) partial.push(sum);
  }
  // Binomial (Euler) averaging of the last M + 1 partial sums.
  let avg = 0;
  let binom = 1;
  for (let j = 0; j <= EULER_M; j++) {
    avg += binom * partial[j]!;
    binom = (binom * (EULER_M - j)) / (j + 1);
  }
  return (u * avg) / 2 ** EULER_M;
}

/** P(W > t) over all customers, and per class: `highShare` of arrivals are high priority; ρ = λ (mean service 1). */
export function priorityWaitTail(rho: number, highShare: number, t: number): { all: number; high: number; low: number } {
  const [lambdaHigh, lambdaLow] = [highShare * rho, (1 - highShare) * rho];
  const high = t < 0 ? 1 : rho * Math.exp(-(1 - lambdaHigh) * t);
  const low = t < 0 ? 1 : t === 0 ? rho : eulerInversion((s) => lowTailTransform(s, lambdaHigh, lambdaLow), t);
  return { all: highShare * high + (1 - highShare) * low, high, low };
}

/** The q-quantile of the overall wait (in mean service times), by bisection on the tail to 1e−9 relative. */
export function priorityWaitQuantileExact(rho: number, highShare: number, q: number): number {
  if (1 - q >= rho) return 0; // the atom at 0 (probability 1 − ρ) holds the quantile
  let [lo, hi] = [0, 1];
  while (priorityWaitTail(rho, highShare, hi).all > 1 - q) hi *= 2;
  while (hi - lo > 1e-9 * hi) {
    const mid = (lo + hi) / 2;
    if (priorityWaitTail(rho, highShare, mid).all > 1 - q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
