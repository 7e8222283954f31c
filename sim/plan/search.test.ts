import { describe, expect, it } from 'vitest';
import { searchFewest } from './search.ts';

/** A monotone feasibility with its answer at `answer`, recording the rounds the search asks for. */
function oracle(answer: number) {
  const rounds: number[][] = [];
  return { rounds, meets: async (values: number[]) => (rounds.push(values), values.map((v) => v >= answer)) };
}

describe('searchFewest', () => {
  it('finds the fewest for every start and answer, and asks for the start and the value below first', async () => {
    for (let answer = 3; answer <= 20; answer++) {
      for (let start = 3; start <= 24; start++) {
        const o = oracle(answer);
        expect(await searchFewest({ from: 3, start, max: 40, meets: o.meets })).toBe(answer);
        expect(o.rounds[0]).toEqual(start > 3 ? [start - 1, start] : [start]);
      }
    }
  });

  it('costs one round when theory is right, and few when it is off by one either way', async () => {
    const right = oracle(10);
    await searchFewest({ from: 5, start: 10, max: 20, meets: right.meets });
    expect(right.rounds).toEqual([[9, 10]]);
    const low = oracle(11);
    await searchFewest({ from: 5, start: 10, max: 20, meets: low.meets });
    expect(low.rounds).toEqual([[9, 10], [11]]);
    const high = oracle(9);
    await searchFewest({ from: 5, start: 10, max: 20, meets: high.meets });
    expect(high.rounds).toEqual([[9, 10], [8]]);
  });

  it('answers null when nothing up to max meets, and never asks below from or above max', async () => {
    const o = oracle(100);
    expect(await searchFewest({ from: 4, start: 6, max: 12, meets: o.meets })).toBeNull();
    expect(o.rounds.flat().every((v) => v >= 4 && v <= 12)).toBe(true);
    expect(await searchFewest({ from: 5, start: 5, max: 4, meets: o.meets })).toBeNull();
  });
});
