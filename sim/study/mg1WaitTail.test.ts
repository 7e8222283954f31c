import { describe, expect, it } from 'vitest';
import { mg1 } from '../theory/mg1.ts';
import { mg1LognormalWaitQuantile } from './mg1WaitTail.ts';

describe('M/G/1 lognormal wait quantile (Pollaczek–Khinchine on a grid)', () => {
  it('brackets the quantile within 0.5 %, and its distribution has the Pollaczek–Khinchine mean', () => {
    // The mean below the 0.99999 quantile misses at most the tail beyond it (mass 10⁻⁴), which for these
    // moments is under 0.1 % of the mean; the grid moves the mean by at most one step (0.02).
    const r = mg1LognormalWaitQuantile(0.5, 4, 0.9999, 0.02);
    const exactMean = mg1(0.5, 1, 4).Wq!;
    expect(r.meanBelowLower).toBeGreaterThan(exactMean * 0.99 - 0.02);
    expect(r.meanBelowLower).toBeLessThan(exactMean + 0.02);
    const p99 = mg1LognormalWaitQuantile(0.8, 4, 0.99);
    expect(p99.upper).toBeGreaterThanOrEqual(p99.lower);
    expect((p99.upper - p99.lower) / p99.lower).toBeLessThan(0.005);
  }, 120_000);

  it('grows with the load and the service variability', () => {
    const at = (rho: number, scv: number) => mg1LognormalWaitQuantile(rho, scv, 0.99, 0.02).lower;
    expect(at(0.8, 4)).toBeGreaterThan(at(0.5, 4));
    expect(at(0.8, 4)).toBeGreaterThan(at(0.8, 1));
  }, 120_000);
});
