import { z } from 'zod';
import { DistributionSpec } from '../dist/spec.ts';

/**
 * The durability design a scenario chooses (`broker.durability.store`) and the PostgreSQL store's
 * settings. Kept apart from schema.ts: schema.ts spreads STORE_FIELDS into its durability object
 * and refines it with checkStore.
 */
const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();

const DEFAULT_LATENCY = {
  roundTripMs: { dist: 'lognormal' as const, mean: 0.2, scv: 0.3 },
  walFlushMs: { dist: 'lognormal' as const, mean: 1, scv: 0.5 },
  perOpMs: 0.01,
  openMs: 5,
  openPerMessageMs: 0.002,
};

export const DatabaseLatencySpec = z
  .strictObject({
    roundTripMs: DistributionSpec.default(DEFAULT_LATENCY.roundTripMs).describe('Per transaction: the client/server round trip and statement execution.'),
    walFlushMs: DistributionSpec.default(DEFAULT_LATENCY.walFlushMs).describe('Per transaction with synchronousCommit on: the WAL flush (fsync) the commit waits for.'),
    perOpMs: nonNegative.default(DEFAULT_LATENCY.perOpMs).describe('Per row written (enqueue, delivery, settlement, topology change).'),
    openMs: nonNegative.default(DEFAULT_LATENCY.openMs).describe('Connecting and starting to read the committed state at broker start.'),
    openPerMessageMs: nonNegative.default(DEFAULT_LATENCY.openPerMessageMs).describe('Reading back each unsettled message at broker start.'),
  })
  .describe('The simulated database’s commit latency model (assumed defaults; `qlab calibrate` measures a real server).');

export const PostgresStoreSpec = z
  .strictObject({
    commit: z.enum(['perPublish', 'group']).default('perPublish').describe('perPublish: one transaction per publish; group: ops that arrive while a commit is in flight (or within groupMs, up to groupMaxOps) share one transaction.'),
    groupMaxOps: z.number().int().positive().default(1000).describe('group: commit early once this many ops wait.'),
    groupMs: nonNegative.default(2).describe('group: the longest an op waits for its transaction when none is in flight.'),
    synchronousCommit: z.enum(['on', 'off']).default('on').describe('on: a commit is acknowledged once its WAL is flushed; off: at once, flushed within walWriterDelayMs (a database crash loses that window).'),
    walWriterDelayMs: positive.default(200).describe('PostgreSQL’s wal_writer_delay: how often asynchronous commits are flushed.'),
    latency: DatabaseLatencySpec.default(DEFAULT_LATENCY),
  })
  .describe('The transactional message store in PostgreSQL (simulated in virtual time).');
export type PostgresStoreSpec = z.infer<typeof PostgresStoreSpec>;

export const STORE_FIELDS = {
  store: z.enum(['log', 'postgres']).optional().describe('log (default): the segmented file log, tuned by fsync; postgres: the transactional store in a database, tuned by postgres.'),
  postgres: PostgresStoreSpec.optional(),
};

/** The log needs its fsync policy; the database store takes its settings under `postgres` (filled with defaults). */
export function checkStore(d: { store?: 'log' | 'postgres'; fsync?: string; postgres?: unknown }, ctx: z.RefinementCtx): void {
  const postgres = d.store === 'postgres';
  if (!postgres && d.fsync === undefined) ctx.addIssue({ code: 'custom', path: ['fsync'], message: 'the log store needs fsync: always, batch or never' });
  if (postgres && d.fsync !== undefined) ctx.addIssue({ code: 'custom', path: ['fsync'], message: 'fsync is the log’s setting; the postgres store takes postgres.synchronousCommit' });
  if (!postgres && d.postgres !== undefined) ctx.addIssue({ code: 'custom', path: ['postgres'], message: 'postgres settings need store: "postgres"' });
}

export const DatabaseCrashFaultSpec = z
  .strictObject({
    kind: z.literal('database-crash'),
    atSec: z.array(nonNegative).min(1).describe('The database server dies (immediate shutdown) at these times…'),
    downSec: positive.default(5).describe('…and is back this long after: meanwhile every commit fails (confirms are nacks), then the broker reloads the committed state.'),
  })
  .describe('PostgreSQL store only: the database crashes. Unlike a broker crash, it loses asynchronous commits (synchronousCommit off) not yet flushed.');
