import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexSet } from './indexSet.ts';

/** The reference: a plain scan, as the dispatcher did before. */
function scanFrom(members: Set<number>, from: number, limit: number): number {
  for (let k = 0; k < limit; k++) {
    const index = (from + k) % limit;
    if (members.has(index)) return index;
  }
  return -1;
}

describe('IndexSet', () => {
  it('finds the first member at or after a position, wrapping round, as a scan of every position does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.tuple(fc.nat(199), fc.boolean()), { maxLength: 300 }), fc.array(fc.nat(199), { maxLength: 20 }), (limit, changes, starts) => {
        const set = new IndexSet();
        const model = new Set<number>();
        for (const [raw, member] of changes) {
          const index = raw % limit;
          set.set(index, member);
          if (member) model.add(index);
          else model.delete(index);
          expect(set.size).toBe(model.size);
          expect(set.has(index)).toBe(member);
        }
        for (const start of starts) expect(set.nextFrom(start % limit, limit)).toBe(scanFrom(model, start % limit, limit));
      }),
    );
  });

  it('is empty after clear and answers −1', () => {
    const set = new IndexSet();
    set.set(70, true);
    set.set(3, true);
    expect(set.nextFrom(71, 100)).toBe(3);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.nextFrom(0, 100)).toBe(-1);
  });
});
