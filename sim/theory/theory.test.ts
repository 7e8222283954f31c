import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  gg1,
  ggc,
  jacksonNetwork,
  littleGap,
  md1,
  meanAttempts,
  mg1,
  mm1,
  mmc,
  mmck,
  priorityNonPreemptive,
  priorityPreemptive,
  retryInflatedRate,
  sojournQuantile,
  sojournTail,
  tandem,
  TheoryInputError,
  type TheoryResult,
} from './index.ts';

const runs = { seed: 3, numRuns: 300 };
const close = (a: number | null | undefined, b: number, digits = 10) => expect(a).toBeCloseTo(b, digits);
const allFinite = (r: TheoryResult) =>
  [r.rho, r.L, r.Lq, r.W, r.Wq, r.P0, r.Pwait, r.Pblock, r.throughput].every((v) => v === undefined || v === null || Number.isFinite(v));

describe('published textbook examples', () => {
  // Hillier & Lieberman, Introduction to Operations Research, "County Hospital" emergency room:
  // λ = 2 patients/hour, mean treatment 20 minutes (μ = 3/hour); one doctor against two.
  it('County Hospital with one doctor (M/M/1): L = 2, Lq = 4/3, W = 1 h, Wq = 2/3 h, P0 = 1/3', () => {
    const r = mm1(2, 3);
    close(r.L, 2);
    close(r.Lq, 4 / 3);
    close(r.W, 1);
    close(r.Wq, 2 / 3);
    close(r.P0, 1 / 3);
  });
  it('County Hospital with two doctors (M/M/2): P0 = 1/2, Lq = 1/12, L = 3/4, Wq = 1/24 h, W = 3/8 h', () => {
    const r = mmc(2, 3, 2);
    close(r.P0, 1 / 2);
    close(r.Lq, 1 / 12);
    close(r.L, 3 / 4);
    close(r.Wq, 1 / 24);
    close(r.W, 3 / 8);
  });
  // Same source, priority-discipline version: classes at λ = 0.2, 0.6, 1.2 per hour, μ = 3 per hour.
  it('County Hospital with priority classes: non-preemptive Wq = 0.238, 0.325, 0.909 h', () => {
    const classes = priorityNonPreemptive({ lambda: [0.2, 0.6, 1.2], mu: [3, 3, 3] }).classes!;
    expect(classes.map((c) => Number(c.Wq!.toFixed(3)))).toEqual([0.238, 0.325, 0.909]);
  });
  it('County Hospital with priority classes: preemptive W = 0.357, 0.487, 1.364 h', () => {
    const classes = priorityPreemptive({ lambda: [0.2, 0.6, 1.2], mu: [3, 3, 3] }).classes!;
    expect(classes.map((c) => Number(c.W!.toFixed(3)))).toEqual([0.357, 0.487, 1.364]);
  });
  // Erlang B traffic tables (e.g. Gross & Harris, Fundamentals of Queueing Theory, Table of Erlang's loss formula).
  it('Erlang B tables: B(5 servers, 2 erlangs) = 0.0367, B(10, 5) = 0.0184', () => {
    expect(erlangB(5, 2)).toBeCloseTo(0.0367, 4);
    expect(erlangB(10, 5)).toBeCloseTo(0.0184, 4);
  });
});

