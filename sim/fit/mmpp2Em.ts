/**
 * Maximum-likelihood fit of a two-state Markov-modulated Poisson process to inter-arrival gaps by
 * the EM algorithm of Rydén ("An EM algorithm for estimation in Markov-modulated Poisson
 * processes", Computational Statistics & Data Analysis 21, 1996). The MMPP is the Markovian arrival
 * process D0 = Q − Λ, D1 = Λ (Q the generator of the hidden state, Λ = diag(λ₁, λ₂)), and each gap
 * x contributes e^{D0·x}·D1 to the likelihood. Forward and backward passes over the gaps give, per
 * gap, the posterior time spent in each state, the hidden switches and the state of each arrival;
 * the M-step sets λᵢ = arrivals in i / time in i and qᵢⱼ = switches i→j / time in i.
 * The within-gap integral ∫₀ˣ e^{D0(x−u)}·b·a·e^{D0·u} du (Van Loan's block exponential) is taken in
 * closed form from the spectral decomposition of the 2 × 2 D0 (its eigenvalues are real and
 * distinct whenever both switching rates are positive), scaled by e^{−s_max·x} so that long gaps do
 * not underflow; the scale cancels in every posterior ratio.
 */

export interface Mmpp2 {
  /** Arrival rates in states 1 and 2, per unit time of the gaps. */
  lambda: [number, number];
  /** Switching rates 1 → 2 and 2 → 1. */
  q: [number, number];
}

