import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  gg1,
  ggc,
  jacksonNetwork,
  littleGap,
  littleL,
  littleLambda,
  littleW,
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
  waitQuantile,
  waitTail,
} from './index.ts';

// Edges and error messages of sim/theory that the identity and textbook tests in theory.test.ts do
// not pin down (found by StrykerJS: each block kills mutants that survived them). Expected values
// are worked by hand from the formulas named; none is computed with the code under test.
const close = (a: number | null | undefined, b: number, digits = 12) => expect(a).toBeCloseTo(b, digits);

describe('input checks name the field and the bad value', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['λ zero', () => mm1(0, 1), /^lambda must be a finite number > 0, got 0$/],
    ['λ infinite', () => mmc(Infinity, 1, 2), /^lambda must be a finite number > 0, got Infinity$/],
    ['μ NaN', () => md1(1, NaN), /^mu must be a finite number > 0, got NaN$/],
    ['c fractional', () => mmc(1, 2, 1.5), /^c must be a whole number ≥ 1, got 1.5$/],
    ['c zero', () => erlangB(0, 1), /^c must be a whole number ≥ 1, got 0$/],
    ['negative load', () => erlangB(2, -1), /^offered load must be a finite number ≥ 0, got -1$/],
    ['negative cs²', () => mg1(0.5, 1, -1), /^cs2 must be a finite number ≥ 0, got -1$/],
    ['negative ca²', () => gg1(0.5, 1, -0.5, 1), /^ca2 must be/],
    ['K below c', () => mmck(1, 1, 3, 2), /^K must be a whole number ≥ c \(3\), got 2$/],
    ['K fractional', () => mmck(1, 1, 3, 3.5), /^K must be a whole number ≥ c/],
    ['K too large', () => mmck(1, 1, 3, 50_000_001), /^K must be at most 50,000,000, got 50000001$/],
    ['no classes', () => priorityNonPreemptive({ lambda: [], mu: [] }), /^lambda needs at least one class$/],
    ['μ per class', () => priorityPreemptive({ lambda: [1, 2], mu: [3] }), /^mu needs one rate per class \(2\), got 1$/],
    ['cs² per class', () => priorityNonPreemptive({ lambda: [0.1], mu: [1], cs2: [1, 2] }), /^cs2 needs one value per class \(1\), got 2$/],
    ['class λ', () => priorityNonPreemptive({ lambda: [0.1, 0], mu: [1, 1] }), /^lambda\[1\] must be a finite number > 0, got 0$/],
    ['class μ', () => priorityNonPreemptive({ lambda: [0.1, 0.1], mu: [1, -2] }), /^mu\[1\] must be/],
    ['class cs²', () => priorityPreemptive({ lambda: [0.1], mu: [1], cs2: [-1] }), /^cs2\[0\] must be a finite number ≥ 0/],
    ['p = 1', () => retryInflatedRate(1, 1), /^failureProbability must be in \[0, 1\), got 1$/],
    ['p < 0', () => retryInflatedRate(1, -0.1), /^failureProbability must be in \[0, 1\), got -0.1$/],
    ['p NaN', () => retryInflatedRate(1, NaN), /^failureProbability must be in \[0, 1\)/],
    ['retry λ', () => retryInflatedRate(0, 0.5), /^lambda must be/],
    ['no stations', () => jacksonNetwork([], []), /^stations needs at least one station$/],
    ['rows', () => jacksonNetwork([{ mu: 1, c: 1, externalLambda: 1 }], []), /^routing needs 1 rows, got 0$/],
    ['row length', () => jacksonNetwork([{ mu: 1, c: 1, externalLambda: 1 }], [[0, 0]]), /^routing\[0\] needs 1 entries, got 2$/],
    ['negative p', () => jacksonNetwork([{ mu: 1, c: 1, externalLambda: 1 }], [[-0.1]]), /^routing\[0\]\[0\] must be/],
    ['row over 1', () => jacksonNetwork([{ mu: 9, c: 1, externalLambda: 1 }, { mu: 9, c: 1, externalLambda: 0 }], [[0.6, 0.5], [0, 0]]), /^routing\[0\] must sum to at most 1, got 1.1/],
    ['external λ', () => jacksonNetwork([{ mu: 1, c: 1, externalLambda: -1 }], [[0]]), /^stations\[0\]\.externalLambda must be/],
  ])('%s', (_what, call, message) => {
    expect(call).toThrow(TheoryInputError);
    expect(call).toThrow(message);
  });

  it('a TheoryInputError carries its field', () => {
    try {
      mmc(1, 1, 0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      expect((error as TheoryInputError).field).toBe('c');
      expect((error as TheoryInputError).name).toBe('TheoryInputError');
    }
  });

  it('a row summing to 1 within rounding is accepted', () => {
    expect(() => jacksonNetwork([{ mu: 9, c: 1, externalLambda: 1 }, { mu: 9, c: 1, externalLambda: 0 }], [[0.1, 0.2 + 0.7], [0, 0]])).not.toThrow();
  });
});

