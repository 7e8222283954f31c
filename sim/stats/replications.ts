import { tInterval, type Estimate } from './interval.ts';

/**
 * Independent replications: run the same model with seeds seed, seed+1, …, seed+R−1 (each seed
 * hashes to unrelated streams, so neighbours are independent) and summarise every named metric
 * with a t interval across replications. Replication i can be replayed alone with `seed + i`.
 */
export function replicate<M extends Record<string, number>>(
  replications: number,
  seed: number,
  runOne: (seed: number, index: number) => M,
  level = 0.95,
): { seeds: number[]; runs: M[]; estimates: Record<keyof M, Estimate> } {
  if (!Number.isInteger(replications) || replications < 1) {
    throw new RangeError(`replications must be a whole number ≥ 1, got ${replications}`);
  }
  const seeds = Array.from({ length: replications }, (_, i) => seed + i);
  const runs = seeds.map((s, i) => runOne(s, i));
  return { seeds, runs, estimates: summarize(runs, level) };
}

/** A t interval per metric across runs; every run must report the same metric names. */
export function summarize<M extends Record<string, number>>(runs: M[], level = 0.95): Record<keyof M, Estimate> {
  const first = runs[0];
  if (first === undefined) throw new RangeError('nothing to summarise: no runs');
  const estimates = {} as Record<keyof M, Estimate>;
  for (const key of Object.keys(first) as (keyof M)[]) {
    estimates[key] = tInterval(
      runs.map((r) => r[key]),
      level,
    );
  }
  return estimates;
}
