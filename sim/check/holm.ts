/**
 * Holm's step-down procedure: with the p-values sorted ascending, reject p₍ₖ₎ while
 * p₍ₖ₎ ≤ level/(m − k) (k from 0), stop at the first that is not. It controls the family-wise error
 * at `level` whatever the dependence between the tests. Returns, per test in the given order,
 * whether it is rejected and the level it was held to.
 */
export function holm(pValues: number[], level: number): { rejected: boolean; levelUsed: number }[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const out = pValues.map(() => ({ rejected: false, levelUsed: level / Math.max(1, m) }));
  let stopped = false;
  order.forEach((index, k) => {
    const levelUsed = level / (m - k);
    out[index] = { rejected: !stopped && pValues[index]! <= levelUsed, levelUsed };
    if (!out[index]!.rejected) stopped = true;
  });
  return out;
}
