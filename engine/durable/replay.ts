import { LiveMessages, type RecoveredMessage } from './liveMessages.ts';
import type { SegmentState } from './messageLog.ts';
import { parseRecord, readSegmentHeader, RecordType, SEGMENT_HEADER_BYTES, type LogRecord, type Topology } from './records.ts';

const EMPTY_TOPOLOGY: Topology = { exchanges: [], queues: [], bindings: [] };

export interface ReplayResult {
  topology: Topology;
  /** Unsettled messages on durable queues, by queue, in arrival order. */
  messages: Map<string, RecoveredMessage[]>;
  segments: SegmentState[];
  nextSegment: number;
  nextLogId: number;
  report: { segments: number; bytes: number; records: number; exchanges: number; queues: number; bindings: number; messages: number; truncatedBytes: number };
}

/** Where replaying one segment stopped: its end, or the first record that did not parse. */
export interface SegmentScan {
  /** Offset of the first bad record, or undefined if the whole segment parsed. */
  badAt?: number;
  reason?: string;
  /** A whole valid record follows the bad one: not a torn tail. */
  validAfter?: boolean;
  /** Type and offset of the last good record (undefined: none). */
  lastType?: RecordType;
  lastOffset: number;
}

/** The state rebuilt by replaying segments in order. */
export class ReplayState {
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
  /** The newest segment a Compacted record allowed deleting. */
  compactedUpTo = 0;

  /** Replays a segment's records up to the first bad one; the header must already be checked. */
  replaySegment(number: number, data: Uint8Array): SegmentScan {
    this.bytes += data.length;
    this.segmentLive.set(number, 0);
    this.currentSegment = number;
    this.currentLive = 0;
    try {
      return this.replayRecords(number, data);
    } finally {
      this.segmentLive.set(number, this.segmentLive.get(number)! + this.currentLive);
      this.currentSegment = -1;
    }
  }

  private replayRecords(number: number, data: Uint8Array): SegmentScan {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const scan: SegmentScan = { lastOffset: SEGMENT_HEADER_BYTES };
    let offset = SEGMENT_HEADER_BYTES;
    while (offset < data.length) {
      const parsed = parseRecord(data, view, offset, this.propertiesCache);
      if (!parsed.ok) return { ...scan, badAt: offset, reason: parsed.reason, validAfter: validRecordFollows(data, view, offset + 1) };
      // Commit markers end every write; what a segment ends with is the record before them.
      if (parsed.record.type !== RecordType.Commit) {
        scan.lastType = parsed.record.type;
        scan.lastOffset = offset;
      }
      this.apply(number, parsed.record);
      this.records++;
      offset = parsed.next;
    }
    return scan;
  }

  private apply(segment: number, record: LogRecord): void {
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
      case RecordType.Compacted:
        this.compactedUpTo = Math.max(this.compactedUpTo, record.segment);
        return;
      case RecordType.Commit:
      case RecordType.Close:
      case RecordType.Seal:
        return;
    }
  }

  private forget(id: number, m: RecoveredMessage): void {
    this.messages.delete(id);
    if (m.segment === this.currentSegment) this.currentLive--;
    else this.segmentLive.set(m.segment!, (this.segmentLive.get(m.segment!) ?? 1) - 1);
  }

  finish(numbers: number[]): ReplayResult {
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

/** True if a whole valid record starts anywhere at or after `from`: then a bad record before it is corruption, not a torn tail. */
export function validRecordFollows(data: Uint8Array, view: DataView, from: number): boolean {
  const cache = new Map<string, unknown>();
  for (let offset = from; offset + 9 <= data.length; offset++) {
    const length = view.getUint32(offset, true);
    if (offset + 9 + length > data.length) continue;
    if (parseRecord(data, view, offset, cache).ok) return true;
  }
  return false;
}

/** The segment number a header names (undefined: not a valid header). */
export const headerNumber = readSegmentHeader;

export function sameBinding(a: { queue: string; exchange: string; bindingKey: string; args: object }, b: typeof a): boolean {
  return a.queue === b.queue && a.exchange === b.exchange && a.bindingKey === b.bindingKey && JSON.stringify(a.args) === JSON.stringify(b.args);
}
