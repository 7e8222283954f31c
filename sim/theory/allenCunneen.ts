import { mmc } from './mmc.ts';
import { requireNonNegative, unstable, type TheoryResult } from './result.ts';

export const ALLEN_CUNNEEN = 'Allen–Cunneen G/G/c approximation (M/M/c wait scaled by (ca² + cs²)/2)';

/**
 * G/G/c, approximately (Allen–Cunneen): Wq ≈ Wq(M/M/c) · (ca² + cs²)/2, with Wq(M/M/c) = C/(cμ − λ).
 * Exact for M/M/c; good within a few per cent for moderate variability at high load.
 */
export function ggc(lambda: number, mu: number, c: number, ca2: number, cs2: number): TheoryResult {
  requireNonNegative('ca2', ca2);
  requireNonNegative('cs2', cs2);
  return scaledWait(mmc(lambda, mu, c), 'ggc', { lambda, mu, c, ca2, cs2 }, (ca2 + cs2) / 2, ALLEN_CUNNEEN);
}

/**
 * The M/M/c result with its queueing delay scaled by a variability factor — the shape of both
 * Kingman's and Allen–Cunneen's approximations. Service time is unchanged, so W = Wq + 1/μ.
 */
export function scaledWait(
  base: TheoryResult,
  model: string,
  inputs: TheoryResult['inputs'],
  factor: number,
  approximation: string,
): TheoryResult {
  if (!base.stable) return unstable(model, inputs, base.rho, { approximation });
  const lambda = base.throughput!;
  const serviceTime = base.W! - base.Wq!;
  const Wq = base.Wq! * factor;
  const W = Wq + serviceTime;
  return {
    model,
    inputs,
    stable: true,
    rho: base.rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    ...(base.Pwait !== undefined && model === 'ggc' ? { Pwait: base.Pwait } : {}),
    throughput: lambda,
    approximation,
  };
}
