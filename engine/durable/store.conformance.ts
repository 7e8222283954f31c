import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Broker } from '../broker.ts';

/**
 * The MessageStore contract, as tests every durability design must pass: the file log
 * (engine/durable/logStore.conformance.test.ts), the transactional store on the in-memory database
 * (engine/durable/txStore/txStore.conformance.test.ts) and on the simulated database; the
 * PostgreSQL adapter runs it the same way against a real server:
 *
 *   import { messageStoreConformance } from '../../durable/store.conformance.ts';
 *   describe.skipIf(!serverUp)('postgres store', () => messageStoreConformance(async () => ({
 *     open: () => openBrokerOnPostgres(url),           // Broker.recover({ backend, clock, ... })
 *     advance: (events) => sleepMs(events),            // real time: let commits complete a little
 *     settle: () => sleepMs(50),                       // or await broker.afterDurable
 *     crashBroker: async (broker) => broker.kill(),    // the backend's abandon() drops in-flight commits
 *     crashStore: () => immediateShutdownAndRestart(), // pg_ctl stop -m immediate, then start
 *     storeCrashLossWindowMs: syncCommit ? 0 : 3 * walWriterDelayMs,
 *     now: () => realClock.now(),                  // the adapters' real clock
 *   }), { runs: 10 }));
 *
 * Each harness is a fresh, empty store. Broker crashes are the property's own choice; `crashStore`
 * is the design's power cut or database crash, and may lose confirmed messages younger than
 * `storeCrashLossWindowMs` (0: none).
 */
export interface StoreHarness {
  /** Opens a broker on the store, recovering what it holds (rejects with recovery's error). */
  open(): Promise<Broker>;
  /** Lets the store make some progress: in virtual time, runs up to `events` events. */
  advance(events: number): Promise<void>;
  /** Runs until everything issued has completed. */
  settle(): Promise<void>;
  /** The broker process dies; the store keeps what it made durable (the log: the disk keeps its synced bytes). */
  crashBroker(broker: Broker): Promise<void>;
  /** The store itself crashes and comes back (power cut, database crash): the broker dies with it. */
  crashStore(broker: Broker): Promise<void>;
  storeCrashLossWindowMs: number;
  now(): number;
}

type Step =
  | { kind: 'publish'; queue: number; confirm: boolean }
  | { kind: 'get'; queue: number; ack: boolean }
  | { kind: 'advance'; events: number }
  | { kind: 'crash' };

const QUEUES = ['c.q0', 'c.q1'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('publish' as const), queue: fc.nat(1), confirm: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), queue: fc.nat(1), ack: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), events: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
);

/** What the test knows of each message, by id (its body). */
class Model {
  nextId = 0;
  /** Sent and not known to be gone. */
  readonly live = new Set<number>();
  readonly confirmed = new Set<number>();
  readonly ackIssued = new Set<number>();
  readonly ackDurable = new Set<number>();
  readonly delivered = new Set<number>();
}

function declareTopology(broker: Broker): void {
  broker.declareExchange('c.x', 'direct', { durable: true });
  for (const q of QUEUES) {
    broker.declareQueue(q, { durable: true });
    broker.bindQueue(q, 'c.x', q);
  }
}

/** Reads every queue without losing anything: get all, then nack them back to their places. */
function observe(broker: Broker): { queue: number; id: number; redelivered: boolean }[][] {
  return QUEUES.map((q, queue) => {
    const seen: { queue: number; id: number; redelivered: boolean }[] = [];
    let last = -1;
    for (let d = broker.get(q); d !== undefined; d = broker.get(q)) {
      seen.push({ queue, id: Number(new TextDecoder().decode(d.body)), redelivered: d.redelivered });
      last = d.deliveryTag;
    }
    if (last >= 0) broker.nack(last, { multiple: true, requeue: true });
    return seen;
  });
}

/** The reopened broker against the model; then the model follows what was recovered. */
function checkRecovered(model: Model, seen: { queue: number; id: number; redelivered: boolean }[][]): void {
  const ids = seen.flat().map((s) => s.id);
  expect(new Set(ids).size, `duplicates among ${ids}`).toBe(ids.length);
  for (const id of ids) {
    expect(model.live.has(id), `message ${id} came back though it was never sent or is gone`).toBe(true);
    expect(model.ackDurable.has(id), `message ${id} came back after its ack was durable`).toBe(false);
  }
  for (const id of model.confirmed) {
    if (model.live.has(id) && !model.ackIssued.has(id)) expect(ids, `confirmed message ${id} lost`).toContain(id);
  }
  for (const list of seen) {
    const order = list.map((s) => s.id);
    expect(order, 'order within a queue').toEqual([...order].sort((a, b) => a - b));
    for (const s of list) if (!model.delivered.has(s.id)) expect(s.redelivered, `message ${s.id} never delivered comes back redelivered`).toBe(false);
  }
  const back = new Set(ids);
  for (const id of [...model.live]) if (!back.has(id)) model.live.delete(id);
  // What came back is committed, and unacked again.
  for (const id of ids) {
    model.confirmed.add(id);
    model.ackIssued.delete(id);
    model.delivered.add(id);
  }
}

