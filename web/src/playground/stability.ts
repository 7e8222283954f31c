import type { PlaygroundSettings } from '../playgroundWorker.ts';

export type Knobs = Omit<PlaygroundSettings, 'run'>;

/** Offered utilisation ρ = λ / (1 − p) / (c·μ): retries of failed attempts add load. */
export function offeredRho(s: Knobs): number {
  return s.lambda / (1 - s.failure) / (s.consumers * s.mu);
}

/**
 * The stretches of a slider where the system would be unstable (ρ ≥ 1) with every other setting as
 * it is, as fractions [from, to] of the track: shaded so the student sees the cliff before stepping off.
 */
export function unstableStretches(s: Knobs, key: keyof Knobs, min: number, max: number, steps = 400): [number, number][] {
  const stretches: [number, number][] = [];
  let start: number | null = null;
  for (let i = 0; i <= steps; i++) {
    const value = min + ((max - min) * i) / steps;
    const unstable = offeredRho({ ...s, [key]: value }) >= 1;
    if (unstable && start === null) start = i / steps;
    if (!unstable && start !== null) {
      stretches.push([start, (i - 0.5) / steps]);
      start = null;
    }
  }
  if (start !== null) stretches.push([start, 1]);
  return stretches;
}
