import { describe, expect, it } from 'vitest';
import { erlangB } from './erlang.ts';
import { mmc } from './mmc.ts';
import { mmcPlusD } from './mmcPlusD.ts';

/** mulberry32: a small seeded generator, so the brute force is the same every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Brute force, independent of the formula: FCFS c servers, each arrival's offered wait is the time
 * until the earliest server frees; it joins if that is below D (and takes that server), else leaves
 * after D. With deterministic patience this is M/M/c+D exactly: an abandoning customer never holds
 * a server, so it cannot delay anyone behind it.
 */
function bruteForce(lambda: number, mu: number, c: number, D: number, customers: number, seed: number) {
  const u = seeded(seed);
  const free = new Float64Array(c);
  let t = 0;
  let abandoned = 0;
  let waited = 0;
  let waitAll = 0;
  let waitServed = 0;
  for (let n = 0; n < customers; n++) {
    t += -Math.log(1 - u()) / lambda;
    let k = 0;
    for (let i = 1; i < c; i++) if (free[i]! < free[k]!) k = i;
    const v = Math.max(0, free[k]! - t);
    if (v > 0) waited++;
    if (v >= D) {
      abandoned++;
      waitAll += D;
    } else {
      waitAll += v;
      waitServed += v;
      free[k] = t + v - Math.log(1 - u()) / mu;
    }
  }
  return { Pabandon: abandoned / customers, Pwait: waited / customers, Wq: waitAll / customers, WqServed: waitServed / (customers - abandoned) };
}

describe('M/M/c+D, deterministic patience', () => {
  const cases: [string, number, number, number, number][] = [
    ['overloaded single server', 12, 10, 1, 0.3],
    ['two servers at ρ = 0.9', 18, 10, 2, 0.2],
    ['ten servers overloaded, short patience', 120, 10, 10, 0.05],
    ['five servers light load', 20, 10, 5, 0.1],
  ];
  for (const [name, lambda, mu, c, D] of cases) {
    it(`agrees with a brute-force FCFS simulation of 2·10⁶ customers (${name})`, () => {
      const exact = mmcPlusD(lambda, mu, c, D);
      const brute = bruteForce(lambda, mu, c, D, 2_000_000, 7);
      expect(Math.abs(exact.Pabandon - brute.Pabandon)).toBeLessThan(0.004);
      expect(Math.abs(exact.Pwait - brute.Pwait)).toBeLessThan(0.006);
      expect(Math.abs(exact.Wq / brute.Wq - 1)).toBeLessThan(0.02);
      expect(Math.abs(exact.WqServed / brute.WqServed - 1)).toBeLessThan(0.02);
    });
  }

  it('with patience far beyond any wait it is M/M/c (Erlang C)', () => {
    const r = mmcPlusD(18, 10, 2, 1e4);
    const m = mmc(18, 10, 2);
    expect(r.Pabandon).toBeLessThan(1e-12);
    expect(r.Pwait).toBeCloseTo(m.Pwait!, 9);
    expect(r.Wq).toBeCloseTo(m.Wq!, 9);
    expect(r.WqServed).toBeCloseTo(m.Wq!, 9);
    expect(r.Lq).toBeCloseTo(m.Lq!, 9);
    expect(r.L).toBeCloseTo(m.L!, 9);
  });

  it('with patience near zero everyone who finds all servers busy leaves: Erlang B', () => {
    for (const [lambda, c] of [[5, 1], [30, 4], [300, 25]] as const) {
      const r = mmcPlusD(lambda, 10, c, 1e-12);
      expect(r.Pabandon).toBeCloseTo(erlangB(c, lambda / 10), 9);
      expect(r.Wq).toBeLessThan(1e-11);
    }
  });

  it('is continuous through λ = cμ and finite far into overload', () => {
    const below = mmcPlusD(20 - 1e-7, 10, 2, 0.5);
    const at = mmcPlusD(20, 10, 2, 0.5);
    const above = mmcPlusD(20 + 1e-7, 10, 2, 0.5);
    for (const k of ['Pabandon', 'Wq', 'WqServed', 'L'] as const) {
      expect(at[k]).toBeCloseTo(below[k], 6);
      expect(at[k]).toBeCloseTo(above[k], 6);
    }
    const heavy = mmcPlusD(1e4, 1, 50, 100);
    // Almost everyone abandons; throughput is the servers' capacity.
    expect(heavy.throughput).toBeCloseTo(50, 6);
    expect(heavy.WqServed).toBeLessThan(100);
    expect(heavy.WqServed).toBeGreaterThan(99);
    const many = mmcPlusD(0.5, 10, 500, 1);
    expect(many.Pwait).toBe(0);
    expect(many.L).toBeCloseTo(0.05, 9);
  });

  it('throughput and Little: served = λ(1 − Pabandon), L − Lq = mean busy servers = throughput/μ', () => {
    const r = mmcPlusD(25, 10, 2, 0.15);
    expect(r.throughput).toBeCloseTo(25 * (1 - r.Pabandon), 12);
    expect(r.L - r.Lq).toBeCloseTo(r.throughput / 10, 9);
    expect(r.rho).toBe(1.25);
  });

  it('names a bad parameter', () => {
    expect(() => mmcPlusD(1, 1, 1, 0)).toThrow(/patience must be a finite number > 0/);
    expect(() => mmcPlusD(1, 1, 1.5, 1)).toThrow(/c must be a whole number/);
  });
});

describe('mmcPlusD result fields', () => {
  it('names the model and its inputs, is stable, WServed = WqServed + 1/μ, and names a bad rate', () => {
    const r = mmcPlusD(6, 2, 2, 0.5);
    expect(r.model).toBe('mmc+d');
    expect(r.inputs).toEqual({ lambda: 6, mu: 2, c: 2, patience: 0.5 });
    expect(r.stable).toBe(true);
    expect(r.WServed).toBeCloseTo(r.WqServed + 0.5, 12);
    expect(() => mmcPlusD(0, 2, 2, 0.5)).toThrow(/^lambda must be/);
    expect(() => mmcPlusD(6, 0, 2, 0.5)).toThrow(/^mu must be/);
  });

});
