import { crc32 } from '../crc32.ts';
import { SEGMENT_HEADER_BYTES, SEGMENT_MAGIC } from './format.ts';

/** Segment files: their names and the 16-byte header each starts with. */

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