describe("Little's law helpers", () => {
  it('solve L = λW for each quantity', () => {
    expect(littleL(2, 3)).toBe(6);
    expect(littleW(6, 2)).toBe(3);
    expect(littleLambda(6, 3)).toBe(2);
  });
  it('the gap is relative to λW, and absolute when λW is zero', () => {
    close(littleGap(11, 2, 5), 0.1);
    close(littleGap(9, 2, 5), 0.1);
    expect(littleGap(0.5, 0, 7)).toBe(0.5);
    expect(littleGap(-0.5, 2, 0)).toBe(0.5);
    expect(littleGap(0, 0, 0)).toBe(0);
  });
});

describe('retries', () => {
  it('inflate the rate to λ/(1 − p) and the attempts to 1/(1 − p); p = 0 changes nothing', () => {
    expect(retryInflatedRate(3, 0)).toBe(3);
    close(retryInflatedRate(3, 0.25), 4);
    expect(meanAttempts(0)).toBe(1);
    close(meanAttempts(0.5), 2);
  });
});

describe('waiting-time distribution edges', () => {
  it('tails are 1 before time 0 and Pwait·e^(−θt) / the hypoexponential mixture after', () => {
    expect(waitTail(-1, 0.3, 2)).toBe(1);
    close(waitTail(0, 0.3, 2), 0.3);
    close(waitTail(1.5, 0.3, 2), 0.3 * Math.exp(-3));
    expect(sojournTail(-0.1, 0.3, 2, 1)).toBe(1);
    close(sojournTail(0, 0.3, 2, 1), 1);
    // θ = 2, μ = 1 at t = 1: 0.7·e^−1 + 0.3·(2e^−1 − e^−2)/(2 − 1).
    close(sojournTail(1, 0.3, 2, 1), 0.7 * Math.exp(-1) + 0.3 * (2 * Math.exp(-1) - Math.exp(-2)));
    // θ = μ: Exp(μ) + Exp(μ) is Erlang-2, tail (1 + μt)e^(−μt).
    close(sojournTail(2, 1, 1.5, 1.5), (1 + 3) * Math.exp(-3));
    close(sojournTail(2, 1, 1.5 * (1 + 1e-13), 1.5), 4 * Math.exp(-3), 9);
  });

  it('the Wq quantile is 0 exactly while the chance of not waiting covers it', () => {
    expect(waitQuantile(0.5, 0.5, 1)).toBe(0);
    expect(waitQuantile(0.4, 0.5, 1)).toBe(0);
    close(waitQuantile(0.75, 0.5, 2), Math.log(2) / 2);
  });

  it('the W quantile solves the tail even when the answer is far beyond 1/min(θ, μ)', () => {
    const t = sojournQuantile(0.999999, 1, 0.5, 4);
    close(sojournTail(t, 1, 0.5, 4), 1e-6, 15);
    expect(t).toBeGreaterThan(8 * (1 / 0.5));
  });
});

