import type { DeathEntry, ExchangeType, HeaderValue, MessageProperties, QueueOptions } from '../types.ts';
import { crc32 } from './crc32.ts';

/**
 * The log's on-disk format.
 *
 * A segment file starts with a 16-byte header: the magic "QLABLOG" + format version 1, the segment
 * number (u32 LE) and a CRC-32 of those 12 bytes. Then records, each framed as
 *   length u32 LE (payload bytes) · crc32 u32 LE (of type and payload) · type u8 · payload.
 * Topology records carry JSON (they are rare); message records are binary (they are the traffic).
 */
export const SEGMENT_MAGIC = Uint8Array.from([0x51, 0x4c, 0x41, 0x42, 0x4c, 0x4f, 0x47, 0x01]); // "QLABLOG" 1
export const SEGMENT_HEADER_BYTES = 16;
export const RECORD_HEADER_BYTES = 9;
/** A record larger than this is taken as garbage, not allocated. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export enum RecordType {
  /** Full durable topology; starts every segment, so old segments can be deleted. */
  Snapshot = 1,
  DeclareExchange = 2,
  DeleteExchange = 3,
  DeclareQueue = 4,
  DeleteQueue = 5,
  Bind = 6,
  Unbind = 7,
  /** A persistent message entered a durable queue (or was copied forward by compaction). */
  Enqueue = 8,
  /** It was delivered (so it comes back redelivered after a crash). */
  Deliver = 9,
  /** It left its queue: acked, dead-lettered, expired, dropped. */
  Settle = 10,
}

export interface ExchangeRecord {
  name: string;
  type: ExchangeType;
  alternateExchange?: string;
}
export interface QueueRecord {
  name: string;
  options: QueueOptions;
}
export interface BindingRecord {
  queue: string;
  exchange: string;
  bindingKey: string;
  args: Record<string, HeaderValue>;
}
export interface Topology {
  exchanges: ExchangeRecord[];
  queues: QueueRecord[];
  bindings: BindingRecord[];
}

export interface EnqueueRecord {
  logId: number;
  queue: string;
  seq: number;
  level: number;
  expiresAtMs: number;
  deliveryCount: number;
  exchange: string;
  routingKey: string;
  properties: MessageProperties;
  deaths: readonly DeathEntry[];
  body: Uint8Array;
}

