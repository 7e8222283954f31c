import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headersMatch } from './headersMatch.ts';
import { splitWords, TopicTrie } from './topicTrie.ts';

/** The reference: a direct transcription of the rules, recursive on words, no trie. */
function referenceMatch(bindingKey: string, routingKey: string): boolean {
  const pattern = splitWords(bindingKey);
  const words = splitWords(routingKey);
  const go = (p: number, w: number): boolean => {
    if (p === pattern.length) return w === words.length;
    const token = pattern[p]!;
    if (token === '#') {
      for (let skip = w; skip <= words.length; skip++) if (go(p + 1, skip)) return true;
      return false;
    }
    if (w === words.length) return false;
    return (token === '*' || token === words[w]) && go(p + 1, w + 1);
  };
  return go(0, 0);
}

function trieMatches(bindingKey: string, routingKey: string): boolean {
  const trie = new TopicTrie();
  trie.bind(bindingKey, 'q');
  const out = new Set<string>();
  trie.match(routingKey, out);
  return out.has('q');
}

describe('topic matching', () => {
  // Cases from RabbitMQ's topic exchange tests and documentation (rabbit_exchange_type_topic).
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.*.c', 'a.b.c', true],
    ['a.*', 'a.b.c', false],
    ['a.*', 'a', false],
    ['*.b.c', 'a.b.c', true],
    ['#', 'a.b.c', true],
    ['#', '', true],
    ['#.#', '', true],
    ['*', '', false],
    ['*.#', '', false],
    ['*.#', 'a', true],
    ['', '', true],
    ['', 'a', false],
    ['a.#', 'a', true],
    ['a.#', 'a.b.c', true],
    ['#.b', 'b', true],
    ['#.b', 'a.b', true],
    ['a.#.b', 'a.b', true],
    ['a.#.b', 'a.x.y.b', true],
    ['a.#.b', 'a.x.b.c', false],
    ['#.a.#', 'a', true],
    ['a.b', 'a.b.c', false],
    ['a..b', 'a..b', true],
    ['a.*.b', 'a..b', true],
    ['a.b', 'a..b', false],
    ['*.*', '.', true],
    ['*', '.', false],
    ['a*', 'ab', false],
    ['a*', 'a*', true],
    ['a#', 'a.b', false],
    ['#.*', '', false],
    ['*.*.#.*', 'a.b.c', true],
    ['#.#.#', 'a.b.c.d.e', true],
  ])('binding %j against routing key %j: %s', (bindingKey, routingKey, expected) => {
    expect(trieMatches(bindingKey, routingKey)).toBe(expected);
    expect(referenceMatch(bindingKey, routingKey)).toBe(expected);
  });

  const word = fc.constantFrom('a', 'b', 'c', '', 'ab');
  const bindingWord = fc.constantFrom('a', 'b', 'c', '', '*', '#', 'a*');
  const key = (w: fc.Arbitrary<string>) => fc.array(w, { maxLength: 6 }).map((ws) => ws.join('.'));

  it('agrees with the reference matcher on any bindings and keys, all at once in one trie', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key(bindingWord), { maxLength: 12, size: 'max' }), fc.array(key(word), { maxLength: 10 }), (bindings, routingKeys) => {
        const trie = new TopicTrie();
        bindings.forEach((b, i) => trie.bind(b, `q${i}`));
        for (const rk of routingKeys) {
          const out = new Set<string>();
          trie.match(rk, out);
          const expected = bindings.flatMap((b, i) => (referenceMatch(b, rk) ? [`q${i}`] : []));
          expect([...out].sort()).toEqual(expected.sort());
        }
      }),
      { seed: 17, numRuns: 500 },
    );
  });

  it('stays correct after unbinding, and prunes what it no longer needs', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key(bindingWord), { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 10 }), fc.array(key(word), { maxLength: 5 }), (bindings, removals, routingKeys) => {
        const trie = new TopicTrie();
        bindings.forEach((b) => trie.bind(b, b));
        const remaining = new Set(bindings);
        for (const r of removals) {
          const victim = bindings[r % bindings.length]!;
          expect(trie.unbind(victim, victim)).toBe(remaining.delete(victim));
        }
        for (const rk of routingKeys) {
          const out = new Set<string>();
          trie.match(rk, out);
          expect([...out].sort()).toEqual([...remaining].filter((b) => referenceMatch(b, rk)).sort());
        }
      }),
      { seed: 18, numRuns: 300 },
    );
  });

  it('handles many hash wildcards on a long key without blowing up', () => {
    const trie = new TopicTrie();
    trie.bind('#.#.#.#.#.#.#.#.z', 'q');
    const out = new Set<string>();
    trie.match(Array.from({ length: 60 }, () => 'a').join('.'), out);
    expect(out.size).toBe(0);
  });
});

describe('headers matching', () => {
  it('x-match all (the default) needs every argument present and equal', () => {
    expect(headersMatch({ a: 1, b: 'x' }, { a: 1, b: 'x', c: true })).toBe(true);
    expect(headersMatch({ 'x-match': 'all', a: 1, b: 'x' }, { a: 1 })).toBe(false);
    expect(headersMatch({ a: 1 }, { a: '1' })).toBe(false);
    expect(headersMatch({}, undefined)).toBe(true);
  });
  it('x-match any needs at least one', () => {
    expect(headersMatch({ 'x-match': 'any', a: 1, b: 2 }, { b: 2 })).toBe(true);
    expect(headersMatch({ 'x-match': 'any', a: 1 }, { a: 2 })).toBe(false);
    expect(headersMatch({ 'x-match': 'any' }, { a: 1 })).toBe(false);
  });
  it('ignores x- arguments unless x-match ends in -with-x', () => {
    expect(headersMatch({ 'x-trace': 'on', a: 1 }, { a: 1 })).toBe(true);
    expect(headersMatch({ 'x-match': 'all-with-x', 'x-trace': 'on', a: 1 }, { a: 1 })).toBe(false);
    expect(headersMatch({ 'x-match': 'any-with-x', 'x-trace': 'on' }, { 'x-trace': 'on' })).toBe(true);
  });
});
