import type pg from 'pg';
import type { CommitDurability, CommittedState, TxBackend, TxOp } from '../../durable/txStore/backend.ts';
import { connectPostgres, PostgresStoreError, redactUrl } from './connection.ts';
import { readCommittedState } from './committedState.ts';
import { ensureSchema } from './schema.ts';
import { transactionSql } from './transactionSql.ts';

export interface PostgresBackendOptions {
  /** postgres://user:password@host:port/database (or a Unix socket: ?host=/dir). */
  url: string;
  /** The schema (namespace) holding the store's tables; it must exist (default "public"). */
  schema?: string;
  /** 'sync': a commit is acknowledged once durable; 'async': synchronous_commit = off (default 'sync'). */
  durability?: CommitDurability;
  /** How long open waits for the store's lock while a previous broker's session ends (default 10 s). */
  lockWaitMs?: number;
}

/** What decides a commit's latency and durability, as the server runs it. */
export const REPORTED_SETTINGS = ['server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'wal_writer_delay', 'commit_delay', 'full_page_writes'];

interface PendingCommit {
  sql: string;
  /** Set when the ops could not be turned into SQL (nothing is sent). */
  invalid?: Error;
  done: (error: Error | null) => void;
}

/**
 * The transactional store's backend on PostgreSQL: one connection, one transaction per commit().
 *
 * One connection and one transaction at a time, in issue order, because the ops of a later
 * commit may depend on an earlier one (a settle of the message the earlier one enqueued): run on
 * two connections they could commit in the other order. Grouping several publishes into one
 * transaction is the store's job; here each commit is one round trip (transactionSql.ts).
 *
 * Fail-stop: once a commit fails (the server went away, a statement was refused), that commit and
 * every later one report the error and nothing more is sent, so a commit acknowledged as done
 * always follows only acknowledged ones. Reopen to go on, as the broker restarts after a storage
 * failure of the file log.
 */
export class PostgresBackend implements TxBackend {
  private readonly schema: string;
  private readonly where: string;
  private client: pg.Client | undefined;
  private readonly queue: PendingCommit[] = [];
  private busy = false;
  private failure: Error | undefined;
  private abandoned = false;
  private onDrained: (() => void) | undefined;

  constructor(private readonly options: PostgresBackendOptions) {
    this.schema = options.schema ?? 'public';
    this.where = redactUrl(options.url);
  }

  open(done: (error: Error | null, state: CommittedState | null) => void): void {
    this.openAsync().then(
      (state) => done(null, state),
      (error: Error) => done(error, null),
    );
  }

  /** The promise form of open(). */
  async openAsync(): Promise<CommittedState> {
    const client = await connectPostgres(this.options.url, 'qlab broker');
    try {
      await this.lockStore(client);
      await ensureSchema(client, this.schema, this.where);
      await client.query(`SET synchronous_commit = ${this.options.durability === 'async' ? 'off' : 'on'}`);
      const state = await readCommittedState(client, this.schema);
      if (this.abandoned) throw new Error('abandoned while opening');
      this.client = client;
      return state;
    } catch (error) {
      await client.end().catch(() => {});
      if (error instanceof PostgresStoreError) throw error;
      throw new PostgresStoreError('query', `PostgreSQL at ${this.where}: opening the store failed: ${(error as Error).message}`);
    }
  }

  commit(ops: readonly TxOp[], done: (error: Error | null) => void): void {
    if (this.abandoned) return;
    const pending: PendingCommit = { sql: '', done };
    try {
      pending.sql = transactionSql(ops, this.schema);
    } catch (error) {
      pending.invalid = new Error(`commit refused before reaching PostgreSQL: ${(error as Error).message}`);
    }
    this.queue.push(pending);
    this.pump();
  }

  close(done: (error: Error | null) => void): void {
    const finish = () => {
      const client = this.client;
      this.client = undefined;
      if (client === undefined) return done(this.failure ?? null);
      client.end().then(
        () => done(this.failure ?? null),
        (error: Error) => done(error),
      );
    };
    if (this.busy || this.queue.length > 0) this.onDrained = finish;
    else finish();
  }

  abandon(): void {
    this.abandoned = true;
    this.queue.length = 0;
    this.onDrained = undefined;
    // Cut the socket without the Terminate message: a transaction not yet sent is never sent; one
    // already on the wire is the server's to finish or roll back, as when a broker process dies.
    const stream = (this.client as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream;
    stream?.destroy();
    this.client = undefined;
  }

  /**
   * The settings the broker's own session runs with (synchronous_commit among them), for reports
   * and tests: read through the store's connection, between two commits.
   */
  async serverSettings(): Promise<Record<string, string>> {
    if (this.client === undefined) throw new Error('the PostgreSQL store is not open');
    const result = await this.client.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1) ORDER BY name', [REPORTED_SETTINGS]);
    return Object.fromEntries(result.rows.map((r) => [r.name, r.setting]));
  }

  private pump(): void {
    if (this.busy || this.abandoned) return;
    const next = this.queue.shift();
    if (next === undefined) {
      const drained = this.onDrained;
      this.onDrained = undefined;
      drained?.();
      return;
    }
    const failure = this.failure ?? next.invalid ?? (this.client === undefined ? new Error('commit on a PostgreSQL store that is not open') : undefined);
    if (failure !== undefined || next.sql === '') {
      if (next.invalid !== undefined) this.failure ??= next.invalid;
      next.done(failure ?? null);
      this.pump();
      return;
    }
    this.busy = true;
    this.client!.query(next.sql).then(
      () => this.settle(next, null),
      (error: Error) => {
        this.failure ??= new Error(`PostgreSQL at ${this.where}: commit failed, nothing of it committed (or, if the connection was lost during COMMIT, its outcome is unknown): ${error.message}`);
        this.settle(next, this.failure);
      },
    );
  }

  private settle(commit: PendingCommit, error: Error | null): void {
    this.busy = false;
    if (this.abandoned) return;
    commit.done(error);
    this.pump();
  }

  /** One broker per store: a session-level advisory lock, released by the server when the session ends. */
  private async lockStore(client: pg.Client): Promise<void> {
    const key = `qlab store ${this.schema}`;
    const deadline = Date.now() + (this.options.lockWaitMs ?? 10_000);
    for (;;) {
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
      if (result.rows[0]!.locked) return;
      if (Date.now() >= deadline) {
        throw new PostgresStoreError('query', `PostgreSQL at ${this.where}: another broker holds the store in schema "${this.schema}" (its advisory lock is taken)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
