/**
 * Topic-exchange routing as RabbitMQ defines it: keys are words split on '.', `*` in a binding key
 * matches exactly one word, `#` matches zero or more, empty words are words ("a..b" has three, and
 * the empty key has none), the whole key must match, and wildcards count only as whole words
 * ("a*" is the literal word "a*").
 *
 * Bindings form a trie on their words, so a publish walks the routing key's words once instead of
 * testing every binding. A `#` node may swallow any number of words, so a walk can branch; visited
 * (node, position) pairs are remembered so binding keys like "#.#.#" stay linear in the key length.
 */
class TrieNode {
  readonly id: number;
  readonly children = new Map<string, TrieNode>();
  readonly queues = new Set<string>();
  /** The match call that last visited this node, and which key positions it visited it at. */
  visitEpoch = 0;
  visitedPositions = 0;
  constructor(id: number) {
    this.id = id;
  }
}

/** Keys up to this many words remember visits in a bitmask on the node; longer ones in a Set. */
const BITMASK_WORDS = 30;

const NO_MEMO = 0;
const BITMASK_MEMO = 1;
type Memo = typeof NO_MEMO | typeof BITMASK_MEMO | Set<number>;

export function splitWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

export class TopicTrie {
  private nextId = 0;
  private readonly root = new TrieNode(this.nextId++);
  private hashNodes = 0;
  private epoch = 0;

  /** Returns false if the queue was already bound with this key. */
  bind(bindingKey: string, queue: string): boolean {
    let node = this.root;
    for (const word of splitWords(bindingKey)) {
      let child = node.children.get(word);
      if (child === undefined) {
        child = new TrieNode(this.nextId++);
        node.children.set(word, child);
        if (word === '#') this.hashNodes++;
      }
      node = child;
    }
    if (node.queues.has(queue)) return false;
    node.queues.add(queue);
    return true;
  }

  /** Returns false if there was no such binding. Prunes nodes left empty. */
  unbind(bindingKey: string, queue: string): boolean {
    const words = splitWords(bindingKey);
    const path: TrieNode[] = [this.root];
    for (const word of words) {
      const child = path[path.length - 1]!.children.get(word);
      if (child === undefined) return false;
      path.push(child);
    }
    if (!path[path.length - 1]!.queues.delete(queue)) return false;
    for (let i = words.length; i > 0; i--) {
      const node = path[i]!;
      if (node.queues.size > 0 || node.children.size > 0) break;
      path[i - 1]!.children.delete(words[i - 1]!);
      if (words[i - 1] === '#') this.hashNodes--;
    }
    return true;
  }

  /** Adds the queues whose binding keys match `routingKey` to `out`. */
  match(routingKey: string, out: Set<string>): void {
    const words = splitWords(routingKey);
    // Only a '#' can lead the walk to the same (node, position) twice; without one, nothing to remember.
    const memo = this.hashNodes === 0 ? NO_MEMO : words.length <= BITMASK_WORDS ? BITMASK_MEMO : new Set<number>();
    this.epoch++;
    this.walk(this.root, words, 0, out, memo);
  }

  private walk(node: TrieNode, words: string[], i: number, out: Set<string>, memo: Memo): void {
    if (memo === BITMASK_MEMO) {
      if (node.visitEpoch !== this.epoch) {
        node.visitEpoch = this.epoch;
        node.visitedPositions = 0;
      }
      const bit = 1 << i;
      if ((node.visitedPositions & bit) !== 0) return;
      node.visitedPositions |= bit;
    } else if (memo !== NO_MEMO) {
      const state = node.id * (words.length + 1) + i;
      if (memo.has(state)) return;
      memo.add(state);
    }
    const hash = node.children.get('#');
    if (hash !== undefined) for (let j = i; j <= words.length; j++) this.walk(hash, words, j, out, memo);
    if (i === words.length) {
      for (const queue of node.queues) out.add(queue);
      return;
    }
    const star = node.children.get('*');
    if (star !== undefined) this.walk(star, words, i + 1, out, memo);
    const word = words[i]!;
    if (word !== '*' && word !== '#') {
      const exact = node.children.get(word);
      if (exact !== undefined) this.walk(exact, words, i + 1, out, memo);
    }
  }
}
