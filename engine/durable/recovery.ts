import type { Storage } from '../storage.ts';
import type { RecoveredMessage } from './liveMessages.ts';
import { RecordType, RecordWriter, SEGMENT_HEADER_BYTES, segmentFileName, segmentHeader, segmentNumberOf } from './records.ts';
import { headerNumber, ReplayState, type ReplayResult, type SegmentScan } from './replay.ts';

export type { RecoveredMessage } from './liveMessages.ts';

export interface RecoveryOptions {
  /**
   * `truncate`: on corruption, keep every record before the first damaged one, drop the rest (the
   * damaged segment's tail and every later segment) and report exactly what was dropped. Without
   * it, corruption is a LogCorruptionError and nothing is changed.
   */
  repair?: 'truncate';
}

/** One damage found and cut away by `repair: 'truncate'`. */
export interface RepairAction {
  /** The damaged (or missing) segment file. */
  file: string;
  /** Where the damage starts in it (-1: the file is missing). */
  offset: number;
  reason: string;
  /** Bytes cut from `file`, and whole segment files deleted after it. */
  droppedBytes: number;
  droppedSegments: string[];
}

export interface RecoveryReport {
  segments: number;
  bytes: number;
  records: number;
  exchanges: number;
  queues: number;
  bindings: number;
  messages: number;
  /** Bytes cut from the end of the last segment (a write torn by the crash). */
  truncatedBytes: number;
  /** Segment files deleted because a crash came before their header was durable (they held no record). */
  droppedEmptySegments: string[];
  /** The log ended with a clean-close marker: the broker was closed, not crashed. */
  cleanShutdown: boolean;
  /** What `repair: 'truncate'` cut away (empty when nothing was damaged). */
  repaired: RepairAction[];
  /** Time taken, on the broker's clock. */
  durationMs: number;
}

export interface RecoveredLog extends ReplayResult {
  report: Omit<RecoveryReport, 'durationMs'>;
}

/**
 * The log cannot be read back as written: a record damaged below a commit marker, a segment
 * missing that compaction never deleted, a sealed segment without its successor. Names the file
 * and the offset (-1 when the file itself is missing). Nothing has been changed on disk.
 */
