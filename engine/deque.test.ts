import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from './deque.ts';

describe('Deque', () => {
  it('insertAt matches Array.splice at any index, across wrap-around and growth', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('front' as const) }),
      fc.record({ kind: fc.constant('back' as const) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 200, size: 'max' }), (ops) => {
        const deque = new Deque<number>();
        const model: number[] = [];
        ops.forEach((o, value) => {
          if (o.kind === 'front') (deque.pushFront(value), model.unshift(value));
          else if (o.kind === 'back') (deque.pushBack(value), model.push(value));
          else if (o.kind === 'pop') expect(deque.popFront()).toBe(model.shift());
          else {
            const at = o.at % (model.length + 1);
            deque.insertAt(at, value);
            model.splice(at, 0, value);
          }
          expect(deque.length).toBe(model.length);
        });
        expect(Array.from({ length: deque.length }, (_, i) => deque.at(i))).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });
});