export interface Mmpp2Fit extends Mmpp2 {
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

type Vec = [number, number];
type Mat = [Vec, Vec];

/** Fits an MMPP2 to gaps (> 0 on average), starting from `start`; stops when the log-likelihood gains less than `tolerance` (relative) or after `maxIterations`. */
export function fitMmpp2Em(gaps: readonly number[], start: Mmpp2, maxIterations = 300, tolerance = 1e-8): Mmpp2Fit {
  let theta: Mmpp2 = { lambda: [...start.lambda], q: [...start.q] };
  let previous = -Infinity;
  for (let it = 1; it <= maxIterations; it++) {
    const step = emStep(gaps, theta);
    if (step === undefined) return { ...theta, logLikelihood: previous, iterations: it - 1, converged: false };
    const gain = step.logLikelihood - previous;
    theta = step.next;
    if (Number.isFinite(previous) && Math.abs(gain) <= tolerance * Math.abs(step.logLikelihood)) return { ...theta, logLikelihood: step.logLikelihood, iterations: it, converged: true };
    previous = step.logLikelihood;
  }
  return { ...theta, logLikelihood: previous, iterations: maxIterations, converged: false };
}

/** log L(θ) of the gaps, the arrival process started in its arrival-stationary phase. */
export function mmpp2LogLikelihood(gaps: readonly number[], theta: Mmpp2): number {
  const s = spectral(theta);
  let alpha = arrivalPhase(theta);
  let log = 0;
  for (const x of gaps) {
    const e = s.exp(x);
    const next: Vec = [(alpha[0] * e[0][0] + alpha[1] * e[1][0]) * theta.lambda[0], (alpha[0] * e[0][1] + alpha[1] * e[1][1]) * theta.lambda[1]];
    const c = next[0] + next[1];
    log += Math.log(c) + s.top * x;
    alpha = [next[0] / c, next[1] / c];
  }
  return log;
}

function emStep(gaps: readonly number[], theta: Mmpp2): { next: Mmpp2; logLikelihood: number } | undefined {
  const n = gaps.length;
  const s = spectral(theta);
  const { lambda } = theta;
  const exps: Mat[] = gaps.map((x) => s.exp(x));
  // Forward: alphas[k] is the (scaled) phase just after arrival k; alphas[0] the start.
  const alphas: Vec[] = [arrivalPhase(theta)];
  let logLikelihood = 0;
  for (let k = 0; k < n; k++) {
    const a = alphas[k]!;
    const e = exps[k]!;
    const v: Vec = [(a[0] * e[0][0] + a[1] * e[1][0]) * lambda[0], (a[0] * e[0][1] + a[1] * e[1][1]) * lambda[1]];
    const c = v[0] + v[1];
    if (!(c > 0) || !Number.isFinite(c)) return undefined;
    logLikelihood += Math.log(c) + s.top * gaps[k]!;
    alphas.push([v[0] / c, v[1] / c]);
  }
  // Backward, accumulating the posterior sums gap by gap.
  let beta: Vec = [1, 1];
  const time: Vec = [0, 0];
  const arrivals: Vec = [0, 0];
  const switches: Vec = [0, 0];
  for (let k = n - 1; k >= 0; k--) {
    const a = alphas[k]!;
    const e = exps[k]!;
    const b: Vec = [lambda[0] * beta[0], lambda[1] * beta[1]];
    const ae: Vec = [a[0] * e[0][0] + a[1] * e[1][0], a[0] * e[0][1] + a[1] * e[1][1]];
    const total = ae[0] * b[0] + ae[1] * b[1];
    if (!(total > 0) || !Number.isFinite(total)) return undefined;
    const z = s.integral(gaps[k]!, a, b);
    time[0] += z[0][0] / total;
    time[1] += z[1][1] / total;
    switches[0] += (theta.q[0] * z[0][1]) / total;
    switches[1] += (theta.q[1] * z[1][0]) / total;
    arrivals[0] += (ae[0] * b[0]) / total;
    arrivals[1] += (ae[1] * b[1]) / total;
    const eb: Vec = [e[0][0] * b[0] + e[0][1] * b[1], e[1][0] * b[0] + e[1][1] * b[1]];
    const norm = eb[0] + eb[1];
    beta = [eb[0] / norm, eb[1] / norm];
  }
  return {
    next: { lambda: [arrivals[0] / time[0], arrivals[1] / time[1]], q: [switches[0] / time[0], switches[1] / time[1]] },
    logLikelihood,
  };
}

/** The phase seen by an arrival in steady state: π ∘ λ normalised, π the stationary law of Q. */
function arrivalPhase(theta: Mmpp2): Vec {
  const [q12, q21] = theta.q;
  const pi: Vec = [q21 / (q12 + q21), q12 / (q12 + q21)];
  const w: Vec = [pi[0] * theta.lambda[0], pi[1] * theta.lambda[1]];
  const t = w[0] + w[1];
  return t > 0 ? [w[0] / t, w[1] / t] : pi;
}

/**
 * D0 = Σ sₖ·Pₖ with real eigenvalues s₁ > s₂ and projectors Pₖ; `exp(x)` is e^{D0·x}·e^{−s₁x} and
 * `integral(x, a, b)[i][j]` is ∫₀ˣ [a·e^{D0u}]ᵢ·[e^{D0(x−u)}·b]ⱼ du · e^{−s₁x}. `top` = s₁.
 */
function spectral(theta: Mmpp2) {
  const [q12, q21] = theta.q;
  const d: Mat = [
    [-q12 - theta.lambda[0], q12],
    [q21, -q21 - theta.lambda[1]],
  ];
  const mid = (d[0][0] + d[1][1]) / 2;
  const half = Math.sqrt(((d[0][0] - d[1][1]) / 2) ** 2 + q12 * q21);
  const s: Vec = [mid + half, mid - half];
  const gap = s[0] - s[1];
  const projector = (other: number, sign: number): Mat => [
    [(sign * (d[0][0] - other)) / gap, (sign * d[0][1]) / gap],
    [(sign * d[1][0]) / gap, (sign * (d[1][1] - other)) / gap],
  ];
  const P: [Mat, Mat] = [projector(s[1], 1), projector(s[0], -1)];
  const weights = (x: number): Vec => [1, Math.exp(-gap * x)];
  return {
    top: s[0],
    exp(x: number): Mat {
      const w = weights(x);
      return [
        [w[0] * P[0][0][0] + w[1] * P[1][0][0], w[0] * P[0][0][1] + w[1] * P[1][0][1]],
        [w[0] * P[0][1][0] + w[1] * P[1][1][0], w[0] * P[0][1][1] + w[1] * P[1][1][1]],
      ];
    },
    integral(x: number, a: Vec, b: Vec): Mat {
      // φ(k, l) = e^{−s₁x}·∫₀ˣ e^{s_l u}·e^{s_k (x−u)} du, a on the left (u), b on the right (x − u).
      const w = weights(x);
      const phi = (k: number, l: number) => (k === l ? x * w[k]! : (w[l]! - w[k]!) / (s[l]! - s[k]!));
      const out: Mat = [
        [0, 0],
        [0, 0],
      ];
      for (let l = 0; l < 2; l++) {
        const aP: Vec = [a[0] * P[l]![0][0] + a[1] * P[l]![1][0], a[0] * P[l]![0][1] + a[1] * P[l]![1][1]];
        for (let k = 0; k < 2; k++) {
          const Pb: Vec = [P[k]![0][0] * b[0] + P[k]![0][1] * b[1], P[k]![1][0] * b[0] + P[k]![1][1] * b[1]];
          const f = phi(k, l);
          for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) out[i]![j]! += aP[i]! * Pb[j]! * f;
        }
      }
      return out;
    },
  };
}
