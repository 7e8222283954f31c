import { crc32 } from '../crc32.ts';
import { EnqueueDecoder } from './enqueueCodec.ts';
import { MAX_RECORD_BYTES, RECORD_HEADER_BYTES, RecordType, type LogRecord } from './format.ts';
import { decodeIdRecord } from './idCodec.ts';
import { PayloadReader } from './payloadReader.ts';
import { decodeTopologyRecord } from './topologyCodec.ts';

export type ParseResult = { ok: true; record: LogRecord; next: number } | { ok: false; reason: string };

const parsed = { ok: true, record: undefined as unknown as LogRecord, next: 0 };
const reader = new PayloadReader();
const enqueueDecoder = new EnqueueDecoder();

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
    const type = bytes[offset + 8]!;
    reader.reset(bytes, view, offset + RECORD_HEADER_BYTES, end);
    const record =
      type === RecordType.Enqueue ? { type: RecordType.Enqueue as const, message: enqueueDecoder.decode(reader, propertiesCache) } : (decodeIdRecord(reader, type) ?? decodeTopologyRecord(reader, type));
    if (record === undefined) return { ok: false, reason: `unknown record type ${type}` };
    parsed.record = record;
    parsed.next = end;
    return parsed as ParseResult;
  } catch (error) {
    return { ok: false, reason: `undecodable payload: ${(error as Error).message}` };
  }
}
