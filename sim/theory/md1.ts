import { mg1 } from './mg1.ts';
import type { TheoryResult } from './result.ts';

/** M/D/1: deterministic service, Wq = ρ / (2μ(1 − ρ)) — half the M/M/1 wait at the same load. */
export function md1(lambda: number, mu: number): TheoryResult {
  return mg1(lambda, mu, 0, 'md1');
}
