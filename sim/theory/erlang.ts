import { requireNonNegative, requireServers } from './result.ts';

/**
 * Erlang B, the blocking probability of c servers offered a erlangs with no waiting room, by the
 * recurrence B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). Every step stays in [0, 1], so it is exact
 * and finite for any c, where the textbook sum of aᵏ/k! overflows past c ≈ 170.
 */
export function erlangB(c: number, offeredLoad: number): number {
  requireServers('c', c);
  requireNonNegative('offered load', offeredLoad);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** Erlang C, the probability of waiting in M/M/c, from Erlang B: C = cB / (c − a(1 − B)); needs a < c. */
export function erlangC(c: number, offeredLoad: number): number {
  if (!(offeredLoad < c)) return 1;
  const b = erlangB(c, offeredLoad);
  return (c * b) / (c - offeredLoad * (1 - b));
}
