import { describe, expect, it } from 'vitest';
import { priorityWaitQuantile } from './priorityReference.ts';

describe('priority queue reference p99', () => {
  it('with every customer in one class it is FIFO M/M/1, and matches P(Wq > t) = ρe^{−(1−ρ)t} within 4 standard errors', () => {
    // 10 batch quantiles give the standard error; 4 of them bound a false alarm below 10⁻³ even
    // with the t(9) tails; the histogram's 0.05 % binning is far inside that.
    const rho = 0.8;
    const r = priorityWaitQuantile(rho, 1, 0.99, 2_000_000, 7);
    const exact = Math.log(rho / 0.01) / (1 - rho);
    expect(Math.abs(r.value - exact)).toBeLessThan(4 * r.standardError);
    expect(r.standardError / exact).toBeLessThan(0.03);
  }, 120_000);

  it('serving the high class first stretches the overall p99 beyond FIFO at the same load', () => {
    const fifo = priorityWaitQuantile(0.8, 1, 0.99, 1_000_000, 3);
    const prio = priorityWaitQuantile(0.8, 0.3, 0.99, 1_000_000, 3);
    expect(prio.value - fifo.value).toBeGreaterThan(4 * Math.hypot(prio.standardError, fifo.standardError));
  }, 120_000);
});
