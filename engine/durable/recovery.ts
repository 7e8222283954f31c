import type { Storage } from '../storage.ts';
import { LiveMessages } from './liveMessages.ts';
import type { SegmentState } from './messageLog.ts';
import {
  parseRecord,
  readSegmentHeader,
  RecordType,
  SEGMENT_HEADER_BYTES,
  segmentFileName,
  segmentHeader,
  segmentNumberOf,
  type EnqueueRecord,
  type Topology,
} from './records.ts';

export interface RecoveredMessage extends EnqueueRecord {
  segment?: number;
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
  /** Time taken, on the broker's clock. */
  durationMs: number;
}

export interface RecoveredLog {
  topology: Topology;
  /** Unsettled messages on durable queues, by queue, in arrival order. */
  messages: Map<string, RecoveredMessage[]>;
  segments: SegmentState[];
  nextSegment: number;
  nextLogId: number;
  report: Omit<RecoveryReport, 'durationMs'>;
}

export class LogCorruptionError extends Error {
  override name = 'LogCorruptionError';
}

const EMPTY_TOPOLOGY: Topology = { exchanges: [], queues: [], bindings: [] };

/**
 * Reads a log directory back. Every record's CRC is checked. A bad record at the end of the last
 * segment is a write torn by a crash: the segment is truncated there (nothing valid may follow it,
 * or it is not a torn write but corruption). Anything bad elsewhere is an error naming the file and
 * the offset: recovery never drops valid data silently. A directory holding other files is
 * refused, so a wrong path cannot be mistaken for an empty log.
 */
export function recoverLog(storage: Storage, done: (error: Error | null, log: RecoveredLog | null) => void): void {
  storage.list((listError, files) => {
    if (listError) return done(listError, null);
    const numbers: number[] = [];
    for (const file of files) {
      const n = segmentNumberOf(file);
      if (n === undefined) {
        return done(new LogCorruptionError(`not a queuelab log directory: unexpected file '${file}' (a log holds only segment-NNNNNNNN.qlog files)`), null);
      }
      numbers.push(n);
    }
    numbers.sort((a, b) => a - b);
    for (let i = 1; i < numbers.length; i++) {
      if (numbers[i] !== numbers[i - 1]! + 1) {
        return done(new LogCorruptionError(`segments missing between ${segmentFileName(numbers[i - 1]!)} and ${segmentFileName(numbers[i]!)}`), null);
      }
    }
    const state = new ReplayState();
    const readNext = (index: number): void => {
      if (index === numbers.length) return done(null, state.finish(numbers));
      const number = numbers[index]!;
      const file = segmentFileName(number);
      storage.read(file, (readError, data) => {
        if (readError || data === null) return done(readError ?? new Error(`read ${file} returned nothing`), null);
        const isLast = index === numbers.length - 1;
        if (isLast && isUnbornSegment(data, number)) {
          // Created, then the crash came before its header was written: it never held a record (its
          // first write carries the header), so it goes, durably, and the one before is the last.
          state.droppedSegments.push(file);
          return storage.delete(file, (deleteError) => (deleteError ? done(deleteError, null) : done(null, state.finish(numbers.slice(0, index)))));
        }
        const outcome = state.replaySegment(number, file, data, isLast);
        if (outcome.error) return done(outcome.error, null);
        if (outcome.truncateAt === undefined) return readNext(index + 1);
        state.truncatedBytes += data.length - outcome.truncateAt;
        storage.truncate(file, outcome.truncateAt, (truncateError) => (truncateError ? done(truncateError, null) : readNext(index + 1)));
      });
    };
    readNext(0);
  });
}

class ReplayState {
  topology: Topology = EMPTY_TOPOLOGY;
  readonly messages = new LiveMessages();
  readonly segmentLive = new Map<number, number>();
  /** Messages enqueued in the segment being replayed (counted locally: it is the hot path). */
  private currentSegment = -1;
  private currentLive = 0;
  readonly propertiesCache = new Map<string, unknown>();
  records = 0;
  bytes = 0;
  truncatedBytes = 0;
  maxLogId = 0;
  /** Empty or header-less tail segments deleted (left by a crash while being created). */
  readonly droppedSegments: string[] = [];

  replaySegment(number: number, file: string, data: Uint8Array, isLast: boolean): { error?: Error; truncateAt?: number } {
    this.bytes += data.length;
    this.segmentLive.set(number, 0);
    this.currentSegment = number;
    this.currentLive = 0;
    try {
      return this.replayRecords(number, file, data, isLast);
    } finally {
      this.segmentLive.set(number, this.segmentLive.get(number)! + this.currentLive);
      this.currentSegment = -1;
    }
  }

  private replayRecords(number: number, file: string, data: Uint8Array, isLast: boolean): { error?: Error; truncateAt?: number } {
    const headerNumber = readSegmentHeader(data);
    if (headerNumber === undefined) return { error: new LogCorruptionError(`${file}: not a queuelab segment (bad header at offset 0)`) };
    if (headerNumber !== number) return { error: new LogCorruptionError(`${file}: header names segment ${headerNumber}`) };
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let offset = SEGMENT_HEADER_BYTES;
    while (offset < data.length) {
      const parsed = parseRecord(data, view, offset, this.propertiesCache);
      if (!parsed.ok) {
        if (isLast && !validRecordFollows(data, view, offset + 1)) return { truncateAt: offset };
        return { error: new LogCorruptionError(`${file}: corrupt record at offset ${offset} (${parsed.reason})${isLast ? ', with valid records after it' : ''}`) };
      }
      this.apply(number, parsed.record);
      this.records++;
      offset = parsed.next;
    }
    return {};
  }

