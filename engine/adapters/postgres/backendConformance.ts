import { expect, it } from 'vitest';
import { RecordType, type BindingRecord, type EnqueueRecord, type Topology } from '../../durable/records.ts';
import type { CommittedState, TxBackend, TxOp } from '../../durable/txStore/backend.ts';

/**
 * What every TxBackend must do, written against the contract (engine/durable/txStore/backend.ts)
 * only, so any backend can run it: PostgreSQL here, the simulated database in sim/ through the
 * same function. `store()` makes a fresh empty store and returns a factory of backend instances on
 * it (each instance is one broker process's connection; a later one sees what earlier ones
 * committed). Expectations are the file log's replay rules (engine/durable/replay.ts), written out
 * by hand here.
 */
export type StoreFactory = () => Promise<() => TxBackend>;

export function openBackend(backend: TxBackend): Promise<CommittedState> {
  return new Promise((resolve, reject) => backend.open((error, state) => (error ? reject(error) : resolve(state!))));
}
export function commitOps(backend: TxBackend, ops: readonly TxOp[]): Promise<void> {
  return new Promise((resolve, reject) => backend.commit(ops, (error) => (error ? reject(error) : resolve())));
}
export function closeBackend(backend: TxBackend): Promise<void> {
  return new Promise((resolve, reject) => backend.close((error) => (error ? reject(error) : resolve())));
}

/** A persistent message as the broker would enqueue it. */
export function message(logId: number, queue: string, extra: Partial<EnqueueRecord> = {}): EnqueueRecord {
  return {
    logId,
    queue,
    seq: logId,
    level: 0,
    expiresAtMs: Infinity,
    deliveryCount: 0,
    exchange: '',
    routingKey: queue,
    properties: { persistent: true },
    deaths: [],
    body: Uint8Array.of(logId & 0xff, 1, 2),
    ...extra,
  };
}
export const enqueue = (m: EnqueueRecord): TxOp => ({ type: RecordType.Enqueue, message: m });
export const deliver = (logId: number): TxOp => ({ type: RecordType.Deliver, logId });
export const settle = (logId: number): TxOp => ({ type: RecordType.Settle, logId });
export const declareQueue = (name: string, options = {}): TxOp => ({ type: RecordType.DeclareQueue, queue: { name, options: { durable: true, ...options } } });
const binding = (queue: string, exchange: string, bindingKey: string, args: BindingRecord['args'] = {}): BindingRecord => ({ queue, exchange, bindingKey, args });

/** Reopens the store in a new instance (a restarted broker) and returns what it recovers. */
async function reopen(make: () => TxBackend): Promise<CommittedState> {
  const backend = make();
  const state = await openBackend(backend);
  await closeBackend(backend);
  return state;
}

