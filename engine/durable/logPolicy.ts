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
