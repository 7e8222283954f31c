import { describe, expect, it } from 'vitest';
import { mmc } from './mmc.ts';
import { batchMoments, mxm1, mxmc } from './mxmc.ts';

/** P(X = k) for k = 0..: geometric on 1, 2, … with mean m, cut where the tail is below 1e-17. */
function geometric(mean: number): number[] {
  const q = 1 - 1 / mean;
  const pmf = [0];
  for (let k = 1; q ** (k - 1) > 1e-17; k++) pmf.push((1 - q) * q ** (k - 1));
  const sum = pmf.reduce((a, b) => a + b, 0);
  return pmf.map((p) => p / sum);
}
const fixed = (k: number) => Array.from({ length: k + 1 }, (_, i) => (i === k ? 1 : 0));

describe('M^X/M/1 closed form', () => {
  it('batches of 2 at 1/s on a 4/s server, worked by hand: Wq = 6/16 + 2/16 = 0.5 s', () => {
    const r = mxm1(1, 4, fixed(2));
    expect(r.rho).toBe(0.5);
    expect(r.Wq).toBeCloseTo(0.5, 12);
    expect(r.W).toBeCloseTo(0.75, 12);
    expect(r.Lq).toBeCloseTo(1, 12);
    expect(r.L).toBeCloseTo(1.5, 12);
    // A message starts at once only as the first of its batch on an idle server: (1 − ρ)/E[X].
    expect(r.Pwait).toBeCloseTo(0.75, 12);
  });

  it('batches of one are M/M/1', () => {
    const r = mxm1(3, 5, fixed(1));
    expect(r.Wq).toBeCloseTo(3 / (5 * 2), 12);
    expect(r.L).toBeCloseTo(0.6 / 0.4, 12);
  });

  it('geometric batches: L = ρ(1 + E[X²]/E[X])/(2(1 − ρ)) with E[X²] = m(2m − 1)', () => {
    const m = 3;
    const r = mxm1(2, 10, geometric(m));
    const rho = 0.6;
    expect(r.L).toBeCloseTo((rho * (1 + (2 * m - 1))) / (2 * (1 - rho)), 9);
  });

  it('is unstable at ρ ≥ 1 with null means', () => {
    expect(mxm1(2, 4, fixed(2))).toMatchObject({ stable: false, Wq: null, L: null, Pwait: null });
    expect(mxmc(2, 2, 2, fixed(2))).toMatchObject({ stable: false, Wq: null, L: null, method: 'unstable' });
  });
});

