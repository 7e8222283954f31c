import type { Clock } from '../../clock.ts';
import type { CommitDurability, CommittedState, TxBackend, TxOp } from './backend.ts';
import { CommittedStateBuilder } from './committedState.ts';

export interface MemoryDatabaseOptions {
  /** 'sync': a commit is acknowledged once durable; 'async' (synchronous_commit = off): once visible. */
  durability?: CommitDurability;
  /** With 'async', acknowledged commits become durable at the next WAL writer wake-up, every this many ms (PostgreSQL's wal_writer_delay, 200 ms). */
  walWriterDelayMs?: number;
  /** How long one commit of `ops` takes, from when the connection is free. */
  commitLatencyMs?: (ops: readonly TxOp[], durability: CommitDurability) => number;
  /** How long connecting and reading the committed state (`messages` unsettled rows) takes. */
  openLatencyMs?: (messages: number) => number;
}

/**
 * A database in memory with PostgreSQL's crash semantics, on an injected clock (the world's, which
 * outlives any broker process): what a commit acknowledged under 'sync' survives everything; under
 * 'async' it is visible at once (a broker that crashes and reopens sees it) but becomes durable only
 * when the WAL writer next wakes, so a database crash loses the commits of that last window. A
 * commit that has not been acknowledged is never applied. Each broker instance talks to it through
 * its own connection (`connect()`), which serves one commit at a time, in order.
 */
export class MemoryDatabase {
  readonly durability: CommitDurability;
  readonly walWriterDelayMs: number;
  private durable = new CommittedStateBuilder();
  private visible = new CommittedStateBuilder();
  /** Acknowledged 'async' commits not yet flushed, oldest first. */
  private unflushed: (readonly TxOp[])[] = [];
  private walTimer = -1;
  private downUntilMs = -Infinity;
  /** Bumped by every crash: connections opened before it are broken. */
  private epoch = 0;
  /** Commits acknowledged, and ops lost by database crashes (for tests and reports). */
  commits = 0;
  lostCommits = 0;

  constructor(
    readonly clock: Clock,
    private readonly options: MemoryDatabaseOptions = {},
  ) {
    this.durability = options.durability ?? 'sync';
    this.walWriterDelayMs = options.walWriterDelayMs ?? 200;
    if (!(this.walWriterDelayMs > 0)) throw new Error(`walWriterDelayMs must be > 0, got ${this.walWriterDelayMs}`);
  }

  get up(): boolean {
    return this.clock.now() >= this.downUntilMs;
  }

  /** When the database is (or was) back after its last crash. */
  get upAtMs(): number {
    return Math.max(this.downUntilMs, this.clock.now());
  }

  /** A new connection for one broker instance. */
  connect(): TxBackend {
    return new MemoryConnection(this);
  }

  /**
   * The database process dies and restarts after `downMs`: unflushed async commits are lost, every
   * open connection is broken (its in-flight and later commits fail), and until it is back, opening
   * fails too.
   */
  crash(downMs = 0): void {
    this.lostCommits += this.unflushed.length;
    this.unflushed = [];
    if (this.walTimer !== -1) this.clock.cancelTimer(this.walTimer);
    this.walTimer = -1;
    this.visible = CommittedStateBuilder.from(this.durable.snapshot());
    this.epoch++;
    this.downUntilMs = this.clock.now() + downMs;
  }

  /** What a reader sees now (acknowledged commits, durable or not). */
  committedState(): CommittedState {
    return this.visible.snapshot();
  }

  /** What would survive a database crash now. */
  durableState(): CommittedState {
    return this.durable.snapshot();
  }

  openLatencyMs(): number {
    return this.options.openLatencyMs?.(this.visible.messageCount) ?? 1;
  }

  commitLatencyMs(ops: readonly TxOp[]): number {
    return this.options.commitLatencyMs?.(ops, this.durability) ?? 1;
  }

  currentEpoch(): number {
    return this.epoch;
  }

  /** Applies an acknowledged commit. A 'sync' commit flushes the WAL up to itself, so every earlier async commit too. */
  apply(ops: readonly TxOp[]): void {
    this.commits++;
    this.visible.applyAll(ops);
    if (this.durability === 'sync') {
      this.flushWal();
      this.durable.applyAll(ops);
      return;
    }
    this.unflushed.push(ops);
    if (this.walTimer !== -1) return;
    const wakeMs = (Math.floor(this.clock.now() / this.walWriterDelayMs) + 1) * this.walWriterDelayMs;
    this.walTimer = this.clock.setTimer(wakeMs, () => {
      this.walTimer = -1;
      this.flushWal();
    });
  }

  private flushWal(): void {
    for (const ops of this.unflushed) this.durable.applyAll(ops);
    this.unflushed = [];
  }
}

/** One broker instance's connection: commits are served one at a time, in issue order. */
class MemoryConnection implements TxBackend {
  private epoch = -1;
  private busyUntilMs = -Infinity;
  private abandoned = false;

  constructor(private readonly db: MemoryDatabase) {}

  open(done: (error: Error | null, state: CommittedState | null) => void): void {
    const { clock } = this.db;
    clock.setTimer(clock.now() + this.db.openLatencyMs(), () => {
      if (this.abandoned) return;
      if (!this.db.up) return done(new Error('cannot connect to the database: it is down'), null);
      this.epoch = this.db.currentEpoch();
      done(null, this.db.committedState());
    });
  }

  commit(ops: readonly TxOp[], done: (error: Error | null) => void): void {
    const { clock } = this.db;
    const startMs = Math.max(clock.now(), this.busyUntilMs);
    this.busyUntilMs = startMs + this.db.commitLatencyMs(ops);
    clock.setTimer(this.busyUntilMs, () => {
      if (this.abandoned) return;
      if (this.epoch !== this.db.currentEpoch() || !this.db.up) return done(new Error('the database connection was lost (database crash)'));
      this.db.apply(ops);
      done(null);
    });
  }

  close(done: (error: Error | null) => void): void {
    const { clock } = this.db;
    clock.setTimer(Math.max(clock.now(), this.busyUntilMs), () => done(null));
  }

  abandon(): void {
    this.abandoned = true;
  }
}
