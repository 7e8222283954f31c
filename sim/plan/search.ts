/**
 * The search for the fewest consumers meeting the targets. Meeting them is monotone in the consumer
 * count (more servers never lengthen a FIFO queue's waits), so a bracket and a bisection find the
 * answer with few simulations. Theory's estimate s is usually the answer, so the first round
 * simulates s and s − 1 together (the answer and the value below it that the plan must show failing);
 * if s misses, it gallops up (s+1, s+3, s+7, …) to a first success and bisects back; if s − 1 meets
 * too, it gallops down (s−2, s−4, s−8, …, never below `from`) and bisects.
 * Monotonicity does not hold for prefetch, batchMs or max-length: those are evaluated on a grid.
 */
export async function searchFewest(options: {
  /** The smallest value worth simulating (below it: screened out as unstable). */
  from: number;
  /** Where theory says the answer is. */
  start: number;
  max: number;
  /** Whether each value meets the targets (the values of one call are simulated together). */
  meets: (values: number[]) => Promise<boolean[]>;
}): Promise<number | null> {
  const { from, max } = options;
  const one = async (v: number) => (await options.meets([v]))[0]!;
  if (from > max) return null;
  const start = Math.min(max, Math.max(from, options.start));
  const first = await options.meets(start > from ? [start - 1, start] : [start]);
  if (first[first.length - 1]) {
    if (start === from || !first[0]) return start;
    // Theory was pessimistic: the answer lies in [from, start − 1].
    let hit = start - 1;
    for (let step = 1; ; step *= 2) {
      if (hit === from) return from;
      const probe = Math.max(from, hit - step);
      if (!(await one(probe))) return bisect(probe, hit, one);
      hit = probe;
    }
  }
  let lastMiss = start;
  for (let step = 1; ; step *= 2) {
    const probe = Math.min(max, lastMiss + step);
    if (probe <= lastMiss) return null;
    if (await one(probe)) return bisect(lastMiss, probe, one);
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
