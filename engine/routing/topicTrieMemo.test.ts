import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopicTrie } from './topicTrie.ts';

// The trie remembers visited (node, position) pairs so '#'-heavy bindings stay linear: in a bitmask
// for keys up to 30 words, in a Set beyond. The routing tests elsewhere use short keys, so neither
// the Set path nor the memo's effect on time was checked (StrykerJS found mutants of both
// surviving). A key of 40 words against ten '#' in a row takes about C(50, 10) ≈ 10^10 walks
// without the memo, so a broken memo shows up as a timeout, not a slow pass.
const words = (key: string) => (key === '' ? [] : key.split('.'));
/** RabbitMQ's topic rule as a plain recursive matcher: '*' one word, '#' zero or more. */
function matches(binding: string, key: string): boolean {
  const b = words(binding);
  const k = words(key);
  const seen = new Map<number, boolean>();
  const m = (i: number, j: number): boolean => {
    const id = i * (k.length + 1) + j;
    if (seen.has(id)) return seen.get(id)!;
    let r: boolean;
    if (i === b.length) r = j === k.length;
    else if (b[i] === '#') r = m(i + 1, j) || (j < k.length && m(i, j + 1));
    else r = j < k.length && (b[i] === '*' || b[i] === k[j]) && m(i + 1, j + 1);
    seen.set(id, r);
    return r;
  };
  return m(0, 0);
}
const route = (trie: TopicTrie, key: string) => {
  const out = new Set<string>();
  trie.match(key, out);
  return [...out].sort();
};
const tenHashes = Array.from({ length: 10 }, () => '#').join('.');

describe('TopicTrie on long keys and many #', () => {
  it('agrees with the reference matcher for keys of 25–45 words (both memo kinds)', () => {
    const word = fc.constantFrom('a', 'b', 'c');
    const bindingWord = fc.constantFrom('a', 'b', '*', '#');
    const key = (w: fc.Arbitrary<string>, min: number, max: number) => fc.array(w, { minLength: min, maxLength: max, size: 'max' }).map((ws) => ws.join('.'));
    fc.assert(
      fc.property(fc.uniqueArray(key(bindingWord, 1, 8), { minLength: 1, maxLength: 8, size: 'max' }), fc.array(key(word, 25, 45), { minLength: 1, maxLength: 4 }), (bindings, keys) => {
        const trie = new TopicTrie();
        bindings.forEach((b, i) => trie.bind(b, `q${i}`));
        for (const k of keys) {
          const expected = bindings.flatMap((b, i) => (matches(b, k) ? [`q${i}`] : [])).sort();
          expect(route(trie, k)).toEqual(expected);
        }
      }),
      { seed: 40, numRuns: 150 },
    );
  });

  it('ten # in a row against a 40-word key that does not match stays fast, short and long', () => {
    const trie = new TopicTrie();
    trie.bind(`${tenHashes}.z`, 'deep');
    trie.bind('#', 'all');
    const long = Array.from({ length: 40 }, () => 'a').join('.');
    expect(route(trie, long)).toEqual(['all']);
    expect(route(trie, `${long}.z`)).toEqual(['all', 'deep']);
    const short = Array.from({ length: 29 }, () => 'a').join('.');
    expect(route(trie, short)).toEqual(['all']);
  });

  it('still remembers visits after other bindings were added and pruned away', () => {
    const trie = new TopicTrie();
    trie.bind(`${tenHashes}.z`, 'deep');
    // As many plain nodes as '#' nodes: a '#' counter that also counted these would reach 0 here.
    const plain = 'k.l.m.n.o.p.q.r.s.t';
    expect(trie.bind(plain, 'plain')).toBe(true);
    expect(trie.unbind(plain, 'plain')).toBe(true);
    expect(route(trie, Array.from({ length: 29 }, () => 'a').join('.'))).toEqual([]);
    // A second '#'-chain that is unbound must not make the trie forget the first one.
    trie.bind('#.#.y', 'other');
    trie.unbind('#.#.y', 'other');
    expect(route(trie, Array.from({ length: 29 }, () => 'b').join('.'))).toEqual([]);
    expect(route(trie, 'b.z')).toEqual(['deep']);
  });

  it('a chain of nothing but # still uses the memo', () => {
    const trie = new TopicTrie();
    trie.bind(tenHashes, 'hashes');
    expect(route(trie, Array.from({ length: 40 }, () => 'a').join('.'))).toEqual(['hashes']);
    expect(route(trie, '')).toEqual(['hashes']);
  });

  it('bind reports a repeat and unbind a missing binding', () => {
    const trie = new TopicTrie();
    expect(trie.bind('a.#', 'q')).toBe(true);
    expect(trie.bind('a.#', 'q')).toBe(false);
    expect(trie.bind('a.#', 'r')).toBe(true);
    expect(trie.unbind('a.#', 's')).toBe(false);
    expect(trie.unbind('a.b', 'q')).toBe(false);
    expect(trie.unbind('a.#', 'q')).toBe(true);
    expect(route(trie, 'a.x.y')).toEqual(['r']);
  });
});