describe('model results beyond the identities', () => {
  it('M/M/c reports its inputs, Erlang C as Pwait, throughput λ and the M/M/c wait percentiles', () => {
    const r = mmc(2, 3, 2);
    expect(r).toMatchObject({ model: 'mmc', inputs: { lambda: 2, mu: 3, c: 2 }, stable: true, throughput: 2 });
    close(r.rho, 1 / 3);
    close(r.Pwait, 1 / 6); // County Hospital, two doctors: Lq = Pwait·ρ/(1 − ρ) = 1/12
    close(r.percentiles!.Wq.p90, Math.log((1 / 6) / 0.1) / 4);
    expect(r.percentiles!.Wq.p50).toBe(0);
  });

  it('M/M/1, M/D/1, M/G/1 and G/G/1 report P0 = 1 − ρ and throughput λ where they give them', () => {
    expect(mm1(1, 4)).toMatchObject({ model: 'mm1', inputs: { lambda: 1, mu: 4 }, P0: 0.75, Pwait: 0.25, throughput: 1 });
    expect(md1(1, 4)).toMatchObject({ model: 'md1', P0: 0.75, throughput: 1 });
    expect(mg1(1, 4, 3)).toMatchObject({ model: 'mg1', inputs: { lambda: 1, mu: 4, cs2: 3 }, P0: 0.75, throughput: 1 });
    close(mg1(1, 4, 3).Wq, (0.25 * (1 + 3)) / (2 * 4 * 0.75)); // P–K: ρ(1 + cs²)/(2μ(1 − ρ))
    expect(gg1(1, 4, 2, 3)).toMatchObject({ model: 'gg1', inputs: { lambda: 1, mu: 4, ca2: 2, cs2: 3 }, throughput: 1 });
    close(gg1(1, 4, 2, 3).Wq, (0.25 / 0.75) * (5 / 2) * 0.25); // Kingman
  });

  it('G/G/c scales the Erlang C wait by (ca² + cs²)/2 and keeps M/M/c’s Pwait', () => {
    const r = ggc(2, 3, 2, 0.5, 0.1);
    close(r.Wq, (1 / 24) * 0.3); // County Hospital Wq = 1/24 h
    close(r.Pwait, 1 / 6);
    expect(r).toMatchObject({ model: 'ggc', inputs: { lambda: 2, mu: 3, c: 2, ca2: 0.5, cs2: 0.1 }, throughput: 2 });
    expect(ggc(7, 3, 2, 1, 1)).toMatchObject({ stable: false, W: null });
  });

  it('at exactly ρ = 1 a system is unstable', () => {
    for (const r of [mm1(3, 3), mmc(6, 3, 2), md1(3, 3), mg1(3, 3, 0.5), gg1(3, 3, 1, 1), priorityPreemptive({ lambda: [1, 2], mu: [3, 3] })]) {
      expect(r.stable).toBe(false);
      expect(r.rho).toBe(1);
      expect(r.Wq).toBeNull();
    }
    expect(erlangC(2, 2)).toBe(1);
    expect(erlangC(2, 3)).toBe(1);
  });

  it('M/M/c/K: P0 and throughput from the birth–death weights, Lq counting only those beyond c', () => {
    // λ = 2, μ = 1, c = 2, K = 3: weights 1, 2, 2, 2 → P0 = 1/7, Pblock = 2/7, L = 12/7, Lq = 2/7.
    const r = mmck(2, 1, 2, 3);
    close(r.P0, 1 / 7);
    close(r.Pblock, 2 / 7);
    close(r.L, 12 / 7);
    close(r.Lq, 2 / 7);
    close(r.throughput, 10 / 7);
    close(r.W, 12 / 10);
    close(r.Wq, 2 / 10);
    expect(r.rho).toBe(1);
    expect(r.inputs).toEqual({ lambda: 2, mu: 1, c: 2, K: 3 });
  });

  it('Erlang B and C at small loads match their sums: B(2, 1) = 1/5, C(2, 1) = 1/3', () => {
    close(erlangB(2, 1), 1 / 5);
    close(erlangC(2, 1), 1 / 3);
    expect(erlangB(3, 0)).toBe(0);
  });

  it('priority classes: per-class λ, L = λW, and the aggregate is the λ-weighted mean', () => {
    const r = priorityNonPreemptive({ lambda: [0.2, 0.3], mu: [1, 2], cs2: [1, 0] });
    // R = 0.2·2/2 + 0.3·1/(2·4) = 0.2375; σ = 0.2, 0.35.
    const wq = [0.2375 / 0.8, 0.2375 / (0.8 * 0.65)];
    close(r.classes![0]!.Wq, wq[0]!);
    close(r.classes![1]!.Wq, wq[1]!);
    close(r.classes![1]!.W, wq[1]! + 0.5);
    close(r.classes![1]!.L, 0.3 * (wq[1]! + 0.5));
    close(r.classes![0]!.Lq, 0.2 * wq[0]!);
    expect(r.classes!.map((k) => k.lambda)).toEqual([0.2, 0.3]);
    close(r.Wq, (0.2 * wq[0]! + 0.3 * wq[1]!) / 0.5);
    close(r.rho, 0.35);
    const p = priorityPreemptive({ lambda: [0.2, 0.3], mu: [1, 2], cs2: [1, 0] });
    // Preemptive resume: W_k = E[S_k]/(1 − σ_{k−1}) + R_k/((1 − σ_{k−1})(1 − σ_k)).
    close(p.classes![0]!.W, 1 + 0.2 / 0.8);
    close(p.classes![1]!.W, 0.5 / 0.8 + 0.2375 / (0.8 * 0.65));
    close(p.classes![1]!.Wq, 0.5 / 0.8 + 0.2375 / (0.8 * 0.65) - 0.5);
  });
});

