import type { DeathEntry, ExchangeType, HeaderValue, MessageProperties, QueueOptions } from '../../types.ts';

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
