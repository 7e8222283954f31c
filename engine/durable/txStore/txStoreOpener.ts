import type { Clock } from '../../clock.ts';
import type { RecoveredMessage } from '../liveMessages.ts';
import type { StoreOpener } from '../store.ts';
import type { CommittedState, TxBackend } from './backend.ts';
import type { CommitPolicy } from './commitPolicy.ts';
import { TransactionalStore } from './transactionalStore.ts';

/** The transactional design as a store: open reads the committed state, then commits go through `backend`. */
export function txStoreOpener(backend: TxBackend, clock: Clock, policy: CommitPolicy): StoreOpener {
  return (done) =>
    backend.open((error, state) => {
      if (error || state === null) return done(error ?? new Error('the database returned no state'), null);
      done(null, {
        state: { topology: state.topology, messages: byQueue(state), report: report(state) },
        start: () => new TransactionalStore(backend, clock, policy, state.nextLogId),
      });
    });
}

/** Each queue's list in arrival (seq) order, as the broker rebuilds its ready buffer by appending. */
function byQueue(state: CommittedState): Map<string, RecoveredMessage[]> {
  const durable = new Set(state.topology.queues.map((q) => q.name));
  const queues = new Map<string, RecoveredMessage[]>();
  for (const m of state.messages) {
    if (!durable.has(m.queue)) continue;
    let list = queues.get(m.queue);
    if (list === undefined) queues.set(m.queue, (list = []));
    list.push({ ...m });
  }
  for (const list of queues.values()) list.sort((a, b) => a.seq - b.seq);
  return queues;
}

/** A recovery report in the log's terms: no segments, bytes or records were read, only rows. */
function report(state: CommittedState) {
  const { exchanges, queues, bindings } = state.topology;
  return {
    segments: 0,
    bytes: 0,
    records: state.messages.length,
    exchanges: exchanges.length,
    queues: queues.length,
    bindings: bindings.length,
    messages: state.messages.length,
    truncatedBytes: 0,
    droppedEmptySegments: [],
    cleanShutdown: false,
    repaired: [],
  };
}
