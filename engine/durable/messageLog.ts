import type { Clock, TimerId } from '../clock.ts';
import type { Storage } from '../storage.ts';
import { RecordType, RecordWriter, SEGMENT_HEADER_BYTES, segmentFileName, type LogRecord, type Topology } from './records.ts';
import { SegmentCreator } from './segmentCreator.ts';
import { syncStep, type LogPolicy, type SegmentState } from './logPolicy.ts';

const COMMIT: LogRecord = { type: RecordType.Commit };
const CLOSE: LogRecord = { type: RecordType.Close };
const SEAL: LogRecord = { type: RecordType.Seal };

export { DEFAULT_LOG_POLICY, type FsyncPolicy, type LogPolicy, type SegmentState } from './logPolicy.ts';

interface SyncMark {
  endSeq: number;
  done: boolean;
}

interface QueuedWrite {
  file: string;
  bytes: Uint8Array;
  endSeq: number;
  lastOfSegment: boolean;
  /** Not handed to storage before every record up to this one is synced (0: no wait). */
  barrierSeq: number;
  /** Not handed to storage before this segment's header is durable (0: no wait). */
  awaitSegment: number;
}

interface Waiter {
  seq: number;
  callback: (ack: boolean) => void;
}

/**
 * The write side of the durable log. Records get consecutive sequence numbers and are encoded into
 * a buffer; the buffer goes to storage as one append whenever no append is in flight, so records
 * written while the disk is busy share the next write. Durability is tracked as watermarks:
 * `writtenSeq` (appends completed) and `syncedSeq` (covered by completed syncs, in issue order).
 * `whenDurable(seq, cb)` calls back once the policy's promise holds for record `seq`:
 *   always — synced; a sync starts as soon as none is running, so concurrent publishes share one
 *            (group commit);
 *   batch  — synced; a sync starts `batchMs` after the first unsynced record, at `batchRecords`,
 *            or as soon as the log is idle (all handed over written, nothing queued) while a confirm
 *            waits and no sync runs: a steady stream of writes is batched, a lull syncs at once;
 *   never  — written (the operating system flushes when it likes).
 * A storage error fails the log: every waiting and later confirm is negative.
 */
