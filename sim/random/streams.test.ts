import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomStreams } from './streams.ts';
import { Xoshiro128 } from './xoshiro128.ts';

const draw = (r: { next(): number }, n: number) => Array.from({ length: n }, () => r.next());

describe('random streams', () => {
  it('replay the same sequence for the same seed and path', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.string(), (seed, path) => {
        expect(draw(randomStreams(seed).stream(path), 20)).toEqual(draw(randomStreams(seed).stream(path), 20));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('do not depend on which other streams exist or how much they were used', () => {
    const alone = draw(randomStreams(42).stream('producer/1'), 50);
    const root = randomStreams(42);
    const other = root.stream('producer/0');
    draw(other, 1000);
    const extra = root.stream('producer/2');
    const interleaved: number[] = [];
    const mine = root.stream('producer').stream('1'); // a nested name reaches the same path
    for (let i = 0; i < 50; i++) {
      other.next();
      extra.next();
      interleaved.push(mine.next());
    }
    expect(interleaved).toEqual(alone);
  });

  it('give different sequences for different paths and for different seeds', () => {
    const root = randomStreams(1);
    const a = draw(root.stream('a'), 10);
    expect(draw(root.stream('b'), 10)).not.toEqual(a);
    expect(draw(randomStreams(2).stream('a'), 10)).not.toEqual(a);
    // Seeds past 2^32 must still matter (the high half feeds the key).
    expect(draw(randomStreams(2 ** 32 + 1).stream('a'), 10)).not.toEqual(a);
  });

  it('rejects seeds that are not non-negative safe integers', () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 60]) expect(() => randomStreams(bad)).toThrow(/seed/);
  });

  it('produce uniform draws in [0, 1): a chi-square test over 100 cells', () => {
    // 100 cells, 1e6 draws: the statistic is chi-square with 99 df. Its 0.9999 quantile is about
    // 157, so a sound generator fails this fixed-seed check with probability 1e-4 at most.
    const r = randomStreams(2026).stream('uniformity');
    const cells = new Float64Array(100);
    const n = 1_000_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      cells[Math.floor(u * 100)]!++;
    }
    expect(outside).toBe(0);
    const expected = n / 100;
    let chi2 = 0;
    for (const c of cells) chi2 += ((c - expected) * (c - expected)) / expected;
    expect(chi2).toBeLessThan(157);
  });

  it('have negligible serial correlation between successive draws', () => {
    // For independent U(0,1) the lag-1 sample correlation has sd 1/√n = 0.001 at n = 1e6; 5 sd bounds it.
    const r = randomStreams(9).stream('serial');
    const n = 1_000_000;
    let prev = r.next();
    let sxy = 0;
    let sx = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      sxy += (prev - 0.5) * (u - 0.5);
      sx += u - 0.5;
      sxx += (u - 0.5) * (u - 0.5);
      prev = u;
    }
    const correlation = (sxy / n - (sx / n) ** 2) / (sxx / n);
    expect(Math.abs(correlation)).toBeLessThan(0.005);
  });

  it('xoshiro128** refuses the all-zero state, which would output zeros forever', () => {
    expect(() => new Xoshiro128([0, 0, 0, 0])).toThrow(/zero/);
  });

  it('xoshiro128** matches the reference algorithm stepped by hand from state (1, 2, 3, 4)', () => {
    // Reference: s = [1,2,3,4]; result = rotl(s1*5, 7)*9 = rotl(10, 7)*9 = 1280*9 = 11520.
    // Then t = s1<<9 = 1024; s2 ^= s0 → 2; s3 ^= s1 → 6; s1 ^= s2 → 0; s0 ^= s3 → 7; s2 ^= t → 1026; s3 = rotl(6, 11) = 12288.
    // Second result = rotl(0*5, 7)*9 = 0.
    const g = new Xoshiro128([1, 2, 3, 4]);
    expect(g.nextUint32()).toBe(11520);
    expect(g.nextUint32()).toBe(0);
    // Second step updates s = [7, 0, 1026, 12288] with t = 0 to s = [12295, 1029, 1029, 25165824];
    // third result = rotl(1029*5, 7)*9 = 658560*9 = 5927040.
    expect(g.nextUint32()).toBe(5927040);
  });
});