describe('identities', () => {
  const stable = fc
    .record({ mu: fc.double({ min: 0.01, max: 1000, noNaN: true }), rho: fc.double({ min: 0.001, max: 0.999, noNaN: true }), c: fc.integer({ min: 1, max: 300 }) })
    .map(({ mu, rho, c }) => ({ mu, c, lambda: rho * c * mu }));

  it("Little's law holds for every model: L = λW and Lq = λWq", () => {
    fc.assert(fc.property(stable, fc.double({ min: 0, max: 5, noNaN: true }), ({ lambda, mu, c }, cs2) => {
      for (const r of [mmc(lambda, mu, c), mg1(lambda / c, mu, cs2), ggc(lambda, mu, c, 1, cs2)]) {
        expect(littleGap(r.L!, r.throughput!, r.W!)).toBeLessThan(1e-9);
        expect(littleGap(r.Lq!, r.throughput!, r.Wq!)).toBeLessThan(1e-9);
      }
    }), runs);
  });

  it('M/M/1 matches its closed forms: L = ρ/(1 − ρ), W = 1/(μ − λ), P0 = 1 − ρ', () => {
    fc.assert(fc.property(stable, ({ mu, lambda, c }) => {
      const l = lambda / c;
      const rho = l / mu;
      const r = mm1(l, mu);
      expect(r.L! / (rho / (1 - rho))).toBeCloseTo(1, 9);
      expect(r.W! * (mu - l)).toBeCloseTo(1, 9);
      expect(r.P0).toBeCloseTo(1 - rho, 9);
    }), runs);
  });

  it('M/M/c with c = 1 equals M/M/1, and M/G/1 with cs² = 1 equals M/M/1', () => {
    fc.assert(fc.property(stable, ({ mu, lambda, c }) => {
      const l = lambda / c;
      const base = mm1(l, mu);
      for (const other of [mmc(l, mu, 1), mg1(l, mu, 1), gg1(l, mu, 1, 1)]) {
        for (const key of ['L', 'Lq', 'W', 'Wq'] as const) expect(other[key]! / base[key]!).toBeCloseTo(1, 9);
      }
    }), runs);
  });

  it('M/D/1 waits exactly half as long in queue as M/M/1', () => {
    fc.assert(fc.property(stable, ({ mu, lambda, c }) => {
      expect(md1(lambda / c, mu).Wq! / mm1(lambda / c, mu).Wq!).toBeCloseTo(0.5, 12);
    }), runs);
  });

  it('Allen–Cunneen with ca² = cs² = 1 is M/M/c exactly, and labels itself an approximation', () => {
    fc.assert(fc.property(stable, ({ mu, lambda, c }) => {
      const r = ggc(lambda, mu, c, 1, 1);
      const exact = mmc(lambda, mu, c).Wq!; // may underflow to 0 at light load on many servers
      expect(Math.abs(r.Wq! - exact)).toBeLessThanOrEqual(1e-9 * exact);
      expect(r.approximation).toMatch(/Allen–Cunneen/);
      expect(gg1(lambda / c, mu, 1, 1).approximation).toMatch(/Kingman/);
    }), runs);
  });

  it('M/M/c/K approaches M/M/c as K grows', () => {
    const open = mmc(8, 1, 10);
    const bounded = mmck(8, 1, 10, 500);
    expect(bounded.Pblock!).toBeLessThan(1e-40);
    for (const key of ['L', 'Lq', 'W', 'Wq'] as const) expect(bounded[key]! / open[key]!).toBeCloseTo(1, 9);
    let previousGap = Infinity;
    for (const K of [10, 12, 16, 24, 40, 80]) {
      const gap = Math.abs(mmck(8, 1, 10, K).Lq! - open.Lq!);
      expect(gap).toBeLessThan(previousGap);
      previousGap = gap;
    }
  });

  it('M/M/c/c blocks with the Erlang B probability, which obeys its recurrence', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.01, max: 300, noNaN: true }), (c, a) => {
      expect(mmck(a, 1, c, c).Pblock!).toBeCloseTo(erlangB(c, a), 10);
      const previous = erlangB(c - 1 || 1, a);
      if (c > 1) expect(erlangB(c, a)).toBeCloseTo((a * previous) / (c + a * previous), 12);
    }), runs);
    expect(erlangB(1, 3)).toBeCloseTo(3 / 4, 14); // B(1, a) = a/(1 + a)
  });

  it("priority classes with equal service conserve the total mean wait (Kleinrock's conservation law)", () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), (shares, rho, cs2) => {
      const mu = 2;
      const total = shares.reduce((a, b) => a + b, 0);
      const lambda = shares.map((s) => (s / total) * rho * mu);
      const r = priorityNonPreemptive({ lambda, mu: lambda.map(() => mu), cs2: lambda.map(() => cs2) });
      const fifo = mg1(rho * mu, mu, cs2);
      const weighted = r.classes!.reduce((sum, c) => sum + c.lambda * c.Wq!, 0) / (rho * mu);
      expect(weighted / fifo.Wq!).toBeCloseTo(1, 9);
    }), runs);
  });

  it('one priority class is plain M/G/1 for both disciplines', () => {
    const np = priorityNonPreemptive({ lambda: [0.7], mu: [1], cs2: [2] });
    const pr = priorityPreemptive({ lambda: [0.7], mu: [1], cs2: [2] });
    close(np.W, mg1(0.7, 1, 2).W!);
    close(pr.W, mg1(0.7, 1, 2).W!);
  });
});

