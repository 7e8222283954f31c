import type { EventLoop } from '../../../sim/kernel/eventLoop.ts';
import type { Broker } from '../../broker.ts';
import type { Random } from '../../random.ts';
import type { StoreHarness } from '../store.conformance.ts';
import { recoverInVirtualTime } from '../testing.ts';
import type { CommitPolicy } from './commitPolicy.ts';
import type { TxBackend } from './backend.ts';
import type { MemoryDatabase } from './memoryBackend.ts';

/** Test helper: a broker on a new connection to `db`, recovered in virtual time (throws recovery's error). */
export function recoverOnDatabase(loop: EventLoop, db: MemoryDatabase, policy: Partial<CommitPolicy> = {}, random?: Random): Broker {
  return recoverInVirtualTime(loop, { ...policy, ...(random === undefined ? {} : { random }), backend: db.connect() });
}

/** The store conformance harness for a transactional store on `db` in virtual time; `crashStore` is a database crash. */
export function databaseHarness(loop: EventLoop, db: MemoryDatabase, open: () => Broker, lossWindowMs: number): StoreHarness {
  return {
    open: async () => open(),
    advance: async (events) => void loop.run({ maxEvents: events }),
    settle: async () => void loop.run(),
    crashBroker: async (broker) => broker.kill(),
    crashStore: async (broker) => {
      broker.kill();
      db.crash(0);
    },
    storeCrashLossWindowMs: lossWindowMs,
    now: () => loop.now(),
  };
}

/**
 * `backend` (on `loop`'s virtual clock) for promise-based tests written for real time, such as
 * txBackendConformance: after each call the loop runs to quiescence in a microtask (no real
 * timer: engine/ never touches one), so every callback completes without the test driving the loop.
 */
export function loopDriven(loop: EventLoop, backend: TxBackend): TxBackend {
  const drive = () => void Promise.resolve().then(() => loop.run());
  return {
    open: (done) => (backend.open(done), drive()),
    commit: (ops, done) => (backend.commit(ops, done), drive()),
    close: (done) => (backend.close(done), drive()),
    abandon: () => backend.abandon(),
  };
}
