import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueBuffer } from './valueBuffer.ts';

describe('ValueBuffer', () => {
  it('keeps every value pushed or appended, in any interleaving with reads: ranks and counts equal those of a plain sorted array', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 200 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (xs, cut, q) => {
        const [a, b] = [new ValueBuffer(1), new ValueBuffer(4)];
        const k = cut % (xs.length + 1);
        xs.slice(0, k).forEach((x, i) => {
          a.push(x);
          if (i % 7 === 0) a.nearestRank(0.5); // a read between pushes must not lose or reorder later ones
        });
        for (const x of xs.slice(k)) b.push(x);
        a.append(b);
        const plain = [...xs].sort((x, y) => x - y);
        expect(a.length).toBe(xs.length);
        expect(Array.from(a.sorted())).toEqual(plain);
        expect(a.nearestRank(q)).toBe(xs.length === 0 ? NaN : plain[Math.max(1, Math.ceil(q * xs.length)) - 1]);
        const t = xs[0] ?? 0;
        expect(a.countAbove(t)).toBe(plain.filter((x) => x > t).length);
        expect(b.length).toBe(xs.length - k);
      }),
    );
  });
});
