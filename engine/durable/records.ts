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
  /**
   * Ends every write, in the same append: a crash tears only a write's tail, so damage before a
   * valid marker is corruption of written data, never a torn write.
   */
  Commit = 11,
  /** The broker closed cleanly after syncing everything (the last record of a cleanly closed log). */
  Close = 12,
  /** The segment is complete, and the next one was created durably before this record was written. */
  Seal = 13,
  /** Segments up to this number may be deleted by compaction; durable before the deletion. */
  Compacted = 14,
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
  | { type: RecordType.Settle; logId: number }
  | { type: RecordType.Commit }
  | { type: RecordType.Close }
  | { type: RecordType.Seal }
  | { type: RecordType.Compacted; segment: number };

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
 * Records are encoded straight into an arena: one large buffer that is only ever appended to.
 * `take()` hands the bytes written since the last take to storage as a view — no copy, no new
 * buffer per write — and never writes those bytes again (storage owns them now). A full arena is
 * left to whoever holds views into it, and a new one started.
 */
const ARENA_BYTES = 1024 * 1024;

export class RecordWriter {
  private buffer = new Uint8Array(ARENA_BYTES);
  private view = new DataView(this.buffer.buffer);
  private capacity = ARENA_BYTES;
  /** Start of the bytes not yet taken. */
  private start = 0;
  private length = 0;

  get byteLength(): number {
    return this.length - this.start;
  }

  take(): Uint8Array {
    const out = this.buffer.subarray(this.start, this.length);
    this.start = this.length;
    return out;
  }

  raw(bytes: Uint8Array): void {
    const n = bytes.byteLength;
    if (this.length + n > this.capacity) this.reserve(n);
    if (n <= 32) {
      // TypedArray.set costs more than the copy itself for the short names and keys.
      const buffer = this.buffer;
      const at = this.length;
      for (let i = 0; i < n; i++) buffer[at + i] = bytes[i]!;
    } else {
      this.buffer.set(bytes, this.length);
    }
    this.length += n;
  }

  /** Writes one record; returns its size in bytes. */
  record(record: LogRecord): number {
    // Offsets relative to the untaken bytes: a new arena mid-record moves them all together.
    this.reserve(RECORD_HEADER_BYTES);
    const relative = this.length - this.start;
    this.length += RECORD_HEADER_BYTES;
    this.buffer[this.start + relative + 8] = record.type;
    switch (record.type) {
      case RecordType.Deliver:
      case RecordType.Settle:
        this.f64(record.logId);
        break;
      case RecordType.Commit:
      case RecordType.Close:
      case RecordType.Seal:
        break;
      case RecordType.Compacted:
        this.f64(record.segment);
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
    const start = this.start + relative;
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
    this.properties(m.properties, m.deaths);
    this.u32(m.body.byteLength);
    this.raw(m.body);
  }

  /**
   * Properties and dead-letter history: absent (kind 0); flat properties — every value a string,
   * number, boolean or null — in a small binary form (kind 1), the common case and much cheaper
   * than JSON; anything else as JSON (kind 2). A u32 byte length follows the kind.
   */
  private properties(properties: MessageProperties, deaths: readonly DeathEntry[]): void {
    // Keys whose value is undefined are left out, as JSON leaves them out.
    const keys = Object.keys(properties).filter((k) => properties[k] !== undefined);
    if (keys.length === 0 && deaths.length === 0) return this.u8(0);
    const flat = deaths.length === 0 && keys.length < 65536 && keys.every((k) => isFlat(properties[k]));
    if (!flat) {
      this.u8(2);
      return this.str(JSON.stringify(deaths.length > 0 ? { p: properties, d: deaths } : { p: properties }));
    }
    this.u8(1);
    this.reserve(4);
    const lengthRelative = this.length - this.start;
    this.u32(0);
    this.u32(keys.length);
    for (const key of keys) {
      this.str(key);
      const v = properties[key];
      if (v === null) this.u8(0);
      else if (v === false) this.u8(1);
      else if (v === true) this.u8(2);
      else if (typeof v === 'number') {
        this.u8(3);
        this.f64(v);
      } else {
        this.u8(4);
        this.str(v as string);
      }
    }
    const lengthAt = this.start + lengthRelative;
    this.view.setUint32(lengthAt, this.length - lengthAt - 4, true);
  }

  private json(value: unknown): void {
    this.str(JSON.stringify(value));
  }

  /** UTF-8 of recently written short strings (queue names, routing keys, property keys repeat). */
  private readonly encoded = new Map<string, Uint8Array>();