export type LogRecord =
  | { type: RecordType.Snapshot; topology: Topology }
  | { type: RecordType.DeclareExchange; exchange: ExchangeRecord }
  | { type: RecordType.DeleteExchange; name: string }
  | { type: RecordType.DeclareQueue; queue: QueueRecord }
  | { type: RecordType.DeleteQueue; name: string }
  | { type: RecordType.Bind; binding: BindingRecord }
  | { type: RecordType.Unbind; binding: BindingRecord }
  | { type: RecordType.Enqueue; message: EnqueueRecord }
  | { type: RecordType.Deliver; logId: number }
  | { type: RecordType.Settle; logId: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function segmentHeader(segment: number): Uint8Array {
  const header = new Uint8Array(SEGMENT_HEADER_BYTES);
  header.set(SEGMENT_MAGIC, 0);
  const view = new DataView(header.buffer);
  view.setUint32(8, segment, true);
  view.setUint32(12, crc32(header, 0, 12), true);
  return header;
}

/** The segment number a header names, or undefined if it is not a valid header. */
export function readSegmentHeader(bytes: Uint8Array): number | undefined {
  if (bytes.length < SEGMENT_HEADER_BYTES) return undefined;
  for (let i = 0; i < SEGMENT_MAGIC.length; i++) if (bytes[i] !== SEGMENT_MAGIC[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, SEGMENT_HEADER_BYTES);
  if (view.getUint32(12, true) !== crc32(bytes, 0, 12)) return undefined;
  return view.getUint32(8, true);
}

/**
 * Records are encoded straight into one growing buffer; `take()` hands the filled part to storage
 * and starts afresh, so a burst of records becomes one append.
 */
export class RecordWriter {
  private buffer = new Uint8Array(64 * 1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  get byteLength(): number {
    return this.length;
  }

  take(): Uint8Array {
    const out = this.buffer.slice(0, this.length);
    this.length = 0;
    return out;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.byteLength);
    this.buffer.set(bytes, this.length);
    this.length += bytes.byteLength;
  }

  /** Writes one record; returns its size in bytes. */
  record(record: LogRecord): number {
    const start = this.length;
    this.reserve(RECORD_HEADER_BYTES);
    this.length += RECORD_HEADER_BYTES;
    this.buffer[start + 8] = record.type;
    switch (record.type) {
      case RecordType.Deliver:
      case RecordType.Settle:
        this.f64(record.logId);
        break;
      case RecordType.Enqueue:
        this.enqueue(record.message);
        break;
      case RecordType.Snapshot:
        this.json(record.topology);
        break;
      case RecordType.DeclareExchange:
        this.json(record.exchange);
        break;
      case RecordType.DeclareQueue:
        this.json(record.queue);
        break;
      case RecordType.DeleteExchange:
      case RecordType.DeleteQueue:
        this.json(record.name);
        break;
      case RecordType.Bind:
      case RecordType.Unbind:
        this.json(record.binding);
        break;
    }
    const payloadBytes = this.length - start - RECORD_HEADER_BYTES;
    this.view.setUint32(start, payloadBytes, true);
    this.view.setUint32(start + 4, crc32(this.buffer, start + 8, this.length), true);
    return this.length - start;
  }

  private enqueue(m: EnqueueRecord): void {
    this.f64(m.logId);
    this.f64(m.seq);
    this.f64(m.expiresAtMs === Infinity ? -1 : m.expiresAtMs);
    this.u32(m.deliveryCount);
    this.u8(m.level);
    this.str(m.queue);
    this.str(m.exchange);
    this.str(m.routingKey);
    const hasProperties = Object.keys(m.properties).length > 0 || m.deaths.length > 0;
    this.str(hasProperties ? JSON.stringify(m.deaths.length > 0 ? { p: m.properties, d: m.deaths } : { p: m.properties }) : '');
    this.u32(m.body.byteLength);
    this.raw(m.body);
  }

  private json(value: unknown): void {
    this.str(JSON.stringify(value));
  }

  private str(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.reserve(4 + text.length * 3);
    const { written } = encoder.encodeInto(text, this.buffer.subarray(this.length + 4));
    this.view.setUint32(this.length, written, true);
    this.length += 4 + written;
  }

  private f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  private u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  private u8(v: number): void {
    this.reserve(1);
    this.buffer[this.length++] = v;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.byteLength) return;
    let capacity = this.buffer.byteLength * 2;
    while (capacity < this.length + bytes) capacity *= 2;
    const bigger = new Uint8Array(capacity);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
    this.view = new DataView(bigger.buffer);
  }
}

export type ParseResult = { ok: true; record: LogRecord; next: number } | { ok: false; reason: string };

const parsed = { ok: true, record: undefined as unknown as LogRecord, next: 0 };

/**
 * Parses the record at `offset`; never throws on bad bytes. A successful result is one shared
 * object, valid until the next call: replay consumes it at once, and a million records need not
 * make a million result objects.
 */
export function parseRecord(bytes: Uint8Array, view: DataView, offset: number, propertiesCache: Map<string, unknown>): ParseResult {
  if (offset + RECORD_HEADER_BYTES > bytes.length) return { ok: false, reason: 'record header runs past the end of the file' };
  const length = view.getUint32(offset, true);
  if (length > MAX_RECORD_BYTES) return { ok: false, reason: `implausible record length ${length}` };
  const end = offset + RECORD_HEADER_BYTES + length;
  if (end > bytes.length) return { ok: false, reason: 'record runs past the end of the file' };
  if (view.getUint32(offset + 4, true) !== crc32(bytes, offset + 8, end)) return { ok: false, reason: 'checksum mismatch' };
  try {
    const record = reader.decode(bytes, view, bytes[offset + 8]!, offset + RECORD_HEADER_BYTES, end, propertiesCache);
    if (record === undefined) return { ok: false, reason: `unknown record type ${bytes[offset + 8]}` };
    parsed.record = record;
    parsed.next = end;
    return parsed as ParseResult;
  } catch (error) {
    return { ok: false, reason: `undecodable payload: ${(error as Error).message}` };
  }
}

/**
 * Decodes payloads. One instance is reused for every record (recovery reads millions), and each
 * string field remembers its last bytes and value: consecutive records nearly always repeat their
 * queue, exchange and properties, so most strings are neither decoded nor allocated again.
 */
class PayloadReader {
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private at = 0;
  private end = 0;
  private readonly lastBytes: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
  private readonly lastStrings: string[] = ['', '', '', ''];
  private lastExtra = '';
  private lastParsed: { p: MessageProperties; d?: DeathEntry[] } = { p: {} };

  decode(bytes: Uint8Array, view: DataView, type: number, start: number, end: number, propertiesCache: Map<string, unknown>): LogRecord | undefined {
    this.bytes = bytes;
    this.view = view;
    this.at = start;
    this.end = end;
    switch (type) {
      case RecordType.Deliver:
        return { type, logId: this.f64() };
      case RecordType.Settle:
        return { type, logId: this.f64() };
      case RecordType.Enqueue:
        return { type, message: this.enqueue(propertiesCache) };
      case RecordType.Snapshot:
        return { type, topology: this.json() };
      case RecordType.DeclareExchange:
        return { type, exchange: this.json() };
      case RecordType.DeleteExchange:
        return { type, name: this.json() };
      case RecordType.DeclareQueue:
        return { type, queue: this.json() };
      case RecordType.DeleteQueue:
        return { type, name: this.json() };
      case RecordType.Bind:
        return { type, binding: this.json() };
      case RecordType.Unbind:
        return { type, binding: this.json() };
      default:
        return undefined;
    }
  }

  private enqueue(propertiesCache: Map<string, unknown>): EnqueueRecord {
    const logId = this.f64();
    const seq = this.f64();
    const expires = this.f64();
    const deliveryCount = this.u32();
    const level = this.bytes[this.at++]!;
    const queue = this.str(0);
    const exchange = this.str(1);
    const routingKey = this.str(2);
    const extra = this.str(3);
    const bodyBytes = this.u32();
    if (this.at + bodyBytes !== this.end) throw new Error('body length does not match the record');
    let parsed: { p: MessageProperties; d?: DeathEntry[] };
    if (extra === '') parsed = EMPTY_EXTRA;
    else if (extra === this.lastExtra) parsed = this.lastParsed;
    else {
      // Identical property sets are common (every message of a producer): parse each once.
      let cached = propertiesCache.get(extra) as typeof parsed | undefined;
      if (cached === undefined) {
        cached = JSON.parse(extra) as typeof parsed;
        if (propertiesCache.size > 10_000) propertiesCache.clear();
        propertiesCache.set(extra, cached);
      }
      parsed = cached;
      this.lastExtra = extra;
      this.lastParsed = cached;
    }
    return {
      logId,
      queue,
      seq,
      level,
      expiresAtMs: expires < 0 ? Infinity : expires,
      deliveryCount,
      exchange,
      routingKey,
      properties: parsed.p,
      deaths: parsed.d ?? NO_DEATHS,
      body: this.bytes.subarray(this.at, this.end),
    };
  }

  private f64(): number {
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  private u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  private json(): never {
    return JSON.parse(this.str(-1)) as never;
  }

  /** A length-prefixed UTF-8 string; `slot` ≥ 0 remembers the last one read in that field. */
  private str(slot: number): string {
    const n = this.u32();
    const start = this.at;
    const stop = start + n;
    if (stop > this.end) throw new Error('string runs past the record');
    this.at = stop;
    if (n === 0) return '';
    if (slot >= 0) {
      const last = this.lastBytes[slot]!;
      if (last.length === n && sameBytes(last, this.bytes, start)) return this.lastStrings[slot]!;
    }
    const text = decodeUtf8(this.bytes, start, stop);
    if (slot >= 0) {
      this.lastBytes[slot] = this.bytes.slice(start, stop);
      this.lastStrings[slot] = text;
    }
    return text;
  }
}

const reader = new PayloadReader();
const EMPTY_EXTRA: { p: MessageProperties; d?: DeathEntry[] } = { p: {} };
const NO_DEATHS: readonly DeathEntry[] = Object.freeze([]) as readonly DeathEntry[];

function sameBytes(a: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[start + i]) return false;
  return true;
}

/** UTF-8 to string, with a fast path for short ASCII (names and keys), where TextDecoder's call costs most. */
function decodeUtf8(bytes: Uint8Array, start: number, stop: number): string {
  if (stop - start <= 64) {
    let ascii = true;
    for (let i = start; i < stop; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, stop) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, stop));
}

export function segmentFileName(segment: number): string {
  return `segment-${String(segment).padStart(8, '0')}.qlog`;
}

export function segmentNumberOf(file: string): number | undefined {
  const match = /^segment-(\d{8})\.qlog$/.exec(file);
  return match ? Number(match[1]) : undefined;
}
