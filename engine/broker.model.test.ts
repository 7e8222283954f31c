import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../sim/kernel/eventLoop.ts';
import { randomStreams } from '../sim/random/streams.ts';
import { Broker } from './index.ts';

/** Mutation testing (npm run mutate) reruns this once per mutant: a smaller run there keeps it affordable; npm test runs it whole. */
const UNDER_MUTATION = process.env.QLAB_MUTATION === '1';


/**
 * Model-based test of one queue: random sequences of publish, consume, get, ack, nack, reject,
 * cancel and advancing time run against the broker and against a reference model written with
 * plain arrays and linear scans. After every step both must agree on what was delivered (to whom,
 * in which order, marked how), on the queue's counts, and on what was dead-lettered; and every
 * message must be in exactly one place: ready, unacked, delayed, dead-lettered or settled.
 *
 * The queue under test has priorities 0–3, a delivery limit of 2, a dead-letter queue, a fixed
 * 10 ms retry backoff, and maxLength 3 with drop-head (after a publish, beyond what consumers with
 * room take at once; after a requeue or a retry's return, strictly). Sequences use fast-check's 'large' size (about 60 commands a run): at the
 * default size runs are ~5 commands long and too short to reach redelivery, limits or multiple
 * acks. Checked by hand to catch injected bugs (requeue to the tail, an off-by-one delivery limit,
 * `multiple` reaching one tag too far).
 */
const DELIVERY_LIMIT = 2;
const MAX_LENGTH = 3;
const RETRY_MS = 10;

type Place = 'ready' | 'unacked' | 'delayed' | 'dead' | 'settled';

interface ModelMessage {
  id: string;
  priority: number;
  place: Place;
  deliveries: number;
  /** Arrival order: a requeued or retried message goes back to this position. */
  seq: number;
}

interface ModelConsumer {
  tag: string;
  prefetch: number;
  autoAck: boolean;
  unacked: number[];
}

interface Model {
  now: number;
  messages: Map<string, ModelMessage>;
  /** Ready messages in queue order; delivery takes the first of the highest priority. */
  ready: ModelMessage[];
  unacked: Map<number, { message: ModelMessage; consumer: ModelConsumer | undefined }>;
  delayed: { message: ModelMessage; readyAt: number; order: number }[];
  consumers: ModelConsumer[];
  cursor: number;
  nextTag: number;
  nextSeq: number;
  nextConsumer: number;
  delayOrder: number;
  /** Deliveries the model made during the current command: "consumer:id:redelivered". */
  emitted: string[];
  dead: string[];
}

interface Real {
  broker: Broker;
  loop: EventLoop;
  emitted: string[];
  dead: string[];
}

function modelDispatch(m: Model): void {
  for (;;) {
    if (m.ready.length === 0 || m.consumers.length === 0) return;
    let consumer: ModelConsumer | undefined;
    for (let k = 0; k < m.consumers.length; k++) {
      const c = m.consumers[(m.cursor + k) % m.consumers.length]!;
      if (c.prefetch === 0 || c.unacked.length < c.prefetch) {
        consumer = c;
        m.cursor = (m.cursor + k + 1) % m.consumers.length;
        break;
      }
    }
    if (consumer === undefined) return;
    const message = modelTakeNext(m);
    modelDeliver(m, message, consumer, consumer.autoAck);
  }
}

function modelTakeNext(m: Model): ModelMessage {
  const top = Math.max(...m.ready.map((r) => r.priority));
  const index = m.ready.findIndex((r) => r.priority === top);
  return m.ready.splice(index, 1)[0]!;
}

function modelDeliver(m: Model, message: ModelMessage, consumer: ModelConsumer | undefined, autoAck: boolean): number {
  message.deliveries++;
  const tag = m.nextTag++;
  m.emitted.push(`${consumer?.tag ?? 'get'}:${message.id}:${message.deliveries > 1}`);
  if (autoAck) {
    message.place = 'settled';
  } else {
    message.place = 'unacked';
    m.unacked.set(tag, { message, consumer });
    consumer?.unacked.push(tag);
  }
  return tag;
}

function modelForget(m: Model, tag: number): ModelMessage {
  const { message, consumer } = m.unacked.get(tag)!;
  m.unacked.delete(tag);
  if (consumer !== undefined) consumer.unacked.splice(consumer.unacked.indexOf(tag), 1);
  return message;
}

function modelDeadLetter(m: Model, message: ModelMessage): void {
  message.place = 'dead';
  m.dead.push(message.id);
}

