import { crc32 } from '../crc32.ts';
import { encodeEnqueue } from './enqueueCodec.ts';
import { RECORD_HEADER_BYTES, RecordType, type LogRecord } from './format.ts';
import { encodeIdRecord } from './idCodec.ts';
import type { PayloadWriter } from './payloadWriter.ts';
import { encodeTopologyRecord } from './topologyCodec.ts';

const encoder = new TextEncoder();

/**
 * Records are encoded straight into an arena: one large buffer that is only ever appended to.
 * `take()` hands the bytes written since the last take to storage as a view — no copy, no new
 * buffer per write — and never writes those bytes again (storage owns them now). A full arena is
 * left to whoever holds views into it, and a new one started. The codecs write through the
 * primitives below.
 */
const ARENA_BYTES = 1024 * 1024;

export class RecordWriter implements PayloadWriter {
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
    if (record.type === RecordType.Enqueue) encodeEnqueue(this, record.message);
    else if (!encodeIdRecord(this, record)) encodeTopologyRecord(this, record);
    const start = this.start + relative;
    const payloadBytes = this.length - start - RECORD_HEADER_BYTES;
    this.view.setUint32(start, payloadBytes, true);
    this.view.setUint32(start + 4, crc32(this.buffer, start + 8, this.length), true);
    return this.length - start;
  }

  /** Reserves a u32 to be filled by `endLength`; returns its place (relative: arenas may change). */
  beginLength(): number {
    this.reserve(4);
    const relative = this.length - this.start;
    this.u32(0);
    return relative;
  }

  /** Fills the u32 at `relative` with the number of bytes written after it. */
  endLength(relative: number): void {
    const lengthAt = this.start + relative;
    this.view.setUint32(lengthAt, this.length - lengthAt - 4, true);
  }

  json(value: unknown): void {
    this.str(JSON.stringify(value));
  }

  /** UTF-8 of recently written short strings (queue names, routing keys, property keys repeat). */
  private readonly encoded = new Map<string, Uint8Array>();

  str(text: string): void {
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

  f64(v: number): void {
    if (this.length + 8 > this.capacity) this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  u32(v: number): void {
    if (this.length + 4 > this.capacity) this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  u8(v: number): void {
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