  private apply(segment: number, record: import('./records.ts').LogRecord): void {
    const t = this.topology;
    switch (record.type) {
      case RecordType.Snapshot:
        this.topology = record.topology;
        return;
      case RecordType.DeclareExchange:
        this.topology = { ...t, exchanges: [...t.exchanges.filter((e) => e.name !== record.exchange.name), record.exchange] };
        return;
      case RecordType.DeleteExchange:
        this.topology = {
          ...t,
          exchanges: t.exchanges.filter((e) => e.name !== record.name),
          bindings: t.bindings.filter((b) => b.exchange !== record.name),
        };
        return;
      case RecordType.DeclareQueue:
        this.topology = { ...t, queues: [...t.queues.filter((q) => q.name !== record.queue.name), record.queue] };
        return;
      case RecordType.DeleteQueue:
        this.topology = {
          ...t,
          queues: t.queues.filter((q) => q.name !== record.name),
          bindings: t.bindings.filter((b) => b.queue !== record.name),
        };
        for (const m of [...this.messages.values()]) if (m.queue === record.name) this.forget(m.logId, m);
        return;
      case RecordType.Bind: {
        const b = record.binding;
        if (!t.bindings.some((x) => sameBinding(x, b))) this.topology = { ...t, bindings: [...t.bindings, b] };
        return;
      }
      case RecordType.Unbind:
        this.topology = { ...t, bindings: t.bindings.filter((x) => !sameBinding(x, record.binding)) };
        return;
      case RecordType.Enqueue: {
        const message: RecoveredMessage = record.message;
        const previous = this.messages.get(message.logId);
        if (previous !== undefined) this.forget(message.logId, previous); // copied forward: the copy wins
        message.segment = segment;
        this.messages.add(message);
        this.currentLive++;
        if (message.logId > this.maxLogId) this.maxLogId = message.logId;
        return;
      }
      case RecordType.Deliver: {
        const m = this.messages.get(record.logId);
        if (m !== undefined) m.deliveryCount++;
        return;
      }
      case RecordType.Settle: {
        const m = this.messages.get(record.logId);
        if (m !== undefined) this.forget(record.logId, m);
        return;
      }
    }
  }

  private forget(id: number, m: RecoveredMessage): void {
    this.messages.delete(id);
    if (m.segment === this.currentSegment) this.currentLive--;
    else this.segmentLive.set(m.segment!, (this.segmentLive.get(m.segment!) ?? 1) - 1);
  }

  finish(numbers: number[]): RecoveredLog {
    const durableQueues = new Set(this.topology.queues.map((q) => q.name));
    const byQueue = new Map<string, RecoveredMessage[]>();
    let count = 0;
    for (const m of this.messages.values()) {
      if (!durableQueues.has(m.queue)) continue;
      let list = byQueue.get(m.queue);
      if (list === undefined) byQueue.set(m.queue, (list = []));
      list.push(m);
      count++;
    }
    // Replay order is nearly always arrival order already; sort only the lists that are not.
    for (const list of byQueue.values()) {
      let sorted = true;
      for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1]!.seq < list[i]!.seq;
      if (!sorted) list.sort((a, b) => a.seq - b.seq);
    }
    const segments: SegmentState[] = numbers.map((number) => ({
      number,
      bytes: 0,
      live: this.segmentLive.get(number) ?? 0,
      lastSettleSeq: 0,
      lastSeq: 0,
    }));
    return {
      topology: this.topology,
      messages: byQueue,
      segments,
      nextSegment: (numbers[numbers.length - 1] ?? 0) + 1,
      nextLogId: this.maxLogId + 1,
      report: {
        segments: numbers.length,
        bytes: this.bytes,
        records: this.records,
        exchanges: this.topology.exchanges.length,
        queues: this.topology.queues.length,
        bindings: this.topology.bindings.length,
        messages: count,
        truncatedBytes: this.truncatedBytes,
      },
    };
  }
}

/**
 * A segment whose header never made it to disk: empty, a prefix of the header it should carry, or
 * zeros (a file extended but not written). Anything else with a bad header is not ours.
 */
function isUnbornSegment(data: Uint8Array, number: number): boolean {
  if (data.length >= SEGMENT_HEADER_BYTES && readSegmentHeader(data) !== undefined) return false;
  const expected = segmentHeader(number);
  const head = data.subarray(0, Math.min(data.length, SEGMENT_HEADER_BYTES));
  if (head.every((b) => b === 0) && data.every((b) => b === 0)) return true;
  return data.length < SEGMENT_HEADER_BYTES && head.every((b, i) => b === expected[i]);
}

/** True if a whole valid record starts anywhere at or after `from`: then a bad record before it is corruption, not a torn tail. */
function validRecordFollows(data: Uint8Array, view: DataView, from: number): boolean {
  const cache = new Map<string, unknown>();
  for (let offset = from; offset + 9 <= data.length; offset++) {
    const length = view.getUint32(offset, true);
    if (offset + 9 + length > data.length) continue;
    if (parseRecord(data, view, offset, cache).ok) return true;
  }
  return false;
}

function sameBinding(a: { queue: string; exchange: string; bindingKey: string; args: object }, b: typeof a): boolean {
  return a.queue === b.queue && a.exchange === b.exchange && a.bindingKey === b.bindingKey && JSON.stringify(a.args) === JSON.stringify(b.args);
}