describe('M^X/M/c by the level recursion', () => {
  const pmfs: [string, number[]][] = [
    ['batches of 4', fixed(4)],
    ['geometric, mean 2.5', geometric(2.5)],
    ['1, 2 or 5 messages', [0, 0.5, 0.3, 0, 0, 0.2]],
  ];
  for (const [name, pmf] of pmfs) {
    it(`with one server equals the M^X/M/1 closed form to 1e-9 (${name})`, () => {
      const { mean } = batchMoments(pmf);
      for (const rho of [0.2, 0.7, 0.95]) {
        const batchRate = (rho * 8) / mean;
        const exact = mxm1(batchRate, 8, pmf);
        const chain = mxmc(batchRate, 8, 1, pmf);
        expect(chain.Wq! / exact.Wq! - 1).toBeCloseTo(0, 9);
        expect(chain.L! / exact.L! - 1).toBeCloseTo(0, 9);
        expect(chain.Pwait!).toBeCloseTo(exact.Pwait!, 9);
        expect(chain.truncationError).toBeLessThan(1e-12);
        expect(chain.truncationError).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('with batches of one equals Erlang C for M/M/c', () => {
    for (const c of [1, 2, 5, 20]) {
      const r = mxmc(0.8 * c * 3, 3, c, fixed(1));
      const m = mmc(0.8 * c * 3, 3, c);
      expect(r.Wq! / m.Wq! - 1).toBeCloseTo(0, 9);
      expect(r.Lq! / m.Lq! - 1).toBeCloseTo(0, 9);
      expect(r.L!).toBeCloseTo(m.L!, 9);
      expect(r.Pwait!).toBeCloseTo(m.Pwait!, 9);
    }
  });

  it('batching makes waits longer at the same message rate, and more servers shorter', () => {
    const single = mxmc(12, 5, 3, fixed(1)).Wq!;
    const fours = mxmc(3, 5, 3, fixed(4)).Wq!;
    expect(fours).toBeGreaterThan(single);
    expect(mxmc(3, 5, 4, fixed(4)).Wq!).toBeLessThan(fours);
    // c servers all busy: a batch of 4 arriving to an empty 3-server system still makes one message wait.
    expect(mxmc(0.001, 5, 3, fixed(4)).Pwait!).toBeCloseTo(0.25, 3);
  });

  it('names the pmf entry that is wrong', () => {
    expect(() => mxmc(1, 2, 2, [0, 0.5, 0.4])).toThrow(/pmf \(batch-size probabilities\) must sum to 1, got 0.9/);
    expect(() => mxmc(1, 2, 2, [0.1, 0.9])).toThrow(/pmf\[0\] must be ≥ 0 \(and 0 at k = 0/);
    expect(() => mxmc(1, 2, 0, [0, 1])).toThrow(/c must be a whole number/);
    expect(() => mxm1(0, 2, [0, 1])).toThrow(/batchRate must be a finite number > 0/);
  });
});

describe('batch-queue result fields', () => {
  it('name the model, inputs, stability, W = Wq + 1/μ, the levels used, and a bad rate', () => {
    const one = mxm1(1, 4, fixed(2));
    expect(one).toMatchObject({ model: 'mxm1', inputs: { batchRate: 1, mu: 4, c: 1, meanBatch: 2 }, stable: true, truncationError: 0 });
    const many = mxmc(3, 5, 3, fixed(4));
    expect(many).toMatchObject({ model: 'mxmc', inputs: { batchRate: 3, mu: 5, c: 3, meanBatch: 4 }, stable: true });
    expect(many.W).toBeCloseTo(many.Wq! + 0.2, 12);
    expect(many.method).toMatch(/^level-crossing recursion over levels 0\.\.\d+$/);
    const levels = Number(many.method.split('..')[1]);
    expect(levels).toBeGreaterThan(3 + 4);
    expect(() => mxm1(1, 0, fixed(2))).toThrow(/^mu must be/);
    expect(() => mxmc(0, 1, 2, fixed(2))).toThrow(/^batchRate must be/);
    expect(() => mxmc(1, 0, 2, fixed(2))).toThrow(/^mu must be/);
    expect(() => batchMoments([0, 0.5, -0.1, 0.6])).toThrow(/pmf\[2\] must be ≥ 0/);
    expect(batchMoments([0, 0.5, 0.5 + 5e-10])).toMatchObject({ mean: expect.closeTo(1.5, 6) });
  });

  it('P(wait) at c = 2 with batches of 3 matches the levels worked by hand at light load', () => {
    // λ_b → 0: a batch almost always finds the system empty; of its 3 messages one waits: P → 1/3.
    expect(mxmc(1e-6, 1, 2, fixed(3)).Pwait!).toBeCloseTo(1 / 3, 5);
    // A batch of 3 finding one busy server: 2 of 3 wait. Level 1 has weight λ_b·1/μ for small λ_b:
    // P(wait) ≈ 1/3 + λ_b/μ·(2/3 − 1/3)·… — checked against the recursion's own level weights.
    const r = mxmc(0.01, 1, 2, fixed(3));
    expect(r.Pwait!).toBeGreaterThan(1 / 3);
    expect(r.Pwait!).toBeLessThan(1 / 3 + 0.05);
  });
});