  private str(text: string): void {
    if (text.length <= 64) {
      let bytes = this.encoded.get(text);
      if (bytes === undefined) {
        bytes = encoder.encode(text);
        if (this.encoded.size >= 4096) this.encoded.clear();
        this.encoded.set(text, bytes);
      }
      this.u32(bytes.byteLength);
      return this.raw(bytes);
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.reserve(4 + text.length * 3);
    const { written } = encoder.encodeInto(text, this.buffer.subarray(this.length + 4));
    this.view.setUint32(this.length, written, true);
    this.length += 4 + written;
  }

  private f64(v: number): void {
    if (this.length + 8 > this.capacity) this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  private u32(v: number): void {
    if (this.length + 4 > this.capacity) this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  private u8(v: number): void {
    if (this.length + 1 > this.capacity) this.reserve(1);
    this.buffer[this.length++] = v;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.capacity) return;
    // A fresh arena, starting with the bytes not yet taken (a record may be half written).
    const pending = this.length - this.start;
    let capacity = ARENA_BYTES;
    while (capacity < pending + bytes) capacity *= 2;
    const arena = new Uint8Array(capacity);
    arena.set(this.buffer.subarray(this.start, this.length));
    this.buffer = arena;
    this.capacity = capacity;
    this.view = new DataView(arena.buffer);
    this.start = 0;
    this.length = pending;
  }
}

function isFlat(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
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
      case RecordType.Commit:
        return COMMIT;
      case RecordType.Close:
        return CLOSE;
      case RecordType.Seal:
        return SEAL;
      case RecordType.Compacted:
        return { type, segment: this.f64() };
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
    const parsed = this.properties(propertiesCache);
    const bodyBytes = this.u32();
    if (this.at + bodyBytes !== this.end) throw new Error('body length does not match the record');
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

  private properties(propertiesCache: Map<string, unknown>): { p: MessageProperties; d?: DeathEntry[] } {
    const kind = this.bytes[this.at++];
    if (kind === 0) return EMPTY_EXTRA;
    if (kind === 2) {
      const text = this.str(3);
      if (text === this.lastExtra) return this.lastParsed;
      // Identical property sets are common (every message of a producer): parse each once.
      let cached = propertiesCache.get(text) as { p: MessageProperties; d?: DeathEntry[] } | undefined;
      if (cached === undefined) {
        cached = JSON.parse(text) as { p: MessageProperties; d?: DeathEntry[] };
        if (propertiesCache.size > 10_000) propertiesCache.clear();
        propertiesCache.set(text, cached);
      }
      this.lastExtra = text;
      this.lastParsed = cached;
      return cached;
    }
    if (kind !== 1) throw new Error(`unknown properties encoding ${kind}`);
    const n = this.u32();
    const start = this.at;
    const stop = start + n;
    if (stop > this.end) throw new Error('properties run past the record');
    // The same bytes as the previous record's: the same (immutable) object.
    const last = this.lastPropertyBytes;
    if (last.length === n && sameBytes(last, this.bytes, start)) {
      this.at = stop;
      return this.lastFlat;
    }
    const count = this.u32();
    const p: MessageProperties = {};
    for (let i = 0; i < count; i++) {
      const key = this.str(-1);
      const type = this.bytes[this.at++];
      if (type === 0) p[key] = null;
      else if (type === 1) p[key] = false;
      else if (type === 2) p[key] = true;
      else if (type === 3) p[key] = this.f64();
      else if (type === 4) p[key] = this.str(-1);
      else throw new Error(`unknown property type ${type}`);
    }
    if (this.at !== stop) throw new Error('properties length does not match');
    this.lastPropertyBytes = this.bytes.slice(start, stop);
    this.lastFlat = { p };
    return this.lastFlat;
  }

  private lastPropertyBytes: Uint8Array = new Uint8Array(0);
  private lastFlat: { p: MessageProperties; d?: DeathEntry[] } = { p: {} };

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
const COMMIT: LogRecord = Object.freeze({ type: RecordType.Commit });
const CLOSE: LogRecord = Object.freeze({ type: RecordType.Close });
const SEAL: LogRecord = Object.freeze({ type: RecordType.Seal });
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

const fileNames = new Map<number, string>();

export function segmentFileName(segment: number): string {
  let name = fileNames.get(segment);
  if (name === undefined) {
    name = `segment-${String(segment).padStart(8, '0')}.qlog`;
    if (fileNames.size > 1024) fileNames.clear();
    fileNames.set(segment, name);
  }
  return name;
}

export function segmentNumberOf(file: string): number | undefined {
  const match = /^segment-(\d{8})\.qlog$/.exec(file);
  return match ? Number(match[1]) : undefined;
}
