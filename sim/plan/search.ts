/**
 * The search for the fewest consumers meeting the targets. Meeting them is monotone in the consumer
 * count (more servers never lengthen a FIFO queue's waits), so a bracket and a bisection find the
 * answer with few simulations: start where theory points, step down once to see the value below
 * fail, or gallop up (start+1, +2, +4, …) to a first success and bisect back.
 * Monotonicity does not hold for prefetch, batchMs or max-length: those are evaluated on a grid.
 */
export async function searchFewest(options: {
  /** The smallest value worth simulating (below it: screened out as unstable). */
  from: number;
  /** Where theory says the answer is. */
  start: number;
  max: number;
  meets: (value: number) => Promise<boolean>;
}): Promise<number | null> {
  const { from, max, meets } = options;
  if (from > max) return null;
  const start = Math.min(max, Math.max(from, options.start));
  if (await meets(start)) {
    if (start === from || !(await meets(start - 1))) return start;
    // Theory was pessimistic: the answer lies in [from, start − 1].
    if (await meets(from)) return from;
    return bisect(from, start - 1, meets);
  }
  let lastMiss = start;
  for (let step = 1; ; step *= 2) {
    const probe = Math.min(max, start + step);
    if (probe <= lastMiss) return null;
    if (await meets(probe)) return bisect(lastMiss, probe, meets);
    lastMiss = probe;
  }
}

/** The smallest value in (miss, hit] that meets, given that `miss` does not and `hit` does. */
async function bisect(miss: number, hit: number, meets: (value: number) => Promise<boolean>): Promise<number> {
  while (hit - miss > 1) {
    const mid = Math.floor((miss + hit) / 2);
    if (await meets(mid)) hit = mid;
    else miss = mid;
  }
  return hit;
}
