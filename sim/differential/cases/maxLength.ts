import type { Case, Step } from '../case.ts';

const publish = (id: string, key: string): Step => ({ op: 'publish', id, key });
const dlxQueue = (overflow: 'drop-head' | 'reject-publish' | 'reject-publish-dlx'): Step[] => [
  { op: 'queue', name: 'q', args: { maxLength: 2, overflow, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
  { op: 'queue', name: 'dead' },
];

/** x-max-length with each overflow mode, on publish and on requeue, with publisher confirms. */
export const maxLengthCases: Case[] = [
  {
    name: 'maxlen-drop-head',
    about: 'drop-head dead-letters the oldest as maxlen; every publish is acked',
    steps: [...dlxQueue('drop-head'), publish('m1', 'q'), publish('m2', 'q'), publish('m3', 'q'), publish('m4', 'q'), { op: 'count', queue: 'q' }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'dead', noAck: true }, { op: 'get', queue: 'dead', noAck: true }],
  },
  {
    name: 'maxlen-reject-publish',
    about: 'reject-publish nacks the publish that does not fit and keeps the old messages; nothing is dead-lettered',
    steps: [...dlxQueue('reject-publish'), publish('m1', 'q'), publish('m2', 'q'), publish('m3', 'q'), { op: 'count', queue: 'q' }, { op: 'count', queue: 'dead' }, { op: 'get', queue: 'q', noAck: true }],
  },
  {
    name: 'maxlen-reject-publish-dlx',
    about: 'reject-publish-dlx nacks the publish and dead-letters the refused message as maxlen',
    steps: [...dlxQueue('reject-publish-dlx'), publish('m1', 'q'), publish('m2', 'q'), publish('m3', 'q'), { op: 'count', queue: 'q' }, { op: 'get', queue: 'dead', noAck: true }],
  },
  {
    name: 'maxlen-zero-reject-publish',
    about: 'max-length 0 with reject-publish refuses every publish',
    steps: [{ op: 'queue', name: 'q', args: { maxLength: 0, overflow: 'reject-publish' } }, publish('m1', 'q'), { op: 'count', queue: 'q' }],
  },
  {
    name: 'maxlen-unacked-not-counted',
    about: 'unacked messages do not count towards max-length',
    steps: [...dlxQueue('reject-publish'), publish('m1', 'q'), publish('m2', 'q'), { op: 'get', queue: 'q' }, { op: 'get', queue: 'q' }, publish('m3', 'q'), publish('m4', 'q'), publish('m5', 'q'), { op: 'count', queue: 'q' }],
  },
  {
    name: 'maxlen-drop-head-on-requeue',
    about: 'drop-head enforces the limit when messages are requeued, dead-lettering from the head (issue 12)',
    steps: [...dlxQueue('drop-head'), publish('m1', 'q'), publish('m2', 'q'), { op: 'get', queue: 'q' }, { op: 'get', queue: 'q' }, publish('m3', 'q'), publish('m4', 'q'), { op: 'nack', id: 'm1' }, { op: 'nack', id: 'm2' }, { op: 'count', queue: 'q' }, { op: 'count', queue: 'dead' }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'dead', noAck: true }, { op: 'get', queue: 'dead', noAck: true }],
  },
  {
    name: 'maxlen-drop-head-on-cancel',
    about: 'drop-head also applies when a closed consumer channel returns its unacked deliveries',
    steps: [...dlxQueue('drop-head'), publish('m1', 'q'), publish('m2', 'q'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 2 }, publish('m3', 'q'), publish('m4', 'q'), { op: 'cancel', tag: 'c' }, { op: 'count', queue: 'q' }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'dead', noAck: true }, { op: 'get', queue: 'dead', noAck: true }],
  },
  {
    name: 'maxlen-reject-publish-on-requeue',
    about: 'reject-publish lets a requeue exceed the limit (issue 12: keep that)',
    steps: [...dlxQueue('reject-publish'), publish('m1', 'q'), publish('m2', 'q'), { op: 'get', queue: 'q' }, publish('m3', 'q'), { op: 'nack', id: 'm1' }, { op: 'count', queue: 'q' }, { op: 'count', queue: 'dead' }, publish('m4', 'q'), { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }],
  },
  {
    name: 'maxlen-reject-publish-dlx-on-requeue',
    about: 'reject-publish-dlx on requeue, as a real broker does it (issue 12: observe and match)',
    steps: [...dlxQueue('reject-publish-dlx'), publish('m1', 'q'), publish('m2', 'q'), { op: 'get', queue: 'q' }, publish('m3', 'q'), { op: 'nack', id: 'm1' }, { op: 'count', queue: 'q' }, { op: 'count', queue: 'dead' }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'q', noAck: true }, { op: 'get', queue: 'dead', noAck: true }],
  },
  {
    name: 'maxlen-with-priorities',
    about: 'drop-head on a priority queue drops from the head (the highest priority)',
    steps: [
      { op: 'queue', name: 'q', args: { maxLength: 2, maxPriority: 5, deadLetterExchange: '', deadLetterRoutingKey: 'dead' } },
      { op: 'queue', name: 'dead' },
      { op: 'publish', id: 'lo', key: 'q', priority: 1 },
      { op: 'publish', id: 'hi', key: 'q', priority: 5 },
      { op: 'publish', id: 'mid', key: 'q', priority: 3 },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'q', noAck: true },
      { op: 'get', queue: 'dead', noAck: true },
    ],
  },
];
