import { describe, expect, it } from 'vitest';
import { erlangA } from './erlangA.ts';
import { mmc } from './mmc.ts';

// Erlang-A checked against cases with independent closed forms, not against itself.
describe('erlangA (M/M/c+M)', () => {
  it('θ = μ makes the count an M/M/∞ Poisson(a): L = a, Lq = a − c + Σ(c−n)pₙ, Pabandon = θ·Lq/λ', () => {
    // c = 1, λ = 2, μ = θ = 1: n ~ Poisson(2); Lq = E[(n−1)⁺] = 2 − 1 + e⁻² ; Pabandon = Lq/2.
    const r = erlangA(2, 1, 1, 1);
    const lq = 2 - 1 + Math.exp(-2);
    expect(r.L).toBeCloseTo(2, 10);
    expect(r.Lq).toBeCloseTo(lq, 10);
    expect(r.Pabandon).toBeCloseTo(lq / 2, 10);
    expect(r.Pwait).toBeCloseTo(1 - Math.exp(-2), 10);
  });

  it('abandonment from the flow balance (θ·Lq/λ) equals one minus P(served) from the tagged-customer recursion', () => {
    for (const [lambda, mu, c, theta] of [[5, 2.5, 2, 1], [30, 1, 25, 0.2], [0.5, 1, 1, 3], [100, 1, 90, 0.05]] as const) {
      const r = erlangA(lambda, mu, c, theta);
      expect(r.Pserved).toBeCloseTo(1 - r.Pabandon, 10);
      // throughput of the servers: Σ min(n,c)μ pₙ = L − Lq times μ, which must equal λ(1 − Pabandon).
      expect((r.L - r.Lq) * mu).toBeCloseTo(r.throughput, 8);
      expect(r.WqServed).toBeLessThanOrEqual(r.Wq / (1 - r.Pabandon) + 1e-12);
    }
  });

  it('tends to M/M/c as patience grows without bound (ρ < 1)', () => {
    const limit = mmc(4, 2.5, 2);
    const r = erlangA(4, 2.5, 2, 1e-7);
    expect(r.WqServed).toBeCloseTo(limit.Wq!, 4);
    expect(r.Lq).toBeCloseTo(limit.Lq!, 4);
    expect(r.Pabandon).toBeLessThan(1e-6);
  });

  it('stays finite above ρ = 1: the impatient leave', () => {
    const r = erlangA(10, 1, 5, 0.5); // ρ = 2: at least half must abandon
    expect(r.Pabandon).toBeGreaterThan(0.5);
    expect(Number.isFinite(r.Lq)).toBe(true);
  });

  it('refuses zero patience rate and bad servers', () => {
    expect(() => erlangA(1, 1, 1, 0)).toThrow(/theta/);
    expect(() => erlangA(1, 1, 1.5, 1)).toThrow(/c /);
  });
});

describe('erlangA result fields', () => {
  it('names the model and its inputs, is stable, ρ = λ/(cμ), WServed = WqServed + 1/μ, and names a bad rate', () => {
    const r = erlangA(6, 2, 2, 0.5);
    expect(r.model).toBe('erlangA');
    expect(r.inputs).toEqual({ lambda: 6, mu: 2, c: 2, theta: 0.5 });
    expect(r.stable).toBe(true);
    expect(r.rho).toBe(1.5);
    expect(r.WServed).toBeCloseTo(r.WqServed + 0.5, 12);
    expect(r.WqServed).toBeGreaterThan(0);
    expect(() => erlangA(0, 2, 2, 0.5)).toThrow(/^lambda must be/);
    expect(() => erlangA(6, 0, 2, 0.5)).toThrow(/^mu must be/);
  });
});
