/**
 * The stationary weights of the M/M/c birth–death chain in logarithms: ln pₙ + const for
 * n = 0 … last, where pₙ ∝ aⁿ/n! up to c servers and each further state multiplies by ρ = a/c.
 * Logarithms keep every term finite for thousands of servers or states.
 */
export function birthDeathLogWeights(a: number, c: number, last: number): Float64Array {
  const logA = Math.log(a);
  const terms = new Float64Array(last + 1);
  for (let n = 1; n <= last; n++) terms[n] = terms[n - 1]! + logA - Math.log(Math.min(n, c));
  return terms;
}

/** The weights exp(tᵢ − max t), largest 1, so that sums of them neither overflow nor underflow. */
export function normalisedWeights(logTerms: Float64Array): { weights: Float64Array; largest: number } {
  let largest = -Infinity;
  for (const t of logTerms) if (t > largest) largest = t;
  return { weights: logTerms.map((t) => Math.exp(t - largest)), largest };
}
