import type { Case, Step } from '../case.ts';

const publish = (id: string, key: string, extra: Partial<Extract<Step, { op: 'publish' }>> = {}): Step => ({ op: 'publish', id, key, ...extra });
const get = (queue: string): Step => ({ op: 'get', queue, noAck: true });

/** Errors, literal wildcards and expiry while consumers are busy. */
export const edgeCases: Case[] = [
  {
    name: 'redeclare-inequivalent',
    about: 'redeclaring a queue with other arguments fails with 406; the same arguments are fine',
    steps: [
      { op: 'queue', name: 'q', args: { maxLength: 5 } },
      { op: 'queue', name: 'q', args: { maxLength: 5 } },
      { op: 'queue', name: 'q', args: { maxLength: 6 } },
      { op: 'count', queue: 'q' },
    ],
  },
  {
    name: 'bind-default-exchange-refused',
    about: 'binding a queue to the default exchange is refused with 403',
    steps: [{ op: 'queue', name: 'q' }, { op: 'bind', queue: 'q', exchange: '', key: 'other' }, publish('m1', 'other', { mandatory: true })],
  },
  {
    name: 'topic-literal-wildcards-in-key',
    about: 'a routing key containing * or # is matched as plain words; a binding word a* is literal',
    steps: [
      { op: 'exchange', name: 't', type: 'topic' },
      { op: 'queue', name: 'lit' },
      { op: 'queue', name: 'star' },
      { op: 'bind', queue: 'lit', exchange: 't', key: 'a*.b' },
      { op: 'bind', queue: 'star', exchange: 't', key: 'a.*' },
      { op: 'publish', id: 'k-a*.b', exchange: 't', key: 'a*.b' },
      { op: 'publish', id: 'k-ax.b', exchange: 't', key: 'ax.b' },
      { op: 'publish', id: 'k-a.#', exchange: 't', key: 'a.#' },
      { op: 'count', queue: 'lit' },
      { op: 'count', queue: 'star' },
      get('lit'),
      get('star'),
    ],
  },
  {
    name: 'ttl-while-prefetch-full',
    about: 'messages waiting behind a full-prefetch consumer expire and are dead-lettered in queue order',
    steps: [
      { op: 'queue', name: 'q', args: { messageTtlMs: 100, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      { op: 'consume', tag: 'c', queue: 'q', prefetch: 1 },
      publish('m1', 'q'),
      publish('m2', 'q'),
      publish('m3', 'q'),
      { op: 'wait', ms: 300 },
      { op: 'ack', id: 'm1' },
      { op: 'count', queue: 'q' },
      get('dead'),
      get('dead'),
    ],
  },
  {
    name: 'ttl-per-message-head-order',
    about: 'per-message TTLs in arrival order expire in that order; the dead-letter queue keeps it',
    steps: [
      { op: 'queue', name: 'q', args: { deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q', { expirationMs: 50 }),
      publish('m2', 'q', { expirationMs: 100 }),
      publish('m3', 'q', { expirationMs: 150 }),
      { op: 'wait', ms: 400 },
      { op: 'count', queue: 'q' },
      get('dead'),
      get('dead'),
      get('dead'),
    ],
  },
  {
    name: 'requeue-after-per-message-expiry',
    about: 'a message whose own expiration passed while unacked is dead-lettered when requeued',
    steps: [
      { op: 'queue', name: 'q', args: { deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q', { expirationMs: 300 }),
      publish('m2', 'q'),
      { op: 'get', queue: 'q' },
      { op: 'wait', ms: 500 },
      { op: 'reject', id: 'm1' },
      { op: 'count', queue: 'q' },
      get('dead'),
    ],
  },
];