/** Back among the ready messages at its arrival position (RabbitMQ's requeue rule): the ready list stays in seq order. */
function modelRequeue(m: Model, message: ModelMessage): void {
  message.place = 'ready';
  const index = m.ready.findIndex((r) => r.seq > message.seq);
  m.ready.splice(index < 0 ? m.ready.length : index, 0, message);
}

/** Drop-head: dead-letter the next message to deliver while more are ready than maxLength plus `room`. */
function modelDropHead(m: Model, room: number): void {
  while (m.ready.length > MAX_LENGTH + room) modelDeadLetter(m, modelTakeNext(m));
}

/** How many deliveries the consumers can take now. */
function modelRoom(m: Model): number {
  let room = 0;
  for (const c of m.consumers) room += c.prefetch === 0 ? Infinity : Math.max(0, c.prefetch - c.unacked.length);
  return room;
}

/** Returned messages: past the limit they die, on failure they wait the backoff, else back to their arrival position. */
function modelReturn(m: Model, messages: ModelMessage[], failure: boolean): void {
  for (const message of [...messages].sort((a, b) => b.seq - a.seq)) {
    if (message.deliveries > DELIVERY_LIMIT) modelDeadLetter(m, message);
    else if (failure) {
      message.place = 'delayed';
      m.delayed.push({ message, readyAt: m.now + RETRY_MS, order: m.delayOrder++ });
    } else {
      modelRequeue(m, message);
    }
  }
  modelDropHead(m, 0);
}

/** The tags a settle covers: this one, or with multiple all of its consumer's (or get's) up to it. */
function modelCovered(m: Model, tag: number, multiple: boolean): number[] {
  if (!multiple) return [tag];
  const owner = m.unacked.get(tag)!.consumer;
  return [...m.unacked.entries()].filter(([t, u]) => t <= tag && u.consumer === owner).map(([t]) => t).sort((a, b) => a - b);
}

function compare(m: Model, r: Real): void {
  expect(r.emitted).toEqual(m.emitted);
  expect(r.dead).toEqual(m.dead);
  expect(r.broker.queueInfo('work')).toEqual({
    name: 'work',
    ready: m.ready.length,
    unacked: m.unacked.size,
    delayed: m.delayed.length,
    consumers: m.consumers.length,
  });
  // Every message is in exactly one place, and the places add up.
  const counts: Record<Place, number> = { ready: 0, unacked: 0, delayed: 0, dead: 0, settled: 0 };
  for (const message of m.messages.values()) counts[message.place]++;
  expect(counts.ready).toBe(m.ready.length);
  expect(counts.unacked).toBe(m.unacked.size);
  expect(counts.delayed).toBe(m.delayed.length);
  expect(counts.dead).toBe(r.broker.queueInfo('dead').ready);
  expect(counts.ready + counts.unacked + counts.delayed + counts.dead + counts.settled).toBe(m.messages.size);
  m.emitted = [];
  r.emitted.length = 0;
}

class Publish implements fc.Command<Model, Real> {
  constructor(readonly priority: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const id = `m${m.messages.size}`;
    const message: ModelMessage = { id, priority: this.priority, place: 'ready', deliveries: 0, seq: m.nextSeq++ };
    m.messages.set(id, message);
    m.ready.push(message);
    modelDropHead(m, modelRoom(m));
    modelDispatch(m);
    r.broker.publish('', 'work', id, { priority: this.priority, messageId: id });
    compare(m, r);
  }
  toString = () => `publish(p${this.priority})`;
}

class Consume implements fc.Command<Model, Real> {
  constructor(readonly prefetch: number, readonly autoAck: boolean) {}
  check = (m: Readonly<Model>) => m.consumers.length < 4;
  run(m: Model, r: Real): void {
    const tag = `c${m.nextConsumer++}`;
    m.consumers.push({ tag, prefetch: this.prefetch, autoAck: this.autoAck, unacked: [] });
    modelDispatch(m);
    r.broker.consume('work', { prefetch: this.prefetch, autoAck: this.autoAck, consumerTag: tag }, (d) =>
      r.emitted.push(`${d.consumerTag}:${new TextDecoder().decode(d.body)}:${d.redelivered}`),
    );
    compare(m, r);
  }
  toString = () => `consume(prefetch ${this.prefetch}${this.autoAck ? ', autoAck' : ''})`;
}

class Get implements fc.Command<Model, Real> {
  constructor(readonly autoAck: boolean) {}
  check = () => true;
  run(m: Model, r: Real): void {
    if (m.ready.length > 0) modelDeliver(m, modelTakeNext(m), undefined, this.autoAck);
    const d = r.broker.get('work', { autoAck: this.autoAck });
    if (d !== undefined) r.emitted.push(`get:${new TextDecoder().decode(d.body)}:${d.redelivered}`);
    compare(m, r);
  }
  toString = () => `get(${this.autoAck ? 'autoAck' : 'manual'})`;
}