describe('waiting-time distribution', () => {
  it('M/M/1 sojourn is exponential with rate μ − λ', () => {
    const r = mm1(0.8, 1);
    close(r.percentiles!.W.p50, Math.log(2) / 0.2, 8);
    close(r.percentiles!.W.p99, Math.log(100) / 0.2, 8);
    close(r.percentiles!.Wq.p99, Math.log(0.8 / 0.01) / 0.2, 8);
  });
  it('a quantile of W has exactly the stated tail probability', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 0.999, noNaN: true }), (pWait, theta, mu, q) => {
      expect(sojournTail(sojournQuantile(q, pWait, theta, mu), pWait, theta, mu)).toBeCloseTo(1 - q, 9);
    }), runs);
  });
  it('p50 of Wq is zero when fewer than half the arrivals wait', () => {
    expect(mmc(2, 3, 2).percentiles!.Wq.p50).toBe(0);
  });
});

describe('properties', () => {
  it('W grows with λ and is never below 1/μ', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.001, max: 0.99, noNaN: true }), fc.double({ min: 0.001, max: 0.009, noNaN: true }), (mu, c, rho, step) => {
      const low = mmc(rho * c * mu, mu, c);
      const high = mmc((rho + step) * c * mu, mu, c);
      expect(low.W!).toBeGreaterThanOrEqual(1 / mu);
      expect(high.W!).toBeGreaterThanOrEqual(low.W!);
      expect(mg1(rho * mu, mu, 2).W!).toBeLessThanOrEqual(mg1((rho + step) * mu, mu, 2).W!);
    }), runs);
  });

  it('results stay finite for c up to 1,000 at ρ up to 0.999', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (c, rho, mu) => {
      const r = mmc(rho * c * mu, mu, c);
      expect(allFinite(r)).toBe(true);
      expect(r.Pwait!).toBeGreaterThanOrEqual(0);
      expect(r.Pwait!).toBeLessThanOrEqual(1);
      expect(allFinite(ggc(rho * c * mu, mu, c, 2, 0.5))).toBe(true);
      expect(allFinite(mmck(rho * c * mu, mu, c, c + 50))).toBe(true);
    }), { ...runs, numRuns: 100 });
    expect(erlangC(1000, 999)).toBeGreaterThan(0.9);
  });

  it('an unstable system says stable: false with its ρ, never NaN or Infinity', () => {
    for (const r of [mm1(2, 1), mmc(5, 1, 4), md1(1, 1), mg1(3, 1, 2), gg1(2, 1, 1, 1), ggc(9, 1, 3, 1, 1), priorityNonPreemptive({ lambda: [0.5, 0.6], mu: [1, 1] })]) {
      expect(r.stable).toBe(false);
      expect(r.rho).toBeGreaterThanOrEqual(1);
      expect([r.L, r.Lq, r.W, r.Wq]).toEqual([null, null, null, null]);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    }
    expect(mmck(50, 1, 2, 10).stable).toBe(true); // a finite buffer is always stable
  });

  it('bad inputs throw an error naming the parameter', () => {
    expect(() => mm1(0, 1)).toThrow(/^lambda must be/);
    expect(() => mmc(1, 2, 0)).toThrow(/^c must be a whole number ≥ 1/);
    expect(() => mmck(1, 2, 3, 2)).toThrow(/^K must be a whole number ≥ c/);
    expect(() => mg1(1, 2, -1)).toThrow(TheoryInputError);
    expect(() => priorityNonPreemptive({ lambda: [1, 2], mu: [3] })).toThrow(/^mu needs one rate per class/);
  });
});

describe('networks and retries', () => {
  it('a tandem line of M/M/1 stations adds up station by station', () => {
    const r = tandem(1, [{ mu: 2, c: 1 }, { mu: 4, c: 1 }]);
    expect(r.lambda).toEqual([1, 1]);
    close(r.W, 1 / (2 - 1) + 1 / (4 - 1));
  });
  it('feedback with probability p inflates the arrival rate to λ/(1 − p), and Little gives the sojourn', () => {
    const p = 0.25;
    const net = jacksonNetwork([{ mu: 3, c: 1, externalLambda: 1 }], [[p]]);
    close(net.lambda[0], retryInflatedRate(1, p));
    close(meanAttempts(p), 4 / 3);
    // Each message needs a geometric number of exponential services: in all, exponential with
    // rate μ(1 − p), so the station is an M/M/1 with λ = 1, μ' = 2.25 from the message's view.
    close(net.W, 1 / (3 * (1 - p) - 1));
  });
  it('a routing loop nobody leaves is reported, not divided by zero', () => {
    expect(() => jacksonNetwork([{ mu: 1, c: 1, externalLambda: 1 }], [[1]])).toThrow(/singular/);
  });
});