export function txBackendConformance(store: StoreFactory, timeoutMs = 60_000): void {
  it('an empty store opens with no topology, no messages and logIds from 1', async () => {
    const make = await store();
    expect(await reopen(make)).toEqual({ topology: { exchanges: [], queues: [], bindings: [] }, messages: [], nextLogId: 1 });
  }, timeoutMs);

  it('every kind of op round-trips through commit and a new open, as the file log replays it', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    const rich = message(3, 'orders', {
      seq: 7,
      level: 4,
      expiresAtMs: 1234.5,
      deliveryCount: 1,
      exchange: 'ex',
      routingKey: "o'rders.\\new",
      properties: { persistent: true, messageId: 'm-3', priority: 4, headers: { a: 1, b: 'x"y', c: null, d: true }, nested: { list: [1, 2] } },
      deaths: [{ queue: 'q0', reason: 'expired', count: 2, timeMs: 10, exchange: 'dlx', routingKeys: ['k1', 'k2'], originalExpirationMs: 50 }],
      body: Uint8Array.from({ length: 256 }, (_, i) => i),
    });
    await commitOps(b, [
      { type: RecordType.DeclareExchange, exchange: { name: 'ex', type: 'topic', alternateExchange: 'alt' } },
      { type: RecordType.DeclareExchange, exchange: { name: 'alt', type: 'fanout' } },
      { type: RecordType.DeclareExchange, exchange: { name: 'gone', type: 'direct' } },
      declareQueue('orders', { maxPriority: 5, messageTtlMs: 60_000, deadLetterExchange: 'alt' }),
      declareQueue('audit'),
      declareQueue('dropped'),
      { type: RecordType.Bind, binding: binding('orders', 'ex', 'o.#') },
      { type: RecordType.Bind, binding: binding('orders', 'ex', 'o.#') },
      { type: RecordType.Bind, binding: binding('audit', 'alt', '', { 'x-match': 'all', n: 2 }) },
      { type: RecordType.Bind, binding: binding('audit', 'gone', 'k') },
      { type: RecordType.Bind, binding: binding('audit', 'ex', 'unbound') },
      { type: RecordType.Bind, binding: binding('dropped', 'alt', '') },
    ]);
    await commitOps(b, [enqueue(message(1, 'orders')), enqueue(message(2, 'audit')), enqueue(rich), enqueue(message(4, 'dropped')), enqueue(message(5, 'orders'))]);
    await commitOps(b, [deliver(3), deliver(3), deliver(1), settle(5), { type: RecordType.Commit }, { type: RecordType.Seal }, { type: RecordType.Compacted, segment: 3 }]);
    await commitOps(b, [
      { type: RecordType.Unbind, binding: binding('audit', 'ex', 'unbound') },
      { type: RecordType.DeleteExchange, name: 'gone' },
      { type: RecordType.DeleteQueue, name: 'dropped' },
      { type: RecordType.Close },
    ]);
    await closeBackend(b);
    const state = await reopen(make);
    const topology: Topology = {
      exchanges: [
        { name: 'ex', type: 'topic', alternateExchange: 'alt' },
        { name: 'alt', type: 'fanout' },
      ],
      queues: [
        { name: 'orders', options: { durable: true, maxPriority: 5, messageTtlMs: 60_000, deadLetterExchange: 'alt' } },
        { name: 'audit', options: { durable: true } },
      ],
      bindings: [binding('orders', 'ex', 'o.#'), binding('audit', 'alt', '', { 'x-match': 'all', n: 2 })],
    };
    expect(state.topology).toEqual(topology);
    expect(state.messages).toEqual([{ ...message(1, 'orders'), deliveryCount: 1 }, message(2, 'audit'), { ...rich, deliveryCount: 3 }]);
    expect(state.messages[2]!.body).toBeInstanceOf(Uint8Array);
    expect(state.nextLogId).toBe(6);
  }, timeoutMs);

  it('a re-enqueued logId replaces its earlier copy; a redeclared exchange or queue takes its new definition', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    await commitOps(b, [declareQueue('q'), enqueue(message(1, 'q')), enqueue(message(2, 'q'))]);
    await commitOps(b, [enqueue(message(1, 'q', { seq: 9, deliveryCount: 2, body: Uint8Array.of(9) })), declareQueue('q', { maxLength: 3 })]);
    await commitOps(b, [enqueue(message(2, 'q', { seq: 1 })), enqueue(message(2, 'q', { seq: 2, level: 1 }))]);
    await closeBackend(b);
    const state = await reopen(make);
    expect(state.topology.queues).toEqual([{ name: 'q', options: { durable: true, maxLength: 3 } }]);
    expect(state.messages).toEqual([message(1, 'q', { seq: 9, deliveryCount: 2, body: Uint8Array.of(9) }), message(2, 'q', { seq: 2, level: 1 })]);
  }, timeoutMs);

  it('logIds are never reused: nextLogId stays past the largest id ever committed, even once all are settled', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    await commitOps(b, [declareQueue('q'), enqueue(message(41, 'q'))]);
    await commitOps(b, [enqueue(message(40, 'q'))]);
    await commitOps(b, [settle(41), settle(40), settle(99)]);
    await closeBackend(b);
    expect(await reopen(make)).toEqual({ topology: { exchanges: [], queues: [{ name: 'q', options: { durable: true } }], bindings: [] }, messages: [], nextLogId: 42 });
  }, timeoutMs);

  it('messages of queues that are not declared are not recovered', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    await commitOps(b, [declareQueue('kept'), enqueue(message(1, 'transient')), enqueue(message(2, 'kept'))]);
    await closeBackend(b);
    expect((await reopen(make)).messages).toEqual([message(2, 'kept')]);
  }, timeoutMs);

  it('commits complete in the order they were issued, and later ones see earlier ones', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    await commitOps(b, [declareQueue('q')]);
    const completed: number[] = [];
    const all: Promise<void>[] = [];
    for (let i = 1; i <= 120; i++) {
      // Each commit settles the message the previous one enqueued: applied out of order, some would survive.
      const ops = i === 1 ? [enqueue(message(i, 'q'))] : [enqueue(message(i, 'q')), settle(i - 1)];
      all.push(commitOps(b, ops).then(() => void completed.push(i)));
    }
    await Promise.all(all);
    expect(completed).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    await closeBackend(b);
    const state = await reopen(make);
    expect(state.messages.map((m) => m.logId)).toEqual([120]);
    expect(state.nextLogId).toBe(121);
  }, timeoutMs);

  it('close() waits for the commits issued before it', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    const done: number[] = [];
    b.commit([declareQueue('q')], () => done.push(0));
    for (let i = 1; i <= 20; i++) b.commit([enqueue(message(i, 'q'))], (error) => done.push(error ? -i : i));
    await closeBackend(b);
    expect(done).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect((await reopen(make)).messages).toHaveLength(20);
  }, timeoutMs);

  it('after abandon() no callback runs and what was committed is a prefix of what was issued', async () => {
    const make = await store();
    const b = make();
    await openBackend(b);
    await commitOps(b, [declareQueue('q')]);
    let callbacks = 0;
    const first = commitOps(b, [enqueue(message(1, 'q'))]);
    await first;
    for (let i = 2; i <= 50; i++) b.commit([enqueue(message(i, 'q'))], () => callbacks++);
    b.abandon();
    b.commit([enqueue(message(51, 'q'))], () => callbacks++);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callbacks).toBe(0);
    const ids = (await reopen(make)).messages.map((m) => m.logId);
    expect(ids[0]).toBe(1);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(ids.length).toBeLessThan(51);
  }, timeoutMs);
}