async function runSteps(h: StoreHarness, steps: Step[]): Promise<void> {
  const model = new Model();
  let broker = await h.open();
  declareTopology(broker);
  const reopen = async () => {
    await h.crashBroker(broker);
    broker = await h.open();
    // The topology may not have been durable yet: clients declare it on every connect.
    declareTopology(broker);
    checkRecovered(model, observe(broker));
  };
  for (const step of steps) {
    if (step.kind === 'publish') {
      const id = model.nextId++;
      model.live.add(id);
      const confirm = step.confirm ? (ack: boolean) => ack && model.confirmed.add(id) : undefined;
      broker.publish('c.x', QUEUES[step.queue]!, String(id), { persistent: true }, confirm);
    } else if (step.kind === 'get') {
      const d = broker.get(QUEUES[step.queue]!);
      if (d === undefined) continue;
      const id = Number(new TextDecoder().decode(d.body));
      model.delivered.add(id);
      if (!step.ack) continue;
      broker.ack(d.deliveryTag);
      model.ackIssued.add(id);
      broker.afterDurable((ok) => ok && model.ackDurable.add(id));
    } else if (step.kind === 'advance') {
      await h.advance(step.events);
    } else {
      await reopen();
    }
  }
  await reopen();
  await h.crashBroker(broker);
}

/** Registers the suite's tests (call inside a describe). */
export function messageStoreConformance(makeHarness: () => Promise<StoreHarness>, options: { runs?: number; seed?: number } = {}): void {
  const runs = options.runs ?? 40;

  it('durable topology survives a broker crash; deleted topology stays deleted; transient does not survive', async () => {
    const h = await makeHarness();
    const broker = await h.open();
    broker.declareExchange('t.x', 'topic', { durable: true, alternateExchange: 't.ae' });
    broker.declareExchange('t.ae', 'fanout', { durable: true });
    broker.declareExchange('t.gone', 'direct', { durable: true });
    broker.declareExchange('t.transient', 'direct');
    broker.declareQueue('t.q', { durable: true, maxLength: 7 });
    broker.declareQueue('t.tq');
    broker.bindQueue('t.q', 't.x', 'a.#');
    broker.bindQueue('t.q', 't.x', 'b.*');
    broker.unbindQueue('t.q', 't.x', 'b.*');
    broker.deleteExchange('t.gone');
    let durable = false;
    broker.afterDurable((ok) => (durable = ok));
    await h.settle();
    expect(durable).toBe(true);
    await h.crashBroker(broker);
    const again = await h.open();
    expect(again.exchangeNames().filter((n) => n.startsWith('t.')).sort()).toEqual(['t.ae', 't.x']);
    expect(again.queueNames().filter((n) => n.startsWith('t.'))).toEqual(['t.q']);
    expect(again.bindingsOf('t.x').map((b) => [b.queue, b.bindingKey])).toEqual([['t.q', 'a.#']]);
    await h.crashBroker(again);
  });

  it('after broker crashes at any point (inside commits and group commits, several generations): every confirmed message back exactly once, settled ones never, order kept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 60 }), async (steps) => runSteps(await makeHarness(), steps)),
      { numRuns: runs, seed: options.seed ?? 2020 },
    );
  }, 120_000);

  it('a store crash (power cut, database crash) loses no confirmed message older than the store’s loss window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 200 }), async (count, crashAfterEvents) => {
        const h = await makeHarness();
        const broker = await h.open();
        declareTopology(broker);
        const confirmedAtMs = new Map<number, number>();
        for (let id = 0; id < count; id++) {
          broker.publish('c.x', QUEUES[id % 2]!, String(id), { persistent: true }, (ack) => ack && confirmedAtMs.set(id, h.now()));
          await h.advance(crashAfterEvents % 7);
        }
        await h.advance(crashAfterEvents);
        const crashMs = h.now();
        await h.crashStore(broker);
        const again = await h.open();
        declareTopology(again);
        const ids = observe(again).flat().map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const [id, atMs] of confirmedAtMs) if (atMs < crashMs - h.storeCrashLossWindowMs) expect(ids, `confirmed message ${id} lost`).toContain(id);
        await h.crashBroker(again);
      }),
      { numRuns: Math.max(10, Math.floor(runs / 2)), seed: (options.seed ?? 2020) + 1 },
    );
  }, 120_000);
}
