/**
 * The log's on-disk format, one module per concern under records/: the framing and record types
 * (format.ts), segment files (segmentFile.ts), the arena writer (recordWriter.ts), one codec per
 * kind of record (enqueueCodec.ts, topologyCodec.ts, idCodec.ts) and the checked parser
 * (parseRecord.ts).
 */
export * from './records/format.ts';
export * from './records/segmentFile.ts';
export { RecordWriter } from './records/recordWriter.ts';
export { parseRecord, type ParseResult } from './records/parseRecord.ts';