export class LogCorruptionError extends Error {
  override name = 'LogCorruptionError';
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${file}: ${detail} (open with repair: 'truncate' to keep what is intact and drop the rest)`);
  }
}

/**
 * Reads a log directory back; see Recovery. A directory holding other files is refused, so a wrong
 * path cannot be mistaken for an empty log.
 */
export function recoverLog(storage: Storage, options: RecoveryOptions, done: (error: Error | null, log: RecoveredLog | null) => void): void {
  storage.list((listError, files) => {
    if (listError) return done(listError, null);
    const numbers: number[] = [];
    for (const file of files) {
      const n = segmentNumberOf(file);
      if (n === undefined) {
        return done(new Error(`not a queuelab log directory: unexpected file '${file}' (a log holds only segment-NNNNNNNN.qlog files)`), null);
      }
      numbers.push(n);
    }
    numbers.sort((a, b) => a - b);
    new Recovery(storage, options, numbers, done).start();
  });
}

/**
 * Every record's CRC is checked. Only the newest segment can be torn (a segment is written only
 * once the one before is synced and sealed), so:
 * - a last segment without its header is deleted: it never held a record;
 * - a bad record in the last segment with no valid record (commit marker, close marker) after it is
 *   a torn write, and the segment is truncated there; with one after it, it is corruption;
 * - the second-to-last segment may lack its seal (and be torn) only if the last holds nothing but its
 *   header: a roll interrupted by the crash; that empty last segment is then deleted;
 * - any other damage, a gap in the numbering, a first segment whose predecessors no Compacted record
 *   covers, or a last segment that is sealed is corruption, reported with file and offset.
 * Every change recovery makes (delete, truncate) is durable before it goes on, so a crash during
 * recovery leaves a log the next recovery accepts.
 */
class Recovery {
  private readonly state = new ReplayState();
  private readonly droppedEmpty: string[] = [];
  private readonly repaired: RepairAction[] = [];
  private lastData: Uint8Array = new Uint8Array(0);
  /** What replay found in each segment, by index. */
  private readonly scans: SegmentScan[] = [];

  constructor(
    private readonly storage: Storage,
    private readonly options: RecoveryOptions,
    private numbers: number[],
    private readonly done: (error: Error | null, log: RecoveredLog | null) => void,
  ) {}

  start(): void {
    for (let i = 1; i < this.numbers.length; i++) {
      if (this.numbers[i] !== this.numbers[i - 1]! + 1) {
        const file = segmentFileName(this.numbers[i - 1]! + 1);
        const detail = `missing (segments ${segmentFileName(this.numbers[i - 1]!)} and ${segmentFileName(this.numbers[i]!)} are present)`;
        return this.corrupt({ index: i - 1, file, offset: -1, detail, cut: 'after' }, () => this.readLast());
      }
    }
    this.readLast();
  }

  /** Reads the last segment first: whether it holds records decides how the one before may end. */
  private readLast(): void {
    if (this.numbers.length === 0) return this.conclude();
    const number = this.numbers[this.numbers.length - 1]!;
    const file = segmentFileName(number);
    this.storage.read(file, (error, data) => {
      if (error || data === null) return this.done(error ?? new Error(`read ${file} returned nothing`), null);
      if (!isUnbornSegment(data, number)) {
        this.lastData = data;
        return this.replay(0);
      }
      this.droppedEmpty.push(file);
      this.numbers.pop();
      this.storage.delete(file, (deleteError) => (deleteError ? this.done(deleteError, null) : this.readLast()));
    });
  }

  private replay(index: number): void {
    if (index === this.numbers.length) return this.conclude();
    const isLast = index === this.numbers.length - 1;
    if (isLast) return this.replayData(index, this.lastData);
    const file = segmentFileName(this.numbers[index]!);
    this.storage.read(file, (error, data) => (error || data === null ? this.done(error ?? new Error(`read ${file} returned nothing`), null) : this.replayData(index, data)));
  }

  private replayData(index: number, data: Uint8Array): void {
    const number = this.numbers[index]!;
    const file = segmentFileName(number);
    const isLast = index === this.numbers.length - 1;
    const named = headerNumber(data);
    const conclude = () => this.conclude();
    if (named === undefined) return this.corrupt({ index, file, offset: 0, detail: 'not a queuelab segment (bad header at offset 0)', cut: 'whole', bytes: data.length }, conclude);
    if (named !== number) return this.corrupt({ index, file, offset: 0, detail: `header names segment ${named}`, cut: 'whole', bytes: data.length }, conclude);
    const scan = this.state.replaySegment(number, data);
    this.scans[index] = scan;
    const lastIsEmpty = index === this.numbers.length - 2 && this.lastData.length === SEGMENT_HEADER_BYTES;
    const mayTear = isLast || (lastIsEmpty && scan.lastType !== RecordType.Seal);
    const afterTail = () => this.checkSeal(index, file, scan, data.length);
    if (scan.badAt === undefined) return afterTail();
    const detail = `corrupt record at offset ${scan.badAt} (${scan.reason})`;
    if (!mayTear || scan.validAfter === true) {
      const full = `${detail}${scan.validAfter === true ? ', with valid records after it' : ''}`;
      return this.corrupt({ index, file, offset: scan.badAt, detail: full, cut: 'at', bytes: data.length - scan.badAt }, conclude);
    }
    this.state.truncatedBytes += data.length - scan.badAt;
    this.storage.truncate(file, scan.badAt, (error) => (error ? this.done(error, null) : afterTail()));
  }

  /** A segment that is not the last must end with its seal, unless the last is an interrupted roll's empty segment. */
  private checkSeal(index: number, file: string, scan: SegmentScan, size: number): void {
    const isLast = index === this.numbers.length - 1;
    if (isLast || scan.lastType === RecordType.Seal) return this.replay(index + 1);
    const next = segmentFileName(this.numbers[index + 1]!);
    if (index === this.numbers.length - 2 && this.lastData.length === SEGMENT_HEADER_BYTES) {
      this.droppedEmpty.push(next);
      this.numbers.pop();
      return this.storage.delete(next, (error) => (error ? this.done(error, null) : this.conclude()));
    }
    this.corrupt({ index, file, offset: size, detail: `ends without its seal, yet ${next} follows it`, cut: 'after' }, () => this.conclude());
  }

  private conclude(): void {
    const first = this.numbers[0];
    const compacted = this.state.compactedUpTo;
    if (first !== undefined && first > compacted + 1) {
      const missing = segmentFileName(compacted + 1);
      const detail = `missing: no Compacted record covers segments ${compacted + 1} to ${first - 1}, so they were lost, not compacted`;
      if (this.options.repair !== 'truncate') return this.done(new LogCorruptionError(missing, -1, detail), null);
      this.repaired.push({ file: missing, offset: -1, reason: detail, droppedBytes: 0, droppedSegments: [] });
      return this.appendToLast([{ type: RecordType.Compacted, segment: first - 1 }], () => this.concludeSeal());
    }
    this.concludeSeal();
  }

  /** A sealed last segment had a successor once (it was created before the seal was written). */
  private concludeSeal(): void {
    const last = this.numbers[this.numbers.length - 1];
    const scan = this.scans[this.numbers.length - 1];
    if (last === undefined || scan === undefined || scan.lastType !== RecordType.Seal) return this.finish();
    const missing = segmentFileName(last + 1);
    const detail = `missing: ${segmentFileName(last)} was sealed after it had been created`;
    if (this.options.repair !== 'truncate') return this.done(new LogCorruptionError(missing, -1, detail), null);
    // Drop the seal too, so the next open does not look for the successor again.
    const file = segmentFileName(last);
    this.repaired.push({ file: missing, offset: -1, reason: detail, droppedBytes: 0, droppedSegments: [] });
    this.storage.truncate(file, scan.lastOffset, (error) => (error ? this.done(error, null) : this.finish()));
  }

  private finish(): void {
    const result = this.state.finish(this.numbers);
    this.done(null, {
      ...result,
      report: {
        ...result.report,
        droppedEmptySegments: this.droppedEmpty,
        cleanShutdown: this.scans[this.numbers.length - 1]?.lastType === RecordType.Close,
        repaired: this.repaired,
      },
    });
  }

  /**
   * Corruption: an error, or with `repair: 'truncate'` the damage is cut away — the damaged segment
   * from `offset` (`at`), or whole (`whole`), and every later segment — then `then` goes on with
   * what was kept (the records before the damage were already replayed).
   */
  private corrupt(damage: Damage, then: () => void): void {
    const { index, file, offset, detail, cut } = damage;
    if (this.options.repair !== 'truncate') return this.done(new LogCorruptionError(file, offset, detail), null);
    const later = this.numbers.slice(index + 1).map(segmentFileName);
    const droppedSegments = cut === 'whole' ? [file, ...later] : later;
    this.repaired.push({ file, offset, reason: detail, droppedBytes: cut === 'at' ? damage.bytes ?? 0 : 0, droppedSegments });
    this.numbers = this.numbers.slice(0, cut === 'whole' ? index : index + 1);
    const deleteNext = (files: string[]): void => {
      if (files.length > 0) return this.storage.delete(files.pop()!, (error) => (error ? this.done(error, null) : deleteNext(files)));
      if (cut !== 'at') return then();
      this.storage.truncate(file, offset, (error) => (error ? this.done(error, null) : then()));
    };
    deleteNext([...droppedSegments]);
  }

  /** Appends records (and a commit marker) to the last segment, synced. */
  private appendToLast(records: { type: RecordType.Compacted; segment: number }[], then: () => void): void {
    const last = this.numbers[this.numbers.length - 1];
    if (last === undefined) return then();
    const writer = new RecordWriter();
    for (const record of records) writer.record(record);
    writer.record({ type: RecordType.Commit });
    const file = segmentFileName(last);
    this.storage.append(file, writer.take(), (error) => {
      if (error) return this.done(error, null);
      this.storage.sync(file, (syncError) => (syncError ? this.done(syncError, null) : then()));
    });
  }
}

interface Damage {
  index: number;
  file: string;
  offset: number;
  detail: string;
  /** What repair cuts: from `offset` on, the whole segment, or only the segments after it. */
  cut: 'at' | 'whole' | 'after';
  bytes?: number;
}

/**
 * A segment whose header never made it to disk: empty, a prefix of the header it should carry, or
 * zeros (a file extended but not written). Anything else with a bad header is not ours.
 */
function isUnbornSegment(data: Uint8Array, number: number): boolean {
  if (data.length >= SEGMENT_HEADER_BYTES && headerNumber(data) !== undefined) return false;
  if (data.every((b) => b === 0)) return true;
  const expected = segmentHeader(number);
  return data.length < SEGMENT_HEADER_BYTES && data.every((b, i) => b === expected[i]);
}
