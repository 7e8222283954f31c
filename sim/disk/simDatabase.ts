import { MemoryDatabase, type CommitDurability, type Random, type TxOp } from '../../engine/index.ts';
import type { EventLoop } from '../kernel/eventLoop.ts';
import type { Distribution } from '../dist/distribution.ts';

/**
 * The commit latency model of a PostgreSQL server, per transaction: one round trip (statement
 * execution and the client/server hop), a small cost per row written, and — only with
 * synchronous_commit on — one WAL flush. A group commit pays the round trip and the flush once for
 * all its rows: that is what it amortises. Defaults are assumptions until `qlab calibrate` measures a
 * real server (a local SSD: a flush of about 1 ms, like the simulated disk's fsync).
 */
export interface DatabaseLatencyModel {
  roundTripMs: Distribution;
  walFlushMs: Distribution;
  perOpMs: number;
  /** Connecting and reading the committed state back: a base time plus this much per unsettled message. */
  openMs: number;
  openPerMessageMs: number;
}

export interface SimDatabaseOptions extends DatabaseLatencyModel {
  synchronousCommit: 'on' | 'off';
  walWriterDelayMs: number;
}

/**
 * The simulated database for virtual time: the in-memory database's exact crash semantics (sync
 * commits durable, async commits visible at once and durable at the next WAL writer wake-up every
 * walWriterDelayMs, an unacknowledged commit never applied) with sampled commit latencies from its
 * own random stream. It lives on the world's event loop, so it outlives broker crashes; a database
 * crash (`crash(downMs)`) is a separate fault, the only one that loses asynchronous commits.
 */
export function simDatabase(loop: EventLoop, random: Random, options: SimDatabaseOptions): MemoryDatabase {
  const durability: CommitDurability = options.synchronousCommit === 'on' ? 'sync' : 'async';
  return new MemoryDatabase(loop, {
    durability,
    walWriterDelayMs: options.walWriterDelayMs,
    commitLatencyMs: (ops: readonly TxOp[], mode) => commitLatencyMs(options, random, ops.length, mode),
    openLatencyMs: (messages) => options.openMs + options.openPerMessageMs * messages,
  });
}

/** One transaction of `ops` rows. */
export function commitLatencyMs(model: DatabaseLatencyModel, random: Random, ops: number, mode: CommitDurability): number {
  const flushMs = mode === 'sync' ? model.walFlushMs.sample(random) : 0;
  return model.roundTripMs.sample(random) + model.perOpMs * ops + flushMs;
}
