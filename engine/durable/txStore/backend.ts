import type { EnqueueRecord, LogRecord, RecordType, Topology } from '../records.ts';

/**
 * The contract between the engine's transactional message store and the database behind it
 * (PostgreSQL in engine/adapters/postgres, a simulated database in sim/). The store decides what
 * goes into each transaction (one publish, or a group of them); the backend only commits what it
 * is given, atomically, and reads back the committed state at open.
 *
 * Operations are the file log's record shapes (without Snapshot), so both designs persist the same
 * facts: topology changes, enqueue of a persistent message on a durable queue, its delivery
 * (recovered messages count as redelivered) and its settlement (ack, dead-letter, expiry, purge,
 * or its queue's deletion).
 */
export type TxOp = Exclude<LogRecord, { type: RecordType.Snapshot }>;

/** What a backend hands back at open: the committed state, nothing else. */
export interface CommittedState {
  topology: Topology;
  /** Unsettled messages of durable queues, in logId order (= publish order per queue). */
  messages: EnqueueRecord[];
  /** One more than the largest logId ever committed (ids are never reused). */
  nextLogId: number;
}

/** How a commit is acknowledged, as PostgreSQL's synchronous_commit defines it. */
export type CommitDurability = 'sync' | 'async';

export interface TxBackend {
  /** Connects, creates the schema when it is absent, and reads the committed state. */
  open(done: (error: Error | null, state: CommittedState | null) => void): void;
  /**
   * Commits `ops` as one transaction. `done(null)` once the database acknowledges the commit:
   * with 'sync' it is durable; with 'async' it is visible but may still be lost by a database
   * crash (never by a broker crash). `done(error)` means nothing of `ops` was committed.
   * Commits complete in the order they were issued.
   */
  commit(ops: readonly TxOp[], done: (error: Error | null) => void): void;
  /** Waits for issued commits, then disconnects. */
  close(done: (error: Error | null) => void): void;
  /** The broker process died: drop everything in flight, nothing more is committed by this instance. */
  abandon(): void;
}
