import type { Random } from '../../engine/random.ts';

/**
 * A non-negative random variable (a service time, an inter-arrival gap, a latency) that states its
 * exact mean and squared coefficient of variation (scv = variance / mean²), so theory is computed
 * from the very parameters the simulation samples with.
 */
export interface Distribution {
  readonly kind: string;
  readonly mean: number;
  readonly scv: number;
  sample(random: Random): number;
}

export class DistributionError extends RangeError {
  override name = 'DistributionError';
}

/** Throws a DistributionError naming `field` unless `value` is a finite number above `min` (or at it, when `inclusive`). */
export function checkParameter(kind: string, field: string, value: number, min = 0, inclusive = false): void {
  const ok = Number.isFinite(value) && (inclusive ? value >= min : value > min);
  if (!ok) {
    throw new DistributionError(`${kind}: ${field} must be a finite number ${inclusive ? '≥' : '>'} ${min}, got ${value}`);
  }
}

/** A uniform draw in (0, 1]: safe to take the logarithm of. */
export function openUniform(random: Random): number {
  return 1 - random.next();
}

/** A standard normal draw by Box–Muller (one of the pair; stateless, so streams stay replayable). */
export function standardNormal(random: Random): number {
  const radius = Math.sqrt(-2 * Math.log(openUniform(random)));
  return radius * Math.cos(2 * Math.PI * random.next());
}