class Settle implements fc.Command<Model, Real> {
  constructor(readonly kind: 'ack' | 'nack' | 'reject', readonly pick: number, readonly requeue: boolean, readonly multiple: boolean) {}
  check = (m: Readonly<Model>) => m.unacked.size > 0;
  run(m: Model, r: Real): void {
    const tags = [...m.unacked.keys()].sort((a, b) => a - b);
    const tag = tags[this.pick % tags.length]!;
    const multiple = this.kind !== 'reject' && this.multiple;
    const messages = modelCovered(m, tag, multiple).map((t) => modelForget(m, t));
    if (this.kind === 'ack') messages.forEach((message) => (message.place = 'settled'));
    else if (this.requeue) modelReturn(m, messages, true);
    else messages.forEach((message) => modelDeadLetter(m, message));
    modelDispatch(m);
    if (this.kind === 'ack') r.broker.ack(tag, { multiple });
    else if (this.kind === 'nack') r.broker.nack(tag, { requeue: this.requeue, multiple });
    else r.broker.reject(tag, { requeue: this.requeue });
    compare(m, r);
  }
  toString = () => `${this.kind}(#${this.pick}${this.multiple ? ', multiple' : ''}${this.requeue ? ', requeue' : ''})`;
}

class Cancel implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.consumers.length > 0;
  run(m: Model, r: Real): void {
    const index = this.pick % m.consumers.length;
    const consumer = m.consumers[index]!;
    m.consumers.splice(index, 1);
    if (m.cursor > index) m.cursor--;
    if (m.cursor >= m.consumers.length) m.cursor = 0;
    const messages = [...consumer.unacked].map((t) => modelForget(m, t));
    modelReturn(m, messages, false);
    modelDispatch(m);
    r.broker.cancel(consumer.tag);
    compare(m, r);
  }
  toString = () => `cancel(#${this.pick})`;
}

class Advance implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const until = m.now + this.ms;
    for (;;) {
      const due = m.delayed.filter((d) => d.readyAt <= until).sort((a, b) => a.readyAt - b.readyAt || a.order - b.order)[0];
      if (due === undefined) break;
      m.delayed.splice(m.delayed.indexOf(due), 1);
      m.now = due.readyAt;
      modelRequeue(m, due.message);
      modelDropHead(m, 0);
      modelDispatch(m);
    }
    m.now = until;
    r.loop.run({ untilMs: until });
    compare(m, r);
  }
  toString = () => `advance(${this.ms} ms)`;
}

const commands = [
  fc.integer({ min: 0, max: 3 }).map((p) => new Publish(p)),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([prefetch, autoAck]) => new Consume(prefetch, autoAck)),
  fc.boolean().map((autoAck) => new Get(autoAck)),
  fc
    .tuple(fc.constantFrom('ack' as const, 'nack' as const, 'reject' as const), fc.nat(), fc.boolean(), fc.boolean())
    .map(([kind, pick, requeue, multiple]) => new Settle(kind, pick, requeue, multiple)),
  fc.nat().map((pick) => new Cancel(pick)),
  fc.integer({ min: 1, max: 25 }).map((ms) => new Advance(ms)),
];

describe('broker against a reference model', () => {
  it('agrees with the model on every step of random operation sequences', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 120, size: 'large' }), (cmds) => {
        const loop = new EventLoop();
        const dead: string[] = [];
        const broker = new Broker({
          clock: loop,
          random: randomStreams(7).stream('model'),
          observer: { deadLettered: (queue, properties) => queue === 'work' && dead.push(properties.messageId!) },
        });
        broker.declareQueue('dead');
        broker.declareQueue('work', {
          maxPriority: 3,
          deliveryLimit: DELIVERY_LIMIT,
          deadLetterExchange: '',
          deadLetterRoutingKey: 'dead',
          retry: { backoff: 'fixed', delayMs: RETRY_MS },
          maxLength: MAX_LENGTH,
        });
        const real: Real = { broker, loop, emitted: [], dead };
        const model: Model = {
          now: 0,
          messages: new Map(),
          ready: [],
          unacked: new Map(),
          delayed: [],
          consumers: [],
          cursor: 0,
          nextTag: 1,
          nextSeq: 0,
          nextConsumer: 0,
          delayOrder: 0,
          emitted: [],
          dead: [],
        };
        fc.modelRun(() => ({ model, real }), cmds);
      }),
      { seed: 20261121, numRuns: UNDER_MUTATION ? 60 : 400 },
    );
  });
});
