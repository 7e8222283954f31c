import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from './deque.ts';

// The reference is a plain Array with the same operations (unshift, push, shift, splice, filter,
// out-of-range index → undefined), checked after every step, from several initial capacities.

type Op =
  | { kind: 'front' | 'back' | 'pop' | 'peek' | 'clear' }
  | { kind: 'insert'; at: number }
  | { kind: 'at'; at: number }
  | { kind: 'retain'; modulus: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom<Op>({ kind: 'front' }, { kind: 'back' }, { kind: 'back' }, { kind: 'pop' }, { kind: 'peek' }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.integer({ min: -2, max: 300 }) }),
  fc.record({ kind: fc.constant('at' as const), at: fc.integer({ min: -2, max: 300 }) }),
  fc.record({ kind: fc.constant('retain' as const), modulus: fc.integer({ min: 1, max: 4 }) }),
  fc.constant<Op>({ kind: 'clear' }),
);

function apply(deque: Deque<number>, model: number[], o: Op, value: number): void {
  switch (o.kind) {
    case 'front': deque.pushFront(value); model.unshift(value); break;
    case 'back': deque.pushBack(value); model.push(value); break;
    case 'pop': expect(deque.popFront()).toBe(model.shift()); break;
    case 'peek': expect(deque.peekFront()).toBe(model[0]); break;
    case 'clear': deque.clear(); model.length = 0; break;
    case 'insert': {
      const at = Math.min(o.at, model.length); // insertAt clamps below 0 to the front, above length to the back
      deque.insertAt(o.at, value);
      model.splice(Math.max(at, 0), 0, value);
      break;
    }
    case 'at': expect(deque.at(o.at)).toBe(o.at < 0 ? undefined : model[o.at]); break;
    case 'retain': {
      deque.retain((x) => x % o.modulus !== 0);
      const kept = model.filter((x) => x % o.modulus !== 0);
      model.length = 0;
      model.push(...kept);
      break;
    }
  }
}

describe('Deque against an Array model', () => {
  it('every operation, across wrap-around, growth, retain and clear, from any initial capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.array(op, { minLength: 1, maxLength: 300, size: 'max' }), (capacity, ops) => {
        const deque = new Deque<number>(capacity);
        const model: number[] = [];
        ops.forEach((o, value) => {
          apply(deque, model, o, value + 1);
          expect(deque.length).toBe(model.length);
        });
        expect(Array.from({ length: deque.length + 1 }, (_, i) => deque.at(i))).toEqual([...model, undefined]);
        expect(deque.at(-1)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('popFront and peekFront on an empty deque give undefined and leave it empty', () => {
    const deque = new Deque<string>();
    expect([deque.popFront(), deque.peekFront(), deque.length]).toEqual([undefined, undefined, 0]);
    deque.pushBack('a');
    expect(deque.popFront()).toBe('a');
    expect([deque.popFront(), deque.length]).toEqual([undefined, 0]);
  });

  it('pushFront and insertAt(0) grow a full deque without losing the wrapped part', () => {
    for (const capacity of [1, 16, 17, 32]) {
      const deque = new Deque<number>(capacity);
      const model: number[] = [];
      for (let i = 0; i < 100; i++) {
        if (i % 3 === 0) (deque.pushFront(i), model.unshift(i));
        else if (i % 3 === 1) (deque.insertAt(1, i), model.splice(Math.min(1, model.length), 0, i));
        else (deque.pushBack(i), model.push(i));
        if (i % 7 === 6) expect(deque.popFront()).toBe(model.shift());
      }
      expect(Array.from({ length: deque.length }, (_, i) => deque.at(i))).toEqual(model);
    }
  });
});
