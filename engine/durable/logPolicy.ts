/** How the durable log writes: fsync policy, batching, segment size and count. */
export type FsyncPolicy = 'always' | 'batch' | 'never';

export interface LogPolicy {
  fsync: FsyncPolicy;
  /** With `batch`: sync at most this long after the first unsynced record. */
  batchMs: number;
  /** With `batch`: sync as soon as this many records are unsynced. */
  batchRecords: number;
  /** Start a new segment once the active one reaches this size. */
  segmentBytes: number;
  /** Past this many segments, live messages of the oldest are copied forward so it can go. */
  maxSegments: number;
}

export const DEFAULT_LOG_POLICY: LogPolicy = {
  fsync: 'batch',
  batchMs: 5,
  batchRecords: 10_000,
  segmentBytes: 16 * 1024 * 1024,
  maxSegments: 8,
};

export interface SegmentState {
  number: number;
  bytes: number;
  /** Messages enqueued in this segment and not yet settled (or copied forward). */
  live: number;
  /** Sequence number of the last record that settled one of its messages. */
  lastSettleSeq: number;
  /** Its last record's sequence number (Infinity while it is the active segment). */
  lastSeq: number;
}

/**
 * What the log should do about unsynced records now: sync; sync a batch group (which replaces the
 * pending batch timer); make sure the batch timer runs; or wait.
 */
export type SyncStep = 'sync' | 'sync-group' | 'arm-batch-timer' | 'wait';

/**
 * The fsync policy's decision, from the log's state. `always` (or a forced sync) syncs whenever no
 * sync runs, so concurrent records share one. `batch` syncs at `batchRecords` unsynced records, or
 * when the log is idle with a confirm waiting — everything handed over is written and nothing waits
 * to be, so waiting out `batchMs` would only delay confirms nobody adds to (a publisher with a
 * window of unconfirmed messages waits for exactly these; that made batch slower than always at
 * 128–256 in flight); records nobody waits for (acks, settles) keep the batch timer. `never` waits.
 */
export function syncStep(
  policy: LogPolicy,
  log: { unsyncedRecords: number; forced: boolean; syncsInFlight: number; idleWithConfirmWaiting: boolean },
): SyncStep {
  if (policy.fsync === 'always' || log.forced) return log.syncsInFlight === 0 ? 'sync' : 'wait';
  if (policy.fsync !== 'batch') return 'wait';
  const groupFull = log.unsyncedRecords >= policy.batchRecords;
  return (groupFull || log.idleWithConfirmWaiting) && log.syncsInFlight === 0 ? 'sync-group' : 'arm-batch-timer';
}
