import type { Case, Step } from '../case.ts';

const publish = (id: string, key: string, extra: Partial<Extract<Step, { op: 'publish' }>> = {}): Step => ({ op: 'publish', id, key, ...extra });

/** TTL per queue and per message; waits are real on RabbitMQ (kept to a few hundred ms) and virtual on the engine. */
export const expiryCases: Case[] = [
  {
    name: 'ttl-per-queue',
    about: 'x-message-ttl dead-letters as expired; expiration property absent; original-expiration absent',
    steps: [
      { op: 'queue', name: 'q', args: { messageTtlMs: 100, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q'),
      publish('m2', 'q'),
      { op: 'wait', ms: 400 },
      { op: 'count', queue: 'q' },
      { op: 'get', queue: 'dead', noAck: true },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
  {
    name: 'ttl-per-message',
    about: 'per-message expiration: expired dead-letter with original-expiration in x-death; a live one is delivered with its expiration',
    steps: [
      { op: 'queue', name: 'q', args: { deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('short', 'q', { expirationMs: 50 }),
      publish('long', 'q', { expirationMs: 60_000 }),
      { op: 'wait', ms: 300 },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
  {
    name: 'ttl-lower-wins',
    about: 'the lower of queue TTL and message expiration applies',
    steps: [
      { op: 'queue', name: 'q', args: { messageTtlMs: 60_000, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q', { expirationMs: 50 }),
      { op: 'wait', ms: 300 },
      { op: 'count', queue: 'q' },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
  {
    name: 'ttl-zero-without-consumer',
    about: 'expiration 0 with no consumer waiting expires at once (dead-lettered)',
    steps: [
      { op: 'queue', name: 'q', args: { deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q', { expirationMs: 0 }),
      { op: 'count', queue: 'q' },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
  {
    name: 'ttl-behind-live-head',
    about: 'a short-lived message behind a long-lived head: RabbitMQ expires only at the head (documented difference ttl-exact-time)',
    steps: [
      { op: 'queue', name: 'q', args: { deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('long', 'q', { expirationMs: 60_000 }),
      publish('short', 'q', { expirationMs: 50 }),
      { op: 'wait', ms: 300 },
      { op: 'count', queue: 'q' },
      { op: 'count', queue: 'dead' },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
  {
    name: 'ttl-unacked-not-expired',
    about: 'an unacked message does not expire while held; returned after its deadline it is dead-lettered',
    steps: [
      { op: 'queue', name: 'q', args: { messageTtlMs: 100, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      publish('m1', 'q'),
      { op: 'get', queue: 'q' },
      { op: 'wait', ms: 300 },
      { op: 'count', queue: 'dead' },
      { op: 'nack', id: 'm1' },
      { op: 'count', queue: 'q' },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
];