export class MessageLog {
  private readonly writer = new RecordWriter();
  private nextSeq = 1;
  /** Last record handed to storage. */
  private handedSeq = 0;
  private writtenSeq = 0;
  private syncedSeq = 0;
  private writing = false;
  /** The file the latest append went to: where a sync must go to cover it. */
  private lastHandedFile = '';
  private readonly syncMarks: SyncMark[] = [];
  private syncsInFlight = 0;
  private lastSyncIssuedSeq = 0;
  private batchTimer: TimerId = -1;
  private readonly waiters: Waiter[] = [];
  private readonly afterSync: (() => void)[] = [];
  /** syncAll asked for a sync whatever the policy. */
  private forcedSyncSeq = 0;
  private failure: Error | null = null;
  private stopped = false;
  private deleting = false;
  private closing = false;
  readonly segments: SegmentState[];
  private active!: SegmentState;
  /** Encoded records waiting for their append, each bound to its segment file. */
  private readonly queuedWrites: QueuedWrite[] = [];
  /** The first write of a new segment waits until the previous segment is synced up to this record. */
  private pendingBarrierSeq = 0;
  private pendingAwaitSegment = 0;
  private readonly creator: SegmentCreator;
  /** The newest segment a durable Compacted record allows deleting, and that record's sequence number. */
  private compactedLogged = 0;
  private compactedLoggedSeq = 0;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    readonly policy: LogPolicy,
    existingSegments: SegmentState[],
    firstSegment: number,
    topology: Topology,
    /** Called after a roll with the oldest segment when it still holds live messages past maxSegments. */
    private readonly copyForward: (segment: SegmentState) => void,
  ) {
    this.segments = [...existingSegments];
    this.creator = new SegmentCreator(storage, firstSegment - 1, this.creatorView(), () => !this.writing && this.handOver(), (error) => this.fail(error));
    this.startSegment(firstSegment, topology);
  }

  get failed(): Error | null {
    return this.failure;
  }

  get activeSegment(): number {
    return this.active.number;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The watermark the policy promises on: every record at or below it is as durable as promised. */
  get durableSeq(): number {
    return this.policy.fsync === 'never' ? Math.max(this.writtenSeq, this.syncedSeq) : this.syncedSeq;
  }

  /** Appends a record; returns its sequence number. */
  append(record: LogRecord): number {
    const seq = this.nextSeq++;
    this.active.bytes += this.writer.record(record);
    if (!this.writing) this.handOver();
    return seq;
  }

  /** Counts a message enqueued into the active segment; returns the segment number. */
  noteEnqueued(): number {
    this.active.live++;
    return this.active.number;
  }

  /** A message of `segment` was settled (or copied forward) by record `seq`. */
  noteSettled(segment: number, seq: number): void {
    const state = this.segments.find((s) => s.number === segment);
    if (state === undefined) return;
    state.live--;
    state.lastSettleSeq = Math.max(state.lastSettleSeq, seq);
    if (state === this.segments[0]) this.compact();
  }

  /** Rolls to a new segment if the active one is full; the new one starts with the topology. */
  maybeRoll(topology: () => Topology): void {
    if (this.active.bytes < this.policy.segmentBytes) return;
    const previous = this.active;
    previous.lastSeq = this.lastSeq;
    this.startSegment(previous.number + 1, topology());
    const oldest = this.segments[0]!;
    if (this.segments.length > this.policy.maxSegments && oldest.live > 0 && oldest !== this.active) this.copyForward(oldest);
  }

  /** Calls back with true once record `seq` is as durable as the policy promises (false if the log failed). */
  whenDurable(seq: number, callback: (ack: boolean) => void): void {
    if (this.failure !== null) return callback(false);
    if (seq <= this.durableSeq) return callback(true);
    this.waiters.push({ seq, callback });
  }

  /** Syncs everything appended so far, whatever the policy; calls back when done. */
  syncAll(done: (error: Error | null) => void): void {
    const target = this.lastSeq;
    if (this.failure !== null) return done(this.failure);
    if (this.syncedSeq >= target) return done(null);
    this.forcedSyncSeq = Math.max(this.forcedSyncSeq, target);
    const check = () => {
      if (this.failure !== null) return done(this.failure);
      if (this.syncedSeq >= target) return done(null);
      this.afterSync.push(check);
    };
    this.afterSync.push(check);
    this.syncAsPolicySays();
  }

  /** Stops all timers and callbacks without further I/O (a crash, or after close). */
  stop(): void {
    this.stopped = true;
    if (this.batchTimer !== -1) this.clock.cancelTimer(this.batchTimer);
    this.batchTimer = -1;
  }

  /**
   * Calls back once the segment this log started with exists durably (its header written and
   * synced), or with the error that prevented it: an unwritable directory fails here, at open.
   */
  whenStarted(callback: (error: Error | null) => void): void {
    if (this.failure !== null) return callback(this.failure);
    this.creator.whenStarted(callback);
  }

  /** Writes the active segment's tail and syncs everything appended so far, then marks a clean close. */
  close(done: (error: Error | null) => void): void {
    this.syncAll((error) => {
      if (error) return done(error);
      this.closing = true; // nothing (no compaction) may follow the close marker
      this.append(CLOSE);
      this.syncAll(done);
    });
  }

  /**
   * Starts segment `number` in three steps, so that a crash at any point leaves a log recovery
   * can tell from a damaged one:
   *   1. the new file gets its header, synced (with its directory entry) — until then it holds no
   *      record, so recovery may delete it if the header is missing;
   *   2. the previous segment gets its last records and a Seal, synced — a sealed segment promises
   *      that its successor exists, so a deleted last segment is detected;
   *   3. only then do records go to the new segment: a segment is written only once every segment
   *      before it is whole, so only the newest can be torn.
   * No sync is added to the group commit: the steps run once per segment.
   */
  private startSegment(number: number, topology: Topology): void {
    this.creator.request(number);
    const previous = this.segments[this.segments.length - 1];
    if (previous !== undefined) {
      this.flushToQueue();
      const sealSeq = this.nextSeq++;
      previous.bytes += this.writer.record(SEAL);
      previous.lastSeq = sealSeq;
      this.creator.sealed(previous.number, sealSeq);
      const bytes = this.writer.take();
      this.queuedWrites.push({ file: segmentFileName(previous.number), bytes, endSeq: sealSeq, lastOfSegment: true, barrierSeq: 0, awaitSegment: number });
      this.pendingBarrierSeq = sealSeq;
    }
    this.pendingAwaitSegment = number;
    const segment: SegmentState = { number, bytes: SEGMENT_HEADER_BYTES, live: 0, lastSettleSeq: 0, lastSeq: Infinity };
    this.segments.push(segment);
    this.active = segment;
    this.append({ type: RecordType.Snapshot, topology });
  }

  /** What the segment creator may see of the log. */
  private creatorView(): { readonly active: boolean; readonly syncedSeq: number } {
    const log = () => this;
    return {
      get active() {
        return !log().stopped && log().failure === null;
      },
      get syncedSeq() {
        return log().syncedSeq;
      },
    };
  }

  /** Moves the encoded records into the write queue, bound to the active segment's file. */
  private flushToQueue(lastOfSegment = false): void {
    if (this.writer.byteLength === 0) return;
    this.active.bytes += this.writer.record(COMMIT);
    this.queuedWrites.push({
      file: segmentFileName(this.active.number),
      bytes: this.writer.take(),
      endSeq: this.lastSeq,
      lastOfSegment,
      barrierSeq: this.pendingBarrierSeq,
      awaitSegment: this.pendingAwaitSegment,
    });
    this.pendingBarrierSeq = 0;
    this.pendingAwaitSegment = 0;
  }

  private handOver(): void {
    if (this.stopped || this.failure !== null) return;
    // Records stay in the writer while earlier writes wait, so they leave as one append.
    if (this.queuedWrites.length === 0) this.flushToQueue();
    const next = this.queuedWrites[0];
    // Resumed when the sync, or the new segment's creation, lands.
    if (next === undefined || next.barrierSeq > this.syncedSeq || next.awaitSegment > this.creator.created) return;
    this.queuedWrites.shift();
    this.writing = true;
    this.handedSeq = next.endSeq;
    this.lastHandedFile = next.file;
    this.storage.append(next.file, next.bytes, (error) => {
      if (this.stopped) return;
      this.writing = false;
      if (error) return this.fail(error);
      this.writtenSeq = next.endSeq;
      if (this.policy.fsync === 'never') this.release();
      this.handOver();
      this.syncAsPolicySays();
    });
    // A rolled segment's last records need their own sync: later syncs go to the new file.
    if (next.lastOfSegment) this.issueSync(next.file);
    this.syncAsPolicySays();
  }

  private syncAsPolicySays(): void {
    if (this.stopped || this.failure !== null || this.handedSeq <= this.lastSyncIssuedSeq) return;
    const step = syncStep(this.policy, {
      unsyncedRecords: this.handedSeq - this.lastSyncIssuedSeq,
      forced: this.forcedSyncSeq > this.syncedSeq,
      syncsInFlight: this.syncsInFlight,
      idleWithConfirmWaiting: this.waiters.length > 0 && !this.writing && this.queuedWrites.length === 0 && this.writtenSeq >= this.handedSeq,
    });
    if (step === 'sync') this.issueSync(this.lastHandedFile);
    else if (step === 'sync-group') {
      if (this.batchTimer !== -1) this.clock.cancelTimer(this.batchTimer);
      this.batchTimer = -1;
      this.issueSync(this.lastHandedFile);
    } else if (step === 'arm-batch-timer' && this.batchTimer === -1) {
      this.batchTimer = this.clock.setTimer(this.clock.now() + this.policy.batchMs, () => {
        this.batchTimer = -1;
        if (this.handedSeq > this.lastSyncIssuedSeq) this.issueSync(this.lastHandedFile);
      });
    }
  }

  private issueSync(file: string): void {
    if (this.stopped || this.failure !== null) return;
    const mark: SyncMark = { endSeq: this.handedSeq, done: false };
    this.lastSyncIssuedSeq = Math.max(this.lastSyncIssuedSeq, this.handedSeq);
    this.syncMarks.push(mark);
    this.syncsInFlight++;
    this.storage.sync(file, (error) => {
      if (this.stopped) return;
      this.syncsInFlight--;
      if (error) return this.fail(error);
      mark.done = true;
      // Syncs of different files may finish out of order; the watermark only moves over a done prefix.
      while (this.syncMarks.length > 0 && this.syncMarks[0]!.done) this.syncedSeq = Math.max(this.syncedSeq, this.syncMarks.shift()!.endSeq);
      this.release();
      for (const callback of this.afterSync.splice(0)) callback();
      if (!this.writing) this.handOver();
      this.creator.poll();
      this.syncAsPolicySays();
    });
  }

  /** Confirms every waiter the durable watermark has passed, then sees whether a segment can go. */
  private release(): void {
    const durable = this.durableSeq;
    let released = 0;
    while (released < this.waiters.length && this.waiters[released]!.seq <= durable) released++;
    for (const waiter of this.waiters.splice(0, released)) waiter.callback(true);
    this.compact();
  }

  /**
   * Deletes the oldest segment once nothing in it is needed: not the active one, no live message,
   * and every record that settled its messages (and its own last record) durable. Only the oldest
   * goes: a settle record in a newer segment may refer to a message in an older one.
   */
  private compact(): void {
    if (this.deleting || this.stopped || this.closing || this.failure !== null) return;
    const oldest = this.segments[0];
    if (oldest === undefined || oldest === this.active || oldest.live > 0) return;
    const durable = this.durableSeq;
    if (oldest.lastSettleSeq > durable || oldest.lastSeq > durable) return;
    // A deletion recovery cannot tell from a lost segment would hide data loss: the Compacted
    // record that allows it is synced first (a forced sync, once per segment, off the commit path).
    if (this.compactedLogged < oldest.number) {
      this.compactedLogged = oldest.number;
      this.compactedLoggedSeq = this.append({ type: RecordType.Compacted, segment: oldest.number });
      this.forcedSyncSeq = Math.max(this.forcedSyncSeq, this.compactedLoggedSeq);
      this.syncAsPolicySays();
      return;
    }
    if (this.compactedLoggedSeq > this.syncedSeq) return; // compact() runs again after each sync
    this.deleting = true;
    this.storage.delete(segmentFileName(oldest.number), (error) => {
      if (this.stopped) return;
      this.deleting = false;
      if (error) return this.fail(error);
      this.segments.shift();
      this.compact();
    });
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.callback(false);
    for (const callback of this.afterSync.splice(0)) callback();
    this.creator.failed(error);
  }
}
