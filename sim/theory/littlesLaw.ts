/**
 * Little's law, L = λW, for any stable system in which items arrive at rate λ and stay W on average
 * — whatever the distributions or discipline. Each helper solves it for one quantity.
 */
export function littleL(lambda: number, W: number): number {
  return lambda * W;
}

export function littleW(L: number, lambda: number): number {
  return L / lambda;
}

export function littleLambda(L: number, W: number): number {
  return L / W;
}

/** Relative gap between L and λW: how far a measured run is from satisfying Little's law. */
export function littleGap(L: number, lambda: number, W: number): number {
  const predicted = lambda * W;
  return predicted === 0 ? Math.abs(L) : Math.abs(L - predicted) / predicted;
}
