import { mmc } from './mmc.ts';
import { TheoryInputError, requireNonNegative, type TheoryResult } from './result.ts';

export interface Station {
  name?: string;
  /** Service rate per server. */
  mu: number;
  /** Servers. */
  c: number;
  /** Arrivals from outside the network. */
  externalLambda: number;
}

export interface JacksonResult {
  stable: boolean;
  /** Total arrival rate into each station, from the traffic equations. */
  lambda: number[];
  stations: TheoryResult[];
  /** Mean messages in the whole network. */
  L: number | null;
  /** Mean time from entering to leaving the network, by Little's law on the external rate. */
  W: number | null;
}

/**
 * An open Jackson network of M/M/c stations: routing[i][j] is the probability a message leaving
 * station i goes next to j (what is left of row i leaves the network). The traffic equations
 * λ = γ + Rᵀλ are solved exactly (Gaussian elimination with partial pivoting); by Jackson's theorem
 * each station then behaves as an independent M/M/c with its λᵢ.
 */
export function jacksonNetwork(stations: Station[], routing: number[][]): JacksonResult {
  const n = stations.length;
  if (n === 0) throw new TheoryInputError('stations', 'needs at least one station');
  if (routing.length !== n) throw new TheoryInputError('routing', `needs ${n} rows, got ${routing.length}`);
  routing.forEach((row, i) => {
    if (row.length !== n) throw new TheoryInputError(`routing[${i}]`, `needs ${n} entries, got ${row.length}`);
    row.forEach((p, j) => requireNonNegative(`routing[${i}][${j}]`, p));
    const total = row.reduce((a, b) => a + b, 0);
    if (total > 1 + 1e-12) throw new TheoryInputError(`routing[${i}]`, `must sum to at most 1, got ${total}`);
  });
  stations.forEach((s, i) => requireNonNegative(`stations[${i}].externalLambda`, s.externalLambda));
  const gamma = stations.map((s) => s.externalLambda);
  // (I − Rᵀ)·λ = γ
  const matrix = stations.map((_, i) => stations.map((__, j) => (i === j ? 1 : 0) - routing[j]![i]!));
  const lambda = solveLinear(matrix, gamma);
  const results = stations.map((s, i) => mmc(lambda[i]!, s.mu, s.c));
  const stable = results.every((r) => r.stable);
  const external = gamma.reduce((a, b) => a + b, 0);
  const L = stable ? results.reduce((sum, r) => sum + r.L!, 0) : null;
  return { stable, lambda, stations: results, L, W: L !== null && external > 0 ? L / external : null };
}

/** A line of stations visited in order: each message passes every station once. */
export function tandem(lambda: number, stations: { mu: number; c: number }[]): JacksonResult {
  const routing = stations.map((_, i) => stations.map((__, j) => (j === i + 1 ? 1 : 0)));
  return jacksonNetwork(
    stations.map((s, i) => ({ ...s, externalLambda: i === 0 ? lambda : 0 })),
    routing,
  );
}

function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-14) {
      throw new TheoryInputError('routing', 'traps messages in a loop they never leave (the traffic equations are singular)');
    }
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[r]![k]! -= factor * m[col]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