describe('Jackson networks', () => {
  it('solves the traffic equations with feedback between stations', () => {
    // γ = (1, 0, 0); 0 → 1 and 0 → 2 with 1/2 each, 1 → 0 with 1/5: λ0 = 10/9, λ1 = λ2 = 5/9.
    const net = jacksonNetwork(
      [
        { mu: 2, c: 1, externalLambda: 1 },
        { mu: 1, c: 1, externalLambda: 0 },
        { mu: 1, c: 2, externalLambda: 0 },
      ],
      [
        [0, 0.5, 0.5],
        [0.2, 0, 0],
        [0, 0, 0],
      ],
    );
    close(net.lambda[0], 10 / 9);
    close(net.lambda[1], 5 / 9);
    close(net.lambda[2], 5 / 9);
    expect(net.stable).toBe(true);
    // L = Σ stations: M/M/1 (10/9 over 2) + M/M/1 (5/9 over 1) + M/M/2 (5/9 over 1).
    // M/M/2 at a = 5/9, ρ = a/2: P0 = 1/(1 + a + a²/(2(1 − ρ))), Lq = P0·a²·ρ/(2(1 − ρ)²), L = Lq + a.
    const a = 5 / 9;
    const rho = a / 2;
    const p0 = 1 / (1 + a + a ** 2 / (2 * (1 - rho)));
    const mm2L = (p0 * a ** 2 * rho) / (2 * (1 - rho) ** 2) + a;
    const L = (5 / 9) / (1 - 5 / 9) + a / (1 - a) + mm2L;
    close(net.L, L, 10);
    close(net.W, L, 10); // external rate 1
  });

  it('needs pivoting when a station feeds another completely', () => {
    // 0 → 1 always, 1 → 0 with 0.9: λ0 = 1 + 0.9·λ1, λ1 = λ0 → λ0 = λ1 = 10.
    const net = jacksonNetwork([{ mu: 20, c: 1, externalLambda: 1 }, { mu: 20, c: 1, externalLambda: 0 }], [[0, 1], [0.9, 0]]);
    close(net.lambda[0], 10, 9);
    close(net.lambda[1], 10, 9);
  });

  it('an overloaded station makes the network unstable, with no L or W', () => {
    const over = tandem(3, [{ mu: 4, c: 1 }, { mu: 2, c: 1 }]);
    expect(over.stable).toBe(false);
    expect(over.stations.map((r) => r.stable)).toEqual([true, false]);
    expect([over.L, over.W]).toEqual([null, null]);
  });
});

