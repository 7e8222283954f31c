import type { Random } from '../../engine/random.ts';

/** Picks among options by weight (a cumulative table and a binary search). */
export function weightedChoice<T>(options: readonly { value: T; weight: number }[]): (random: Random) => T {
  const total = options.reduce((sum, o) => sum + o.weight, 0);
  if (options.length === 0 || !(total > 0)) throw new RangeError('a weighted choice needs at least one positive weight');
  if (options.length === 1) {
    const only = options[0]!.value;
    return () => only;
  }
  const cumulative = new Float64Array(options.length);
  let sum = 0;
  options.forEach((o, i) => (cumulative[i] = sum += o.weight / total));
  return (random) => {
    const u = random.next();
    let lo = 0;
    let hi = options.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return options[lo]!.value;
  };
}
