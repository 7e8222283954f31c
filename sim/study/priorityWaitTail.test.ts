import { describe, expect, it } from 'vitest';
import { priorityNonPreemptive } from '../theory/priorityNonPreemptive.ts';
import { priorityWaitQuantile } from './priorityReference.ts';
import { priorityWaitQuantileExact, priorityWaitTail } from './priorityWaitTail.ts';

describe('two-class non-preemptive priority M/M/1: exact wait tail by transform inversion', () => {
  it('with no high class it is FIFO M/M/1: P(Wq > t) = ρe^{−(1−ρ)t} to 1e−7 (the inversion error is about e^{−18.4} ≈ 1e−8)', () => {
    for (const rho of [0.5, 0.8, 0.95]) {
      for (const t of [0.1, 1, 10, 50]) expect(Math.abs(priorityWaitTail(rho, 0, t).low - rho * Math.exp(-(1 - rho) * t))).toBeLessThan(1e-7);
    }
  });

  it("integrates to Cobham's mean wait of each class within 1e−4 relative (midpoint rule, step 0.01)", () => {
    for (const [rho, highShare] of [
      [0.8, 0.3],
      [0.9, 0.5],
    ] as const) {
      const theory = priorityNonPreemptive({ lambda: [highShare * rho, (1 - highShare) * rho], mu: [1, 1], cs2: [1, 1] });
      let [high, low] = [0, 0];
      for (let t = 0.005; t < 600; t += 0.01) {
        const p = priorityWaitTail(rho, highShare, t);
        high += p.high * 0.01;
        low += p.low * 0.01;
      }
      expect(high / theory.classes![0]!.Wq! - 1).toBeCloseTo(0, 4);
      expect(low / theory.classes![1]!.Wq! - 1).toBeCloseTo(0, 4);
    }
  });

  it('its p99 agrees with an independent textbook simulation of the queue (2·10⁶ customers) within 4 of that simulation\'s standard errors', () => {
    const exact = priorityWaitQuantileExact(0.8, 0.3, 0.99);
    const simulated = priorityWaitQuantile(0.8, 0.3, 0.99, 2_000_000, 7);
    expect(Math.abs(simulated.value - exact)).toBeLessThan(4 * simulated.standardError);
    expect(priorityWaitTail(0.8, 0.3, exact).all).toBeCloseTo(0.01, 8);
  }, 120_000);
});