describe('second StrykerJS round: fields, labels and echoed inputs', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['M/M/c/K λ', () => mmck(0, 1, 1, 1), /^lambda must be/],
    ['M/M/c/K μ', () => mmck(1, 0, 1, 1), /^mu must be/],
    ['M/M/c/K c', () => mmck(1, 1, 0, 1), /^c must be/],
    ['M/M/c μ', () => mmc(1, 0, 1), /^mu must be/],
    ['M/G/1 λ', () => mg1(0, 1, 1), /^lambda must be/],
    ['G/G/c ca²', () => ggc(1, 1, 2, -1, 1), /^ca2 must be/],
    ['G/G/c cs²', () => ggc(1, 1, 2, 1, -1), /^cs2 must be/],
    ['G/G/1 cs²', () => gg1(0.5, 1, 1, -1), /^cs2 must be/],
  ])('%s', (_what, call, message) => {
    expect(call).toThrow(message);
  });

  it('a singular routing names the routing field', () => {
    try {
      jacksonNetwork([{ mu: 1, c: 1, externalLambda: 1 }], [[1]]);
      expect.unreachable();
    } catch (error) {
      expect((error as TheoryInputError).field).toBe('routing');
    }
  });

  it('M/M/c/K uses the offered load λ/μ (μ ≠ 1)', () => {
    // λ = 4, μ = 2 is a = 2 as in the M/M/2/3 case above; times halve with μ doubled.
    const r = mmck(4, 2, 2, 3);
    close(r.P0, 1 / 7);
    close(r.Pblock, 2 / 7);
    close(r.W, 12 / 20);
  });

  it('each model echoes exactly its own inputs and says stable when it is', () => {
    expect(mm1(1, 4).inputs).toEqual({ lambda: 1, mu: 4 });
    expect(md1(1, 4).inputs).toEqual({ lambda: 1, mu: 4 });
    expect(mg1(1, 4, 0.5).stable).toBe(true);
    expect(ggc(1, 4, 2, 1, 1).stable).toBe(true);
    expect(gg1(1, 4, 1, 1).stable).toBe(true);
    expect(gg1(1, 4, 1, 1).Pwait).toBeUndefined(); // Pwait is M/M/c's, reported for G/G/c only
    const np = priorityNonPreemptive({ lambda: [0.1, 0.2], mu: [1, 1] });
    expect(np).toMatchObject({ model: 'priority-np', stable: true, inputs: { lambda: [0.1, 0.2], mu: [1, 1], cs2: [1, 1] } });
    close(np.P0, 0.7);
    expect(priorityPreemptive({ lambda: [0.1], mu: [1] }).model).toBe('priority-pr');
  });

  it('unstable results keep what is still known: the approximation label, Pwait = 1, each class λ', () => {
    expect(gg1(2, 1, 1, 1).approximation).toMatch(/Kingman/);
    expect(ggc(9, 1, 3, 1, 1).approximation).toMatch(/Allen–Cunneen/);
    expect(mmc(5, 1, 4).Pwait).toBe(1);
    expect(priorityNonPreemptive({ lambda: [0.5, 0.6], mu: [1, 1] }).classes).toEqual([
      { lambda: 0.5, W: null, Wq: null, L: null, Lq: null },
      { lambda: 0.6, W: null, Wq: null, L: null, Lq: null },
    ]);
  });

  it('a network W is L over the external rate (not 1 here)', () => {
    const r = tandem(2, [{ mu: 4, c: 1 }, { mu: 3, c: 1 }]);
    close(r.L, 2 / 2 + 2 / 1);
    close(r.W, 3 / 2);
  });

  it('a three-station line needs the partial pivot to pick the nonzero entry', () => {
    const r = tandem(1, [{ mu: 2, c: 1 }, { mu: 3, c: 1 }, { mu: 5, c: 1 }]);
    expect(r.lambda).toEqual([1, 1, 1]);
    close(r.W, 1 / 1 + 1 / 2 + 1 / 4);
  });

  it('θ within 10⁻¹² of μ takes the Erlang-2 tail, even for a large μ', () => {
    const mu = 1000;
    // θ − μ = 10⁻¹⁰: the general formula loses about six digits to cancellation here.
    close(sojournTail(0.002, 1, mu * (1 + 1e-13), mu), 3 * Math.exp(-2), 12);
  });
});
